#if canImport(Glibc)
import Glibc
#endif
import CPosix
import Dispatch
import Synchronization

/// Calls back when a file in one folder is written or replaced (Linux inotify), so every orch
/// process learns of another's turn records and hook events at once, without polling.
///
/// A blocking reader on a thread of its own, stopped through a pipe it polls beside inotify.
public final class FolderWatch: Sendable {
    private let inotify: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let stopped = Mutex(false)

    /// Watches `folder`; `onChange` gets the name of each file written, moved in or removed.
    public init?(folder: String, onChange: @escaping @Sendable (String) -> Void) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MODIFY) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            close(fd)
            return nil
        }
        var fds: [Int32] = [-1, -1]
        guard orch_pipe_cloexec(&fds, 0) == 0 else {
            close(fd)
            return nil
        }
        inotify = fd
        stopPipe = (fds[0], fds[1])
        let pipeRead = fds[0]
        DispatchQueue(label: "orch.folder-watch").async {
            var buffer = [UInt8](repeating: 0, count: 8192)
            var polled = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: pipeRead, events: Int16(POLLIN), revents: 0)]
            while true {
                let ready = poll(&polled, 2, -1)
                if ready < 0 && errno == EINTR { continue }
                guard ready > 0, polled[1].revents == 0 else { break }
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                for name in Self.names(in: buffer[0..<n]) { onChange(name) }
            }
            close(fd)
            close(pipeRead)
        }
    }

    /// Stops the reader; later calls do nothing.
    public func stop() {
        let first = stopped.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        close(stopPipe.write)
    }

    deinit { stop() }

    /// The file names in a buffer of `struct inotify_event`s.
    static func names(in bytes: ArraySlice<UInt8>) -> [String] {
        var names: [String] = []
        var offset = bytes.startIndex
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= bytes.endIndex {
            let length = bytes[offset + 12..<offset + 16].reversed().reduce(0) { $0 << 8 | Int($1) }
            let nameBytes = bytes[(offset + header)..<min(bytes.endIndex, offset + header + length)]
            names.append(String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self))
            offset += header + length
        }
        return names
    }
}

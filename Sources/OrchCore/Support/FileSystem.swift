#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations orch needs, over POSIX calls (Foundation stays out of start-up).
public enum FileSystem {
    /// The whole content of `path` as UTF-8 text; nil with the reason when it cannot be read.
    public static func readText(_ path: String) -> Result<String, FileError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(FileError(path: path, errno: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(FileError(path: path, errno: errno))
            }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The size of the file at `path` in bytes, nil when it cannot be read.
    public static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// The folder `path` is in (`.` for a bare name).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func remove(_ path: String) { unlink(path) }

    /// Removes a folder orch made (files and folders under it; symbolic links are not followed).
    public static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its parents with `mode` (0700 for orch's state folders).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, mode) != 0 && errno != EEXIST { return }
            prefix += "/"
        }
    }

    /// Makes sure `path` exists with permissions 0600 (history, queue, journal hold prompts).
    public static func touchPrivate(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { fchmod(fd, 0o600); close(fd) }
    }

    /// The entries of directory `path` (no `.` or `..`), or an empty list.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// This program's own path (to start it again as `orch __sim-agent`).
    public static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// A file that could not be read or written, with the system's reason.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32
    /// What failed: "read" or "write".
    public var operation: String = "read"
    public var description: String { "cannot \(operation) '\(path)': \(String(cString: strerror(errno)))" }
}

extension FileSystem {
    /// Appends `lines` (each ending in a newline) to the file open at `fd` and fsyncs it. If the
    /// file ends in a torn line (a crash mid-write), a newline goes first so the torn line stays
    /// alone and is skipped when read; true when all of it reached the disk, else false with
    /// `errno` saying why (a short write is followed up, so a full disk reads ENOSPC).
    public static func appendLines(_ lines: String, to fd: Int32) -> Bool {
        var info = stat()
        var last: UInt8 = 0x0A
        if fstat(fd, &info) == 0, info.st_size > 0 { _ = pread(fd, &last, 1, info.st_size - 1) }
        return writeAll((last == 0x0A ? "" : "\n") + lines, to: fd) && fsync(fd) == 0
    }

    /// Replaces the file at `path` with `text` whole (0600): written beside, fsync'd and renamed
    /// over, so a reader sees the old or the new file, never half of one. False on an error.
    public static func replace(_ path: String, with text: String) -> Bool {
        let temporary = path + ".orch-new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let written = writeAll(text, to: fd) && fsync(fd) == 0
        close(fd)
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Writes all of `text` to `fd`, retrying short and interrupted writes; false on an error,
    /// with `errno` saying why (a full disk shows as ENOSPC once a short write is followed up).
    @discardableResult
    public static func writeAll(_ text: String, to fd: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                if n == 0 { errno = EIO }
                return false
            }
            bytes = bytes.dropFirst(n)
        }
        return true
    }
}

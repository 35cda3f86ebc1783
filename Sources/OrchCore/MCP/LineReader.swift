#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Reads newline-delimited messages from a file descriptor (MCP's stdio transport) on a thread
/// of its own, blocked in read(2) while nothing comes: no polling, nothing to do when idle.
struct LineReader: Sendable {
    enum Event: Sendable {
        /// One line, without its newline (and without a `\r` before it).
        case line([UInt8])
        /// A line longer than the limit: skipped up to its newline, unread but for its first
        /// bytes (`head`, where a request's id usually is).
        case oversized(bytes: Int, head: [UInt8])
    }

    let fd: Int32
    /// The longest line kept; a 1 MB prompt escaped as JSON is well within it.
    let limit: Int
    /// Lines read ahead of the consumer at most: a client that floods stdin is read no faster
    /// than it is served (memory stays bounded), as the pipe then pushes back on it.
    let ahead: DispatchSemaphore

    init(fd: Int32 = 0, limit: Int = 8 << 20, readAhead: Int = 64) {
        self.fd = fd
        self.limit = limit
        ahead = DispatchSemaphore(value: readAhead)
    }

    /// The consumer is done with one event: the reader may read one more.
    func consumed() { ahead.signal() }

    /// The lines until end of input (or a read error), in order.
    func lines() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        let fd = self.fd
        let limit = self.limit
        let ahead = self.ahead
        DispatchQueue(label: "orch.mcp.stdin").async {
            var pending: [UInt8] = []
            var skipped = 0  // > 0: inside an oversized line, this many bytes dropped so far
            var head: [UInt8] = []  // the start of that line
            let headSize = 4096
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                var chunk = buffer[0..<n]
                while let newline = chunk.firstIndex(of: 0x0A) {
                    let line = chunk[chunk.startIndex..<newline]
                    chunk = chunk[(newline + 1)...]
                    if skipped > 0 {
                        ahead.wait(); continuation.yield(.oversized(bytes: skipped + line.count, head: head))
                        skipped = 0
                        continue
                    }
                    if pending.count + line.count > limit {
                        ahead.wait(); continuation.yield(.oversized(bytes: pending.count + line.count, head: Array((pending + line).prefix(headSize))))
                        pending.removeAll()
                        continue
                    }
                    pending.append(contentsOf: line)
                    if pending.last == 0x0D { pending.removeLast() }
                    if pending.contains(where: { $0 != 0x20 && $0 != 0x09 }) { ahead.wait(); continuation.yield(.line(pending)) }
                    pending.removeAll(keepingCapacity: true)
                }
                if skipped > 0 {
                    skipped += chunk.count
                } else if pending.count + chunk.count > limit {
                    skipped = pending.count + chunk.count
                    head = Array((pending + chunk).prefix(headSize))
                    pending = []
                } else {
                    pending.append(contentsOf: chunk)
                }
            }
            if skipped > 0 { ahead.wait(); continuation.yield(.oversized(bytes: skipped, head: head)) }
            else if pending.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { ahead.wait(); continuation.yield(.line(pending)) }
            continuation.finish()
        }
        return stream
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair: a program runs with the follower side as its terminal (so the REPL,
/// not a script, starts), and the benchmark reads and types on the controller side.
final class PseudoTerminal {
    let controller: Int32
    let follower: Int32
    /// Everything read from the controller so far.
    private(set) var output: [UInt8] = []

    init(columns: UInt16 = 120, rows: UInt16 = 40) throws(BenchError) {
        // posix_openpt/unlockpt/ptsname are hidden behind feature macros in Swift's Glibc module;
        // on Linux they are /dev/ptmx and two ioctls (TIOCSPTLCK, TIOCGPTN from <asm/ioctls.h>).
        controller = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard controller >= 0, ioctl(controller, 0x4004_5431, &unlock) == 0, ioctl(controller, 0x8004_5430, &number) == 0 else {
            if controller >= 0 { close(controller) }
            throw BenchError(message: "cannot open a pseudo-terminal (errno \(errno))")
        }
        let name = "/dev/pts/\(number)"
        follower = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard follower >= 0 else {
            close(controller)
            throw BenchError(message: "cannot open \(name) (errno \(errno))")
        }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(controller, UInt(TIOCSWINSZ), &size)
    }

    deinit {
        close(controller)
        if follower >= 0 { close(follower) }
    }

    var text: String { String(decoding: output, as: UTF8.self) }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
    }

    /// Reads until `condition` holds for everything read so far, or `timeout` passes.
    func read(until condition: (String) -> Bool, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !condition(text) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var ready = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(1000, max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            guard poll(&ready, 1, milliseconds) > 0 else { continue }
            let n = Glibc.read(controller, &buffer, buffer.count)
            if n > 0 { output += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { return condition(text) }
        }
        return true
    }

    /// Forgets what was read (to wait for the next answer only).
    func clear() { output.removeAll() }
}

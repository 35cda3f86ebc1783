#if canImport(Glibc)
import Glibc
#endif

/// The terminal's bytes, one character at a time, with bracketed paste taken out of the
/// stream: the terminal wraps pasted text in `ESC [200~` … `ESC [201~` (while orch has asked
/// for it with `ESC [?2004h`), and while inside them `isPasting` is true, so a pasted Tab is
/// text, never a completion.
final class TerminalInput {
    enum Read: Equatable {
        case character(Unicode.Scalar)
        /// A paste marker was taken; nothing to hand over (look for input again).
        case nothing
        case end
        case failed
    }

    static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
    static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)
    /// How long the rest of an escape sequence may take to arrive after its ESC.
    static let sequencePatience: Int32 = 30

    private let fd: Int32
    /// Bytes read ahead (after an ESC that began no marker), served before the terminal's.
    private var pending: [UInt8] = []
    private(set) var isPasting = false

    init(fd: Int32 = 0) { self.fd = fd }

    /// Whether a character is ready without reading the terminal.
    var hasPending: Bool { !pending.isEmpty }

    /// One character (UTF-8 decoded), blocking until the terminal has one.
    func read() -> Read {
        guard let first = nextByte(wait: -1) else { return readFailed() }
        if first == 0x1B, let marker = takeMarker() {
            isPasting = marker == Self.pasteStart
            return .nothing
        }
        let length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
        var bytes = [first]
        while bytes.count < length, let next = nextByte(wait: -1) { bytes.append(next) }
        return .character(String(decoding: bytes, as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}")
    }

    /// After an ESC: the rest of a paste marker, or nil with what was read kept for later.
    private func takeMarker() -> [UInt8]? {
        var taken: [UInt8] = [0x1B]
        while let candidate = [Self.pasteStart, Self.pasteEnd].first(where: { $0.starts(with: taken) }) {
            if taken.count == candidate.count { return candidate }
            guard let next = nextByte(wait: Self.sequencePatience) else { break }
            taken.append(next)
        }
        pending.insert(contentsOf: taken.dropFirst(), at: 0)
        return nil
    }

    private var lastReadEnded = false

    /// A byte from `pending`, else from the terminal, waiting at most `wait` ms (-1: forever).
    private func nextByte(wait: Int32) -> UInt8? {
        if !pending.isEmpty { return pending.removeFirst() }
        if wait >= 0 {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            var got = poll(&ready, 1, wait)
            while got < 0, errno == EINTR { got = poll(&ready, 1, wait) }  // a resize mid-sequence
            guard got > 0 else { return nil }
        }
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(fd, &byte, 1)
            if n == 1 { return byte }
            if n == 0 || errno != EINTR {
                lastReadEnded = n == 0
                return nil
            }
        }
    }

    private func readFailed() -> Read {
        defer { lastReadEnded = false }
        return lastReadEnded ? .end : .failed
    }
}

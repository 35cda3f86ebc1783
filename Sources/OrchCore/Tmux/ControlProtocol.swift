/// One thing a tmux control-mode client reported (tmux(1), "CONTROL MODE").
public enum ControlEvent: Sendable, Equatable {
    /// `%output %PANE data`: the pane printed `data` (escapes decoded to bytes), read from tmux
    /// at `arrived`.
    case output(pane: String, data: [UInt8], arrived: Arrival = Arrival())
    /// `%window-add`, `%window-close`, `%unlinked-window-close`, `%window-renamed`,
    /// `%session-window-changed`, `%layout-change`: the window list may differ now.
    case windowsChanged
    /// `%session-changed`: the client is attached to its session. Commands that act on the current
    /// client or session (`refresh-client`, `list-windows` without `-t`) work from then on.
    case attached
    /// The reply to a command this client sent: its output lines, or the error lines.
    case reply(lines: [String], isError: Bool)
    /// `%exit`: the client is detached or the server is gone.
    case exit(reason: String?)
}

/// When an event was read from tmux, on the connection's own reader thread: a watcher whose
/// turn to run comes late (a busy process, a full thread pool) still knows when a pane printed,
/// so a steady stream does not look like bursts with long gaps. Not part of what the event is:
/// any two are equal.
public struct Arrival: Sendable, Equatable {
    public let instant: ContinuousClock.Instant
    public init(_ instant: ContinuousClock.Instant = .now) { self.instant = instant }
    public static func == (_: Arrival, _: Arrival) -> Bool { true }
}

/// Turns control-mode lines into events: replies framed by `%begin`/`%end`/`%error`,
/// notifications otherwise.
public struct ControlProtocol: Sendable {
    private var reply: [String]?
    /// `TIME NUMBER` of the open `%begin`: only `%end`/`%error` with the same pair closes it, so a
    /// captured screen line that happens to start with `%end` cannot.
    private var replyTag: [UInt8] = []
    /// Whether the block being read answers one of this client's commands (flag 1), rather than
    /// tmux's own start-up output.
    private var replyIsOurs = false

    public init() {}

    /// The event `line` completes, if any (lines inside a reply block are collected).
    public mutating func feed(_ line: [UInt8]) -> ControlEvent? {
        if reply != nil {
            if line.starts(with: Self.end + replyTag) || line.starts(with: Self.error + replyTag) {
                let lines = reply ?? []
                reply = nil
                guard replyIsOurs else { return nil }
                return .reply(lines: lines, isError: line.starts(with: Self.error))
            }
            reply?.append(String(decoding: line, as: UTF8.self))
            return nil
        }
        if line.starts(with: Self.begin) {
            reply = []
            let fields = line.dropFirst(Self.begin.count)
            replyTag = Array(fields[..<(fields.lastIndex(of: UInt8(ascii: " ")) ?? fields.endIndex)]) + [UInt8(ascii: " ")]
            replyIsOurs = line.last == UInt8(ascii: "1")
            return nil
        }
        if line.starts(with: Self.output) {
            let rest = line.dropFirst(Self.output.count)
            guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            return .output(pane: String(decoding: rest[..<space], as: UTF8.self), data: Self.decode(rest[(space + 1)...]))
        }
        if line.starts(with: Self.exit) {
            let reason = line.count > Self.exit.count + 1 ? String(decoding: line.dropFirst(Self.exit.count + 1), as: UTF8.self) : nil
            return .exit(reason: reason)
        }
        if line.starts(with: Self.sessionChanged) { return .attached }
        for prefix in Self.windowNotices where line.starts(with: prefix) { return .windowsChanged }
        return nil
    }

    /// `\ooo` octal escapes (bytes below 0x20 and `\` itself) back to bytes; a multi-byte UTF-8
    /// character split over two `%output` lines stays split: the bytes are returned as they came.
    public static func decode(_ data: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var i = data.startIndex
        while i < data.endIndex {
            let byte = data[i]
            if byte == UInt8(ascii: "\\"), data.endIndex - i > 3,
                let value = octal(data[(i + 1)...(i + 3)])
            {
                out.append(value)
                i += 4
            } else {
                out.append(byte)
                i += 1
            }
        }
        return out
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }

    static let begin = Array("%begin ".utf8)
    static let end = Array("%end ".utf8)
    static let error = Array("%error ".utf8)
    static let output = Array("%output ".utf8)
    static let exit = Array("%exit".utf8)
    static let sessionChanged = Array("%session-changed ".utf8)
    static let windowNotices = [
        "%window-add ", "%window-close ", "%unlinked-window-close ", "%window-renamed ",
        "%unlinked-window-add ", "%session-window-changed ", "%unlinked-window-renamed ",
        // A format subscription's value changed: orch subscribes to #{pane_dead} (Watcher).
        "%subscription-changed ",
    ].map { Array($0.utf8) }
}

#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// A program that behaves like an agent CLI in a terminal, for `orch demo` and the tests.
///
/// It shows a prompt, takes typed or bracket-pasted text, and on Enter "works" for a while
/// (spinner lines of its profile), then prints its profile's done line. Like real CLIs it can
/// swallow an Enter that follows text too quickly (a paste burst), leaving the text unsubmitted
/// with `↵ send` shown. Every submitted prompt is appended to a log as one JSON line, byte-exact,
/// so tests can check what arrived.
///
/// Prompts may carry directives for tests and the demo: `[work=2s]` sets how long the turn lasts,
/// `[ask]` opens a permission question (`Do you want to proceed?`) halfway through.
public struct SimAgent {
    struct Options {
        var profile = SimProfile.all["generic"]!
        var logPath: String?
        var work: Duration = .seconds(3)
        /// An Enter this soon after text becomes a newline in the input (0: never).
        var swallow: Duration = .zero
        /// Never accept Enter (a CLI that is stuck): for delivery-failure tests.
        var neverSubmit = false
        var title = "Simulated agent"
        /// Codex's `@` file-search popup (codex-typed-3-filepopup): shown while the last word
        /// typed starts with `@`; Escape closes it, Enter picks its first entry. The value is how
        /// long the agent takes to draw an Escape (a loaded machine; nil: no popup).
        var filePopupCloseDelay: Duration?
    }

    enum Mode {
        case idle
        case working(start: ContinuousClock.Instant, length: Duration, prompt: String, asks: Bool)
        case asking(start: ContinuousClock.Instant, length: Duration, prompt: String)
    }

    var options: Options
    var mode: Mode = .idle
    var transcript: [String] = []
    var input: [UInt8] = []
    var inPaste = false
    var lastText = ContinuousClock.now - .seconds(60)
    var pending: [UInt8] = []
    var frame = 0
    /// The `@` word whose popup the user closed (Codex does not reopen it for the same word).
    var dismissedPopupWord: String?
    let clock = ContinuousClock()

    /// Runs the simulated agent with command-line `arguments` (after the program name); returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        var options = Options()
        var i = 0
        func value() -> String? {
            i += 1
            return i < arguments.count ? arguments[i] : nil
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--profile":
                guard let name = value(), let profile = SimProfile.all[name] else {
                    RawTerminal.write("sim-agent: --profile needs one of \(SimProfile.all.keys.sorted().joined(separator: ", "))\n")
                    return 2
                }
                options.profile = profile
            case "--log": options.logPath = value()
            case "--work": options.work = value().flatMap(Duration.parse) ?? options.work
            case "--swallow": options.swallow = value().flatMap(Duration.parse) ?? .zero
            case "--never-submit": options.neverSubmit = true
            case "--title": options.title = value() ?? options.title
            case "--file-popup": options.filePopupCloseDelay = value().flatMap(Duration.parse) ?? .zero
            default:
                RawTerminal.write("sim-agent: unknown option \(arguments[i])\n")
                return 2
            }
            i += 1
        }
        var agent = SimAgent(options: options)
        return agent.run()
    }

    init(options: Options) {
        self.options = options
        transcript = ["\(options.title) (\(options.profile.name) profile, simulated by orch)", ""]
    }

    mutating func run() -> Int32 {
        var terminal = RawTerminal()
        terminal.enable()
        RawTerminal.write("\u{1B}[?2004h")  // ask for bracketed pastes, as real agent CLIs do
        defer {
            RawTerminal.write("\u{1B}[?2004l")
            terminal.restore()
        }
        render()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
            let timeout: Int32
            switch mode {
            case .idle, .asking: timeout = -1  // nothing moves on screen: stay silent
            case .working: timeout = 200
            }
            let ready = poll(&fds, 1, timeout)
            if ready < 0 && errno != EINTR { return 1 }
            if ready > 0 {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n <= 0 { return 0 }
                pending.append(contentsOf: buffer[0..<n])
                if !consumeInput() { return 0 }
                // More already waiting (a big paste): draw once it is all read, as real TUIs
                // draw at most a frame at a time, not once per read.
                var more = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
                if poll(&more, 1, 0) > 0 { continue }
            }
            tick()
            render()
        }
    }

    // MARK: Input

    /// Handles the bytes read so far; false when the agent should exit.
    mutating func consumeInput() -> Bool {
        var i = 0
        while i < pending.count {
            let byte = pending[i]
            if byte == 0x1B {
                let rest = pending[(i + 1)...]
                // A paste marker cut by the end of this read: wait for the rest of it.
                // A lone ESC with nothing after it within 25 ms is the Escape key (as TUIs decide).
                if rest.count < 5, [Array("[200~".utf8), Array("[201~".utf8)].contains(where: { $0.starts(with: rest) }), !(rest.isEmpty && !Self.moreInput(within: 25)) { break }
                if rest.starts(with: Array("[200~".utf8)) { inPaste = true; i += 6; continue }
                if rest.starts(with: Array("[201~".utf8)) { inPaste = false; lastText = clock.now; i += 6; continue }
                if rest.first == UInt8(ascii: "[") {
                    // Some other CSI sequence (arrows…): skip to its final byte.
                    var j = i + 2
                    while j < pending.count, !(0x40...0x7E).contains(pending[j]) { j += 1 }
                    if j >= pending.count { break }  // incomplete: wait for more bytes
                    i = j + 1
                    continue
                }
                if !inPaste { escape(); i += 1; continue }
            }
            if inPaste {
                input.append(byte)  // a paste is text, carriage returns included
                i += 1
                continue
            }
            switch byte {
            case 0x0D:
                enter()
            case 0x0A:
                input.append(0x0A)
                lastText = clock.now
            case 0x7F, 0x08:
                dropLastCharacter()
            case 0x03:
                if case .idle = mode, input.isEmpty { return false }
                input.removeAll()
                if case .working = mode { interrupt() }
            case 0x04:
                if input.isEmpty { return false }
            case 0x15:
                input.removeAll()
            case 0x09, 0x20...0xFF:
                if case .asking = mode {
                    answer(byte)
                } else {
                    input.append(byte)
                    lastText = clock.now
                }
            default:
                break
            }
            i += 1
        }
        pending.removeFirst(min(i, pending.count))
        return true
    }

    static func moreInput(within milliseconds: Int32) -> Bool {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
        return poll(&fds, 1, milliseconds) > 0
    }

    mutating func dropLastCharacter() {
        // Remove one whole UTF-8 character: continuation bytes are 10xxxxxx.
        while let last = input.popLast(), last & 0xC0 == 0x80 {}
    }

    /// The `@word` at the end of the input when the file popup shows over it.
    var popupWord: String? {
        guard options.filePopupCloseDelay != nil, case .idle = mode else { return nil }
        let text = String(decoding: input, as: UTF8.self)
        guard let word = text.split(separator: " ", omittingEmptySubsequences: false).last, word.hasPrefix("@"), !word.contains("\n") else { return nil }
        return String(word) == dismissedPopupWord ? nil : String(word)
    }

    mutating func escape() {
        if let word = popupWord {
            dismissedPopupWord = word
            // Read, but drawn late: the sleep stands for a starved process.
            if let delay = options.filePopupCloseDelay, delay > .zero { usleep(UInt32(delay.components.seconds * 1_000_000 + delay.components.attoseconds / 1_000_000_000_000)) }
            return
        }
        if case .asking = mode { answer(UInt8(ascii: "2")) } else if case .working = mode { interrupt() }
    }

    mutating func enter() {
        if case .asking = mode {
            answer(UInt8(ascii: "1"))
            return
        }
        if options.neverSubmit || clock.now - lastText < options.swallow {
            // A paste burst: the Enter becomes part of the text, as real CLIs do.
            input.append(0x0A)
            return
        }
        guard !input.isEmpty else { return }
        if let word = popupWord {
            // Enter picks the popup's entry: the text changes and is not submitted (as Codex).
            input.removeLast(word.utf8.count)
            input.append(contentsOf: Array("@README.md ".utf8))
            return
        }
        let prompt = String(decoding: input, as: UTF8.self)
        input.removeAll()
        log(prompt)
        let lines = prompt.split(separator: "\n", omittingEmptySubsequences: false)
        transcript.append(options.profile.echoPrefix + (lines.first.map(String.init) ?? ""))
        transcript.append(contentsOf: lines.dropFirst().map { "  " + $0 })
        transcript.append("")
        guard case .idle = mode else {
            transcript.append("(queued while busy)")
            return
        }
        mode = .working(start: clock.now, length: Self.workLength(in: prompt) ?? options.work, prompt: prompt, asks: prompt.contains("[ask]"))
    }

    static func workLength(in prompt: String) -> Duration? {
        guard let start = prompt.firstRange(of: "[work="), let end = prompt[start.upperBound...].firstIndex(of: "]") else { return nil }
        return Duration.parse(String(prompt[start.upperBound..<end]))
    }

    mutating func answer(_ byte: UInt8) {
        guard case .asking(let start, let length, let prompt) = mode else { return }
        if byte == UInt8(ascii: "1") || byte == UInt8(ascii: "y") {
            transcript.append("  ⎿ Allowed")
            mode = .working(start: start, length: length, prompt: prompt, asks: false)
        } else if byte == UInt8(ascii: "2") || byte == UInt8(ascii: "n") {
            transcript.append("  ⎿ Denied by user")
            finish(elapsed: clock.now - start)
        }
    }

    mutating func interrupt() {
        transcript.append("  ⎿ Interrupted by user")
        transcript.append("")
        mode = .idle
    }

    // MARK: Time

    mutating func tick() {
        frame += 1
        guard case .working(let start, let length, let prompt, let asks) = mode else { return }
        let elapsed = clock.now - start
        if asks && elapsed >= length / 2 {
            mode = .asking(start: start, length: length, prompt: prompt)
        } else if elapsed >= length {
            let head = prompt.split(separator: "\n").first.map(String.init) ?? ""
            transcript.append("⏺ Finished: \(head.prefix(60))")
            transcript.append("")
            finish(elapsed: elapsed)
        }
    }

    mutating func finish(elapsed: Duration) {
        let seconds = Int(elapsed.components.seconds)
        for line in options.profile.doneLines {
            transcript.append(Self.fill(line, seconds: seconds, minutesSplit: true))
        }
        transcript.append("")
        mode = .idle
        render()  // draw the done line now, so the logged time is when it reached the screen
        logDone()
    }

    static func fill(_ template: String, seconds: Int, minutesSplit: Bool) -> String {
        if template.contains("{m}") {
            return template.replacingOccurrences(of: "{m}", with: String(seconds / 60)).replacingOccurrences(of: "{s}", with: String(seconds % 60))
        }
        return template.replacingOccurrences(of: "{s}", with: String(seconds))
    }

    // MARK: Log

    func log(_ prompt: String) {
        append(.object([("profile", .string(options.profile.name)), ("text", .string(prompt))]))
    }

    /// When the done line was drawn, on the system-wide monotonic clock (benchmarks compare it
    /// with the moment orch noticed).
    func logDone() {
        append(.object([("profile", .string(options.profile.name)), ("event", .string("done")), ("monotonic_ns", .int(MonotonicClock.nanoseconds()))]))
    }

    private func append(_ entry: JSONValue) {
        guard let path = options.logPath else { return }
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = FileSystem.appendLines(entry.serialized + "\n", to: fd)
    }
}

extension String {
    /// Replaces every `target` with `replacement` (stdlib only; Foundation stays out).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

#if canImport(Glibc)
import Glibc
#endif
import CEditLine
import CPosix
import Synchronization

/// What one `readLine` produced.
public enum LineInput: Sendable, Equatable {
    case line(String)
    /// Ctrl-C: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case end
}

/// The text to complete and the candidates for it (see `Completer`).
public struct Completion: Sendable, Equatable {
    /// How many characters before the cursor the chosen candidate replaces.
    public var replacing: Int
    public var candidates: [String]
    /// Whether a single candidate is followed by a space (not for directories).
    public var appendSpace: Bool
    /// With no candidate, Tab is typed as itself (inside quoted text, a heredoc, a continuation
    /// line: tab-indented text keeps its tabs).
    public var tabIsText: Bool

    public init(replacing: Int, candidates: [String], appendSpace: Bool = true, tabIsText: Bool = false) {
        self.replacing = replacing
        self.candidates = candidates
        self.appendSpace = appendSpace
        self.tabIsText = tabIsText
    }

    /// Tab inserts a tab.
    public static let literalTab = Completion(replacing: 0, candidates: [], tabIsText: true)
}

/// libedit behind a Swift API: prompt, emacs keys and `~/.editrc`, persistent history, Tab
/// completion, and notices printed above the line being typed.
///
/// libedit is not thread-safe, so other threads never print while a line is edited: they queue
/// notices and write a byte to a wake-up pipe; the editor's own character reader (`EL_GETCFN`)
/// waits on the terminal and that pipe, prints the notices and asks libedit to redraw the prompt
/// and the half-typed line (docs/facts.md, "Printing a notice above the line being edited").
public final class LineEditor: @unchecked Sendable {
    // @unchecked: `editLine`, `history` and `prompt` are touched only by the thread that calls
    // `readLine`; everything other threads reach is in `shared` or the pipe.
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var prompt: UnsafeMutablePointer<CChar>
    private let historyPath: String?
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let completer: @Sendable (String) -> Completion
    private var cancelled = false
    private let input = TerminalInput()
    /// Whether the terminal is asked to mark pasted text (not for `TERM=dumb`).
    private let bracketsPaste: Bool

    private struct Shared {
        var reading = false
        var notices: [String] = []
    }
    private let shared = Mutex(Shared())

    /// Sets up libedit on the terminal; `historyPath` nil keeps history in memory only.
    public init(programName: String, historyPath: String?, historySize: Int = 1000, completer: @escaping @Sendable (String) -> Completion) {
        Self.useUTF8Locale()
        var fds: [Int32] = [-1, -1]
        _ = orch_pipe_cloexec(&fds, 1)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        self.completer = completer
        bracketsPaste = isatty(1) == 1 && FileSystem.environment("TERM").map { $0 != "dumb" && !$0.isEmpty } ?? false
        self.historyPath = historyPath
        prompt = strdup("> ")
        history = history_init()
        var event = HistEvent()
        orch_history_setsize(history, &event, Int32(historySize))
        orch_history_setunique(history, &event, 1)
        if let historyPath {
            FileSystem.touchPrivate(historyPath)
            orch_history_load(history, &event, historyPath)
        }
        editLine = el_init(programName, orch_stdin(), orch_stdout(), orch_stderr())
        orch_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        orch_el_set_prompt_esc(editLine, { el in LineEditor.from(el).prompt }, 1)
        orch_el_set_editor(editLine, "emacs")
        orch_el_set_history(editLine, history)
        orch_el_set_getc(editLine, { el, out in LineEditor.from(el).readCharacter(into: out) })
        orch_el_add_function(editLine, "orch-complete", "Complete orch words", { el, _ in LineEditor.from(el).complete() })
        orch_el_bind(editLine, "^I", "orch-complete")
        orch_el_add_function(editLine, "orch-cancel", "Abandon the line", { el, _ in LineEditor.from(el).cancelLine() })
        orch_el_bind(editLine, "^C", "orch-cancel")
        el_source(editLine, nil)  // ~/.editrc (or $EDITRC), after orch's bindings so the user's win
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(prompt)
        close(wakeRead)
        close(wakeWrite)
    }

    private static func from(_ el: OpaquePointer?) -> LineEditor {
        Unmanaged<LineEditor>.fromOpaque(orch_el_get_clientdata(el)!).takeUnretainedValue()
    }

    /// Without a UTF-8 locale libedit drops non-ASCII input (docs/facts.md).
    private static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    }

    // MARK: Reading lines

    /// Shows `promptText` and reads one line (without its newline). Colour escapes in the prompt
    /// must be wrapped in `\u{1}` markers so libedit does not count them as columns.
    public func readLine(prompt promptText: String) -> LineInput {
        free(prompt)
        prompt = strdup(promptText)
        cancelled = false
        let queued = shared.withLock { state -> [String] in
            state.reading = true
            defer { state.notices.removeAll() }
            return state.notices
        }
        if !queued.isEmpty {
            Self.writeOut(EditRegion.eraseFromRow(0))
            writeNotices(queued)
        }
        var count: Int32 = 0
        if bracketsPaste { Self.writeOut("\u{1B}[?2004h") }
        let line = el_gets(editLine, &count)
        if bracketsPaste { Self.writeOut("\u{1B}[?2004l") }
        shared.withLock { $0.reading = false }
        if cancelled {
            Self.writeOut("^C\n")  // libedit moves on without ending the line it abandoned
            return .interrupted
        }
        guard let line, count > 0 else { return .end }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Adds `entry` (possibly several lines) to the history and saves it right away.
    public func addToHistory(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace) else { return }
        var event = HistEvent()
        orch_history_enter(history, &event, entry)
        if let historyPath {
            orch_history_save(history, &event, historyPath)
        }
    }

    // MARK: Other threads

    /// Prints `notice` above the prompt (from any thread), redrawing the line being typed.
    public func post(notice: String) {
        let printNow = shared.withLock { state -> Bool in
            if state.reading {
                state.notices.append(notice)
                return false
            }
            return true
        }
        if printNow {
            Self.writeOut(notice + "\n")
        } else {
            wake("n")
        }
    }

    /// Abandons the line being edited, as Ctrl-C does (from any thread, e.g. a SIGINT handler).
    public func interrupt() { wake("i") }

    /// The terminal changed size: libedit re-reads it on its own thread.
    public func terminalResized() { wake("w") }

    private func wake(_ reason: Character) {
        var byte = reason.asciiValue!
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: libedit callbacks (editor thread)

    /// `EL_GETCFN`: one character from the terminal, serving wake-ups while waiting.
    private func readCharacter(into out: UnsafeMutablePointer<wchar_t>?) -> Int32 {
        while true {
            // Bytes read ahead after an ESC come first, without waiting on the terminal.
            if input.hasPending, let result = Self.hand(input.read(), to: out) { return result }
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if fds[1].revents != 0 {
                var reasons = [UInt8](repeating: 0, count: 64)
                let n = read(wakeRead, &reasons, reasons.count)
                let got = n > 0 ? reasons[0..<n] : []
                let resized = got.contains(UInt8(ascii: "w"))
                let notices = shared.withLock { state -> [String] in
                    defer { state.notices.removeAll() }
                    return state.notices
                }
                if resized || !notices.isEmpty {
                    // A terminal that reflows (tmux, most emulators) has re-wrapped the line
                    // at the new width: the cursor's row is where the new width puts it.
                    Self.writeOut(EditRegion.eraseFromRow(cursorRow()))
                    if resized { el_resize(editLine) }
                    writeNotices(notices)
                    orch_el_refresh(editLine)
                }
                if got.contains(UInt8(ascii: "i")) {
                    out?.pointee = 3  // Ctrl-C, bound to orch-cancel
                    return 1
                }
                continue
            }
            if fds[0].revents != 0 {
                if let result = Self.hand(input.read(), to: out) { return result }
            }
        }
    }

    /// What `EL_GETCFN` returns for a read: 1 with the character stored, 0 at the end of input,
    /// -1 on an error; nil when a paste marker was taken and there is nothing to hand over yet.
    private static func hand(_ read: TerminalInput.Read, to out: UnsafeMutablePointer<wchar_t>?) -> Int32? {
        switch read {
        case .character(let scalar):
            out?.pointee = wchar_t(bitPattern: scalar.value)
            return 1
        case .nothing: return nil
        case .end: return 0
        case .failed: return -1
        }
    }

    /// Prints notices where the cursor is, at a row's start, for libedit to redraw the prompt
    /// and the line below them (`EL_REFRESH` draws from the cursor).
    private func writeNotices(_ notices: [String]) {
        guard !notices.isEmpty else { return }
        Self.writeOut(notices.map { $0.replacingNewlines() + "\r\n" }.joined())
    }

    /// The row of the line being edited that the cursor is on (0: the prompt's row).
    private func cursorRow() -> Int {
        guard let info = el_wline(editLine) else { return 0 }
        return EditRegion.cursorRow(prompt: String(cString: prompt), beforeCursor: text(info.pointee.buffer, upTo: info.pointee.cursor), columns: Self.terminalColumns())
    }

    private func text(_ start: UnsafePointer<wchar_t>?, upTo end: UnsafePointer<wchar_t>?) -> String {
        var text = ""
        guard var p = start, let end else { return text }
        while p < end {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: p.pointee)) { text.unicodeScalars.append(scalar) }
            p += 1
        }
        return text
    }

    private func cancelLine() -> UInt8 {
        cancelled = true
        // Put the cursor at the end, so "^C" lands after the abandoned text. A refresh redraws
        // the prompt from where the terminal's cursor is: back to the line's start first (the
        // line was drawn twice, side by side, when this refreshed with the cursor at the end).
        if let info = el_wline(editLine), info.pointee.cursor != info.pointee.lastchar {
            el_cursor(editLine, Int32(info.pointee.lastchar - info.pointee.cursor))
            Self.writeOut("\r")
            orch_el_refresh(editLine)
        }
        return UInt8(CC_NEWLINE)
    }

    private func complete() -> UInt8 {
        guard let info = el_wline(editLine) else { return UInt8(CC_ERROR) }
        let before = text(info.pointee.buffer, upTo: info.pointee.cursor)
        if input.isPasting {
            el_insertstr(editLine, "\t")
            return UInt8(CC_REFRESH)
        }
        let completion = completer(before)
        let typed = String(before.suffix(completion.replacing))
        switch completion.candidates.count {
        case 0:
            if completion.tabIsText {
                el_insertstr(editLine, "\t")
                return UInt8(CC_REFRESH)
            }
            return UInt8(CC_ERROR)
        case 1:
            replace(typed.count, with: completion.candidates[0] + (completion.appendSpace ? " " : ""))
            return UInt8(CC_REFRESH)
        default:
            let common = Self.commonPrefix(completion.candidates)
            if common.count > typed.count {
                replace(typed.count, with: common)
                return UInt8(CC_REFRESH)
            }
            Self.writeOut("\n" + Self.columns(completion.candidates) )
            return UInt8(CC_REDISPLAY)
        }
    }

    private func replace(_ count: Int, with text: String) {
        if count > 0 { el_deletestr(editLine, Int32(count)) }
        el_insertstr(editLine, text)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let chars = Array(word)
            var n = 0
            while n < prefix.count, n < chars.count, prefix[n] == chars[n] { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return String(prefix)
    }

    /// Candidates laid out in columns across the terminal, as libedit and shells list them.
    static func columns(_ words: [String]) -> String {
        let width = terminalColumns()
        let cell = (words.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / cell)
        var out = ""
        for (i, word) in words.enumerated() {
            out += (i % perRow == perRow - 1 || i == words.count - 1) ? word + "\n" : word.padding(to: cell)
        }
        return out
    }

    static func terminalColumns() -> Int {
        var size = winsize()
        return ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    static func writeOut(_ text: String) { FileSystem.writeAll(text, to: 1) }
}

extension String {
    /// Newlines as `\r\n`: the terminal is in raw mode while libedit edits.
    func replacingNewlines() -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }
}

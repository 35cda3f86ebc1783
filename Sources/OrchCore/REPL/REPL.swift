#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// The interactive loop: read a (possibly multi-line) entry, run it, print errors, go on.
public final class REPL: Sendable {
    let interpreter: Interpreter
    let editor: LineEditor
    let style: Style
    /// The task running the current entry, cancelled by Ctrl-C.
    private let running = Mutex<Task<Void, Never>?>(nil)
    private let vocabulary = VocabularyStore()

    /// A REPL over `interpreter`, keeping history at `historyPath`.
    public init(interpreter: Interpreter, historyPath: String?, style: Style) {
        let store = vocabulary
        self.interpreter = interpreter
        self.style = style
        self.editor = LineEditor(programName: "orch", historyPath: historyPath) { before in
            switch store.continuing {
            case .text: return .literalTab
            case .block where before.allSatisfy(\.isWhitespace): return .literalTab  // indentation
            default: break
            }
            return Completer.complete(before, vocabulary: store.current)
        }
        runBlocking { await interpreter.observeAgentNames { names in store.set(names) } }
        let editor = self.editor
        runBlocking { await interpreter.setNoticeSink { notice in editor.post(notice: notice) } }
    }

    /// Runs until `exit`, `quit` or Ctrl-D; the exit status is 0.
    public func run(greeting: [String] = []) -> Int32 {
        signal(SIGINT, SIG_IGN)
        let interrupts = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupts.setEventHandler { [self] in
            if let task = running.withLock({ $0 }) { task.cancel() } else { editor.interrupt() }
        }
        interrupts.resume()
        signal(SIGWINCH, SIG_IGN)
        let resizes = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        resizes.setEventHandler { [editor] in editor.terminalResized() }
        resizes.resume()
        defer {
            interrupts.cancel()
            resizes.cancel()
            signal(SIGINT, SIG_DFL)
        }
        for line in greeting { editor.post(notice: line) }

        var entry = ""
        while true {
            let label = runBlocking { await self.interpreter.sessionLabel }
            let prompt = entry.isEmpty ? promptText(session: label) : "...> "
            vocabulary.continuing = Continuation(of: entry)
            switch editor.readLine(prompt: prompt) {
            case .end:
                if entry.isEmpty {
                    FileSystem.writeAll("\n", to: 1)
                    return 0
                }
                // Ctrl-D inside an open block, quote or heredoc abandons it: say so, and keep it
                // in the history so Up brings it back.
                let lines = entry.split(separator: "\n", omittingEmptySubsequences: false).count
                editor.addToHistory(entry)
                entry = ""
                FileSystem.writeAll("\n", to: 1)
                editor.post(notice: "dropped the unfinished command (\(lines) line\(lines == 1 ? "" : "s"), Ctrl-D); Up brings it back")
            case .interrupted:
                entry = ""
            case .line(let line):
                entry += entry.isEmpty ? line : "\n" + line
                let commands: [Command]
                do {
                    commands = try Parser.parse(source: entry, file: "<repl>")
                } catch where error.isIncomplete {
                    continue  // an open quote, block or heredoc: read the next line
                } catch {
                    editor.addToHistory(entry)
                    report(OrchError(error), source: entry)
                    entry = ""
                    continue
                }
                editor.addToHistory(entry)
                entry = ""
                if commands.isEmpty { continue }
                let outcome = runBlocking(onStart: { task in running.withLock { $0 = task } }) { [interpreter] () -> Result<Flow, OrchError> in
                    do throws(OrchError) {
                        return .success(try await interpreter.run(commands))
                    } catch {
                        return .failure(error)
                    }
                }
                running.withLock { $0 = nil }
                switch outcome {
                case .success(.exit): return 0
                case .success: break
                case .failure(let error): report(error, source: nil)
                }
            }
        }
    }

    private func promptText(session: String?) -> String {
        let name = session.map { "orch:\($0)" } ?? "orch"
        // \u{1} brackets the invisible colour escapes for libedit's EL_PROMPT_ESC.
        return style.enabled ? "\u{1}\u{1B}[1;36m\u{1}\(name)\u{1}\u{1B}[0m\u{1}> " : "\(name)> "
    }

    /// Errors in the REPL: the message, and for syntax errors a caret under the column.
    private func report(_ error: OrchError, source: String?) {
        if error.kind == .interrupted {
            FileSystem.writeAll(style.dim("interrupted") + "\n", to: 2)
            return
        }
        var text = style.error("error:") + " " + error.message
        if let source, let location = error.location, error.kind == .usage {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if location.line - 1 < lines.count {
                text += "\n  " + lines[location.line - 1] + "\n  " + String(repeating: " ", count: max(0, location.column - 1)) + "^"
            }
        }
        FileSystem.writeAll(text + "\n", to: 2)
    }
}

/// The agent names the interpreter publishes, read by the completion callback on the editor thread.
private final class VocabularyStore: Sendable {
    private let storage = Mutex(CompletionVocabulary())
    private let continuation = Mutex(Continuation.none)
    var current: CompletionVocabulary { storage.withLock { $0 } }
    func set(_ agents: [String]) { storage.withLock { $0.agents = agents } }
    /// What the line being read continues: Tab in quoted text or a heredoc is text.
    var continuing: Continuation {
        get { continuation.withLock { $0 } }
        set { continuation.withLock { $0 = newValue } }
    }
}

/// What an unfinished entry leaves open for its next line.
enum Continuation: Sendable {
    /// A new entry.
    case none
    /// An open `{` block: commands, completed as usual (Tab at the line's start indents).
    case block
    /// An open quote or heredoc: the next line is text.
    case text

    init(of entry: String) {
        guard !entry.isEmpty else {
            self = .none
            return
        }
        var quote: Character?
        var escaped = false
        for character in entry {
            if escaped { escaped = false; continue }
            if quote == "\"", character == "\\" { escaped = true; continue }
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            }
        }
        self = quote != nil || entry.contains("<<") ? .text : .block
    }
}

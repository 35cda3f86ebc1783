import Foundation
import CPosix
import OrchCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real agent CLIs (OpenAI Codex 0.147, Aider 0.86) in a private tmux server, talking to the
/// fake LLM server `Tests/RealAgents/fake_llm.py` on 127.0.0.1 (see docs/real-agents.md).
///
/// The CLIs live in a venv that `scripts/install-real-agents.sh` makes (`<repo>/.build/real-agents/venv`,
/// or `$ORCH_REAL_AGENTS_VENV`). Without them a suite skips (`.enabled(if: RealAgentRig.shouldRun)`),
/// except in CI (`CI=true`), where `RealAgentRig.requireAvailable()` fails the test instead.
///
/// Layout, as the seed guide: session `moana-orchestration`, window 0 `main`, 1–4 `sleep` placeholders
/// (claude, amp, antigravity-proxy, antigravity), 5 `codex`, 6 `aider`; every pane 120x40.
final class RealAgentRig: @unchecked Sendable {
    struct Options: Sendable {
        var codex = true
        var aider = false
        /// Windows 1–4 as `sleep` placeholders.
        var placeholders = true
        /// `notify = [script]` in config.toml: `notifications()` reads what it got.
        var codexNotify = true
        /// `[features] hooks = true`, a `hooks.json` for every event 0.147 knows, and
        /// `--dangerously-bypass-hook-trust` (else Codex opens its "Hooks need review" screen).
        var codexHooks = false
        var approvalPolicy = "untrusted"
        /// `[mcp_servers.orch]`: Codex starts `orch -L <this server> mcp` and may call its tools.
        var codexMCP = false
        /// The fake LLM logs each request's body (`requestBodies()`).
        var logBodies = false
        var width = 120
        var height = 40
        /// How long a CLI may take to show its idle prompt (Aider needs several seconds on 2 cores).
        var startTimeout: Duration = .seconds(60)
    }

    // MARK: Where things are

    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support/
        .deletingLastPathComponent()  // OrchCoreTests/
        .deletingLastPathComponent()  // Tests/
        .deletingLastPathComponent()

    static let fakeLLMScript = repoRoot.appendingPathComponent("Tests/RealAgents/fake_llm.py").path

    static var venvBin: String {
        let environment = ProcessInfo.processInfo.environment
        let venv = environment["ORCH_REAL_AGENTS_VENV"].flatMap { $0.isEmpty ? nil : $0 }
            ?? repoRoot.appendingPathComponent(".build/real-agents/venv").path
        return venv + "/bin"
    }
    static var codexPath: String { venvBin + "/codex" }
    static var aiderPath: String { venvBin + "/aider" }

    static var codexAvailable: Bool { FileManager.default.isExecutableFile(atPath: codexPath) }
    static var aiderAvailable: Bool { FileManager.default.isExecutableFile(atPath: aiderPath) }
    static var available: Bool { codexAvailable && aiderAvailable }

    static let unavailableMessage = "real agent CLIs not installed: run scripts/install-real-agents.sh"

    static var isCI: Bool {
        let value = (ProcessInfo.processInfo.environment["CI"] ?? "").lowercased()
        return value == "true" || value == "1" || value == "yes"
    }

    /// For `.enabled(if:)`: run when the CLIs are there, and always in CI (where missing ones fail).
    static var shouldRun: Bool { available || isCI }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { RealAgentRig.unavailableMessage + " (looked in \(RealAgentRig.venvBin))" }
    }

    /// Throws (a test failure) when the CLIs are missing: in CI that is the point; elsewhere the
    /// `.enabled(if: shouldRun)` trait has skipped the suite before this runs.
    static func requireAvailable() throws {
        if !available { throw Unavailable() }
    }

    // MARK: State

    let options: Options
    let socketName: String
    let session = "moana-orchestration"
    /// The temp root; everything below is removed by `stop()`.
    let directory: String
    /// The throwaway git repository both agents work in.
    let workdir: String
    let codexHome: String
    /// HOME for the tmux server and the agents (Aider writes its history and caches there).
    let home: String
    /// XDG_STATE_HOME for `orch(...)`.
    let stateHome: String
    let llmLogPath: String
    let notifyLogPath: String
    let hooksLogPath: String
    let aiderModelSettingsPath: String
    private(set) var port = 0
    private var llmPID: pid_t?
    private let llmOutput: String

    // MARK: Start and stop

    init(_ options: Options = Options()) throws {
        try RealAgentRig.requireAvailable()
        self.options = options
        socketName = "orch-real-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Resolve symlinks so the trusted-project path is the one Codex sees as its cwd.
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path
        directory = temporary + "/" + socketName
        workdir = directory + "/work"
        codexHome = directory + "/codex-home"
        home = directory + "/home"
        stateHome = directory + "/state"
        llmLogPath = directory + "/llm.jsonl"
        notifyLogPath = directory + "/notify.log"
        hooksLogPath = directory + "/hooks.log"
        aiderModelSettingsPath = directory + "/aider-model-settings.yml"
        llmOutput = directory + "/llm.out"
        do {
            try setUp()
        } catch {
            stop()
            throw error
        }
    }

    private func setUp() throws {
        let files = FileManager.default
        for folder in [workdir, codexHome, home, stateHome] {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try makeGitRepository()
        try startFakeLLM()
        try writeScripts()
        try writeCodexConfig()
        try writeAiderModelSettings()
        try startTmux()
        if options.codex { try startCodex() }
        if options.aider { try startAider() }
        if options.codex { try waitForCodexIdle(timeout: options.startTimeout) }
        if options.aider { try waitForAiderIdle(timeout: options.startTimeout) }
    }

    /// Kills the tmux server (and with it the agents), the fake LLM, and removes the temp folder.
    func stop() {
        _ = try? Self.run("/usr/bin/env", ["tmux", "-L", socketName, "kill-server"], environment: tmuxEnvironment)
        // tmux leaves its socket file, and orch its control-client lock beside it.
        let socket = TmuxEndpoint(socketName: socketName).resolvedSocketPath
        unlink(socket)
        unlink(socket + ".orch-lock")
        if let llmPID {
            kill(llmPID, SIGTERM)
            var status: Int32 = 0
            let deadline = ContinuousClock.now + .seconds(3)
            while waitpid(llmPID, &status, WNOHANG) == 0 {
                if ContinuousClock.now > deadline {
                    kill(llmPID, SIGKILL)
                    _ = Self.waitForExit(llmPID)
                    break
                }
                usleep(10_000)
            }
        }
        llmPID = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func makeGitRepository() throws {
        let git = { (arguments: [String]) throws in
            let result = try Self.run("/usr/bin/env", ["git", "-C", self.workdir] + arguments, environment: ["HOME": self.home])
            if result.status != 0 { throw RigError("git \(arguments.joined(separator: " ")): \(result.err)") }
        }
        try git(["init", "-q"])
        try git(["config", "user.name", "Rig Tester"])
        try git(["config", "user.email", "rig@example.invalid"])
        try git(["config", "commit.gpgsign", "false"])
        try "A throwaway repository for the real-agent tests.\n".write(toFile: workdir + "/README.md", atomically: true, encoding: .utf8)
        try git(["add", "README.md"])
        try git(["commit", "-q", "-m", "initial commit"])
    }

    private func startFakeLLM() throws {
        let portFile = directory + "/llm.port"
        let output = open(llmOutput, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if output < 0 { throw RigError("cannot create \(llmOutput)") }
        defer { close(output) }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TMUX")
        let pid = try Self.spawn(
            "/usr/bin/env", ["python3", Self.fakeLLMScript, "--port", "0", "--port-file", portFile, "--log", llmLogPath] + (options.logBodies ? ["--log-bodies"] : []),
            environment: environment, stdout: output, stderr: output)
        llmPID = pid
        try waitFor("the fake LLM server's port file", timeout: .seconds(20)) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                llmPID = nil
                throw RigError("fake_llm.py exited: \(self.text(of: self.llmOutput))")
            }
            guard let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return false }
            port = value
            return true
        }
    }

    private func writeScripts() throws {
        // notify: Codex adds one argument, a JSON object. One line per call: wall ms, pane, JSON.
        try write(
            """
            #!/bin/sh
            printf '%s\\t%s\\t%s\\n' "$(date +%s%3N)" "$TMUX_PANE" "$1" >> '\(notifyLogPath)'
            """, to: directory + "/notify.sh", executable: true)
        // A hook: JSON on stdin. One line per event: wall ms, event name (argument), pane, JSON.
        try write(
            """
            #!/bin/sh
            payload=$(tr -d '\\n')
            printf '%s\\t%s\\t%s\\t%s\\n' "$(date +%s%3N)" "$1" "$TMUX_PANE" "$payload" >> '\(hooksLogPath)'
            exit 0
            """, to: directory + "/hook.sh", executable: true)
    }

    /// The hook events Codex 0.147 accepts in hooks.json (it ignores other keys, e.g. Interrupt).
    static let codexHookEvents = [
        "SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop",
        "PreCompact", "PostCompact", "SessionEnd", "SubagentStart", "SubagentStop",
    ]

    /// Writes `$CODEX_HOME/config.toml` afresh (Codex appends `[tui.model_availability_nux]` to it).
    func writeCodexConfig() throws {
        var lines = [
            "model = \"fake-model\"",
            "model_provider = \"fake\"",
            "approval_policy = \"\(options.approvalPolicy)\"",
            "sandbox_mode = \"danger-full-access\"",
            "check_for_update_on_startup = false",
        ]
        if options.codexNotify { lines.append("notify = [\(tomlString(directory + "/notify.sh"))]") }
        lines += [
            "",
            "[model_providers.fake]",
            "name = \"fake\"",
            "base_url = \"http://127.0.0.1:\(port)/v1\"",
            "wire_api = \"responses\"",
            "env_key = \"FAKE_LLM_API_KEY\"",
            "request_max_retries = 0",
            "stream_max_retries = 0",
            "",
            "[analytics]",
            "enabled = false",
            "",
            "[projects.\(tomlString(workdir))]",
            "trust_level = \"trusted\"",
        ]
        if options.codexHooks { lines += ["", "[features]", "hooks = true"] }
        if options.codexMCP {
            lines += [
                "", "[mcp_servers.orch]",
                "command = \(tomlString(TestServer.orchPath))",
                "args = [\"-L\", \(tomlString(socketName)), \"mcp\"]",
                "env = { XDG_STATE_HOME = \(tomlString(stateHome)), NO_COLOR = \"1\" }",
                "startup_timeout_sec = 60",
                "tool_timeout_sec = 120",
            ]
        }
        try write(lines.joined(separator: "\n") + "\n", to: codexHome + "/config.toml")
        let hooksFile = codexHome + "/hooks.json"
        if options.codexHooks {
            var hooks: [String: Any] = [:]
            for event in Self.codexHookEvents {
                hooks[event] = [["hooks": [["type": "command", "command": "\(directory)/hook.sh \(event)", "timeout": 10]]]]
            }
            let data = try JSONSerialization.data(withJSONObject: ["hooks": hooks], options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: hooksFile))
        } else {
            try? FileManager.default.removeItem(atPath: hooksFile)
        }
    }

    private func writeAiderModelSettings() throws {
        try write(
            """
            - name: openai/fake
              edit_format: diff
              use_repo_map: false
              streaming: true

            """, to: aiderModelSettingsPath)
        // Aider fetches litellm's model list from raw.githubusercontent.com unless its cache holds a
        // fresh, non-empty one: seed it, so Aider stays off the network (and its screen stays clean).
        let caches = home + "/.aider/caches"
        try FileManager.default.createDirectory(atPath: caches, withIntermediateDirectories: true)
        try write(Self.aiderModelInfo, to: caches + "/model_prices_and_context_window.json")
    }

    static let aiderModelInfo = """
        {"openai/fake": {"max_tokens": 8192, "max_input_tokens": 128000, "max_output_tokens": 8192,
         "input_cost_per_token": 0, "output_cost_per_token": 0, "litellm_provider": "openai", "mode": "chat"}}

        """

    /// The environment of the tmux server, so of every pane: nothing of the developer's own setup.
    var tmuxEnvironment: [String: String] {
        let outer = ProcessInfo.processInfo.environment
        var environment = [
            "PATH": outer["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "LANG": outer["LANG"].flatMap { $0.isEmpty ? nil : $0 } ?? "C.UTF-8",
            "TERM": "xterm-256color",
            "USER": outer["USER"] ?? "root",
            "TMPDIR": NSTemporaryDirectory(),
            // `orch hook`, run by a CLI in a pane, records into the same state folder as `orch(_:)`.
            "XDG_STATE_HOME": stateHome,
        ]
        if let value = outer["LC_ALL"] { environment["LC_ALL"] = value }
        return environment
    }

    private func startTmux() throws {
        let size = "\(options.width)x\(options.height)"
        _ = try tmux([
            "-f", "/dev/null", "new-session", "-d", "-s", session, "-n", "main",
            "-x", "\(options.width)", "-y", "\(options.height)", "-c", workdir, "sleep", "100000",
        ])
        _ = try tmux(["set-option", "-g", "default-size", size])
        _ = try tmux(["set-option", "-g", "allow-rename", "off"])
        _ = try tmux(["set-option", "-g", "remain-on-exit", "on"])
        if options.placeholders {
            for (index, name) in ["claude", "amp", "antigravity-proxy", "antigravity"].enumerated() {
                try newWindow(index: index + 1, name: name, command: ["sleep", "100000"])
            }
        }
    }

    private func newWindow(index: Int, name: String, environment: [String: String] = [:], command: [String]) throws {
        var arguments = ["new-window", "-d", "-t", "\(session):\(index)", "-n", name, "-c", workdir]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        _ = try tmux(arguments + command)
        _ = try tmux(["resize-window", "-t", target("\(index)"), "-x", "\(options.width)", "-y", "\(options.height)"])
    }

    /// Starts real Codex in window 5 (`codex`); `waitForCodexIdle()` then waits for its prompt.
    func startCodex(extraArguments: [String] = []) throws {
        var arguments = [Self.codexPath]
        if options.codexHooks { arguments.append("--dangerously-bypass-hook-trust") }
        try newWindow(
            index: 5, name: "codex",
            environment: ["CODEX_HOME": codexHome, "FAKE_LLM_API_KEY": "fake-key"],
            command: arguments + extraArguments)
    }

    /// The Aider command line docs/real-agents.md gives, against the fake server.
    var aiderArguments: [String] {
        [
            Self.aiderPath,
            "--openai-api-base", "http://127.0.0.1:\(port)/v1", "--openai-api-key", "fake-key",
            "--model", "openai/fake", "--weak-model", "openai/fake",
            "--model-settings-file", aiderModelSettingsPath,
            "--no-check-update", "--no-analytics", "--no-gitignore", "--no-show-model-warnings",
            "--no-show-release-notes", "--map-tokens", "0",
        ]
    }

    /// Starts real Aider in window 6 (`aider`); `waitForAiderIdle()` then waits for its prompt.
    func startAider(extraArguments: [String] = []) throws {
        // LITELLM_LOCAL_MODEL_COST_MAP: litellm reads its bundled price list instead of fetching it.
        try newWindow(
            index: 6, name: "aider",
            environment: ["LITELLM_LOCAL_MODEL_COST_MAP": "True", "AIDER_ANALYTICS": "false"],
            command: aiderArguments + extraArguments)
    }

    // MARK: Screens

    /// The exact target of a window of the rig's session (`"5"` or `"codex"`).
    func target(_ window: String) -> String { "=\(session):\(window)" }

    /// `capture-pane -p` (with `escapes`, `-p -e`) of the window's pane.
    func capture(_ window: String, escapes: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", target(window)])) ?? ""
    }

    /// `display-message -p` of a format for the window's pane (`#{cursor_x}`, `#{window_activity}`, …).
    func display(_ window: String, _ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", target(window), format])) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func cursor(_ window: String) -> (x: Int, y: Int) {
        let parts = display(window, "#{cursor_x} #{cursor_y}").split(separator: " ").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (-1, -1)
    }

    func paneID(_ window: String) -> String { display(window, "#{pane_id}") }

    /// Keeps the screen a test met (plain and with escapes) under `.build/real-agents/screens/`,
    /// to be reviewed and copied into `Fixtures/real-screens/`.
    func saveScreen(_ window: String, as name: String) throws {
        let folder = Self.repoRoot.appendingPathComponent(".build/real-agents/screens").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try capture(window).write(toFile: folder + "/\(name).txt", atomically: true, encoding: .utf8)
        try capture(window, escapes: true).write(toFile: folder + "/\(name).esc.txt", atomically: true, encoding: .utf8)
    }

    /// Types text literally (`send-keys -l`), without Enter.
    func type(_ window: String, _ text: String) throws {
        _ = try tmux(["send-keys", "-t", target(window), "-l", "--", text])
    }

    func press(_ window: String, _ keys: String...) throws {
        _ = try tmux(["send-keys", "-t", target(window)] + keys)
    }

    /// Types text, waits until the screen shows it (Codex swallows an Enter that follows text
    /// too closely, and a loaded machine can take seconds to draw it), presses Enter, and presses
    /// it again while the fake LLM got nothing and the typed text still sits in the composer.
    func submit(_ window: String, _ text: String) throws {
        let squeezed = { (screen: String) in screen.filter { !$0.isWhitespace } }
        let tail = String(squeezed(text).suffix(24))
        let before = requests().count
        try type(window, text)
        try waitFor("window \(window) shows the typed text \(tail.debugDescription)", timeout: .seconds(20)) {
            try checkAlive(window)
            return squeezed(capture(window)).contains(tail)
        }
        for attempt in 1...3 {
            try press(window, "Enter")
            let taken = { self.requests().count > before || !squeezed(self.composer(window)).contains(tail) }
            if (try? waitFor("the Enter was taken", timeout: .seconds(5), taken)) != nil { return }
            if attempt == 3 { throw RigError("three Enters did not submit the text in window \(window):\n\(capture(window))") }
        }
    }

    /// Codex's composer: from its last `› ` line down (the prompts above it are history).
    func composer(_ window: String) -> String {
        let lines = capture(window).split(separator: "\n", omittingEmptySubsequences: false)
        let start = lines.lastIndex { $0.hasPrefix("› ") } ?? lines.startIndex
        return lines[start...].joined(separator: "\n")
    }

    /// Codex shows its composer (`› …`) above the footer `  fake-model … · CWD`, with no turn running.
    static func codexIsIdle(_ screen: String) -> Bool {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        guard let footer = lines.lastIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
            lines[footer].hasPrefix("  fake-model"), lines[footer].contains(" · ")
        else { return false }
        let above = lines[max(0, footer - 4)..<footer]
        return above.contains { $0.hasPrefix("› ") } && !screen.contains("esc to interrupt")
            && !screen.contains("Would you like to run")
    }

    /// Aider's last non-blank line is its prompt, `> ` (or `diff> `, … for another edit format).
    static func aiderIsIdle(_ screen: String) -> Bool {
        guard let last = screen.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return false
        }
        let line = last.trimmingCharacters(in: .whitespaces)
        return line == ">" || (line.hasSuffix(">") && line.dropLast().allSatisfy { $0.isLetter || $0 == "-" })
    }

    func waitForCodexIdle(timeout: Duration = .seconds(30)) throws {
        try waitFor("codex shows its idle prompt\n\(lastScreen("5"))", timeout: timeout) {
            try checkAlive("5")
            return Self.codexIsIdle(capture("5"))
        }
    }

    func waitForAiderIdle(timeout: Duration = .seconds(30)) throws {
        try waitFor("aider shows its idle prompt\n\(lastScreen("6"))", timeout: timeout) {
            try checkAlive("6")
            return Self.aiderIsIdle(capture("6"))
        }
    }

    /// Waits until the window's screen contains `text`.
    func waitForScreen(_ window: String, containing text: String, timeout: Duration = .seconds(30)) throws {
        try waitFor("window \(window) shows \(text.debugDescription)", timeout: timeout) {
            try checkAlive(window)
            return capture(window).contains(text)
        }
    }

    private func lastScreen(_ window: String) -> String { "(see `capture(\"\(window)\")`)" }

    private func checkAlive(_ window: String) throws {
        if display(window, "#{pane_dead}") == "1" {
            throw RigError("the program in window \(window) exited:\n\(capture(window))")
        }
    }

    // MARK: What the fake server, notify and hooks saw

    /// The fake server's log, one entry per request, in the order the responses ended.
    func requests() -> [FakeLLMRequest] {
        guard let data = FileManager.default.contents(atPath: llmLogPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
            return FakeLLMRequest(object)
        }
    }

    /// Waits until `count` model requests (api responses or chat; not /models) have ended.
    @discardableResult
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(30)) throws -> [FakeLLMRequest] {
        let model = { self.requests().filter { $0.api == "responses" || $0.api == "chat" } }
        do {
            try waitFor("\(count) requests at the fake LLM server", timeout: timeout) { model().count >= count }
        } catch {
            let seen = model().map { "\($0.kind): \($0.userText.prefix(60))" }
            let screens = [options.codex ? "5" : nil, options.aider ? "6" : nil].compactMap { $0 }
                .map { "window \($0):\n\(capture($0))" }.joined(separator: "\n")
            throw RigError("\(error); it got \(seen.count): \(seen)\n\(screens)")
        }
        return model()
    }

    /// What Codex's `notify` program got: (wall ms, TMUX_PANE, the JSON payload).
    func notifications() -> [(wallMs: Int64, pane: String, payload: [String: Any])] {
        lines(of: notifyLogPath).compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let ms = Int64(fields[0]),
                let payload = try? JSONSerialization.jsonObject(with: Data(fields[2].utf8)) as? [String: Any]
            else { return nil }
            return (ms, fields[1], payload)
        }
    }

    /// The hooks Codex ran (with `codexHooks`): (wall ms, event, TMUX_PANE, the JSON payload).
    func hookEvents() -> [(wallMs: Int64, event: String, pane: String, payload: [String: Any])] {
        lines(of: hooksLogPath).compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let ms = Int64(fields[0]) else { return nil }
            let payload = (try? JSONSerialization.jsonObject(with: Data(fields[3].utf8)) as? [String: Any]) ?? [:]
            return (ms, fields[1], fields[2], payload)
        }
    }

    // MARK: orch and tmux

    /// Runs the real `orch` binary against the rig's tmux server, with its own XDG_STATE_HOME.
    func orch(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        var merged = ["XDG_STATE_HOME": stateHome]
        for (key, value) in environment { merged[key] = value }
        return try TestServer.run(TestServer.orchPath, ["-L", socketName] + arguments, stdin: stdin, environment: merged)
    }

    /// Runs `tmux -L <socket> …`; throws when tmux fails.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let result = try Self.run("/usr/bin/env", ["tmux", "-L", socketName] + arguments, environment: tmuxEnvironment, replace: true)
        if result.status != 0 { throw RigError("tmux \(arguments.joined(separator: " ")): \(result.err)") }
        return result.out
    }

    /// Runs a program to its end. With `replace`, `environment` is the whole environment.
    ///
    /// posix_spawn and waitpid, not Foundation's Process: on Linux `Process.waitUntilExit()` was seen
    /// to hang for good on a `tmux new-session -d` client that had exited (a zombie never reaped).
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:], replace: Bool = false) throws -> (status: Int32, out: String, err: String) {
        var env = replace ? [:] : ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")
        for (key, value) in environment { env[key] = value }
        let out = try PosixPipe(), err = try PosixPipe()
        let pid = try spawn(program, arguments, environment: env, stdout: out.writeEnd, stderr: err.writeEnd)
        out.closeWrite()
        err.closeWrite()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.readAll()
            group.leave()
        }
        let outData = out.readAll()
        group.wait()
        let status = waitForExit(pid)
        return (status, String(decoding: outData, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
    }

    /// Starts a program (stdin /dev/null, stdout and stderr to the given descriptors); returns its pid.
    static func spawn(_ program: String, _ arguments: [String], environment: [String: String], stdout: Int32, stderr: Int32) throws -> pid_t {
        #if canImport(Glibc)
            var actions = posix_spawn_file_actions_t()
        #else
            var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        orch_spawn_close_from(&actions, 3)  // no other test's pipe lives on in this child (Spawner)
        // The test runner's threads block most signals, and a spawned child inherits that mask:
        // fake_llm.py then ignored SIGTERM, and the tmux server (so the agents) got it too. Reset
        // the mask and every signal's disposition in the child.
        #if canImport(Glibc)
            var attributes = posix_spawnattr_t()
        #else
            var attributes: posix_spawnattr_t?
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        if result != 0 { throw RigError("cannot start \(program): \(String(cString: strerror(result)))") }
        return pid
    }

    /// waitpid until the child ends; its exit status (128 + signal when killed).
    static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    // MARK: Little helpers

    private func write(_ text: String, to path: String, executable: Bool = false) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
    }

    private func tomlString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func text(of path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    private func lines(of path: String) -> [String] {
        text(of: path).split(separator: "\n").map(String.init)
    }
}

/// One request the fake LLM server answered (a line of its log).
struct FakeLLMRequest: Sendable {
    var seq: Int
    /// `responses` (Codex), `chat` (Aider), `models`, `other`.
    var api: String
    /// `text`, `call`, `followup` (the text after a tool call), `edit`, `error`, `models`, `other`.
    var kind: String
    var userText: String
    var replyText: String
    var status: Int
    /// The shell command of a `call` reply.
    var call: String?
    var startWallMs: Int64
    var endWallMs: Int64
    var firstByteWallMs: Int64?
    /// CLOCK_BOOTTIME milliseconds (what Swift's ContinuousClock counts on Linux).
    var startBootMs: Int64
    var endBootMs: Int64
    var startMonoMs: Int64
    var endMonoMs: Int64
    /// `[mcp=…]` turns: the output of each MCP tool call Codex made so far in the turn.
    var toolOutputs: [String]
    /// The tool names the request offered.
    var tools: [String]

    init?(_ object: [String: Any]) {
        func int(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
        guard let api = object["api"] as? String, let seq = int("seq") else { return nil }
        self.seq = Int(seq)
        self.api = api
        kind = object["kind"] as? String ?? ""
        userText = object["user_text"] as? String ?? ""
        replyText = object["reply_text"] as? String ?? ""
        status = Int(int("status") ?? 0)
        call = object["call"] as? String
        startWallMs = int("start_wall_ms") ?? 0
        endWallMs = int("end_wall_ms") ?? 0
        firstByteWallMs = int("first_byte_wall_ms")
        startBootMs = int("start_boot_ms") ?? 0
        endBootMs = int("end_boot_ms") ?? 0
        startMonoMs = int("start_mono_ms") ?? 0
        endMonoMs = int("end_mono_ms") ?? 0
        toolOutputs = object["tool_outputs"] as? [String] ?? []
        tools = (object["tools"] as? [Any] ?? []).map { "\($0)" }
    }

    /// The reply lines fake_llm.py writes for a prompt: `reply i to: <first six words>`.
    static func expectedReply(to prompt: String, lines: Int = 1) -> String {
        let stripped = prompt.replacingOccurrences(of: #"\[(delay|stream|lines|call|edit|error|mcp)=[^\]]*\]"#, with: " ", options: .regularExpression)
        let words = stripped.split(whereSeparator: { $0.isWhitespace }).prefix(6).joined(separator: " ")
        let shown = words.isEmpty ? "(no words)" : words
        return (1...max(1, lines)).map { "reply \($0) to: \(shown)" }.joined(separator: "\n")
    }
}

/// A pipe whose ends are close-on-exec (so no other child keeps it open); `readAll()` reads to EOF.
final class PosixPipe: @unchecked Sendable {
    let readEnd: Int32
    let writeEnd: Int32
    private var writeOpen = true

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw RigError("pipe: \(String(cString: strerror(errno)))") }
        readEnd = fds[0]
        writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    func closeWrite() {
        if writeOpen { close(writeEnd) }
        writeOpen = false
    }

    func readAll() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return data
    }

    deinit {
        closeWrite()
        close(readEnd)
    }
}

struct RigError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

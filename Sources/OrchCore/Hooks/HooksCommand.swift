/// `orch hooks install|uninstall|status [CLI] [--dry-run] [--chain]`: the words after `orch`.
public enum HooksCommand {
    /// Runs it, printing to `print`/`printError`; the exit status. `environment`: where
    /// `HOME`, `CODEX_HOME`… are read (a test passes its own rather than `setenv`, which races
    /// with every process another test starts).
    public static func run(_ words: [String], orchPath: String = FileSystem.executablePath(), stateDirectory: String = OrchPaths.stateDirectory, environment: @escaping @Sendable (String) -> String? = FileSystem.environment, print: (String) -> Void, printError: (String) -> Void) -> Int32 {
        let usage = "usage: orch hooks install|uninstall|status [codex|claude|gemini|agy] [--dry-run] [--chain]"
        var rest = words
        let dryRun = rest.contains("--dry-run")
        let chain = rest.contains("--chain")
        rest.removeAll { $0 == "--dry-run" || $0 == "--chain" }
        if let unknown = rest.first(where: { $0.hasPrefix("-") }) {
            printError("orch hooks: unknown option '\(unknown)'\n" + usage)
            return 2
        }
        guard let action = rest.first, ["install", "uninstall", "status"].contains(action) else {
            printError(usage)
            return 2
        }
        let named = rest.dropFirst().first
        if let named, HookCLI(rawValue: named) == nil {
            printError("orch hooks: unknown CLI '\(named)' (codex, claude, gemini, agy)")
            return 2
        }
        if action == "status" {
            for cli in named.flatMap(HookCLI.init).map({ [$0] }) ?? HookCLI.allCases {
                let installer = HookInstaller(cli: cli, orchPath: orchPath, environment: environment)
                let text = FileSystem.readText(installer.configPath).successValue
                let installed = text.map(installer.isInstalled) ?? false
                print("\(cli.rawValue.padding(to: 8))\(installed ? "installed" : "not installed")  \(installer.configPath)")
            }
            for line in lastEvents(stateDirectory: stateDirectory) { print(line) }
            return 0
        }
        guard let name = named, let cli = HookCLI(rawValue: name) else {
            printError("orch hooks \(action): which CLI? (codex, claude, gemini, agy)")
            return 2
        }
        let installer = HookInstaller(cli: cli, orchPath: orchPath, environment: environment)
        let result = action == "install" ? installer.install(chain: chain, dryRun: dryRun) : installer.uninstall(dryRun: dryRun)
        switch result {
        case .success(let message):
            print(message)
            return 0
        case .failure(let failure):
            printError("orch hooks \(action) \(name): \(failure)")
            return 1
        }
    }

    /// The last hook event recorded per agent, in every session's turn logs of live servers.
    static func lastEvents(stateDirectory: String) -> [String] {
        var lines: [String] = []
        for session in FileSystem.list(stateDirectory) where FileSystem.isDirectory(stateDirectory + "/" + session) {
            for file in FileSystem.list(stateDirectory + "/" + session) where file.hasPrefix("turns-") && file.hasSuffix(".jsonl") {
                guard let pid = Int32(file.dropFirst(6).dropLast(6)) else { continue }
                let log = TurnLog(session: session, server: pid, directory: stateDirectory)
                var last: [String: TurnRecord] = [:]
                for record in log.records() where record.source == "hook" { last[record.agent] = record }
                for (agent, record) in last.sorted(by: { $0.key < $1.key }) {
                    lines.append("  \(session): \(agent) \(record.state?.rawValue ?? "?") at \(NoticeFormatter.clock(record.timeMs / 1000)) · \(record.evidence ?? "")")
                }
            }
        }
        return lines.isEmpty ? [] : ["last hook events:"] + lines
    }
}

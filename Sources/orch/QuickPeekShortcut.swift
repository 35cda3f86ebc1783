import OrchCore

/// `orch [-L NAME | -S PATH | -s SESSION]… peek NAME [N]` before ArgumentParser and the
/// interpreter start (see `QuickPeek`): a quick look costs about one tmux call. Any other option,
/// a config file, or a peek the shortcut cannot answer alone goes the normal way.
enum QuickPeekShortcut {
    static func run(_ arguments: [String]) -> Bool {
        var socketName: String?
        var socketPath: String?
        var session = FileSystem.environment("ORCH_SESSION").flatMap { $0.isEmpty ? nil : $0 }
        var rest = arguments[...]
        while let option = rest.first, option.hasPrefix("-") {
            guard rest.count >= 2 else { return false }
            let value = rest[rest.startIndex + 1]
            switch option {
            case "-L", "--socket-name": socketName = value
            case "-S", "--socket-path": socketPath = value
            case "-s", "--session": session = value
            default: return false
            }
            rest = rest.dropFirst(2)
        }
        guard rest.first == "peek", socketName == nil || socketPath == nil, !FileSystem.exists(OrchPaths.initFile) else { return false }
        return QuickPeek.run(
            words: Array(rest), endpoint: TmuxEndpoint(socketName: socketName, socketPath: socketPath),
            session: session, output: StandardOutput())
    }
}

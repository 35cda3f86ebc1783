/// Where orch keeps its files, following the XDG base directory conventions.
public enum OrchPaths {
    /// `$XDG_CONFIG_HOME/orch/init.orch`, default `~/.config/orch/init.orch`.
    public static var initFile: String { configHome + "/orch/init.orch" }

    /// `$XDG_STATE_HOME/orch`, default `~/.local/state/orch` (history, queue, journal).
    public static var stateDirectory: String { stateHome + "/orch" }

    /// The REPL history file; its folder is created 0700 on first use.
    public static var historyFile: String {
        FileSystem.makeDirectories(stateDirectory)
        return stateDirectory + "/history"
    }

    static var home: String { FileSystem.environment("HOME") ?? "." }

    static var configHome: String {
        FileSystem.environment("XDG_CONFIG_HOME").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
    }

    static var stateHome: String {
        FileSystem.environment("XDG_STATE_HOME").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.local/state"
    }
}

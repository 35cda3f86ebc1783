#if canImport(Glibc)
import Glibc
#endif

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

    /// `DIRECTORY/<session>/NAME`, the session's folder created 0700 (journal, queue); the
    /// session name is made one safe path component.
    public static func sessionFile(_ name: String, session: String, directory: String = stateDirectory) -> String {
        let cleaned = String(session.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        let folder = directory + "/" + (cleaned.isEmpty || cleaned.hasPrefix(".") ? "_" + cleaned : cleaned)
        FileSystem.makeDirectories(folder)
        return folder + "/" + name
    }

    /// `$HOME`, else the password database's home (never the current folder: with HOME unset,
    /// history, queue and journal used to land wherever orch was started), each only if it is
    /// an existing folder (`HOME=/nonexistent`, as services set it, must not be created); else
    /// a folder of this user's in /tmp.
    static var home: String {
        if let home = FileSystem.environment("HOME"), home.hasPrefix("/"), FileSystem.isDirectory(home) { return home }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir {
            let home = String(cString: dir)
            if home.hasPrefix("/"), FileSystem.isDirectory(home) { return home }
        }
        return "/tmp/orch-home-\(getuid())"
    }

    static var configHome: String {
        FileSystem.environment("XDG_CONFIG_HOME").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
    }

    static var stateHome: String {
        FileSystem.environment("XDG_STATE_HOME").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.local/state"
    }
}

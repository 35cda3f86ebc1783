#if canImport(Glibc)
import Glibc
#endif

/// A tmux server on another machine, reached by ssh (docs/language.md, "Agents on other
/// hosts"): `host NAME … ssh SSH-ARGS…`, the user's ssh words with the destination last.
///
/// Every tmux command for it is one `ssh … -- 'tmux' '-u' …` whose words are quoted for the
/// remote shell; nothing of a prompt's text is ever among them (`TmuxClient.typeLiteral` and
/// `paste` send it on ssh's standard input, `load-buffer -`). All of a host's ssh processes
/// share one master connection (ControlMaster, its socket in a private folder), so a command
/// costs a round trip, not a handshake.
public struct RemoteHost: Sendable, Hashable {
    public var name: String
    public var sshArguments: [String]

    public init(name: String, sshArguments: [String]) {
        self.name = name
        self.sshArguments = sshArguments
    }

    /// How long ssh may take to connect before the host counts as unreachable.
    static let connectTimeout = 5

    /// The master connection's socket: short (a Unix socket path has ~100 bytes), private, and
    /// named by ssh from the destination (`%C`), so one-shot commands of any orch process reuse
    /// the connection the REPL opened.
    static var controlPath: String { "\(controlDirectory)/%C" }

    /// `/tmp/orch-ssh-UID`, created 0700 (once per process).
    static let controlDirectory: String = {
        let folder = "/tmp/orch-ssh-\(getuid())"
        _ = mkdir(folder, 0o700)
        return folder
    }()

    /// The shared master connection, if its folder can be trusted: another user could have
    /// made it first, to put a master socket of their own there (it would see every command),
    /// so it is used only if it is a real folder, ours, that nobody else can enter; else
    /// every command has a connection of its own. Checked once per process.
    static let masterOptions: [String] = {
        var info = stat()
        let safe = lstat(controlDirectory, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == getuid() && info.st_mode & 0o077 == 0
        return safe
            ? ["-o", "ControlMaster=auto", "-o", "ControlPath=\(controlPath)", "-o", "ControlPersist=60"]
            : ["-o", "ControlMaster=no", "-o", "ControlPath=none"]
    }()

    /// ssh's options, before the user's words (ssh keeps the first value it is given, so
    /// these cannot be undone by accident): never a password or host-key question
    /// (BatchMode: the REPL must not hang on a prompt nobody sees), a bounded connect, a dead
    /// connection noticed within 15 s, and the shared master connection.
    var sshOptions: [String] {
        [
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(Self.connectTimeout)",
            "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3",
        ] + Self.masterOptions
    }

    /// The ssh argument vector that runs `remote` (a command and its words) on the host.
    /// `-T`: no terminal (control mode reads its commands from standard input).
    func sshArguments(running remote: [String]) -> [String] {
        ["-T"] + sshOptions + sshArguments + ["--", remote.map(Self.shellQuote).joined(separator: " ")]
    }

    /// `word` as one word for a POSIX shell: in single quotes, each `'` as `'\''`.
    public static func shellQuote(_ word: String) -> String {
        "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}

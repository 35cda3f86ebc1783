/// A failure the interpreter reports to the user, with where in the source it happened.
public struct OrchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The command could not do its job: tmux gone, unknown agent, timeout (exit status 1).
        case runtime
        /// The input was not valid orch: syntax or usage (exit status 2).
        case usage
        /// Ctrl-C stopped it (exit status 130, as shells report SIGINT).
        case interrupted
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, kind: Kind = .runtime, at location: SourceLocation? = nil) {
        self.message = message
        self.kind = kind
        self.location = location
    }

    public init(_ diagnostic: Diagnostic) {
        self.init(diagnostic.message, kind: .usage, at: diagnostic.location)
    }

    public init(_ error: TmuxError, at location: SourceLocation?) {
        self.init(error.description, kind: .runtime, at: location)
    }

    /// 1 for a runtime failure, 2 for a usage or syntax error (docs/language.md, "Exit status").
    public var exitStatus: Int32 {
        switch kind {
        case .runtime: 1
        case .usage: 2
        case .interrupted: 130
        }
    }

    /// A command stopped by Ctrl-C.
    public static func interrupted(at location: SourceLocation?) -> OrchError {
        OrchError("interrupted", kind: .interrupted, at: location)
    }

    /// `FILE:LINE:COL: error: message`, or `error: message` when there is no useful position.
    public var description: String {
        if let location, !location.file.hasPrefix("<") || location.file == "<stdin>" {
            return "\(location): error: \(message)"
        }
        return "error: \(message)"
    }
}

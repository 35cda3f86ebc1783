/// What `help` shows about one command of the language.
public struct CommandHelp: Sendable, Hashable {
    /// The word that starts the command (`send`).
    public var name: String
    /// Other words for the same command (`quit` for `exit`).
    public var aliases: [String]
    /// The usage, one form per line (`queue list` and `queue rm ID` are separate lines of `queue`).
    public var syntax: String
    /// One line saying what it does.
    public var summary: String
    /// The rules a user needs beyond the summary: defaults, options, errors.
    public var details: String
    /// A real use, valid orch source (it may span lines).
    public var example: String

    public init(
        name: String, aliases: [String] = [], syntax: String, summary: String, details: String, example: String
    ) {
        self.name = name
        self.aliases = aliases
        self.syntax = syntax
        self.summary = summary
        self.details = details
        self.example = example
    }
}

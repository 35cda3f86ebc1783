import OrchCore
import Testing

@Suite("Command catalog")
struct CommandCatalogTests {
    @Test func namesAndAliasesAreUnique() {
        let words = CommandCatalog.all.flatMap { [$0.name] + $0.aliases }
        #expect(Set(words).count == words.count)
        #expect(
            Set(words) == [
                "session", "agent", "host", "agents", "status", "send", "enter", "key", "peek", "wait", "queue", "dispatch",
                "loop",
                "break", "sleep", "echo", "watch", "set", "pattern", "log", "reply", "source", "help", "exit", "quit",
            ])
    }

    @Test func namedFindsAliases() {
        #expect(CommandCatalog.named("send")?.name == "send")
        #expect(CommandCatalog.named("quit")?.name == "exit")
        #expect(CommandCatalog.named("exit")?.aliases == ["quit"])
        #expect(CommandCatalog.named("peak") == nil)
    }

    @Test(arguments: CommandCatalog.all)
    func entryIsComplete(_ entry: CommandHelp) {
        #expect(!entry.summary.isEmpty && !entry.summary.contains("\n"))
        #expect(!entry.details.isEmpty)
        // Every usage line starts with the command's own name.
        for line in entry.syntax.split(separator: "\n") {
            #expect(line.hasPrefix(entry.name), "\(line)")
        }
    }

    /// The examples are what users copy: each must be valid orch and use its own command.
    @Test(arguments: CommandCatalog.all)
    func exampleParses(_ entry: CommandHelp) throws {
        let commands = try Parser.parse(source: entry.example, file: "<example>")
        let first = try #require(commands.first)
        #expect(first.location.column == 1)
        #expect(entry.example.contains(entry.name))
    }

    /// The parser knows every catalog word: alone, none is an unknown command.
    @Test(arguments: CommandCatalog.all.flatMap { [$0.name] + $0.aliases })
    func parserKnowsEveryCommand(_ name: String) {
        do {
            _ = try Parser.parse(source: name, file: "<test>")
        } catch {
            #expect(!error.message.hasPrefix("unknown command"), "\(error)")
        }
    }

    @Test(arguments: [
        ("peak", "peek"),
        ("sned", "send"),
        ("stauts", "status"),
        ("agnet", "agent"),
        ("agent", "agent"),
        ("agentss", "agents"),
        ("quti", "quit"),
        ("Send", "send"),
        ("ech", "echo"),
        ("dispath", "dispatch"),
        ("wiat", "wait"),
        ("lo", "log"),
    ])
    func suggestion(word: String, expected: String) {
        #expect(CommandCatalog.suggestion(for: word) == expected)
    }

    @Test(arguments: ["x", "zz", "frobnicate", "", "deploy", "waiting-for", "foo"])
    func noSuggestionWhenNothingIsClose(word: String) {
        #expect(CommandCatalog.suggestion(for: word) == nil)
    }
}

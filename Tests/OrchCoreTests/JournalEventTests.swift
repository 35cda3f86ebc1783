import OrchCore
import Testing

/// Every kind of journal entry reads back as what was written, through the journal file.
struct JournalEventTests {
    static let all: [JournalEvent] = [
        .sendTyping(agent: "amp", text: "a \"quoted\"\nprompt; -x café"),
        .sendOutcome(agent: "amp", outcome: "submitted", enters: 1, seen: "⏺ working"),
        .sendOutcome(agent: "codex", outcome: "unverified", enters: 0, seen: nil),
        .key(agent: "amp", keys: ["C-c", "Enter"]),
        .queued(id: 3, target: "any", text: "write the changelog"),
        .queueRemoved(id: 3), .queueRetried(id: 4), .queueCleared(removed: 2),
        .queueRecovered(id: 5, agent: "amp", outcome: "submitted"),
        .state(agent: "amp", from: .working, to: .done, source: "screen", evidence: "✻ Brewed for 3s"),
        .state(agent: "amp", from: .idle, to: .unknown, source: "hook", evidence: nil),
        .hookError(agent: "codex", cli: "codex", error: "no payload", payload: nil),
        .hookError(agent: "codex", cli: "codex", error: "bad JSON", payload: "{"),
    ]

    @Test func everyKindReadsBackAsWritten() throws {
        let journal = Journal(session: "s", directory: "/tmp/orch-journal-events-\(UInt32.random(in: 0...UInt32.max))")
        for event in Self.all { #expect(journal.append(event) == nil) }
        let read = journal.tail(100).compactMap(JSONValue.parse).compactMap(JournalEvent.init)
        #expect(read == Self.all)
    }

    @Test func aKindThisVersionDoesNotKnowIsKeptByName() throws {
        let entry = try #require(JSONValue.parse(#"{"time_ms":1,"event":"future-thing","x":1}"#))
        #expect(JournalEvent(entry) == .unknown(name: "future-thing"))
        #expect(JournalEvent(try #require(JSONValue.parse(#"{"time_ms":1}"#))) == nil)
    }
}

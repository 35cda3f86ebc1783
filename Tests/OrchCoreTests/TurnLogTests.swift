import Foundation
import OrchCore
import Testing

/// The shared turn log: what several orch processes agree on through one file.
@Suite struct TurnLogTests {
    let folder = NSTemporaryDirectory() + "orch-turnlog-\(UInt32.random(in: 0...UInt32.max))"

    func log(compactAt: Int = 64 * 1024) -> TurnLog {
        TurnLog(session: "s", server: getpid(), directory: folder, compactAt: compactAt)
    }

    @Test func aTurnOpensAndEndsOnce() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let turns = log()
        let open = try turns.openTurn(pane: "%5", agent: "codex", by: "test", marker: "fix the tests").get()
        #expect(turns.histories()["%5"]?.isTurnOpen == true)
        #expect(turns.histories()["%5"]?.turn?.marker == "fix the tests")
        // Two watchers see the end: only the first records it (and journals it).
        #expect(turns.record(pane: "%5", agent: "codex", state: .done, source: "screen", evidence: "x") != nil)
        #expect(turns.record(pane: "%5", agent: "codex", state: .done, source: "screen", evidence: "x") == nil)
        let history = try #require(turns.histories()["%5"])
        #expect(!history.isTurnOpen)
        #expect(history.end?.turn == open.turn)
        // The next send is a new turn with a higher number.
        let next = try turns.openTurn(pane: "%5", agent: "codex", by: "test", marker: nil).get()
        #expect(next.turn == open.turn + 1)
        #expect(turns.histories()["%5"]?.isTurnOpen == true)
    }

    @Test func aCancelledTurnNeverStarted() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let turns = log()
        let open = try turns.openTurn(pane: "%2", agent: "amp", by: "test", marker: nil).get()
        turns.cancel(open)
        #expect(turns.histories()["%2"]?.turn == nil)
    }

    @Test func theFileIsPrivateAndStaysSmall() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let turns = log(compactAt: 4096)
        for round in 0..<300 {
            _ = try turns.openTurn(pane: "%\(round % 3)", agent: "a\(round % 3)", by: "test", marker: "prompt \(round)").get()
            turns.record(pane: "%\(round % 3)", agent: "a\(round % 3)", state: .done, source: "screen", evidence: "round \(round)")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: turns.path)
        #expect((attributes[.size] as? Int ?? 0) < 8192)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Compaction keeps what decides each pane's state, and turn numbers keep growing.
        let histories = turns.histories()
        #expect(histories["%2"]?.end?.evidence == "round 299")
        #expect(histories["%1"]?.turn?.marker == "prompt 298")
        #expect(try turns.openTurn(pane: "%0", agent: "a0", by: "test", marker: nil).get().turn == 301)
    }

    @Test func aSecondProcessSeesTheFirstOnesTurn() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Another process's records (another pid) are read the same way.
        let turns = log()
        _ = try turns.openTurn(pane: "%1", agent: "claude", by: "test", marker: nil).get()
        var tracker = StateTracker(at: .now, quiet: .seconds(1))
        tracker.seed(from: try #require(turns.histories()["%1"]), at: .now, wallNowMs: Int(Date().timeIntervalSince1970 * 1000))
        #expect(tracker.state == .working)
        #expect(tracker.isTurnOpen)
        let end = TurnRecord(kind: .state, turn: 1, pane: "%1", agent: "claude", timeMs: Int(Date().timeIntervalSince1970 * 1000), pid: 1, state: .done, source: "hook", evidence: "Stop", reply: "All tests pass.")
        let changeChange = tracker.apply(end, at: .now, wallNowMs: end.timeMs)
        let change = try #require(changeChange)
        #expect(change.to == .done)
        #expect(change.source == "hook")
        #expect(tracker.reply == "All tests pass.")
    }

    @Test func evidenceOfAnotherTurnEndsNothingAndIdlePromptKeepsDone() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let turns = log()
        let first = try turns.openTurn(pane: "%3", agent: "claude", by: "test", marker: nil).get()
        let second = try turns.openTurn(pane: "%3", agent: "claude", by: "test", marker: nil).get()
        #expect(turns.record(pane: "%3", agent: "claude", state: .done, source: "screen", evidence: "old", turn: first.turn) == nil)
        #expect(turns.histories()["%3"]?.isTurnOpen == true)
        #expect(turns.record(pane: "%3", agent: "claude", state: .done, source: "screen", evidence: "new", turn: second.turn) != nil)
        // An idle_prompt notification after the turn does not undo `done`.
        #expect(turns.record(pane: "%3", agent: "claude", state: .idle, source: "hook", evidence: "idle") == nil)
        #expect(turns.histories()["%3"]?.state?.state == .done)
    }

    @Test func aCancelledSendGivesBackThePreviousState() {
        var tracker = StateTracker(at: .now)
        _ = tracker.observe(ScreenReading(state: .idle), at: .now, wallTime: 0)
        _ = tracker.noteSend(at: .now, wallTime: 0)
        let cancel = TurnRecord(kind: .cancel, turn: 1, pane: "%1", agent: "a", timeMs: 0)
        let change = tracker.apply(cancel, at: .now, wallNowMs: 0)
        #expect(change?.to == .idle)
        #expect(!tracker.isTurnOpen)
    }
}

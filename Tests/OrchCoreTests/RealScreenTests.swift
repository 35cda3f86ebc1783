import Foundation
import OrchCore
import Testing

/// Screens of real Codex 0.147 and Aider 0.86 captured while orch drove them
/// (`Fixtures/real-screens/`, README there). Each has two truths: what the screen alone says
/// (the classifier), and what the agent was really doing, which needs the turn and the pane's
/// activity (the tracker). Several of these were misread before turns existed.
@Suite("Real CLI screens")
struct RealScreenTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-screens", isDirectory: true)

    static func screen(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let data = try #require(FileManager.default.contents(atPath: path), "missing fixture \(name)")
        return String(decoding: data, as: UTF8.self)
    }

    /// (file, profile, what the screen alone says, whether it is text typed and not submitted).
    /// Read as during a turn (indicators above the turn's prompt echo are an older turn's),
    /// except where `noTurn` lists the file.
    static let screenOnly: [(String, String, AgentState, Bool)] = [
        ("codex-idle-1.esc.txt", "codex", .idle, false),
        ("codex-idle-2.esc.txt", "codex", .idle, false),
        ("codex-typed-1.esc.txt", "codex", .input, true),
        ("codex-typed-2.esc.txt", "codex", .input, true),
        ("codex-typed-3-filepopup.txt", "codex", .input, true),
        ("codex-working-1.esc.txt", "codex", .working, false),
        ("codex-working-2.esc.txt", "codex", .working, false),
        ("codex-working-3.esc.txt", "codex", .working, false),
        // Streaming: no indicator at all. The screen says idle; activity says working.
        ("codex-working-4.esc.txt", "codex", .idle, false),
        // Streaming under an old `Worked for` rule: the rule is above this turn's echo.
        ("codex-working-5.esc.txt", "codex", .idle, false),
        ("codex-working-6-queued.esc.txt", "codex", .working, false),
        ("codex-working-7-queued-during-stream.txt", "codex", .working, false),
        ("codex-working-8-running-cmd.esc.txt", "codex", .working, false),
        ("codex-input-1.esc.txt", "codex", .input, false),
        ("codex-input-2.esc.txt", "codex", .input, false),
        ("codex-done-1.esc.txt", "codex", .idle, false),
        ("codex-done-2.esc.txt", "codex", .idle, false),
        ("codex-done-3.esc.txt", "codex", .done, false),
        // Later text turns under an older turn's `Worked for`: read with no turn open, the old
        // done line is still the latest news (done); during a turn it is ignored (idle).
        ("codex-done-4-stale-workedfor.txt", "codex", .done, false),
        ("codex-premature-done-1.txt", "codex", .idle, false),
        ("codex-interrupted-1.txt", "codex", .idle, false),
        ("codex-onboarding-signin.txt", "codex", .input, false),
        ("codex-onboarding-trust.txt", "codex", .input, false),
        ("aider-idle-1.txt", "aider", .idle, false),
        ("aider-idle-diffprompt-1.txt", "aider", .idle, false),
        ("aider-idle-wholeprompt-1.txt", "aider", .idle, false),
        ("aider-input-1.txt", "aider", .input, false),
        ("aider-working-waiting-1.txt", "aider", .working, false),
        // Streaming its reply: no prompt, no indicator; activity says working.
        ("aider-working-1.txt", "aider", .unknown, false),
        ("aider-working-stream-1.txt", "aider", .unknown, false),
        // Just submitted: `> prompt` is still the last line (the screen cannot tell it from typed text).
        ("aider-working-justsubmitted-misread-input-1.txt", "aider", .input, true),
        ("aider-done-1.txt", "aider", .done, false),
        ("aider-done-2.txt", "aider", .done, false),
        ("aider-after-edit-1.txt", "aider", .done, false),
        ("aider-send-while-busy-1.txt", "aider", .done, false),
        // orch driving the CLIs in the live state tests (RealAgentConformanceTests):
        ("codex-working-13-beforetext-conformance.esc.txt", "codex", .working, false),
        ("codex-typed-5-conformance.esc.txt", "codex", .input, true),
        // `1. fix the footnote` / `2. run the tests` typed, not submitted: two numbered rows after
        // `›` with only Codex's `model · folder` footer under them read as a menu (known; send
        // stops before the Enter rather than risk answering a real one).
        ("codex-typed-6-numberedlist-misread-menu.esc.txt", "codex", .input, false),
        ("codex-interrupted-2-conformance.esc.txt", "codex", .idle, false),
        // Waiting for the first byte, `> prompt` still on the last line: alone, it reads as text
        // in the box; the live test's `status` said working (the turn record and the quiet rule).
        ("aider-working-6-beforetext-conformance.esc.txt", "aider", .input, true),
        ("aider-typed-3-conformance.esc.txt", "aider", .input, true),
        ("aider-interrupted-2-conformance.esc.txt", "aider", .idle, false),
        // `Create new file?` answered `y`, Aider still at work (applying, then asking the model for
        // a commit message): the `Tokens:` line above the answer is from before. orch once read it
        // as done here, 2 s before Aider's prompt came back.
        ("aider-working-7-afteranswer-committing.esc.txt", "aider", .working, false),
    ]

    @Test("each real screen reads as the screen alone says", arguments: screenOnly.map { $0.0 })
    func screenReading(file: String) throws {
        let (_, profileName, state, typed) = try #require(Self.screenOnly.first { $0.0 == file })
        let profile = try #require(AgentProfile.named(profileName))
        let reading = ScreenClassifier.classify(try Self.screen(file), profile: profile, turnOpen: !Self.noTurn.contains(file))
        #expect(reading.state == state, "\(file): \(reading)")
        #expect(reading.isUnsubmittedText == typed, "\(file): \(reading)")
    }

    /// Screens read with no turn open: the agent was idle or had finished.
    static let noTurn: Set<String> = ["codex-done-4-stale-workedfor.txt"]

    @Test("an old done line counts when no turn is open, never during one")
    func staleDoneLineOnlyDuringATurn() throws {
        let screen = try Self.screen("codex-done-4-stale-workedfor.txt")
        #expect(ScreenClassifier.classify(screen, profile: .codex).state == .done)
        #expect(ScreenClassifier.classify(screen, profile: .codex, turnOpen: true).state == .idle)
    }

    @Test("Codex's `@` file popup is seen, so an Enter is not pressed into it")
    func codexPopup() throws {
        let reading = ScreenClassifier.classify(try Self.screen("codex-typed-3-filepopup.txt"), profile: .codex)
        #expect(reading.popup?.contains("esc close") == true)
        #expect(reading.evidence == "› look at @READ")
    }

    // MARK: What the agent was really doing: screen + activity + turn

    let t0 = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { t0 + .milliseconds(ms) }

    /// A screen read during a turn, as the watcher reads it.
    func reading(_ file: String, _ profile: AgentProfile = .codex) throws -> ScreenReading {
        ScreenClassifier.classify(try Self.screen(file), profile: profile, turnOpen: true)
    }

    @Test("Codex streaming its reply with no indicator is working while it prints, done once quiet")
    func codexStreamingIsWorking() throws {
        var tracker = StateTracker(at: t0, quiet: .seconds(2))
        _ = tracker.observe(try reading("codex-idle-1.esc.txt"), at: at(0), wallTime: 0)
        _ = tracker.noteSend(at: at(100), wallTime: 0)
        _ = tracker.observe(try reading("codex-working-1.esc.txt"), at: at(400), wallTime: 0)
        // Text streams: the screen shows no status line, only output says it works.
        for ms in stride(from: 1000, through: 6000, by: 250) {
            tracker.noteOutput(at: at(ms))
            #expect(tracker.observe(try reading("codex-working-4.esc.txt"), at: at(ms + 20), wallTime: 0) == nil)
            #expect(tracker.state == .working)
        }
        // The stream ended at 6000: not done before `quiet` has passed…
        #expect(tracker.observe(try reading("codex-done-1.esc.txt"), at: at(6000 + 1900), wallTime: 0) == nil)
        // …and done right after, naming when it really ended.
        let doneChange = tracker.observe(try reading("codex-done-1.esc.txt"), at: at(6000 + 2000), wallTime: 0)
        let done = try #require(doneChange)
        #expect(done.to == .done)
        #expect(done.source == "activity")
        #expect(done.endedAgo == .milliseconds(2000))
    }

    @Test("an old `Worked for` rule never ends a later turn (codex-premature-done-1)")
    func staleWorkedFor() throws {
        var tracker = StateTracker(at: t0, quiet: .seconds(2))
        _ = tracker.noteSend(at: at(0), wallTime: 0)
        tracker.noteOutput(at: at(500))
        _ = tracker.observe(try reading("codex-working-1.esc.txt"), at: at(520), wallTime: 0)
        tracker.noteOutput(at: at(3000))
        #expect(tracker.observe(try reading("codex-premature-done-1.txt"), at: at(3020), wallTime: 0) == nil)
        #expect(tracker.observe(try reading("codex-working-5.esc.txt"), at: at(3500), wallTime: 0) == nil)
        #expect(tracker.state == .working)
    }

    @Test("Aider's `> prompt` left on the last line after Enter is this turn starting, not typed text")
    func aiderJustSubmitted() throws {
        var tracker = StateTracker(at: t0, quiet: AgentProfile.aider.quiet)
        _ = tracker.observe(try reading("aider-idle-1.txt", .aider), at: at(0), wallTime: 0)
        _ = tracker.noteSend(at: at(100), wallTime: 0)
        tracker.noteOutput(at: at(120))
        #expect(tracker.observe(try reading("aider-working-justsubmitted-misread-input-1.txt", .aider), at: at(400), wallTime: 0) == nil)
        #expect(tracker.state == .working)
        _ = tracker.observe(try reading("aider-working-waiting-1.txt", .aider), at: at(900), wallTime: 0)
        tracker.noteOutput(at: at(2000))
        _ = tracker.observe(try reading("aider-working-stream-1.txt", .aider), at: at(2020), wallTime: 0)
        #expect(tracker.state == .working)
        let doneChange = tracker.observe(try reading("aider-done-2.txt", .aider), at: at(2600), wallTime: 0)
        let done = try #require(doneChange)
        #expect(done.to == .done)
        #expect(done.evidence?.hasPrefix("Tokens: ") == true)
    }

    @Test("a program no profile reads (IPython, a shell) is followed by activity alone")
    func genericByActivity() throws {
        let ipython = "In [1]: print(1)\n1\n\nIn [2]: "
        let screen = ScreenClassifier.classify(ipython, profile: .generic)
        #expect(screen.state == .unknown)
        var tracker = StateTracker(at: t0, quiet: .seconds(2))
        #expect(tracker.observe(screen, at: at(0), wallTime: 0)?.to == .idle)
        _ = tracker.noteSend(at: at(100), wallTime: 0)
        tracker.noteOutput(at: at(150))
        #expect(tracker.observe(screen, at: at(200), wallTime: 0) == nil)
        #expect(tracker.state == .working)
        tracker.noteOutput(at: at(1500))
        #expect(tracker.observe(screen, at: at(3000), wallTime: 0) == nil)
        #expect(tracker.recheckAt(at(3000)) == at(3500))
        let doneChange = tracker.observe(screen, at: at(3500), wallTime: 0)
        let done = try #require(doneChange)
        #expect(done.to == .done)
        #expect(done.source == "activity")
        // Nothing sent since: it stays done, and a new send starts a new turn.
        #expect(tracker.observe(screen, at: at(9000), wallTime: 0) == nil)
    }
}

import OrchCore
import Testing

/// The tracker is pure: time is passed in, so these tests run without a clock.
@Suite struct StateTrackerTests {
    let t0 = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { t0 + .milliseconds(ms) }
    let working = ScreenReading(state: .working, evidence: "✳ Thinking…")
    let finished = ScreenReading(state: .done, evidence: "✻ Brewed for 0m 3s")
    let prompt = ScreenReading(state: .idle)

    @Test func emptyPromptWithNothingSentIsIdle() {
        var tracker = StateTracker(at: t0)
        let change = tracker.observe(prompt, at: at(0), wallTime: 0)
        #expect(change?.from == .unknown)
        #expect(tracker.state == .idle)
    }

    @Test func aTurnGoesWorkingThenDoneWithItsDuration() {
        var tracker = StateTracker(at: t0)
        _ = tracker.observe(prompt, at: at(0), wallTime: 0)
        #expect(tracker.noteSend(at: at(100), wallTime: 1)?.to == .working)
        // The old screen, read before the agent redrew, does not end the turn.
        #expect(tracker.observe(finished, at: at(150), wallTime: 1) == nil)
        #expect(tracker.state == .working)
        _ = tracker.observe(working, at: at(300), wallTime: 1)
        let done = tracker.observe(finished, at: at(4100), wallTime: 5)
        #expect(done?.to == .done)
        #expect(done?.workedFor == .seconds(4))
        #expect(done?.evidence == "✻ Brewed for 0m 3s")
    }

    @Test func emptyPromptAfterWorkIsDone() {
        var tracker = StateTracker(at: t0)
        _ = tracker.observe(working, at: at(0), wallTime: 0)
        let change = tracker.observe(prompt, at: at(5000), wallTime: 5)
        #expect(change?.to == .done)
        #expect(change?.evidence == "back at its prompt")
        // Nothing sent since: the same screen later stays done (it is not re-announced).
        #expect(tracker.observe(prompt, at: at(9000), wallTime: 9) == nil)
    }

    @Test func aTurnTooFastToSeeIsAcceptedAfterTheGrace() {
        var tracker = StateTracker(at: t0, turnStart: .seconds(5))
        _ = tracker.observe(finished, at: at(0), wallTime: 0)
        _ = tracker.noteSend(at: at(10), wallTime: 0)
        #expect(tracker.observe(finished, at: at(2000), wallTime: 2) == nil)
        #expect(tracker.recheckAt(at(2000)) == at(5010))
        #expect(tracker.observe(finished, at: at(5010), wallTime: 5)?.to == .done)
    }

    @Test func textInTheBoxIsInputOnlyOnceThePaneIsStill() {
        var tracker = StateTracker(at: t0, quiet: .milliseconds(1500))
        _ = tracker.observe(prompt, at: at(0), wallTime: 0)
        let typed = ScreenReading(state: .input, evidence: "❯ half a prompt", isUnsubmittedText: true)
        tracker.noteOutput(at: at(1000))
        #expect(tracker.observe(typed, at: at(1020), wallTime: 1) == nil)
        #expect(tracker.recheckAt(at(1020)) == at(2500))
        #expect(tracker.observe(typed, at: at(2500), wallTime: 2)?.to == .input)
        // A question is believed at once.
        var other = StateTracker(at: t0)
        other.noteOutput(at: at(0))
        #expect(other.observe(ScreenReading(state: .input, evidence: "Do you want to proceed?"), at: at(10), wallTime: 0)?.to == .input)
    }

    @Test func outputOnAPromptOnlyScreenKeepsItWorking() {
        var tracker = StateTracker(at: t0, quiet: .milliseconds(1500))
        _ = tracker.observe(working, at: at(0), wallTime: 0)
        tracker.noteOutput(at: at(900))
        #expect(tracker.observe(prompt, at: at(1000), wallTime: 1) == nil)
        #expect(tracker.state == .working)
        #expect(tracker.observe(prompt, at: at(2400), wallTime: 2)?.to == .done)
    }
}

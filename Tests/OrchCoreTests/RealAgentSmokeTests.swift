import Foundation
import Testing

/// Proves the real-agent rig: real Codex 0.147 and Aider 0.86 start offline against the fake LLM
/// server, and a prompt typed into each reaches the server verbatim and its reply reaches the screen.
/// Skipped when the CLIs are not installed (`scripts/install-real-agents.sh`); in CI that fails.
@Suite(.serialized, .enabled(if: RealAgentRig.shouldRun, "real agent CLIs not installed: run scripts/install-real-agents.sh"))
struct RealAgentSmokeTests {
    @Test func codexReachesItsIdleScreen() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        let screen = rig.capture("5")
        #expect(screen.contains("OpenAI Codex (v0.147.0)"))
        #expect(RealAgentRig.codexIsIdle(screen))
        #expect(!screen.contains("Do you trust the contents"))
        #expect(!screen.contains("Sign in with ChatGPT"))
        #expect(rig.display("5", "#{pane_width}x#{pane_height}") == "120x40")
        #expect(rig.display("5", "#{window_name}") == "codex")
        #expect(rig.requests().filter { $0.api == "responses" }.isEmpty)
    }

    @Test func codexPromptReachesTheServerAndTheReplyShows() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        let prompt = "smoke test for codex alpha beta gamma"
        // Not type + sleep + Enter: under the full suite Codex took the Enter for part of the
        // paste burst and nothing was sent. submit waits for the text, and retries the Enter.
        try rig.submit("5", prompt)
        let requests = try rig.waitForRequests(1)
        #expect(requests.count == 1)
        #expect(requests[0].api == "responses")
        #expect(requests[0].userText == prompt)
        let reply = FakeLLMRequest.expectedReply(to: prompt)
        #expect(requests[0].replyText == reply)
        try rig.waitForScreen("5", containing: "• " + reply)
        try rig.waitForCodexIdle()
        // notify runs after the turn, from Codex's pane.
        try waitFor("codex's notify program ran", timeout: .seconds(10)) { !rig.notifications().isEmpty }
        let notification = try #require(rig.notifications().first)
        #expect(notification.payload["type"] as? String == "agent-turn-complete")
        #expect(notification.payload["last-assistant-message"] as? String == reply)
        #expect(notification.payload["input-messages"] as? [String] == [prompt])
        #expect(notification.pane == rig.paneID("5"))
    }

    @Test func codexAsksBeforeRunningAToolCallThenFinishesTheTurn() throws {
        let rig = try RealAgentRig()
        defer { rig.stop() }
        let prompt = "make a marker file [call=touch marker.txt]"
        try rig.submit("5", prompt)
        let first = try rig.waitForRequests(1)
        #expect(first[0].kind == "call")
        #expect(first[0].call == "touch marker.txt")
        try rig.waitForScreen("5", containing: "Would you like to run the following command?")
        #expect(!FileManager.default.fileExists(atPath: rig.workdir + "/marker.txt"))
        try rig.press("5", "y")
        let both = try rig.waitForRequests(2)
        #expect(both[1].kind == "followup")
        #expect(both[1].userText == prompt)
        #expect(FileManager.default.fileExists(atPath: rig.workdir + "/marker.txt"))
        try rig.waitForScreen("5", containing: "ran touch marker.txt for: make a marker file")
        try rig.waitForCodexIdle()
    }

    @Test func aiderPromptReachesTheServerAndTheReplyShows() throws {
        let rig = try RealAgentRig(.init(codex: false, aider: true))
        defer { rig.stop() }
        let screen = rig.capture("6")
        #expect(screen.contains("Aider v0.86.2"))
        #expect(screen.contains("Model: openai/fake with diff edit format"))
        let prompt = "smoke test for aider alpha beta gamma"
        try rig.type("6", prompt)
        Thread.sleep(forTimeInterval: 0.2)
        try rig.press("6", "Enter")
        let requests = try rig.waitForRequests(1)
        #expect(requests.count == 1)
        #expect(requests[0].api == "chat")
        #expect(requests[0].userText == prompt)
        let reply = FakeLLMRequest.expectedReply(to: prompt)
        #expect(requests[0].replyText == reply)
        try rig.waitForScreen("6", containing: reply)
        try rig.waitForAiderIdle()
        #expect(rig.capture("6").contains("Tokens: "))
    }
}

@testable import OrchCore
import Testing

/// The reply read off a screen: between the prompt's echo and the input box.
@Suite struct ReplyTextTests {
    let codex = AgentProfile.named("codex")!

    @Test func anAnswerThatQuotesThePromptIsNotTakenForItsEcho() {
        let screen = """
            › fix the tests
            • Finished: fix the tests
              all 12 pass now
            ─ Worked for 3s ────────────────────────────

            › Ask Codex to do anything
              ? for shortcuts                     100% context left
            """
        let reply = ReplyText.from(screen: screen, profile: codex, marker: "fix the tests")
        #expect(reply == "• Finished: fix the tests\n  all 12 pass now")
    }

    @Test func withoutAnEchoShapedLineTheMarkerLineIsTheEcho() {
        let generic = AgentProfile.named("generic")!
        let screen = "$ run it\nran it\nresult 3\n"
        #expect(ReplyText.from(screen: screen, profile: generic, marker: "run it") == "ran it\nresult 3")
    }
}

extension ReplyTextTests {
    @Test func aQuoteRightUnderAnEchoOfUnknownShapeIsPartOfTheReply() {
        let amp = AgentProfile.named("amp")!
        let screen = "> write the changelog\n⏺ Finished: write the changelog\n✓ CLAUDE.md • 2 files changed +14 ~3 -1\n"
        #expect(ReplyText.from(screen: screen, profile: amp, marker: "write the changelog") == "⏺ Finished: write the changelog")
    }
}

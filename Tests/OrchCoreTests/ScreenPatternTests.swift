import OrchCore
import Testing

@Suite("ScreenPattern")
struct ScreenPatternTests {
    static let claudeGlyphs = "·✢✳✶✻✽*"

    @Test("literals: contains, prefix after indentation, suffix, whole line")
    func literals() {
        #expect(ScreenPattern.contains("esc to interrupt").matches("✳ Pollinating… (esc to interrupt · thinking)"))
        #expect(ScreenPattern.prefix("Esc to cancel").matches(" Esc to cancel"))
        #expect(!ScreenPattern.prefix("Esc to cancel").matches("(esc to cancel, 12s)"))
        #expect(ScreenPattern.suffix("[Yes]:").matches("Add file? (Y)es/(N)o [Yes]: "))
        #expect(ScreenPattern.line("Done.").matches("  Done."))
        #expect(!ScreenPattern.line("Done.").matches("⏺ Done."))
    }

    @Test(
        "spinner: glyph, capitalised verb, ellipsis",
        arguments: [
            "✳ Pollinating… (esc to interrupt · thinking)", "· Seasoning…", "✢ Unfurling… (12s · ↑ 1.2k tokens)",
            "* Burrowing…", "✽ Running tools...", "✶ Flambéing…",
        ])
    func spinnerMatches(line: String) {
        #expect(ScreenPattern.spinner(glyphs: Self.claudeGlyphs).matches(line))
    }

    @Test(
        "spinner: not done lines, bullets or sentences",
        arguments: [
            "✻ Brewed for 1m 3s", "⏺ Let me think…", "✳ pollinating…", "✳Pollinating…", "✳ Pollinating",
            "· Note that this is a very long sentence…",
        ])
    func spinnerRejects(line: String) {
        #expect(!ScreenPattern.spinner(glyphs: Self.claudeGlyphs).matches(line))
    }

    @Test(
        "elapsed: glyph, past-tense verb, for, duration",
        arguments: [
            "✻ Brewed for 1m 3s", "✻ Worked for 3s", "✻ Cooked for 1s", "✻ Sautéed for 12.5s",
            "✻ Churned for 1h 2m 3s · 4k tokens",
        ])
    func elapsedMatches(line: String) {
        #expect(ScreenPattern.elapsed(glyphs: "✻").matches(line))
    }

    @Test(
        "elapsed: not spinners, other glyphs or words",
        arguments: [
            "✻ Brewing… (esc to interrupt)", "* Brewed for 3s", "✻ Brewed for a while", "✻ Brewed for 3 seconds",
            "✻ brewed for 3s",
        ])
    func elapsedRejects(line: String) {
        #expect(!ScreenPattern.elapsed(glyphs: "✻").matches(line))
    }

    @Test("the ASCII star is a separate glyph set: `* Brewed for 3s`")
    func asciiStar() {
        #expect(ScreenPattern.elapsed(glyphs: "*").matches("* Brewed for 3s"))
    }

    @Test("gerund: one -ing word and an ellipsis alone on the line")
    func gerund() {
        for line in ["Thinking...", "Burrowing...", "  Embellishing…", "Pollinating… (3s)"] {
            #expect(ScreenPattern.gerund.matches(line), "\(line)")
        }
        for line in ["Thinking", "thinking...", "Running tools...", "Thinking..", "Thinking...done", "Let me think..."]
        {
            #expect(!ScreenPattern.gerund.matches(line), "\(line)")
        }
    }

    @Test("menu row: a cursor on a numbered choice")
    func menuRow() {
        let row = ScreenPattern.menuRow(cursors: "❯›●>")
        for line in [" ❯ 3. Type here to tell Claude", "› 1. Yes, proceed (y)", "● 1. Allow once", "> 2. No"] {
            #expect(row.matches(line), "\(line)")
        }
        for line in ["   2. Yes, and don't ask again", "❯ fix 1. thing", "› Ask Codex to do anything", "1. Yes"] {
            #expect(!row.matches(line), "\(line)")
        }
    }

    @Test("shell prompt: $, # or % at the end, on the last line only when asked")
    func shellPrompt() {
        for line in ["me@box:~/src$", "[root@box ~]#", "box%", "$"] {
            #expect(ScreenPattern.shellPrompt.matches(line), "\(line)")
        }
        for line in ["Downloading 45%", "Cost: $0.02 message", "## Summary"] {
            #expect(!ScreenPattern.shellPrompt.matches(line), "\(line)")
        }
        #expect(!ScreenPattern.shellPrompt.onLastLine.matches("me@box:~$", isLastLine: false))
    }

    @Test("all: every part must match")
    func all() {
        let filesChanged = ScreenPattern.all(.prefix("✓ "), .contains(" changed"))
        #expect(filesChanged.matches("✓ CLAUDE.md • 2 files changed +14 ~3 -1"))
        #expect(!filesChanged.matches("✓ Read Sources/Parser.swift"))
        #expect(!filesChanged.matches("2 files changed"))
    }

    @Test("descriptions read like the table entries")
    func descriptions() {
        #expect(ScreenPattern.contains("↵ send").description == "contains \"↵ send\"")
        #expect(
            ScreenPattern.all(.prefix("Do you want to "), .suffix("?")).description
                == "starts with \"Do you want to \" and ends with \"?\"")
        #expect(
            ScreenPattern.contains("(Y)es/(N)o").onLastLine.description == "contains \"(Y)es/(N)o\" on the last line")
    }
}

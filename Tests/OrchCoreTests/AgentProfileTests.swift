import OrchCore
import Testing

@Suite("AgentProfile")
struct AgentProfileTests {
    @Test("the built-in profiles, generic last")
    func builtInNames() {
        #expect(
            AgentProfile.builtIn.map(\.name) == ["claude", "amp", "codex", "antigravity", "agy", "gemini", "aider", "generic"])
    }

    @Test("named finds a built-in profile regardless of case")
    func named() {
        #expect(AgentProfile.named("Claude")?.name == "claude")
        #expect(AgentProfile.named("GENERIC")?.name == "generic")
        #expect(AgentProfile.named("cursor") == nil)
    }

    @Test(
        "a window name picks the profile it names, as a word or part of one",
        arguments: [
            ("claude", "claude"), ("amp", "amp"), ("codex", "codex"), ("antigravity", "antigravity"),
            ("gemini", "gemini"), ("aider", "aider"), ("Claude-2", "claude"), ("codex_review", "codex"),
            ("my-gemini", "gemini"), ("amp2", "amp"), ("ampcode", "amp"), ("claudecode", "claude"),
            ("example", "generic"), ("main", "generic"), ("worker-3", "generic"), ("", "generic"),
        ])
    func forWindowName(window: String, profile: String) {
        #expect(AgentProfile.forWindowName(window).name == profile)
    }

    @Test("addPattern records user patterns with their state, and ignores empty text")
    func addPattern() {
        var profile = AgentProfile.amp
        profile.addPattern("Pondering", for: .working)
        profile.addPattern("", for: .done)
        profile.addPattern("Approve?", for: .input)
        #expect(profile.userPatterns.map(\.state) == [.working, .input])
        #expect(profile.userPatterns[0].pattern.matches("  Pondering the codebase"))
        #expect(profile != AgentProfile.amp)
    }

    @Test(
        "every profile shares the generic base: seed patterns and prompts", arguments: AgentProfile.builtIn.map(\.name))
    func sharedBase(profileName: String) throws {
        let profile = try #require(AgentProfile.named(profileName))
        #expect(profile.working.contains(.gerund))
        #expect(profile.working.contains(.contains("Running tools...")))
        #expect(profile.done.contains(.contains("test result: ok.")))
        #expect(profile.sendHints.contains(.contains("↵ send")))
        #expect(profile.promptGlyphs.contains("❯") && profile.promptGlyphs.contains("›"))
    }

    @Test("generic knows every CLI's own patterns, so a misnamed window still reads right")
    func genericIsTheUnion() {
        let generic = AgentProfile.generic
        for cli in AgentProfile.builtIn where cli.name != "generic" {
            // Aider's `Waiting for ` is left out on purpose: too common in other programs' output.
            for pattern in cli.working + cli.done + cli.input + cli.placeholders where pattern != .contains("Waiting for ") {
                #expect(
                    generic.working.contains(pattern) || generic.done.contains(pattern)
                        || generic.input.contains(pattern) || generic.placeholders.contains(pattern),
                    "\(cli.name): \(pattern)")
            }
        }
        #expect(generic.turnStarts.isEmpty)
    }

    @Test("prompt glyphs are tried longest first")
    func glyphOrder() {
        let glyphs = AgentProfile.aider.promptGlyphs
        #expect(glyphs.firstIndex(of: "architect>")! < glyphs.firstIndex(of: ">")!)
    }
}

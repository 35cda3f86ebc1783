import OrchCore
import Testing

@Suite struct AgentRegistryTests {
    let windows = [
        TmuxWindow(index: 0, name: "main", paneID: "%0"),
        TmuxWindow(index: 1, name: "claude", paneID: "%1"),
        TmuxWindow(index: 2, name: "amp", paneID: "%2"),
        TmuxWindow(index: 3, name: "antigravity-proxy", paneID: "%3"),
        TmuxWindow(index: 4, name: "antigravity", paneID: "%4"),
        TmuxWindow(index: 5, name: "codex", paneID: "%5"),
    ]

    @Test func seedLayoutMakesFourAgents() {
        let registry = AgentRegistry(windows: windows, declarations: [])
        #expect(registry.agents.map(\.name) == ["claude", "amp", "antigravity", "codex"])
        #expect(registry.agents.map(\.profile.name) == ["claude", "amp", "antigravity", "codex"])
    }

    @Test func agentsAreAddressedByNameOrIndex() {
        let registry = AgentRegistry(windows: windows, declarations: [])
        #expect(registry.agent(named: "amp")?.paneID == "%2")
        #expect(registry.agent(named: "2")?.name == "amp")
        #expect(registry.agent(named: "0") == nil)  // main is not an agent
        #expect(registry.agent(named: "3") == nil)  // nor is the proxy
        #expect(registry.agent(named: "gpt") == nil)
    }

    @Test func declarationsRenameAndAdmitWindows() {
        let registry = AgentRegistry(windows: windows, declarations: [
            AgentDeclaration(name: "boss", window: 0, profile: "claude"),
            AgentDeclaration(name: "reviewer", window: 5, profile: nil),
        ])
        #expect(registry.agent(named: "boss")?.paneID == "%0")
        #expect(registry.agent(named: "boss")?.profile.name == "claude")
        #expect(registry.agent(named: "reviewer")?.windowIndex == 5)
        #expect(registry.agent(named: "reviewer")?.profile.name == "codex")
        #expect(registry.agent(named: "codex") == nil)
    }
}

@Suite struct AgentRemapTests {
    @Test func reMappingAnAgentMovesItInsteadOfDuplicatingIt() {
        let windows = [TmuxWindow(index: 1, name: "claude", paneID: "%1"), TmuxWindow(index: 13, name: "spare", paneID: "%13")]
        let registry = AgentRegistry(windows: windows, declarations: [AgentDeclaration(name: "claude", window: 13, profile: nil)])
        #expect(registry.agents.map(\.name) == ["claude"])
        #expect(registry.agent(named: "claude")?.paneID == "%13")
    }
}

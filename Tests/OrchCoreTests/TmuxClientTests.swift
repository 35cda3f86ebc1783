@testable import OrchCore
import Testing

@Suite struct TmuxClientTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("ends;", "ends\\;"),
        ("ends\\;", "ends\\\\;"),
        (";", "\\;"),
        ("mid;dle", "mid;dle"),
    ])
    func trailingSemicolonIsProtected(input: String, expected: String) {
        #expect(TmuxClient.protectTrailingSemicolon(input) == expected)
    }

    @Test func noServerIsAnActionableError() {
        let client = TmuxClient(endpoint: TmuxEndpoint(socketName: "orch-test-nobody-\(UInt32.random(in: 0...UInt32.max))"))
        #expect(throws: TmuxError.noServer(client.endpoint)) { try client.listSessions() }
        let message = TmuxError.noServer(client.endpoint).description
        #expect(message.contains("no tmux server is running"))
        #expect(message.contains("-L"))
    }
}

@Suite(.serialized) struct TmuxClientServerTests {
    @Test func listsWindowsAndMapsMissingSession() throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let windows = try server.tmux.listWindows(session: server.session)
        #expect(windows.map(\.name) == ["main", "amp"])
        #expect(windows.map(\.index) == [0, 1])
        #expect(windows.allSatisfy { $0.paneID.hasPrefix("%") })
        #expect(throws: TmuxError.noSession("nope", available: [server.session])) {
            try server.tmux.listWindows(session: "nope")
        }
    }
}

@testable import OrchCore
import Testing

@Suite struct ControlProtocolTests {
    func feed(_ lines: [String]) -> [ControlEvent] {
        var parser = ControlProtocol()
        return lines.compactMap { parser.feed(Array($0.utf8)) }
    }

    /// tmux's parser takes `%3` bare but not `%3:off` ("parse error: syntax error").
    @Test func commandArgumentsAreQuotedAsTmuxParsesThem() {
        #expect(ControlConnection.quote("%3") == "%3")
        #expect(ControlConnection.quote("%3:off") == "'%3:off'")
        #expect(ControlConnection.quote("=s:1") == "=s:1")
        #expect(ControlConnection.quote("it's") == "'it'\\''s'")
    }

    @Test func outputIsDecoded() {
        #expect(feed(["%output %3 a\\015\\012b\\134c"]) == [.output(pane: "%3", data: Array("a\r\nb\\c".utf8))])
    }

    @Test func utf8SplitAcrossLinesKeepsItsBytes() {
        // "é" is C3 A9; tmux may cut between the two bytes.
        var parser = ControlProtocol()
        let first = parser.feed(Array("%output %1 h".utf8) + [0xC3])
        let second = parser.feed([UInt8]("%output %1 ".utf8) + [0xA9] + Array("llo".utf8))
        #expect(first == .output(pane: "%1", data: Array("h".utf8) + [0xC3]))
        #expect(second == .output(pane: "%1", data: [0xA9] + Array("llo".utf8)))
    }

    @Test func repliesOfOurCommandsOnly() {
        let events = feed([
            "%begin 1795599220 266 0", "%end 1795599220 266 0",  // tmux's own, at attach
            "%begin 1795599222 285 1", "@0 0 %0 main", "%end 1795599220 99 1", "@1 1 %1 amp", "%end 1795599222 285 1",
            "%begin 1795599223 286 1", "can't find pane: %9", "%error 1795599223 286 1",
        ])
        #expect(events == [
            .reply(lines: ["@0 0 %0 main", "%end 1795599220 99 1", "@1 1 %1 amp"], isError: false),
            .reply(lines: ["can't find pane: %9"], isError: true),
        ])
    }

    @Test func windowNotificationsAndExit() {
        let events = feed(["%window-add @2", "%window-renamed @2 codex2", "%unlinked-window-close @2", "%window-close @1", "%session-changed $0 s", "%exit server exited"])
        #expect(events == [.windowsChanged, .windowsChanged, .windowsChanged, .windowsChanged, .attached, .exit(reason: "server exited")])
    }
}

@Suite(.serialized) struct ControlConnectionTests {
    @Test func commandsAndNotificationsOverOneClient() async throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        let connection = try ControlConnection(endpoint: server.tmux.endpoint, session: server.session)
        defer { connection.close() }
        let windows = try await connection.command(["list-windows", "-F", "#{window_index} #{window_name}"])
        #expect(windows == ["0 main", "1 amp"])
        let screen = try await connection.command(["capture-pane", "-p", "-t", "\(server.tmux.exactSession(server.session)):1"])
        #expect(screen.joined(separator: "\n").contains("amp profile"))
        await #expect(throws: TmuxError.self) { try await connection.command(["capture-pane", "-p", "-t", "%999"]) }

        try server.tmux.typeLiteral("hi", into: "\(server.tmux.exactSession(server.session)):1")
        var sawOutput = false
        for await event in connection.events {
            if case .output(_, let data, _) = event, String(decoding: data, as: UTF8.self).contains("hi") {
                sawOutput = true
                break
            }
        }
        #expect(sawOutput)
    }

    /// tmux reads a control client's first commands before its attach is done ("no current
    /// client", seen under load), and tmux 3.3a's server crashes when a control client leaves
    /// while another attaches (about 1 in 100 such overlaps; without ControlClientGate this test
    /// failed 3 runs in 5 at 60 clients a loop). Two loops of clients coming and going at once —
    /// as a REPL's reconnects and agents' one-shot `orch wait`s do — each act on their own
    /// attached client, and the server survives them.
    @Test func controlClientsComingAndGoingLeaveTheServerUp() async throws {
        let server = try TestServer(agents: [("amp", "amp", [])])
        defer { server.stop() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<150 {
                        let connection = try ControlConnection(endpoint: server.tmux.endpoint, session: server.session)
                        defer { connection.close() }
                        _ = try await connection.command(["refresh-client", "-B", "orch-test:%*:#{pane_dead}"])
                        #expect(try await connection.command(["display-message", "-p", "#{session_name}"]) == [server.session])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try server.tmux.listSessions() == [server.session])
    }
}

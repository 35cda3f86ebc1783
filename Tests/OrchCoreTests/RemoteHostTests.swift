import Foundation
import OrchCore
import Testing

/// orch's tmux commands over ssh to a real sshd on loopback: prompt text never in a remote
/// shell's command line, byte-exact through it.
@Suite(.serialized, .enabled(if: SSHServer.isInstalled, "needs openssh-server (.ci/run installs it)"))
struct RemoteTransportTests {
    @Test func oneShotCommandsAndTypedTextGoOverSSHByteExact() throws {
        let ssh = try SSHServer()
        defer { ssh.stop() }
        let server = try TestServer(agents: [("amp", "amp", ["--work", "100ms"])])
        defer { server.stop() }
        let remote = TmuxClient(endpoint: TmuxEndpoint(socketName: server.socketName, host: RemoteHost(name: "gpu1", sshArguments: ssh.sshArguments)))
        let windows = try remote.listWindows(session: server.session)
        #expect(windows.map(\.name) == ["main", "amp"])
        let pane = try #require(windows.last?.paneID)
        #expect(try remote.capturePane(pane).contains("simulated by orch"))
        let hostile = #"$(id) `id` 'single' "double" ; a && b | c \ café 🚀 -x"#
        try remote.typeLiteral(hostile, into: pane)
        try remote.sendKeys(["Enter"], to: pane)
        let received = try server.waitForReceived(1)
        #expect(received.first?.text == hostile)
    }

    @Test func theWatcherFollowsARemoteSessionThroughOneSSHControlClient() async throws {
        let ssh = try SSHServer()
        defer { ssh.stop() }
        let server = try TestServer(agents: [("amp", "amp", ["--work", "300ms"])])
        defer { server.stop() }
        let endpoint = TmuxEndpoint(socketName: server.socketName, host: RemoteHost(name: "gpu1", sshArguments: ssh.sshArguments))
        let watcher = Watcher(endpoint: endpoint, session: server.session)
        try await watcher.start()
        let events = await watcher.subscribe()
        #expect(await watcher.clientProcessID.map { (try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8))?.hasPrefix("ssh") } == true)
        let pane = try #require(try TmuxClient(endpoint: endpoint).listWindows(session: server.session).last?.paneID)
        try server.tmux.typeLiteral("[work=300ms] go", into: pane)
        try server.tmux.sendKeys(["Enter"], to: pane)
        let done = Task {
            for await event in events {
                if case .transition(let change) = event, change.agent == "amp", change.to == .done { return true }
            }
            return false
        }
        let timeout = Task { try await Task.sleep(for: .seconds(15)); done.cancel() }
        #expect(await done.value, "no `amp done` from the watcher over ssh")
        timeout.cancel()
        await watcher.stop()
    }
}

import Foundation
import Synchronization
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
        let timeout = Task { try await Task.sleep(for: .seconds(60)); done.cancel() }  // a deadline: the in-process watcher is starved under the full suite
        #expect(await done.value, "no `amp done` from the watcher over ssh")
        timeout.cancel()
        await watcher.stop()
    }
}

/// `host NAME … ssh …` in the language: the agents of a tmux server reached over ssh are
/// `AGENT@NAME` beside the local ones, in one-shot commands, scripts and in-process alike.
@Suite(.serialized, .enabled(if: SSHServer.isInstalled, "needs openssh-server (.ci/run installs it)"))
struct HostCommandTests {
    @Test func oneShotPeekSendAndStatusReachAHostDeclaredWithC() throws {
        let rig = try HostRig(remoteSession: "gpu-session")
        defer { rig.stop() }
        let (remote, local, host) = (rig.remote, rig.local, rig.hostLine)
        let peek = try local.orch(["-c", "\(host); peek amp@gpu1"])
        #expect(peek.status == 0 && peek.out.contains("simulated by orch"), "\(peek.err)")
        // Shell words, quotes and unicode arrive as typed: no remote shell read them.
        let hostile = #"$(touch /tmp/orch-pwned) `id` 'single' "double" ; a && b | c \ café 🚀"#
        let sent = try local.orch(["-c", "\(host); send amp@gpu1 \(Self.quoted(hostile)); wait done amp@gpu1 timeout 20s"])
        #expect(sent.status == 0, "\(sent.err)")
        #expect(remote.received().map(\.text) == [hostile])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/orch-pwned"))
        let status = try local.orch(["-c", "\(host); status"])
        #expect(status.status == 0, "\(status.err)")
        let names = status.out.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names == ["claude", "amp@gpu1"], "\(status.out)")
        let json = try local.orch(["-c", "\(host); status --format json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["host"] as? String } == [nil, "gpu1"], "\(json.out)")
    }

    @Test func waitAnyAndAllSpanHostsAndNoticesNameTheHost() async throws {
        let rig = try HostRig()
        defer { rig.stop() }
        let (remote, local) = (rig.remote, rig.local)
        let output = CapturedOutput()
        let orch = try await rig.interpreter(output)
        // Only the remote agent gets work: `wait done any` is satisfied there.
        _ = try await orch.run(source: "send amp@gpu1 '[work=500ms] remote job'; wait done any timeout 20s", file: "<test>")
        #expect(output.lines.contains { $0.hasPrefix("amp@gpu1") && $0.contains("done") }, "\(output.lines)")
        _ = try await orch.run(source: "send claude,amp@gpu1 '[work=300ms] both'; wait done claude,amp@gpu1 timeout 20s", file: "<test>")
        #expect(remote.received().count == 2 && local.received().count == 1)
        // Who satisfied it is printed once, for both machines: one JSON array.
        let before = output.lines.count
        _ = try await orch.run(source: "wait done claude,amp@gpu1 --format json timeout 20s", file: "<test>")
        let printed = Array(output.lines.dropFirst(before))
        #expect(printed.count == 1, "\(printed)")
        let rows = (try? JSONSerialization.jsonObject(with: Data((printed.first ?? "").utf8))) as? [[String: Any]]
        #expect(Set(rows?.compactMap { $0["agent"] as? String } ?? []) == ["claude", "amp@gpu1"], "\(printed)")
        #expect(rows?.first { $0["agent"] as? String == "amp@gpu1" }?["reply"] is String, "a host's reply is read on the host: \(printed)")
        await orch.shutdown()
    }

    /// `wait … all` and `loop until` span the machines that have agents (here only the host:
    /// the local session is `main` alone); a misspelt remote name is that error, not "unreachable".
    @Test func waitAllAndLoopUntilSpanOnlyMachinesWithAgents() async throws {
        let rig = try HostRig(local: [])
        defer { rig.stop() }
        let remote = rig.remote
        let output = CapturedOutput()
        let orch = try await rig.interpreter(output)
        _ = try await orch.run(source: "send amp@gpu1 '[work=400ms] one'; wait done all timeout 20s", file: "<test>")
        #expect(output.lines.contains { $0.hasPrefix("amp@gpu1") && $0.contains("done") }, "\(output.lines)")
        _ = try await orch.run(source: "send amp@gpu1 '[work=400ms] two'; loop until done amp@gpu1 { sleep 100ms }", file: "<test>")
        #expect(remote.received().count == 2)
        let typo = await failure(orch, "status amq@gpu1")
        #expect(typo?.contains("unknown agent 'amq@gpu1'") == true && typo?.contains("unreachable") == false, "\(typo ?? "")")
        await orch.shutdown()
    }

    @Test func anUnreachableHostIsSaidQuicklyAndTheRestGoesOn() throws {
        let ssh = try SSHServer()
        let port = ssh.port
        ssh.stop()  // nothing listens there now: connection refused
        let local = try TestServer(agents: [("claude", "claude", [])])
        defer { local.stop() }
        let host = "host gpu1 ssh -p \(port) -o UserKnownHostsFile=/dev/null root@127.0.0.1"
        let start = ContinuousClock.now
        let peek = try local.orch(["-c", "\(host); peek amp@gpu1"])
        #expect(peek.status == 1 && peek.err.contains("host gpu1 unreachable") && peek.err.contains("BatchMode"), "\(peek.err)")
        let status = try local.orch(["-c", "\(host); status"])
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.contains("claude") && status.out.contains("unknown") && status.out.contains("host gpu1 unreachable"), "\(status.out)")
        #expect(ContinuousClock.now - start < .seconds(20), "an unreachable host took \(ContinuousClock.now - start)")
    }

    /// sshd killed mid-session (the host drops): a notice names the host, its agents read
    /// `unknown · host gpu1 unreachable`, a wait on them fails with that reason by its timeout,
    /// the local agents carry on; sshd back: a notice, and the host's agents work again.
    @Test func aHostThatDropsIsSaidAndReconnectsWhenItIsBack() async throws {
        let rig = try HostRig()
        defer { rig.stop() }
        let (ssh, remote) = (rig.ssh, rig.remote)
        let output = CapturedOutput()
        let notices = Mutex<[String]>([])
        let orch = try await rig.interpreter(output)
        await orch.setNoticeSink { notice in notices.withLock { $0.append(notice) } }  // the host's too
        await orch.setWatching(true)
        try await orch.startWatching()
        ssh.kill()
        try waitFor("a notice that gpu1 dropped", timeout: .seconds(30)) { notices.withLock { $0.contains { $0.contains("host gpu1 unreachable") } } }
        _ = try await orch.run(source: "status", file: "<test>")
        #expect(output.lines.contains { $0.hasPrefix("amp@gpu1") && $0.contains("unknown") && $0.contains("host gpu1 unreachable") }, "\(output.lines)")
        #expect(output.lines.contains { $0.hasPrefix("claude") }, "\(output.lines)")
        let started = ContinuousClock.now
        do {
            _ = try await orch.run(source: "wait done amp@gpu1 timeout 3s", file: "<test>")
            Issue.record("a wait on an unreachable host's agent returned")
        } catch {
            #expect(error.message.contains("gpu1"), "\(error.message)")
        }
        #expect(ContinuousClock.now - started < .seconds(15))
        _ = try await orch.run(source: "send claude '[work=200ms] local goes on'; wait done claude timeout 20s", file: "<test>")
        try ssh.restart()
        try waitFor("a notice that gpu1 is back", timeout: .seconds(30)) { notices.withLock { $0.contains { $0.contains("host gpu1 is back") } } }
        _ = try await orch.run(source: "send amp@gpu1 '[work=200ms] after'; wait done amp@gpu1 timeout 20s", file: "<test>")
        #expect(remote.received().map(\.text) == ["[work=200ms] after"])
        await orch.shutdown()
    }

    @Test func aHostInTheConfigServesOneShotCommands() throws {
        let rig = try HostRig(remote: [("amp", "amp", [])], local: [("claude", "claude", [])])
        defer { rig.stop() }
        let local = rig.local
        let config = local.directory + "/init.orch"
        try (rig.hostLine + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        let peek = try local.orch(["--config", config, "peek", "amp@gpu1"])
        #expect(peek.status == 0 && peek.out.contains("simulated by orch"), "\(peek.err)")
        let agents = try local.orch(["--config", config, "agents", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(agents.out.utf8)) as? [[String: Any]], "\(agents.err)")
        #expect(rows.compactMap { $0["agent"] as? String } == ["claude", "amp@gpu1"])
        // A host's window by index, as a local one would be named.
        for byIndex in ["window:1@gpu1", "1@gpu1"] {
            let peeked = try local.orch(["--config", config, "peek", byIndex])
            #expect(peeked.status == 0 && peeked.out.contains("simulated by orch"), "\(byIndex): \(peeked.err)")
        }
        let unknown = try local.orch(["--config", config, "peek", "amp@nowhere"])
        #expect(unknown.status == 1 && unknown.err.contains("unknown agent 'amp@nowhere'"), "\(unknown.err)")
    }

    /// ssh never asks: an unknown host key and a server that takes no key of ours are errors
    /// at once (BatchMode) that say how to set up keys; a server that never speaks is one
    /// within ssh's connect timeout.
    @Test func sshNeverAsksAndAServerThatNeverAnswersIsBounded() throws {
        let ssh = try SSHServer()
        defer { ssh.stop() }
        let local = try TestServer(agents: [("claude", "claude", [])])
        defer { local.stop() }
        let unknownKey = "host gpu1 ssh -p \(ssh.port) -i '\(ssh.directory)/client_key' -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes root@127.0.0.1"
        let noKey = "host gpu1 ssh -p \(ssh.port) -o UserKnownHostsFile='\(ssh.directory)/known_hosts' -o IdentitiesOnly=yes -o IdentityFile=/dev/null root@127.0.0.1"
        for (line, says) in [(unknownKey, "Host key verification failed"), (noKey, "Permission denied")] {
            let started = ContinuousClock.now
            let peek = try local.orch(["-c", "\(line); peek amp@gpu1"], stdin: "")
            #expect(peek.status == 1 && peek.err.contains("host gpu1 unreachable") && peek.err.contains(says) && peek.err.contains("key"), "\(peek.err)")
            #expect(ContinuousClock.now - started < .seconds(8))
        }
        // Accepts connections and never says a word.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, length) == 0 && listen(silent, 8) == 0 && getsockname(silent, $0, &length) == 0 }
        }
        try #require(listening)
        let port = UInt16(bigEndian: address.sin_port)
        let started = ContinuousClock.now
        let peek = try local.orch(["-c", "host mute ssh -p \(port) -o UserKnownHostsFile=/dev/null root@127.0.0.1; peek amp@mute"])
        let took = ContinuousClock.now - started
        #expect(peek.status == 1 && peek.err.contains("host mute unreachable"), "\(peek.err)")
        #expect(took < .seconds(15), "a silent host took \(took)")
    }

    /// A task for a host's agent waits in this machine's queue and is handed out when that
    /// agent is free, as its watcher over ssh says.
    @Test func queuedTasksForAHostsAgentAreHandedOutOverSSH() async throws {
        let rig = try HostRig()
        defer { rig.stop() }
        let (remote, local) = (rig.remote, rig.local)
        let output = CapturedOutput()
        let orch = try await rig.interpreter(output, stateDirectory: local.directory + "/state")
        try await orch.startWatching()
        _ = try await orch.run(source: "dispatch on; queue amp@gpu1 '[work=300ms] first remote task'; queue amp@gpu1 '[work=300ms] second remote task'", file: "<test>")
        // Each tmux call to the host is an ssh session (about 0.1 s, much more under the full suite).
        do {
            _ = try remote.waitForReceived(2, timeout: .seconds(90))
        } catch {
            _ = try? await orch.run(source: "queue list", file: "<test>")
            Issue.record("\(error): received \(remote.received().map(\.text)); said: \(output.lines + output.errorLines)")
        }
        let received = remote.received()
        #expect(received.map(\.text) == ["[work=300ms] first remote task", "[work=300ms] second remote task"])
        #expect(local.received().isEmpty)
        let unknown = await failure(orch, "queue nobody@gpu1 'x'")
        #expect(unknown?.contains("unknown agent 'nobody@gpu1'") == true, "\(unknown ?? "")")
        await orch.shutdown()
    }

    /// `text` in single quotes for orch's language (which has no escapes in them).
    static func quoted(_ text: String) -> String {
        text.contains("'") ? "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : "'\(text)'"
    }
}

/// The machines of a host test: a loopback sshd, the "remote" tmux server it reaches (as
/// host gpu1), and a local one.
final class HostRig: Sendable {
    let ssh: SSHServer
    let remote: TestServer
    let local: TestServer

    init(
        remote remoteAgents: [(String, String, [String])] = [("amp", "amp", ["--work", "200ms"])], remoteSession: String = "moana-orchestration",
        local localAgents: [(String, String, [String])] = [("claude", "claude", ["--work", "200ms"])]
    ) throws {
        ssh = try SSHServer()
        remote = try TestServer(session: remoteSession, agents: remoteAgents)
        local = try TestServer(agents: localAgents)
    }

    /// The `host gpu1 …` line that reaches `remote` through `ssh`.
    var hostLine: String { ssh.hostLine("gpu1", socket: remote.socketName) }

    /// An interpreter over the local server that has run `hostLine`.
    func interpreter(_ output: CapturedOutput, stateDirectory: String? = nil) async throws -> Interpreter {
        let orch = Interpreter(options: InterpreterOptions(endpoint: local.tmux.endpoint, stateDirectory: stateDirectory), output: output)
        _ = try await orch.run(source: hostLine, file: "<test>")
        return orch
    }

    func stop() {
        local.stop()
        remote.stop()
        ssh.stop()
    }
}

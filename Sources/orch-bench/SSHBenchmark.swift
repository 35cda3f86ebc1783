#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// The same turns watched over ssh (`--ssh 'SSH-ARGS… DESTINATION'`, a destination that reaches
/// this machine, e.g. a loopback sshd): latency against the local watcher, and the idle CPU of the
/// ssh connection (the ssh processes here, the sshd session and the remote tmux control client).
struct SSHBenchmark {
    let benchmark: Benchmark
    let sshArguments: [String]

    struct Row {
        var agents: Int
        var local: [Double]
        var remote: [Double]
        var idle: Double
    }

    func measure(_ server: BenchServer, local: [Double]) async throws(BenchError) -> Row {
        let endpoint = TmuxEndpoint(socketName: server.tmux.endpoint.socketName, socketPath: server.tmux.endpoint.socketPath, host: RemoteHost(name: "loopback", sshArguments: sshArguments))
        let watcher = Watcher(endpoint: endpoint, session: server.session)
        do { try await watcher.start() } catch { throw BenchError(message: "watcher over ssh: \(error)") }
        let remote = try await benchmark.measureTurns(server, label: "ssh") { notices in
            let events = await watcher.subscribe()
            return Task {
                for await event in events {
                    if case .transition(let change) = event, change.to == .done { notices.record(change.agent) }
                }
            }
        }
        func connectionCPU() -> Double { Self.connectionProcesses().reduce(0) { $0 + cpuSeconds(of: $1) } + ownCPUSeconds() }
        let start = connectionCPU()
        try? await Task.sleep(for: benchmark.options.idle)
        let idle = (connectionCPU() - start) / Stats.seconds(benchmark.options.idle) * 100
        await watcher.stop()
        return Row(agents: server.names.count, local: local, remote: remote, idle: idle)
    }

    /// ssh clients and masters, sshd sessions (not the listener) and tmux control clients.
    static func connectionProcesses() -> [Int32] {
        FileSystem.list("/proc").compactMap { entry -> Int32? in
            guard let pid = Int32(entry), case .success(let line) = FileSystem.readText("/proc/\(entry)/cmdline") else { return nil }
            let words = line.split(separator: "\0").map(String.init)
            guard let program = words.first else { return nil }
            if program == "ssh" || program.hasPrefix("ssh: ") { return pid }
            if program.hasPrefix("sshd: ") && !program.contains("[listener]") { return pid }
            if (program == "tmux" || program.hasSuffix("/tmux")) && words.contains("-C") { return pid }
            return nil
        }
    }

    static func report(_ rows: [Row]) -> String {
        var text = """

            Agents on a host reached by ssh (the same server through a loopback sshd) against the local watcher, done line drawn → notice, and the CPU of the whole ssh side while every agent sits idle (orch, ssh, sshd's session, the remote tmux control client; % of one core):

            | agents | local p50 · p99 | over ssh p50 · p99 | ssh side idle |
            |---|---|---|---|

            """
        for row in rows {
            text += "| \(row.agents) | \(Stats.ms(Stats.percentile(row.local, 50))) · \(Stats.ms(Stats.percentile(row.local, 99))) | \(Stats.ms(Stats.percentile(row.remote, 50))) · \(Stats.ms(Stats.percentile(row.remote, 99))) | \(Stats.percent(row.idle)) |\n"
        }
        return text
    }
}

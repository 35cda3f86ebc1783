#if canImport(Glibc)
import Glibc
#endif
import OrchCore
import Synchronization

/// For each agent count, the same turns under orch's watcher and under a polling loop, then both
/// idle; on the way, one-shot `peek` (first server) and the REPL (largest server); then delivery.
struct Benchmark {
    let options: BenchOptions

    /// One agent count's results.
    struct Row {
        var agents: Int
        var watched: [Double]
        var polled: [Double]
        var watcherIdle: (client: Double, server: Double)
        var pollerIdle: (client: Double, server: Double)
    }

    func run() async throws(BenchError) -> String {
        var rows: [Row] = []
        var sshRows: [SSHBenchmark.Row] = []
        var extras: [String] = []
        let largest = options.agents.max() ?? 0
        for (position, count) in options.agents.enumerated() {
            let server = try BenchServer(count: count)
            defer { server.stop() }
            try await waitUntil("\(count) simulated agents start", timeout: .seconds(60)) {
                server.names.allSatisfy { (try? server.tmux.capturePane(server.pane($0)))?.contains("simulated by orch") == true }
            }
            rows.append(try await measure(server))
            if let ssh = options.ssh { sshRows.append(try await SSHBenchmark(benchmark: self, sshArguments: ssh).measure(server, local: rows.last!.watched)) }
            if position == 0, options.peeks > 0 { extras.append(try PeekBenchmark(server: server, calls: options.peeks).run()) }
            if count == largest, options.starts > 0 { extras.append(try await REPLBenchmark(server: server, starts: options.starts).run()) }
        }
        if !sshRows.isEmpty { extras.append(SSHBenchmark.report(sshRows)) }
        if options.history > 0 { extras.append(try HistoryBenchmark(entries: options.history).run()) }
        if !options.busy.isEmpty { extras.append(try await BusyBenchmark(counts: options.busy, window: options.busyWindow, poll: options.poll, soak: options.busySoak).run()) }
        if options.prompts > 0 { extras.append(try await DeliveryBenchmark(prompts: options.prompts).run()) }
        return ([report(rows)] + extras).joined(separator: "\n")
    }

    /// Latency under the watcher, its idle CPU, then the same under polling.
    func measure(_ server: BenchServer) async throws(BenchError) -> Row {
        let watcher = Watcher(endpoint: server.tmux.endpoint, session: server.session)
        do { try await watcher.start() } catch { throw BenchError(message: "watcher: \(error)") }
        let watched = try await measureTurns(server, label: "watcher") { notices in
            let events = await watcher.subscribe()
            return Task {
                for await event in events {
                    if case .transition(let change) = event, change.to == .done { notices.record(change.agent) }
                }
            }
        }
        let watcherIdle = try await idleCPU(server, extraProcess: await watcher.clientProcessID)
        await watcher.stop()

        let polled = try await measureTurns(server, label: "polling") { notices in
            Task { await Poller(server: server, interval: options.poll).run(notices) }
        }
        let pollerIdleTask = Task { await Poller(server: server, interval: options.poll).run(NoticeLog()) }
        let pollerIdle = try await idleCPU(server, extraProcess: nil)
        pollerIdleTask.cancel()
        return Row(agents: server.names.count, watched: watched, polled: polled, watcherIdle: watcherIdle, pollerIdle: pollerIdle)
    }

    /// Gives every agent `rounds` turns of 1.5–3 s (long enough for a 1 s poll to see them
    /// working) and returns, per turn, milliseconds from the done line being drawn to the notice.
    func measureTurns(_ server: BenchServer, label: String, observe: (NoticeLog) async -> Task<Void, Never>) async throws(BenchError) -> [Double] {
        let notices = NoticeLog()
        let observer = await observe(notices)
        defer { observer.cancel() }
        try? await Task.sleep(for: .milliseconds(300))
        var latencies: [Double] = []
        for round in 0..<options.rounds {
            let before = Dictionary(uniqueKeysWithValues: server.names.map { ($0, server.doneTimes($0).count) })
            let prompts = Dictionary(uniqueKeysWithValues: server.names.map { ($0, "[work=\(Int.random(in: 1500...3000))ms] \(label) turn \(round + 1)") })
            do { try await server.sendAll(prompts) } catch { throw BenchError(message: "send: \(error)") }
            var pending = Set(server.names)
            try await waitUntil("\(label) round \(round + 1): every turn noticed", timeout: .seconds(30)) {
                for name in pending {
                    let done = server.doneTimes(name)
                    guard done.count > before[name]!, let drawn = done.last,
                        let noticed = notices.first(for: name, after: drawn)
                    else { continue }
                    latencies.append(Double(noticed - drawn) / 1_000_000)
                    pending.remove(name)
                }
                return pending.isEmpty
            }
        }
        return latencies
    }

    /// Percent of one core used over `options.idle` by orch's side (this process, its tmux
    /// clients) and by the tmux server, while every agent sits idle.
    func idleCPU(_ server: BenchServer, extraProcess: Int32?) async throws(BenchError) -> (client: Double, server: Double) {
        let serverPID = server.serverPID
        func sample() -> (Double, Double) {
            (ownCPUSeconds() + (extraProcess.map(cpuSeconds) ?? 0), serverPID.map(cpuSeconds) ?? 0)
        }
        let start = sample()
        try? await Task.sleep(for: options.idle)
        let end = sample()
        let seconds = Stats.seconds(options.idle)
        return ((end.0 - start.0) / seconds * 100, (end.1 - start.1) / seconds * 100)
    }

    func report(_ rows: [Row]) -> String {
        let poll = "\(options.poll.compactDescription) polling"
        let idle = "\(Int(options.idle.components.seconds)) s"
        var latency = """
            | agents | orch p50 | orch p99 | \(poll) p50 | \(poll) p99 | polling / orch, p50 · p99 |
            |---|---|---|---|---|---|

            """
        var cpu = """
            | agents idle for \(idle) | orch side (% of a core) | tmux server meanwhile | polling side | tmux server meanwhile |
            |---|---|---|---|---|

            """
        for row in rows {
            let (w50, w99) = (Stats.percentile(row.watched, 0.5), Stats.percentile(row.watched, 0.99))
            let (p50, p99) = (Stats.percentile(row.polled, 0.5), Stats.percentile(row.polled, 0.99))
            latency += "| \(row.agents) | \(Stats.ms(w50)) | \(Stats.ms(w99)) | \(Stats.ms(p50)) | \(Stats.ms(p99)) | \(Stats.ratio(p50, w50)) · \(Stats.ratio(p99, w99)) |\n"
            cpu += "| \(row.agents) | \(Stats.percent(row.watcherIdle.client)) | \(Stats.percent(row.watcherIdle.server)) | \(Stats.percent(row.pollerIdle.client)) | \(Stats.percent(row.pollerIdle.server)) |\n"
        }
        let turns = rows.map { "\($0.watched.count)" }.joined(separator: "/")
        return """
            orch-bench: \(rows.map { "\($0.agents)" }.joined(separator: ", ")) simulated agents, \(options.rounds) turns each (\(turns) notices per column)
            machine: \(machine())

            Done line drawn → notice (orch's watcher, tmux control mode) or → seen by a capture-pane loop:

            \(latency)
            CPU while every agent sits idle:

            \(cpu)
            """
    }

    func machine() -> String {
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let tmuxVersion = (try? Spawner.run("tmux", ["-V"]).stdoutText.filter { $0 != "\n" }) ?? "tmux ?"
        return "\(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores, Linux \(kernel), \(tmuxVersion)"
    }
}

/// When each agent's done notices arrived (monotonic ns), filled by the watcher or the poller.
final class NoticeLog: Sendable {
    private let times = Mutex<[String: [Int]]>([:])

    func record(_ agent: String) {
        let now = MonotonicClock.nanoseconds()
        times.withLock { $0[agent, default: []].append(now) }
    }

    func first(for agent: String, after instant: Int) -> Int? {
        times.withLock { $0[agent]?.first { $0 >= instant } }
    }
}

/// The way without orch: every `interval`, capture every pane and read it (here with orch's own
/// classifier and tracker, so only the way of watching differs).
struct Poller {
    let server: BenchServer
    let interval: Duration

    func run(_ notices: NoticeLog) async {
        var trackers = Dictionary(uniqueKeysWithValues: server.names.map { ($0, StateTracker(at: .now)) })
        let profiles = Dictionary(uniqueKeysWithValues: server.names.enumerated().map { ($1, AgentProfile.named(["claude", "codex", "amp", "antigravity"][$0 % 4])!) })
        while !Task.isCancelled {
            for name in server.names {
                guard let screen = try? server.tmux.capturePane(server.pane(name), escapes: true) else { continue }
                let reading = ScreenClassifier.classify(screen, profile: profiles[name]!)
                if trackers[name]!.observe(reading, at: .now, wallTime: 0)?.to == .done { notices.record(name) }
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// Polls `condition` every 50 ms until it holds (a benchmark harness may poll; orch does not).
func waitUntil(_ what: String, timeout: Duration, _ condition: () -> Bool) async throws(BenchError) {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw BenchError(message: "timed out waiting for \(what)") }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

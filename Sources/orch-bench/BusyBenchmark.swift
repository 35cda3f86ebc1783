#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// Watching busy agents: N panes keep printing (a new line and a spinner, 20 times a second, as
/// an agent writing a long reply) while one more agent (a simulated Claude) takes turns. For
/// orch's watcher and for a 1 s capture-pane loop, in the same run: the CPU of the watching side
/// (this process and its tmux control client), the tmux server's extra over nobody watching, and
/// the finishing agent's latency from its done line drawn to the notice.
struct BusyBenchmark {
    let counts: [Int]
    /// How long each side is measured (the finishing agent takes turns meanwhile).
    let window: Duration
    let poll: Duration
    /// How long the largest count is watched after its row, for memory growth and latency
    /// over time (zero: not at all).
    var soak: Duration = .zero

    struct Row {
        var streams: Int
        var nobody: Double
        var orch: Side
        var polling: Side
        /// Long replies' done lines, under orch (ms).
        var long: [Double]
        var soak: [SoakSlice] = []
    }

    /// One tenth of the soak: orch's memory at its end and the finishing agent's latencies.
    struct SoakSlice {
        var end: Duration
        var own: Double
        var residentKB: Int
        var clientKB: Int
        var serverKB: Int
        var latencies: [Double]
    }

    struct Side {
        var own: Double
        var server: Double
        var latencies: [Double]
    }

    func run() async throws(BenchError) -> String {
        var rows: [Row] = []
        for count in counts { rows.append(try await measure(count)) }
        return report(rows)
    }

    func measure(_ count: Int) async throws(BenchError) -> Row {
        let socket = "orch-bench-busy\(count)-\(getpid())"
        let tmux = TmuxClient(endpoint: TmuxEndpoint(socketName: socket))
        let session = "busy"
        let directory = "/tmp/\(socket)"
        FileSystem.makeDirectories(directory)
        let log = directory + "/claude00.jsonl"
        let me = FileSystem.executablePath()
        defer {
            tmux.killServer()
            FileSystem.remove(log)
            rmdir(directory)
        }
        do {
            try tmux.newSession(session, window: "main", command: ["sleep", "1000000"], width: 120, height: 30)
            try tmux.run(["set-option", "-g", "allow-rename", "off"])
            try tmux.newWindow(session: session, name: "claude00", index: 1, command: [me, "__sim-agent", "--profile", "claude", "--log", log])
            for i in 1...count {
                try tmux.newWindow(session: session, name: "stream\(i < 10 ? "0" : "")\(i)", index: i + 1, command: [me, "__stream", "20"])
            }
        } catch {
            throw BenchError(message: "could not start tmux: \(error)")
        }
        let finisher = "=\(session):claude00"
        try await waitUntil("the finishing agent starts", timeout: .seconds(30)) {
            (try? tmux.capturePane(finisher))?.contains("simulated by orch") == true
        }
        try? await Task.sleep(for: .seconds(2))  // every stream under way
        guard let serverPID = (try? tmux.run(["display-message", "-p", "#{pid}"])).flatMap({ Int32($0.filter(\.isNumber)) }) else {
            throw BenchError(message: "no tmux server pid")
        }
        let nobodyStart = cpuSeconds(of: serverPID)
        try? await Task.sleep(for: window)
        let nobody = (cpuSeconds(of: serverPID) - nobodyStart) / Stats.seconds(window) * 100

        // orch's watcher, in this process (as in the REPL), with its control client.
        let watcher = Watcher(endpoint: tmux.endpoint, session: session)
        do { try await watcher.start() } catch { throw BenchError(message: "watcher: \(error)") }
        let watched = NoticeLog()
        let events = await watcher.subscribe()
        let listener = Task {
            for await event in events {
                if case .transition(let change) = event, change.to == .done { watched.record(change.agent) }
            }
        }
        // Past the first second of each stream (then: working), and past `Watcher.muteAfter`
        // working (then: muted): the steady state of agents that have been streaming a while.
        try? await Task.sleep(for: .seconds(1) + Watcher.muteAfter + .seconds(1))
        let orch = try await side(tmux: tmux, finisher: finisher, log: log, notices: watched, serverPID: serverPID, client: await watcher.clientProcessID)
        let long = try await longReplies(tmux: tmux, session: session, directory: directory, notices: watched)
        var slices: [SoakSlice] = []
        if soak > .zero, count == counts.max() {
            let client = await watcher.clientProcessID
            let start = ContinuousClock.now
            for _ in 0..<10 {
                let slice = try await side(tmux: tmux, finisher: finisher, log: log, notices: watched, serverPID: serverPID, client: client, window: soak / 10)
                slices.append(SoakSlice(end: .now - start, own: slice.own, residentKB: REPLBenchmark.memory(getpid(), "VmRSS"), clientKB: client.map { REPLBenchmark.memory($0, "VmRSS") } ?? 0, serverKB: REPLBenchmark.memory(serverPID, "VmRSS"), latencies: slice.latencies))
            }
        }
        listener.cancel()
        await watcher.stop()

        // The guide's way, at 1 s: capture every pane, classify it with orch's own classifier.
        let polled = NoticeLog()
        let panes = ["claude00"] + (1...count).map { "stream\($0 < 10 ? "0" : "")\($0)" }
        let poller = Task {
            var trackers = Dictionary(uniqueKeysWithValues: panes.map { ($0, StateTracker(at: .now)) })
            while !Task.isCancelled {
                for name in panes {
                    guard let screen = try? tmux.capturePane("=\(session):\(name)", escapes: true) else { continue }
                    let reading = ScreenClassifier.classify(screen, profile: AgentProfile.forWindowName(name))
                    if trackers[name]!.observe(reading, at: .now, wallTime: 0)?.to == .done { polled.record(name) }
                }
                try? await Task.sleep(for: poll)
            }
        }
        let polling = try await side(tmux: tmux, finisher: finisher, log: log, notices: polled, serverPID: serverPID, client: nil)
        poller.cancel()
        return Row(streams: count, nobody: nobody, orch: orch, polling: polling, long: long, soak: slices)
    }

    /// Long replies, while the others keep streaming: panes that print for 4–9 s and then draw
    /// a done line. orch mutes a pane busy for longer than `Watcher.muteAfter`, so these done
    /// lines are noticed at a sample, not within the usual 20 ms: their latency, in ms.
    func longReplies(tmux: TmuxClient, session: String, directory: String, notices: NoticeLog) async throws(BenchError) -> [Double] {
        let me = FileSystem.executablePath()
        let names = (0..<6).map { "claude-long\($0)" }
        let logs = names.map { directory + "/\($0).done" }
        let started = MonotonicClock.nanoseconds()
        do {
            for (k, name) in names.enumerated() {
                try tmux.newWindow(session: session, name: name, index: 900 + k, command: [me, "__stream", "20", "\(4 + k)", logs[k]])
            }
        } catch {
            throw BenchError(message: "could not start the long replies: \(error)")
        }
        defer {
            for (k, log) in logs.enumerated() {
                _ = try? tmux.run(["kill-window", "-t", "=\(session):\(900 + k)"])
                FileSystem.remove(log)
            }
        }
        var latencies: [Double] = []
        try await waitUntil("every long reply noticed", timeout: .seconds(40)) {
            latencies = zip(names, logs).compactMap { name, log in
                guard case .success(let text) = FileSystem.readText(log), let drawn = Int(text.filter(\.isNumber)),
                    let noticed = notices.first(for: name, after: max(drawn, started))
                else { return nil }
                return Double(noticed - drawn) / 1_000_000
            }
            return latencies.count == names.count
        }
        return latencies
    }

    /// CPU over `window` while the finishing agent takes turns of 1–2 s, and each turn's latency.
    func side(tmux: TmuxClient, finisher: String, log: String, notices: NoticeLog, serverPID: Int32, client: Int32?, window: Duration? = nil) async throws(BenchError) -> Side {
        let window = window ?? self.window
        let clock = ContinuousClock()
        let end = clock.now + window
        let ownStart = ownCPUSeconds() + (client.map(cpuSeconds) ?? 0)
        let serverStart = cpuSeconds(of: serverPID)
        var latencies: [Double] = []
        var turn = 0
        while clock.now < end {
            turn += 1
            let before = Self.doneTimes(log).count
            do {
                try tmux.typeLiteral("[work=\(Int.random(in: 1000...2000))ms] busy turn \(turn)", into: finisher)
                try? await Task.sleep(for: .milliseconds(300))
                try tmux.sendKeys(["Enter"], to: finisher)
            } catch {
                throw BenchError(message: "send: \(error)")
            }
            var drawn: Int?
            try await waitUntil("busy turn \(turn) noticed (\(client == nil ? "polling" : "orch") side; the finishing agent shows: \(((try? tmux.capturePane(finisher)) ?? "").split(separator: "\n").suffix(4).joined(separator: " | ")))", timeout: .seconds(30)) {
                let done = Self.doneTimes(log)
                guard done.count > before, let at = done.last, notices.first(for: "claude00", after: at) != nil else { return false }
                drawn = at
                return true
            }
            if let drawn, let noticed = notices.first(for: "claude00", after: drawn) { latencies.append(Double(noticed - drawn) / 1_000_000) }
        }
        let elapsed = Stats.seconds(window) + Stats.seconds(clock.now - end)
        let own = (ownCPUSeconds() + (client.map(cpuSeconds) ?? 0) - ownStart) / elapsed * 100
        let server = (cpuSeconds(of: serverPID) - serverStart) / elapsed * 100
        return Side(own: own, server: server, latencies: latencies)
    }

    static func doneTimes(_ log: String) -> [Int] {
        guard case .success(let text) = FileSystem.readText(log) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard line.contains("\"event\":\"done\""), let range = line.firstRange(of: "\"monotonic_ns\":") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    func report(_ rows: [Row]) -> String {
        var table = """
            | streaming agents | orch: own + control client | tmux server extra | orch whole | 1 s polling: own | tmux server extra | polling whole | orch / polling | orch notice p50 · p99 | polling p50 · p99 | orch, long replies p50 · max |
            |---|---|---|---|---|---|---|---|---|---|---|

            """
        for row in rows {
            let orchExtra = max(0, row.orch.server - row.nobody)
            let pollExtra = max(0, row.polling.server - row.nobody)
            let orchWhole = row.orch.own + orchExtra
            let pollWhole = row.polling.own + pollExtra
            let o = (Stats.percentile(row.orch.latencies, 0.5), Stats.percentile(row.orch.latencies, 0.99))
            let p = (Stats.percentile(row.polling.latencies, 0.5), Stats.percentile(row.polling.latencies, 0.99))
            table += "| \(row.streams) | \(Stats.percent(row.orch.own)) | \(Stats.percent(orchExtra)) | \(Stats.percent(orchWhole)) | \(Stats.percent(row.polling.own)) | \(Stats.percent(pollExtra)) | \(Stats.percent(pollWhole)) | \(Stats.ratio(orchWhole, pollWhole, decimals: 2)) | \(Stats.ms(o.0)) · \(Stats.ms(o.1)) (\(row.orch.latencies.count) turns) | \(Stats.ms(p.0)) · \(Stats.ms(p.1)) | \(Stats.ms(Stats.percentile(row.long, 0.5))) · \(Stats.ms(row.long.max() ?? 0)) |\n"
        }
        for row in rows where !row.soak.isEmpty {
            table += "\nSoak: \(row.streams) agents streaming, orch watching for \(soak.compactDescription) (and the finishing agent taking turns):\n\n"
            table += "| after | orch own CPU | orch resident | control client resident | tmux server resident | notice p50 · p99 · max |\n|---|---|---|---|---|---|\n"
            for slice in row.soak {
                let l = slice.latencies
                table += "| \(slice.end.compactDescription) | \(Stats.percent(slice.own)) | \(Stats.megabytes(slice.residentKB)) | \(Stats.megabytes(slice.clientKB)) | \(Stats.megabytes(slice.serverKB)) | \(Stats.ms(Stats.percentile(l, 0.5))) · \(Stats.ms(Stats.percentile(l, 0.99))) · \(Stats.ms(l.max() ?? 0)) (\(l.count) turns) |\n"
            }
        }
        return """
            Busy: N agents printing 20 lines/s while one more takes turns (\(window.compactDescription) per side; % of one core; nobody watching: tmux server \(rows.map { Stats.percent($0.nobody) }.joined(separator: " / "))):

            \(table)
            """
    }
}

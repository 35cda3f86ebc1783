#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// What long use costs: `orch log 20` and `orch queue` (a queue change, as every dispatch makes)
/// with an empty state folder and with `entries` old journal entries and finished tasks.
struct HistoryBenchmark {
    let entries: Int
    let calls = 20

    func run() throws(BenchError) -> String {
        let socket = "orch-bench-history-\(getpid())"
        let tmux = TmuxClient(endpoint: TmuxEndpoint(socketName: socket))
        let root = "/tmp/\(socket)"
        defer {
            tmux.killServer()
            FileSystem.removeTree(root)
        }
        do {
            try tmux.newSession("history", window: "main", command: ["sleep", "1000000"], width: 80, height: 24)
        } catch {
            throw BenchError(message: "could not start tmux: \(error)")
        }
        let orch = BenchServer.siblingExecutable("orch")
        func measure(_ state: String) -> (log: Double, queue: Double) {
            var logs: [Double] = []
            var queues: [Double] = []
            for i in 0..<calls {
                logs.append(Self.time(orch, ["-L", socket, "-s", "history", "log", "20"], state: state))
                queues.append(Self.time(orch, ["-L", socket, "-s", "history", "queue", "any", "task \(i)"], state: state))
            }
            return (Stats.percentile(logs, 0.5), Stats.percentile(queues, 0.5))
        }
        let empty = measure(root + "/empty")
        // Old state as long use left it before compaction and rotation: one file each.
        let folder = root + "/full/orch/history"
        FileSystem.makeDirectories(folder)
        var journal = ""
        var queue = ""
        for i in 1...entries {
            journal += "{\"time_ms\":\(1_700_000_000_000 + i),\"event\":\"send\",\"agent\":\"amp\",\"phase\":\"submitted\",\"enters\":1,\"seen\":null}\n"
            queue += "{\"op\":\"add\",\"id\":\(i),\"target\":null,\"text\":\"old task \(i)\",\"time_ms\":\(1_700_000_000_000 + i)}\n{\"op\":\"state\",\"id\":\(i),\"state\":\"done\",\"agent\":\"amp\",\"time_ms\":\(1_700_000_000_000 + i)}\n"
        }
        _ = FileSystem.replace(folder + "/journal.jsonl", with: journal)
        _ = FileSystem.replace(folder + "/queue.jsonl", with: queue)
        let full = measure(root + "/full")
        return """
            Long use (\(calls) calls each, median wall time of the one-shot command; \(entries) old journal entries and \(entries) finished tasks against none):

            | command | empty state | after \(entries) entries | ratio |
            |---|---|---|---|
            | `orch log 20` | \(Stats.ms(empty.log)) | \(Stats.ms(full.log)) | \(Stats.ratio(full.log, empty.log, decimals: 2)) |
            | `orch queue any TEXT` | \(Stats.ms(empty.queue)) | \(Stats.ms(full.queue)) | \(Stats.ratio(full.queue, empty.queue, decimals: 2)) |

            """
    }

    /// Milliseconds from spawn to exit, with `state` as the child's XDG_STATE_HOME (set in this
    /// process, which the child inherits; nothing else runs meanwhile).
    static func time(_ program: String, _ arguments: [String], state: String) -> Double {
        setenv("XDG_STATE_HOME", state, 1)
        defer { unsetenv("XDG_STATE_HOME") }
        let start = ContinuousClock.now
        _ = try? Spawner.run(program, arguments)
        return Stats.seconds(ContinuousClock.now - start) * 1000
    }
}

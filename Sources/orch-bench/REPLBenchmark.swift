#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// The REPL on a pseudo-terminal, watching every agent of `server`: the time from starting orch
/// to its prompt (the watcher is connected and every pane read by then), and the memory of orch
/// and of its tmux control client once `status` has answered.
struct REPLBenchmark {
    let server: BenchServer
    let starts: Int

    func run() async throws(BenchError) -> String {
        let orch = BenchServer.siblingExecutable("orch")
        guard FileSystem.exists(orch) else { return "(REPL skipped: build orch too)\n" }
        // A private state and config folder: the REPL's history and queue stay out of the user's.
        let home = server.directory + "/repl-home"
        FileSystem.makeDirectories(home)
        defer { FileSystem.removeTree(home) }
        setenv("XDG_STATE_HOME", home + "/state", 1)
        setenv("XDG_CONFIG_HOME", home + "/config", 1)
        setenv("NO_COLOR", "1", 1)
        setenv("EDITRC", "/dev/null", 1)
        if getenv("TERM") == nil { setenv("TERM", "xterm-256color", 1) }

        var startups: [Double] = []
        var memory: (orch: Int, orchPeak: Int, client: Int)?
        let prompt = "orch:\(server.session)> "
        for start in 0..<starts {
            let terminal = try PseudoTerminal()
            let began = MonotonicClock.nanoseconds()
            let pid: pid_t
            do {
                pid = try Spawner.spawn(orch, server.tmux.endpoint.arguments + ["-s", server.session], stdin: terminal.follower, stdout: terminal.follower, stderr: terminal.follower)
            } catch { throw BenchError(message: "orch: \(error)") }
            defer { Self.finish(pid) }
            guard terminal.read(until: { $0.contains(prompt) }, timeout: .seconds(30)) else {
                throw BenchError(message: "the REPL showed no prompt within 30 s; it printed: \(terminal.text.suffix(500))")
            }
            startups.append(Double(MonotonicClock.nanoseconds() - began) / 1_000_000)
            if start == 0 {
                terminal.clear()
                terminal.type("status\r")
                let last = server.names.last!
                guard terminal.read(until: { $0.contains(last) && $0.hasSuffix(prompt) }, timeout: .seconds(30)) else {
                    throw BenchError(message: "the REPL did not answer status within 30 s")
                }
                let client = Self.children(of: pid).first { Self.commandLine($0).contains("-C") }
                memory = (Self.memory(pid, "VmRSS"), Self.memory(pid, "VmHWM"), client.map { Self.memory($0, "VmRSS") } ?? 0)
            }
            terminal.type("exit\r")
        }
        let mb = Stats.megabytes
        var table = """
            The REPL watching \(server.names.count) agents (on a pseudo-terminal, \(starts) starts):

            | measure | value |
            |---|---|
            | start-up to prompt, median (watcher connected, every pane read) | \(Stats.ms(Stats.percentile(startups, 0.5))) |
            | start-up to prompt, slowest | \(Stats.ms(startups.max() ?? .nan)) |

            """
        if let memory {
            table += "| memory of orch after `status` (resident; peak) | \(mb(memory.orch)); \(mb(memory.orchPeak)) |\n"
            table += "| memory of its tmux control client (resident) | \(mb(memory.client)) |\n"
        }
        return table
    }

    /// Waits up to 5 s for the REPL to leave after `exit`, then kills it.
    static func finish(_ pid: pid_t) {
        let deadline = ContinuousClock.now + .seconds(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return
            }
            usleep(10_000)
        }
    }

    /// A `/proc/PID/status` field in kB (0 when unreadable).
    static func memory(_ pid: pid_t, _ field: String) -> Int {
        guard case .success(let text) = FileSystem.readText("/proc/\(pid)/status"),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? 0
    }

    /// Children of every thread of `pid` (the control client is started from a worker thread).
    static func children(of pid: pid_t) -> [pid_t] {
        guard let folder = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(folder) }
        var found: [pid_t] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let thread = pid_t(name), case .success(let text) = FileSystem.readText("/proc/\(pid)/task/\(thread)/children") else { continue }
            found += text.split(separator: " ").compactMap { pid_t($0) }
        }
        return found
    }

    static func commandLine(_ pid: pid_t) -> String {
        guard case .success(let text) = FileSystem.readText("/proc/\(pid)/cmdline") else { return "" }
        return text.replacingNUL
    }
}

extension String {
    var replacingNUL: String { String(map { $0 == "\u{0}" ? " " : $0 }) }
}

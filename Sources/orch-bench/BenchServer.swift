#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// A private tmux server with `count` simulated agents, each logging when it draws its done line.
struct BenchServer {
    let tmux: TmuxClient
    let session = "bench"
    let directory: String
    let names: [String]

    init(count: Int, prefix: String = "agents", profiles: [String] = ["claude", "codex", "amp", "antigravity"], options: [String] = []) throws(BenchError) {
        let socket = "orch-bench-\(prefix)\(count)-\(getpid())"
        tmux = TmuxClient(endpoint: TmuxEndpoint(socketName: socket))
        directory = "/tmp/\(socket)"
        FileSystem.makeDirectories(directory)
        // Named after their profile (claude01, codex02…), as orch tells profiles by window name.
        names = (1...count).map { "\(profiles[($0 - 1) % profiles.count])\($0 < 10 ? "0" : "")\($0)" }
        let me = FileSystem.executablePath()
        do {
            try tmux.newSession(session, window: "main", command: ["sleep", "1000000"], width: 120, height: 30)
            for (i, name) in names.enumerated() {
                try tmux.newWindow(session: session, name: name, index: i + 1, command: [me, "__sim-agent", "--profile", profiles[i % profiles.count], "--log", log(name)] + options)
            }
            try tmux.run(["set-option", "-g", "allow-rename", "off"])
        } catch {
            tmux.killServer()
            throw BenchError(message: "could not start tmux: \(error)")
        }
    }

    func log(_ name: String) -> String { "\(directory)/\(name).jsonl" }

    /// The prompts `name` received so far, in order.
    func prompts(_ name: String) -> [String] {
        guard case .success(let text) = FileSystem.readText(log(name)) else { return [] }
        return text.split(separator: "\n").compactMap { JSONValue.parse(String($0))?["text"]?.stringValue }
    }

    /// Monotonic nanoseconds at which `name` drew each done line so far.
    func doneTimes(_ name: String) -> [Int] {
        guard case .success(let text) = FileSystem.readText(log(name)) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard line.contains("\"event\":\"done\""), let range = line.firstRange(of: "\"monotonic_ns\":") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    func pane(_ name: String) -> String { "=\(session):\(name)" }

    /// Types a prompt into every agent, then presses Enter in each once they have settled.
    func sendAll(_ prompts: [String: String]) async throws(TmuxError) {
        for (name, prompt) in prompts { try tmux.typeLiteral(prompt, into: pane(name)) }
        try? await Task.sleep(for: .milliseconds(300))
        for name in prompts.keys { try tmux.sendKeys(["Enter"], to: pane(name)) }
    }

    func stop() {
        tmux.killServer()
        for name in names { FileSystem.remove(log(name)) }
        rmdir(directory)
    }

    /// A program built beside orch-bench (`orch`), whatever the build folder.
    static func siblingExecutable(_ name: String) -> String {
        let me = FileSystem.executablePath()
        guard let slash = me.lastIndex(of: "/") else { return name }
        return String(me[...slash]) + name
    }

    var serverPID: Int32? { (try? tmux.run(["display-message", "-p", "#{pid}"])).flatMap { Int32($0.filter(\.isNumber)) } }
}

/// CPU seconds used so far by a process, from /proc/PID/stat (utime + stime).
func cpuSeconds(of pid: Int32) -> Double {
    guard case .success(let stat) = FileSystem.readText("/proc/\(pid)/stat"),
        let close = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU seconds of this process and of its reaped children (the polling loop's tmux clients).
func ownCPUSeconds() -> Double {
    var me = rusage()
    var children = rusage()
    getrusage(RUSAGE_SELF.rawValue, &me)
    getrusage(RUSAGE_CHILDREN.rawValue, &children)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    return seconds(me.ru_utime) + seconds(me.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
}

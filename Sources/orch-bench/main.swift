#if canImport(Glibc)
import Glibc
#endif
import OrchCore
import SimAgent

// orch-bench: notice latency and idle CPU of orch's watcher against a capture-pane polling loop,
// on simulated agents in a private tmux server. See README, "Performance".
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "__sim-agent" {
    exit(SimAgent.main(arguments: Array(arguments.dropFirst())))
}
if arguments.first == "__stream" {
    exit(StreamingPane.main(arguments: Array(arguments.dropFirst())))
}
guard let options = BenchOptions(arguments) else {
    FileSystem.writeAll(BenchOptions.usage, to: 2)
    exit(2)
}
let report = runBlocking { () -> Result<String, BenchError> in
    do throws(BenchError) { return .success(try await Benchmark(options: options).run()) } catch { return .failure(error) }
}
switch report {
case .success(let text): FileSystem.writeAll(text, to: 1)
case .failure(let error):
    FileSystem.writeAll("orch-bench: \(error.message)\n", to: 2)
    exit(1)
}

#if canImport(Glibc)
import Glibc
#endif
import SimAgent

// `orch __sim-agent …` runs a simulated agent CLI (what `orch demo` and the tests put in tmux
// windows); it is not part of the user-facing command line.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "__sim-agent" {
    exit(SimAgent.main(arguments: Array(arguments.dropFirst())))
}
OrchCommand.start(arguments)

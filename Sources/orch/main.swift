#if canImport(Glibc)
import Glibc
#endif
import OrchCore
import SimAgent

// `orch __sim-agent …` runs a simulated agent CLI (what `orch demo` and the tests put in tmux
// windows); it is not part of the user-facing command line.
// A parent may start orch with signals blocked (the mask is inherited); orch handles these itself
// (Ctrl-C cancels a command, the demo cleans up on SIGTERM/SIGHUP), so they must get through.
var handled = sigset_t()
sigemptyset(&handled)
for number in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&handled, number) }
sigprocmask(SIG_UNBLOCK, &handled, nil)

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "__sim-agent" {
    exit(SimAgent.main(arguments: Array(arguments.dropFirst())))
}
// What an agent CLI's hook runs: small and fast (no argument parser), always exit 0.
if arguments.first == "hook" {
    exit(HookReceiver.run(Array(arguments.dropFirst())))
}
if arguments.first == "hooks" {
    exit(HooksCommand.run(Array(arguments.dropFirst()), print: { FileSystem.writeAll($0 + "\n", to: 1) }, printError: { FileSystem.writeAll($0 + "\n", to: 2) }))
}
if QuickPeekShortcut.run(arguments) { exit(0) }
OrchCommand.start(arguments)

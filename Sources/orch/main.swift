#if canImport(Glibc)
import Glibc
#endif
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
if QuickPeekShortcut.run(arguments) { exit(0) }
OrchCommand.start(arguments)

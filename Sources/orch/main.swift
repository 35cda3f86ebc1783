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
// What an agent CLI's hook runs: small and fast (no argument parser), always exit 0. The
// server options do not matter to either (the hook finds its server by $TMUX): skipped.
var hookWords = arguments[...]
while let first = hookWords.first, ["-L", "-S", "-s", "--socket-name", "--socket-path", "--session"].contains(first) || first == "--no-color" {
    hookWords = hookWords.dropFirst(first == "--no-color" ? 1 : 2)
}
if hookWords.first == "hook" {
    exit(HookReceiver.run(Array(hookWords.dropFirst())))
}
if hookWords.first == "hooks" {
    exit(HooksCommand.run(Array(hookWords.dropFirst()), print: { FileSystem.writeAll($0 + "\n", to: 1) }, printError: { FileSystem.writeAll($0 + "\n", to: 2) }))
}
if QuickPeekShortcut.run(arguments) { exit(0) }
OrchCommand.start(arguments)

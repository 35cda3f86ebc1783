/// The output of an interpreter that serves several callers at once (`orch mcp`'s tool calls):
/// each line goes to the capture of the call that printed it, found through a task-local (the
/// interpreter runs a call's command in the call's own task and its child tasks).
///
/// Lines printed outside any call (the dispatcher handing out a queued task, the config file's
/// `echo`) go to standard error: standard output carries only protocol messages.
public final class RoutedOutput: OutputSink {
    @TaskLocal public static var current: CapturedOutput?

    public init() {}

    public func print(_ line: String) {
        if let capture = Self.current { capture.print(line) } else { FileSystem.writeAll(line + "\n", to: 2) }
    }

    public func printError(_ line: String) {
        if let capture = Self.current { capture.printError(line) } else { FileSystem.writeAll(line + "\n", to: 2) }
    }
}

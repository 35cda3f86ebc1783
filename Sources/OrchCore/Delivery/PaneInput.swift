#if canImport(Glibc)
import Glibc
#endif
import CPosix

/// What the program in a pane has not read yet: the bytes tmux wrote to the pane's terminal
/// that wait in its input queue (`FIONREAD` on the pane's tty, `#{pane_tty}`).
///
/// A starved agent (a loaded machine held simulated agents for seconds) shows nothing of text it
/// has not read, so an unchanged screen does not mean nothing is coming: a killed sender's paste
/// may still sit in the queue and land after the next prompt is typed (glued), and an Enter
/// pressed before the agent read the text lands inside it. Only on this machine: a remote
/// host's ttys are out of reach, and there the screen alone decides.
public struct PaneInput: Sendable {
    public let tty: String

    /// The pane's terminal, when it is on this machine and can be opened.
    public init?(tty: String) {
        guard tty.hasPrefix("/dev/"), access(tty, R_OK) == 0 else { return nil }
        self.tty = tty
    }

    /// Bytes not read yet, or nil when the terminal cannot be asked (it closed).
    public func unread() -> Int? {
        // Opened without becoming anyone's controlling terminal, and never read from.
        let fd = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let count = orch_unread_bytes(fd)
        return count >= 0 ? Int(count) : nil
    }

    /// Waits until the program has read everything written to it, at most `limit`; true when it has.
    @discardableResult
    public func waitUntilRead(limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while let count = unread(), count > 0 {
            guard ContinuousClock.now < deadline else { return false }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return false }
        }
        return true
    }
}

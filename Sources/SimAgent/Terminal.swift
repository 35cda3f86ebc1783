#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// The controlling terminal in raw mode, restored on `restore()`.
struct RawTerminal {
    private var saved = termios()
    private var active = false

    mutating func enable() {
        guard isatty(0) != 0, tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        raw.c_cflag |= tcflag_t(CS8)
        tcsetattr(0, TCSAFLUSH, &raw)
        active = true
    }

    func restore() {
        guard active else { return }
        var original = saved
        tcsetattr(0, TCSAFLUSH, &original)
    }

    /// Rows and columns of the terminal (tmux pane), with a fallback for pipes.
    static func size() -> (rows: Int, columns: Int) {
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 {
            return (Int(ws.ws_row), Int(ws.ws_col))
        }
        return (24, 80)
    }

    static func write(_ text: String) { FileSystem.writeAll(text, to: 1) }
}

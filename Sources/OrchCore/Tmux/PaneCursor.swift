/// Where tmux's cursor is in a pane, and whether the pane is in a mode (copy mode: keys then
/// go to tmux, not to the program). Text typed into an input box leaves the cursor after it; a
/// submitted prompt moves it (docs/real-agents.md, "tmux knows more than the screen text").
public struct PaneCursor: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var inMode: Bool

    public init(x: Int, y: Int, inMode: Bool) {
        self.x = x
        self.y = y
        self.inMode = inMode
    }

    /// The `display-message -p` format this parses.
    static let format = "#{cursor_x} #{cursor_y} #{pane_in_mode}"

    init?(parsing line: Substring) {
        let fields = line.split(separator: " ")
        guard fields.count == 3, let x = Int(fields[0]), let y = Int(fields[1]) else { return nil }
        self.init(x: x, y: y, inMode: fields[2] == "1")
    }
}

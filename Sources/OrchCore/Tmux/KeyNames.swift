/// tmux key names `key AGENT KEY...` accepts, so a typo is an error instead of being typed as text
/// (tmux's send-keys types an unknown name literally). From tmux(1), "KEY BINDINGS".
public enum KeyNames {
    static let named: Set<String> = [
        "Enter", "Escape", "Tab", "BTab", "BSpace", "Space", "Up", "Down", "Left", "Right",
        "Home", "End", "PageUp", "PgUp", "PPage", "PageDown", "PgDn", "NPage", "IC", "Insert",
        "DC", "Delete", "KPEnter", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10",
        "F11", "F12",
    ]

    /// True for `Enter`, `C-c`, `M-Up`, `S-Tab`, `C-M-x`, or a single character.
    public static func isValid(_ key: String) -> Bool {
        var rest = Substring(key)
        while rest.count > 2, let dash = rest.dropFirst().first, dash == "-",
            let modifier = rest.first, "CMS".contains(modifier)
        {
            rest = rest.dropFirst(2)
        }
        return rest.count == 1 || named.contains(String(rest))
    }

    /// The names listed in help and completion.
    public static var common: [String] { ["Enter", "Escape", "C-c", "C-d", "Tab", "BTab", "Up", "Down", "Left", "Right", "BSpace", "Space", "PageUp", "PageDown", "Home", "End"] }
}

/// Screens shaped like orch's simulated agents: transcript tail, input box, footer.
///
/// The simulated agent redraws the whole screen; these builders produce what `capture-pane` would
/// return for each profile, so the classifier is tested against the sim's exact layout.
enum SimScreen {
    static let rule = String(repeating: "─", count: 72)

    /// Claude: `───` / `❯ TEXT` (continuation lines indented) / `───` / footer.
    static func claude(_ transcript: [String], typed: [String] = [], footer: String = "  ? for shortcuts") -> String {
        var lines = transcript + ["", rule]
        lines.append("❯ " + (typed.first ?? ""))
        lines += typed.dropFirst().map { "  " + $0 }
        lines += [rule, footer]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Codex: `› TEXT` (placeholder when empty), a blank line, the footer.
    static func codex(_ transcript: [String], typed: [String] = []) -> String {
        var lines = transcript + [""]
        lines.append("› " + (typed.first ?? "Ask Codex to do anything"))
        lines += typed.dropFirst().map { "  " + $0 }
        lines += ["", "  ? for shortcuts    100% context left"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Amp: a rounded box `╭──╮` / `│ TEXT │` / `╰──╯`, then its footer.
    static func amp(_ transcript: [String], typed: [String] = []) -> String {
        let width = 60
        func row(_ text: String) -> String {
            "│ " + text + String(repeating: " ", count: max(0, width - 4 - text.count)) + " │"
        }
        var lines = transcript + [""]
        lines.append("╭" + String(repeating: "─", count: width - 2) + "╮")
        lines += (typed.isEmpty ? [""] : typed).map(row)
        lines.append("╰" + String(repeating: "─", count: width - 2) + "╯")
        lines.append("  amp · ctrl+c to exit")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Antigravity: `❯ TEXT` with no rules, then its footer.
    static func antigravity(_ transcript: [String], typed: String = "") -> String {
        (transcript + ["", "❯ " + typed, "  ? for shortcuts"]).joined(separator: "\n") + "\n"
    }

    /// Generic: `> TEXT`, then its footer.
    static func generic(_ transcript: [String], typed: String = "") -> String {
        (transcript + ["", "> " + typed, "  ctrl+c to quit"]).joined(separator: "\n") + "\n"
    }

    /// An older exchange, so the live region has scrollback above the current turn.
    static let history = [
        "> summarise the README",
        "The README describes orch, a tool that drives agent CLIs in tmux windows.",
        "It lists the commands send, wait, peek and queue.",
    ]
}

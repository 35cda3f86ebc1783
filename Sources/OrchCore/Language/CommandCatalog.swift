/// Every command of the language, as data: what `help` prints and what the parser suggests for a typo.
///
/// The order is the order `help` lists them in: session and agents first, then talking to agents,
/// waiting, the queue, control flow, and settings.
public enum CommandCatalog {
    /// All commands, each once (aliases live inside their command's entry).
    public static let all: [CommandHelp] = [
        CommandHelp(
            name: "session",
            syntax: "session NAME",
            summary: "Switch to another tmux session and re-read its windows as agents.",
            details: """
                NAME is a session on the current tmux server; its windows become the agents (windows \
                named main or ending in -proxy are not agents unless declared with `agent`).
                """,
            example: "session moana-orchestration"),
        CommandHelp(
            name: "agent",
            syntax: "agent NAME window N [profile P]",
            summary: "Declare an agent or re-map one to another window and profile.",
            details: """
                Usually written in init.orch. N is the tmux window index. P is one of claude, amp, \
                codex, antigravity, gemini, aider, generic; without it the profile is chosen from the \
                name. NAME cannot be a number, contain ',', or be `any` or `all`.
                """,
            example: "agent reviewer window 4 profile claude"),
        CommandHelp(
            name: "host",
            syntax: "host NAME [socket S | socket-path P] [session S] ssh SSH-ARGS...",
            summary: "Reach the agents of a tmux server on another machine, as AGENT@NAME.",
            details: """
                The words after ssh are ssh's own, destination last. orch keeps one ssh connection \
                per host for its watcher and reuses it for every command (ControlMaster); ssh must log \
                in with a key, never a password (BatchMode). S and P select the tmux server there \
                (-L / -S), session its session (else the one there is). Prompt text never goes \
                through a remote shell's command line.
                """,
            example: "host gpu1 socket agents ssh -p 2222 me@gpu1.lan"),
        CommandHelp(
            name: "agents",
            syntax: "agents",
            summary: "Show a table of agents: name, window, profile, state, since, last line.",
            details: "With --format json it prints one JSON array, an object per agent (agent, window, pane, profile, state, last_line).",
            example: "agents"),
        CommandHelp(
            name: "status",
            syntax: "status [AGENT...]",
            summary: "Print one line per agent: its state and for how long.",
            details: """
                Without AGENT, every agent. AGENT is a window name or index; several may be given, \
                separated by spaces or commas.
                """,
            example: "status amp,codex"),
        CommandHelp(
            name: "send",
            syntax: "send [--no-submit] [--no-wait] [--force] AGENT[,AGENT...] TEXT | --file PATH",
            summary: "Type TEXT into each agent's input and submit it, checking that it was submitted.",
            details: """
                Waits until the agent is free (its turn over, also one streaming text with no indicator), \
                types TEXT, presses Enter, and presses Enter again only while the text is still in the \
                box with the cursor on it. It never presses Enter into a question, closes a completion \
                popup first, and reports "unverified" (exit 1) when nothing shows the prompt was taken. \
                One sender per agent at a time, across orch processes: concurrent sends queue. Escape \
                sequences and control characters other than newline and tab are removed (they would act \
                as keys). Options come before the agents: --no-submit types without pressing Enter, \
                --no-wait does not wait for the agent to be free, --force sends even while the agent \
                waits for input. Every word after the agents is TEXT, joined by single spaces; quote it \
                or use a heredoc to keep it exact. --file PATH sends a file's contents (- reads standard \
                input), for prompts too big for a command line.
                """,
            example: """
                send amp "Run the tests and fix what fails."
                send codex <<EOF
                Implement the parser in Sources/Parser.swift.
                Run the tests before you stop.
                EOF
                """),
        CommandHelp(
            name: "enter",
            syntax: "enter AGENT",
            summary: "Press Enter in an agent's window, to submit a prompt that sits unexecuted.",
            details: "Use it when `status` shows the agent in state input because its prompt was not submitted.",
            example: "enter amp"),
        CommandHelp(
            name: "key",
            syntax: "key AGENT KEY...",
            summary: "Send tmux key names to an agent, in order.",
            details:
                "KEY is a tmux key name: Enter, Escape, C-c, Up, Down, Tab, BSpace… Text is not typed; use send for text.",
            example: "key codex Escape C-c"),
        CommandHelp(
            name: "peek",
            syntax: "peek AGENT [LINES]",
            summary: "Show the last LINES non-empty lines of an agent's pane (default 15).",
            details: "LINES is a positive number.",
            example: "peek codex 40"),
        CommandHelp(
            name: "reply",
            syntax: "reply AGENT",
            summary: "Print the agent's answer to the last prompt sent to it.",
            details: """
                From its CLI's hook when one reported it (`orch hooks install codex`), else the screen \
                text between the prompt's echo and the input box. With a turn still running, says so.
                """,
            example: "reply codex"),
        CommandHelp(
            name: "wait",
            syntax: "wait STATE TARGET [timeout D]",
            summary: "Block until agents reach a state, then print who did and their last line.",
            details: """
                STATE is working, done, idle, input or free (done or idle). TARGET is an agent, a list \
                A,B (all of them), any, or all. A timeout is an error (exit status 1 in scripts); \
                Ctrl-C cancels in the REPL. `wait free any` names the agent to give work to next.
                """,
            example: "wait done amp,codex timeout 10m"),
        CommandHelp(
            name: "queue",
            syntax: """
                queue [AGENT|any] TEXT
                queue list
                queue rm ID
                queue retry ID
                queue clear
                """,
            summary: "Queue a task for the next free agent (or a named one), or manage the queue.",
            details: """
                With dispatch on, a queued task is sent to a free agent as soon as there is one. A \
                single word is the task's text for any agent; with more words the first is the target \
                (`any` or an agent) and the rest the text. `list` shows tasks with their IDs, `rm ID` \
                removes one, `retry ID` queues one again (sent, done or removed: a delivery that fails goes back to waiting by itself), `clear` removes all that wait. To \
                queue a text that starts with one of those words, name the target: queue any clear \
                the cache.
                """,
            example: """
                queue "Write tests for the lexer."
                queue codex "Review the parser."
                queue list
                """),
        CommandHelp(
            name: "dispatch",
            syntax: "dispatch on|off",
            summary: "Turn automatic sending of queued tasks to free agents on or off.",
            details: "On by default in the REPL.",
            example: "dispatch off"),
        CommandHelp(
            name: "loop",
            syntax: """
                loop N { ... }
                loop every D { ... }
                loop until COND { ... }
                """,
            summary: "Repeat a block N times, every D, or until a condition holds.",
            details: """
                The `{` goes on the same line as `loop`; the body may span lines. COND is `queue empty` \
                or STATE TARGET as for wait (`done amp`, `free any`, `idle all`). `loop every` runs \
                until Ctrl-C or break. `break` leaves the innermost loop.
                """,
            example: """
                loop until queue empty {
                    wait free any timeout 30m
                    sleep 5s
                }
                """),
        CommandHelp(
            name: "break",
            syntax: "break",
            summary: "Leave the innermost loop.",
            details: "Only valid inside a loop body, at any depth of { } groups.",
            example: """
                loop every 30s {
                    wait done amp timeout 1m
                    break
                }
                """),
        CommandHelp(
            name: "sleep",
            syntax: "sleep D",
            summary: "Pause for a duration.",
            details: "D is a number with a unit: 500ms, 30s, 5m, 1h, or combined as 1h30m; Ctrl-C cancels.",
            example: "sleep 30s"),
        CommandHelp(
            name: "echo",
            syntax: "echo TEXT",
            summary: "Print TEXT (its words joined by single spaces); alone, an empty line.",
            details: "Useful in scripts to tell the reader what happens next.",
            example: "echo \"waiting for the reviewers\""),
        CommandHelp(
            name: "watch",
            syntax: "watch on|off",
            summary: "Turn on or off the notices printed when an agent becomes done, input or unknown.",
            details: "On by default in the REPL (unless --no-watch), off in scripts.",
            example: "watch on"),
        CommandHelp(
            name: "set",
            syntax: "set NAME VALUE",
            summary: "Change a setting, e.g. the bell on notices or the idle debounce.",
            details: "VALUE is the rest of the line, its words joined by single spaces.",
            example: "set quiet 3s"),
        CommandHelp(
            name: "pattern",
            syntax: "pattern PROFILE STATE TEXT",
            summary: "Add a screen pattern: when TEXT is on an agent's screen, it is in STATE.",
            details: """
                STATE is working, done, idle or input. TEXT is one word; quote it when it has spaces. \
                Usually written in init.orch to teach orch a new spinner or prompt.
                """,
            example: "pattern amp working \"Pondering\""),
        CommandHelp(
            name: "log",
            syntax: "log [N]",
            summary: "Show the last N journal entries (sends, keys, queue changes, state changes).",
            details:
                "N is a positive number; without it, the most recent entries. With --format json, the raw JSON lines.",
            example: "log 20"),
        CommandHelp(
            name: "source",
            syntax: "source FILE",
            summary: "Run the commands of an orch script file here.",
            details: "The file is in the same language as scripts and init.orch; its errors name the file.",
            example: "source ~/.config/orch/team.orch"),
        CommandHelp(
            name: "help",
            syntax: "help [COMMAND]",
            summary: "List the commands, or explain one.",
            details: "Without COMMAND, one line per command.",
            example: "help wait"),
        CommandHelp(
            name: "exit",
            aliases: ["quit"],
            syntax: "exit",
            summary: "Leave the REPL, or stop the script here.",
            details: "`quit` is the same command. Agents keep running in their windows.",
            example: "exit"),
    ]

    /// The entry for a command name or alias (`quit` gives `exit`'s entry), or nil.
    public static func named(_ name: String) -> CommandHelp? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// The command name or alias closest to `word`, for "did you mean…?"; nil when none is close.
    public static func suggestion(for word: String) -> String? {
        NearestWord.closest(to: word, among: all.flatMap { [$0.name] + $0.aliases })
    }
}

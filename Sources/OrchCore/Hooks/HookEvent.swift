/// The agent CLIs whose own hooks orch can receive (`orch hook CLI`).
public enum HookCLI: String, Sendable, CaseIterable {
    case codex, claude, gemini, agy
}

/// What a CLI's hook said about its agent, read from the hook's JSON payload. Pure: payload in,
/// event out (docs/language.md, "Hooks").
public struct HookEvent: Sendable, Equatable {
    /// The state the agent reached.
    public var state: AgentState
    /// The CLI's own name for the event (`agent-turn-complete`, `Stop`, …), quoted in `log`.
    public var name: String
    /// The agent's answer to the turn's prompt, when the payload carries it.
    public var reply: String?
    /// An error the turn ended with (Claude's StopFailure), or what the CLI is asking.
    public var detail: String?

    public init(state: AgentState, name: String, reply: String? = nil, detail: String? = nil) {
        self.state = state
        self.name = name
        self.reply = reply
        self.detail = detail
    }

    /// Why a payload was not taken, for the journal.
    public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The event a payload stands for; an error for a payload that is not JSON or not an event
    /// orch knows (it is journaled, never fatal: a broken orch must not break the agent).
    ///
    /// - Codex `notify`: `{"type":"agent-turn-complete", "last-assistant-message": …}` → done.
    /// - Claude Code: `hook_event_name` UserPromptSubmit → working, Stop → done (reply
    ///   `last_assistant_message`), StopFailure → done with the error, Notification
    ///   (`notification_type`) permission_prompt / elicitation_dialog → input, idle_prompt → idle.
    /// - Gemini CLI: BeforeAgent → working, AfterAgent → done (reply `prompt_response`),
    ///   Notification → input.
    /// - Antigravity `agy`: PreInvocation → working, Stop → done (`terminationReason`).
    public static func parse(_ payload: String, cli: HookCLI) -> Result<HookEvent, Rejection> {
        guard let json = JSONValue.parse(payload), case .object = json else {
            return .failure(Rejection(description: "the payload is not a JSON object"))
        }
        func text(_ key: String) -> String? { json[key]?.stringValue }
        switch cli {
        case .codex:
            // `notify` sends `type`; Codex's Claude-style hooks send `hook_event_name`.
            if let type = text("type") {
                guard type == "agent-turn-complete" else { return .failure(Rejection(description: "unknown Codex notify type '\(type)'")) }
                return .success(HookEvent(state: .done, name: type, reply: text("last-assistant-message")))
            }
            return claudeStyle(json, cli: "Codex")
        case .claude:
            return claudeStyle(json, cli: "Claude Code")
        case .gemini:
            switch text("hook_event_name") {
            case "BeforeAgent": return .success(HookEvent(state: .working, name: "BeforeAgent"))
            case "AfterAgent": return .success(HookEvent(state: .done, name: "AfterAgent", reply: text("prompt_response")))
            case "Notification": return .success(HookEvent(state: .input, name: "Notification", detail: text("message")))
            case let other: return .failure(Rejection(description: "unknown Gemini CLI hook event '\(other ?? "none")'"))
            }
        case .agy:
            switch text("hookEventName") ?? text("hook_event_name") ?? text("event") {
            case "PreInvocation": return .success(HookEvent(state: .working, name: "PreInvocation"))
            case "Stop", "PostInvocation":
                return .success(HookEvent(state: .done, name: "Stop", reply: text("response") ?? text("lastAssistantMessage"), detail: text("terminationReason")))
            case let other: return .failure(Rejection(description: "unknown agy hook event '\(other ?? "none")'"))
            }
        }
    }

    private static func claudeStyle(_ json: JSONValue, cli: String) -> Result<HookEvent, Rejection> {
        func text(_ key: String) -> String? { json[key]?.stringValue }
        switch text("hook_event_name") {
        case "UserPromptSubmit":
            return .success(HookEvent(state: .working, name: "UserPromptSubmit"))
        case "Stop":
            return .success(HookEvent(state: .done, name: "Stop", reply: text("last_assistant_message")))
        case "StopFailure":
            let error = [text("error_type"), text("error_message")].compactMap { $0 }.joined(separator: ": ")
            return .success(HookEvent(state: .done, name: "StopFailure", detail: error.isEmpty ? "the turn failed" : error))
        case "Notification":
            switch text("notification_type") {
            case "permission_prompt", "elicitation_dialog":
                return .success(HookEvent(state: .input, name: "Notification", detail: text("message")))
            case "idle_prompt":
                return .success(HookEvent(state: .idle, name: "Notification", detail: text("message")))
            case let other:
                return .failure(Rejection(description: "\(cli) notification '\(other ?? "none")' is not a state"))
            }
        case "PermissionRequest":
            return .success(HookEvent(state: .input, name: "PermissionRequest", detail: text("message")))
        case let other:
            return .failure(Rejection(description: "unknown \(cli) hook event '\(other ?? "none")'"))
        }
    }

    /// What a state record says about the event (`hook: Stop`, `hook: StopFailure: overloaded`).
    public var evidence: String {
        "hook: " + name + (detail.map { ": " + $0 } ?? "")
    }
}

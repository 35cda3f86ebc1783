extension Interpreter {
    /// Where the session's journal, queue and turn log live.
    var stateDirectory: String { options.stateDirectory ?? OrchPaths.stateDirectory }

    /// The turn log of the current session's server (one that cannot be reached gets a log
    /// nobody reads).
    func turnLog(at location: SourceLocation?) -> TurnLog {
        let known = try? registry(at: location)
        return TurnLog(session: known?.session ?? "_", server: known?.registry.serverPID ?? 0, directory: stateDirectory)
    }

    /// Appends to the journal. The first entry that cannot be written (a full disk, an
    /// unwritable state folder) is said once on stderr; what orch was doing goes on, unrecorded.
    func record(_ event: String, _ fields: [(String, JSONValue)], in journal: Journal) {
        guard let error = journal.append(event, fields), !journalWarned else { return }
        journalWarned = true
        let warning = "orch: warning: \(error) — sends, keys and state changes are not being recorded (`log`)"
        // In the REPL, above the line being typed (a state change can come at any moment).
        if let noticeSink { noticeSink(warning) } else { output.printError(warning) }
    }

    /// `log [N]`: the last N journal entries, one readable line each (raw JSON with --format json).
    func showLog(_ count: Int, at location: SourceLocation) throws(OrchError) {
        let entries = try journal(at: location).tail(count)
        if format == .json {
            entries.forEach(output.print)
            return
        }
        if entries.isEmpty {
            output.print("the journal is empty (\(try journal(at: location).path))")
            return
        }
        for line in entries {
            guard let entry = JSONValue.parse(line) else { continue }
            output.print(Self.describe(entry, style: style))
        }
    }

    /// `12:03:04  amp     send typing · fix the tests`
    static func describe(_ entry: JSONValue, style: Style) -> String {
        let time = entry["time_ms"]?.intValue.map { NoticeFormatter.clock($0 / 1000) } ?? "--:--:--"
        let agent = entry["agent"]?.stringValue ?? ""
        let event = entry["event"]?.stringValue ?? "?"
        var detail: String
        switch event {
        case "send":
            let phase = entry["phase"]?.stringValue ?? ""
            detail = "send " + phase
            if let enters = entry["enters"]?.intValue, enters > 0 { detail += " (\(enters) Enter\(enters == 1 ? "" : "s"))" }
            if let text = entry["text"]?.stringValue { detail += " · " + truncate(text.split(separator: "\n").first.map(String.init) ?? "", to: 60) }
            if let seen = entry["seen"]?.stringValue { detail += " · " + seen }
        case "key":
            let keys: [String]
            if case .array(let items)? = entry["keys"] { keys = items.compactMap(\.stringValue) } else { keys = [] }
            detail = "key " + keys.joined(separator: " ")
        case "queue":
            detail = "queue #\(entry["id"]?.intValue ?? 0) for \(entry["target"]?.stringValue ?? "any")"
            if let text = entry["text"]?.stringValue { detail += " · " + truncate(text.split(separator: "\n").first.map(String.init) ?? "", to: 60) }
        case "queue-rm", "queue-retry":
            detail = "queue \(event.dropFirst(6)) #\(entry["id"]?.intValue ?? 0)"
        case "queue-clear":
            detail = "queue clear · \(entry["removed"]?.intValue ?? 0) removed"
        case "queue-recover":
            detail = "queue #\(entry["id"]?.intValue ?? 0) recovered · \(entry["outcome"]?.stringValue ?? "")"
        case "state":
            detail = (entry["from"]?.stringValue ?? "?") + " → " + (entry["to"]?.stringValue ?? "?")
            if let evidence = entry["evidence"]?.stringValue { detail += " · " + evidence }
        default:
            detail = event
        }
        return style.dim(time) + "  " + agent.padding(to: 12) + detail
    }
}

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
    func record(_ event: JournalEvent, in journal: Journal) {
        guard let error = journal.append(event), !journalWarned else { return }
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
        let event = JournalEvent(entry) ?? .unknown(name: "?")
        func firstLine(_ text: String) -> String { truncate(text.split(separator: "\n").first.map(String.init) ?? "", to: 60) }
        var detail: String
        switch event {
        case .sendTyping(_, let text):
            detail = "send typing · " + firstLine(text)
        case .sendOutcome(_, let outcome, let enters, let seen):
            detail = "send " + outcome
            if enters > 0 { detail += " (\(enters) Enter\(enters == 1 ? "" : "s"))" }
            if let seen { detail += " · " + seen }
        case .key(_, let keys):
            detail = "key " + keys.joined(separator: " ")
        case .queued(let id, let target, let text):
            detail = "queue #\(id) for \(target) · " + firstLine(text)
        case .queueRemoved(let id): detail = "queue rm #\(id)"
        case .queueRetried(let id): detail = "queue retry #\(id)"
        case .queueCleared(let removed): detail = "queue clear · \(removed) removed"
        case .queueRecovered(let id, _, let outcome): detail = "queue #\(id) recovered · \(outcome)"
        case .state(_, let from, let to, _, let evidence):
            detail = from.rawValue + " → " + to.rawValue
            if let evidence { detail += " · " + evidence }
        case .hookError, .unknown:
            detail = event.name
        }
        return style.dim(time) + "  " + (event.agent ?? "").padding(to: 12) + detail
    }
}

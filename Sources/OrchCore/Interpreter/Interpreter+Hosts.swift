/// Agents on other machines (`host NAME … ssh …`, docs/language.md "Agents on other hosts").
///
/// Each host has an interpreter of its own, over a `TmuxEndpoint` that reaches its tmux server
/// by ssh, whose agents are named `AGENT@NAME`. A command about agents of one host runs there
/// as it is; a command about agents of several (`send amp,codex@gpu1`, `wait done all`,
/// `status`) runs on each and the answers are put together here.
extension Interpreter {
    /// `host NAME [socket S | socket-path P] [session S] ssh SSH-ARGS...`; declaring a name again
    /// replaces that host.
    func declareHost(_ declaration: HostDeclaration, at location: SourceLocation) async throws(OrchError) {
        var hostOptions = options
        hostOptions.endpoint = TmuxEndpoint(
            socketName: declaration.socketName, socketPath: declaration.socketPath,
            host: RemoteHost(name: declaration.name, sshArguments: declaration.sshArguments))
        hostOptions.session = declaration.session
        // Its journal, turn log and send locks: pane ids and session names repeat across machines.
        hostOptions.stateDirectory = stateDirectory + "/hosts/" + declaration.name
        hostOptions.agentSuffix = "@" + declaration.name
        let host = Interpreter(options: hostOptions, output: output)
        if let old = hosts[declaration.name] {
            await old.shutdown()
        } else {
            hostOrder.append(declaration.name)
        }
        hosts[declaration.name] = host
        if let noticeSink { await host.setNoticeSink(noticeSink) }
        await host.setWatching(noticesOn)
        let name = declaration.name
        await host.observeAgentNames { [weak self] names in Task { await self?.hostAgentsChanged(name, names) } }
        if watcher != nil || watchRetry != nil { await host.watchHost() }
    }

    /// Starts watching this (host's) session, or says why not and keeps trying every second.
    func watchHost() async {
        do throws(OrchError) {
            _ = try await ensureWatcher(at: nil)
            _ = try registry(at: nil)  // its agent names, for Tab completion at once
        } catch {
            announce(error.message)
            watchWhenTmuxAppears(dispatch: false)
        }
    }

    private func hostAgentsChanged(_ host: String, _ names: [String]) {
        hostAgentNames[host] = names
        agentNamesObserver?(allAgentNames)
    }

    /// Local agents, then each host's, for Tab completion.
    var allAgentNames: [String] {
        (cachedRegistry?.registry.agents.map(\.name) ?? []) + hostOrder.flatMap { hostAgentNames[$0] ?? [] }
    }

    /// The declared host an agent name (`amp@gpu1`) belongs to; nil for a local agent (a window
    /// may itself be named `a@b` when no host `b` is declared).
    func hostName(of name: String) -> String? {
        guard let at = name.lastIndex(of: "@") else { return nil }
        let host = String(name[name.index(after: at)...])
        return hosts[host] == nil ? nil : host
    }

    /// The interpreter of the host `name` belongs to; nil for a local agent.
    func host(of name: String) -> Interpreter? { hostName(of: name).flatMap { hosts[$0] } }

    /// `("host", NAME)` for an agent of a host, for JSON rows.
    func hostField(of name: String) -> [(String, JSONValue)] {
        hostName(of: name).map { [("host", .string($0))] } ?? []
    }

    /// `refs` split by where their agents are: local ones (`nil`) and each host's, in order.
    func byHost(_ refs: [AgentRef]) -> [(host: String?, refs: [AgentRef])] {
        var groups: [(host: String?, refs: [AgentRef])] = []
        for ref in refs {
            let hostName = hostName(of: ref.name)
            if let i = groups.firstIndex(where: { $0.host == hostName }) {
                groups[i].refs.append(ref)
            } else {
                groups.append((hostName, [ref]))
            }
        }
        return groups
    }

    /// Runs `command` where its agents are, when any of them is on a host; nil: it is local.
    func runOnHosts(_ command: Command) async throws(OrchError) -> Flow? {
        func forward(_ kind: CommandKind, to host: Interpreter) async throws(OrchError) -> Flow {
            try await host.run([Command(kind, at: command.location, format: command.format)])
        }
        switch command.kind {
        case .enter(let ref), .key(let ref, _), .peek(let ref, _), .reply(let ref):
            guard let host = host(of: ref.name) else { return nil }
            return try await forward(command.kind, to: host)
        case .send(let sendOptions, let targets, let text):
            let groups = byHost(targets)
            guard groups.contains(where: { $0.host != nil }) else { return nil }
            try await onEach(groups, like: command) { refs in .send(sendOptions, targets: refs, text: text) }
            return .next
        case .wait(let condition, let selection, let timeout):
            return try await waitAcrossHosts(condition, selection, timeout: timeout, command: command)
        default:
            return nil
        }
    }

    /// Runs `command` here (never routed again) or on a host's interpreter.
    func run(_ command: Command, on interpreter: Interpreter) async throws(OrchError) -> Flow {
        interpreter === self ? try await executeHere(command) : try await interpreter.run([command])
    }

    /// Runs the command `make` gives for each group at once, where the group's agents are;
    /// every failure is said.
    private func onEach(_ groups: [(host: String?, refs: [AgentRef])], like command: Command, _ make: @escaping @Sendable ([AgentRef]) -> CommandKind) async throws(OrchError) {
        let targets = groups.map { (interpreter: $0.host.flatMap { hosts[$0] } ?? self, refs: $0.refs) }
        let failures = await withTaskGroup(of: OrchError?.self) { group in
            for target in targets {
                group.addTask {
                    do throws(OrchError) {
                        _ = try await self.run(Command(make(target.refs), at: command.location, format: command.format), on: target.interpreter)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var all: [OrchError] = []
            for await failure in group {
                guard let failure else { continue }
                // One machine cannot hold: the others need not wait on.
                if all.isEmpty { group.cancelAll() }
                all.append(failure)
            }
            // The others' waits were cancelled because of the first: their "interrupted" says nothing.
            let real = all.filter { !$0.message.hasPrefix("interrupted") }
            return real.isEmpty ? all : real
        }
        guard let first = failures.first else { return }
        if failures.count == 1 { throw first }
        throw OrchError(failures.map(\.message).sorted().joined(separator: "\n"), at: first.location)
    }

    /// `wait` over agents of several machines: a list or `all` holds when it holds on each
    /// machine that has the agents; `any` when it holds on one (the others stop waiting). A
    /// host that cannot be reached fails a list or `all`, and `any` only when no machine is
    /// left. Each machine waits quietly; who satisfied it is printed once, here.
    private func waitAcrossHosts(_ condition: StateCondition, _ selection: AgentSelection, timeout: Duration?, command: Command) async throws(OrchError) -> Flow? {
        let location = command.location
        var machines: [(interpreter: Interpreter, selection: AgentSelection)] = []
        switch selection {
        case .agents(let refs):
            let groups = byHost(refs)
            guard groups.contains(where: { $0.host != nil }) else { return nil }
            machines = groups.map { ($0.host.flatMap { hosts[$0] } ?? self, .agents($0.refs)) }
        case .all, .any:
            // This machine counts only if it has agents (a session of `main` alone, or no local
            // tmux at all, must not fail a wait on the hosts' agents).
            let localAgents = (try? registry(at: location, refresh: true).registry.agents) ?? []
            machines = (localAgents.isEmpty ? [] : [(self, selection)]) + hostOrder.compactMap { hosts[$0] }.map { ($0, selection) }
        }
        let needsAll = selection != .any
        let outcome = await withTaskGroup(of: Result<[AgentStatus], OrchError>.self) { group -> (satisfied: [AgentStatus], failures: [OrchError]) in
            for machine in machines {
                group.addTask {
                    do throws(OrchError) {
                        return .success(try await machine.interpreter.wait(for: condition, machine.selection, timeout: timeout, at: location, quietly: true))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var satisfied: [AgentStatus] = []
            var failures: [OrchError] = []
            for await result in group {
                switch result {
                case .success(let statuses):
                    satisfied += statuses
                    if !needsAll {
                        group.cancelAll()
                        return (satisfied, [])
                    }
                case .failure(let error):
                    failures.append(error)
                    if needsAll { group.cancelAll() }  // one machine cannot hold: the others need not wait on
                }
            }
            return (satisfied, failures)
        }
        let real = outcome.failures.filter { !$0.message.hasPrefix("interrupted") }
        if !real.isEmpty || (!needsAll && outcome.satisfied.isEmpty) || (needsAll && !outcome.failures.isEmpty) {
            if real.isEmpty { throw .interrupted(at: location) }
            throw real.count == 1 ? real[0] : OrchError(real.map(\.message).sorted().joined(separator: "\n"), at: location)
        }
        let outer = commandFormat
        if let format = command.format { commandFormat = format }
        defer { commandFormat = outer }
        // JSON gives each done agent's reply: a host's is read on that host.
        var replies: [String: (String, String)] = [:]
        if format == .json {
            for status in outcome.satisfied where status.reply == nil && status.state == .done {
                if let host = host(of: status.agent.name), let reply = await host.screenReply(of: status.agent) { replies[status.agent.name] = reply }
            }
        }
        printWaitResult(outcome.satisfied, replies: replies)
        return .next
    }

    /// `status` and `agents` rows: this server's (when `refs` names local agents, or none), then
    /// each host's; a host that cannot be reached shows its agents as unknown, with why.
    func rowsEverywhere(_ refs: [AgentRef], lastLines: Bool, at location: SourceLocation) async throws(OrchError) -> [Observation] {
        guard !hosts.isEmpty else { return try await rows(refs, lastLines: lastLines, at: location) }
        let groups: [(host: String?, refs: [AgentRef])] = refs.isEmpty ? [(nil, [])] + hostOrder.map { ($0, []) } : byHost(refs)
        var all: [Observation] = []
        for group in groups {
            guard let name = group.host, let host = hosts[name] else {
                do throws(OrchError) {
                    all += try await rows(group.refs, lastLines: lastLines, at: location)
                } catch {
                    // With every agent asked for, a missing local server hides no host's agents.
                    guard refs.isEmpty else { throw error }
                    output.printError("orch: this machine: \(error.message)")
                }
                continue
            }
            do throws(OrchError) {
                all += try await host.rows(group.refs, lastLines: lastLines, at: location)
            } catch {
                // Out of reach: its agents as last seen, unknown. Anything else (a misspelt
                // name) is the error it is.
                guard error.message.contains("host \(name) unreachable") || error.message.contains("did not answer in time") else { throw error }
                let asked = Set(group.refs.map(\.name))
                let known = await host.knownAgents().filter { asked.isEmpty || asked.contains($0.name) }
                let why = error.message.hasPrefix("host \(name) unreachable") ? error.message : "host \(name) unreachable: " + error.message
                let agents = known.isEmpty ? [Agent(name: "*@" + name, windowIndex: -1, paneID: "", profile: AgentProfile.forWindowName(""))] : known
                all += agents.map { Observation(agent: $0, state: .unknown, evidence: why, lastLine: nil, age: nil) }
            }
        }
        return all
    }

    /// The reply of `agent` on this interpreter's server, and where it came from; nil if none.
    func screenReply(of agent: Agent) -> (String, String)? {
        guard let reply = try? reply(of: agent, at: nil) else { return nil }
        return (reply.text, reply.source)
    }

    /// The name `ref` resolves to on this interpreter's server (a host's `queue` target check).
    func agentName(_ ref: AgentRef) throws(OrchError) -> String { try agent(ref).name }

    /// The watcher's view of every agent (none while not watching).
    func watcherStatuses() async -> [AgentStatus] { await watcher?.statuses() ?? [] }

    /// The agents last read from this interpreter's session (none before the first read).
    func knownAgents() async -> [Agent] {
        if let agents = await watcher?.agents, !agents.isEmpty { return agents }
        return cachedRegistry?.registry.agents ?? []
    }

    /// `loop until STATE …` with hosts: a list or `all` holds when it holds on each machine
    /// that has the agents, `any` when it holds on one.
    func holdsAcrossHosts(_ state: StateCondition, _ selection: AgentSelection, at location: SourceLocation) async throws(OrchError) -> Bool {
        switch selection {
        case .agents(let refs):
            for group in byHost(refs) {
                let holds: Bool
                if let host = group.host.flatMap({ hosts[$0] }) {
                    holds = try await host.holds(.state(state, .agents(group.refs)), at: location)
                } else {
                    holds = try await holdsOnThisServer(state, .agents(group.refs), at: location)
                }
                if !holds { return false }
            }
            return true
        case .all, .any:
            var results: [Bool] = []
            if !((try? registry(at: location).registry.agents) ?? []).isEmpty { results.append(try await holdsOnThisServer(state, selection, at: location)) }
            for name in hostOrder {
                guard let host = hosts[name] else { continue }
                // A host out of reach holds nothing.
                let holds = (try? await host.holds(.state(state, selection), at: location)) ?? false
                results.append(holds)
            }
            return selection == .any ? results.contains(true) : !results.isEmpty && !results.contains(false)
        }
    }
}

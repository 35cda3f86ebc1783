/// Flow control for panes that keep printing: tmux stops sending their output to orch, and
/// orch samples them.
///
/// Measured (README, "Busy agents"): with the screen reads of busy panes bounded, what remained
/// of watching 32 streaming agents was the tmux server writing every byte of every pane to
/// orch's control client as `%output`, and orch reading it: about the cost of a 1 s
/// `capture-pane` loop. A pane that has been printing for `muteAfter` while working is known to
/// be busy, and is muted: `refresh-client -A %N:pause` (tmux 3.2+, `control.c`) stops its
/// output. Every `sampleInterval` all muted panes are continued at once (one command). A pane
/// that prints within `sampleWindow` is still busy: its burst is scanned as usual (`OutputScan`:
/// a done line or a question in it is read at once) and it is muted again. One that does not
/// has paused: it stays on and its screen is read. Continued, a pane sends only what it prints
/// from then on (tmux moves the client's offset to the pane's), never a backlog.
///
/// `pause`, not `off`: tmux 3.3a keeps the output blocks it had queued for a pane turned `off`,
/// and later writes them from an offset already moved past them. Its server crashed so
/// (segfault in `control_append_data`, three times in the busy benchmark at 64 panes). `pause`
/// throws those blocks away first (`control_discard_pane`). tmux then prints `%pause %N` and
/// `%continue %N`, which orch ignores.
///
/// What it costs: a done line drawn while its pane is muted is noticed at the next sample, up
/// to `sampleInterval + sampleWindow` later, not within the usual 20 ms. A pane that printed
/// for less than `muteAfter` (a short turn) is never muted.
extension Watcher {
    /// A pane working this long, and printing, is muted.
    public static let muteAfter: Duration = .seconds(3)
    /// Pauses are gathered this long into one command (streams' bursts come spread out).
    static let pauseGathering: Duration = .milliseconds(10)
    /// How often a muted pane's screen is read, for a question drawn under a spinner that keeps
    /// turning (one that stops the stream is read at the next sample).
    static let mutedReadInterval: Duration = .seconds(10)
    static let sampleInterval: Duration = .milliseconds(500)
    static let sampleWindow: Duration = .milliseconds(100)

    /// Output arrived for `pane` (already noted by its tracker): mute it when it is known busy,
    /// or again when a sample found it still printing.
    func flowAfterOutput(_ pane: String) {
        if sampling.remove(pane) != nil {
            mute(pane)
            return
        }
        // Working for `muteAfter` (since the state last changed: turns of a second or two, one
        // after another, are never muted) and printing now.
        guard !muted.contains(pane), !pausing.contains(pane), let watch = panes[pane], watch.tracker.state == .working,
            clock.now - watch.tracker.since >= Self.muteAfter, watch.tracker.printingFor(at: clock.now) != nil
        else { return }
        mute(pane)
    }

    /// Whether `pane` is muted, or being sampled (its screen is read less often).
    func isMuted(_ pane: String) -> Bool { muted.contains(pane) || sampling.contains(pane) || pausing.contains(pane) }

    /// `pane` must be heard again at once: its turn ended, or a prompt was sent to it.
    func unmute(_ pane: String) {
        sampling.remove(pane)
        pausing.remove(pane)  // not paused yet: stays on
        guard muted.remove(pane) != nil else { return }
        connection?.post(Self.flow([pane], on: true))
    }

    /// Forgets a removed pane's flow state (its window is gone: nothing to turn back on).
    func forgetFlow(_ pane: String) {
        muted.remove(pane)
        sampling.remove(pane)
        pausing.remove(pane)
    }

    /// Forgets every pane's flow state (a new control client hears every pane).
    func resetFlow() {
        sampler?.cancel()
        sampler = nil
        pauser?.cancel()
        pauser = nil
        muted.removeAll()
        sampling.removeAll()
        pausing.removeAll()
    }

    /// Pauses `pane` with the others gathered within `pauseGathering`, in one command.
    private func mute(_ pane: String) {
        pausing.insert(pane)
        guard pauser == nil else { return }
        pauser = Task {
            try? await Task.sleep(for: Self.pauseGathering)
            self.pauseGathered()
        }
    }

    private func pauseGathered() {
        pauser = nil
        guard let connection, !pausing.isEmpty else { return }
        let list = pausing.sorted()
        pausing.removeAll()
        connection.post(Self.flow(list, on: false))
        muted.formUnion(list)
        if sampler == nil { sampler = Task { await self.sampleMutedPanes() } }
    }

    /// Continues the muted panes every `sampleInterval`, until none is muted.
    private func sampleMutedPanes() async {
        while !stopped, !Task.isCancelled, !muted.isEmpty {
            do { try await Task.sleep(for: Self.sampleInterval) } catch { break }
            guard let connection, !muted.isEmpty else { continue }
            let list = muted.sorted()
            muted.removeAll()
            sampling.formUnion(list)
            connection.post(Self.flow(list, on: true))
            do { try await Task.sleep(for: Self.sampleWindow) } catch { break }
            // Silent through the window: it paused. Read it now (its done line may be up).
            for pane in list where sampling.remove(pane) != nil { scheduleCapture(pane, after: .zero) }
        }
        sampler = nil
    }

    /// `refresh-client -A %1:pause -A %2:pause …`: one command for every pane in `list`.
    static func flow(_ list: [String], on: Bool) -> [String] {
        ["refresh-client"] + list.flatMap { ["-A", "\($0):\(on ? "continue" : "pause")"] }
    }
}

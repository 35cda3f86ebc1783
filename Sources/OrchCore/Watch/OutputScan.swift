/// Whether a burst of a busy pane's output may change what its screen says: the text of a line
/// that could decide another state (done, input, idle) is in it.
///
/// A pane that keeps printing is working, and reading its whole screen at every burst adds
/// nothing (measured: at 32 streaming agents those reads were most of the watcher's cost). The
/// watcher reads a busy pane's screen at once only when its output holds one of these needles,
/// and otherwise at a bounded rate. A needle is a necessary part of a line its pattern matches,
/// so a burst without any cannot have drawn such a line; one split across two bursts is caught
/// by the tail kept from the previous burst.
struct OutputScan: Sendable {
    let needles: [[UInt8]]
    /// The end of the previous burst's text, for a needle split between two bursts.
    private var tail: [UInt8] = []
    private let keep: Int

    init(profile: AgentProfile) {
        var needles = Set<[UInt8]>()
        for pattern in profile.done + profile.input + profile.idle + profile.userPatterns.map(\.pattern) {
            needles.formUnion(pattern.shape.needles)
        }
        self.needles = needles.filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
        keep = (self.needles.map(\.count).max() ?? 1) - 1
    }

    /// Whether `data` (with the previous burst's tail) holds a needle.
    mutating func mayDecide(_ data: [UInt8]) -> Bool {
        var stripper = EscapeStripper(noBreakSpaceAsSpace: true, tracksFaint: false)
        stripper.strip(data)
        let text = tail + stripper.text
        tail = keep > 0 ? Array(text.suffix(keep)) : []
        return needles.contains { text[...].containsBytes($0) }
    }
}

extension ScreenPattern.Shape {
    /// Byte strings one of which every line this shape matches contains (after escapes are removed).
    var needles: [[UInt8]] {
        switch self {
        case .contains(let text), .prefix(let text), .suffix(let text), .line(let text): return [text]
        case .spinner(let glyphs), .menuRow(let glyphs): return glyphs
        case .elapsed: return [Array(" for ".utf8)]
        case .gerund: return [Array("…".utf8), Array("...".utf8)]
        case .shellPrompt: return [[UInt8(ascii: "$")], [UInt8(ascii: "#")], [UInt8(ascii: "%")]]
        case .yesNo: return [Array("/n".utf8), Array("/N".utf8)]  // in every case of `(y/n)`, `(yes/no)`
        case .all(let shapes): return shapes.first?.needles ?? []
        }
    }
}

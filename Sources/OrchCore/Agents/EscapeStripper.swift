/// Removes terminal escape sequences from captured bytes, remembering which text was drawn faint.
///
/// Agent CLIs draw the placeholder of an empty input box faint (SGR 2) or in bright black (SGR 90),
/// and typed text never; with a `capture-pane -e` capture that tells a placeholder nobody listed
/// (Codex rotates several, Claude Code suggests follow-up prompts) from text a person typed.
/// The shapes are ECMA-48's, as xterm and tmux emit them.
struct EscapeStripper {
    /// The text without escape sequences and control characters (newlines and tabs kept).
    private(set) var text: [UInt8] = []
    /// For each byte of `text`, whether it was drawn faint or bright black; empty when none was.
    private(set) var faint: [Bool] = []

    private let noBreakSpaceAsSpace: Bool
    private let tracksFaint: Bool
    private var isFaint = false
    private var isGray = false

    /// - Parameters:
    ///   - noBreakSpaceAsSpace: write U+00A0 as a plain space (some CLIs draw `❯\u{A0}`).
    ///   - tracksFaint: record `faint`; without it only `text` is produced.
    init(noBreakSpaceAsSpace: Bool, tracksFaint: Bool) {
        self.noBreakSpaceAsSpace = noBreakSpaceAsSpace
        self.tracksFaint = tracksFaint
    }

    mutating func strip(_ bytes: [UInt8]) {
        text.reserveCapacity(text.count + bytes.count)
        let count = bytes.count
        var index = 0
        // Ordinary text is copied in runs: most of a screen is text, and one copy per run is far
        // cheaper than one append per byte.
        var runStart = 0
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20 && byte != 0x7F && byte != 0xC2 || byte == 0x0A || byte == 0x09 {
                index += 1
                continue
            }
            if byte == 0xC2 {
                let next = index + 1 < count ? bytes[index + 1] : 0
                let isControl = (0x80...0x9F).contains(next)
                guard isControl || noBreakSpaceAsSpace && next == 0xA0 else {
                    index += 1
                    continue
                }
            }
            emit(bytes[runStart..<index])
            switch byte {
            case 0x1B:
                index = skipEscape(bytes, from: index + 1)
            case 0xC2 where bytes[index + 1] == 0xA0:
                emit([0x20])
                index += 2
            case 0xC2:
                // A C1 control written as UTF-8 (8-bit CSI, OSC, DCS …).
                let control = bytes[index + 1]
                index += 2
                switch control {
                case 0x9B: index = skipControlSequence(bytes, from: index)
                case 0x90, 0x98, 0x9D, 0x9E, 0x9F: index = Self.skipControlString(bytes, from: index)
                default: break
                }
            default:
                // Other C0 controls (BEL, BS, CR, SO/SI …) draw nothing.
                index += 1
            }
            runStart = index
        }
        emit(bytes[runStart..<count])
    }

    private mutating func emit(_ run: ArraySlice<UInt8>) {
        guard !run.isEmpty else { return }
        let drawnFaint = isFaint || isGray
        if tracksFaint, drawnFaint, faint.isEmpty {
            faint = Array(repeating: false, count: text.count)
        }
        text.append(contentsOf: run)
        if !faint.isEmpty { faint.append(contentsOf: repeatElement(drawnFaint, count: run.count)) }
    }

    /// Skips what follows an ESC; returns the index of the first byte after the sequence.
    private mutating func skipEscape(_ bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "["):
            return skipControlSequence(bytes, from: start + 1)
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "X"), UInt8(ascii: "^"), UInt8(ascii: "_"):
            // OSC, DCS, SOS, PM, APC: a string up to ST (or BEL, which xterm also accepts).
            return Self.skipControlString(bytes, from: start + 1)
        case 0x20...0x2F:
            // nF escapes such as charset selects `ESC ( B` or `ESC # 8`: intermediates, then one final byte.
            var index = start
            while index < bytes.count, (0x20...0x2F).contains(bytes[index]) { index += 1 }
            if index < bytes.count, (0x30...0x7E).contains(bytes[index]) { index += 1 }
            return index
        case 0x30...0x7E:
            // Two-byte escapes: `ESC 7`, `ESC 8`, `ESC =`, `ESC M`, `ESC c` …
            return start + 1
        default:
            // A lone ESC (e.g. a typed Escape echoed raw): drop only the ESC.
            return start
        }
    }

    /// Skips CSI parameters and intermediates up to the final byte (`m`, `H`, `K`, `h` …), reading
    /// colours (`m`) on the way.
    private mutating func skipControlSequence(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if (0x40...0x7E).contains(byte) {
                if byte == UInt8(ascii: "m"), tracksFaint { applyGraphicRendition(bytes[start..<index]) }
                return index + 1
            }
            if (0x20...0x3F).contains(byte) {
                index += 1
            } else {
                // Malformed: stop here so the byte is read as text or as the next control.
                return index
            }
        }
        return index
    }

    /// Skips a control string up to its terminator: BEL, `ESC \`, or an 8-bit ST.
    private static func skipControlString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x07:
                return index + 1
            case 0x1B:
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") { return index + 2 }
                // Another escape starts: the string was cut short; let the caller read the new one.
                return index
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x9C:
                return index + 2
            default:
                index += 1
            }
        }
        return index
    }

    /// Follows SGR parameters far enough to know whether text is faint or bright black.
    ///
    /// Extended colours are skipped whole, so the `2` of `38;5;2` (green) is not read as faint.
    private mutating func applyGraphicRendition(_ parameters: ArraySlice<UInt8>) {
        var value = 0
        var hasColon = false
        var colourModeExpected = false
        var colourArgumentsLeft = 0
        var index = parameters.startIndex
        while true {
            let atEnd = index == parameters.endIndex
            let byte = atEnd ? UInt8(ascii: ";") : parameters[index]
            if byte >= 0x30 && byte <= 0x39 {
                // Saturated: a screen may hold any run of digits (the fuzzer found one that overflowed).
                if value < 100_000 { value = value * 10 + Int(byte - 0x30) }
            } else if byte == UInt8(ascii: ":") {
                hasColon = true
            } else if byte == UInt8(ascii: ";") {
                if colourModeExpected {
                    colourModeExpected = false
                    colourArgumentsLeft = value == 5 ? 1 : value == 2 ? 3 : 0
                } else if colourArgumentsLeft > 0 {
                    colourArgumentsLeft -= 1
                } else {
                    switch value {
                    case 0:
                        isFaint = false
                        isGray = false
                    case 2: isFaint = true
                    case 22: isFaint = false
                    case 90: isGray = true
                    case 30...37, 39, 91...97: isGray = false
                    case 38:
                        isGray = false
                        colourModeExpected = !hasColon  // `38:5:8` carries its arguments inside
                    case 48, 58: colourModeExpected = !hasColon
                    default: break
                    }
                }
                value = 0
                hasColon = false
            }
            if atEnd { break }
            index += 1
        }
    }
}

extension Duration {
    /// Whole milliseconds (rounded down).
    public var milliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }

    /// Parses `500ms`, `30s`, `5m`, `1h`, `1h30m`, `4m12s`, `1.5s`; nil when the text is not one,
    /// or is longer than ten years.
    public static func parse(_ text: String) -> Duration? {
        guard let seconds = seconds(in: text), seconds <= Double(longestSeconds) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Ten years: far beyond any wait, and far from where clock arithmetic overflows (the fuzzer
    /// found `1h3044…4m` trapping when converted to whole milliseconds).
    static let longestSeconds: Int64 = 10 * 365 * 24 * 3600

    /// Whether `text` has a duration's form but exceeds `longest` (for a precise error).
    public static func isTooLong(_ text: String) -> Bool {
        seconds(in: text).map { $0 > Double(longestSeconds) } ?? false
    }

    /// The seconds `text` spells, however many; nil when it is not a duration.
    private static func seconds(in text: String) -> Double? {
        var rest = Substring(text)
        var total: Double = 0
        var sawUnit = false
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            sawUnit = true
        }
        guard sawUnit, total.isFinite else { return nil }
        return total
    }

    /// A short human form: `850ms`, `12s`, `4m12s`, `1h03m`.
    public var compactDescription: String {
        let ms = Int64(components.seconds) * 1000 + Int64(components.attoseconds / 1_000_000_000_000_000)
        if ms < 1000 { return "\(ms)ms" }
        let s = ms / 1000
        if s < 60 { return ms % 1000 == 0 ? "\(s)s" : "\(s).\((ms % 1000) / 100)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60 < 10 ? "0" : "")\(s % 60)s" }
        let m = (s / 60) % 60
        return "\(s / 3600)h\(m < 10 ? "0" : "")\(m)m"
    }
}

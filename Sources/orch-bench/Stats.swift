/// The few numbers and formats the benchmark's tables use.
enum Stats {
    /// The value at fraction `p` of the sorted values (nearest rank); NaN for none.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// Milliseconds, whole from 10 ms up and to a tenth below.
    static func ms(_ value: Double) -> String {
        if value.isNaN { return "-" }
        return value >= 10 ? "\(Int(value.rounded())) ms" : "\(rounded(value, 1)) ms"
    }

    static func percent(_ value: Double) -> String { "\(rounded(value, 2))%" }
    static func megabytes(_ kilobytes: Int) -> String { "\(rounded(Double(kilobytes) / 1024, 1)) MB" }

    /// `numerator / denominator` as "30×" (or "1.6×" with `decimals: 1`).
    static func ratio(_ numerator: Double, _ denominator: Double, decimals: Int = 0) -> String {
        guard denominator > 0, !numerator.isNaN else { return "-" }
        let value = numerator / denominator
        return decimals == 0 ? "\(Int(value.rounded()))×" : "\(rounded(value, decimals))×"
    }

    static func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// "Did you mean…?" for commands and agent names.
public enum NearestWord {
    /// The candidate closest to `word`, or nil when none is close.
    ///
    /// Close means at most two edits (insert, delete, replace, or swap two neighbours) and fewer
    /// edits than `word` has characters, so `x` suggests nothing. Ties go to the earlier candidate.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let typed = Array(word)
        var best: (name: String, distance: Int)?
        for name in candidates {
            let candidate = Array(name)
            // The distance is at least the difference in length: skip the table when that alone rules it out.
            guard abs(candidate.count - typed.count) <= 2 else { continue }
            let distance = editDistance(typed, candidate)
            // Close means close: one edit for short names, two from nine letters on (`foo` is not `loop`).
            guard distance <= max(1, min(2, candidate.count / 3)), distance < typed.count else { continue }
            if best == nil || distance < best!.distance {
                best = (name, distance)
            }
        }
        return best?.name
    }

    /// Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours is one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}

/// Literal searches over UTF-8 bytes.
///
/// UTF-8 is self-synchronising, so a byte-wise match of a valid UTF-8 needle is a match of whole
/// characters; that keeps the pattern tables literal and the searches allocation-free.
extension ArraySlice where Element == UInt8 {
    func hasBytePrefix(_ prefix: [UInt8]) -> Bool {
        guard count >= prefix.count else { return false }
        var index = startIndex
        for byte in prefix {
            if self[index] != byte { return false }
            index += 1
        }
        return true
    }

    func hasByteSuffix(_ suffix: [UInt8]) -> Bool {
        guard count >= suffix.count else { return false }
        var index = endIndex - suffix.count
        for byte in suffix {
            if self[index] != byte { return false }
            index += 1
        }
        return true
    }

    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard count >= needle.count else { return false }
        // Unchecked buffers: this runs for every pattern on every line of every pane change.
        return withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                let lastStart = haystack.count - needle.count
                var index = 0
                while index <= lastStart {
                    if haystack[index] == first {
                        var offset = 1
                        while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                        if offset == needle.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }

    /// Whether `bytes` occur at `index` (which may be anywhere in the slice).
    func hasBytes(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index >= startIndex, endIndex - index >= bytes.count else { return false }
        var position = index
        for byte in bytes {
            if self[position] != byte { return false }
            position += 1
        }
        return true
    }
}

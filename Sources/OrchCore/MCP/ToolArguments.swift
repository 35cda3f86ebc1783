/// A `tools/call`'s `arguments`, read against one tool's schema: a wrong or missing argument is
/// a message for the model to correct itself by (a tool error, not a protocol error).
struct ToolArguments {
    let tool: String
    let pairs: [(String, JSONValue)]

    /// Checks that every key is one the tool takes.
    init(tool: String, _ value: JSONValue?, known: [String]) throws(ToolArgumentError) {
        self.tool = tool
        switch value {
        case nil, .null?: pairs = []
        case .object(let pairs)?: self.pairs = pairs
        default: throw ToolArgumentError("\(tool): arguments must be an object")
        }
        for (key, _) in pairs where !known.contains(key) {
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            throw ToolArgumentError("\(tool): unknown argument '\(key)' (it takes: \(list))")
        }
    }

    subscript(key: String) -> JSONValue? {
        guard let value = pairs.last(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(ToolArgumentError) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let text) = value else { throw ToolArgumentError("\(tool): '\(key)' must be a string") }
        return text
    }

    func requiredString(_ key: String, _ what: String) throws(ToolArgumentError) -> String {
        guard let text = try string(key), !text.isEmpty else { throw ToolArgumentError("\(tool): '\(key)' is required: \(what)") }
        return text
    }

    func bool(_ key: String) throws(ToolArgumentError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let flag) = value else { throw ToolArgumentError("\(tool): '\(key)' must be true or false") }
        return flag
    }

    /// A positive whole number; a JSON number with a zero fraction (`30.0`) counts.
    func positiveInt(_ key: String) throws(ToolArgumentError) -> Int? {
        guard let value = self[key] else { return nil }
        let number: Int?
        switch value {
        case .int(let n): number = n
        case .number(let text): number = Double(text).flatMap { $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil }
        default: number = nil
        }
        guard let number, number > 0 else { throw ToolArgumentError("\(tool): '\(key)' must be a whole number above 0") }
        return number
    }

    /// A list of names, given as an array of strings or as one string `a,b`.
    func names(_ key: String) throws(ToolArgumentError) -> [String]? {
        guard let value = self[key] else { return nil }
        switch value {
        case .string(let text): return text.split(separator: ",").map { String($0).trimmed() }.filter { !$0.isEmpty }
        case .array(let items):
            var names: [String] = []
            for item in items {
                guard case .string(let name) = item else { throw ToolArgumentError("\(tool): '\(key)' must be a list of agent names") }
                names.append(name)
            }
            return names
        default: throw ToolArgumentError("\(tool): '\(key)' must be a list of agent names")
        }
    }

    /// A duration: seconds as a number, or orch's duration text (`90s`, `10m`).
    func duration(_ key: String) throws(ToolArgumentError) -> String? {
        guard let value = self[key] else { return nil }
        switch value {
        case .int(let seconds) where seconds > 0: return "\(seconds)s"
        case .number(let text):
            guard let seconds = Double(text), seconds > 0, seconds < 1e9 else { break }
            return "\(Int((seconds * 1000).rounded(.up)))ms"
        case .string(let text) where Duration.parse(text) != nil: return text
        default: break
        }
        throw ToolArgumentError("\(tool): '\(key)' must be seconds (a number above 0) or a duration such as \"90s\" or \"10m\"")
    }
}

/// A tool's arguments did not fit its schema: what the model should change.
struct ToolArgumentError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension String {
    func trimmed() -> String {
        var text = self[...]
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}

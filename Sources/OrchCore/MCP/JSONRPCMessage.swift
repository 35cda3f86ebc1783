/// One line of the MCP stdio transport, read as JSON-RPC 2.0: a request (has an id), a
/// notification (no id), or something the server answers with an error.
///
/// Written by hand over `JSONValue` rather than with the MCP Swift SDK (0.12.1): the SDK's
/// `Value` decodes every string that looks like a data URL into bytes, so a prompt such as
/// `data: rows=3, cols=4` reached the tool as `.data` and went back out re-encoded as base64
/// (both directions, measured; see the README's MCP section); its stdio transport also polls
/// stdin every 10 ms while idle and buffers a line of any length.
public enum JSONRPCMessage: Sendable, Equatable {
    case request(id: JSONValue, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// A response or error from the client: orch sends it no requests, so it is ignored.
    case response
    /// Not a message the server can act on: answered with `error` (id null when it had none).
    case invalid(id: JSONValue, error: JSONRPCError)

    /// Reads one line (without its newline).
    public static func parse(_ line: [UInt8]) -> JSONRPCMessage {
        guard let value = JSONValue.parse(String(decoding: line, as: UTF8.self)) else {
            return .invalid(id: .null, error: .parseError)
        }
        guard case .object = value else {
            if case .array = value {
                return .invalid(id: .null, error: JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per line"))
            }
            return .invalid(id: .null, error: JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: a message is a JSON object"))
        }
        let id = value["id"]
        if let id, !Self.isValidID(id) {
            return .invalid(id: .null, error: JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: id must be a string or an integer"))
        }
        guard value["jsonrpc"]?.stringValue == "2.0" else {
            return .invalid(id: id ?? .null, error: JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: \"jsonrpc\" must be \"2.0\""))
        }
        guard let method = value["method"] else {
            if id != nil, value["result"] != nil || value["error"] != nil { return .response }
            return .invalid(id: id ?? .null, error: JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: no \"method\""))
        }
        guard let name = method.stringValue else {
            return .invalid(id: id ?? .null, error: JSONRPCError(code: JSONRPCError.invalidRequestCode, message: "Invalid Request: \"method\" must be a string"))
        }
        let params = value["params"]
        if let params {
            switch params {
            case .object, .array: break
            default: return .invalid(id: id ?? .null, error: JSONRPCError(code: JSONRPCError.invalidParamsCode, message: "Invalid params: \"params\" must be an object"))
            }
        }
        guard let id else { return .notification(method: name, params: params) }
        return .request(id: id, method: name, params: params)
    }

    /// The top-level `"id"` of a message of which only the start is known (a line too long to
    /// read): found before the first value too long to skip, or nil.
    public static func leadingID(_ head: [UInt8]) -> JSONValue? {
        var depth = 0
        var index = 0
        var expectKey = false
        func string(at start: Int) -> (text: [UInt8], end: Int)? {
            var i = start + 1
            var text: [UInt8] = []
            while i < head.count {
                if head[i] == UInt8(ascii: "\\") { i += 2; continue }
                if head[i] == UInt8(ascii: "\"") { return (text, i + 1) }
                text.append(head[i])
                i += 1
            }
            return nil
        }
        while index < head.count {
            let byte = head[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectKey = byte == UInt8(ascii: "{")
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectKey = true
                index += 1
            case UInt8(ascii: "\""):
                guard let (text, end) = string(at: index) else { return nil }
                index = end
                guard depth == 1, expectKey else { continue }
                expectKey = false
                guard text == Array("id".utf8) else { continue }
                while index < head.count, [0x20, 0x09, UInt8(ascii: ":")].contains(head[index]) { index += 1 }
                var value: [UInt8] = []
                if index < head.count, head[index] == UInt8(ascii: "\""), let (id, _) = string(at: index) {
                    return .string(String(decoding: id, as: UTF8.self))
                }
                while index < head.count, head[index] == UInt8(ascii: "-") || (0x30...0x39).contains(head[index]) {
                    value.append(head[index])
                    index += 1
                }
                return Int(String(decoding: value, as: UTF8.self)).map(JSONValue.int)
            default:
                index += 1
            }
        }
        return nil
    }

    static func isValidID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .int: true
        default: false
        }
    }

    /// The line answering request `id` with `result`.
    public static func result(id: JSONValue, _ result: JSONValue) -> String {
        JSONValue.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]).serialized
    }

    /// The line answering request `id` (null when unknown) with `error`.
    public static func error(id: JSONValue, _ error: JSONRPCError) -> String {
        JSONValue.object([
            ("jsonrpc", .string("2.0")), ("id", id),
            ("error", .object([("code", .int(error.code)), ("message", .string(error.message))])),
        ]).serialized
    }
}

/// A JSON-RPC error object: a protocol failure, not a tool's own (those are results with isError).
public struct JSONRPCError: Sendable, Equatable, Error {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602

    static let parseError = JSONRPCError(code: parseErrorCode, message: "Parse error: not valid JSON")

    static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: methodNotFoundCode, message: "Method not found: \(method) (orch mcp serves initialize, ping, tools/list and tools/call)")
    }

    static func invalidParams(_ why: String) -> JSONRPCError {
        JSONRPCError(code: invalidParamsCode, message: "Invalid params: \(why)")
    }
}

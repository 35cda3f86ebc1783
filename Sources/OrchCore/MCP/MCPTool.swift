/// One of orch's tools as an MCP client sees it: its schema and description (written for the
/// model that calls it), the orch command a call runs, and how that command's output becomes
/// the result's text and `structuredContent`.
struct MCPTool: Sendable {
    var name: String
    var title: String
    var description: String
    /// Property name, JSON Schema of the property; in this order in `inputSchema`.
    var properties: [(String, JSONValue)]
    var required: [String]
    /// Reads and changes nothing (the client may call it without asking the user).
    var readOnly: Bool
    /// The command's words, as `orch WORD…` would take them on its command line (each verbatim).
    var command: @Sendable (ToolArguments) throws(ToolArgumentError) -> [String]
    /// The result from the command's output (standard output lines), for these arguments.
    var result: @Sendable (_ output: [String], ToolArguments) -> ToolResult
    /// For tools whose text must never be read as the command's own words (`send`'s text
    /// `--file`, `queue` for an agent named `rm`): the command itself, built from the arguments.
    var direct: (@Sendable (ToolArguments) throws(ToolArgumentError) -> Command)? = nil

    var inputSchema: JSONValue {
        var schema: [(String, JSONValue)] = [("type", .string("object")), ("properties", .object(properties))]
        if !required.isEmpty { schema.append(("required", .array(required.map(JSONValue.string)))) }
        schema.append(("additionalProperties", .bool(false)))
        return .object(schema)
    }

    /// The entry in `tools/list`.
    func listing(structured: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name))]
        if structured { pairs.append(("title", .string(title))) }
        pairs.append(("description", .string(description)))
        pairs.append(("inputSchema", inputSchema))
        pairs.append(("annotations", .object([
            ("title", .string(title)), ("readOnlyHint", .bool(readOnly)),
            ("destructiveHint", .bool(false)), ("openWorldHint", .bool(false)),
        ])))
        return .object(pairs)
    }
}

/// What a tool call answers: text for the model, and the same as a JSON object for programs.
struct ToolResult: Sendable {
    var text: String
    var structured: JSONValue
    var isError = false

    /// A failure the model should read: the message orch's command line prints.
    static func failure(_ message: String) -> ToolResult {
        ToolResult(text: message, structured: .object([("error", .string(message))]), isError: true)
    }

    /// The `tools/call` result object. Before protocol 2025-06-18 there is no structuredContent.
    func encoded(structured withStructured: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("content", .array([.object([("type", .string("text")), ("text", .string(text))])]))]
        if withStructured { pairs.append(("structuredContent", structured)) }
        pairs.append(("isError", .bool(isError)))
        return .object(pairs)
    }
}

// MARK: Schema pieces

extension JSONValue {
    static func schema(_ type: String, _ description: String, extra: [(String, JSONValue)] = []) -> JSONValue {
        .object([("type", .string(type)), ("description", .string(description))] + extra)
    }
}

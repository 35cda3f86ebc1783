import Foundation
import Testing

/// The official MCP Python SDK (`Tests/MCP/mcp_steps.py` in `.build/mcp-client/venv`, from
/// `scripts/install-mcp-client.sh`) starting the real `orch mcp` over stdio and running steps.
enum MCPClient {
    static var python: String {
        let venv = ProcessInfo.processInfo.environment["ORCH_MCP_CLIENT_VENV"].flatMap { $0.isEmpty ? nil : $0 }
            ?? RealAgentRig.repoRoot.appendingPathComponent(".build/mcp-client/venv").path
        return venv + "/bin/python"
    }
    static let script = RealAgentRig.repoRoot.appendingPathComponent("Tests/MCP/mcp_steps.py").path

    static var available: Bool { FileManager.default.isExecutableFile(atPath: python) }
    /// Run when installed, and always in CI (where a missing client fails the test).
    static var shouldRun: Bool { available || RealAgentRig.isCI }
    static let unavailableMessage = "MCP Python SDK not installed: run scripts/install-mcp-client.sh"

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { MCPClient.unavailableMessage + " (looked for \(MCPClient.python))" }
    }

    /// What the client saw: the negotiated version, and each step's result (see mcp_steps.py).
    struct Report {
        var protocolVersion: String?
        var server: String?
        var hasInstructions: Bool
        var steps: [[String: Any]]
        /// The client's and the server's standard error (the server's inherits it).
        var stderr: String
    }

    /// Runs `steps` against `orch ORCH-ARGUMENTS… mcp`.
    static func run(_ steps: [[String: Any]], orch arguments: [String], environment: [String: String] = [:]) throws -> Report {
        guard available else { throw Unavailable() }
        let file = NSTemporaryDirectory() + "orch-mcp-steps-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        try JSONSerialization.data(withJSONObject: steps).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var env = ["NO_COLOR": "1", "PYTHONWARNINGS": "ignore"]
        for (key, value) in environment { env[key] = value }
        let result = try RealAgentRig.run(python, [script, file, "--", TestServer.orchPath] + arguments + ["mcp"], environment: env)
        guard result.status == 0, let line = result.out.split(separator: "\n").last,
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw ClientFailed(description: "mcp_steps.py exited \(result.status)\nstdout: \(result.out)\nstderr: \(result.err)")
        }
        return Report(
            protocolVersion: object["protocol_version"] as? String, server: object["server"] as? String,
            hasInstructions: object["instructions"] as? Bool ?? false,
            steps: object["steps"] as? [[String: Any]] ?? [], stderr: result.err)
    }

    struct ClientFailed: Error, CustomStringConvertible {
        var description: String
    }
}

extension Dictionary where Key == String, Value == Any {
    var isError: Bool? { self["isError"] as? Bool }
    var text: String { self["text"] as? String ?? "" }
    var structured: [String: Any] { self["structured"] as? [String: Any] ?? [:] }
}

import Foundation
import OrchCore
import Testing

/// Every script under examples/ runs green against the guide's layout of simulated agents.
@Suite(.serialized) struct ExampleScriptTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    static var scripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []).filter { $0.hasSuffix(".orch") }.sorted()
    }

    @Test func thereAreExamples() {
        #expect(Self.scripts.count >= 4)
    }

    @Test(arguments: ExampleScriptTests.scripts)
    func runsGreen(script: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.orch([Self.examples.appendingPathComponent(script).path], environment: ["XDG_STATE_HOME": server.directory + "/state"])
        #expect(result.status == 0, "\(script): \(result.err)")
        #expect(!server.received().isEmpty, "\(script) sent nothing")
    }
}

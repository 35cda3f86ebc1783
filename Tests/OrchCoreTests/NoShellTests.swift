import Foundation
import Testing

/// orch never puts a shell between itself and tmux: no `sh -c`, no `system(`, no Foundation
/// `Process` (slow, and not the one spawn seam) anywhere in the product's sources.
@Suite struct NoShellTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func noShellAndOneSpawnSeam() throws {
        let files = FileManager.default.enumerator(atPath: Self.sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") || $0.hasSuffix(".h") }
        #expect(files.count > 30)
        var spawners: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            for forbidden in ["\"/bin/sh\"", "\"sh\", \"-c\"", "system(", "Process()", "popen("] {
                #expect(!text.contains(forbidden), "\(file) contains \(forbidden)")
            }
            if text.contains("posix_spawn(") || text.contains("posix_spawnp(") { spawners.append(file) }
        }
        #expect(spawners == ["OrchCore/Tmux/Spawner.swift"])
    }
}

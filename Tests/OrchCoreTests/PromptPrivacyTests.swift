import Foundation
import OrchCore
import Testing

/// A prompt is written to the journal and nowhere else orch keeps: not another state file, and
/// not a tmux paste buffer left behind after a multi-line send.
@Suite(.serialized) struct PromptPrivacyTests {
    @Test func aPromptLandsOnlyInTheJournal() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "0ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let secret = "token-\(UInt32.random(in: 0...UInt32.max))"
        let env = ["XDG_STATE_HOME": state]
        #expect(try server.orch(["send", "amp", "use \(secret) once"], environment: env).status == 0)
        #expect(try server.orch(["send", "amp", "two lines\nwith \(secret)"], environment: env).status == 0)
        #expect(try server.orch(["queue", "list"], environment: env).status == 0)
        _ = try server.waitForReceived(2)

        let files = FileManager.default.enumerator(atPath: state)!.compactMap { $0 as? String }
            .filter { path in (try? FileManager.default.attributesOfItem(atPath: state + "/" + path)[.type] as? FileAttributeType) == .typeRegular }
        let holding = files.filter { ((try? String(contentsOfFile: state + "/" + $0, encoding: .utf8)) ?? "").contains(secret) }
        // The journal, and the turn log, which keeps the first 32 characters of a prompt (its echo
        // marker) beside it, in the same private folder.
        #expect(holding.sorted() == ["orch/\(server.session)/journal.jsonl", "orch/\(server.session)/turns-\(try server.serverPID()).jsonl"])
        let turns = try String(contentsOfFile: state + "/orch/\(server.session)/turns-\(try server.serverPID()).jsonl", encoding: .utf8)
        #expect(!turns.contains("with \(secret)"))
        for file in files {
            let mode = try FileManager.default.attributesOfItem(atPath: state + "/" + file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file)")
        }
        // The paste buffer that carried the multi-line prompt is gone.
        #expect(try server.tmux.run(["list-buffers"]).isEmpty)
    }
}

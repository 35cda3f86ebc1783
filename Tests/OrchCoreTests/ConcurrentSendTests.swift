import Foundation
import Synchronization
import Testing

/// Twenty `orch send`s to one agent at once (an orchestrating agent and a dispatcher do this):
/// each prompt arrives whole and alone, none glued to another, every sender told the truth.
@Suite(.serialized) struct ConcurrentSendTests {
    @Test func twentyConcurrentSendersEachSubmitOnePromptWhole() throws {
        let server = try TestServer(agents: [("amp", "amp", ["--work", "100ms", "--swallow", "120ms"])])
        defer { server.stop() }
        let state = server.directory + "/state"
        let statuses = Mutex<[Int32]>([])
        let prompts = (1...20).map { "concurrent prompt number \($0) with; some -tricky \"text\"" }
        DispatchQueue.concurrentPerform(iterations: prompts.count) { index in
            let result = try? server.orch(["send", "amp", prompts[index]], environment: ["XDG_STATE_HOME": state])
            statuses.withLock { $0.append(result?.status ?? -1) }
        }
        #expect(statuses.withLock { $0 } == Array(repeating: 0, count: 20))
        let received = try server.waitForReceived(20, timeout: .seconds(30)).map(\.text)
        #expect(received.count == 20)
        #expect(Set(received) == Set(prompts), "\(received)")
    }
}

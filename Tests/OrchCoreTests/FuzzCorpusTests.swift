import Foundation
import OrchCore
import Testing

/// Every input in Fuzz/corpus (seeds, and any crash the fuzzer ever found) goes through the same
/// calls as the fuzz target, so a fixed crash stays fixed.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
    }

    @Test func corpusIsThere() {
        #expect(Self.inputs.count >= 10)
    }

    @Test(arguments: FuzzCorpusTests.inputs)
    func replays(input: String) throws {
        let data = try Data(contentsOf: Self.corpus.appendingPathComponent(input))
        let text = String(decoding: data, as: UTF8.self)
        _ = try? Parser.parse(source: text, file: "<fuzz>")
        _ = try? Parser.parse(arguments: text.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init))
        for profile in AgentProfile.builtIn {
            let reading = ScreenClassifier.classify(text, profile: profile)
            #expect(AgentState.allCases.contains(reading.state))
        }
    }
}

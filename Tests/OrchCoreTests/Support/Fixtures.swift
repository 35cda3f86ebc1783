import Foundation
import OrchCore
import Testing

/// A real capture from `Fixtures/screens/`, named `CLI-STATE-N.txt`.
struct ScreenFixture: Sendable, CustomTestStringConvertible {
    let fileName: String
    let profileName: String
    let expected: AgentState
    let screen: String

    var testDescription: String { fileName }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support/
        .deletingLastPathComponent()  // OrchCoreTests/
        .appendingPathComponent("Fixtures/screens", isDirectory: true)

    /// Every `.txt` capture in the directory, so a new fixture is picked up without editing tests.
    static let all: [ScreenFixture] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().compactMap { name in
            let parts = name.dropLast(4).split(separator: "-")
            guard parts.count >= 2,
                let state = AgentState(rawValue: String(parts[1])),
                let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
            else { return nil }
            return ScreenFixture(
                fileName: name,
                profileName: String(parts[0]),
                expected: state,
                screen: String(decoding: data, as: UTF8.self)
            )
        }
    }()

    static func named(_ fileName: String) throws -> ScreenFixture {
        try #require(all.first { $0.fileName == fileName })
    }
}

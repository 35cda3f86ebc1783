import Foundation
@testable import OrchCore
import Testing

/// The queue and the journal stay bounded, and what reads them costs the same however long
/// they have been used: the queue is compacted (finished tasks archived), the journal rotated,
/// and `log N` reads from the end.
@Suite struct StateGrowthTests {
    func folder() -> String {
        let path = NSTemporaryDirectory() + "orch-growth-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aLongUsedQueueIsCompactedAndLosesNothingLive() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = TaskStore(session: "s", directory: directory, compactionSize: 8 << 10)
        for round in 1...300 {
            let task = try store.add("task \(round) " + String(repeating: "x", count: 40), for: round % 2 == 0 ? "amp" : nil).get()
            let state: QueuedTask.State = round % 3 == 0 ? .waiting : (round % 3 == 1 ? .done : .removed)
            if state != .waiting { _ = store.update { _ in ([TaskStore.stateRecord(task.id, state, agent: "amp")], ()) } }
        }
        let size = (try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
        #expect(size < 24 << 10, "queue.jsonl is \(size) bytes")
        let live = store.tasks().filter { $0.state != .done }
        #expect(live.map(\.id) == Array(stride(from: 3, through: 300, by: 3)), "\(live.map(\.id).prefix(10))")
        #expect(live.allSatisfy { $0.text.hasPrefix("task \($0.id) ") && $0.state == .waiting })
        // Ids go on from the highest ever given, never reused.
        #expect(try store.add("after", for: nil).get().id == 301)
        let archive = try String(contentsOfFile: directory + "/s/queue-archive.jsonl", encoding: .utf8)
        #expect(archive.contains("\"task 1 ") && archive.contains("\"task 298 "))
    }

    @Test func compactionUnderConcurrentWritersKeepsEveryTask() async throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = TaskStore(session: "s", directory: directory, compactionSize: 4 << 10)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for i in 0..<100 {
                        guard let task = try? store.add("w\(writer) \(i)", for: nil).get() else { continue }
                        if i % 2 == 0 { store.update { _ in ([TaskStore.stateRecord(task.id, .removed)], ()) } }
                    }
                }
            }
        }
        let waiting = store.tasks().filter { $0.state == .waiting }.map(\.text)
        #expect(waiting.count == 200, "\(waiting.count) of 200 waiting tasks left")
        #expect(Set(store.tasks().map(\.id)).count == store.tasks().count)
    }

    @Test func theJournalRotatesAndLogReadsItsEndAcrossBothFiles() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = Journal(session: "s", directory: directory, rotationSize: 16 << 10)
        for i in 1...2000 { journal.append(.queueRemoved(id: i)) }
        let size = (try FileManager.default.attributesOfItem(atPath: journal.path)[.size] as? Int) ?? 0
        #expect(size <= 17 << 10, "journal.jsonl is \(size) bytes")
        #expect(FileManager.default.fileExists(atPath: directory + "/s/journal.1.jsonl"))
        let last = journal.tail(5).compactMap { JSONValue.parse($0)?["id"]?.intValue }
        #expect(last == [1996, 1997, 1998, 1999, 2000])
        // More than the current file holds: the rest from the rotated one, in order.
        let lines = try String(contentsOfFile: journal.path, encoding: .utf8).split(separator: "\n").count
        let spanning = journal.tail(lines + 3).compactMap { JSONValue.parse($0)?["id"]?.intValue }
        #expect(spanning.count == lines + 3 && spanning == Array((2000 - lines - 2)...2000))
        // A torn last line is not an entry.
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"time_ms\":1,\"ev".utf8))
        try handle.close()
        #expect(journal.tail(1).compactMap { JSONValue.parse($0)?["id"]?.intValue } == [2000])
    }
}

import Foundation
import OrchCore
import Testing

@Suite struct TaskStoreTests {
    func freshStore() -> TaskStore {
        TaskStore(session: "s", directory: NSTemporaryDirectory() + "orch-queue-\(UInt32.random(in: 0...UInt32.max))")
    }

    @Test func tasksKeepQueueOrderAndTargets() throws {
        let store = freshStore()
        _ = store.add("first", for: nil)
        _ = store.add("for amp", for: "amp")
        _ = store.add("second", for: nil)
        let tasks = store.tasks()
        #expect(tasks.map(\.id) == [1, 2, 3])
        #expect(tasks.map(\.target) == [nil, "amp", nil])
        #expect(tasks.allSatisfy { $0.state == .waiting })
    }

    @Test func stateChangesReplayFromDisk() throws {
        let store = freshStore()
        _ = store.add("a", for: nil)
        _ = store.add("b", for: nil)
        store.update { _ in ([TaskStore.stateRecord(1, .sending, agent: "amp"), TaskStore.stateRecord(1, .sent, agent: "amp"), TaskStore.stateRecord(2, .removed)], ()) }
        let reloaded = TaskStore(session: "s", directory: String(store.path.dropLast("/s/queue.jsonl".count)))
        #expect(reloaded.tasks().map(\.state) == [.sent])
        #expect(reloaded.tasks().first?.agent == "amp")
        // Back to waiting forgets the agent; ids keep growing after removals.
        store.update { _ in ([TaskStore.stateRecord(1, .waiting)], ()) }
        #expect(store.tasks().first?.agent == nil)
        #expect(try store.add("c", for: nil).get().id == 3)
    }

    @Test func aTornLastLineIsIgnored() throws {
        let store = freshStore()
        _ = store.add("kept", for: nil)
        let handle = try #require(FileHandle(forWritingAtPath: store.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"op\":\"add\",\"id\":2,\"text\":\"torn".utf8))
        try handle.close()
        #expect(store.tasks().map(\.text) == ["kept"])
        // The next change still lands and is read back (on a line of its own after the torn one).
        _ = store.add("after", for: nil)
        #expect(store.tasks().map(\.text).last == "after")
    }

    @Test func theFileIsPrivate() throws {
        let store = freshStore()
        _ = store.add("secret prompt", for: nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: (store.path as NSString).deletingLastPathComponent)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
    }
}

@Suite struct JournalTests {
    @Test func entriesAreLinesOfJSONAndATornLineStaysAlone() throws {
        let journal = Journal(session: "j/../x", directory: NSTemporaryDirectory() + "orch-journal-\(UInt32.random(in: 0...UInt32.max))")
        #expect(!journal.path.contains("/../"))  // a session name cannot climb out of the state folder
        #expect(journal.append(.sendTyping(agent: "amp", text: "a \"quoted\"\nprompt")) == nil)
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"event\":\"to".utf8))
        try handle.close()
        #expect(journal.append(.key(agent: "amp", keys: [])) == nil)
        let entries = journal.tail(10).compactMap(JSONValue.parse)
        #expect(entries.map { $0["event"]?.stringValue } == ["send", "key"])
        #expect(entries.first?["text"]?.stringValue == "a \"quoted\"\nprompt")
    }
}

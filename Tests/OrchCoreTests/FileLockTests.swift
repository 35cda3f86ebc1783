import Foundation
import OrchCore
import Synchronization
import Testing

/// The send lock's line: waiters get it in the order they asked, a dead waiter never blocks the
/// line, and one that gives up leaves it.
@Suite struct FileLockOrderTests {
    private static func folder() -> String {
        let path = NSTemporaryDirectory() + "orch-lock-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func tickets(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".lock.wait-") }
    }

    @Test func waitersGetTheLockInTheOrderTheyAsked() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/send.lock"
        let holder = try #require(FileLock(path: path))
        let order = Mutex<[Int]>([])
        let finished = DispatchSemaphore(value: 0)
        for index in 0..<8 {
            // A thread each (the dispatch pool on 2 cores starts blocked workers slowly).
            Thread.detachNewThread {
                defer { finished.signal() }
                guard let lock = FileLock(path: path, patience: .seconds(30), inArrivalOrder: true) else { return }
                order.withLock { $0.append(index) }  // while holding it: the order they got it in
                lock.unlock()
            }
            // The next one asks only once this one is in line.
            try waitFor("waiter \(index) in line") { Self.tickets(in: folder).count == index + 1 }
        }
        holder.unlock()
        for _ in 0..<8 { #expect(finished.wait(timeout: .now() + 30) == .success) }
        #expect(order.withLock { $0 } == Array(0..<8))
        #expect(Self.tickets(in: folder).isEmpty)
    }

    @Test func aWaiterKilledInLineDoesNotBlockIt() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/send.lock"
        // What kill -9 leaves: a ticket that sorts first, with no one holding its flock.
        let dead = folder + "/send.lock.wait-00000000000000000001-999999"
        #expect(FileManager.default.createFile(atPath: dead, contents: nil))
        let started = ContinuousClock.now
        let lock = try #require(FileLock(path: path, patience: .seconds(5), inArrivalOrder: true))
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(!FileManager.default.fileExists(atPath: dead))
        lock.unlock()
    }

    @Test func aWaiterThatGivesUpLeavesTheLine() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/send.lock"
        let holder = try #require(FileLock(path: path))
        #expect(FileLock(path: path, patience: .milliseconds(50), inArrivalOrder: true) == nil)
        #expect(Self.tickets(in: folder).isEmpty)
        holder.unlock()
    }
}

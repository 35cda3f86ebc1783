/// A task waiting for (or given to) an agent.
public struct QueuedTask: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        /// Not given to anyone yet.
        case waiting
        /// Being typed into `agent` right now (recorded before the first key).
        case sending
        /// Submitted to `agent`; it is working on it.
        case sent
        /// `agent` finished the turn the task started.
        case done
        /// Taken off the queue (`queue rm`, `queue clear`).
        case removed
    }

    public var id: Int
    /// The agent it must go to; nil: any free agent.
    public var target: String?
    public var text: String
    public var state: State
    /// Who got it (sending, sent, done).
    public var agent: String?
    /// When it was queued (milliseconds since the epoch).
    public var queuedAt: Int
}

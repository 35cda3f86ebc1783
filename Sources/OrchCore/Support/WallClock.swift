#if canImport(Glibc)
import Glibc
#endif

/// The wall clock, for what is written down (journal, queue, turn log) and shown (`12:03:04`);
/// durations use `ContinuousClock`.
public enum WallClock {
    /// Milliseconds since the epoch.
    public static func milliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC, for times compared across processes on this machine (wait tickets' order,
/// the benchmark's latencies measured from a simulated agent's log); in-process durations use
/// `ContinuousClock`.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary point, the same for every process on this machine.
    public static func nanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }
}

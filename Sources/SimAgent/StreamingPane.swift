#if canImport(Glibc)
import Glibc
#endif
import OrchCore

/// A pane that prints like an agent writing a long reply, for the busy benchmark: each tick a
/// new line of 10–60 characters and, under it, a spinner line redrawn in place
/// (`orch-bench __stream [LINES-PER-SECOND [SECONDS [LOG]]]`). It writes only what changes, as real
/// CLIs do. Given SECONDS, it stops then with Claude's done line (`✻ Brewed for 0m Ns`) and
/// prints nothing more: a long reply that ends. LOG gets the instant the done line was written
/// (CLOCK_MONOTONIC nanoseconds), for the benchmark's latency.
public enum StreamingPane {
    public static func main(arguments: [String]) -> Int32 {
        let rate = arguments.first.flatMap(Double.init).map { max(1, min($0, 1000)) } ?? 20
        let length = arguments.dropFirst().first.flatMap(Int.init)
        let log = arguments.dropFirst(2).first
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        let clock = ContinuousClock()
        let start = clock.now
        let tick = Duration.nanoseconds(Int64(1_000_000_000 / rate))
        var generator = SystemRandomNumberGenerator()
        var count = 0
        while true {
            if let length, count >= length * Int(rate) {
                RawTerminal.write("\r\u{1B}[2K\r\n✻ Brewed for 0m \(length)s\r\n\r\n❯ ")
                if let log { _ = FileSystem.replace(log, with: "\(MonotonicClock.nanoseconds())\n") }
                while true { pause() }
            }
            let words = String(repeating: "x", count: Int.random(in: 10...60, using: &generator))
            RawTerminal.write("\r\u{1B}[2K" + words + "\r\n" + frames[count % frames.count] + " Writing the reply (\(count / Int(rate))s)")
            count += 1
            blockingSleep(until: start + tick * count, clock: clock)
        }
    }

    private static func blockingSleep(until deadline: ContinuousClock.Instant, clock: ContinuousClock) {
        let left = deadline - clock.now
        guard left > .zero else { return }
        var request = timespec(tv_sec: Int(left.components.seconds), tv_nsec: Int(left.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

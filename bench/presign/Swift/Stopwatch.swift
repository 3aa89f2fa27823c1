#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One timed run: how many iterations fitted in the run, and the wall-clock and thread-CPU seconds they took.
struct RunResult {
    let iterations: Int
    let wallSeconds: Double
    let cpuSeconds: Double

    /// Iterations per wall-clock second.
    var perWallSecond: Double { Double(self.iterations) / self.wallSeconds }
    /// Iterations per second of CPU time of the measuring thread (robust against other load on the machine).
    var perCPUSecond: Double { Double(self.iterations) / self.cpuSeconds }
}

/// Times a closure in batches until `seconds` of wall-clock time have passed.
enum Stopwatch {
    /// Seconds of `clock` (`CLOCK_MONOTONIC` or `CLOCK_THREAD_CPUTIME_ID`).
    static func now(_ clock: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Calls `body` `batch` times per batch until `seconds` have passed; `body` returns a value folded into
    /// `sink` so the optimiser cannot drop the work.
    static func run(seconds: Double, batch: Int = 256, sink: inout UInt64, _ body: () throws -> UInt64) rethrows -> RunResult {
        let wallStart = now(CLOCK_MONOTONIC)
        let cpuStart = now(CLOCK_THREAD_CPUTIME_ID)
        var iterations = 0
        var wall = 0.0
        repeat {
            for _ in 0..<batch {
                sink &+= try body()
            }
            iterations += batch
            wall = now(CLOCK_MONOTONIC) - wallStart
        } while wall < seconds
        return RunResult(iterations: iterations, wallSeconds: wall, cpuSeconds: now(CLOCK_THREAD_CPUTIME_ID) - cpuStart)
    }

    /// The median of `values` (mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

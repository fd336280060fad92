import Foundation

/// Small helpers shared by the benchmark suites.
enum Bench {
    /// Wall-clock seconds taken by `body`.
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Wall-clock seconds taken by `body`, for code that does not await.
    static func secondsSync(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// CPU seconds (user + system) this process has used so far: unlike wall time, it does not
    /// count waiting for a core on a busy machine.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// One result line: name, figure, baseline, ratio, target.
    static func report(_ name: String, value: String, baseline: String, ratio: Double, target: String) {
        let padded = name.padding(toLength: 44, withPad: " ", startingAt: 0)
        print("\(padded) \(value.padding(toLength: 18, withPad: " ", startingAt: 0)) baseline \(baseline.padding(toLength: 18, withPad: " ", startingAt: 0)) ratio \(String(format: "%.2f", ratio))  target \(target)")
    }

    static func format(_ value: Double, _ unit: String, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f \(unit)", value)
    }
}

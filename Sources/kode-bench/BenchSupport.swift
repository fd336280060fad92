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

    /// One result line: name, figure, baseline, ratio, target.
    static func report(_ name: String, value: String, baseline: String, ratio: Double, target: String) {
        let padded = name.padding(toLength: 44, withPad: " ", startingAt: 0)
        print("\(padded) \(value.padding(toLength: 18, withPad: " ", startingAt: 0)) baseline \(baseline.padding(toLength: 18, withPad: " ", startingAt: 0)) ratio \(String(format: "%.2f", ratio))  target \(target)")
    }

    static func format(_ value: Double, _ unit: String, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f \(unit)", value)
    }
}

import Foundation

/// Where the scheduler reads the time and how it waits for a moment: injected, so tests move
/// time by hand instead of sleeping, and a host can run on a shifted clock.
public protocol SchedulerClock: Sendable {
    /// The wall-clock time now.
    func now() -> Date
    /// Returns at `deadline` by this clock (at once when it has passed); throws
    /// `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Date) async throws
}

/// The system's wall clock.
public struct SystemClock: SchedulerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
        try Task.checkCancellation()
    }
}

/// The system clock moved by a fixed offset: what `kode serve` runs on when
/// `KODE_CLOCK_OFFSET_SECONDS` is set (tests start a host "an hour later" to see it catch up).
public struct OffsetClock: SchedulerClock {
    public let offset: TimeInterval

    public init(offset: TimeInterval) {
        self.offset = offset
    }

    public func now() -> Date { Date().addingTimeInterval(offset) }

    public func sleep(until deadline: Date) async throws {
        try await SystemClock().sleep(until: deadline.addingTimeInterval(-offset))
    }
}

import Foundation
import KodeKernel

/// The clock `kode serve` fires timed triggers by. `KODE_CLOCK_OFFSET_SECONDS` (for tests
/// only) shifts it, so a test can start a host "an hour later" and watch it catch up without
/// waiting an hour.
enum SchedulerClockSetting {
    static let variable = "KODE_CLOCK_OFFSET_SECONDS"

    static func clock(environment: [String: String]) throws -> any SchedulerClock {
        guard let raw = environment[variable] else { return SystemClock() }
        guard let offset = Double(raw.trimmingCharacters(in: .whitespaces)), offset.isFinite else {
            throw CLIError.usage("\(variable)='\(raw)': expected a number of seconds (for example 3600 or -90.5)")
        }
        return OffsetClock(offset: offset)
    }
}

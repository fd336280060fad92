import Foundation

/// When a trigger fires (docs/MULTI-AGENT.md, "Scheduler").
public enum TriggerSchedule: Sendable, Hashable {
    /// After every `n` model calls of the agent (counted across turns), before the next one.
    /// Fires in the kernel, inside a turn.
    case everySteps(Int)
    /// Every `seconds`, counted from when the trigger was added. Fires where a
    /// ``TriggerTimer`` runs (`kode serve`).
    case every(seconds: Int)
    /// At the times a cron expression names, in the time zone `timeZone` (an IANA identifier,
    /// fixed when the trigger is added so every host computes the same times).
    case cron(CronExpression, timeZone: String)

    /// Whether this schedule fires on the clock (as opposed to on steps).
    public var isTimed: Bool {
        if case .everySteps = self { return false }
        return true
    }

    /// The first fire time strictly after `date` for a timed schedule anchored at `anchor`
    /// (the previous due time, or when the trigger was added); nil for a step schedule.
    func nextFire(after date: Date, anchor: Date) -> Date? {
        switch self {
        case .everySteps:
            return nil
        case .every(let seconds):
            let interval = Double(seconds)
            guard date >= anchor else { return anchor.addingTimeInterval(interval) }
            // The same phase as the anchor, so a late fire does not shift later ones.
            let periods = (date.timeIntervalSince(anchor) / interval).rounded(.down) + 1
            return anchor.addingTimeInterval(periods * interval)
        case .cron(let expression, let zone):
            return expression.next(after: date, in: TimeZone(identifier: zone) ?? .current)
        }
    }

    /// Human text: `every 3 steps`, `every 15m`, `cron 0 9 * * 1-5 (Europe/Paris)`.
    public var summary: String {
        switch self {
        case .everySteps(let n): return "every \(n) step\(n == 1 ? "" : "s")"
        case .every(let seconds): return "every \(TriggerSchedule.format(seconds: seconds))"
        case .cron(let expression, let zone): return "cron \(expression.text) (\(zone))"
        }
    }

    /// `90` → `90s`, `900` → `15m`, `7200` → `2h`, `86400` → `1d`.
    static func format(seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Parses an interval: a whole number with a unit, `s`, `m`, `h` or `d` (`30s`, `15m`, `2h`);
    /// a bare number is minutes. Throws a message naming what is wrong.
    public static func interval(_ text: String) throws(ScheduleError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var digits = Substring(trimmed)
        var unit = 60
        if let last = trimmed.last, let seconds = units[last] {
            unit = seconds
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else {
            throw ScheduleError.invalid("interval '\(text)': expected a whole number with a unit s, m, h or d (for example 30s, 15m, 2h)")
        }
        guard n >= 1 else { throw ScheduleError.invalid("interval '\(text)': must be at least one second (for example 30s, 15m, 2h)") }
        let (seconds, overflow) = n.multipliedReportingOverflow(by: unit)
        guard !overflow, seconds <= 366 * 86_400 else { throw ScheduleError.invalid("interval '\(text)': longer than a year") }
        return seconds
    }
}

extension TriggerSchedule: Codable {
    private enum Key: String, CodingKey { case kind, steps, seconds, cron, timeZone }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "steps": self = .everySteps(try c.decode(Int.self, forKey: .steps))
        case "interval": self = .every(seconds: try c.decode(Int.self, forKey: .seconds))
        case "cron":
            let text = try c.decode(String.self, forKey: .cron)
            let zone = try c.decode(String.self, forKey: .timeZone)
            do throws(CronError) {
                self = .cron(try CronExpression(text), timeZone: zone)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .cron, in: c, debugDescription: error.description)
            }
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown trigger schedule '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .everySteps(let n):
            try c.encode("steps", forKey: .kind)
            try c.encode(n, forKey: .steps)
        case .every(let seconds):
            try c.encode("interval", forKey: .kind)
            try c.encode(seconds, forKey: .seconds)
        case .cron(let expression, let zone):
            try c.encode("cron", forKey: .kind)
            try c.encode(expression.text, forKey: .cron)
            try c.encode(zone, forKey: .timeZone)
        }
    }
}

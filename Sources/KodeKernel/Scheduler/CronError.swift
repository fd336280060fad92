/// Why a cron expression was refused, and where: the field (by position and name), the column
/// of the offending text in the whole expression (1-based), and what is wrong with it.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// 1-based field number (1 = minute … 5 = day of week); 0 when the problem is the field count.
    public var field: Int
    /// 1-based column of the offending text in `expression`.
    public var column: Int
    /// The offending text.
    public var text: String
    /// What is wrong.
    public var problem: String

    public var description: String {
        let name = field >= 1 && field <= CronField.allCases.count ? CronField.allCases[field - 1].displayName : nil
        let place = name.map { "field \(field) (\($0)), column \(column), '\(text)'" } ?? "column \(column)"
        return "cron expression '\(expression)': \(place): \(problem)"
    }
}

/// The five fields of a cron expression, in order.
public enum CronField: Int, Sendable, CaseIterable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The values the field accepts (day of week takes 7 for Sunday too, folded to 0).
    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    var displayName: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day of month"
        case .month: "month"
        case .dayOfWeek: "day of week"
        }
    }
}

import Foundation

/// A time-of-day schedule in the five-field cron form `minute hour day-of-month month day-of-week`
/// (docs/MULTI-AGENT.md, "Scheduler"). Each field is `*`, a number, a range `a-b`, a step `*/n`,
/// `a-b/n` or `a/n` (from `a` to the field's end), or a comma-separated list of those. Numbers
/// only: no month or day names, no `@daily` shortcuts, no seconds field. Day of week is 0–7 with
/// both 0 and 7 meaning Sunday. As in classic cron, when both day fields are restricted (neither
/// starts with `*`), a day matches if either does.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as given (trimmed).
    public let text: String
    let minutes: UInt64
    let hours: UInt64
    let days: UInt64
    let months: UInt64
    let weekdays: UInt64
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { text }

    /// Parses `text`; a ``CronError`` says which field and column is wrong and why.
    public init(_ text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        self.text = trimmed
        var fields: [(text: Substring, column: Int)] = []
        var index = trimmed.startIndex
        while index < trimmed.endIndex {
            if trimmed[index] == " " || trimmed[index] == "\t" {
                index = trimmed.index(after: index)
                continue
            }
            let start = index
            while index < trimmed.endIndex, trimmed[index] != " ", trimmed[index] != "\t" { index = trimmed.index(after: index) }
            fields.append((trimmed[start..<index], trimmed.distance(from: trimmed.startIndex, to: start) + 1))
        }
        guard fields.count == 5 else {
            throw CronError(expression: trimmed, field: 0, column: 1, text: trimmed,
                            problem: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        var sets: [UInt64] = []
        for (position, field) in CronField.allCases.enumerated() {
            sets.append(try Self.parseField(fields[position].text, field: field, column: fields[position].column, expression: trimmed))
        }
        minutes = sets[0]
        hours = sets[1]
        days = sets[2]
        months = sets[3]
        // 7 is Sunday, as 0 is.
        weekdays = sets[4] & ~(1 << 7) | (sets[4] >> 7 & 1)
        dayOfMonthRestricted = !fields[2].text.hasPrefix("*")
        dayOfWeekRestricted = !fields[4].text.hasPrefix("*")
        // A day of month no month in the list has (`0 0 31 2 *`, `0 0 30 2 *`) never comes.
        if dayOfMonthRestricted && !dayOfWeekRestricted {
            let monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            var longest = 0
            for month in 1...12 where months >> UInt64(month) & 1 == 1 { longest = max(longest, monthLengths[month - 1]) }
            if (1...longest).allSatisfy({ days >> $0 & 1 == 0 }) {
                throw CronError(expression: trimmed, field: 3, column: fields[2].column, text: String(fields[2].text),
                                problem: "no month in the month field has such a day, so it would never fire")
            }
        }
    }

    /// The first minute strictly after `date` that matches, in `timeZone`; nil if none comes
    /// within eight years (parsing refuses the expressions that never fire, so this is a guard).
    /// A time a daylight-saving change skips fires at the shifted time the calendar gives.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let firstMinute = Date(timeIntervalSinceReferenceDate: (date.timeIntervalSinceReferenceDate / 60).rounded(.down) * 60 + 60)
        let first = calendar.dateComponents([.hour, .minute], from: firstMinute)
        var day = calendar.startOfDay(for: firstMinute)
        for offset in 0..<(8 * 366) {
            if offset > 0 {
                guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
                day = calendar.startOfDay(for: following)
            }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday else { return nil }
            guard months >> month & 1 == 1, matches(dayOfMonth: dayOfMonth, weekday: weekday - 1) else { continue }
            for hour in 0...23 where hours >> hour & 1 == 1 {
                if offset == 0, hour < first.hour ?? 0 { continue }
                for minute in 0...59 where minutes >> minute & 1 == 1 {
                    if offset == 0, hour == first.hour, minute < first.minute ?? 0 { continue }
                    var wanted = parts
                    wanted.hour = hour
                    wanted.minute = minute
                    wanted.weekday = nil
                    if let fire = calendar.date(from: wanted), fire > date { return fire }
                }
            }
        }
        return nil
    }

    private func matches(dayOfMonth: Int, weekday: Int) -> Bool {
        let byDay = days >> dayOfMonth & 1 == 1
        let byWeekday = weekdays >> weekday & 1 == 1
        if dayOfMonthRestricted && dayOfWeekRestricted { return byDay || byWeekday }
        return byDay && byWeekday
    }

    /// One field: a comma-separated list of `*`, `n`, `a-b`, each optionally `/step`.
    private static func parseField(_ text: Substring, field: CronField, column: Int, expression: String) throws(CronError) -> UInt64 {
        var set: UInt64 = 0
        var itemColumn = column
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            func fail(_ problem: String) -> CronError {
                CronError(expression: expression, field: field.rawValue + 1, column: itemColumn, text: String(item), problem: problem)
            }
            guard !item.isEmpty else { throw fail("an empty list item (two commas in a row, or one at an end)") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail("more than one '/' in one item") }
            var step = 1
            if parts.count == 2 {
                guard let n = Int(parts[1]), n >= 1 else { throw fail("the step after '/' must be a whole number of at least 1") }
                step = n
            }
            let range = field.range
            var low: Int
            var high: Int
            let base = parts[0]
            if base == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
                if field == .dayOfWeek { high = 6 }
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw fail("a range has one '-' (negative numbers are not allowed)") }
                var values: [Int] = []
                for bound in bounds {
                    guard let value = Int(bound), bound.allSatisfy(\.isASCII) else {
                        throw fail("'\(bound)' is not a number (names such as MON or JAN are not supported)")
                    }
                    guard range.contains(value) else {
                        throw fail("\(value) is out of range for the \(field.displayName) (\(range.lowerBound)–\(range.upperBound))")
                    }
                    values.append(value)
                }
                low = values[0]
                // `a/n` runs from a to the end of the field, as in Vixie cron.
                high = values.count == 2 ? values[1] : (parts.count == 2 ? range.upperBound : low)
                guard low <= high else { throw fail("the range runs backwards (\(low) > \(high))") }
            }
            for value in stride(from: low, through: high, by: step) { set |= 1 << UInt64(value) }
            itemColumn += item.count + 1
        }
        return set
    }
}

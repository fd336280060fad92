import Foundation
import KodeKernel
import Testing

@Suite("Cron expressions")
struct CronExpressionTests {
    let utc = TimeZone(identifier: "UTC")!

    func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    func next(_ expression: String, after: String, zone: TimeZone? = nil) throws -> String? {
        let cron = try CronExpression(expression)
        return cron.next(after: date(after), in: zone ?? utc).map { $0.formatted(.iso8601) }
    }

    @Test func stepsRangesAndListsPickTheNextMatchingMinute() throws {
        #expect(try next("*/15 * * * *", after: "2026-12-01T10:07:30Z") == "2026-12-01T10:15:00Z")
        #expect(try next("*/15 * * * *", after: "2026-12-01T10:15:00Z") == "2026-12-01T10:30:00Z", "strictly after")
        #expect(try next("5,35 9-10 * * *", after: "2026-12-01T10:36:00Z") == "2026-12-02T09:05:00Z")
        #expect(try next("0 22-23/1 * * *", after: "2026-12-01T22:00:00Z") == "2026-12-01T23:00:00Z")
        #expect(try next("30 2 * 2 *", after: "2026-12-01T00:00:00Z") == "2027-02-01T02:30:00Z")
        #expect(try next("10/20 * * * *", after: "2026-12-01T10:31:00Z") == "2026-12-01T10:50:00Z", "a/n runs to the field's end")
    }

    @Test func daysOfWeekAndMonthFollowClassicCron() throws {
        // 2026-12-05 is a Saturday: weekdays only means Monday the 7th.
        #expect(try next("0 9 * * 1-5", after: "2026-12-05T12:00:00Z") == "2026-12-07T09:00:00Z")
        // 0 and 7 are both Sunday.
        #expect(try next("0 9 * * 7", after: "2026-12-05T12:00:00Z") == "2026-12-06T09:00:00Z")
        #expect(try next("0 9 * * 0", after: "2026-12-05T12:00:00Z") == "2026-12-06T09:00:00Z")
        // Both day fields restricted: either matches (the 15th, or a Monday, whichever is first).
        #expect(try next("0 0 15 * 1", after: "2026-12-08T00:00:00Z") == "2026-12-14T00:00:00Z")
        #expect(try next("0 0 15 * 1", after: "2026-12-14T00:00:00Z") == "2026-12-15T00:00:00Z")
        // Leap day only.
        #expect(try next("0 12 29 2 *", after: "2026-12-01T00:00:00Z") == "2028-02-29T12:00:00Z")
    }

    @Test func timesAreReadInTheTriggersTimeZone() throws {
        let paris = TimeZone(identifier: "Europe/Paris")!
        // 09:00 in Paris in December is 08:00 UTC.
        #expect(try next("0 9 * * *", after: "2026-12-01T08:30:00Z", zone: paris) == "2026-12-02T08:00:00Z")
        #expect(try next("0 9 * * *", after: "2026-12-01T07:30:00Z", zone: paris) == "2026-12-01T08:00:00Z")
    }

    func error(_ expression: String) -> CronError? {
        do {
            _ = try CronExpression(expression)
            return nil
        } catch {
            return error
        }
    }

    @Test func badExpressionsSayWhichFieldAndColumnAndWhy() throws {
        let count = try #require(error("* * *"))
        #expect(count.field == 0 && count.description.contains("expected 5 fields") && count.description.contains("found 3"))

        let hour = try #require(error("0 25 * * *"))
        #expect(hour.field == 2 && hour.column == 3 && hour.text == "25")
        #expect(hour.description == "cron expression '0 25 * * *': field 2 (hour), column 3, '25': 25 is out of range for the hour (0–23)")

        let listItem = try #require(error("0 1,99 * * *"))
        #expect(listItem.field == 2 && listItem.column == 5 && listItem.text == "99", "the column points at the list item: \(listItem)")

        let backwards = try #require(error("0 0 * * 5-2"))
        #expect(backwards.field == 5 && backwards.description.contains("runs backwards"))

        let step = try #require(error("*/0 * * * *"))
        #expect(step.field == 1 && step.description.contains("step"))

        let name = try #require(error("0 0 * JAN *"))
        #expect(name.field == 4 && name.description.contains("not a number") && name.description.contains("names"))

        let empty = try #require(error("0,,5 * * * *"))
        #expect(empty.field == 1 && empty.description.contains("empty list item"))

        let never = try #require(error("0 0 30 2 *"))
        #expect(never.field == 3 && never.description.contains("never fire"))

        let negative = try #require(error("0 0 * * -1"))
        #expect(negative.field == 5)
    }

    @Test func intervalsTakeUnitsAndRefuseNonsense() throws {
        #expect(try TriggerSchedule.interval("30s") == 30)
        #expect(try TriggerSchedule.interval("15m") == 900)
        #expect(try TriggerSchedule.interval("15") == 900)
        #expect(try TriggerSchedule.interval("2h") == 7200)
        #expect(try TriggerSchedule.interval("1d") == 86_400)
        for bad in ["", "m", "0m", "-5m", "1.5h", "5 minutes", "9999d"] {
            #expect(throws: ScheduleError.self, "\(bad)") { try TriggerSchedule.interval(bad) }
        }
    }
}

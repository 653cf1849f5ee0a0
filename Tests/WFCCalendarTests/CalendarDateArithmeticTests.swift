import Testing
import WFCIR

@Suite("CalendarDate arithmetic")
struct CalendarDateArithmeticTests {
    @Test func epochAndKnownDayNumbers() throws {
        #expect(try day("1970-01-01").daysSinceEpoch == 0)
        #expect(try day("1969-12-31").daysSinceEpoch == -1)
        #expect(try day("2000-03-01").daysSinceEpoch == 11_017)
        #expect(try day("2025-01-01").daysSinceEpoch == 20_089)
        #expect(CalendarDate(daysSinceEpoch: 20_089) == (try day("2025-01-01")))
        #expect(CalendarDate(daysSinceEpoch: CalendarDate.minDaysSinceEpoch) == (try day("0001-01-01")))
        #expect(CalendarDate(daysSinceEpoch: CalendarDate.maxDaysSinceEpoch) == (try day("9999-12-31")))
        #expect(CalendarDate(daysSinceEpoch: CalendarDate.minDaysSinceEpoch - 1) == nil)
        #expect(CalendarDate(daysSinceEpoch: CalendarDate.maxDaysSinceEpoch + 1) == nil)
    }

    @Test func roundTripOverFourCenturies() {
        // 1900-01-01 … 2300-12-31 covers the 100/400-year leap rules.
        var previous: CalendarDate?
        for n in CalendarDate.daysSinceEpoch(year: 1900, month: 1, day: 1)...CalendarDate.daysSinceEpoch(year: 2300, month: 12, day: 31) {
            guard let d = CalendarDate(daysSinceEpoch: n) else { Issue.record("no date for \(n)"); return }
            #expect(d.daysSinceEpoch == n)
            if let p = previous { #expect(p < d) }
            previous = d
        }
    }

    @Test func weekdays() throws {
        #expect(try day("1970-01-01").weekday == .thursday)
        #expect(try day("2025-01-26").weekday == .sunday)
        #expect(try day("2025-02-08").weekday == .saturday)
        #expect(try day("2025-10-01").weekday == .wednesday)
        #expect(try day("2026-02-15").weekday == .sunday)
        #expect(try day("2026-10-10").weekday == .saturday)
        #expect(try day("1900-01-01").weekday == .monday)
        #expect(try day("0001-01-01").weekday == .monday)
        #expect(CalendarDate.Weekday(name: "friday") == .friday)
        #expect(CalendarDate.Weekday(name: "Friday") == nil)
    }

    @Test func addingDaysAndDaysBetween() throws {
        #expect(try day("2024-02-28").adding(days: 1) == (try day("2024-02-29")))
        #expect(try day("2025-02-28").adding(days: 1) == (try day("2025-03-01")))
        #expect(try day("2025-01-01").adding(days: -1) == (try day("2024-12-31")))
        #expect(try day("9999-12-31").adding(days: 1) == nil)
        #expect(try day("2025-01-01").adding(days: Int.max) == nil)
        #expect(try day("2025-01-27").days(to: day("2025-02-07")) == 11)
        #expect(try day("2025-02-07").days(to: day("2025-01-27")) == -11)
        #expect(try day("2024-12-31").dayOfYear == 366)
        #expect(try day("2025-03-01").dayOfYear == 60)
    }

    @Test func addingMonthsClamps() throws {
        #expect(try day("2025-01-31").adding(months: 1) == (try day("2025-02-28")))
        #expect(try day("2024-01-31").adding(months: 1) == (try day("2024-02-29")))
        #expect(try day("2024-02-29").adding(months: 12) == (try day("2025-02-28")))
        #expect(try day("2025-03-31").adding(months: -1) == (try day("2025-02-28")))
        #expect(try day("2025-01-15").adding(months: -13) == (try day("2023-12-15")))
        #expect(try day("2025-05-31").adding(months: 1) == (try day("2025-06-30")))
        #expect(try day("9999-12-01").adding(months: 1) == nil)
        #expect(try day("0001-01-01").adding(months: -1) == nil)
    }
}

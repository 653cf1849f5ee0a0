import Foundation
import Testing
@testable import WFCCalendar
import WFCIR

@Suite("Deadlines")
struct DeadlineTests {
    /// cn-mainland data, but dates reckoned in UTC (to show that the time zone matters).
    func cnUTC() throws -> WorkingCalendar {
        try calendar(#"{"id": "cn-utc", "title": "cn in UTC", "extends": "cn-mainland", "timezone": "UTC", "years": {}}"#)
    }

    func newYork() throws -> WorkingCalendar {
        try calendar(#"{"id": "ny", "title": "NY", "timezone": "America/New_York", "weekend": ["saturday", "sunday"], "years": {"2025": {}}}"#)
    }

    @Test func localDateUsesTheCalendarsTimeZone() throws {
        let cn = try cnMainland()
        #expect(try cn.localDate(instant("2025-09-30T17:00:00Z")) == (try day("2025-10-01"))) // 01:00 in Shanghai
        #expect(try cn.localDate(instant("2025-09-30T15:59:59Z")) == (try day("2025-09-30"))) // 23:59:59
        #expect(try cn.localDate(instant("2025-09-30T16:00:00Z")) == (try day("2025-10-01"))) // 00:00
        #expect(try cnUTC().localDate(instant("2025-09-30T17:00:00Z")) == (try day("2025-09-30")))
        #expect(try cn.localDate(Date(timeIntervalSince1970: -1)) == (try day("1970-01-01"))) // 07:59:59 +08
        #expect(throws: CalendarError.self) { try cn.localDate(Date(timeIntervalSince1970: .infinity)) }
        #expect(throws: CalendarError.self) { try cn.localDate(Date(timeIntervalSince1970: 1e15)) }
        #expect(cn.startOfDay(try day("2025-10-01")) == (try instant("2025-09-30T16:00:00Z")))
    }

    @Test func workingDayDeadlineAcrossTimeZones() throws {
        let cn = try cnMainland(), utc = try cnUTC()
        // 2025-09-30T17:00:00Z is already Wed 2025-10-01 01:00 in Shanghai (a holiday).
        let event = try instant("2025-09-30T17:00:00Z")
        // n = 0: the end of the next working day, Thu 10-09 → 10-10 00:00 +08.
        #expect(try cn.deadline(after: event, workingDays: 0) == (try instant("2025-10-09T16:00:00Z")))
        // In UTC the event is on Tue 09-30, a working day: the end of that day.
        #expect(try utc.deadline(after: event, workingDays: 0) == (try instant("2025-10-01T00:00:00Z")))
        // One second before Shanghai midnight it is still 09-30 there.
        #expect(try cn.deadline(after: instant("2025-09-30T15:59:59Z"), workingDays: 0) == (try instant("2025-09-30T16:00:00Z")))
        // n = 1 / 3: Thu 10-09 / Sat 10-11 (make-up) → ends at 00:00 +08 the next day.
        #expect(try cn.deadline(after: event, workingDays: 1) == (try instant("2025-10-09T16:00:00Z")))
        #expect(try cn.deadline(after: event, workingDays: 3) == (try instant("2025-10-11T16:00:00Z")))
        // 2025-09-25T16:30:00Z is Fri 09-26 00:30 in Shanghai: 1 working day → Sun 09-28 (make-up).
        // In UTC it is Thu 09-25: 1 working day → Fri 09-26.
        let late = try instant("2025-09-25T16:30:00Z")
        #expect(try cn.deadline(after: late, workingDays: 1) == (try instant("2025-09-28T16:00:00Z")))
        #expect(try utc.deadline(after: late, workingDays: 1) == (try instant("2025-09-27T00:00:00Z")))
    }

    @Test func workingDayDeadlineExamples() throws {
        let cn = try cnMainland()
        // Mon 2025-03-03 10:00, 3 working days → end of Thu 03-06.
        #expect(try cn.deadline(after: instant("2025-03-03T10:00:00+08:00"), workingDays: 3) == (try instant("2025-03-07T00:00:00+08:00")))
        // Sat 2025-03-08, 1 working day → end of Mon 03-10.
        #expect(try cn.deadline(after: instant("2025-03-08T09:00:00+08:00"), workingDays: 1) == (try instant("2025-03-11T00:00:00+08:00")))
        // Mon 2025-01-27 15:00 (eve of Spring Festival), 3 working days → end of Fri 02-07.
        #expect(try cn.deadline(after: instant("2025-01-27T15:00:00+08:00"), workingDays: 3) == (try instant("2025-02-08T00:00:00+08:00")))
        // Backwards: Mon 2025-02-10, −1 → end of Sat 02-08 (make-up).
        #expect(try cn.deadline(after: instant("2025-02-10T09:00:00+08:00"), workingDays: -1) == (try instant("2025-02-09T00:00:00+08:00")))
    }

    @Test func workingDayDeadlineAcrossDaylightSaving() throws {
        let ny = try newYork()
        // Fri 2025-03-07 noon EST, 1 working day → end of Mon 03-10, which is in EDT (−4).
        #expect(try ny.deadline(after: instant("2025-03-07T12:00:00-05:00"), workingDays: 1) == (try instant("2025-03-11T04:00:00Z")))
        // Fri 2025-10-31 EDT, 1 working day → end of Mon 11-03, in EST (−5).
        #expect(try ny.deadline(after: instant("2025-10-31T12:00:00-04:00"), workingDays: 1) == (try instant("2025-11-04T05:00:00Z")))
        #expect(throws: CalendarError.noData(year: 2026)) { try ny.deadline(after: instant("2025-12-31T12:00:00-05:00"), workingDays: 1) }
    }

    @Test func startOfDayWhenMidnightIsSkipped() throws {
        // Brazil started DST at midnight on 2018-11-04: the day began at 01:00 −02 = 03:00Z.
        let sp = try calendar(#"{"id": "sp", "title": "SP", "timezone": "America/Sao_Paulo", "weekend": [], "years": {"2018": {}}}"#)
        #expect(sp.startOfDay(try day("2018-11-04")) == (try instant("2018-11-04T03:00:00Z")))
        #expect(sp.startOfDay(try day("2018-11-05")) == (try instant("2018-11-05T02:00:00Z")))
        #expect(try sp.localDate(instant("2018-11-04T02:59:59Z")) == (try day("2018-11-03")))
        // Empty weekend: every day is a working day; the deadline for n = 0 on 11-03 is the start of 11-04.
        #expect(try sp.deadline(after: instant("2018-11-03T12:00:00-03:00"), workingDays: 0) == (try instant("2018-11-04T03:00:00Z")))
    }

    /// The fast path (no offset change near midnight) and the days next to a change agree with
    /// Foundation's own start of day, every day of a year with two changes.
    @Test func startOfDayMatchesFoundationAroundChanges() throws {
        let ny = try newYork()
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = ny.timeZone
        var d = try day("2025-01-01")
        for _ in 0..<365 {
            let noon = Date(timeIntervalSince1970: Double(d.daysSinceEpoch) * 86_400 + 43_200 + 5 * 3_600)
            #expect(ny.startOfDay(d) == gregorian.startOfDay(for: noon), "\(d)")
            d = try #require(d.adding(days: 1))
        }
        #expect(ny.steadyOffset == nil)
        // China has one offset over its covered years: plain arithmetic, the same answers as
        // Foundation's calendar every day of the year.
        let cn = try #require(WorkingCalendar.builtin("cn-mainland"))
        #expect(cn.steadyOffset?.seconds == 8 * 3_600)
        var shanghai = Calendar(identifier: .gregorian)
        shanghai.timeZone = cn.timeZone
        var c = try day("2025-01-01")
        for _ in 0..<365 {
            let noon = Date(timeIntervalSince1970: Double(c.daysSinceEpoch) * 86_400 + 4 * 3_600)
            #expect(cn.startOfDay(c) == shanghai.startOfDay(for: noon), "\(c)")
            #expect(try cn.localDate(noon) == c)
            c = try #require(c.adding(days: 1))
        }
        // Before the covered years (China kept daylight saving 1986–1991): the database decides.
        #expect(try cn.localDate(instant("1988-07-01T15:30:00Z")) == (try day("1988-07-02")))
        // Next to the changes: 03-09 began at 00:00 EST, 11-02 at 00:00 EDT.
        #expect(ny.startOfDay(try day("2025-03-09")) == (try instant("2025-03-09T05:00:00Z")))
        #expect(ny.startOfDay(try day("2025-11-02")) == (try instant("2025-11-02T04:00:00Z")))
    }

    @Test func plainDurations() throws {
        let cn = try cnMainland()
        let t = try instant("2025-01-31T10:00:00+08:00")
        #expect(try cn.deadline(after: t) == t)
        #expect(try cn.deadline(after: t, months: 1) == (try instant("2025-02-28T10:00:00+08:00")))  // clamped
        #expect(try cn.deadline(after: t, months: 3) == (try instant("2025-04-30T10:00:00+08:00")))  // clamped
        #expect(try cn.deadline(after: t, months: -2) == (try instant("2024-11-30T10:00:00+08:00"))) // clamped
        #expect(try cn.deadline(after: instant("2024-01-31T10:00:00+08:00"), months: 1) == (try instant("2024-02-29T10:00:00+08:00")))
        #expect(try cn.deadline(after: t, days: 3) == (try instant("2025-02-03T10:00:00+08:00")))
        #expect(try cn.deadline(after: t, days: -1) == (try instant("2025-01-30T10:00:00+08:00")))
        #expect(try cn.deadline(after: t, weeks: 2) == (try instant("2025-02-14T10:00:00+08:00")))
        #expect(try cn.deadline(after: t, hours: 25) == (try instant("2025-02-01T11:00:00+08:00")))
        #expect(try cn.deadline(after: t, minutes: 90) == (try instant("2025-01-31T11:30:00+08:00")))
        #expect(try cn.deadline(after: t, months: 1, days: 1, hours: 1) == (try instant("2025-03-01T11:00:00+08:00")))
        // Months are reckoned on the local date: 2025-01-30T20:00Z is Jan 31 04:00 in Shanghai,
        // so one month later is Feb 28 04:00 local (not Feb 28 20:00Z as in UTC).
        #expect(try cn.deadline(after: instant("2025-01-30T20:00:00Z"), months: 1) == (try instant("2025-02-27T20:00:00Z")))
        // Plain durations need no calendar data.
        #expect(try cn.deadline(after: instant("2030-06-01T10:00:00+08:00"), days: 2) == (try instant("2030-06-03T10:00:00+08:00")))
        #expect(throws: CalendarError.self) { try cn.deadline(after: t, weeks: Int.max) }
        #expect(throws: CalendarError.self) { try cn.deadline(after: t, hours: Int.max / 2) }
        #expect(throws: CalendarError.self) { try cn.deadline(after: t, months: 100_000) }
    }

    @Test func plainDurationsAcrossDaylightSaving() throws {
        let ny = try newYork()
        let t = try instant("2025-03-08T12:00:00-05:00") // Sat noon EST; DST starts Sun 03-09 02:00
        #expect(try ny.deadline(after: t, days: 1) == (try instant("2025-03-09T12:00:00-04:00"))) // 23 hours later
        #expect(try ny.deadline(after: t, hours: 24) == (try instant("2025-03-09T13:00:00-04:00")))
        // 02:30 does not exist on 03-09: moved forward past the gap, to 03:30 EDT.
        #expect(try ny.deadline(after: instant("2025-03-08T02:30:00-05:00"), days: 1) == (try instant("2025-03-09T03:30:00-04:00")))
    }
}

import Foundation
import Testing
import WFCCalendar
import WFCIR

/// The built-in cn-mainland calendar on real dates. Every expected date below was worked out by
/// hand from the State Council notices; the reasoning is in the comments.
@Suite("cn-mainland calendar")
struct CNMainlandTests {
    @Test func metadata() throws {
        let cn = try cnMainland()
        #expect(cn.id == "cn-mainland")
        #expect(cn.title == "中国大陆法定节假日")
        #expect(cn.timeZone.identifier == "Asia/Shanghai")
        #expect(cn.years == 2025...2026)
        #expect(cn.weekend == [.saturday, .sunday])
        #expect(cn.baseID == nil)
        #expect(WorkingCalendar.builtinIDs == ["cn-mainland"])
        #expect(WorkingCalendar.builtin("cn-nowhere") == nil)
    }

    /// Independent oracle: the published schedule typed in again here, day by day, checked against
    /// every date of 2025 and 2026.
    @Test func everyDayMatchesThePublishedSchedule() throws {
        let cn = try cnMainland()
        let daysOff: Set<String> = [
            // 2025
            "2025-01-01",
            "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
            "2025-04-04", "2025-04-05", "2025-04-06",
            "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05",
            "2025-05-31", "2025-06-01", "2025-06-02",
            "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
            // 2026
            "2026-01-01", "2026-01-02", "2026-01-03",
            "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
            "2026-04-04", "2026-04-05", "2026-04-06",
            "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
            "2026-06-19", "2026-06-20", "2026-06-21",
            "2026-09-25", "2026-09-26", "2026-09-27",
            "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
        ]
        let makeUp: Set<String> = [
            "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
            "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
        ]
        var perYear: [Int: Int] = [:]
        for d in dates(try day("2025-01-01"), through: try day("2026-12-31")) {
            let key = d.description
            let weekend = d.weekday == .saturday || d.weekday == .sunday
            let expected = makeUp.contains(key) || (!weekend && !daysOff.contains(key))
            #expect(try cn.isWorkingDay(d) == expected, "\(key)")
            if expected { perYear[d.year, default: 0] += 1 }
        }
        // 2025: 261 weekdays − 18 weekday holidays + 5 make-up days = 248.
        // 2026: 261 weekdays − 19 weekday holidays + 6 make-up days = 248.
        #expect(perYear == [2025: 248, 2026: 248])
        #expect(try cn.workingDays(from: day("2025-01-01"), to: day("2025-12-31")) == 248) // 2025-01-01 is a holiday
        #expect(try cn.workingDays(from: day("2025-12-31"), to: day("2026-12-31")) == 248)
    }

    @Test func springFestival2025() throws {
        let cn = try cnMainland()
        // Off 01-28 (Tue) … 02-04 (Tue); make-up days 01-26 (Sun) and 02-08 (Sat).
        // From Mon 01-27: 01-28…02-04 off → Wed 02-05 is the 1st, Thu 02-06 the 2nd, Fri 02-07 the 3rd.
        #expect(try cn.addWorkingDays(day("2025-01-27"), 1) == (try day("2025-02-05")))
        #expect(try cn.addWorkingDays(day("2025-01-27"), 3) == (try day("2025-02-07")))
        // From Fri 01-24: Sat 01-25 off, Sun 01-26 works (1st), Mon 01-27 (2nd), then Wed 02-05 (3rd).
        #expect(try cn.addWorkingDays(day("2025-01-24"), 1) == (try day("2025-01-26")))
        #expect(try cn.addWorkingDays(day("2025-01-24"), 2) == (try day("2025-01-27")))
        #expect(try cn.addWorkingDays(day("2025-01-24"), 3) == (try day("2025-02-05")))
        // From Thu 02-06: Fri 02-07 (1st), Sat 02-08 make-up (2nd), Sun 02-09 off, Mon 02-10 (3rd).
        #expect(try cn.addWorkingDays(day("2025-02-06"), 2) == (try day("2025-02-08")))
        #expect(try cn.addWorkingDays(day("2025-02-06"), 3) == (try day("2025-02-10")))
        // n = 0 on a holiday: the next working day.
        #expect(try cn.addWorkingDays(day("2025-01-30"), 0) == (try day("2025-02-05")))
        #expect(try cn.addWorkingDays(day("2025-01-27"), 0) == (try day("2025-01-27")))
        // Backwards from Wed 02-05: Mon 01-27, Sun 01-26 (make-up), Fri 01-24.
        #expect(try cn.addWorkingDays(day("2025-02-05"), -1) == (try day("2025-01-27")))
        #expect(try cn.addWorkingDays(day("2025-02-05"), -2) == (try day("2025-01-26")))
        #expect(try cn.addWorkingDays(day("2025-02-05"), -3) == (try day("2025-01-24")))
        // (01-24, 02-10]: 01-26, 01-27, 02-05, 02-06, 02-07, 02-08, 02-10 = 7.
        #expect(try cn.workingDays(from: day("2025-01-24"), to: day("2025-02-10")) == 7)
        #expect(try cn.workingDays(from: day("2025-02-10"), to: day("2025-01-24")) == -7)
        // The whole holiday: (01-27, 02-04] has no working day.
        #expect(try cn.workingDays(from: day("2025-01-27"), to: day("2025-02-04")) == 0)
        #expect(try cn.isWorkingDay(day("2025-02-08")) == true)
        #expect(try cn.isWorkingDay(day("2025-02-09")) == false)
    }

    @Test func springFestival2026() throws {
        let cn = try cnMainland()
        // Off 02-15 (Sun) … 02-23 (Mon); make-up days 02-14 (Sat) and 02-28 (Sat).
        // From Thu 02-12: Fri 02-13 (1st), Sat 02-14 (2nd), Tue 02-24 (3rd), Wed 02-25, Thu 02-26 (5th),
        // Fri 02-27 (6th), Sat 02-28 (7th), Sun 03-01 off, Mon 03-02 (8th).
        #expect(try cn.addWorkingDays(day("2026-02-12"), 1) == (try day("2026-02-13")))
        #expect(try cn.addWorkingDays(day("2026-02-12"), 2) == (try day("2026-02-14")))
        #expect(try cn.addWorkingDays(day("2026-02-12"), 3) == (try day("2026-02-24")))
        #expect(try cn.addWorkingDays(day("2026-02-12"), 5) == (try day("2026-02-26")))
        #expect(try cn.addWorkingDays(day("2026-02-12"), 7) == (try day("2026-02-28")))
        #expect(try cn.addWorkingDays(day("2026-02-12"), 8) == (try day("2026-03-02")))
        #expect(try cn.addWorkingDays(day("2026-02-16"), 0) == (try day("2026-02-24")))
        #expect(try cn.addWorkingDays(day("2026-02-24"), -1) == (try day("2026-02-14")))
        // (02-13, 02-24]: 02-14 and 02-24 = 2.
        #expect(try cn.workingDays(from: day("2026-02-13"), to: day("2026-02-24")) == 2)
        #expect(try cn.isWorkingDay(day("2026-02-14")) == true)
        #expect(try cn.isWorkingDay(day("2026-02-23")) == false)
    }

    @Test func nationalDay2025() throws {
        let cn = try cnMainland()
        // Off 10-01 (Wed) … 10-08 (Wed), eight days (National Day + Mid-Autumn);
        // make-up days 09-28 (Sun) and 10-11 (Sat).
        // From Tue 09-30: Thu 10-09 (1st), Fri 10-10 (2nd), Sat 10-11 (3rd), Sun off, Mon 10-13 (4th).
        #expect(try cn.addWorkingDays(day("2025-09-30"), 1) == (try day("2025-10-09")))
        #expect(try cn.addWorkingDays(day("2025-09-30"), 2) == (try day("2025-10-10")))
        #expect(try cn.addWorkingDays(day("2025-09-30"), 3) == (try day("2025-10-11")))
        #expect(try cn.addWorkingDays(day("2025-09-30"), 4) == (try day("2025-10-13")))
        #expect(try cn.addWorkingDays(day("2025-10-08"), 0) == (try day("2025-10-09")))
        #expect(try cn.addWorkingDays(day("2025-10-09"), -1) == (try day("2025-09-30")))
        // (Fri 09-26, Sun 10-12]: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11 = 6.
        #expect(try cn.workingDays(from: day("2025-09-26"), to: day("2025-10-12")) == 6)
        for d in dates(try day("2025-10-01"), through: try day("2025-10-08")) {
            #expect(try cn.isWorkingDay(d) == false, "\(d)")
        }
    }

    @Test func nationalDay2026() throws {
        let cn = try cnMainland()
        // Mid-Autumn 09-25 (Fri) … 09-27 (Sun) off; National Day 10-01 (Thu) … 10-07 (Wed) off;
        // make-up days 09-20 (Sun) and 10-10 (Sat).
        // From Wed 09-30: Thu 10-08 (1st), Fri 10-09 (2nd), Sat 10-10 (3rd), Sun off, Mon 10-12 (4th).
        #expect(try cn.addWorkingDays(day("2026-09-30"), 1) == (try day("2026-10-08")))
        #expect(try cn.addWorkingDays(day("2026-09-30"), 3) == (try day("2026-10-10")))
        #expect(try cn.addWorkingDays(day("2026-09-30"), 4) == (try day("2026-10-12")))
        // From Thu 09-24: Fri 09-25 is Mid-Autumn → Mon 09-28.
        #expect(try cn.addWorkingDays(day("2026-09-24"), 1) == (try day("2026-09-28")))
        // (Fri 09-18, Mon 10-12]: 09-20, 09-21…09-24 (4), 09-28…09-30 (3), 10-08, 10-09, 10-10, 10-12 = 12.
        #expect(try cn.workingDays(from: day("2026-09-18"), to: day("2026-10-12")) == 12)
        #expect(try cn.workingDays(from: day("2026-10-12"), to: day("2026-09-18")) == -12)
    }

    @Test(arguments: ["2025-01-26", "2025-04-27", "2025-09-28", "2026-01-04", "2026-09-20"])
    func makeUpSundaysAreWorkingDays(_ s: String) throws {
        let cn = try cnMainland()
        let d = try day(s)
        #expect(d.weekday == .sunday)
        #expect(try cn.isWorkingDay(d) == true)
        // The day before (a Saturday) is not a working day, so counting 1 from the Friday before
        // lands on the make-up Sunday — unless the Friday is itself a holiday (2026-01-02).
        let friday = try #require(d.adding(days: -2))
        #expect(try cn.isWorkingDay(#require(d.adding(days: -1))) == false)
        if try cn.isWorkingDay(friday) {
            #expect(try cn.addWorkingDays(friday, 1) == d)
            #expect(try cn.workingDays(from: friday, to: d) == 1)
        }
        #expect(try cn.addWorkingDays(d, 0) == d)
    }

    @Test func acrossMakeUpSundays() throws {
        let cn = try cnMainland()
        // Fri 2025-04-25 → Sun 04-27 (make-up) → Mon 04-28.
        #expect(try cn.addWorkingDays(day("2025-04-25"), 1) == (try day("2025-04-27")))
        #expect(try cn.addWorkingDays(day("2025-04-25"), 2) == (try day("2025-04-28")))
        // Across the new year: Wed 2025-12-31; 2026-01-01…03 off; Sun 2026-01-04 works; Mon 01-05.
        #expect(try cn.addWorkingDays(day("2025-12-31"), 1) == (try day("2026-01-04")))
        #expect(try cn.addWorkingDays(day("2025-12-31"), 2) == (try day("2026-01-05")))
        #expect(try cn.addWorkingDays(day("2026-01-04"), -1) == (try day("2025-12-31")))
        #expect(try cn.workingDays(from: day("2025-12-30"), to: day("2026-01-05")) == 3)
        // Fri 2026-09-18 → Sun 09-20 (make-up).
        #expect(try cn.addWorkingDays(day("2026-09-18"), 1) == (try day("2026-09-20")))
    }

    @Test func yearsWithoutDataAreErrors() throws {
        let cn = try cnMainland()
        #expect(throws: CalendarError.noData(year: 2024)) { try cn.isWorkingDay(day("2024-12-31")) }
        #expect(throws: CalendarError.noData(year: 2027)) { try cn.isWorkingDay(day("2027-01-01")) }
        #expect(throws: CalendarError.noData(year: 2027)) { try cn.addWorkingDays(day("2027-03-01"), 0) }
        // A span that starts in 2026 and runs into 2027: Wed 2026-12-30 → Thu 12-31 is the 1st,
        // the 2nd would be in 2027.
        #expect(try cn.addWorkingDays(day("2026-12-30"), 1) == (try day("2026-12-31")))
        #expect(throws: CalendarError.noData(year: 2027)) { try cn.addWorkingDays(day("2026-12-30"), 2) }
        #expect(throws: CalendarError.noData(year: 2027)) { try cn.addWorkingDays(day("2026-06-01"), 300) }
        #expect(throws: CalendarError.noData(year: 2027)) { try cn.addWorkingDays(day("2026-06-01"), Int.max) }
        #expect(throws: CalendarError.noData(year: 2027)) {
            try cn.workingDays(from: day("2026-12-01"), to: day("2027-01-15"))
        }
        #expect(throws: CalendarError.noData(year: 2027)) {
            try cn.workingDays(from: day("2027-01-15"), to: day("2026-12-01"))
        }
        // Backwards out of 2025: Thu 2025-01-02; 01-01 is a holiday, so nothing earlier in 2025.
        #expect(throws: CalendarError.noData(year: 2024)) { try cn.addWorkingDays(day("2025-01-02"), -1) }
        #expect(throws: CalendarError.noData(year: 2024)) { try cn.addWorkingDays(day("2025-06-01"), Int.min) }
        // Both ends must have data, even the excluded start of (a, b].
        #expect(throws: CalendarError.noData(year: 2024)) {
            try cn.workingDays(from: day("2024-12-31"), to: day("2025-01-02"))
        }
        #expect(throws: CalendarError.noData(year: 2027)) {
            try cn.deadline(after: instant("2026-12-31T10:00:00+08:00"), workingDays: 1)
        }
        #expect(cn.workingDayStatus(try day("2027-01-04")) == nil)
        #expect(cn.workingDayStatus(try day("2026-01-04")) == true)
        #expect(CalendarError.noData(year: 2027).description.contains("2027"))
    }
}

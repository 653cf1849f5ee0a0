import Foundation
import Testing
@testable import WFCCalendar
import WFCIR

/// A company calendar that adds 2027 to cn-mainland as a company would type it in from a
/// notice (these 2027 dates are test data, not the official schedule).
private let acmeWith2027 = #"""
{"id": "acme-cn", "title": "Acme 中国", "extends": "cn-mainland",
 "years": {"2027": {"source": "test data",
                    "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
                                 {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"}],
                    "workdays": [{"name": "春节调休上班", "days": ["2027-02-14"]}]}}}
"""#

@Suite("Added and provisional years")
struct ProvisionalAndAddedYearTests {
    @Test func aCompanyCalendarAddsAWholeYear() throws {
        let cal = try calendar(acmeWith2027)
        #expect(cal.years == 2025...2027)
        #expect(cal.provisionalYears.isEmpty)
        #expect(cal.sources[2027] == "test data")
        // Its days off and make-up days count as in the built-in one.
        #expect(try cal.isWorkingDay(day("2027-02-08")) == false) // Monday, listed off
        #expect(try cal.isWorkingDay(day("2027-02-14")) == true) // Sunday, make-up day
        // The base's years are unchanged: 2026-12-30 + 2 working days crosses into the added year.
        #expect(try cal.addWorkingDays(day("2026-12-30"), 2) == (try day("2027-01-04")))
        #expect(throws: CalendarError.noData(year: 2028)) { try cal.isWorkingDay(day("2028-01-03")) }
    }

    /// Lunar holidays from Foundation's Chinese calendar agree with the official 2025 and 2026 data.
    @Test func lunarDatesMatchTheOfficialNotices() throws {
        let cn = try cnMainland()
        for year in [2025, 2026] {
            let law = try #require(StatutoryHolidays.daysOff(year: year, weekend: cn.weekend))
            for (name, days) in law {
                for d in days {
                    #expect(try cn.isWorkingDay(d) == false, "\(name) \(d) is a working day in the official \(year) data")
                }
            }
        }
        let y2025 = try #require(StatutoryHolidays.daysOff(year: 2025, weekend: cn.weekend))
        let y2026 = try #require(StatutoryHolidays.daysOff(year: 2026, weekend: cn.weekend))
        func days(_ list: [(name: String, days: [CalendarDate])], _ name: String) -> [String] {
            list.first { $0.name == name }?.days.map(\.description) ?? []
        }
        #expect(days(y2025, "春节") == ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"]) // 除夕 to 初三
        #expect(days(y2026, "春节") == ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"]) // 春节 2026-02-17
        #expect(days(y2025, "中秋节") == ["2025-10-06"])
        #expect(days(y2026, "中秋节") == ["2026-09-25"])
        #expect(days(y2025, "端午节") == ["2025-05-31"])
        #expect(days(y2026, "端午节") == ["2026-06-19"])
        #expect(days(y2025, "劳动节") == ["2025-05-01", "2025-05-02"])
        #expect(days(y2026, "国庆节") == ["2026-10-01", "2026-10-02", "2026-10-03"])
        // 补假 (article 6): 清明 on Sunday 2026-04-05 gives Monday 04-06 off, as the notice did.
        #expect(days(y2026, "清明节补假") == ["2026-04-06"])
        #expect(days(y2026, "劳动节补假") == ["2026-05-04"])
    }

    /// 清明 by the solar-term formula, against the published dates 2000–2030.
    @Test func qingmingByTheSolarTerm() {
        let april4: Set<Int> = [2000, 2004, 2008, 2009, 2012, 2013, 2016, 2017, 2020, 2021, 2024, 2025, 2028, 2029]
        for year in 2000...2030 {
            #expect(StatutoryHolidays.qingmingDay(year) == (april4.contains(year) ? 4 : 5), "清明 \(year)")
        }
    }

    @Test func the2027ProvisionalYearFromTheLaw() throws {
        let cal = try cnMainland().withProvisionalYear()
        #expect(cal.years == 2025...2027)
        #expect(cal.provisionalYears == [2027])
        #expect(cal.officialYears == 2025...2026)
        #expect(cal.sources[2027] == StatutoryHolidays.source)
        // 春节 2027: 初一 is Saturday 02-06, so 除夕 Fri 02-05 … 初三 Mon 02-08, and the two
        // weekend days are given back on Tue 02-09 and Wed 02-10. No make-up working days.
        for d in ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-01-01", "2027-05-03", "2027-06-09", "2027-09-15", "2027-10-04"] {
            #expect(try cal.isWorkingDay(day(d)) == false, "\(d)")
        }
        #expect(try cal.isWorkingDay(day("2027-02-11")) == true)
        #expect(try cal.isWorkingDay(day("2027-02-14")) == false) // a Sunday stays off: the law knows no 调休
        // The deadline the issue is about: 2 working days after Wed 2026-12-30.
        #expect(try cal.addWorkingDays(day("2026-12-30"), 2) == (try day("2027-01-04")))
        #expect(cal.isProvisional(try day("2027-01-04")))
        #expect(!cal.isProvisional(try day("2026-12-31")))
    }

    @Test func provisionalGivesWayToOfficialData() throws {
        let json = acmeWith2027.replacingOccurrences(of: #""extends": "cn-mainland","#, with: #""extends": "cn-mainland", "provisional": "law","#)
        let cal = try calendar(json)
        #expect(cal.years == 2025...2028)
        #expect(cal.provisionalYears == [2028])
        #expect(try cal.isWorkingDay(day("2027-02-14")) == true) // the added year's own data, not the law's
        // Without the opt-in there is no provisional year.
        #expect(try calendar(acmeWith2027).years == 2025...2027)
        #expect(throws: CalendarError.invalid(path: "provisional", message: "\"guess\" is not a provisional rule; the only one is \"law\" (compute a provisional year from the holiday law), or null")) {
            try calendar(#"{"id": "x", "title": "X", "extends": "cn-mainland", "provisional": "guess", "years": {}}"#)
        }
    }

    /// The data pinned in an IR rebuilds the same calendar.
    @Test func pinnedDataRoundTrips() throws {
        let cal = try calendar(acmeWith2027).withProvisionalYear()
        let back = try WorkingCalendar(ir: cal.ir)
        #expect(back.years == cal.years)
        #expect(back.provisionalYears == cal.provisionalYears)
        #expect(back.sources == cal.sources)
        #expect(back.timeZone == cal.timeZone)
        for d in dates(try day("2025-01-01"), through: try day("2028-12-31")) {
            #expect(back.workingDayStatus(d) == cal.workingDayStatus(d), "\(d)")
        }
        #expect(cal.ir == back.ir)
    }
}

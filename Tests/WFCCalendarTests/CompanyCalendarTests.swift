import Foundation
import Testing
import WFCCalendar
import WFCIR

/// A company calendar that extends cn-mainland: an extra day off on Tue 2025-06-03 (the day after
/// the Dragon Boat holiday), the make-up Saturday 2025-02-08 given off, and Wed 2025-10-08 (a
/// National Day holiday) worked.
private let acme = #"""
{"id": "acme-cn", "title": "Acme 中国", "extends": "cn-mainland",
 "years": {"2025": {"source": "Acme HR notice 2025-01",
                    "holidays": [{"name": "公司周年庆", "days": ["2025-06-03"]},
                                 {"name": "春节调休免上班", "days": ["2025-02-08"]}],
                    "workdays": [{"name": "国庆值班", "days": ["2025-10-08"]}]}}}
"""#

@Suite("Company calendars")
struct CompanyCalendarTests {
    @Test func inheritsFromBase() throws {
        let cal = try calendar(acme)
        #expect(cal.id == "acme-cn")
        #expect(cal.baseID == "cn-mainland")
        #expect(cal.timeZone.identifier == "Asia/Shanghai")
        #expect(cal.weekend == [.saturday, .sunday])
        #expect(cal.years == 2025...2026)
        // Base holidays and make-up days still apply.
        #expect(try cal.isWorkingDay(day("2025-01-29")) == false)
        #expect(try cal.isWorkingDay(day("2025-01-26")) == true)
        #expect(try cal.isWorkingDay(day("2026-02-14")) == true) // 2026 is not in the company file: base only
        #expect(throws: CalendarError.noData(year: 2027)) { try cal.isWorkingDay(day("2027-01-04")) }
    }

    @Test func extraDayOff() throws {
        let cn = try cnMainland(), cal = try calendar(acme)
        // Base: Dragon Boat 05-31 … 06-02 off, so 1 working day after Fri 05-30 is Tue 06-03.
        #expect(try cn.addWorkingDays(day("2025-05-30"), 1) == (try day("2025-06-03")))
        // Company: 06-03 is off too → Wed 06-04.
        #expect(try cal.isWorkingDay(day("2025-06-03")) == false)
        #expect(try cal.addWorkingDays(day("2025-05-30"), 1) == (try day("2025-06-04")))
        #expect(try cal.workingDays(from: day("2025-05-30"), to: day("2025-06-06")) == 3) // 06-04, 06-05, 06-06
        #expect(try cn.workingDays(from: day("2025-05-30"), to: day("2025-06-06")) == 4)
    }

    @Test func companyEntriesWinOverBase() throws {
        let cal = try calendar(acme)
        #expect(try cal.isWorkingDay(day("2025-02-08")) == false) // base make-up Saturday, given off
        #expect(try cal.isWorkingDay(day("2025-10-08")) == true)  // base holiday, worked
        // From Thu 02-06: Fri 02-07 (1st), Sat 02-08 now off, Mon 02-10 (2nd).
        #expect(try cal.addWorkingDays(day("2025-02-06"), 2) == (try day("2025-02-10")))
        // From Tue 09-30: Wed 10-08 is worked (1st).
        #expect(try cal.addWorkingDays(day("2025-09-30"), 1) == (try day("2025-10-08")))
        // 2025 total: 248 − 06-03 − 02-08 + 10-08 = 247.
        #expect(try cal.workingDays(from: day("2025-01-01"), to: day("2025-12-31")) == 247)
    }

    @Test func overridesTimeZoneAndWeekend() throws {
        let cal = try calendar(#"""
            {"id": "acme-six", "title": "Six-day week", "extends": "cn-mainland", "timezone": "UTC",
             "weekend": ["sunday"], "years": {}}
            """#)
        #expect(cal.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0)
        #expect(try cal.isWorkingDay(day("2025-03-01")) == true)  // a Saturday
        #expect(try cal.isWorkingDay(day("2025-03-02")) == false) // a Sunday
        #expect(try cal.isWorkingDay(day("2025-10-04")) == false) // base holiday on a Saturday
    }

    @Test func companyRules() {
        // A year added past the base must follow it without a gap (2028 without 2027).
        do {
            _ = try calendar(#"{"id": "acme", "title": "Acme", "extends": "cn-mainland", "years": {"2028": {}}}"#)
            Issue.record("expected an error")
        } catch {
            guard case .invalid(let path, let message) = error else { Issue.record("got \(error)"); return }
            #expect(path == "years")
            #expect(message.contains("2027 is missing between 2025 and 2028"))
            #expect(message.contains("\"cn-mainland\" covers 2025–2026"))
        }
        // A make-up working day on a day that is already a working day (neither weekend nor base holiday).
        do {
            _ = try calendar(#"{"id": "acme", "title": "Acme", "extends": "cn-mainland", "years": {"2025": {"workdays": [{"name": "x", "days": ["2025-03-03"]}]}}}"#)
            Issue.record("expected an error")
        } catch {
            guard case .invalid(let path, _) = error else { Issue.record("got \(error)"); return }
            #expect(path == "years.2025.workdays[0].days[0]")
        }
    }

    @Test func customBaseResolver() throws {
        let base = try calendar(#"""
            {"id": "tiny", "title": "Tiny", "timezone": "UTC", "weekend": ["saturday", "sunday"],
             "years": {"2030": {"holidays": [{"name": "h", "days": ["2030-01-02"]}]}}}
            """#)
        let derived = try WorkingCalendar(
            json: Data(#"{"id": "tiny-plus", "title": "Tiny+", "extends": "tiny", "years": {"2030": {"holidays": [{"name": "h2", "days": ["2030-01-03"]}]}}}"#.utf8),
            base: { $0 == "tiny" ? base : nil })
        // 2030-01-01 is a Tuesday; 01-02 (base) and 01-03 (own) are off → 1 working day after 01-01 is Fri 01-04.
        #expect(try derived.addWorkingDays(day("2030-01-01"), 1) == (try day("2030-01-04")))
        #expect(derived.years == 2030...2030)
    }
}

import Foundation
import Testing
import WFCCalendar
import WFCIR

@Suite("Consistency and performance")
struct ConsistencyTests {
    /// Reference implementation: step day by day with `isWorkingDay`.
    func naiveAdd(_ cal: WorkingCalendar, _ d: CalendarDate, _ n: Int) throws(CalendarError) -> CalendarDate {
        if n == 0, try cal.isWorkingDay(d) { return d }
        var remaining = max(abs(n), 1)
        let step = n < 0 ? -1 : 1
        var cur = d
        while remaining > 0 {
            guard let next = cur.adding(days: step) else { throw .outOfRange("test") }
            cur = next
            if try cal.isWorkingDay(cur) { remaining -= 1 }
        }
        return cur
    }

    /// Every day of 2025–2026, n in −10…10: addWorkingDays agrees with stepping day by day and
    /// with workingDays(from:to:).
    @Test func addWorkingDaysAndWorkingDaysAgree() throws {
        let cn = try cnMainland()
        for d in dates(try day("2025-01-01"), through: try day("2026-12-31")) {
            let w = try cn.isWorkingDay(d)
            for n in -10...10 {
                let expected = Result { () throws(CalendarError) in try naiveAdd(cn, d, n) }
                let actual = Result { () throws(CalendarError) in try cn.addWorkingDays(d, n) }
                #expect(actual == expected, "addWorkingDays(\(d), \(n))")
                guard case .success(let r) = actual else {
                    // Only running off the covered years may fail.
                    #expect(actual == .failure(.noData(year: n < 0 ? 2024 : 2027)), "\(d) \(n)")
                    continue
                }
                #expect(try cn.isWorkingDay(r), "addWorkingDays(\(d), \(n)) = \(r) is not a working day")
                #expect(try cn.workingDays(from: d, to: r) == -(try cn.workingDays(from: r, to: d)))
                switch n {
                case 0:
                    #expect(r >= d)
                    #expect(try cn.workingDays(from: d, to: r) == (w ? 0 : 1))
                case 1...:
                    #expect(r > d)
                    #expect(try cn.workingDays(from: d, to: r) == n, "\(d) \(n) → \(r)")
                    // r is the first day reaching n: the day before it has n − 1.
                    #expect(try cn.workingDays(from: d, to: #require(r.adding(days: -1))) == n - 1)
                    if w { #expect(try cn.addWorkingDays(r, -n) == d, "round trip \(d) \(n)") }
                default:
                    #expect(r < d)
                    #expect(try cn.workingDays(from: r, to: d) == -n - 1 + (w ? 1 : 0), "\(d) \(n) → \(r)")
                    if w { #expect(try cn.addWorkingDays(r, -n) == d, "round trip \(d) \(n)") }
                }
            }
        }
    }

    /// workingDays(from:to:) equals a running count over many pairs of days.
    @Test func workingDaysMatchesRunningCount() throws {
        let cn = try cnMainland()
        let all = dates(try day("2025-01-01"), through: try day("2026-12-31"))
        var cumulative: [Int] = [] // cumulative[i] = working days among all[0...i]
        var count = 0
        for d in all {
            if try cn.isWorkingDay(d) { count += 1 }
            cumulative.append(count)
        }
        #expect(count == 496)
        for i in stride(from: 0, to: all.count, by: 3) {
            for j in stride(from: 0, to: all.count, by: 5) {
                #expect(try cn.workingDays(from: all[i], to: all[j]) == cumulative[j] - cumulative[i], "\(all[i]) \(all[j])")
            }
        }
    }

    /// addWorkingDays is not a day-by-day scan: 20,000 calls each spanning ~96 years stay fast.
    @Test func longSpansAreFast() throws {
        let years = (2000...2099).map { "\"\($0)\": {}" }.joined(separator: ", ")
        let cal = try calendar(#"{"id": "c", "title": "C", "timezone": "UTC", "weekend": ["saturday", "sunday"], "years": {\#(years)}}"#)
        #expect(cal.years == 2000...2099)
        let monday = try day("2000-01-03")
        // Five working days per week: 25,000 working days = 5,000 weeks = 35,000 days later, a Monday.
        #expect(try cal.addWorkingDays(monday, 25_000) == (try day("2095-10-31")))
        #expect(try cal.addWorkingDays(day("2095-10-31"), -25_000) == monday)
        #expect(try cal.workingDays(from: monday, to: day("2095-10-31")) == 25_000)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for k in 0..<20_000 {
                _ = try cal.addWorkingDays(monday, 25_000 - k % 7)
            }
        }
        #expect(elapsed < .seconds(5), "20,000 long addWorkingDays calls took \(elapsed)")
    }
}

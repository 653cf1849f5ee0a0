import Foundation
import WFCIR

/// The statutory holidays of mainland China as fixed by 《全国年节及纪念日放假办法》 (as amended
/// by 国务院令第795号, in force from 2025-01-01), for a year whose official schedule is not
/// published yet.
///
/// The law fixes 元旦 (1 January), 春节 (除夕 to 初三 of the lunar calendar, 4 days), 清明节 (the
/// day of the solar term), 劳动节 (1–2 May), 端午节 (lunar 5/5), 中秋节 (lunar 8/15) and 国庆节
/// (1–3 October). Its article 6 gives a working day off in place of a holiday that falls on a
/// weekend (补假); it knows no make-up working days (调休) and no bridging days, which the State
/// Council's yearly notice adds. A provisional year can therefore be off by about a week
/// (the law gives 4 days for 春节 2026; the notice gave 9).
public enum StatutoryHolidays {
    /// The years the computation is valid for: the amended law applies from 2025, and the
    /// 清明 formula holds for 2000–2099.
    public static let supportedYears = 2025...2099

    /// The source text recorded for a provisional year.
    public static let source = "《全国年节及纪念日放假办法》（国务院令第795号）推算，未含调休（provisional）"

    /// The mark shown next to a deadline that falls in provisional year `year`.
    public static func provisionalNote(year: Int) -> String {
        "provisional: \(year)'s holidays are computed from the holiday law without the official make-up working days (调休), so this can be off by about a week"
    }

    /// The days off the law gives in `year`, by holiday, including the 补假 days for holidays
    /// that fall on a weekend (`weekend`). Nil outside ``supportedYears``.
    public static func daysOff(year: Int, weekend: Set<CalendarDate.Weekday>) -> [(name: String, days: [CalendarDate])]? {
        let key = "\(year) " + weekend.map(\.name).sorted().joined(separator: ",")
        if let hit = memo.get(key) { return hit }
        let computed = compute(year: year, weekend: weekend)
        if let computed { memo.put(key, computed) }
        return computed
    }

    /// Lunar dates take about a hundred ICU conversions a year: each year is worked out once.
    private static let memo = Memo()

    private final class Memo: @unchecked Sendable {
        private var entries: [String: [(name: String, days: [CalendarDate])]] = [:]
        private let lock = NSLock()
        func get(_ key: String) -> [(name: String, days: [CalendarDate])]? { lock.lock(); defer { lock.unlock() }; return entries[key] }
        func put(_ key: String, _ value: [(name: String, days: [CalendarDate])]) { lock.lock(); entries[key] = value; lock.unlock() }
    }

    private static func compute(year: Int, weekend: Set<CalendarDate.Weekday>) -> [(name: String, days: [CalendarDate])]? {
        guard supportedYears.contains(year),
              let newYear = CalendarDate(year: year, month: 1, day: 1),
              let springFestival = lunar(year: year, month: 1, day: 1, searchFrom: (1, 15), through: (2, 25)),
              let eve = springFestival.adding(days: -1),
              let qingming = CalendarDate(year: year, month: 4, day: qingmingDay(year)),
              let dragonBoat = lunar(year: year, month: 5, day: 5, searchFrom: (5, 20), through: (6, 30)),
              let midAutumn = lunar(year: year, month: 8, day: 15, searchFrom: (9, 1), through: (10, 15)),
              let labour = CalendarDate(year: year, month: 5, day: 1),
              let national = CalendarDate(year: year, month: 10, day: 1)
        else { return nil }
        func run(_ from: CalendarDate, _ count: Int) -> [CalendarDate] { (0..<count).compactMap { from.adding(days: $0) } }
        var holidays: [(name: String, days: [CalendarDate])] = [
            ("元旦", [newYear]),
            ("春节", run(eve, 4)),
            ("清明节", [qingming]),
            ("劳动节", run(labour, 2)),
            ("端午节", [dragonBoat]),
            ("中秋节", [midAutumn]),
            ("国庆节", run(national, 3)),
        ]
        // 补假: each holiday day lost to a weekend, or to another holiday on the same date (中秋
        // on 1 October), is given on the next working days after the run of days off it is in.
        var off = Set(holidays.flatMap { $0.days })
        let statutory = holidays.flatMap { $0.days }.sorted()
        var i = 0
        while i < statutory.count {
            var j = i
            while j + 1 < statutory.count, let next = statutory[j].adding(days: 1), statutory[j + 1] <= next { j += 1 }
            let run = statutory[i...j]
            let distinctWeekdays = Set(run.filter { !weekend.contains($0.weekday) })
            var owed = run.count - distinctWeekdays.count
            var day = run[j]
            var substitutes: [CalendarDate] = []
            while owed > 0, let next = day.adding(days: 1), next.year == year {
                day = next
                if weekend.contains(day.weekday) || off.contains(day) { continue }
                substitutes.append(day)
                off.insert(day)
                owed -= 1
            }
            if !substitutes.isEmpty, let k = holidays.firstIndex(where: { $0.days.contains(run[j]) }) {
                holidays.append(("\(holidays[k].name)补假", substitutes))
            }
            i = j + 1
        }
        return holidays.sorted { ($0.days.first ?? newYear) < ($1.days.first ?? newYear) }
    }

    /// The April day of 清明 (solar longitude 15°) in Beijing time, 2000–2099, by the usual
    /// formula [Y·D + C] − L with D = 0.2422, C = 4.81, Y the year's last two digits and L the
    /// number of leap years before it in the century (integer arithmetic: no rounding drift).
    static func qingmingDay(_ year: Int) -> Int {
        let y = year % 100
        return (y * 2422 + 48100) / 10000 - y / 4
    }

    /// The Gregorian date of lunar `month`/`day` (not a leap month) whose lunar year begins in
    /// `year`, searched between the two (month, day) bounds of `year`. Uses Foundation's
    /// Chinese calendar (ICU) in Asia/Shanghai, the zone the Chinese calendar is reckoned in.
    static func lunar(year: Int, month: Int, day: Int, searchFrom: (Int, Int), through: (Int, Int)) -> CalendarDate? {
        guard let from = CalendarDate(year: year, month: searchFrom.0, day: searchFrom.1),
              let to = CalendarDate(year: year, month: through.0, day: through.1),
              let zone = TimeZone(identifier: "Asia/Shanghai") else { return nil }
        var chinese = Calendar(identifier: .chinese)
        chinese.timeZone = zone
        var d = from
        while d <= to {
            // Local noon, well inside the day in any zone rule.
            let noon = Date(timeIntervalSince1970: Double(d.daysSinceEpoch) * 86_400 + 4 * 3_600)
            let c = chinese.dateComponents([.month, .day, .isLeapMonth], from: noon)
            if c.month == month, c.day == day, c.isLeapMonth != true { return d }
            guard let next = d.adding(days: 1) else { return nil }
            d = next
        }
        return nil
    }
}

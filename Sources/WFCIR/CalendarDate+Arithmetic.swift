// Day arithmetic on `CalendarDate` with pure integer math (proleptic Gregorian calendar,
// no time zones, no Foundation). Day numbers count from 1970-01-01 (day 0), the same epoch
// as Unix time, so `daysSinceEpoch * 86_400` is midnight UTC of that date.

extension CalendarDate {
    /// A day of the week. Raw values follow ISO 8601: Monday = 1 … Sunday = 7.
    public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
        case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The lowercase English name (`"monday"` … `"sunday"`), as used in calendar files.
        public var name: String {
            switch self {
            case .monday: "monday"
            case .tuesday: "tuesday"
            case .wednesday: "wednesday"
            case .thursday: "thursday"
            case .friday: "friday"
            case .saturday: "saturday"
            case .sunday: "sunday"
            }
        }

        /// Parses a lowercase English weekday name; `nil` for anything else.
        public init?(name: String) {
            guard let d = Weekday.allCases.first(where: { $0.name == name }) else { return nil }
            self = d
        }

        public var description: String { name }

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// Day number of 0001-01-01 (the smallest representable date).
    public static let minDaysSinceEpoch = CalendarDate.daysSinceEpoch(year: 1, month: 1, day: 1)
    /// Day number of 9999-12-31 (the largest representable date).
    public static let maxDaysSinceEpoch = CalendarDate.daysSinceEpoch(year: 9999, month: 12, day: 31)

    /// Whether `year` is a leap year in the proleptic Gregorian calendar.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in `year` (365 or 366).
    public static func daysInYear(_ year: Int) -> Int { isLeapYear(year) ? 366 : 365 }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int { CalendarDate.daysSinceEpoch(year: year, month: month, day: day) }

    /// The date `days` days after 1970-01-01; `nil` outside years 1…9999.
    public init?(daysSinceEpoch days: Int) {
        guard days >= CalendarDate.minDaysSinceEpoch, days <= CalendarDate.maxDaysSinceEpoch else { return nil }
        let (y, m, d) = CalendarDate.civil(fromDays: days)
        self.init(year: y, month: m, day: d)
    }

    /// 1-based day of the year (January 1 = 1, December 31 = 365 or 366).
    public var dayOfYear: Int { daysSinceEpoch - CalendarDate.daysSinceEpoch(year: year, month: 1, day: 1) + 1 }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let r = (daysSinceEpoch + 3) % 7
        return Weekday(rawValue: (r < 0 ? r + 7 : r) + 1) ?? .monday
    }

    /// The date `n` days later (earlier when `n < 0`); `nil` when the result is outside years 1…9999.
    public func adding(days n: Int) -> CalendarDate? {
        let (r, overflow) = daysSinceEpoch.addingReportingOverflow(n)
        return overflow ? nil : CalendarDate(daysSinceEpoch: r)
    }

    /// The date `n` months later (earlier when `n < 0`), keeping the day of the month but clamping it
    /// to the last day of the target month (2025-01-31 + 1 month = 2025-02-28; 2024-02-29 + 12 months
    /// = 2025-02-28). `nil` when the result is outside years 1…9999.
    public func adding(months n: Int) -> CalendarDate? {
        let (m0, o1) = (year * 12 + (month - 1)).addingReportingOverflow(n)
        guard !o1 else { return nil }
        let y = m0 >= 0 ? m0 / 12 : (m0 - 11) / 12
        let m = m0 - y * 12 + 1
        guard (1...9999).contains(y) else { return nil }
        return CalendarDate(year: y, month: m, day: Swift.min(day, CalendarDate.daysIn(m, y)))
    }

    /// Calendar days from `self` to `other`: `other − self`, negative when `other` is earlier.
    public func days(to other: CalendarDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Days since 1970-01-01 of year/month/day, without validation (month 1…12 and day 1…31 are
    /// expected; any year works, e.g. 10000-01-01 as an exclusive end). Howard Hinnant's
    /// `days_from_civil`.
    public static func daysSinceEpoch(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    // Howard Hinnant's `civil_from_days`.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

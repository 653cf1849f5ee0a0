/// Supplies working-day information to the workflow date functions.
public protocol WorkingDayCalendar: Sendable {
    /// Whether `date` is a working day; `nil` when the calendar has no data for that year
    /// (evaluation then fails with "no calendar data for year N").
    func isWorkingDay(_ date: CELDate) -> Bool?
}

/// A calendar where Monday–Friday are working days, minus optional holidays.
/// Years outside `years` (when given) have no data, which lets tests exercise that error.
public struct WeekendCalendar: WorkingDayCalendar {
    public var holidays: Set<CELDate>
    public var years: ClosedRange<Int>?
    public init(holidays: Set<CELDate> = [], years: ClosedRange<Int>? = nil) {
        self.holidays = holidays
        self.years = years
    }
    public func isWorkingDay(_ date: CELDate) -> Bool? {
        if let years, !years.contains(date.components.year) { return nil }
        let wd = CivilTime.weekday(days: date.daysSinceEpoch)
        return wd != 0 && wd != 6 && !holidays.contains(date)
    }
}

/// Opt-in workflow date functions, registered through the normal extension point:
///
/// - `days_between(a, b)`: date, date → int — calendar days from `a` to `b` (`b − a`, negative if `b` is earlier).
/// - `working_days_between(a, b)`: date, date → int — working days after `a` up to and including `b`,
///   the range `(a, b]` (negative when `b < a`), as the runtime's calendar counts them.
/// - `add_working_days(d, n)`: date, int → date — the n-th working day after `d` (before, if `n < 0`);
///   `n == 0` gives `d` when it is a working day, else the next working day.
/// - `add_days(d, n)`: date, int → date — calendar arithmetic.
///
/// `date + duration` is deliberately not provided: durations are exact time spans while dates have
/// no time of day, so the meaning around DST changes would be ambiguous. Use `add_days`.
public struct WorkflowFunctions: CELLibrary {
    public var calendar: any WorkingDayCalendar
    /// Upper bound on the number of days scanned by one call (keeps evaluation bounded).
    public var maxSpanDays: Int64 = 40_000

    public init(calendar: any WorkingDayCalendar) { self.calendar = calendar }

    static func dateArg(_ v: CELValue, _ fn: String) throws(CELEvalError) -> CELDate {
        guard case .date(let d) = v else {
            throw CELEvalError(.noSuchOverload, "'\(fn)' needs a date, not \(v.typeName) (no such overload).")
        }
        return d
    }

    static func working(_ cal: any WorkingDayCalendar, _ d: CELDate) throws(CELEvalError) -> Bool {
        guard let w = cal.isWorkingDay(d) else {
            throw CELEvalError(.missingCalendarData, "no calendar data for year \(d.components.year)")
        }
        return w
    }

    static func checkedDate(_ days: Int64) throws(CELEvalError) -> CELDate {
        let d = CELDate(daysSinceEpoch: days)
        let lo = CivilTime.daysFromCivil(year: 1, month: 1, day: 1), hi = CivilTime.daysFromCivil(year: 9999, month: 12, day: 31)
        guard days >= lo, days <= hi else { throw CELEvalError(.outOfRange, "The resulting date is outside years 1 to 9999.") }
        return d
    }

    public var functions: [CELFunction] {
        let cal = calendar
        let maxSpan = maxSpanDays
        return [
            .global("days_between", [.date, .date], .int, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                let x = try WorkflowFunctions.dateArg(a, "days_between"), y = try WorkflowFunctions.dateArg(b, "days_between")
                return .int(y.daysSinceEpoch - x.daysSinceEpoch)
            })),
            .global("working_days_between", [.date, .date], .int, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                let x = try WorkflowFunctions.dateArg(a, "working_days_between")
                let y = try WorkflowFunctions.dateArg(b, "working_days_between")
                let (lo, hi, sign): (Int64, Int64, Int64) = x.daysSinceEpoch <= y.daysSinceEpoch
                    ? (x.daysSinceEpoch, y.daysSinceEpoch, 1) : (y.daysSinceEpoch, x.daysSinceEpoch, -1)
                guard hi - lo <= maxSpan else {
                    throw CELEvalError(.outOfRange, "The dates are too far apart to count working days (more than \(maxSpan) days).")
                }
                // Working days after `lo`, up to and including `hi`: the (a, b] of the runtime's calendar.
                var n: Int64 = 0
                var d = lo + 1
                while d <= hi {
                    if try WorkflowFunctions.working(cal, CELDate(daysSinceEpoch: d)) { n += 1 }
                    d += 1
                }
                return .int(n * sign)
            })),
            .global("add_working_days", [.date, .int], .date, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                let start = try WorkflowFunctions.dateArg(a, "add_working_days")
                guard case .int(let n) = b else {
                    throw CELEvalError(.noSuchOverload, "'add_working_days' needs a whole number of days (no such overload).")
                }
                guard n.magnitude <= UInt64(maxSpan) else {
                    throw CELEvalError(.outOfRange, "Cannot add more than \(maxSpan) working days.")
                }
                var remaining = n.magnitude
                let step: Int64 = n >= 0 ? 1 : -1
                var d = start.daysSinceEpoch
                // n == 0: the date itself when it is a working day, else the next working day.
                if n == 0 {
                    var scanned: Int64 = 0
                    while try !WorkflowFunctions.working(cal, try WorkflowFunctions.checkedDate(d)) {
                        d += 1
                        scanned += 1
                        if scanned > maxSpan { throw CELEvalError(.outOfRange, "The calendar has no working day after \(start).") }
                    }
                    return .date(CELDate(daysSinceEpoch: d))
                }
                var scanned: Int64 = 0
                while remaining > 0 {
                    d += step
                    scanned += 1
                    if scanned > maxSpan * 2 {
                        throw CELEvalError(.outOfRange, "The calendar has too few working days to add \(n).")
                    }
                    if try WorkflowFunctions.working(cal, try WorkflowFunctions.checkedDate(d)) { remaining -= 1 }
                }
                return .date(CELDate(daysSinceEpoch: d))
            })),
            .global("add_days", [.date, .int], .date, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                let start = try WorkflowFunctions.dateArg(a, "add_days")
                guard case .int(let n) = b else {
                    throw CELEvalError(.noSuchOverload, "'add_days' needs a whole number of days (no such overload).")
                }
                let (r, o) = start.daysSinceEpoch.addingReportingOverflow(n)
                if o { throw CELEvalError(.outOfRange, "The resulting date is outside years 1 to 9999.") }
                return .date(try WorkflowFunctions.checkedDate(r))
            })),
            // Calendar months, as notice periods are written ("提前一个月"): the same day of the
            // month n months on, or that month's last day when it is shorter (01-31 + 1 → 02-28).
            .global("add_months", [.date, .int], .date, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                let start = try WorkflowFunctions.dateArg(a, "add_months")
                guard case .int(let n) = b else {
                    throw CELEvalError(.noSuchOverload, "'add_months' needs a whole number of months (no such overload).")
                }
                let c = start.components
                let (total, o) = Int64(c.year * 12 + (c.month - 1)).addingReportingOverflow(n)
                guard !o, total >= 12, total < 10_000 * 12 else { throw CELEvalError(.outOfRange, "The resulting date is outside years 1 to 9999.") }
                let year = Int(total / 12), month = Int(total % 12) + 1
                var day = c.day
                while day > 28, CELDate(year: year, month: month, day: day) == nil { day -= 1 }
                guard let d = CELDate(year: year, month: month, day: day) else {
                    throw CELEvalError(.outOfRange, "The resulting date is outside years 1 to 9999.")
                }
                return .date(d)
            })),
        ]
    }
}

import Foundation
import WFCIR

extension WorkingCalendar {
    /// The local date of `instant` in the calendar's time zone (``timeZone``).
    ///
    /// - Throws: ``CalendarError/outOfRange(_:)`` when the local date is outside years 1–9999.
    public func localDate(_ instant: Date) throws(CalendarError) -> CalendarDate {
        let t = instant.timeIntervalSince1970
        // ±400 billion seconds is about ±12,700 years: beyond it no date is representable anyway.
        guard t.isFinite, abs(t) < 400_000_000_000 else { throw .outOfRange("the instant is outside years 1–9999") }
        let offset = steadyOffset.flatMap { $0.covers(t) ? $0.seconds : nil } ?? timeZone.secondsFromGMT(for: instant)
        let local = Int(t.rounded(.down)) + offset
        let day = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        guard let d = CalendarDate(daysSinceEpoch: day) else { throw .outOfRange("the instant is outside years 1–9999") }
        return d
    }

    /// The first instant of local date `d` in the calendar's time zone — normally 00:00 local
    /// time; where a daylight-saving change skips midnight, the first existing instant of the day.
    public func startOfDay(_ d: CalendarDate) -> Date {
        // The usual case: local midnight exists and no offset change lies within 12 hours of it
        // (China has had none since 1991), so midnight is the first instant of the day. Asking
        // Foundation's calendar costs about ten times as much.
        let localMidnight = Double(d.daysSinceEpoch) * 86_400
        if let steady = steadyOffset, steady.covers(localMidnight - Double(steady.seconds)) {
            return Date(timeIntervalSince1970: localMidnight - Double(steady.seconds))
        }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight))
        let midnight = localMidnight - Double(offset)
        if timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnight - 43_200)) == offset,
           timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnight + 43_200)) == offset {
            return Date(timeIntervalSince1970: midnight)
        }
        // Near a change: find an instant at about local noon (never inside a DST gap), then let
        // Foundation find the start of that local day.
        let localNoon = Double(d.daysSinceEpoch) * 86_400 + 43_200
        var t = localNoon - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localNoon)))
        t = localNoon - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
        return gregorian.startOfDay(for: Date(timeIntervalSince1970: t))
    }

    /// A Gregorian `Calendar` in the calendar's time zone.
    var gregorian: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// The deadline for "within `n` working days" of an event at `instant`: the end of the
    /// `n`-th working day after the event's local date, where the end of a day is 24:00 local
    /// time, i.e. the start (00:00) of the following day in ``timeZone``. The working day is
    /// ``addWorkingDays(_:_:)``(``localDate(_:)``, `n`), so:
    ///
    /// - an event on Monday 10:00, `n = 3` (no holidays): deadline Friday 00:00 (end of Thursday);
    /// - an event on Saturday, `n = 1`: deadline Tuesday 00:00 (end of Monday);
    /// - `n = 0`: the end of the event's day if it is a working day, else of the next working day;
    /// - `n < 0`: the end of the `|n|`-th working day before the event's date.
    ///
    /// The local date is taken in the calendar's time zone: 2025-09-30T17:00:00Z is already
    /// 2025-10-01 01:00 in Asia/Shanghai.
    ///
    /// - Throws: ``CalendarError/noData(year:)`` when the event's year, or a year the count runs
    ///   into, has no data.
    public func deadline(after instant: Date, workingDays n: Int) throws(CalendarError) -> Date {
        let day = try addWorkingDays(try localDate(instant), n)
        guard let next = day.adding(days: 1) else { throw .outOfRange("the deadline is after year 9999") }
        return startOfDay(next)
    }

    /// The deadline for a plain duration after `instant` (no working-day rules, so no calendar
    /// data is needed). Applied in this order, in the calendar's time zone:
    ///
    /// 1. `months`: the same local wall-clock time, `months` months later; the day of the month is
    ///    clamped to the target month's last day (Jan 31 + 1 month = Feb 28, or 29 in leap years);
    /// 2. `weeks` and `days`: the same local wall-clock time `7 × weeks + days` calendar days later
    ///    (so a day across a daylight-saving change is 23 or 25 hours); if that wall-clock time
    ///    does not exist (skipped by a daylight-saving change), the time is moved forward past the gap;
    /// 3. `hours` and `minutes`: exact elapsed time (3,600 and 60 seconds).
    ///
    /// Negative values go backwards. With all values 0 the result is `instant`.
    ///
    /// - Throws: ``CalendarError/outOfRange(_:)`` when the arithmetic overflows or the result is
    ///   outside years 1–9999.
    public func deadline(after instant: Date, months: Int = 0, weeks: Int = 0, days: Int = 0,
                         hours: Int = 0, minutes: Int = 0) throws(CalendarError) -> Date {
        _ = try localDate(instant)
        let tooFar = CalendarError.outOfRange("the deadline is outside years 1–9999")
        let (w7, o1) = weeks.multipliedReportingOverflow(by: 7)
        let (dayCount, o2) = w7.addingReportingOverflow(days)
        let (hs, o3) = hours.multipliedReportingOverflow(by: 3600)
        let (ms, o4) = minutes.multipliedReportingOverflow(by: 60)
        let (secs, o5) = hs.addingReportingOverflow(ms)
        // Longer spans than ±10,000 years cannot land inside years 1–9999.
        guard !(o1 || o2 || o3 || o4 || o5), months.magnitude <= 120_000, dayCount.magnitude <= 3_660_000,
              secs.magnitude <= 316_000_000_000 else { throw tooFar }
        let cal = gregorian
        var t = instant
        if months != 0 {
            guard let r = cal.date(byAdding: .month, value: months, to: t) else { throw tooFar }
            t = r
        }
        if dayCount != 0 {
            guard let r = cal.date(byAdding: .day, value: dayCount, to: t) else { throw tooFar }
            t = r
        }
        t = t.addingTimeInterval(TimeInterval(secs))
        _ = try localDate(t)
        return t
    }
}

import Foundation
import WFCIR

/// A working-day calendar: which dates are working days, for the years it has data for.
///
/// A date is a working day unless it falls on a weekend day or is listed as a day off
/// (`holidays`); a make-up working day (`workdays`, 调休) is a working day even on a weekend.
/// A calendar that `extends` another starts from the base calendar's days off and make-up working
/// days and applies its own on top (its own entries win).
///
/// Years that the calendar file does not list have **no data**: every question involving a date
/// in such a year throws ``CalendarError/noData(year:)``.
///
/// Lookups are O(1) and working-day arithmetic is O(log d) in the number of covered days: the
/// initializer precomputes, for every covered day, how many working days precede it.
public struct WorkingCalendar: Sendable {
    /// The calendar's id, such as `"cn-mainland"`.
    public let id: String
    /// A human-readable title, such as `"中国大陆法定节假日"`.
    public let title: String
    /// The time zone in which the calendar's dates are reckoned (used by the `deadline` functions
    /// and ``localDate(_:)``).
    public let timeZone: TimeZone
    /// The years the calendar has data for, or `nil` when it has none. Always a contiguous range.
    /// Includes the provisional years (``provisionalYears``).
    public let years: ClosedRange<Int>?
    /// The covered years computed from the holiday law rather than published data (see
    /// ``StatutoryHolidays``); empty unless the calendar or the workflow opted in.
    public let provisionalYears: Set<Int>
    /// Year → where its data comes from (`source` in the file), for every covered year that has one.
    public let sources: [Int: String]
    /// The days of the week that are not working days (unless listed as make-up working days).
    public let weekend: Set<CalendarDate.Weekday>
    /// The id of the calendar this one extends, if any.
    public let baseID: String?
    /// Whether the calendar file asks for a provisional year from the law (`"provisional": "law"`).
    public let provisionalLaw: Bool

    /// Day number → working (`true`) or day off (`false`), for every day listed in this calendar
    /// or its bases. Days not listed follow the weekend rule.
    let overrides: [Int: Bool]
    /// Day number (days since 1970-01-01) of January 1 of the first covered year.
    let firstDay: Int
    /// `prefix[i]` = number of working days among covered days `0..<i` (day 0 = January 1 of the
    /// first covered year). Has one more element than there are covered days.
    let prefix: [Int32]
    /// The time zone's one offset from UTC over the covered years and a year either side, when
    /// it has no change there (China since 1991): local dates are then plain arithmetic, not a
    /// question to the time-zone database each time. Nil otherwise.
    let steadyOffset: SteadyOffset?

    struct SteadyOffset: Sendable {
        var seconds: Int
        /// The instants (seconds since 1970) it holds for: [from, until).
        var from: Double
        var until: Double
        func covers(_ t: Double) -> Bool { t >= from && t < until }
    }

    /// Loads a calendar from the JSON calendar-file format (see docs/calendar.md), validating it
    /// strictly.
    ///
    /// - Parameters:
    ///   - json: the file's bytes (UTF-8 JSON).
    ///   - base: resolves the id named by `"extends"` to the base calendar; return `nil` for an
    ///     unknown id (the initializer then throws ``CalendarError/unknownBase(_:)``). Defaults to
    ///     the built-in calendars.
    /// - Throws: ``CalendarError/invalid(path:message:)`` describing the first problem found, with
    ///   its JSON path; ``CalendarError/unknownBase(_:)``.
    public init(json: Data, base: (String) -> WorkingCalendar? = WorkingCalendar.builtin) throws(CalendarError) {
        let file = try CalendarFile.parse(try JSONValue.parse(json))
        var baseCalendar: WorkingCalendar?
        if let baseID = file.extends {
            guard let b = base(baseID) else { throw .unknownBase(baseID) }
            baseCalendar = b
        }
        try self.init(file: file, base: baseCalendar)
    }

    init(file: CalendarFile, base: WorkingCalendar?) throws(CalendarError) {
        let timeZone: TimeZone
        if let name = file.timezone {
            guard let tz = TimeZone(identifier: name) else {
                throw .invalid(path: "timezone", message: "\"\(name)\" is not a known time zone (use an IANA name such as \"Asia/Shanghai\")")
            }
            timeZone = tz
        } else if let base {
            timeZone = base.timeZone
        } else {
            throw .invalid(path: "timezone", message: "is missing")
        }
        guard let weekend = file.weekend ?? base?.weekend else { throw .invalid(path: "weekend", message: "is missing") }

        // A base's provisional years are not inherited: the extending calendar opts in itself.
        let baseYears = base?.officialYears
        var covered = Set(file.sources.keys)
        if let baseYears { covered.formUnion(baseYears) }
        let years: ClosedRange<Int>?
        if let first = covered.min(), let last = covered.max() {
            if last - first + 1 != covered.count {
                let missing = (first...last).first { !covered.contains($0) } ?? first
                if let base, let baseYears {
                    // A calendar that extends another may add whole years next to its base's
                    // (the year the State Council publishes), but not leave a gap.
                    throw .invalid(path: "years", message: "the years must be consecutive: \(missing) is missing between \(first) and \(last) (the base calendar \"\(base.id)\" covers \(baseYears.lowerBound)–\(baseYears.upperBound); a year added to it must follow or precede those without a gap)")
                }
                throw .invalid(path: "years", message: "the years must be consecutive: \(missing) is missing between \(first) and \(last) (list it, even if it is empty, or drop the years around it)")
            }
            years = first...last
        } else {
            years = nil
        }

        // Merge: base entries first (its published years only), then this file's (which win).
        var overrides = base?.overrides ?? [:]
        if let base, !base.provisionalYears.isEmpty {
            overrides = overrides.filter { day, _ in !base.provisionalYears.contains(WorkingCalendar.year(ofDay: day)) }
        }
        for (day, origin) in file.workdays.sorted(by: { $0.key < $1.key }) {
            let wouldWork = overrides[day] ?? !weekend.contains(WorkingCalendar.weekday(day))
            if wouldWork {
                let d = CalendarDate(daysSinceEpoch: day)
                let desc = d.map { "\($0) (\($0.weekday.name))" } ?? String(day)
                throw .invalid(path: origin.path, message: "\(desc) is already a working day; \"workdays\" lists make-up working days that would otherwise be days off (weekend days\(base == nil ? "" : " or days off in the base calendar"))")
            }
        }
        for day in file.holidays.keys { overrides[day] = false }
        for day in file.workdays.keys { overrides[day] = true }

        var sources = base?.sources.filter { baseYears?.contains($0.key) ?? false } ?? [:]
        for case let (y, s?) in file.sources { sources[y] = s }
        self.init(id: file.id, title: file.title, timeZone: timeZone, weekend: weekend, baseID: base?.id,
                  years: years, provisionalYears: [], sources: sources, overrides: overrides, provisionalLaw: file.provisionalLaw)
        if file.provisionalLaw { self = self.withProvisionalYear() }
    }

    /// The one place the working-day table is built; every other initializer ends here.
    init(id: String, title: String, timeZone: TimeZone, weekend: Set<CalendarDate.Weekday>, baseID: String?,
         years: ClosedRange<Int>?, provisionalYears: Set<Int>, sources: [Int: String], overrides: [Int: Bool], provisionalLaw: Bool) {
        self.id = id
        self.title = title
        self.timeZone = timeZone
        self.weekend = weekend
        self.baseID = baseID
        self.years = years
        self.provisionalYears = provisionalYears
        self.sources = sources
        self.overrides = overrides
        self.provisionalLaw = provisionalLaw
        steadyOffset = years.flatMap { Self.steadyOffset(timeZone, years: $0) }
        if let years {
            let first = CalendarDate.daysSinceEpoch(year: years.lowerBound, month: 1, day: 1)
            let end = CalendarDate.daysSinceEpoch(year: years.upperBound + 1, month: 1, day: 1)
            var prefix = [Int32](repeating: 0, count: end - first + 1)
            var count: Int32 = 0
            for i in 0..<(end - first) {
                let day = first + i
                if overrides[day] ?? !weekend.contains(WorkingCalendar.weekday(day)) { count += 1 }
                prefix[i + 1] = count
            }
            firstDay = first
            self.prefix = prefix
        } else {
            firstDay = 0
            prefix = [0]
        }
    }

    /// The covered years that have published (non-provisional) data; nil when there are none.
    public var officialYears: ClosedRange<Int>? {
        guard let years else { return nil }
        let official = years.filter { !provisionalYears.contains($0) }
        guard let first = official.first, let last = official.last else { return nil }
        return first...last
    }

    /// This calendar with the year after its last published one computed from the holiday law
    /// (``StatutoryHolidays``) and marked provisional. Unchanged when it already has a
    /// provisional year, has no published year, or the next year is outside
    /// ``StatutoryHolidays/supportedYears``. Once that year's official data is added to the
    /// calendar file, the provisional year moves on to the year after.
    public func withProvisionalYear() -> WorkingCalendar {
        guard provisionalYears.isEmpty, let official = officialYears,
              let days = StatutoryHolidays.daysOff(year: official.upperBound + 1, weekend: weekend) else { return self }
        let year = official.upperBound + 1
        var overrides = self.overrides
        for (_, list) in days { for d in list { overrides[d.daysSinceEpoch] = false } }
        var sources = self.sources
        sources[year] = StatutoryHolidays.source
        return WorkingCalendar(id: id, title: title, timeZone: timeZone, weekend: weekend, baseID: baseID,
                               years: official.lowerBound...year, provisionalYears: [year], sources: sources,
                               overrides: overrides, provisionalLaw: provisionalLaw)
    }

    /// Whether `d` falls in a provisional year (see ``provisionalYears``).
    public func isProvisional(_ d: CalendarDate) -> Bool { provisionalYears.contains(d.year) }

    /// The last covered date (31 December of the last covered year), or nil without data.
    public var lastCoveredDate: CalendarDate? { years.flatMap { CalendarDate(year: $0.upperBound, month: 12, day: 31) } }

    static func year(ofDay day: Int) -> Int { CalendarDate(daysSinceEpoch: day)?.year ?? 0 }

    static func weekday(_ day: Int) -> CalendarDate.Weekday {
        let r = (day + 3) % 7
        return CalendarDate.Weekday(rawValue: (r < 0 ? r + 7 : r) + 1) ?? .monday
    }

    /// Index of `d` in the precomputed table, or `.noData` when its year is not covered.
    private func index(_ d: CalendarDate) throws(CalendarError) -> Int {
        guard let years, years.contains(d.year) else { throw .noData(year: d.year) }
        return d.daysSinceEpoch - firstDay
    }

    private func isWorking(index i: Int) -> Bool { prefix[i + 1] != prefix[i] }

    private func date(index i: Int) throws(CalendarError) -> CalendarDate {
        guard let d = CalendarDate(daysSinceEpoch: firstDay + i) else { throw .outOfRange("date outside years 1–9999") }
        return d
    }

    /// The error for running off the end (`forward`) or the start of the covered years.
    private func beyondCoverage(forward: Bool) -> CalendarError {
        guard let years else { return .noData(year: 0) }
        let y = forward ? years.upperBound + 1 : years.lowerBound - 1
        return (1...9999).contains(y) ? .noData(year: y) : .outOfRange("working-day arithmetic left the years 1–9999")
    }

    /// The offset of `zone` when it does not change from a year before `years` to a year after.
    static func steadyOffset(_ zone: TimeZone, years: ClosedRange<Int>) -> SteadyOffset? {
        let from = Double(CalendarDate.daysSinceEpoch(year: max(1, years.lowerBound - 1), month: 1, day: 1)) * 86_400 - 86_400
        let until = Double(CalendarDate.daysSinceEpoch(year: min(9999, years.upperBound + 2), month: 1, day: 1)) * 86_400 + 86_400
        let start = Date(timeIntervalSince1970: from)
        let offset = zone.secondsFromGMT(for: start)
        if let change = zone.nextDaylightSavingTimeTransition(after: start), change.timeIntervalSince1970 < until { return nil }
        // The transition query covers daylight saving; a change of standard time shows here.
        guard zone.secondsFromGMT(for: Date(timeIntervalSince1970: until - 1)) == offset,
              zone.secondsFromGMT(for: Date(timeIntervalSince1970: (from + until) / 2)) == offset else { return nil }
        return SteadyOffset(seconds: offset, from: from, until: until)
    }

    /// Whether `d` is a working day.
    ///
    /// - Throws: ``CalendarError/noData(year:)`` when the calendar has no data for `d`'s year.
    public func isWorkingDay(_ d: CalendarDate) throws(CalendarError) -> Bool {
        isWorking(index: try index(d))
    }

    /// Working-day arithmetic.
    ///
    /// - `n > 0`: the `n`-th working day strictly after `d` (whether `d` itself is a working day
    ///   does not matter). `addWorkingDays(friday, 1)` is the next Monday in a week without holidays.
    /// - `n == 0`: `d` itself if it is a working day, otherwise the first working day after `d`
    ///   (the same as `n == 1` in that case).
    /// - `n < 0`: the `|n|`-th working day strictly before `d` (the mirror image of `n > 0`).
    ///
    /// For `n ≥ 1`, `workingDays(from: d, to: addWorkingDays(d, n)) == n`, and for a working day
    /// `d`, `addWorkingDays(addWorkingDays(d, n), -n) == d`.
    ///
    /// - Throws: ``CalendarError/noData(year:)`` when `d`'s year is not covered, or when the result
    ///   would fall after (before) the covered years — the year reported is the first uncovered year
    ///   the search ran into.
    public func addWorkingDays(_ d: CalendarDate, _ n: Int) throws(CalendarError) -> CalendarDate {
        let i = try index(d)
        let total = prefix[prefix.count - 1]
        // Find the day j with prefix[j + 1] == target and j a working day, i.e. the working day
        // that is the `target`-th (1-based) of the covered range.
        let target: Int
        if n >= 0 {
            if n == 0, isWorking(index: i) { return d }
            let step = max(n, 1)
            let available = Int(total - prefix[i + 1])
            guard step <= available else { throw beyondCoverage(forward: true) }
            target = Int(prefix[i + 1]) + step
        } else {
            let before = UInt(prefix[i])
            guard n.magnitude <= before else { throw beyondCoverage(forward: false) }
            target = Int(prefix[i]) - Int(n.magnitude) + 1
        }
        // Lower bound: smallest k with prefix[k] >= target; then j = k - 1.
        var lo = 0, hi = prefix.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(prefix[mid]) < target { lo = mid + 1 } else { hi = mid }
        }
        return try date(index: lo - 1)
    }

    /// The number of working days in the half-open interval `(a, b]`: after `a`, up to and
    /// including `b`. Negative when `b < a` (then `-workingDays(from: b, to: a)`); zero when
    /// `a == b`. So `workingDays(from: monday, to: friday) == 4` in a week without holidays.
    ///
    /// - Throws: ``CalendarError/noData(year:)`` for the earlier of `a` and `b` whose year is not
    ///   covered (both dates must be in covered years).
    public func workingDays(from a: CalendarDate, to b: CalendarDate) throws(CalendarError) -> Int {
        let (lo, hi, sign) = a <= b ? (a, b, 1) : (b, a, -1)
        let i = try index(lo), j = try index(hi)
        return sign * Int(prefix[j + 1] - prefix[i + 1])
    }

    /// The result of looking up `date` without throwing: `true`/`false`, or `nil` when the
    /// calendar has no data for that year. Convenient for adapters such as the CEL
    /// `WorkingDayCalendar` protocol.
    public func workingDayStatus(_ date: CalendarDate) -> Bool? {
        guard let i = try? index(date) else { return nil }
        return isWorking(index: i)
    }
}

/// The minimal working-day lookup that expression libraries can adapt to (for example the CEL
/// module's `WorkingDayCalendar`, whose date type differs): `true`/`false` for a working day or
/// day off, `nil` when there is no data for the date's year.
///
/// An adapter in the integrating module looks like:
/// ```swift
/// struct CELWorkingDays: CEL.WorkingDayCalendar {
///     let calendar: any WorkingDayLookup
///     func isWorkingDay(_ date: CELDate) -> Bool? {
///         CalendarDate(daysSinceEpoch: Int(date.daysSinceEpoch)).flatMap(calendar.workingDayStatus)
///     }
/// }
/// ```
public protocol WorkingDayLookup: Sendable {
    /// Whether `date` is a working day; `nil` when there is no data for its year.
    func workingDayStatus(_ date: CalendarDate) -> Bool?
}

extension WorkingCalendar: WorkingDayLookup {}

extension WorkingCalendar {
    /// The ids of the built-in calendars (currently `["cn-mainland"]`).
    public static let builtinIDs: [String] = builtinSources.map(\.id)

    /// A built-in calendar by id (see ``builtinIDs``), or `nil` for an unknown id. The data is
    /// embedded in the binary; its source of truth is calendars/<id>.json in the repository.
    public static func builtin(_ id: String) -> WorkingCalendar? { builtins[id] }

    /// The JSON text of a built-in calendar (identical to calendars/<id>.json in the repository),
    /// or `nil` for an unknown id. Useful as a starting point for a company calendar.
    public static func builtinJSON(_ id: String) -> String? { builtinSources.first { $0.id == id }?.json }

    static let builtins: [String: WorkingCalendar] = {
        var loaded: [String: WorkingCalendar] = [:]
        for (id, json) in builtinSources {
            let known = loaded
            // A malformed embedded file leaves the id unavailable; BuiltinCalendarTests reports why.
            if let cal = try? WorkingCalendar(json: Data(json.utf8), base: { known[$0] }), cal.id == id {
                loaded[id] = cal
            }
        }
        return loaded
    }()
}

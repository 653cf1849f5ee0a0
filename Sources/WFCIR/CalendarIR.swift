/// The working-day calendar data a workflow was compiled with, carried in its IR so that a
/// case keeps the data it started with: a definition is pinned by its content hash, and this
/// data is part of that content. Adding or correcting a year in a calendar file later makes a
/// new definition; it never changes what an existing case replays.
public struct CalendarIR: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// IANA time-zone name.
    public var timezone: String
    /// Weekday names (`saturday`, `sunday`) that are days off unless listed as make-up working days.
    public var weekend: [String]
    /// The covered years, consecutive and ascending.
    public var years: [CalendarYearIR]

    public init(id: String, title: String, timezone: String, weekend: [String], years: [CalendarYearIR]) {
        self.id = id
        self.title = title
        self.timezone = timezone
        self.weekend = weekend
        self.years = years
    }
}

/// One covered year: the days whose status differs from the weekend rule.
public struct CalendarYearIR: Codable, Sendable, Equatable {
    public var year: Int
    /// Where the data comes from (the notice's title and number), or the law for a provisional year.
    public var source: String?
    /// True for a year computed from the holiday law because no official schedule was known:
    /// it has no make-up working days and may be off by about a week.
    public var provisional: Bool?
    /// Days off, `YYYY-MM-DD`, ascending.
    public var daysOff: [String]
    /// Make-up working days, `YYYY-MM-DD`, ascending.
    public var workdays: [String]

    public init(year: Int, source: String?, provisional: Bool?, daysOff: [String], workdays: [String]) {
        self.year = year
        self.source = source
        self.provisional = provisional
        self.daysOff = daysOff
        self.workdays = workdays
    }
}

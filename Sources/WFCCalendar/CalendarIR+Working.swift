import Foundation
import WFCIR

extension WorkingCalendar {
    /// The calendar's data as pinned in a workflow's IR: every covered year with its source,
    /// whether it is provisional, and the days that differ from the weekend rule.
    public var ir: CalendarIR {
        var byYear: [Int: (off: [String], work: [String])] = [:]
        for (day, working) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let d = CalendarDate(daysSinceEpoch: day), years?.contains(d.year) == true else { continue }
            if working { byYear[d.year, default: ([], [])].work.append(d.description) } else { byYear[d.year, default: ([], [])].off.append(d.description) }
        }
        let yearList = years.map { Array($0) } ?? []
        return CalendarIR(
            id: id, title: title, timezone: timeZone.identifier,
            weekend: weekend.sorted { $0.rawValue < $1.rawValue }.map(\.name),
            years: yearList.map { y in
                CalendarYearIR(year: y, source: sources[y], provisional: provisionalYears.contains(y) ? true : nil,
                               daysOff: byYear[y]?.off ?? [], workdays: byYear[y]?.work ?? [])
            })
    }

    /// Rebuilds a calendar from the data pinned in an IR (see ``ir``).
    ///
    /// - Throws: ``CalendarError/invalid(path:message:)`` for data no compiler writes (an edited IR
    ///   whose hash was recomputed): an unknown zone or weekday, a bad date, a gap between years.
    public init(ir: CalendarIR) throws(CalendarError) {
        guard let zone = TimeZone(identifier: ir.timezone) else {
            throw .invalid(path: "calendarData.timezone", message: "\"\(ir.timezone)\" is not a known time zone")
        }
        var weekend = Set<CalendarDate.Weekday>()
        for (i, name) in ir.weekend.enumerated() {
            guard let wd = CalendarDate.Weekday(name: name) else { throw .invalid(path: "calendarData.weekend[\(i)]", message: "\"\(name)\" is not a weekday name") }
            weekend.insert(wd)
        }
        var overrides: [Int: Bool] = [:]
        var sources: [Int: String] = [:]
        var provisional = Set<Int>()
        for (i, y) in ir.years.enumerated() {
            guard (1...9999).contains(y.year), i == 0 || ir.years[i - 1].year + 1 == y.year else {
                throw .invalid(path: "calendarData.years[\(i)]", message: "year \(y.year) does not follow the year before it")
            }
            if let s = y.source { sources[y.year] = s }
            if y.provisional == true { provisional.insert(y.year) }
            for (list, working) in [(y.daysOff, false), (y.workdays, true)] {
                for text in list {
                    guard let d = CalendarDate(parsing: text), d.year == y.year else {
                        throw .invalid(path: "calendarData.years[\(i)]", message: "\"\(text)\" is not a date in \(y.year)")
                    }
                    overrides[d.daysSinceEpoch] = working
                }
            }
        }
        let years = ir.years.first.flatMap { f in ir.years.last.map { f.year...$0.year } }
        self.init(id: ir.id, title: ir.title, timeZone: zone, weekend: weekend, baseID: nil, years: years,
                  provisionalYears: provisional, sources: sources, overrides: overrides, provisionalLaw: !provisional.isEmpty)
    }
}

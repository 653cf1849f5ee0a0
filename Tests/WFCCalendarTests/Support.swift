import Foundation
import TestSupport
import Testing
import WFCCalendar
import WFCIR

/// Parses `YYYY-MM-DD` (the test fails if it is not a valid date).
func day(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CalendarDate {
    try #require(CalendarDate(parsing: s), "bad test date \(s)", sourceLocation: sourceLocation)
}

/// Parses an ISO 8601 instant such as `2025-09-30T17:00:00Z` or `2025-03-03T10:00:00+08:00`.
func instant(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Date {
    try #require(ISO8601DateFormatter().date(from: s), "bad test instant \(s)", sourceLocation: sourceLocation)
}

/// The built-in Chinese mainland calendar.
func cnMainland(sourceLocation: SourceLocation = #_sourceLocation) throws -> WorkingCalendar {
    try #require(WorkingCalendar.builtin("cn-mainland"), "built-in cn-mainland failed to load", sourceLocation: sourceLocation)
}

/// Loads a calendar from JSON text (bases resolved against the built-ins).
func calendar(_ json: String) throws(CalendarError) -> WorkingCalendar {
    try WorkingCalendar(json: Data(json.utf8))
}

/// Every date from `a` through `b`.
func dates(_ a: CalendarDate, through b: CalendarDate) -> [CalendarDate] {
    (a.daysSinceEpoch...b.daysSinceEpoch).compactMap { CalendarDate(daysSinceEpoch: $0) }
}

/// The repository root (the directory holding Package.swift and calendars/).
func repoRoot() -> URL? {
    let root = PackagePaths.root
    return FileManager.default.fileExists(atPath: root.appendingPathComponent("calendars").path) ? root : nil
}

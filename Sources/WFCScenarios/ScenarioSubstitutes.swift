import Foundation
import WFCCalendar
import WFCIR
import WFCDiagnostics

/// The substitutes (代理) a scenario has named so far, checked as the store checks them: two
/// different people, a range that ends after it begins, one substitute per person at a time.
struct ScenarioSubstitutes {
    struct Entry { var person, substitute: String; var from, until: Date }
    var entries: [Entry] = []

    /// Whether `substitute` stands in for `person` at `time`.
    func applies(substitute: String, for person: String, at time: Date) -> Bool {
        entries.contains { $0.person == person && $0.substitute == substitute && $0.from <= time && time < $0.until }
    }

    /// Adds one; the failure (WFC8010) when it cannot be kept.
    mutating func add(_ s: ScenarioSubstitution, now: Date, timeZone: TimeZone, format: (Date) -> String) -> Diagnostic? {
        func bad(_ m: String, _ span: SourceSpan) -> Diagnostic {
            Diagnostic(InvalidScenarioSubstitute(message: m), at: span, help: "name another person, for a range after the step's time that meets no other substitution of theirs")
        }
        var from = now
        if let f = s.from {
            guard let d = Self.instant(f.text, endOfDay: false, timeZone) else { return bad("`\(f.text)` is not a date or a time", f.span) }
            from = d
        }
        guard let until = Self.instant(s.until.text, endOfDay: true, timeZone) else { return bad("`\(s.until.text)` is not a date or a time", s.until.span) }
        if s.person == s.substitute { return bad("\(s.person) cannot be their own substitute", s.span) }
        if until <= from { return bad("the substitution ends (\(format(until))) before it begins (\(format(from)))", s.until.span) }
        if let other = entries.first(where: { $0.person == s.person && $0.from < until && from < $0.until }) {
            return bad("\(s.person) already has \(other.substitute) as substitute from \(format(other.from)) until \(format(other.until))", s.span)
        }
        entries.append(Entry(person: s.person, substitute: s.substitute, from: from, until: until))
        return nil
    }

    /// A date as a whole day (its start, or for `endOfDay` the next day's start) in `timeZone`,
    /// or any time ``ClockText`` reads.
    static func instant(_ text: String, endOfDay: Bool, _ timeZone: TimeZone) -> Date? {
        if let day = CalendarDate(parsing: text) {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = timeZone
            guard let start = cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) else { return nil }
            return endOfDay ? cal.date(byAdding: .day, value: 1, to: start) : start
        }
        return ClockText.parse(text, timeZone: timeZone)
    }
}

/// WFC8010: a `substitute:` step that cannot be kept.
struct InvalidScenarioSubstitute: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC8010", name: "scenario-substitute", summary: "A `substitute:` step names no usable substitution.",
        explanation: "A scenario's `substitute:` step is kept as the store keeps a substitution: the substitute and the person (`for:`) differ, the range (`from:`, default the step's time, to `until:`, a date being a whole day, included) ends after it begins, and it meets no other substitution of the same person. The scenario stops at the step.",
        example: "- substitute: wang.wu\n  for: wang.wu\n  until: 2025-10-07\n",
        fix: "- substitute: li.si\n  for: wang.wu\n  until: 2025-10-07\n")
    var message: String
}

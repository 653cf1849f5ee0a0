import Foundation
import Testing
import WFCCalendar
import WFCIR

/// A minimal standalone calendar with the given `years` object (and optionally other top-level text).
private func file(years: String, top: String = #""id": "t", "title": "T", "timezone": "Asia/Shanghai", "weekend": ["saturday", "sunday"]"#) -> String {
    #"{\#(top), "years": \#(years)}"#
}

/// Asserts that loading `json` fails with `.invalid` at exactly `path`, with a message containing `message`.
private func expectInvalid(_ json: String, path: String, message: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    expectInvalid(Data(json.utf8), path: path, message: message, sourceLocation: sourceLocation)
}

private func expectInvalid(_ json: Data, path: String, message: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let cal = try WorkingCalendar(json: json)
        Issue.record("expected an error at \(path), but \(cal.id) loaded", sourceLocation: sourceLocation)
    } catch {
        guard case .invalid(let p, let m) = error else {
            Issue.record("expected .invalid at \(path), got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(p == path, "message: \(m)", sourceLocation: sourceLocation)
        #expect(m.contains(message), "message: \(m)", sourceLocation: sourceLocation)
        if !path.isEmpty { #expect(error.description.contains(path), sourceLocation: sourceLocation) }
    }
}

@Suite("Calendar file validation")
struct ValidationTests {
    @Test func minimalFileLoads() throws {
        let cal = try calendar(file(years: #"{"2025": {}}"#))
        #expect(cal.years == 2025...2025)
        #expect(try cal.isWorkingDay(day("2025-01-01")) == true) // no holidays listed → a Wednesday works
        #expect(try calendar(file(years: "{}")).years == nil)
        #expect(throws: CalendarError.noData(year: 2025)) { try calendar(file(years: "{}")).isWorkingDay(day("2025-01-01")) }
    }

    @Test func wholeDocument() {
        expectInvalid("{", path: "", message: "not valid JSON: expected a key in double quotes, found the end of the file at line 1, column 2")
        expectInvalid("", path: "", message: "not valid JSON: expected a value")
        expectInvalid("{\n  \"id\": \"t\",\n  \"title\": \"T\" \"x\"\n}", path: "",
                      message: "expected ',' or '}', found '\"' at line 3, column 16")
        expectInvalid("[1, 2]", path: "", message: "one JSON object")
        // Strict JSON: no trailing commas, comments or trailing text.
        expectInvalid(#"{"id": "t",}"#, path: "", message: "expected a key in double quotes, found '}' at line 1, column 12")
        expectInvalid(#"{"id": "t"} x"#, path: "", message: "unexpected text after the end")
        expectInvalid("{\"id\": \"t\" // note\n}", path: "", message: "found '/'")
        expectInvalid(#"{"id": "a\qb"}"#, path: "", message: "invalid escape")
        expectInvalid(#"{"id": 01}"#, path: "", message: "invalid number")
        expectInvalid("{\"id\": \"a\nb\"}", path: "", message: "line break or control character inside a string")
        expectInvalid(Data([0x7B, 0xFF, 0x7D]), path: "", message: "not UTF-8")
    }

    @Test func duplicateKeys() {
        // A year pasted twice would otherwise silently replace the first copy.
        expectInvalid(file(years: #"{"2025": {}, "2026": {},\#n "2025": {"holidays": []}}"#), path: "years.2025",
                      message: "the key \"2025\" appears twice in the same object (again at line 2, column 2)")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "a", "name": "b", "days": ["2025-01-01"]}]}}"#),
                      path: "years.2025.holidays[0].name", message: "appears twice")
    }

    @Test func jsonDetailsThatAreAccepted() throws {
        // A byte-order mark (some Windows editors add one), escapes and insignificant whitespace.
        let json = "\u{FEFF}" + #"{"id": "t", "title": "\u4e2d\u56fd \ud83d\ude00 \"q\"", "timezone": "UTC",\#r\#n"weekend": [], "years": {}}"#
        let cal = try calendar(json)
        #expect(cal.title == "中国 😀 \"q\"")
        #expect(cal.weekend.isEmpty)
    }

    @Test func topLevel() {
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "weekend": [], "holiday": 1"#),
                      path: "holiday", message: "unknown key \"holiday\"")
        expectInvalid(file(years: "{}", top: #""title": "T", "timezone": "UTC", "weekend": []"#), path: "id", message: "is missing")
        expectInvalid(file(years: "{}", top: #""id": 7, "title": "T", "timezone": "UTC", "weekend": []"#), path: "id", message: "must be a string")
        expectInvalid(file(years: "{}", top: #""id": "a b", "title": "T", "timezone": "UTC", "weekend": []"#), path: "id", message: "may only contain")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "", "timezone": "UTC", "weekend": []"#), path: "title", message: "must not be empty")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "weekend": []"#), path: "timezone", message: "is missing")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "Asia/Shangai", "weekend": []"#),
                      path: "timezone", message: "\"Asia/Shangai\" is not a known time zone")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC""#), path: "weekend", message: "is missing")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "weekend": "saturday""#),
                      path: "weekend", message: "must be a list")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "extends": "t", "weekend": []"#),
                      path: "extends", message: "cannot extend itself")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "extends": 3, "weekend": []"#),
                      path: "extends", message: "must be a calendar id")
        expectInvalid(#"{"id": "t", "title": "T", "timezone": "UTC", "weekend": []}"#, path: "years", message: "is missing")
        expectInvalid(file(years: "[]"), path: "years", message: "must be an object")
    }

    @Test func weekdayNames() {
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "weekend": ["saturday", "Sun"]"#),
                      path: "weekend[1]", message: "\"Sun\" is not a weekday name")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "weekend": ["friday", "friday"]"#),
                      path: "weekend[1]", message: "listed twice")
        expectInvalid(file(years: "{}", top: #""id": "t", "title": "T", "timezone": "UTC", "weekend": [6]"#),
                      path: "weekend[0]", message: "must be a weekday name")
    }

    @Test func yearKeys() {
        expectInvalid(file(years: #"{"25": {}}"#), path: "years.25", message: "not a year")
        expectInvalid(file(years: #"{"0000": {}}"#), path: "years.0000", message: "not a year")
        expectInvalid(file(years: #"{"2025": []}"#), path: "years.2025", message: "must be an object")
        expectInvalid(file(years: #"{"2025": {"holiday": []}}"#), path: "years.2025.holiday", message: "unknown key \"holiday\"")
        expectInvalid(file(years: #"{"2025": {"source": 1}}"#), path: "years.2025.source", message: "must be a string")
        expectInvalid(file(years: #"{"2024": {}, "2026": {}}"#), path: "years", message: "2025 is missing")
        // A year key that does not match its dates.
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "元旦", "days": ["2026-01-01"]}]}}"#),
                      path: "years.2025.holidays[0].days[0]", message: "is not in 2025")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "元旦", "from": "2025-12-31", "to": "2026-01-02"}]}}"#),
                      path: "years.2025.holidays[0].to", message: "is not in 2025")
    }

    @Test func entries() {
        let ok = #"{"name": "元旦", "days": ["2025-01-01"]}"#
        expectInvalid(file(years: #"{"2025": {"holidays": {}}}"#), path: "years.2025.holidays", message: "must be a list")
        expectInvalid(file(years: #"{"2025": {"holidays": [\#(ok), "2025-05-01"]}}"#), path: "years.2025.holidays[1]", message: "must be an object")
        expectInvalid(file(years: #"{"2025": {"holidays": [\#(ok), {"name": "x", "date": "2025-05-01"}]}}"#),
                      path: "years.2025.holidays[1].date", message: "unknown key \"date\"")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"days": ["2025-01-01"]}]}}"#), path: "years.2025.holidays[0].name", message: "is missing")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "x"}]}}"#), path: "years.2025.holidays[0]", message: "needs either")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "x", "days": ["2025-01-01"], "from": "2025-01-01", "to": "2025-01-02"}]}}"#),
                      path: "years.2025.holidays[0]", message: "not both")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "x", "from": "2025-01-01"}]}}"#),
                      path: "years.2025.holidays[0].to", message: "is missing")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "x", "to": "2025-01-01"}]}}"#),
                      path: "years.2025.holidays[0].from", message: "is missing")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "x", "days": []}]}}"#),
                      path: "years.2025.holidays[0].days", message: "at least one date")
        expectInvalid(file(years: #"{"2025": {"holidays": [{"name": "x", "days": "2025-01-01"}]}}"#),
                      path: "years.2025.holidays[0].days", message: "must be a list of dates")
    }

    @Test func badDates() {
        func holiday(_ days: String) -> String { file(years: #"{"2025": {"holidays": [{"name": "x", "days": [\#(days)]}]}}"#) }
        expectInvalid(holiday(#""2025-01-01", "2025-02-30""#), path: "years.2025.holidays[0].days[1]", message: "\"2025-02-30\" is not a valid date")
        expectInvalid(holiday(#""2025-1-01""#), path: "years.2025.holidays[0].days[0]", message: "is not a valid date")
        expectInvalid(holiday(#""2025-+1-01""#), path: "years.2025.holidays[0].days[0]", message: "is not a valid date")
        expectInvalid(holiday(#""2025/01/01""#), path: "years.2025.holidays[0].days[0]", message: "is not a valid date")
        expectInvalid(holiday(#""2025-01-01T00:00:00Z""#), path: "years.2025.holidays[0].days[0]", message: "is not a valid date")
        expectInvalid(holiday("20250101"), path: "years.2025.holidays[0].days[0]", message: "must be a date written as a string")
    }

    @Test func fromAfterTo() {
        // The third holiday entry runs backwards.
        expectInvalid(file(years: #"""
            {"2025": {"holidays": [
                {"name": "元旦", "days": ["2025-01-01"]},
                {"name": "春节", "from": "2025-01-28", "to": "2025-02-04"},
                {"name": "清明节", "from": "2025-04-06", "to": "2025-04-04"}]}}
            """#), path: "years.2025.holidays[2].to", message: "2025-04-04 is before \"from\" (2025-04-06)")
    }

    @Test func dayListedAsHolidayAndWorkday() {
        expectInvalid(file(years: #"""
            {"2025": {"holidays": [{"name": "春节", "from": "2025-01-28", "to": "2025-02-04"}],
                      "workdays": [{"name": "调休", "days": ["2025-01-26", "2025-02-01"]}]}}
            """#), path: "years.2025.workdays[0].days[1]", message: "2025-02-01 is listed both as a day off")
        // The message also points at the other entry.
        expectInvalid(file(years: #"""
            {"2025": {"holidays": [{"name": "春节", "from": "2025-01-28", "to": "2025-02-04"}],
                      "workdays": [{"name": "调休", "from": "2025-02-01", "to": "2025-02-02"}]}}
            """#), path: "years.2025.workdays[0]", message: "years.2025.holidays[0]")
    }

    @Test func workdayThatIsAlreadyAWorkingDay() {
        // 2025-01-27 is a Monday: listing it as a make-up working day is a mistake (typo for 01-26?).
        expectInvalid(file(years: #"{"2025": {"workdays": [{"name": "调休", "days": ["2025-01-27"]}]}}"#),
                      path: "years.2025.workdays[0].days[0]", message: "2025-01-27 (monday) is already a working day")
    }

    @Test func unknownBase() {
        #expect(throws: CalendarError.unknownBase("cn-foo")) {
            try calendar(#"{"id": "acme", "title": "Acme", "extends": "cn-foo", "years": {}}"#)
        }
        // A custom resolver is used instead of the built-ins.
        #expect(throws: CalendarError.unknownBase("cn-mainland")) {
            try WorkingCalendar(json: Data(#"{"id": "acme", "title": "Acme", "extends": "cn-mainland", "years": {}}"#.utf8), base: { _ in nil })
        }
        #expect(CalendarError.unknownBase("cn-foo").description.contains("cn-mainland"))
    }

    @Test func descriptions() {
        #expect(CalendarError.invalid(path: "years.2025.holidays[2].to", message: "bad").description
                == "invalid calendar file: years.2025.holidays[2].to: bad")
        #expect(CalendarError.invalid(path: "", message: "not valid JSON").description == "invalid calendar file: not valid JSON")
    }
}

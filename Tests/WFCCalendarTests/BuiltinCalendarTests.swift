import Foundation
import Testing
import WFCCalendar

@Suite("Built-in calendar data")
struct BuiltinCalendarTests {
    /// The embedded text must equal calendars/<id>.json byte for byte. After editing the JSON file,
    /// regenerate Sources/WFCCalendar/BuiltinCalendars.swift with
    /// `WFC_REGENERATE_BUILTIN_CALENDARS=1 swift test --filter BuiltinCalendarTests`.
    @Test(arguments: WorkingCalendar.builtinIDs)
    func embeddedTextMatchesRepositoryFile(_ id: String) throws {
        let root = try #require(repoRoot(), "cannot find the repository root from \(#filePath)")
        let url = root.appendingPathComponent("calendars").appendingPathComponent("\(id).json")
        let fileBytes = try Data(contentsOf: url)
        let embedded = try #require(WorkingCalendar.builtinJSON(id))
        if ProcessInfo.processInfo.environment["WFC_REGENERATE_BUILTIN_CALENDARS"] == "1", id == "cn-mainland" {
            let text = try #require(String(data: fileBytes, encoding: .utf8))
            try regenerate(cnMainland: text, root: root)
        }
        #expect(Data(embedded.utf8) == fileBytes,
                "Sources/WFCCalendar/BuiltinCalendars.swift is out of date with calendars/\(id).json; run WFC_REGENERATE_BUILTIN_CALENDARS=1 swift test --filter BuiltinCalendarTests")
        // And the embedded text loads.
        #expect(throws: Never.self) { try WorkingCalendar(json: Data(embedded.utf8)) }
        #expect(WorkingCalendar.builtin(id)?.id == id)
    }

    func regenerate(cnMainland json: String, root: URL) throws {
        #expect(!json.contains("\"\"\"#"))
        let source = """
            // Built-in calendars, embedded so that the binary works wherever it is installed.
            //
            // GENERATED from calendars/*.json at the repository root, which are the source of truth; a test
            // (BuiltinCalendarTests) checks that the text below equals the file byte for byte. After editing
            // calendars/cn-mainland.json, regenerate this file (see docs/calendar.md, "Updating the built-in data").

            extension WorkingCalendar {
                /// The embedded calendar files, in load order (a calendar may only extend one listed before it).
                static let builtinSources: [(id: String, json: String)] = [
                    ("cn-mainland", cnMainlandJSON),
                ]

                /// The text of calendars/cn-mainland.json.
                static let cnMainlandJSON = #\"\"\"

            """ + json + "\n\"\"\"#\n}\n"
        let url = root.appendingPathComponent("Sources/WFCCalendar/BuiltinCalendars.swift")
        try Data(source.utf8).write(to: url)
    }
}

import Foundation
import Testing

/// Company calendar files, provisional years, pinned calendar data and the horizon warning,
/// end to end through the built binary (docs/calendar.md).
@Suite struct CalendarCommandTests {
    /// A company calendar adding 2027 to cn-mainland (test data, not the official schedule).
    static let acme = #"""
        {"id": "acme-cn", "title": "Acme 中国", "extends": "cn-mainland",
         "years": {"2027": {"source": "test data",
                            "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}]}}}
        """#

    static func workflow(calendar: String) -> String {
        """
        workflow: leave
        version: 1
        title: 请假
        calendar: \(calendar)
        roles:
          employee: {title: 员工}
          manager: {title: 经理}
        start: review
        states:
          review:
            clause: 一
            due: {within: 2 working days}
            on:
              approve: {by: manager, to: done}
              withdraw: {by: employee, to: withdrawn}
          done: {final: completed}
          withdrawn: {final: withdrawn}
        """
    }

    /// Started on 2026-12-30: the deadline (2 working days) is in 2027.
    static let scenario = """
        defaults:
          start: 2026-12-30T10:00:00+08:00
          people: {employee: zhang.san, manager: wang.wu}
        scenarios:
          - name: a deadline in 2027
            steps:
              - expect: {state: review, due: {review: 2027-01-04}}
        """

    let dir: URL

    init() throws {
        dir = try CLI.tempDir([
            ".wfc.yaml": "# the repository root\n",
            "calendars/acme-cn.json": Self.acme,
            "flows/acme.yaml": Self.workflow(calendar: "acme-cn"),
            "flows/law.yaml": Self.workflow(calendar: "{id: cn-mainland, provisional: law}"),
            "flows/plain.yaml": Self.workflow(calendar: "cn-mainland"),
            "flows/missing.yaml": Self.workflow(calendar: "acme-hk"),
            "flows/acme.test.yaml": Self.scenario,
            "flows/law.test.yaml": Self.scenario,
            "case.yaml": "people: {employee: zhang.san, manager: wang.wu}\ndata: {}\nstart: 2026-12-30T10:00:00+08:00\n",
            "events.yaml": "- fire: approve\n  as: wang.wu\n  after: 1 working day\n",
        ])
    }

    func wfc(_ args: [String], stdin: String? = nil) throws -> CLIResult {
        try CLI.run(args, stdin: stdin, cwd: dir, env: ["WFC_STORE": dir.appendingPathComponent("s/store.sqlite").path])
    }

    @Test func aWorkflowNamesTheCompanyCalendarFile() throws {
        let ok = try wfc(["check", "--today", "2026-06-01", "flows/acme.yaml"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.isEmpty, "\(ok.stdout)")
        // The IR pins the calendar's data, 2027 included.
        let ir = try wfc(["compile", "flows/acme.yaml"])
        #expect(ir.status == 0, "\(ir.stderr)")
        #expect(ir.stdout.contains("\"calendarData\""))
        #expect(ir.stdout.contains("\"2027-01-01\""))
        // An id that is neither built in nor a file.
        let missing = try wfc(["check", "--today", "2026-06-01", "flows/missing.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("error[WFC3008]: unknown calendar `acme-hk`"), "\(missing.stdout)")
        #expect(missing.stdout.contains("calendars/acme-hk.json"))
    }

    @Test func aCalendarFileOutsideTheRepositoryIsNotRead() throws {
        let outside = try CLI.tempDir(["secret.json": "{\"id\": \"evil\", \"title\": \"TOP SECRET LINE\"}"])
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("calendars/evil.json").path,
                                                   withDestinationPath: outside.appendingPathComponent("secret.json").path)
        try Self.workflow(calendar: "evil").write(to: dir.appendingPathComponent("flows/evil.yaml"), atomically: true, encoding: .utf8)
        let r = try wfc(["check", "--today", "2026-06-01", "flows/evil.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC3020]"), "\(r.stdout)")
        #expect(r.stdout.contains("leads outside the repository"))
        #expect(!r.stdout.contains("TOP SECRET"))
        // Not a regular file.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("calendars/dir.json"), withIntermediateDirectories: true)
        try Self.workflow(calendar: "dir").write(to: dir.appendingPathComponent("flows/dir.yaml"), atomically: true, encoding: .utf8)
        let d = try wfc(["check", "--today", "2026-06-01", "flows/dir.yaml"])
        #expect(d.stdout.contains("error[WFC3020]") && d.stdout.contains("not a regular file"), "\(d.stdout)")
        // An id is a file name, never a path.
        try Self.workflow(calendar: "\"../secret\"").write(to: dir.appendingPathComponent("flows/path.yaml"), atomically: true, encoding: .utf8)
        let p = try wfc(["check", "--today", "2026-06-01", "flows/path.yaml"])
        #expect(p.stdout.contains("error[WFC3008]"), "\(p.stdout)")
        // Too large, and a file whose id is not its name.
        try String(repeating: " ", count: (1 << 20) + 1).write(to: dir.appendingPathComponent("calendars/big.json"), atomically: true, encoding: .utf8)
        try Self.workflow(calendar: "big").write(to: dir.appendingPathComponent("flows/big.yaml"), atomically: true, encoding: .utf8)
        let big = try wfc(["check", "--today", "2026-06-01", "flows/big.yaml"])
        #expect(big.stdout.contains("error[WFC3020]") && big.stdout.contains("the limit is 1048576"), "\(big.stdout)")
        try Self.acme.write(to: dir.appendingPathComponent("calendars/other.json"), atomically: true, encoding: .utf8)
        try Self.workflow(calendar: "other").write(to: dir.appendingPathComponent("flows/other.yaml"), atomically: true, encoding: .utf8)
        let other = try wfc(["check", "--today", "2026-06-01", "flows/other.yaml"])
        #expect(other.stdout.contains("error[WFC3020]") && other.stdout.contains("is \"acme-cn\", but the file is named other.json"), "\(other.stdout)")
        // An invalid file: its JSON path and problem, as docs/calendar.md describes.
        try #"{"id": "bad", "title": "Bad", "extends": "cn-mainland", "years": {"2028": {}}}"#.write(to: dir.appendingPathComponent("calendars/bad.json"), atomically: true, encoding: .utf8)
        try Self.workflow(calendar: "bad").write(to: dir.appendingPathComponent("flows/bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try wfc(["check", "--today", "2026-06-01", "flows/bad.yaml"])
        #expect(bad.stdout.contains("error[WFC3020]: cannot use the calendar: calendars/bad.json: invalid calendar file: years: the years must be consecutive"), "\(bad.stdout)")
        // A workflow's provisional rule other than law.
        let guess = try wfc(["check", "--today", "2026-06-01", "-"], stdin: Self.workflow(calendar: "{id: cn-mainland, provisional: guess}"))
        #expect(guess.stdout.contains("error[WFC2010]: `guess` is not a valid provisional calendar rule (allowed: law)"), "\(guess.stdout)")
    }

    @Test func checkWarnsSixtyDaysBeforeTheDataEnds() throws {
        let soon = try wfc(["check", "--today", "2026-12-04", "flows/plain.yaml"])
        #expect(soon.status == 0)
        #expect(soon.stdout.contains("warning[WFC3021]: the data of calendar `cn-mainland` ends on 2026-12-31, 27 days from today (2026-12-04)"), "\(soon.stdout)")
        #expect(soon.stdout.contains("provisional: law"))
        #expect(try wfc(["check", "--strict", "--today", "2026-12-04", "flows/plain.yaml"]).status == 1)
        #expect(try wfc(["check", "--strict", "--today", "2026-11-01", "flows/plain.yaml"]).status == 1) // 31 December is 60 days on
        #expect(try wfc(["check", "--strict", "--today", "2026-10-31", "flows/plain.yaml"]).stdout.isEmpty)
        // Opted into the provisional year, or with 2027 added: no warning.
        #expect(try wfc(["check", "--strict", "--today", "2026-12-04", "flows/law.yaml", "flows/acme.yaml"]).status == 0)
        #expect(try wfc(["check", "--today", "yesterday", "flows/plain.yaml"]).status == 2)
    }

    @Test func theRunTraceMarksAProvisionalDeadline() throws {
        let law = try wfc(["run", "flows/law.yaml", "--data", "case.yaml", "--events", "events.yaml"])
        #expect(law.status == 0, "\(law.stdout)\(law.stderr)")
        #expect(law.stdout.contains("deadline 2027-01-04T16:00:00Z (provisional: 2027's holidays are computed from the holiday law"), "\(law.stdout)")
        // Without the opt-in the deadline cannot be computed (WFC6017), as before.
        let plain = try wfc(["run", "flows/plain.yaml", "--data", "case.yaml", "--events", "events.yaml"])
        #expect(plain.status == 1)
        #expect(plain.stdout.contains("WFC6017"), "\(plain.stdout)")
        // The company's own 2027 is official data: no mark.
        let acme = try wfc(["run", "flows/acme.yaml", "--data", "case.yaml", "--events", "events.yaml"])
        #expect(acme.status == 0, "\(acme.stdout)\(acme.stderr)")
        #expect(acme.stdout.contains("deadline 2027-01-04T16:00:00Z\n"), "\(acme.stdout)")
    }

    @Test func scenarioTestsUseTheCompanyAndTheProvisionalYear() throws {
        let r = try wfc(["test", "flows/acme.yaml", "flows/law.yaml"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("2 passed, 0 failed"), "\(r.stdout)")
    }

    @Test func exprUsesTheWorkflowsCalendarData() throws {
        let r = try wfc(["expr", "add_working_days(date('2026-12-30'), 2)", "--workflow", "flows/law.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2027-01-04"), "\(r.stdout)")
    }

    @Test func aCaseKeepsTheCalendarDataItStartedWith() throws {
        let start = try wfc(["case", "start", "flows/acme.yaml", "--data", "case.yaml", "--id", "L1", "--now", "2026-12-30T10:00:00+08:00"])
        #expect(start.status == 0, "\(start.stderr)")
        let before = try wfc(["case", "show", "L1", "--now", "2026-12-30T12:00:00+08:00"])
        #expect(before.stdout.contains("2027-01-05 00:00"), "\(before.stdout)")
        // The company corrects its calendar: 4 January becomes a day off too.
        let corrected = Self.acme.replacingOccurrences(of: "\"2027-01-03\"", with: "\"2027-01-04\"")
        try corrected.write(to: dir.appendingPathComponent("calendars/acme-cn.json"), atomically: true, encoding: .utf8)
        // New compiles see it; the running case keeps its pinned data.
        let ir = try wfc(["compile", "flows/acme.yaml"])
        #expect(ir.stdout.contains("\"2027-01-04\""))
        let after = try wfc(["case", "show", "L1", "--now", "2026-12-30T12:00:00+08:00"])
        #expect(after.stdout.contains("2027-01-05 00:00"), "\(after.stdout)")
        let fire = try wfc(["case", "fire", "L1", "approve", "--as", "wang.wu", "--now", "2026-12-31T10:00:00+08:00"])
        #expect(fire.status == 0, "\(fire.stderr)")
        let verify = try wfc(["case", "verify", "L1"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("L1: ok"))
    }

    @Test func caseShowMarksAProvisionalDeadline() throws {
        let start = try wfc(["case", "start", "flows/law.yaml", "--data", "case.yaml", "--id", "P1", "--now", "2026-12-30T10:00:00+08:00"])
        #expect(start.status == 0, "\(start.stderr)")
        let show = try wfc(["case", "show", "P1", "--now", "2026-12-30T12:00:00+08:00"])
        #expect(show.stdout.contains("(provisional: 2027's holidays are computed from the holiday law"), "\(show.stdout)")
        let json = try wfc(["case", "show", "P1", "--format", "json"])
        #expect(json.stdout.contains("\"provisional\":\"provisional: 2027"), "\(json.stdout)")
    }

    @Test func theCalendarCommandShowsYearsSourcesAndTheNextGap() throws {
        let cn = try wfc(["calendar", "cn-mainland", "--today", "2026-12-04"])
        #expect(cn.status == 0, "\(cn.stderr)")
        #expect(cn.stdout.contains("  2025  official     国务院办公厅关于2025年部分节假日安排的通知"))
        #expect(cn.stdout.contains("next gap: 2027 (no data from 2027-01-01, 28 days from today, 2026-12-04)"), "\(cn.stdout)")
        let law = try wfc(["calendar", "cn-mainland", "--provisional", "--today", "2026-12-04"])
        #expect(law.stdout.contains("  2027  provisional"), "\(law.stdout)")
        #expect(law.stdout.contains("春节 2027-02-05–02-08"))
        #expect(law.stdout.contains("next gap: 2028"))
        let list = try wfc(["calendar"])
        #expect(list.stdout.contains("cn-mainland  2025–2026"), "\(list.stdout)")
        #expect(list.stdout.contains("acme-cn  2025–2027  Acme 中国  [calendars/acme-cn.json]"))
        let fromWorkflow = try wfc(["calendar", "--workflow", "flows/law.yaml", "--today", "2026-12-04"])
        #expect(fromWorkflow.stdout.contains("2027  provisional"), "\(fromWorkflow.stdout)\(fromWorkflow.stderr)")
        #expect(try wfc(["calendar", "acme-hk"]).status == 2)
    }
}

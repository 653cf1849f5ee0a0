import Foundation
import Testing

@Suite struct ExprCommandTests {
    @Test func evaluatesWithDeclarationsAndVariables() throws {
        let dir = try CLI.tempDir(["vars.json": #"{"days": 5, "name": "abc"}"#])
        let r = try CLI.run(["expr", "days > 3 && name.startsWith('a')", "--decl", "days=int", "--decl", "name=string", "--vars", "vars.json"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "type: bool\nvalue: true\n")
    }

    @Test func checksAgainstAWorkflowSchemaWithACaret() throws {
        let r = try CLI.run(["expr", "case.reason == 'resign'", "--workflow", "workflows/company-handover.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("<expr>:1:16: error[WFC4005]:"))
        #expect(r.stdout.contains(" 1 | case.reason == 'resign'\n   |                ^~~~~~~~ not a member\n"))
    }

    @Test func evaluationErrorsExitOne() throws {
        let r = try CLI.run(["expr", "1 / 0", "--format", "json"])
        #expect(r.status == 1)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String])
        #expect(o["type"] == "int")
        #expect(o["error"]?.contains("zero") == true)
    }

    @Test func workingDayFunctionsTypeCheck() throws {
        // The built-in cn-mainland calendar: the Spring Festival 2026 runs Feb 15–23.
        let r = try CLI.run(["expr", "add_working_days(date('2026-02-13'), 1)"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout == "type: date\nvalue: date(\"2026-02-14\")\n", "Saturday Feb 14 is a make-up working day")
        let none = try CLI.run(["expr", "add_working_days(date('2027-03-01'), 1)"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no calendar data for year 2027"))
    }

    @Test func badDeclarationIsReported() throws {
        let r = try CLI.run(["expr", "x", "--decl", "x=lsit(int)"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[WFC4001]"))
    }

    /// `today` is the date of `--now` in the calendar's time zone (Asia/Shanghai for
    /// cn-mainland): 16:00 UTC on 09-30 is already 10-01 there.
    @Test func nowAndTodayComeFromTheNowOption() throws {
        let before = try CLI.run(["expr", "today", "--now", "2025-09-30T15:59:59Z"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout == "type: date\nvalue: date(\"2025-09-30\")\n")
        let after = try CLI.run(["expr", "days_between(today, date('2025-10-31'))", "--now", "2025-09-30T16:00:00Z"])
        #expect(after.stdout == "type: int\nvalue: 30\n")
        let now = try CLI.run(["expr", "now", "--now", "2025-10-01T00:00:00+08:00"])
        #expect(now.stdout == "type: google.protobuf.Timestamp\nvalue: timestamp(\"2025-09-30T16:00:00Z\")\n")
        let bad = try CLI.run(["expr", "today", "--now", "tomorrow"])
        #expect(bad.status == 2)
    }

    @Test func todayIsTypedWithAWorkflowAndVarsMayOverrideIt() throws {
        let typed = try CLI.run(["expr", "today > 3", "--workflow", "workflows/company-handover.yaml"])
        #expect(typed.status == 1)
        #expect(typed.stdout.contains("error[WFC4003]"))
        let dir = try CLI.tempDir(["vars.json": #"{"today": "2025-10-08"}"#])
        let r = try CLI.run(["expr", "add_working_days(today, 1)", "--vars", "vars.json"], cwd: dir)
        #expect(r.stdout == "type: date\nvalue: date(\"2025-10-09\")\n", "\(r.stderr)")
    }
}

import Foundation
import Testing

/// `wfc case …` end to end, through the built binary and a store in a temporary folder.
@Suite struct CaseCommandTests {
    let dir: URL
    let workflow = CLI.packageRoot.appendingPathComponent("workflows/company-handover.yaml").path

    init() throws {
        dir = try CLI.tempDir([
            "case.yaml": """
                people: {handover: zhang.san, receiver: li.si, manager: wang.wu, hr: zhao.liu}
                data: {reason: resignation, last_day: 2025-10-31, application: 因个人原因申请离职}
                """,
            "items.yaml": "items:\n  - {name: 客户资料, kind: document}\n",
            "bad.yaml": """
                people: {handover: zhang.san, receiver: zhang.san, manger: wang.wu}
                data: {reason: vacation, last_day: soon, colour: red}
                """,
        ])
    }

    func wfc(_ args: [String]) throws -> CLIResult {
        try CLI.run(args, cwd: dir, env: ["WFC_STORE": dir.appendingPathComponent("s/store.sqlite").path])
    }

    @Test func aCaseFromStartToVerify() throws {
        let start = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "C1", "--now", "2025-09-26"])
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stdout == "C1\n")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s/store.sqlite").path))

        let submit = try wfc(["case", "fire", "C1", "submit", "--as", "zhang.san", "--now", "2025-09-26T10:00:00+08:00"])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.contains("now application_review"))
        let accept = try wfc(["case", "fire", "C1", "approve", "--as", "wang.wu", "--now", "2025-09-26T10:30:00+08:00"])
        #expect(accept.status == 0, "\(accept.stderr)")
        #expect(accept.stdout.contains("now prepare"))
        let ready = try wfc(["case", "fire", "C1", "ready", "--as", "zhang.san", "--data", "items.yaml", "--key", "r1", "--now", "2025-09-26T11:00:00+08:00"])
        #expect(ready.status == 0, "\(ready.stderr)")
        // The same key again: the stored outcome, no new event.
        let again = try wfc(["case", "fire", "C1", "ready", "--as", "zhang.san", "--data", "items.yaml", "--key", "r1", "--now", "2025-09-26T11:00:00+08:00"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("already used by event 4"))

        // A refusal: the policy line with a stable code, exit 1, recorded.
        let wrong = try wfc(["case", "fire", "C1", "approve", "--as", "zhang.san"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("company-handover.yaml:100:16: error[WFC6009]:"), "\(wrong.stderr)")
        #expect(wrong.stdout.contains("recorded as event 5"))

        let show = try wfc(["case", "show", "C1", "--now", "2025-09-29"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("review 交接审核: approve | reject — manager (wang.wu)"))
        #expect(show.stdout.contains("1 working day left"))
        #expect(show.stdout.contains("checklist items: 0/1 done"))

        let json = try wfc(["case", "show", "C1", "--format", "json"])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(obj["version"] as? Int == 4)
        #expect(obj["active"] as? [String] == ["review"])

        let history = try wfc(["case", "history", "C1"])
        #expect(history.status == 0)
        let lines = history.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[5].contains("refused: notAuthorized"))
        #expect(lines[4].contains("key=r1"))

        let verify = try wfc(["case", "verify", "C1"])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("C1: ok — 5 events"))

        let list = try wfc(["case", "list", "--state", "review", "--format", "json"])
        #expect(list.stdout.contains("\"id\":\"C1\""))
        #expect(try wfc(["case", "list", "--state", "execute"]).stdout == "no cases\n")
    }

    @Test func everyStartProblemIsListedAndNothingIsStored() throws {
        let r = try wfc(["case", "start", workflow, "--data", "bad.yaml", "--id", "C2", "--now", "2025-09-26"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error[WFC6003]"), "\(r.stderr)") // manger: unknown role
        #expect(r.stderr.contains("error[WFC6001]")) // the data problems too
        #expect(r.stderr.contains("reason"))
        #expect(r.stderr.contains("last_day"))
        #expect(r.stderr.contains("colour"))
        let list = try wfc(["case", "list"])
        #expect(list.stdout == "no cases\n")
    }

    @Test func startProblemsFollowFormatJSON() throws {
        let r = try wfc(["case", "start", workflow, "--data", "bad.yaml", "--id", "C3", "--now", "2025-09-26", "--format", "json"])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        // One JSON object a line, each with its code: no human rendering mixed in.
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect((object?["code"] as? String)?.hasPrefix("WFC6") == true, "\(line)")
        }
    }

    /// `--lang zh-CN` (or a Chinese locale) shows the store's errors and the runtime's refusals
    /// in Chinese, with the same codes and exit statuses as in English.
    @Test func storeErrorsAndRefusalsInChinese() throws {
        let unknown = try wfc(["case", "show", "NOPE", "--lang", "zh-CN"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("error[WFC7001]: 存储中没有案件 `NOPE`"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("= help: `wfc case list` 列出此存储中的案件"), "\(unknown.stderr)")
        let json = try wfc(["case", "verify", "NOPE", "--lang", "zh-CN", "--format", "json"])
        #expect(json.status == 2 && json.stderr.contains(#""code":"WFC7001""#) && json.stderr.contains("存储中没有案件"), "\(json.stderr)")

        let start = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "Z1", "--now", "2025-09-26", "--lang", "zh-CN"])
        #expect(start.status == 0, "\(start.stderr)")
        let dup = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "Z1", "--lang", "zh-CN"])
        #expect(dup.status == 1 && dup.stderr.contains("error[WFC7002]: 案件 `Z1` 已存在"), "\(dup.stderr)")
        let badID = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "Z 1", "--lang", "zh-CN"])
        #expect(badID.status == 2 && badID.stderr.contains("error[WFC7007]: 案件 id 必须为 1 到 200 个字符"), "\(badID.stderr)")

        let submit = try wfc(["case", "fire", "Z1", "submit", "--as", "zhang.san", "--now", "2025-09-26T10:00:00+08:00", "--lang", "zh-CN"])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.hasPrefix("Z1：submit 已接受（事件 2，版本 2）；当前 "), "\(submit.stdout)")
        // The runtime's refusal, through the locale instead of the flag.
        let wrong = try CLI.run(["case", "fire", "Z1", "approve", "--as", "zhang.san", "--now", "2025-09-26T10:00:00+08:00"], cwd: dir,
                                env: ["WFC_STORE": dir.appendingPathComponent("s/store.sqlite").path, "LANG": "zh_CN.UTF-8"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("error[WFC6009]: zhang.san 担任的角色："), "\(wrong.stderr)")
        #expect(wrong.stdout.contains("Z1：approve 被拒绝（记录为事件 3）；没有任何改变"), "\(wrong.stdout)")
        let english = try wfc(["case", "fire", "Z1", "approve", "--as", "zhang.san", "--now", "2025-09-26T10:00:00+08:00"])
        #expect(english.status == 1 && english.stderr.contains("error[WFC6009]: zhang.san holds"), "\(english.stderr)")

        let unsafe = try wfc(["case", "fire", "Z1", "submit", "--as", "zhang.san\u{202E}", "--lang", "zh-CN"])
        #expect(unsafe.status == 2 && unsafe.stderr.contains("error[WFC7012]: 操作人含有 U+202E，不是可打印文本"), "\(unsafe.stderr)")
        let verify = try wfc(["case", "verify", "Z1", "--lang", "zh"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("Z1：通过 — 4 个事件，哈希链完好"), "\(verify.stdout)")
        #expect(try wfc(["case", "list", "--state", "execute", "--lang", "zh-CN"]).stdout == "没有案件\n")
        // The tables and the case view in Chinese too; CJK text keeps the columns aligned.
        let show = try wfc(["case", "show", "Z1", "--lang", "zh-CN", "--now", "2025-09-26T11:00:00+08:00"])
        #expect(show.stdout.hasPrefix("案件 Z1 · ") && show.stdout.contains("· 版本 2 · 进行中\n") && show.stdout.contains("待办：\n"), "\(show.stdout)")
        #expect(!show.stdout.contains("open tasks") && !show.stdout.contains("deadlines:"), "\(show.stdout)")
        let list = try wfc(["case", "list", "--lang", "zh-CN"]).stdout
        #expect(list.hasPrefix("编号  流程") && list.contains("进行中"), "\(list)")
        let history = try wfc(["case", "history", "Z1", "--lang", "zh-CN"]).stdout
        #expect(history.hasPrefix("序号  时间") && history.contains("被拒绝："), "\(history)")
        let badLang = try wfc(["case", "show", "Z1", "--lang", "cn"])
        #expect(badLang.status == 2 && badLang.stderr.contains("WFC0030"))
    }

    /// ArgumentParser's usage errors in Chinese with `--lang zh-CN` or a Chinese locale; the
    /// exit status stays 2 and names stay as typed.
    @Test func usageErrorsInChinese() throws {
        let missing = try CLI.run(["case", "show", "--lang", "zh-CN"])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("错误：缺少参数 '<id>'\n") && missing.stderr.contains("用法：wfc case show <id>"), "\(missing.stderr)")
        let invalid = try CLI.run(["case", "fire", "C1", "--item", "x"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(invalid.status == 2 && invalid.stderr.hasPrefix("错误：'x' 不是 '--item <n>' 的有效值"), "\(invalid.stderr)")
        #expect(invalid.stderr.contains("  运行 'wfc case fire --help' 查看说明。"), "\(invalid.stderr)")
        let english = try CLI.run(["case", "show", "C1", "--bogus"], env: ["LANG": "C"])
        #expect(english.status == 2 && english.stderr.hasPrefix("Error: Unknown option '--bogus'"), "\(english.stderr)")
    }

    @Test func usageAndUnknownCases() throws {
        let unknown = try wfc(["case", "show", "NOPE"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no case `NOPE`"))
        #expect(try wfc(["case", "fire", "NOPE", "submit", "--as", "x"]).status == 2)
        #expect(try wfc(["case", "verify", "NOPE"]).status == 2)
        _ = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "C3", "--now", "2025-09-26"])
        let badTime = try wfc(["case", "fire", "C3", "submit", "--as", "zhang.san", "--now", "tomorrow"])
        #expect(badTime.status == 2)
        #expect(badTime.stderr.contains("--now"))
        #expect(try wfc(["case", "fire", "C3", "submit", "--as", "zhang.san", "--item", "-1"]).status == 2)
        let dup = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "C3"])
        #expect(dup.status == 1)
        #expect(try wfc(["case", "start", workflow, "--data", "missing.yaml"]).status == 2)
        // An unreadable store is an I/O failure.
        let io = try CLI.run(["case", "list", "--store", "/proc/none/store.sqlite"], cwd: dir)
        #expect(io.status == 3)
    }

    /// Store failures through the binary: a WFC7xxx diagnostic on stderr, without a file
    /// location, and the documented exit status (docs/store.md, "Errors").
    @Test func storeFailuresAreDiagnosticsWithTheirExitStatus() throws {
        _ = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "K-100", "--now", "2025-09-26"])
        let unknown = try wfc(["case", "show", "K-10O"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error[WFC7001]: no case `K-10O` in the store\n"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("= help: did you mean `K-100`?"))

        let json = try wfc(["case", "fire", "K-10O", "submit", "--as", "zhang.san", "--format", "json"])
        #expect(json.status == 2)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])
        #expect(record["code"] as? String == "WFC7001")
        #expect(record["file"] == nil)

        let dup = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "K-100"])
        #expect(dup.status == 1)
        #expect(dup.stderr.hasPrefix("error[WFC7002]: a case `K-100` already exists\n"))

        let badID = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "K 1"])
        #expect(badID.status == 2)
        #expect(badID.stderr.hasPrefix("error[WFC7007]:"))

        try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder"), withIntermediateDirectories: true)
        let unavailable = try wfc(["case", "list", "--store", "folder"])
        #expect(unavailable.status == 3)
        #expect(unavailable.stderr.hasPrefix("error[WFC7006]:"))
        #expect(unavailable.stderr.contains("= note: store: folder"))

        try "not a database".write(to: dir.appendingPathComponent("garbage.sqlite"), atomically: true, encoding: .utf8)
        let corrupt = try wfc(["case", "list", "--store", "garbage.sqlite"])
        #expect(corrupt.status == 3)
        #expect(corrupt.stderr.hasPrefix("error[WFC7005]: the store is corrupt"))

        let explain = try wfc(["explain", "WFC7003"])
        #expect(explain.status == 0)
        #expect(explain.stdout.hasPrefix("WFC7003 (concurrent-update-conflict, error):"))
    }

    @Test func tickEscalatesOverdueCases() throws {
        _ = try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "T1", "--now", "2025-09-26"])
        _ = try wfc(["case", "fire", "T1", "submit", "--as", "zhang.san", "--now", "2025-09-26"])
        _ = try wfc(["case", "fire", "T1", "approve", "--as", "wang.wu", "--now", "2025-09-26"])
        _ = try wfc(["case", "fire", "T1", "ready", "--as", "zhang.san", "--data", "items.yaml", "--now", "2025-09-26"])
        #expect(try wfc(["case", "list", "--overdue", "--now", "2025-09-29T10:00:00+08:00"]).stdout == "no cases\n")
        let late = "2025-10-09T10:00:00+08:00"
        #expect(try wfc(["case", "list", "--overdue", "--now", late]).stdout.contains("T1"))
        let tick = try wfc(["case", "tick", "--now", late])
        #expect(tick.status == 0, "\(tick.stderr)")
        #expect(tick.stdout.contains("T1: tick (event 5"))
        #expect(tick.stdout.contains("escalated: review"))
        #expect(try wfc(["case", "tick", "--now", late]).stdout.hasPrefix("nothing due"))
        #expect(try wfc(["case", "verify", "T1"]).status == 0)
    }
}

/// `wfc case fire --assign` and `wfc case reassign` on personnel-change: the department head
/// names the handler, then hands the handover to someone else; history and verify show it.
@Suite struct CaseAssignCommandTests {
    let dir: URL
    let workflow = CLI.packageRoot.appendingPathComponent("workflows/personnel-change.yaml").path

    init() throws {
        dir = try CLI.tempDir([
            "case.yaml": "people: {employee: zhang.san, receiver: li.si, supervisor: wang.wu, dept_head: zhao.liu}\n",
            "agreed.yaml": "{change: transfer, change_date: 2025-11-03}\n",
            "schedule.yaml": "{schedule: 2025-10-27}\n",
            "lists.yaml": "{duties: [{task: 报表}], documents: [], equipment: [], accounts: []}\n",
        ])
    }

    func wfc(_ args: [String]) throws -> CLIResult {
        try CLI.run(args, cwd: dir, env: ["WFC_STORE": dir.appendingPathComponent("s/store.sqlite").path])
    }

    @Test func assignThenReassignThenVerify() throws {
        #expect(try wfc(["case", "start", workflow, "--data", "case.yaml", "--id", "P1", "--now", "2025-10-13"]).status == 0)
        #expect(try wfc(["case", "fire", "P1", "agreed", "--as", "wang.wu", "--data", "agreed.yaml", "--now", "2025-10-13T10:00:00+08:00"]).status == 0)
        #expect(try wfc(["case", "fire", "P1", "apply", "--as", "zhang.san", "--now", "2025-10-13T10:00:00+08:00"]).status == 0)
        let bad = try wfc(["case", "fire", "P1", "assigned", "--as", "zhao.liu", "--data", "schedule.yaml", "--assign", "handler"])
        #expect(bad.status != 0 && bad.stderr.contains("--assign takes ROLE=PERSON"), "\(bad.stderr)")
        let missing = try wfc(["case", "fire", "P1", "assigned", "--as", "zhao.liu", "--data", "schedule.yaml", "--now", "2025-10-13T10:00:00+08:00"])
        #expect(missing.status == 1 && missing.stderr.contains("error[WFC6021]"), "\(missing.stderr)")
        let assigned = try wfc(["case", "fire", "P1", "assigned", "--as", "zhao.liu", "--data", "schedule.yaml", "--assign", "handler=qian.qi", "--now", "2025-10-13T10:00:00+08:00"])
        #expect(assigned.status == 0, "\(assigned.stderr)")
        #expect(try wfc(["case", "fire", "P1", "listed", "--as", "zhang.san", "--data", "lists.yaml", "--now", "2025-10-13T10:00:00+08:00"]).status == 0)
        #expect(try wfc(["case", "fire", "P1", "approve", "--as", "zhao.liu", "--now", "2025-10-13T10:00:00+08:00"]).status == 0)

        let refused = try wfc(["case", "reassign", "P1", "handler", "--to", "sun.ba", "--as", "zhang.san", "--task", "handover", "--reason", "换人"])
        #expect(refused.status == 1 && refused.stderr.contains("error[WFC6022]"), "\(refused.stderr)")
        let moved = try wfc(["case", "reassign", "P1", "handler", "--to", "sun.ba", "--as", "zhao.liu", "--task", "handover", "--reason", "钱七休假", "--now", "2025-10-14T09:00:00+08:00"])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("reassign accepted") && moved.stdout.contains("sun.ba"), "\(moved.stdout)")
        let show = try wfc(["case", "show", "P1"])
        #expect(show.stdout.contains("(sun.ba)"), "\(show.stdout)")
        let history = try wfc(["case", "history", "P1"])
        #expect(history.stdout.contains("sun.ba acting for qian.qi as handler in `handover`, by zhao.liu, because 钱七休假"), "\(history.stdout)")
        let verify = try wfc(["case", "verify", "P1"])
        #expect(verify.status == 0 && verify.stdout.contains("P1: ok"), "\(verify.stdout)\(verify.stderr)")
    }
}

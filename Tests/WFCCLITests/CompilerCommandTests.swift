import Foundation
import Testing
import WFCCompiler

@Suite struct CompilerCommandTests {
    static let policy = "workflows/company-handover.yaml"

    @Test func compileWritesSealedDeterministicIR() throws {
        let dir = try CLI.tempDir([:])
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("ir.json").path
        let r = try CLI.run(["compile", Self.policy, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        let ir = try IRCoding.load(data)
        #expect(ir.id == "company-handover")
        #expect(ir.contentHash?.hasPrefix("sha256:") == true)
        #expect(ir.states.contains { $0.name == "review" && $0.due?.within?.amount == 3 && $0.due?.within?.unit == "working_days" })
        // Spans lead back to the policy line.
        let review = try #require(ir.state(named: "review"))
        #expect(review.span.file == "company-handover.yaml")
        #expect(review.span.line > 1)
        // Same input, same bytes; stdout and -o agree.
        let again = try CLI.run(["compile", Self.policy])
        #expect(again.stdout == String(decoding: data, as: UTF8.self))
    }

    @Test func editedIRIsRejectedByItsHash() throws {
        let r = try CLI.run(["compile", Self.policy])
        let tampered = r.stdout.replacingOccurrences(of: "\"交接审核\"", with: "\"交接审批\"")
        #expect(tampered != r.stdout)
        #expect(throws: IRCoding.LoadError.self) { try IRCoding.load(Data(tampered.utf8)) }
    }

    @Test func compileReportsErrorsAndExitsOne() throws {
        let r = try CLI.run(["compile", "-"], stdin: "workflow: x\nversion: 1\ntitle: t\nroles: {a: 甲}\nstart: s\nstates: {s: {on: {go: {by: b, to: t}}}}\n")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error[WFC3001]: unknown role `b`"))
        #expect(r.stderr.contains("error[WFC5001]: no state is called `t`"))
    }

    @Test func mermaidGraphShowsTitlesRolesAndFinals() throws {
        let r = try CLI.run(["graph", Self.policy])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("stateDiagram-v2\n"))
        #expect(r.stdout.contains("state \"交接审核 (review)\" as review"))
        #expect(r.stdout.contains("review --> check : approve · 直接上级"))
        #expect(r.stdout.contains("done --> [*]"))
        #expect(r.stdout.contains("class done final"))
    }

    @Test func dotGraph() throws {
        let r = try CLI.run(["graph", Self.policy, "--format", "dot"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("digraph \"company-handover\" {"))
        #expect(r.stdout.contains("done [label=\"交接完成 (done)\", shape=doublecircle"))
        #expect(r.stdout.contains("review -> check [label=\"approve · 直接上级\"];"))
    }

    @Test func schemaIsJSONSchema2020AndMatchesTheCommittedCopy() throws {
        let r = try CLI.run(["schema"])
        #expect(r.status == 0)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let committed = try String(contentsOf: CLI.packageRoot.appendingPathComponent("schema/wfc-workflow.schema.json"), encoding: .utf8)
        #expect(committed == r.stdout, "schema/wfc-workflow.schema.json is stale: run `swift run wfc schema > schema/wfc-workflow.schema.json`")
    }

    @Test func policyDocsAreCurrent() throws {
        let r = try CLI.run(["doc", "workflows"])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/policies.md"), encoding: .utf8)
        #expect(committed == r.stdout, "docs/policies.md is stale: run `swift run wfc doc workflows > docs/policies.md`")
        #expect(r.stdout.contains("| 四.3 | `review` 交接审核 — acts: 直接上级 (`approve`, `reject`) |"))
        // The review deadline is not in the source (四.3 gives no time): it is listed as an assumption.
        #expect(r.stdout.contains("| 原文四.3未规定审核期限；按公司惯例三个工作日，逾期通知人力资源部并记违规 | `review`: deadline: within 3 working days"))
        #expect(r.stdout.contains("```mermaid\nstateDiagram-v2\n"))
        // Nothing links outside the repository: only anchors inside the page.
        #expect(!r.stdout.contains("http") && !r.stdout.contains("../"))
        #expect(!r.stdout.contains("](") || r.stdout.components(separatedBy: "](").dropFirst().allSatisfy { $0.hasPrefix("#") })
    }

    /// `wfc doc` shows each rule under its clause (own or inherited from its state) and the
    /// assumptions in a section of their own, grouped by reason.
    @Test func policyDocListsRulesByClauseAndAssumptions() throws {
        let r = try CLI.run(["doc", "Tests/GoldenTests/workflow/valid/traced.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| 四.4 | `review`: requirement: every item of `items` done (交接清单须全部完成)<br>different people: 交接人 / 接交人<br>guarantee: checklist `items` done before completion |"), "\(r.stdout)")
        #expect(r.stdout.contains("| 四.5 | `review`: when overdue: escalates to 人力资源部; records the violation 「直接上级未按时审核」 |"))
        #expect(r.stdout.contains("Assumptions (not stated by the source; confirm or remove each):"))
        #expect(r.stdout.contains("| 原文未规定退回次数上限 | `review`: no limit on review rounds (declared unbounded) |"))
        #expect(r.stdout.contains("| 原文未要求签字，按公司惯例 | `sign` 签字确认<br>`sign`: sign-off: 交接人, 接交人 sign |"))
        #expect(r.stdout.contains("| 原文未明文规定，审批人不得审批本人的交接 | different people: 交接人 / 直接上级 |"))
        #expect(!r.stdout.contains("Not traced"))
    }

    /// A fragment's trace is one unit: the using state's clause replaces the fragment's
    /// assumption instead of joining it; without one, the fragment's is kept.
    @Test func fragmentTraceIsReplacedAsAWhole() throws {
        let r = try CLI.run(["compile", "Tests/GoldenTests/workflow/strict/fragment-trace.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        let ir = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let states = try #require(ir["states"] as? [[String: Any]])
        let first = try #require(states.first { $0["name"] as? String == "first_check" })
        let second = try #require(states.first { $0["name"] as? String == "second_check" })
        #expect(first["assumption"] as? String == "原文未规定复核，按公司惯例" && first["clause"] == nil)
        #expect(second["clause"] as? String == "四.3" && second["assumption"] == nil)
    }

    /// The IR carries traces as written, and leaves them out where none is written.
    @Test func irCarriesTracesOnlyWhereWritten() throws {
        let traced = try CLI.run(["compile", "--pretty", "Tests/GoldenTests/workflow/valid/traced.yaml"])
        #expect(traced.status == 0, "\(traced.stderr)")
        for key in ["\"separationTraces\"", "\"guaranteeAssumptions\"", "\"requireTraces\"", "\"overdueClause\" : \"四.5\"", "\"unbounded\" : true",
                    "\"assumption\" : \"原文未规定审核期限，按公司惯例\""] {
            #expect(traced.stdout.contains(key), "\(key)")
        }
        let plain = try CLI.run(["compile", "Tests/GoldenTests/workflow/valid/minimal.yaml"])
        for key in ["separationTraces", "guaranteeAssumptions", "requireTraces", "assumption", "overdueClause", "unbounded"] {
            #expect(!plain.stdout.contains(key), "\(key)")
        }
    }

    @Test func everyPolicyChecksCleanUnderStrict() throws {
        let r = try CLI.run(["check", "--strict", "workflows"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stderr.hasPrefix("checked 26 files: 0 errors, 0 warnings"))
    }

    @Test func graphOfADirectoryIsAUsageError() throws {
        let r = try CLI.run(["graph", "workflows"])
        #expect(r.status == 2)
    }
}

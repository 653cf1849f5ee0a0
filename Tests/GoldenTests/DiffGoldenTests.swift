import Foundation
import Testing
import WFCCompiler
import WFCDiagnostics
import WFCDiff
import WFCIR

/// `wfc diff` goldens: each folder under `diff/` holds `old.yaml` and `new.yaml`; `new.expected`
/// is the human rendering of the changes plus the summary line, `report-json.expected` and
/// `report-markdown.expected` the other two formats.
@Suite struct DiffGoldenTests {
    static var folders: [URL] {
        let dir = Golden.root.appendingPathComponent("diff")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    static func compile(_ url: URL) throws -> CompileResult {
        let file = try Golden.source(url)
        let result = WorkflowCompiler().compile(file)
        #expect(result.ir != nil, "\(file.path) must compile: \(HumanRenderer().render(result.diagnostics, sources: SourceMap(result.sources)))")
        return result
    }

    @Test(arguments: folders)
    func diff(_ folder: URL) throws {
        let old = try Self.compile(folder.appendingPathComponent("old.yaml"))
        let new = try Self.compile(folder.appendingPathComponent("new.yaml"))
        guard let oldIR = old.ir, let newIR = new.ir else { return }
        let report = DiffReport(oldPath: old.sources[0].path, newPath: new.sources[0].path, old: oldIR, new: newIR)
        let paths = DiffReport.displayPaths(old: old.sources.map(\.path), new: new.sources.map(\.path))
        let diagnostics = report.changes.map { $0.diagnostic(file: paths) }
        let human = HumanRenderer().render(diagnostics, sources: SourceMap(old.sources + new.sources))
        try Golden.compare(human + report.summary + "\n", for: folder.appendingPathComponent("new.yaml"))
        if !diagnostics.isEmpty {
            try Golden.compareChinese(diagnostics, sources: SourceMap(old.sources + new.sources), for: folder.appendingPathComponent("new.yaml"))
        }
        try Golden.compare(report.json(file: paths), for: folder.appendingPathComponent("report-json.x"))
        try Golden.compare(report.markdown(file: paths), for: folder.appendingPathComponent("report-markdown.x"))
        // The reports in Chinese: the same keys, codes, kinds and impacts; the prose translated.
        let zhJSON = report.json(file: paths, language: .zhCN)
        try Golden.compareChinese(zhJSON, for: folder.appendingPathComponent("report-json.x"))
        try Golden.compareChinese(report.markdown(file: paths, language: .zhCN), for: folder.appendingPathComponent("report-markdown.x"))
        try Golden.compareChinese(report.summary(in: .zhCN) + "\n", for: folder.appendingPathComponent("summary.x"))
        let keys = { (text: String) in text.split(separator: "\n").map { $0.prefix { $0 != ":" } } }
        #expect(keys(zhJSON) == keys(report.json(file: paths)), "the JSON keys differ between the languages")
        for change in report.changes {
            let zh = change.texts(in: .zhCN)
            #expect(zh.message != change.message && zh.reason != change.reason, "\(change.code): `\(change.message)` — `\(change.reason)` is not translated")
        }
        // A version compared with itself has no changes; the reverse diff has as many.
        #expect(DiffReport(oldPath: "", newPath: "", old: newIR, new: newIR).changes.isEmpty)
        #expect(DiffReport(oldPath: "", newPath: "", old: newIR, new: oldIR).changes.isEmpty == report.changes.isEmpty)
    }

    /// Every diff code has a golden example, and only the layout-only folder has no changes.
    @Test func everyKindIsShown() throws {
        var seen = Set<DiagnosticCode>()
        for folder in Self.folders {
            let text = try String(contentsOf: folder.appendingPathComponent("new.expected"), encoding: .utf8)
            for d in DiffDiagnostics.all where text.contains("[\(d.code)]") { seen.insert(d.code) }
            let empty = text.contains("no changes to the policy's meaning")
            #expect(empty == (folder.lastPathComponent == "layout-only"), "\(folder.lastPathComponent)")
        }
        #expect(Set(DiffDiagnostics.all.map(\.code)).subtracting(seen).isEmpty)
    }
}

extension DiffGoldenTests {
    /// Every pair of the repository's policies, however different: the diff is symmetric
    /// (what one direction adds the other removes, with the same counts per kind) and a policy
    /// against itself has no change.
    @Test func pairsOfRealPoliciesAreSymmetric() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("workflows")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".test.yaml") }.sorted()
        let compiler = WorkflowCompiler(readFile: { path in
            FileManager.default.contents(atPath: dir.path + "/" + path).map { .success(SourceFile(path: path, bytes: Array($0))) } ?? .failure(.notFound)
        })
        let irs = names.compactMap { name in
            FileManager.default.contents(atPath: dir.path + "/" + name).flatMap { compiler.compile(SourceFile(path: name, bytes: Array($0))).ir }
        }
        #expect(irs.count == names.count)
        let mirror: [DiagnosticCode: DiagnosticCode] = [
            "WFC8101": "WFC8102", "WFC8102": "WFC8101", "WFC8104": "WFC8105", "WFC8105": "WFC8104",
            "WFC8108": "WFC8109", "WFC8109": "WFC8108", "WFC8111": "WFC8112", "WFC8112": "WFC8111",
        ]
        func counts(_ changes: [PolicyChange], mirrored: Bool) -> [DiagnosticCode: Int] {
            var c: [DiagnosticCode: Int] = [:]
            for change in changes { c[mirrored ? mirror[change.code] ?? change.code : change.code, default: 0] += 1 }
            return c
        }
        for a in irs {
            #expect(PolicyDiff(old: a, new: a).changes().isEmpty, "\(a.id)")
            for b in irs where a.id < b.id {
                let forward = PolicyDiff(old: a, new: b).changes(), backward = PolicyDiff(old: b, new: a).changes()
                #expect(counts(forward, mirrored: false) == counts(backward, mirrored: true), "\(a.id) ↔ \(b.id)")
                #expect(forward.allSatisfy { $0.new != nil || $0.old != nil })
            }
        }
    }
}

extension DiffGoldenTests {
    static let reorderOld = """
        workflow: reorder
        version: 1
        title: 重排
        calendar: cn-mainland
        roles:
          leaver: {title: 离职人}
          manager: {title: 直属领导, substitutes: false}
          hr: {title: 人力资源部}
          handler: {title: 交接专人}
        separate: [[hr, leaver, manager]]
        reassign: {by: [hr, manager], roles: [handler, leaver], assumption: 由人力资源部或直属领导另行安排}
        start: plan
        states:
          plan:
            title: 计划
            max_rounds: {limit: unbounded, assumption: 不限}
            remind: {after: 2 working days, every: 1 working day, times: 3, to: [hr, manager], assumption: 每个工作日催办}
            cc: {enter: [manager, hr], leave: [hr]}
            on:
              planned: {by: leaver, to: prepare, assign: [handler]}
          prepare:
            title: 准备
            max_rounds: {limit: unbounded, assumption: 不限}
            on:
              prepared: {by: handler, to: review}
          review:
            title: 审核
            due:
              within: 5 working days
              remind: {after: 1 working day, every: 1 working day}
              overdue: {escalate: hr}
            on:
              approved: {by: manager, to: sign}
              rejected: {by: manager, back_to: [plan, prepare], assumption: 退回到计划或准备}
          sign:
            title: 签字
            signoff: {in_order: [manager, [hr, leaver]], add: {by: [manager, hr], positions: [after, before]}}
            then: done
          done: {final: completed}
        """
    static let reorderNew = """
        title: 重排
        version: 1
        workflow: reorder
        calendar: cn-mainland
        roles:
          hr: {title: 人力资源部}
          handler: {title: 交接专人}
          manager: {substitutes: false, title: 直属领导}
          leaver: {title: 离职人}
        separate: [[manager, leaver, hr]]
        start: plan
        reassign: {assumption: 由人力资源部或直属领导另行安排, roles: [leaver, handler], by: [manager, hr]}
        states:
          sign:
            then: done
            signoff: {add: {positions: [before, after], by: [hr, manager]}, in_order: [manager, [leaver, hr]]}
            title: 签字
          review:
            title: 审核
            on:
              rejected: {back_to: [prepare, plan], by: manager, assumption: 退回到计划或准备}
              approved: {to: sign, by: manager}
            due:
              overdue: {escalate: hr}
              remind: {every: 1 working day, after: 1 working day}
              within: 5 working days
          plan:
            cc: {leave: [hr], enter: [hr, manager]}
            remind: {to: [manager, hr], times: 3, every: 1 working day, after: 2 working days, assumption: 每个工作日催办}
            title: 计划
            on:
              planned: {assign: [handler], to: prepare, by: leaver}
            max_rounds: {assumption: 不限, limit: unbounded}
          prepare:
            on:
              prepared: {by: handler, to: review}
            max_rounds: {limit: unbounded, assumption: 不限}
            title: 准备
          done: {final: completed}
        """

    /// #17's keys (`assign:`, `reassign:`, `substitutes`, `remind:`, `cc:`, `back_to:`, `in_order`,
    /// `add:`) with their keys written in another order, and the lists whose order means nothing
    /// reordered: no change, either way. The real policies compiled twice: no change.
    @Test func reorderedKeysAndListsAreNoChange() throws {
        func ir(_ text: String, _ path: String) throws -> WorkflowIR {
            let r = WorkflowCompiler().compile(SourceFile(path: path, text: text))
            return try #require(r.ir, "\(path): \(r.diagnostics.map(\.message))")
        }
        let a = try ir(Self.reorderOld, "old.yaml"), b = try ir(Self.reorderNew, "new.yaml")
        #expect(a.roles.map(\.name) != b.roles.map(\.name), "the roles are numbered in another order")
        #expect(PolicyDiff(old: a, new: b).changes().map(\.message) == [])
        #expect(PolicyDiff(old: b, new: a).changes().map(\.message) == [])

        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("workflows")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".test.yaml") && !$0.hasSuffix(".migrate.yaml") }.sorted()
        let compiler = WorkflowCompiler(readFile: { path in
            FileManager.default.contents(atPath: dir.path + "/" + path).map { .success(SourceFile(path: path, bytes: Array($0))) } ?? .failure(.notFound)
        })
        #expect(!names.isEmpty)
        for name in names {
            let bytes = try #require(FileManager.default.contents(atPath: dir.path + "/" + name))
            let first = compiler.compile(SourceFile(path: name, bytes: Array(bytes))).ir
            let second = compiler.compile(SourceFile(path: name, bytes: Array(bytes))).ir
            guard let first, let second else {
                Issue.record("\(name) does not compile")
                continue
            }
            #expect(PolicyDiff(old: first, new: second).changes().map(\.message) == [], "\(name)")
        }
    }
}

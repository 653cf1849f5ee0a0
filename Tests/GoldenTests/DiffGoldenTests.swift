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

import Foundation
import Testing
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCMigration

/// Migration plan goldens: each folder under `migrate/` holds `new.yaml` (the old version is
/// `old.yaml` beside it, else `migrate/base/old.yaml`) and `plan.migrate.yaml`; `plan.expected`
/// is the plan's diagnostics as `wfc check` renders them, then a line saying whether a plan
/// was compiled and how many old states it maps.
@Suite struct MigrationGoldenTests {
    static var dir: URL { Golden.root.appendingPathComponent("migrate") }

    static var folders: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("plan.migrate.yaml").path) }
    }

    static func compile(_ url: URL) throws -> WorkflowIR? {
        let file = try Golden.source(url)
        let result = WorkflowCompiler().compile(file)
        #expect(result.ir != nil, "\(file.path) must compile: \(HumanRenderer().render(result.diagnostics, sources: SourceMap(result.sources)))")
        return result.ir
    }

    @Test(arguments: folders)
    func plan(_ folder: URL) throws {
        let ownOld = folder.appendingPathComponent("old.yaml")
        let old = try Self.compile(FileManager.default.fileExists(atPath: ownOld.path) ? ownOld : Self.dir.appendingPathComponent("base/old.yaml"))
        let new = try Self.compile(folder.appendingPathComponent("new.yaml"))
        guard let old, let new else { return }
        let planURL = folder.appendingPathComponent("plan.migrate.yaml")
        let file = try Golden.source(planURL)
        let result = MigrationPlanCompiler().compile(file, old: old, new: new)
        var text = HumanRenderer().render(result.diagnostics.sortedForOutput(), sources: SourceMap([file]))
        // The same diagnostics in Chinese (`plan.migrate.zh-CN.expected`), wholly from the catalogs.
        if !result.diagnostics.isEmpty {
            try Golden.compareChinese(result.diagnostics.sortedForOutput(), sources: SourceMap([file]), for: planURL)
        }
        if let plan = result.plan {
            text += "plan compiled: \(plan.states.count) states mapped, \(plan.values.count) values, deadlines \(plan.deadlines.rawValue), signatures \(plan.signatures.rawValue)\n"
            #expect(plan.from == old.contentHash && plan.to == new.contentHash)
        } else {
            text += "no plan (errors: \(result.diagnostics.errorCount))\n"
            #expect(result.diagnostics.errorCount > 0)
        }
        try Golden.compare(text, for: planURL)
    }

    /// Every migration code (but WFC8131, which needs files on disk: MigrationCLITests) has a golden example.
    @Test func everyCodeIsShown() throws {
        var seen = Set<DiagnosticCode>()
        for folder in Self.folders {
            let text = try String(contentsOf: folder.appendingPathComponent("plan.migrate.expected"), encoding: .utf8)
            for d in MigrationDiagnostics.all where text.contains("[\(d.code)]") { seen.insert(d.code) }
        }
        #expect(Set(MigrationDiagnostics.all.map(\.code)).subtracting(seen) == ["WFC8131"])
    }
}

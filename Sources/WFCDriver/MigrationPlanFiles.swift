import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCMigration
import WFCRuntime
import WFCScenarios
import WFCYAML

/// A migration plan file read with the two policy files it names, compiled and proved: what
/// `wfc check` reports for a `*.migrate.yaml` and what `wfc case migrate --plan` applies.
public struct MigrationPlanFiles: Sendable {
    public var plan: MigrationPlanIR?
    /// The plan's diagnostics (WFC8130–WFC8169) on the plan file.
    public var diagnostics: [Diagnostic]
    /// The plan file and the files of both versions, for rendering.
    public var sources: [SourceFile]
    public var old: LoadedWorkflow?
    public var new: LoadedWorkflow?

    /// Reads `from:` and `to:` relative to the plan's folder — only inside `root` (nil: the
    /// repository holding the plan), with the project's safe file access — compiles both and
    /// proves the plan against them.
    public static func load(_ file: SourceFile, compiler: WorkflowCompiler, root: String? = nil) -> MigrationPlanFiles {
        let planner = MigrationPlanCompiler(loader: compiler.loader)
        let header = planner.header(file)
        var out = MigrationPlanFiles(plan: nil, diagnostics: header.diagnostics, sources: [file])
        guard let fromPath = header.from, let toPath = header.to, !header.diagnostics.contains(where: { $0.severity == .error }) else { return out }
        let dir = FileAccess.absolute(URL(fileURLWithPath: file.path).deletingLastPathComponent().path)
        let boundary = FileAccess.root(for: dir, explicit: root)
        var sealed = compiler
        sealed.seal = true
        func version(_ path: String, _ span: SourceSpan, _ which: String) -> LoadedWorkflow? {
            let full = FileAccess.absolute(path, from: dir)
            // Shown as the plan is, relative to the same place.
            let shown = file.path.contains("/") ? (file.path as NSString).deletingLastPathComponent + "/" + path : path
            func unusable(_ why: String, notes: [String] = []) -> LoadedWorkflow? {
                out.diagnostics.append(Diagnostic(severity: .error, code: MigrationDiagnostics.versionUnusable.code,
                                                  message: "the \(which) version `\(path)` \(why)", primary: Label(span, ""), notes: notes,
                                                  help: "`\(which == "old" ? "from" : "to")` is a workflow file, relative to the plan, inside the repository"))
                return nil
            }
            guard FileAccess.isInside(FileAccess.realPath(full) ?? full, root: boundary) else { return unusable("is outside the repository (\(boundary))") }
            let read: SourceFile
            switch FileAccess.read(full, displayPath: shown, maxBytes: compiler.loader.limits.maxFileBytes, regularOnly: true) {
            case .success(let f): read = f
            case .failure(let problem): return unusable("cannot be read: \(problem)")
            }
            switch LoadedWorkflow.load(read, compiler: sealed) {
            case .success(let w):
                out.sources += w.sources
                return w
            case .failure(let f):
                let errors = f.diagnostics.filter { $0.severity == .error }
                return unusable("does not compile (\(errors.count) error\(errors.count == 1 ? "" : "s"); `wfc check \(read.path)`)",
                                notes: errors.prefix(3).map { "\($0.code): \($0.message)" } + (f.diagnostics.isEmpty ? [f.message] : []))
            }
        }
        out.old = version(fromPath, header.fromSpan, "old")
        out.new = version(toPath, header.toSpan, "new")
        guard let old = out.old, let new = out.new else { return out }
        let result = planner.compile(file, old: old.definition.ir, new: new.definition.ir)
        // The header's own problems were reported above; the rest comes from the proof.
        out.diagnostics += result.diagnostics.filter { !out.diagnostics.contains($0) }
        out.plan = result.plan
        return out
    }
}

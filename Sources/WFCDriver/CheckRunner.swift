import Dispatch
import Foundation
import WFCDiagnostics
import WFCMigration
import WFCCompiler
import WFCScenarios
import WFCYAML

/// One phase that runs after loading, e.g. the workflow compiler. Phases see the loaded tree
/// even when the loader reported recoverable errors, so that all errors are collected.
public protocol CheckPhase: Sendable {
    /// Diagnostics for the file, and any further files read (e.g. imported fragments).
    func check(_ loaded: YAMLLoadResult) -> (diagnostics: [Diagnostic], sources: [SourceFile])
}

/// The outcome of checking one file.
public struct FileReport: Sendable {
    public var path: String
    /// The file as read, kept when it has diagnostics to show (nil otherwise, and when it
    /// could not be read).
    public var file: SourceFile?
    /// Other files the diagnostics may point into (imported fragments).
    public var related: [SourceFile] = []
    public var diagnostics: [Diagnostic]
    /// Set when the file could not be read.
    public var readFailure: String?
    /// Diagnostics that an ignore or the configuration suppressed (shown only by
    /// `--show-suppressed`; they never count).
    public var suppressed: [Diagnostic] = []
}

/// The outcome of `wfc check`.
public struct CheckReport: Sendable {
    /// The checked files, in order.
    public var files: [FileReport]
    /// The problems of the configuration files used (`.wfc.yaml`), reported before the files.
    public var configurations: [FileReport] = []
    /// The `lang:` of the configuration files used, when they name one and agree.
    public var configuredLanguage: String?

    public init(files: [FileReport], configurations: [FileReport] = []) {
        self.files = files
        self.configurations = configurations
    }

    private var all: [FileReport] { configurations + files }

    /// All diagnostics in output order: by file, then position.
    public var diagnostics: [Diagnostic] { all.flatMap(\.diagnostics) }

    /// What was suppressed, in output order.
    public var suppressed: [Diagnostic] { files.flatMap(\.suppressed) }

    /// The reported diagnostics, and with `showSuppressed` the suppressed ones among them.
    public func diagnostics(showSuppressed: Bool) -> [Diagnostic] {
        showSuppressed ? all.flatMap { ($0.diagnostics + $0.suppressed).sortedForOutput() } : diagnostics
    }

    public var sources: SourceMap {
        SourceMap(all.compactMap(\.file) + files.flatMap(\.related))
    }

    public var errorCount: Int { all.reduce(0) { $0 + $1.diagnostics.errorCount } }
    public var warningCount: Int { all.reduce(0) { $0 + $1.diagnostics.warningCount } }
    public var readFailures: Int { files.filter { $0.readFailure != nil }.count }

    /// 3 when a file could not be read, 1 for errors (or warnings when `strict`), else 0.
    public func exitStatus(strict: Bool) -> ExitStatus {
        if readFailures > 0 { return .failure }
        if errorCount > 0 || (strict && warningCount > 0) { return .diagnostics }
        return .clean
    }

    /// "checked 12 files: 2 errors, 1 warning".
    public var summary: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var s = "checked \(plural(files.count, "file")): \(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
        if readFailures > 0 { s += ", \(readFailures) unreadable" }
        let hidden = suppressed.count
        if hidden > 0 { s += ", \(hidden) suppressed" }
        return s
    }
}

/// Loads and checks files in parallel on all cores; the report is in a deterministic order.
public struct CheckRunner: Sendable {
    public var loader: YAMLLoader
    public var phases: [any CheckPhase]
    /// Where `.wfc.yaml` comes from; nil: no configuration, and no inline ignores.
    public var configurations: ConfigurationFinder?

    public init(loader: YAMLLoader = YAMLLoader(), phases: [any CheckPhase] = [], configurations: ConfigurationFinder? = nil) {
        self.loader = loader
        self.phases = phases
        self.configurations = configurations
    }

    /// Checks one in-memory file.
    public func check(_ file: SourceFile) -> [Diagnostic] {
        checkWithSources(file).diagnostics
    }

    /// Checks one in-memory file; also returns the further files read.
    public func checkWithSources(_ file: SourceFile) -> (diagnostics: [Diagnostic], sources: [SourceFile]) {
        let out = run(file)
        return (out.diagnostics, out.sources)
    }

    private func run(_ file: SourceFile) -> (root: YAMLNode?, diagnostics: [Diagnostic], sources: [SourceFile]) {
        let loaded = loader.load(file)
        var diagnostics = loaded.diagnostics
        var sources: [SourceFile] = []
        if loaded.root != nil {
            for phase in phases {
                let out = phase.check(loaded)
                diagnostics += out.diagnostics
                sources += out.sources.filter { $0.path != file.path }
            }
        }
        return (loaded.root, diagnostics.sortedForOutput(), sources)
    }

    /// Checks every path (already expanded by ``FileDiscovery``).
    public func check(paths: [String]) -> CheckReport {
        let slots = ResultSlots(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let path = paths[i]
            let report: FileReport
            do throws(CommandFailure) {
                let file = try FileDiscovery.read(path, maxBytes: loader.limits.maxFileBytes)
                let out = run(file)
                var diagnostics = out.diagnostics
                var suppressed: [Diagnostic] = []
                if let configurations {
                    (diagnostics, suppressed) = Suppressor.apply(
                        diagnostics, file: file, root: out.root, configuration: configurations.configuration(for: path))
                }
                // Sources are kept only to show diagnostics: a clean file's bytes are freed
                // now, not held until every file is checked.
                report = diagnostics.isEmpty && suppressed.isEmpty
                    ? FileReport(path: path, file: nil, diagnostics: [])
                    : FileReport(path: path, file: file, related: out.sources, diagnostics: diagnostics, suppressed: suppressed)
            } catch {
                let d = Diagnostic(CannotReadFile(path: path, reason: error.message), at: .point(path, 0))
                report = FileReport(path: path, file: nil, diagnostics: [d], readFailure: error.message)
            }
            slots.set(i, report)
        }
        // A configuration's own problems are reported once, before the files it governs.
        let configReports = (configurations?.used ?? []).filter { !$0.diagnostics.isEmpty }.map {
            FileReport(path: $0.file.path, file: $0.file, diagnostics: $0.diagnostics)
        }
        var report = CheckReport(files: slots.values(), configurations: configReports)
        let languages = Set((configurations?.used ?? []).compactMap(\.language))
        report.configuredLanguage = languages.count == 1 ? languages.first : nil
        return report
    }
}

/// Per-index result storage for parallel work; each index is written exactly once.
final class ResultSlots: @unchecked Sendable {
    private var storage: [FileReport?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: FileReport) {
        lock.lock()
        storage[i] = value
        lock.unlock()
    }

    func values() -> [FileReport] {
        lock.lock()
        defer { lock.unlock() }
        return storage.compactMap { $0 }
    }
}

struct CannotReadFile: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC0001", name: "cannot-read-file", summary: "A file could not be read.",
        explanation: """
            wfc could not open or read the file: it may have been removed while wfc ran, or its \
            permissions do not allow reading. `wfc check` exits with status 3 in this case.
            """,
        example: "$ chmod 000 workflows/handover.yaml && wfc check workflows\n",
        fix: "$ chmod 644 workflows/handover.yaml && wfc check workflows\n")
    var path: String
    var reason: String
    var message: String { reason }
}

/// Descriptors of the driver's own diagnostics.
public enum DriverDiagnostics {
    public static let all: [DiagnosticDescriptor] = [CannotReadFile.descriptor, UnknownStateFilter.descriptor] + configuration
}

extension CheckRunner {
    /// The runner `wfc check` uses: the loader and every checking phase.
    public static func standard(limits: YAMLLimits = YAMLLimits(), strict: Bool = false, calendarWarningsAsOf: Date? = nil) -> CheckRunner {
        standard(InputSettings(limits: limits), strict: strict, calendarWarningsAsOf: calendarWarningsAsOf)
    }

    /// The runner `wfc check` uses, with the command's limits and root. `strict` adds the
    /// checks only `wfc check --strict` makes (traceability, WFC5040); `calendarWarningsAsOf`
    /// is the instant from which a calendar's data ending within 60 days is warned about (WFC3021).
    public static func standard(_ input: InputSettings, strict: Bool = false, calendarWarningsAsOf: Date? = nil,
                                configuration: ConfigurationChoice = .none) -> CheckRunner {
        let loader = input.loader
        var compiler = input.compiler
        compiler.traceability = strict
        compiler.calendarWarningsAsOf = calendarWarningsAsOf
        // The IR is only checked, never written or run.
        compiler.seal = false
        compiler.pinCalendarData = false
        compiler.irLineColumns = false
        // With `.none` only the configuration file is skipped: inline ignores still apply.
        return CheckRunner(loader: loader, phases: [CompilePhase(compiler: compiler, root: input.root)],
                           configurations: ConfigurationFinder(configuration, limits: input.limits))
    }
}

/// Runs the workflow compiler on every loaded file; scenario files (`*.test.yaml`), which
/// `wfc test` runs, are checked against the scenario format instead.
public struct CompilePhase: CheckPhase {
    public var compiler: WorkflowCompiler
    /// `--root`: where the policy files a migration plan names must be (nil: its repository).
    public var root: String?

    public init(compiler: WorkflowCompiler, root: String? = nil) {
        self.compiler = compiler
        self.root = root
    }

    public func check(_ loaded: YAMLLoadResult) -> (diagnostics: [Diagnostic], sources: [SourceFile]) {
        if MigrationPlanCompiler.isPlan(loaded.file.path) {
            // A migration plan is proved against the two versions it names (docs/versions.md).
            let plan = MigrationPlanFiles.load(loaded.file, compiler: compiler, root: root)
            return (plan.diagnostics.filter { d in !loaded.diagnostics.contains(d) }, [])
        }
        if ScenarioFiles.isScenario(loaded.file.path) {
            // Scenario files are checked for their own structure; `wfc test` runs them.
            var parser = ScenarioParser(loader: compiler.loader)
            let own = parser.parse(loaded.file).diagnostics.filter { d in !loaded.diagnostics.contains(d) }
            return (own, [])
        }
        let result = compiler.compile(loaded)
        // The loader's diagnostics are already reported by the runner.
        let own = result.diagnostics.filter { d in !loaded.diagnostics.contains(d) }
        return (own, result.sources)
    }
}

@_exported import WFCIR
import Dispatch
import Foundation
import WFCCalendar
import WFCDiagnostics
import WFCYAML

/// What compiling one file produced.
public struct CompileResult: Sendable {
    /// The sealed IR (with its content hash), present only when there are no errors.
    public var ir: WorkflowIR?
    public var diagnostics: [Diagnostic]
    /// Every file read, including imported fragments, for rendering diagnostics.
    public var sources: [SourceFile]
    /// True for fragment files, which are checked but produce no IR.
    public var isFragment = false
    /// Time spent in each phase, for benchmarks and profiling.
    public var timings = PhaseTimings()
    /// The parsed file (nil when it is not a workflow mapping): editors find names and spans in it.
    public var syntax: WorkflowSyntax?
    /// The imported fragments by id, as read (only files the import rules let in).
    public var fragments: [String: FragmentSyntax] = [:]
}

/// Nanoseconds spent in each compiler phase of one compilation (or, added up, of many).
public struct PhaseTimings: Sendable {
    /// YAML nodes to the syntax tree, with fragment imports.
    public var syntax: UInt64 = 0
    /// Names and schema types, lowered to the IR.
    public var names: UInt64 = 0
    /// Parsing and type-checking every expression.
    public var expressions: UInt64 = 0
    /// The graph checks.
    public var graph: UInt64 = 0
    /// Sorting diagnostics and sealing the IR.
    public var finish: UInt64 = 0

    public init() {}

    /// The sum of two timings, phase by phase.
    public static func + (a: Self, b: Self) -> Self {
        var t = a
        t.syntax += b.syntax; t.names += b.names; t.expressions += b.expressions; t.graph += b.graph; t.finish += b.finish
        return t
    }
}

/// The workflow compiler: syntax → names and types → graph checks → IR.
public struct WorkflowCompiler: Sendable {
    public var loader: YAMLLoader
    /// Whether to compute the IR's content hash. `wfc check` does not need it.
    public var seal = true
    /// Whether the IR carries the calendar data the workflow uses (pinned with every case that
    /// runs it). `wfc check` discards the IR and turns it off; `wfc compile` keeps it even when
    /// it seals the IR itself.
    public var pinCalendarData = true
    /// Whether IR spans carry line and column, which runtime messages print. `wfc check`
    /// discards the IR and skips working them out.
    public var irLineColumns = true
    /// Whether to report states and rules that cite no clause and declare no assumption
    /// (WFC5040): `wfc check --strict` turns it on.
    public var traceability = false
    /// Finds the calendar a workflow names (built in, or the repository's calendars/ID.json).
    public var calendars = CalendarLookup()
    /// When set, a warning (WFC3021) is reported for a calendar whose data ends within 60 days
    /// of this instant. `wfc check` sets it to the current time; nil reports nothing.
    public var calendarWarningsAsOf: Date?
    /// Reads imported files from disk, inside the root.
    public var imports: ImportReader
    /// Replaces the disk for imports (tests read them from memory): given the import's path
    /// joined to the workflow's folder. Absolute paths are refused before it is asked.
    public var readFile: (@Sendable (String) -> Result<SourceFile, ImportProblem>)?

    /// A compiler whose imports stay inside `root` (nil: the workflow's repository) and are
    /// read under the loader's size limit.
    public init(loader: YAMLLoader = YAMLLoader(), root: String? = nil) {
        self.loader = loader
        self.imports = ImportReader(root: root, maxBytes: loader.limits.maxFileBytes)
        self.calendars = CalendarLookup(root: root)
    }

    /// A compiler that reads imports with `readFile` instead of the disk.
    public init(loader: YAMLLoader = YAMLLoader(), readFile: @escaping @Sendable (String) -> Result<SourceFile, ImportProblem>) {
        self.init(loader: loader)
        self.readFile = readFile
    }

    /// Every descriptor of the compiler's diagnostics.
    public static let diagnostics: [DiagnosticDescriptor] = [
        UnknownKey.descriptor, WrongType.descriptor, MissingKey.descriptor, ConflictingKeys.descriptor,
        InvalidIdentifier.descriptor, InvalidDuration.descriptor, NotAWorkflow.descriptor, ReservedName.descriptor,
        EmptyList.descriptor, InvalidValue.descriptor, OtherwiseNotLast.descriptor, TooFewBranches.descriptor, SingleAnyParty.descriptor, SingleStepOrder.descriptor,
        UnknownRole.descriptor, DuplicateName.descriptor, UnknownField.descriptor, DefaultTypeMismatch.descriptor,
        UnknownType.descriptor, EnumDefaultNotMember.descriptor, CalendarRequired.descriptor, UnknownCalendar.descriptor,
        UnknownFragment.descriptor, TargetOutsideRegion.descriptor, NotAChecklist.descriptor, JoinOutsideRegion.descriptor,
        ReservedField.descriptor, ImportNotFound.descriptor, ImportOutsideRoot.descriptor, ImportNotAFile.descriptor,
        ImportNotAFragment.descriptor, EmptyAssumption.descriptor, UnboundedWithoutReason.descriptor, UntracedRule.descriptor,
        ReassignWithoutBy.descriptor,
        ReminderNotPositive.descriptor, ReminderNotWorkingDays.descriptor,
    ] + CalendarPhase.descriptors + ExpressionDiagnostics.all + GraphChecks.descriptors

    /// Compiles a file read from disk or standard input.
    public func compile(_ file: SourceFile) -> CompileResult {
        compile(loader.load(file))
    }

    /// Compiles an already loaded file. Loader diagnostics are included in the result.
    public func compile(_ loaded: YAMLLoadResult) -> CompileResult {
        var result = CompileResult(ir: nil, diagnostics: loaded.diagnostics, sources: [loaded.file])
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ phase: WritableKeyPath<PhaseTimings, UInt64>) {
            let now = DispatchTime.now().uptimeNanoseconds
            result.timings[keyPath: phase] += now - clock
            clock = now
        }
        guard let root = loaded.root else { return result }
        let path = loaded.file.path
        if FragmentSyntax.isFragment(root) {
            result.isFragment = true
            _ = FragmentSyntax.parse(root, file: loaded.file.sourcePath, &result.diagnostics)
            return result
        }
        // Imports: fragment files relative to this file, inside the root.
        var fragments: [String: FragmentSyntax] = [:]
        if let imports = root["import"] {
            var d: [Diagnostic] = []
            var importRoot: String?
            for imp in MappingReader.stringList(imports, what: "`import`", file: loaded.file.sourcePath, &d) {
                let target = Self.resolve(imp.value, relativeTo: path)
                let read: Result<SourceFile, ImportProblem>
                if imp.value.hasPrefix("/") {
                    read = .failure(.absolute)
                } else if let readFile {
                    read = readFile(target)
                } else {
                    let r = importRoot ?? self.imports.root(for: path)
                    importRoot = r
                    read = self.imports.read(imp.value, displayPath: target, workflowPath: path, root: r)
                }
                let file: SourceFile
                switch read {
                case .success(let f): file = f
                case .failure(let problem):
                    d.append(problem.diagnostic(importPath: imp.value, target: target, at: imp.span))
                    continue
                }
                let fl = loader.load(file)
                // Only a fragment's own problems are shown: of any other file nothing is
                // echoed (no line, no key), whatever it holds.
                guard let froot = fl.root, FragmentSyntax.isFragment(froot) else {
                    d.append(Diagnostic(ImportNotAFragment(path: imp.value), at: imp.span,
                                        label: file.overLimit != nil ? "over the size limit" : fl.root == nil ? "not a YAML fragment" : "no `fragment:` key",
                                        help: "a fragment file is a mapping with `fragment: ID` and `state:`; check it on its own with `wfc check \(target)`"))
                    continue
                }
                result.sources.append(file)
                d += fl.diagnostics
                if let f = FragmentSyntax.parse(froot, file: file.sourcePath, &d) {
                    if let other = fragments[f.id.value] {
                        d.append(Diagnostic(DuplicateName(kind: "fragment", name: f.id.value), at: f.id.span, secondary: [Label(other.id.span, "first defined here")]))
                    } else {
                        fragments[f.id.value] = f
                    }
                }
            }
            result.diagnostics += d
        }
        var parser = WorkflowParser(file: loaded.file.sourcePath, fragments: fragments)
        let syntax = parser.parse(root)
        result.diagnostics += parser.d
        result.syntax = syntax
        result.fragments = fragments
        lap(\.syntax)
        guard let syntax else { return result }
        if traceability { result.diagnostics += Traceability.run(syntax) }
        var resolver = Resolver(syntax: syntax, sources: SourceMap(result.sources), lineColumns: irLineColumns)
        var ir = resolver.lower()
        result.diagnostics += resolver.d
        // The IR pins the calendar's data only when it is sealed for output; `wfc check` drops it.
        CalendarPhase.run(syntax, ir: &ir, path: path, lookup: calendars, pinData: pinCalendarData,
                          warningsAsOf: calendarWarningsAsOf, &result.diagnostics)
        lap(\.names)
        if result.diagnostics.errorCount == 0 {
            // Consumed so that the phase owns the IR and updates it without copying.
            var expressions = ExpressionPhase(ir: consume ir, path: path, sources: SourceMap(result.sources))
            ir = expressions.run()
            result.diagnostics += expressions.d
        }
        lap(\.expressions)
        // Graph checks need resolved names; after errors they would only echo them.
        if result.diagnostics.errorCount == 0 {
            result.diagnostics += GraphChecks.run(ir, path: path)
        }
        lap(\.graph)
        result.diagnostics = result.diagnostics.sortedForOutput()
        if result.diagnostics.errorCount == 0 {
            result.ir = seal ? try? IRCoding.sealed(ir) : ir
        }
        lap(\.finish)
        return result
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let dir = PathText.directory(file)
        return dir.isEmpty ? path : (dir as NSString).appendingPathComponent(path)
    }
}

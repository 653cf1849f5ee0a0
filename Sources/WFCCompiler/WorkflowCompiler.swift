@_exported import WFCIR
import Dispatch
import Foundation
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
    /// Whether IR spans carry line and column, which runtime messages print. `wfc check`
    /// discards the IR and skips working them out.
    public var irLineColumns = true
    /// Whether to report states and rules that cite no clause and declare no assumption
    /// (WFC5040): `wfc check --strict` turns it on.
    public var traceability = false
    /// Reads an imported file; nil when it cannot be read.
    public var readFile: @Sendable (String) -> SourceFile?

    public init(loader: YAMLLoader = YAMLLoader(), readFile: @escaping @Sendable (String) -> SourceFile? = WorkflowCompiler.readFromDisk) {
        self.loader = loader
        self.readFile = readFile
    }

    public static let readFromDisk: @Sendable (String) -> SourceFile? = { path in
        FileManager.default.contents(atPath: path).map { SourceFile(path: path, bytes: Array($0)) }
    }

    /// Every descriptor of the compiler's diagnostics.
    public static let diagnostics: [DiagnosticDescriptor] = [
        UnknownKey.descriptor, WrongType.descriptor, MissingKey.descriptor, ConflictingKeys.descriptor,
        InvalidIdentifier.descriptor, InvalidDuration.descriptor, NotAWorkflow.descriptor, ReservedName.descriptor,
        EmptyList.descriptor, InvalidValue.descriptor, OtherwiseNotLast.descriptor, TooFewBranches.descriptor,
        UnknownRole.descriptor, DuplicateName.descriptor, UnknownField.descriptor, DefaultTypeMismatch.descriptor,
        UnknownType.descriptor, EnumDefaultNotMember.descriptor, CalendarRequired.descriptor, UnknownCalendar.descriptor,
        UnknownFragment.descriptor, TargetOutsideRegion.descriptor, NotAChecklist.descriptor, JoinOutsideRegion.descriptor,
        ReservedField.descriptor, ImportNotFound.descriptor, EmptyAssumption.descriptor, UnboundedWithoutReason.descriptor,
        UntracedRule.descriptor,
    ] + ExpressionDiagnostics.all + GraphChecks.descriptors

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
        // Imports: fragment files relative to this file.
        var fragments: [String: FragmentSyntax] = [:]
        if let imports = root["import"] {
            var d: [Diagnostic] = []
            for imp in MappingReader.stringList(imports, what: "`import`", file: loaded.file.sourcePath, &d) {
                let target = Self.resolve(imp.value, relativeTo: path)
                guard let file = readFile(target) else {
                    d.append(Diagnostic(ImportNotFound(path: imp.value), at: imp.span, label: "cannot read \(target)"))
                    continue
                }
                let fl = loader.load(file)
                result.sources.append(file)
                d += fl.diagnostics
                guard let froot = fl.root else { continue }
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
        lap(\.syntax)
        guard let syntax else { return result }
        if traceability { result.diagnostics += Traceability.run(syntax) }
        var resolver = Resolver(syntax: syntax, sources: SourceMap(result.sources), lineColumns: irLineColumns)
        var ir = resolver.lower()
        result.diagnostics += resolver.d
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

struct ImportNotFound: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3014", name: "import-not-found", summary: "An imported fragment file cannot be read.",
        explanation: "Paths under `import:` are relative to the workflow file. The file must exist and be a fragment (`fragment: ID`).",
        example: "import: [fragment/three-party-signoff.yaml]\n",
        fix: "import: [fragments/three-party-signoff.yaml]\n")
    var path: String
    var message: String { "cannot import `\(path)`" }
}

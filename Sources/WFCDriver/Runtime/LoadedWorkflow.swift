import WFCService
import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime

/// A workflow file compiled and made executable, with the sources that its IR spans point
/// into, so that runtime errors can show the policy line.
public struct LoadedWorkflow: Sendable {
    /// The path the workflow was loaded from, as given.
    public var path: String
    public var definition: Definition
    /// The main file and its fragments.
    public var sources: [SourceFile]

    /// Compiles `path`. Compiler diagnostics (errors only) or a definition that cannot be
    /// built come back as the failure's diagnostics.
    public static func load(_ path: String, compiler: WorkflowCompiler = WorkflowCompiler()) -> Result<LoadedWorkflow, LoadFailure> {
        let file: SourceFile
        do {
            file = try FileDiscovery.read(path, maxBytes: compiler.loader.limits.maxFileBytes)
        } catch {
            return .failure(LoadFailure(diagnostics: [], sources: [], message: error.message, status: error.status))
        }
        return load(file, compiler: compiler)
    }

    /// Compiles an already read workflow file.
    public static func load(_ file: SourceFile, compiler: WorkflowCompiler = WorkflowCompiler()) -> Result<LoadedWorkflow, LoadFailure> {
        let result = compiler.compile(file)
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let ir = result.ir else {
            return .failure(LoadFailure(diagnostics: result.diagnostics.sortedForOutput(), sources: result.sources,
                                        message: "\(file.path) does not compile"))
        }
        do {
            let def = try Definition(ir)
            return .success(LoadedWorkflow(path: file.path, definition: def, sources: result.sources))
        } catch {
            return .failure(LoadFailure(diagnostics: [], sources: result.sources, message: "\(file.path): \(error.description)"))
        }
    }

    /// The displayed path of a file named in the IR (the IR keeps names relative to the
    /// workflow's folder, so that its content hash does not depend on where it was compiled).
    public func displayPath(_ irFile: String) -> String {
        if let s = sources.first(where: { $0.path == irFile || $0.path.hasSuffix("/" + irFile) }) { return s.path }
        return irFile
    }

    /// Where a refusal points, for rendering.
    public func diagnostic(_ refusal: Refusal, fallback: SourceSpan) -> Diagnostic {
        RuntimeDiagnostics.diagnostic(refusal, file: displayPath, fallback: fallback)
    }
}

/// Why a workflow could not be loaded for running.
public struct LoadFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public var sources: [SourceFile]
    public var message: String
    /// The exit status when there are no diagnostics: usage (2) for a missing file, as for
    /// every other input, failure (3) when it could not be read or built.
    public var status: ExitStatus = .failure
}

import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCScenarios

extension LoadedWorkflow {
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

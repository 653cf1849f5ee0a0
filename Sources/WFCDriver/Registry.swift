import WFCService
import WFCCompiler
import WFCDiagnostics
import WFCDiff
import WFCMigration
import WFCRuntime
import WFCScenarios
import WFCYAML

/// Every diagnostic code wfc can emit, across all phases.
public enum WFCRegistry {
    public static let shared = DiagnosticRegistry([
        DriverDiagnostics.all,
        YAMLLoader.diagnostics,
        WorkflowCompiler.diagnostics,
        RuntimeDiagnostics.all,
        StoreDiagnostics.all,
        ScenarioDiagnostics.all,
        ServiceDiagnostics.all,
        DiffDiagnostics.all,
        MigrationDiagnostics.all,
    ])
}

/// wfc's version, shown by `--version` and in SARIF output.
public let wfcVersion = "0.1.0"

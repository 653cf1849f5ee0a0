/// The code ranges, one per phase. Documented in docs/diagnostics.md.
public enum DiagnosticPhase: Int, CaseIterable, Sendable {
    case driver = 0
    case yaml = 1
    case syntax = 2
    case names = 3
    case expressions = 4
    case graph = 5
    case runtime = 6
    case store = 7
    case scenarios = 8
    case service = 9

    /// The phase a code belongs to, from its first digit (`WFC1003` → ``yaml``).
    public static func of(_ code: DiagnosticCode) -> DiagnosticPhase? {
        let digits = code.rawValue.dropFirst(3)
        guard code.rawValue.hasPrefix("WFC"), digits.count == 4, let first = digits.first,
              let n = Int(String(first)) else { return nil }
        return DiagnosticPhase(rawValue: n)
    }

    public var tag: String {
        switch self {
        case .driver: "driver"
        case .yaml: "yaml"
        case .syntax: "syntax"
        case .names: "names-and-types"
        case .expressions: "expressions"
        case .graph: "graph"
        case .runtime: "runtime"
        case .store: "store"
        case .scenarios: "scenarios"
        case .service: "service"
        }
    }

    /// What the phase checks, for the docs and `wfc explain --list`.
    public var title: String {
        switch self {
        case .driver: "Command line, files and I/O"
        case .yaml: "YAML loading"
        case .syntax: "Workflow file structure"
        case .names: "Names and types"
        case .expressions: "Guard expressions"
        case .graph: "State graph checks"
        case .runtime: "Case data and events"
        case .store: "Case store"
        case .scenarios: "Scenario tests"
        case .service: "Service and HTTP server"
        }
    }

    public var range: String { "WFC\(rawValue)000–WFC\(rawValue)999" }
}

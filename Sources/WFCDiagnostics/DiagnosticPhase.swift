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
    /// `wfc diff`: changes between two versions of a policy, WFC8100–WFC8199 (inside the
    /// scenarios' first digit, which uses only WFC80xx).
    case versions = 81

    /// The phase a code belongs to, from its first digit (`WFC1003` → ``yaml``).
    public static func of(_ code: DiagnosticCode) -> DiagnosticPhase? {
        let digits = code.rawValue.dropFirst(3)
        guard code.rawValue.hasPrefix("WFC"), digits.count == 4, digits.allSatisfy(\.isASCII),
              let first = digits.first, let n = Int(String(first)) else { return nil }
        if digits.hasPrefix("81") { return .versions }
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
        case .versions: "versions"
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
        case .versions: "Policy versions (`wfc diff`)"
        }
    }

    public var range: String {
        switch self {
        case .scenarios: "WFC8000–WFC8099"
        case .versions: "WFC8100–WFC8199"
        default: "WFC\(rawValue)000–WFC\(rawValue)999"
        }
    }
}

extension DiagnosticDescriptor {
    /// How `example` and `fix` are introduced: for a change between policy versions they are
    /// the old and the new version, not a fault and its fix.
    public var exampleLabels: (example: String, fix: String) {
        describesVersionChange ? ("Old version", "New version") : ("Example", "Fix")
    }

    /// True for the kinds of change `wfc diff` reports (WFC8100–WFC8129); the migration plan
    /// codes after them (WFC8130–WFC8169) have a bad plan and its fix, as other codes do.
    public var describesVersionChange: Bool {
        guard DiagnosticPhase.of(code) == .versions, let n = Int(code.rawValue.dropFirst(3)) else { return false }
        return n < 8130
    }
}

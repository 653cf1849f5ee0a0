import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// Loads a compiled IR fixture (generated with `wfc compile`, see Fixtures/README.md).
func definition(_ name: String) throws -> Definition {
    guard let url = Bundle.module.url(forResource: name, withExtension: "ir.json", subdirectory: "Fixtures") else {
        throw FixtureError(name: name)
    }
    return try Definition(irJSON: try Data(contentsOf: url))
}

struct FixtureError: Error { var name: String }

/// An instant from RFC 3339 text with an offset, e.g. `2025-09-26T10:00:00+08:00`.
func at(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: text) ?? Date(timeIntervalSince1970: 0)
}

/// Unwraps an accepted step or records the refusal as a test failure.
func accepted(_ r: StepResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> CaseSnapshot {
    switch r {
    case .accepted(let s): return s.snapshot
    case .refused(let why):
        Issue.record("refused: \(why)", sourceLocation: sourceLocation)
        throw why
    }
}

func refused(_ r: StepResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> Refusal {
    switch r {
    case .refused(let why): return why
    case .accepted(let s):
        Issue.record("accepted, expected a refusal; now in \(s.snapshot.root.active?.name ?? "-")", sourceLocation: sourceLocation)
        throw FixtureError(name: "accepted")
    }
}

extension CaseSnapshot {
    /// Names of the active states, outermost first.
    var activeNames: [String] {
        var out: [String] = []
        func walk(_ r: RegionInstance) {
            guard let a = r.active else { return }
            out.append(a.name)
            a.children.forEach(walk)
        }
        walk(root)
        return out
    }
}

func item(_ name: String, kind: String = "document", done: Bool = false) -> ValueIR {
    .map(["name": .string(name), "kind": .string(kind), "done": .bool(done)])
}

let handoverPeople = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
let featurePeople = ["handover": "alice", "receiver": "bob", "witness": "wendy", "manager": "carol", "hr": "dave", "finance": "fiona", "it": "ivan"]

extension ValueIR: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

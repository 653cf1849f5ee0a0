import Foundation
import Testing
@testable import WFCCompiler

/// MaybeUnfilled finds the fields an expression reads with a byte scan; it must agree with
/// the regular expressions it replaced.
@Suite struct FieldNameScanTests {
    static func regex(_ pattern: String, _ text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        var out: [String] = []
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) where m.numberOfRanges > 1 {
            let name = ns.substring(with: m.range(at: 1))
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    static let samples = [
        "case.a", "case.a && case.b_2 > 0", "has(case.kind) && case.kind == 'x'", "mycase.x", "_case.y", "9case.z",
        "(case.x)", "size(case.items) > 0 && case.items.all(i, i.done)", "case.case.x", "case.", "case.1a", "case._x",
        "has(case.k", "has(case.k)", "xhas(case.k)", "交case.x", "'case.q' + case.r", "case.abc中", "has(case.a)has(case.b)",
        "", "case.x.y", "has( case.x )", "CASE.x", "case.X_Y9",
    ]

    @Test func readsMatchesTheRegex() {
        for s in Self.samples {
            #expect(MaybeUnfilled.reads(s) == Self.regex(#"\bcase\.([A-Za-z_][A-Za-z0-9_]*)"#, s), "\(s)")
        }
    }

    @Test func hasMatchesTheRegex() {
        for s in Self.samples {
            let scanned = MaybeUnfilled.fieldNames(in: s, after: "has(case.", wordStart: false, closedBy: UInt8(ascii: ")"))
            #expect(scanned == Self.regex(#"has\(case\.([A-Za-z_][A-Za-z0-9_]*)\)"#, s), "\(s)")
        }
    }
}

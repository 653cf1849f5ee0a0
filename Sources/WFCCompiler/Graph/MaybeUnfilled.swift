import Foundation
import WFCIR
import WFCDiagnostics

/// Reads of a required field that may still be empty. A required field that some state fills
/// may be left out at start; it is certainly filled only after the one state that fills it is
/// left by an event (the runtime holds it there), after a `requires` that says `has(case.F)`,
/// or after a `set`. A must-analysis over the graph finds expressions that a path reaches
/// before any of those: at run time that path fails with "`F` has no value here".
enum MaybeUnfilled: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        let ir = g.ir
        // Most workflows fill only fields with a default or optional ones: then there is
        // nothing to check, and no table of who fills what is needed.
        let required = Set(ir.fields.lazy.filter { !$0.optional && $0.defaultValue == nil }.map(\.id))
        guard !required.isEmpty, ir.states.contains(where: { s in
            s.fills.contains(where: required.contains) || s.transitions.contains { $0.fills.contains(where: required.contains) }
        }) else { return }
        let fillers = ir.fillingStates
        let late = ir.fields.filter { !$0.optional && $0.defaultValue == nil && fillers[$0.id] != nil }
        guard !late.isEmpty, let top = ir.regions.first?.start else { return }
        let lateNames = Set(late.map(\.name))
        let nameOf = Dictionary(ir.fields.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // The same rule the runtime enforces before an event moves on from the filling state.
        let sole = ir.soleFilledFields.mapValues { Set($0.compactMap { nameOf[$0] }) }

        // IN(s): the late fields certainly filled when `s` is entered; nil = not reached yet (top).
        var entry = [Set<String>?](repeating: nil, count: ir.states.count)
        entry[top] = []
        var work = [top]
        func flow(_ to: Int?, _ facts: Set<String>) {
            guard let to, ir.states.indices.contains(to) else { return }
            let merged = entry[to].map { $0.intersection(facts) } ?? facts
            if merged != entry[to] {
                entry[to] = merged
                work.append(to)
            }
        }
        while let s = work.popLast() {
            guard let facts = entry[s] else { continue }
            let state = ir.states[s]
            for e in g.edges[s] {
                var out = facts
                switch e.kind {
                case .event(let i):
                    let t = state.transitions[i]
                    if !isFinal(ir, t.target) { out.formUnion(sole[s] ?? []) }
                    out.formUnion(checked(state.requires + t.requires, nameOf))
                    out.formUnion(t.assignments.compactMap { nameOf[$0.field] })
                case .then:
                    out.formUnion(checked(state.requires, nameOf))
                case .choice, .otherwise, .overdue:
                    break
                }
                flow(e.to, out.intersection(lateNames))
            }
            // Branches and foreach bodies start with what their owner had.
            for r in state.regions where ir.regions.indices.contains(r) { flow(ir.regions[r].start, facts) }
        }

        var reported = Set<SpanIR>()
        func check(_ e: ExprIR, _ known: Set<String>, in s: StateIR) {
            let missing = reads(e.source).filter { lateNames.contains($0) && !known.contains($0) && !e.source.contains("has(case.\($0))") }
            guard let field = missing.first, reported.insert(e.span).inserted else { return }
            let where_ = (fillers[ir.fields.first { $0.name == field }?.id ?? -1] ?? []).sorted().map { "`\(ir.states[$0].name)`" }
            d.append(Diagnostic(
                MaybeUnfilledMessage(field: field, state: s.name), at: g.source(e.span), label: "`case.\(field)` may be empty here",
                notes: ["`\(field)` is filled in \(where_.joined(separator: ", ")), and some path reaches `\(s.name)` without it being certainly filled"],
                help: "require it where it is filled (`requires: {expr: \"has(case.\(field))\"}`), or test `has(case.\(field))` in this expression"))
        }
        for s in ir.states {
            guard let facts = entry[s.id] else { continue }
            let onEvent = facts.union(sole[s.id] ?? [])
            // What the event itself may fill does not count: if it is missing, the refusal says so
            // and the sender can send it. What it cannot fill must already be there.
            let fillableHere = Set(s.fills.compactMap { nameOf[$0] })
            for t in s.transitions {
                let known = (isFinal(ir, t.target) ? facts : onEvent).union(fillableHere).union(t.fills.compactMap { nameOf[$0] })
                if let gx = t.guardExpr { check(gx, known, in: s) }
                for case .expression(let x, _) in t.requires { check(x, known, in: s) }
                for a in t.assignments { check(a.value, known, in: s) }
            }
            for case .expression(let x, _) in s.requires { check(x, s.transitions.isEmpty ? facts : onEvent.union(fillableHere), in: s) }
            for arm in s.choice { check(arm.condition, facts, in: s) }
            if let by = s.due?.by { check(by, facts, in: s) }
            if let until = s.wait?.until { check(until, facts, in: s) }
            for c in s.signoff?.conditional ?? [] { check(c.condition, facts, in: s) }
            for r in s.regions where ir.regions.indices.contains(r) {
                if let list = ir.regions[r].list { check(list, facts, in: s) }
            }
        }
    }

    static func isFinal(_ ir: WorkflowIR, _ target: Int?) -> Bool {
        guard let t = target, ir.states.indices.contains(t) else { return false }
        return ir.states[t].isFinal
    }

    /// Fields that requirements prove present: `has(case.F)` in an expression, `all_done: F`
    /// (which refuses a missing list).
    static func checked(_ requires: [RequirementIR], _ nameOf: [Int: String]) -> Set<String> {
        var out = Set<String>()
        for r in requires {
            switch r {
            case .expression(let e, _): out.formUnion(fieldNames(in: e.source, after: "has(case.", wordStart: false, closedBy: UInt8(ascii: ")")))
            case .allDone(let field, _, _): if let n = nameOf[field] { out.insert(n) }
            }
        }
        return out
    }

    /// Fields an expression reads as `case.F`.
    static func reads(_ source: String) -> [String] { fieldNames(in: source, after: "case.", wordStart: true, closedBy: nil) }

    /// The names `F` written as `PREFIX F` (and then `closing`, if given), first occurrence
    /// first. `wordStart`: the prefix must not follow a letter, digit or `_` (a non-ASCII
    /// byte counts as a letter). A scan of bytes: this runs for every expression.
    static func fieldNames(in text: String, after prefix: StaticString, wordStart: Bool, closedBy closing: UInt8?) -> [String] {
        func isWord(_ b: UInt8) -> Bool { b >= 0x80 || b == UInt8(ascii: "_") || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        func isStart(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) }
        var out: [String] = []
        var text = text
        text.withUTF8 { t in
            prefix.withUTF8Buffer { p in
                var i = 0
                while i + p.count <= t.count {
                    guard t[i] == p[0], UnsafeBufferPointer(rebasing: t[i..<i + p.count]).elementsEqual(p),
                          !wordStart || i == 0 || !isWord(t[i - 1]) else {
                        i += 1
                        continue
                    }
                    var j = i + p.count
                    guard j < t.count, isStart(t[j]) else {
                        i += 1
                        continue
                    }
                    let start = j
                    while j < t.count && isWord(t[j]) && t[j] < 0x80 { j += 1 }
                    if let closing, !(j < t.count && t[j] == closing) {
                        i += 1
                        continue
                    }
                    let name = String(decoding: UnsafeBufferPointer(rebasing: t[start..<j]), as: UTF8.self)
                    if !out.contains(name) { out.append(name) }
                    // Matches do not overlap: go on after this one.
                    i = closing == nil ? j : j + 1
                }
            }
        }
        return out
    }
}

struct MaybeUnfilledMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5016", severity: .warning, name: "maybe-unfilled", summary: "An expression reads a required field that may still be empty.",
        explanation: "A required field that a state fills may be left out when the case starts. It is certainly filled only once the single state that fills it has been left by an event, after a `requires` that checks `has(case.F)`, or after a `set`. Some path reaches this expression before that, and there the case would stop with a runtime error.",
        example: "states:\n  respond:\n    fills: [kind]\n    on: {responded: {by: clerk, to: record}}\n  record:\n    fills: [kind]\n    on: {recorded: {by: clerk, to: route}}\n  route:\n    choice:\n      - {when: \"case.kind == 'quality'\", to: fix}\n      - otherwise: done\n",
        fix: "  record:\n    fills: [kind]\n    on:\n      recorded:\n        by: clerk\n        to: route\n        requires: {expr: \"has(case.kind)\", message: 须确定问题类型}\n")
    var field: String
    var state: String
    var message: String { "`case.\(field)` may have no value when `\(state)` reads it" }
}

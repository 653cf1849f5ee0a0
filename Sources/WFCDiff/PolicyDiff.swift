import Foundation
import WFCIR

/// The semantic difference between two compiled versions of a workflow: states, events,
/// roles and fields are matched by name, and each element is compared by meaning (names, not
/// numeric ids; expressions by their source), never by text layout. Pure: no I/O.
public struct PolicyDiff: Sendable {
    public let old: WorkflowIR
    public let new: WorkflowIR

    public init(old: WorkflowIR, new: WorkflowIR) {
        self.old = old
        self.new = new
    }

    /// Every change, in a deterministic order (the new file's order, removals last).
    public func changes() -> [PolicyChange] {
        var out: [PolicyChange] = []
        let o = Names(old), n = Names(new)
        workflow(o, n, &out)
        roles(o, n, &out)
        reassign(o, n, &out)
        separations(o, n, &out)
        fields(o, n, &out)
        guarantees(o, n, &out)
        states(o, n, &out)
        return out.sorted(by: PolicyChange.ordered)
    }

    /// The strongest impact of `changes` (`none` when there are none).
    public static func impact(of changes: [PolicyChange]) -> ChangeImpact {
        changes.map(\.impact).max() ?? .none
    }

    // MARK: workflow level

    private func workflow(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let top = SpanIR(file: new.file, start: 0, end: 0, line: 1, column: 1)
        let oldTop = SpanIR(file: old.file, start: 0, end: 0, line: 1, column: 1)
        if old.id != new.id {
            out.append(PolicyChange(DiffDiagnostics.workflowChanged, .unsafe, "the workflow's id changed from `\(old.id)` to `\(new.id)`",
                                    reason: "it is another workflow: cases of `\(old.id)` cannot move to it", old: oldTop, new: top,
                                    before: old.id, after: new.id))
        }
        if old.calendar != new.calendar {
            out.append(PolicyChange(DiffDiagnostics.workflowChanged, .needsMapping, "the working-day calendar changed",
                                    reason: "working-day deadlines still to come in running cases were computed with the old calendar",
                                    old: oldTop, new: top, before: old.calendar ?? "none", after: new.calendar ?? "none"))
        }
        if o.regionStart(0) != n.regionStart(0) {
            out.append(PolicyChange(DiffDiagnostics.workflowChanged, .none, "the start state changed",
                                    reason: "only cases started from now on begin there", old: oldTop, new: top,
                                    before: o.regionStart(0) ?? "none", after: n.regionStart(0) ?? "none"))
        }
        if old.title != new.title {
            out.append(PolicyChange(DiffDiagnostics.titleChanged, .none, "the workflow's title changed",
                                    reason: "titles do not change how cases behave", old: oldTop, new: top, before: old.title, after: new.title))
        }
    }

    // MARK: roles and separations

    private func roles(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let oldByName = Dictionary(old.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(new.roles.map(\.name))
        for r in new.roles {
            guard let before = oldByName[r.name] else {
                out.append(PolicyChange(DiffDiagnostics.roleAdded, .needsMapping, "role `\(r.name)` is new",
                                        reason: "running cases have nobody bound to `\(r.name)`; each needs a person for it",
                                        old: nil, new: r.span))
                continue
            }
            if before.title != r.title {
                out.append(PolicyChange(DiffDiagnostics.titleChanged, .none, "the title of role `\(r.name)` changed",
                                        reason: "titles do not change how cases behave", old: before.span, new: r.span,
                                        before: before.title ?? "none", after: r.title ?? "none"))
            }
            binding(before, r, &out)
            if (before.substitutes == false) != (r.substitutes == false) {
                let inPerson = r.substitutes == false
                out.append(PolicyChange(DiffDiagnostics.roleChanged, .none,
                                        inPerson ? "role `\(r.name)` must now act in person (`substitutes: false`)" : "substitutes may now act for role `\(r.name)`",
                                        reason: inPerson ? "it is checked at each step from now on; steps a substitute already took stay in the audit log"
                                            : "substitutes are allowed from now on; no case breaks",
                                        old: before.span, new: r.span))
            }
        }
        for r in old.roles where !newNames.contains(r.name) {
            out.append(PolicyChange(DiffDiagnostics.roleRemoved, .none, "role `\(r.name)` is gone",
                                    reason: "the person bound to it stays in each case's audit log", old: r.span, new: nil))
        }
    }

    /// Where each role is assigned during the case: `state.event` of every transition whose
    /// `assign:` names it (the targets of one `back_to:` event count once).
    private static func assignSites(_ ir: WorkflowIR, role: Int) -> [String] {
        var sites: [String] = []
        for s in ir.states {
            for t in s.transitions where (t.assign ?? []).contains(role) {
                let site = "\(s.name).\(t.event)"
                if !sites.contains(site) { sites.append(site) }
            }
        }
        return sites.sorted()
    }

    /// A role bound at start that is now assigned during the case (`assign:`), the reverse, or
    /// assigned by other events. What can break is a case that has nobody in the role yet.
    private func binding(_ b: RoleIR, _ r: RoleIR, _ out: inout [PolicyChange]) {
        let was = b.assigned == true, now = r.assigned == true
        let before = Self.assignSites(old, role: b.id), after = Self.assignSites(new, role: r.id)
        func sites(_ list: [String]) -> String { "assigned by " + list.joined(separator: ", ") }
        switch (was, now) {
        case (false, true):
            out.append(PolicyChange(DiffDiagnostics.roleChanged, .none, "role `\(r.name)` is now assigned during the case",
                                    reason: "running cases keep the person bound at start until an event that assigns `\(r.name)` names one anew",
                                    old: b.span, new: r.span, before: "bound at start", after: sites(after)))
        case (true, false):
            out.append(PolicyChange(DiffDiagnostics.roleChanged, .unsafe, "role `\(r.name)` is now bound at start",
                                    reason: "a running case that has not reached the event that assigned `\(r.name)` has nobody in it, and no event of the new version binds it; each case must be checked",
                                    old: b.span, new: r.span, before: sites(before), after: "bound at start"))
        case (true, true) where before != after:
            let lost = !Set(before).isSubset(of: Set(after))
            out.append(PolicyChange(DiffDiagnostics.roleChanged, lost ? .unsafe : .none, "the events that assign role `\(r.name)` changed",
                                    reason: lost ? "a running case not yet given `\(r.name)` may be past every event that still assigns it, and would reach a step that needs it with nobody in it; each case must be checked"
                                        : "every event that assigned it still does; cases take the new ones as well",
                                    old: b.span, new: r.span, before: sites(before), after: sites(after)))
        default:
            break
        }
    }

    /// `reassign:` (转交): who may hand work on, and which roles. It is judged at each request,
    /// so a change affects only reassignments from now on.
    private func reassign(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        func text(_ r: ReassignIR?, _ names: Names) -> String {
            guard let r else { return "nobody" }
            return "by \(names.roleList(r.by)), " + (r.roles.map { "roles \(names.roleList($0))" } ?? "every role")
        }
        let top = SpanIR(file: new.file, start: 0, end: 0, line: 1, column: 1)
        let oldTop = SpanIR(file: old.file, start: 0, end: 0, line: 1, column: 1)
        let before = text(old.reassign, o), after = text(new.reassign, n)
        if before != after {
            out.append(PolicyChange(DiffDiagnostics.roleChanged, .none, "who may reassign work (`reassign:`) changed",
                                    reason: "it judges reassignments from now on; those already made stay in each case's audit log",
                                    old: old.reassign?.span ?? oldTop, new: new.reassign?.span ?? top, before: before, after: after))
        }
        if let x = old.reassign, let y = new.reassign, x.clause != y.clause || x.assumption != y.assumption {
            out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "what `reassign:` cites changed",
                                    reason: "citations do not change how cases behave", old: x.span, new: y.span,
                                    before: Self.trace(x.clause, x.assumption), after: Self.trace(y.clause, y.assumption)))
        }
    }

    private func separations(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        // A separation is a set of pairs of roles that must be different people; compare pairs.
        // The IR keeps no span for `separate:`, so a change points at a role of the pair.
        func pairs(_ ir: WorkflowIR, _ names: Names) -> Set<[String]> {
            var p = Set<[String]>()
            for group in ir.separations {
                let roles = Set(group.map(names.role)).sorted()
                for i in roles.indices { for j in roles.indices where i < j { p.insert([roles[i], roles[j]]) } }
            }
            return p
        }
        func roleSpan(_ ir: WorkflowIR, _ pair: [String]) -> SpanIR {
            ir.roles.first { $0.name == pair[1] }?.span ?? ir.roles.first { $0.name == pair[0] }?.span
                ?? SpanIR(file: ir.file, start: 0, end: 0, line: 1, column: 1)
        }
        let before = pairs(old, o), after = pairs(new, n)
        // One change per role that must now (or no longer) differ from others: pair[1] is the
        // later name of a sorted pair, and the change points at it.
        func grouped(_ set: Set<[String]>) -> [(role: String, others: [String])] {
            Dictionary(grouping: set, by: { $0[1] }).map { ($0.key, $0.value.map { $0[0] }.sorted()) }.sorted { $0.role < $1.role }
        }
        func names(_ list: [String]) -> String { list.map { "`\($0)`" }.joined(separator: ", ") }
        for g in grouped(after.subtracting(before)) {
            out.append(PolicyChange(DiffDiagnostics.separationChanged, .unsafe,
                                    "`\(g.role)` must now be a different person from \(names(g.others))",
                                    reason: "a running case may already have one person in both roles; each case must be checked",
                                    old: nil, new: roleSpan(new, [g.others[0], g.role])))
        }
        for g in grouped(before.subtracting(after)) {
            out.append(PolicyChange(DiffDiagnostics.separationChanged, .none,
                                    "`\(g.role)` no longer needs to be a different person from \(names(g.others))",
                                    reason: "fewer people must differ; no case breaks", old: roleSpan(old, [g.others[0], g.role]), new: nil))
        }
    }

    // MARK: fields

    private func fields(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let oldByName = Dictionary(old.fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(new.fields.map(\.name))
        for f in new.fields {
            let place = f.span ?? SpanIR(file: new.file, start: 0, end: 0, line: 1, column: 1)
            guard let before = oldByName[f.name] else {
                if f.optional || f.defaultValue != nil {
                    out.append(PolicyChange(DiffDiagnostics.fieldAdded, .none, "field `\(f.name)` is new (\(f.optional ? "optional" : "with a default"))",
                                            reason: "running cases do without it", old: nil, new: place, after: f.type.description))
                } else {
                    out.append(PolicyChange(DiffDiagnostics.fieldAdded, .needsMapping, "required field `\(f.name)` is new",
                                            reason: "running cases have no value for it; each needs one", old: nil, new: place, after: f.type.description))
                }
                continue
            }
            // Type, optionality and default are separate changes, each with one reason.
            if let impact = Self.typeChange(from: before.type, to: f.type) {
                out.append(PolicyChange(DiffDiagnostics.fieldChanged, impact, "the type of field `\(f.name)` changed",
                                        reason: impact == .none ? "the new type accepts every old value" : "values of the old type may not fit the new one",
                                        old: before.span, new: place, before: Self.typeText(before.type), after: Self.typeText(f.type)))
            }
            if before.optional != f.optional {
                let needsValue = !f.optional && f.defaultValue == nil
                out.append(PolicyChange(DiffDiagnostics.fieldChanged, needsValue ? .needsMapping : .none,
                                        f.optional ? "field `\(f.name)` became optional" : "field `\(f.name)` became required",
                                        reason: needsValue ? "cases without a value need one" : f.optional ? "every old value still fits" : "its default fills cases without a value",
                                        old: before.span, new: place))
            }
            if before.defaultValue != f.defaultValue {
                out.append(PolicyChange(DiffDiagnostics.fieldChanged, .none, "the default of field `\(f.name)` changed",
                                        reason: "a default applies to cases started from now on", old: before.span, new: place,
                                        before: before.defaultValue.map(Self.valueText) ?? "none", after: f.defaultValue.map(Self.valueText) ?? "none"))
            }
            if before.title != f.title {
                out.append(PolicyChange(DiffDiagnostics.titleChanged, .none, "the title of field `\(f.name)` changed",
                                        reason: "titles do not change how cases behave", old: before.span, new: place,
                                        before: before.title ?? "none", after: f.title ?? "none"))
            }
            // Member titles, of the members in both enums (an added or removed member is a type change).
            if before.memberTitles != f.memberTitles, case .enumeration(let oldMembers) = before.type, case .enumeration(let members) = f.type {
                for m in members where oldMembers.contains(m) && before.memberTitles?[m] != f.memberTitles?[m] {
                    out.append(PolicyChange(DiffDiagnostics.titleChanged, .none, "the title of member `\(m)` of field `\(f.name)` changed",
                                            reason: "titles do not change how cases behave", old: before.span, new: place,
                                            before: before.memberTitles?[m] ?? "none", after: f.memberTitles?[m] ?? "none"))
                }
            }
        }
        for f in old.fields where !newNames.contains(f.name) {
            out.append(PolicyChange(DiffDiagnostics.fieldRemoved, .none, "field `\(f.name)` is gone",
                                    reason: "its values stay in each case's audit log",
                                    old: f.span ?? SpanIR(file: old.file, start: 0, end: 0, line: 1, column: 1), new: nil))
        }
    }

    /// Nil when the types are the same; `.none` when every old value fits the new type
    /// (enum members added, a record or checklist that gained optional fields); `.unsafe` else.
    static func typeChange(from a: TypeIR, to b: TypeIR) -> ChangeImpact? {
        if a == b || typeText(a) == typeText(b) { return nil }
        switch (a, b) {
        case (.enumeration(let x), .enumeration(let y)):
            return Set(x).isSubset(of: Set(y)) ? ChangeImpact.none : .unsafe
        case (.list(let x), .list(let y)):
            return typeChange(from: x, to: y)
        case (.record(let x), .record(let y)), (.checklist(let x), .checklist(let y)):
            var worst: ChangeImpact = .none
            let old = Dictionary(x.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for f in y {
                if let e = old[f.name] {
                    if let c = typeChange(from: e.type, to: f.type) { worst = max(worst, c) }
                    if e.optional && !f.optional { worst = .unsafe }
                } else if !f.optional && f.defaultValue == nil {
                    worst = .unsafe
                }
            }
            return worst
        case (.int, .decimal):
            return ChangeImpact.none
        default:
            return .unsafe
        }
    }

    /// A type with record members spelled out, so that a changed member shows.
    static func typeText(_ t: TypeIR) -> String {
        func members(_ f: [FieldIR]) -> String {
            f.map { "\($0.name): \(typeText($0.type))\($0.optional ? "?" : "")" }.joined(separator: ", ")
        }
        switch t {
        case .record(let f): return "record(\(members(f)))"
        case .checklist(let f): return "checklist(\(members(f)))"
        case .list(let e): return "list(\(typeText(e)))"
        default: return t.description
        }
    }

    static func valueText(_ v: ValueIR) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return "\"\(s)\""
        case .list(let l): return "[" + l.map(valueText).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0): \(valueText(m[$0] ?? .null))" }.joined(separator: ", ") + "}"
        }
    }

    // MARK: guarantees

    private func guarantees(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        func keyed(_ ir: WorkflowIR, _ names: Names) -> [(key: String, span: SpanIR, clause: String?)] {
            ir.guarantees.map {
                switch $0 {
                case .checklist(let f, let span, let clause): ("every item of `\(names.field(f))` done", span, clause)
                case .signoff(let roles, let span, let clause):
                    ("signed by \(roles.map(names.role).sorted().map { "`\($0)`" }.joined(separator: ", "))", span, clause)
                }
            }
        }
        let before = keyed(old, o), after = keyed(new, n)
        let beforeKeys = Dictionary(before.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let afterKeys = Set(after.map(\.key))
        for g in after {
            if let b = beforeKeys[g.key] {
                if b.clause != g.clause {
                    out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "the clause of guarantee \(g.key) changed",
                                            reason: "citations do not change how cases behave", old: b.span, new: g.span,
                                            before: b.clause ?? "none", after: g.clause ?? "none"))
                }
            } else {
                out.append(PolicyChange(DiffDiagnostics.guaranteeChanged, .unsafe, "new guarantee: \(g.key) before `completed`",
                                        reason: "a case past the step that would ensure it can no longer meet it; each case must be checked against its remaining path",
                                        old: nil, new: g.span))
            }
        }
        for g in before where !afterKeys.contains(g.key) {
            out.append(PolicyChange(DiffDiagnostics.guaranteeChanged, .none, "guarantee dropped: \(g.key)",
                                    reason: "less is required; no case breaks", old: g.span, new: nil))
        }
    }

    // MARK: states

    private func states(_ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let oldByName = Dictionary(old.states.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(new.states.map(\.name))
        for s in new.states {
            guard let b = oldByName[s.name] else {
                out.append(PolicyChange(DiffDiagnostics.stateAdded, .none, "state `\(s.name)` is new",
                                        reason: "no running case can be in it; cases reach it only through changed transitions",
                                        old: nil, new: s.span))
                continue
            }
            state(b, s, o, n, &out)
        }
        for s in old.states where !newNames.contains(s.name) {
            let final = s.kind == .final
            out.append(PolicyChange(DiffDiagnostics.stateRemoved, final ? .none : .needsMapping, "state `\(s.name)` is gone",
                                    reason: final ? "cases that ended there are finished and do not migrate"
                                        : "cases in `\(s.name)` must be given a state of the new version",
                                    old: s.span, new: nil))
        }
    }

    private func state(_ b: StateIR, _ s: StateIR, _ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let name = s.name
        // Kind, place and branches.
        let placeBefore = o.place(b), placeAfter = n.place(s)
        let branchesBefore = b.regions.map(o.region), branchesAfter = s.regions.map(n.region)
        if b.kind != s.kind || placeBefore != placeAfter || branchesBefore != branchesAfter {
            var what: [String] = []
            if b.kind != s.kind { what.append("its kind (\(b.kind.rawValue) → \(s.kind.rawValue))") }
            if placeBefore != placeAfter { what.append("its place (\(placeBefore) → \(placeAfter))") }
            if branchesBefore != branchesAfter { what.append("its branches") }
            out.append(PolicyChange(DiffDiagnostics.stateChanged, s.kind == .final && b.kind == .final ? .none : .needsMapping,
                                    "state `\(name)` changed \(what.joined(separator: " and "))",
                                    reason: "a case active in `\(name)` keeps bookkeeping of the old kind and place; a migration must say how it continues",
                                    old: b.span, new: s.span,
                                    before: "\(b.kind.rawValue) in \(placeBefore)" + (branchesBefore.isEmpty ? "" : ", branches \(branchesBefore)"),
                                    after: "\(s.kind.rawValue) in \(placeAfter)" + (branchesAfter.isEmpty ? "" : ", branches \(branchesAfter)")))
        }
        if b.title != s.title {
            out.append(PolicyChange(DiffDiagnostics.titleChanged, .none, "the title of state `\(name)` changed",
                                    reason: "titles do not change how cases behave", old: b.span, new: s.span,
                                    before: b.title ?? "none", after: s.title ?? "none"))
        }
        if b.clause != s.clause || b.assumption != s.assumption {
            out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "what state `\(name)` cites changed",
                                    reason: "citations do not change how cases behave", old: b.span, new: s.span,
                                    before: Self.trace(b.clause, b.assumption), after: Self.trace(s.clause, s.assumption)))
        }
        // State-level requirements.
        let reqBefore = b.requires.map { o.requirement($0) }, reqAfter = s.requires.map { n.requirement($0) }
        if reqBefore != reqAfter {
            out.append(PolicyChange(DiffDiagnostics.requirementChanged, .none, "the requirements of state `\(name)` changed",
                                    reason: "they apply to the next step out of `\(name)`; a case that does not meet them is refused with the policy's message",
                                    old: b.span, new: s.span, before: Self.list(reqBefore), after: Self.list(reqAfter)))
        }
        // Where the state goes when its work is complete, choice arms, outcome and fills.
        let flowBefore = o.flow(b), flowAfter = n.flow(s)
        if flowBefore != flowAfter {
            out.append(PolicyChange(DiffDiagnostics.transitionChanged, .none, "where state `\(name)` goes next changed",
                                    reason: "cases take the new way the next time they leave `\(name)`", old: b.span, new: s.span,
                                    before: flowBefore, after: flowAfter))
        }
        let fillsBefore = b.fills.map(o.field), fillsAfter = s.fills.map(n.field)
        if fillsBefore != fillsAfter {
            out.append(PolicyChange(DiffDiagnostics.transitionChanged, .none, "the fields people fill in state `\(name)` changed",
                                    reason: "cases in `\(name)` accept the new fields from now on", old: b.span, new: s.span,
                                    before: Self.list(fillsBefore), after: Self.list(fillsAfter)))
        }
        deadline(b, s, o, n, &out)
        signoff(b, s, o, n, &out)
        notices(b, s, o, n, &out)
        roundLimit(b, s, o, n, &out)
        if o.wait(b.wait) != n.wait(s.wait) {
            out.append(PolicyChange(DiffDiagnostics.waitChanged, .needsMapping, "the wait of state `\(name)` changed",
                                    reason: "cases waiting in `\(name)` have their wake-up time from the old rule: keep it or recompute it",
                                    old: b.span, new: s.span, before: o.wait(b.wait), after: n.wait(s.wait)))
        }
        transitions(b, s, o, n, &out)
    }

    private func deadline(_ b: StateIR, _ s: StateIR, _ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let before = b.due.map(o.due), after = s.due.map(n.due)
        if before != after {
            let impact: ChangeImpact = after == nil ? .none : .needsMapping
            let what = before == nil ? "is new" : after == nil ? "is gone" : "changed"
            out.append(PolicyChange(DiffDiagnostics.deadlineChanged, impact, "the deadline of state `\(s.name)` \(what)",
                                    reason: after == nil ? "open deadline timers in `\(s.name)` are dropped"
                                        : "cases already in `\(s.name)` have a deadline from the old rule (or none): keep it or recompute it from when they entered",
                                    old: b.due?.span ?? b.span, new: s.due?.span ?? s.span, before: before ?? "none", after: after ?? "none"))
        }
        if let bd = b.due, let sd = s.due,
           bd.clause != sd.clause || bd.assumption != sd.assumption || bd.overdueClause != sd.overdueClause || bd.overdueAssumption != sd.overdueAssumption {
            out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "what the deadline of state `\(s.name)` cites changed",
                                    reason: "citations do not change how cases behave", old: bd.span, new: sd.span,
                                    before: Self.trace(bd.clause, bd.assumption), after: Self.trace(sd.clause, sd.assumption)))
        }
    }

    private func signoff(_ b: StateIR, _ s: StateIR, _ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let before = b.signoff.map(o.signoff), after = s.signoff.map(n.signoff)
        // A sign-off that appears or disappears with the state's kind is reported as a kind change.
        guard let x = b.signoff, let y = s.signoff, let before, let after else { return }
        let oldSpan = x.span, newSpan = y.span
        if before != after {
            out.append(PolicyChange(DiffDiagnostics.signoffChanged, .needsMapping, "the sign-off of state `\(s.name)` changed",
                                    reason: "cases in the middle of it hold signatures collected under the old rule",
                                    old: oldSpan, new: newSpan, before: before, after: after))
        }
        // 依次: signatures already given may be out of a new order; without one, any order is fine.
        let orderBefore = o.order(x), orderAfter = n.order(y)
        if orderBefore != orderAfter {
            let ordered = y.inOrder != nil
            out.append(PolicyChange(DiffDiagnostics.signoffChanged, ordered ? .unsafe : .none, "the signing order of state `\(s.name)` changed",
                                    reason: ordered ? "cases in the middle of it may hold signatures given out of the new order; each case must be checked, or its signatures reset"
                                        : "signatures now count in any order; no case breaks",
                                    old: oldSpan, new: newSpan, before: orderBefore, after: orderAfter))
        }
        // 加签: more people or positions only allow more from now on; fewer may disown signers
        // added under the old rule.
        let addBefore = o.addSigner(x.add), addAfter = n.addSigner(y.add)
        if addBefore != addAfter {
            let byBefore = Set((x.add?.by ?? []).map(o.role)), byAfter = Set((y.add?.by ?? []).map(n.role))
            let posBefore = Set(x.add?.positions ?? []), posAfter = Set(y.add?.positions ?? [])
            let wider = x.add == nil || (y.add != nil && byBefore.isSubset(of: byAfter) && posBefore.isSubset(of: posAfter))
            out.append(PolicyChange(DiffDiagnostics.signoffChanged, wider ? .none : .needsMapping,
                                    "who may add signers (`add:`) to the sign-off of state `\(s.name)` changed",
                                    reason: wider ? "more may be added from now on; no case breaks"
                                        : "cases in the middle of it may hold signers added under the old rule; a migration decides whether collected signatures still count",
                                    old: x.add?.span ?? oldSpan, new: y.add?.span ?? newSpan, before: addBefore, after: addAfter))
        }
    }

    /// 催办 and 抄送: reminders are computed from when a case entered the state, like a deadline;
    /// copies are sent as cases enter or leave it.
    private func notices(_ b: StateIR, _ s: StateIR, _ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let remindBefore = b.remind.map(o.remind), remindAfter = s.remind.map(n.remind)
        if remindBefore != remindAfter {
            let what = remindBefore == nil ? "are new" : remindAfter == nil ? "are gone" : "changed"
            out.append(PolicyChange(DiffDiagnostics.noticeChanged, remindAfter == nil ? .none : .needsMapping, "the reminders of state `\(s.name)` \(what)",
                                    reason: remindAfter == nil ? "cases in `\(s.name)` are no longer reminded"
                                        : "cases already in `\(s.name)` have their next reminder from the old schedule (or none): keep it or recompute it from when they entered",
                                    old: b.remind?.span ?? b.span, new: s.remind?.span ?? s.span, before: remindBefore ?? "none", after: remindAfter ?? "none"))
        }
        if let x = b.remind, let y = s.remind, x.clause != y.clause || x.assumption != y.assumption {
            out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "what the reminders of state `\(s.name)` cite changed",
                                    reason: "citations do not change how cases behave", old: x.span, new: y.span,
                                    before: Self.trace(x.clause, x.assumption), after: Self.trace(y.clause, y.assumption)))
        }
        let ccBefore = b.cc.map(o.copies), ccAfter = s.cc.map(n.copies)
        if ccBefore != ccAfter {
            out.append(PolicyChange(DiffDiagnostics.noticeChanged, .none, "the copies (`cc:`) of state `\(s.name)` changed",
                                    reason: "copies are sent as cases enter or leave `\(s.name)` from now on; those sent stay recorded",
                                    old: b.cc?.span ?? b.span, new: s.cc?.span ?? s.span, before: ccBefore ?? "none", after: ccAfter ?? "none"))
        }
        if let x = b.cc, let y = s.cc, x.clause != y.clause || x.assumption != y.assumption {
            out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "what the copies of state `\(s.name)` cite changed",
                                    reason: "citations do not change how cases behave", old: x.span, new: y.span,
                                    before: Self.trace(x.clause, x.assumption), after: Self.trace(y.clause, y.assumption)))
        }
    }

    private func roundLimit(_ b: StateIR, _ s: StateIR, _ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        let before = o.rounds(b), after = n.rounds(s)
        guard before != after else { return }
        let lower: Bool = {
            guard let x = s.maxRounds else { return false }
            guard let y = b.maxRounds else { return true }
            return x < y
        }()
        out.append(PolicyChange(DiffDiagnostics.roundLimitChanged, lower ? .unsafe : .none, "the round limit of state `\(s.name)` changed",
                                reason: lower ? "a running case may already have used more rounds than the new limit allows"
                                    : "the limit is higher, gone, or only what happens at it changed",
                                old: b.roundLimit?.span ?? b.span, new: s.roundLimit?.span ?? s.span, before: before, after: after))
    }

    /// A state's events as written: the transitions one `back_to:` event is lowered to (one
    /// per step, marked `backTo`, with the event's span) are one, with the list of steps.
    static func written(_ transitions: [TransitionIR]) -> [(t: TransitionIR, backTo: [Int]?)] {
        var out: [(t: TransitionIR, backTo: [Int]?)] = []
        for t in transitions {
            if t.backTo == true, let last = out.last, last.backTo != nil, last.t.event == t.event, last.t.span == t.span {
                out[out.count - 1].backTo?.append(contentsOf: t.target.map { [$0] } ?? [])
            } else {
                out.append((t, t.backTo == true ? (t.target.map { [$0] } ?? []) : nil))
            }
        }
        return out
    }

    private func transitions(_ b: StateIR, _ s: StateIR, _ o: Names, _ n: Names, _ out: inout [PolicyChange]) {
        // An event may appear more than once (guarded alternatives): pair them in order.
        var oldByEvent: [String: [(t: TransitionIR, backTo: [Int]?)]] = [:]
        for w in Self.written(b.transitions) { oldByEvent[w.t.event, default: []].append(w) }
        var used: [String: Int] = [:]
        for w in Self.written(s.transitions) {
            let t = w.t
            let i = used[t.event, default: 0]
            used[t.event] = i + 1
            guard let paired = oldByEvent[t.event]?[safe: i] else {
                out.append(PolicyChange(DiffDiagnostics.transitionAdded, .none, "state `\(s.name)` has a new event `\(t.event)`",
                                        reason: "cases in `\(s.name)` may take it once they run on the new version", old: nil, new: t.span))
                continue
            }
            let before = paired.t, beforeBack = paired.backTo
            let x = o.transition(before, backTo: beforeBack), y = n.transition(t, backTo: w.backTo)
            if let steps = beforeBack, let now = w.backTo, o.transition(before, backTo: []) == n.transition(t, backTo: []) {
                // Only the list of steps changed: one change for the list, whatever its length.
                let listBefore = o.stateList(steps), listAfter = n.stateList(now)
                if listBefore != listAfter {
                    out.append(PolicyChange(DiffDiagnostics.transitionChanged, .none, "the steps event `\(t.event)` of state `\(s.name)` may send a case back to changed",
                                            reason: "the actor chooses from the new list the next time it is fired; each step is checked like any transition",
                                            old: before.span, new: t.span, before: listBefore, after: listAfter))
                }
            } else if x != y {
                out.append(PolicyChange(DiffDiagnostics.transitionChanged, .none, "event `\(t.event)` of state `\(s.name)` changed",
                                        reason: "it takes effect the new way the next time it is fired", old: before.span, new: t.span,
                                        before: x, after: y))
            }
            if before.title != t.title {
                out.append(PolicyChange(DiffDiagnostics.titleChanged, .none, "the title of event `\(t.event)` of state `\(s.name)` changed",
                                        reason: "titles do not change how cases behave", old: before.span, new: t.span,
                                        before: before.title ?? "none", after: t.title ?? "none"))
            }
            if before.clause != t.clause || before.assumption != t.assumption {
                out.append(PolicyChange(DiffDiagnostics.traceChanged, .none, "what event `\(t.event)` of state `\(s.name)` cites changed",
                                        reason: "citations do not change how cases behave", old: before.span, new: t.span,
                                        before: Self.trace(before.clause, before.assumption), after: Self.trace(t.clause, t.assumption)))
            }
        }
        for (event, list) in oldByEvent.sorted(by: { $0.key < $1.key }) {
            for w in list.dropFirst(used[event, default: 0]) {
                out.append(PolicyChange(DiffDiagnostics.transitionRemoved, .none, "state `\(s.name)` no longer has event `\(event)`",
                                        reason: "the new version is proved sound, so cases in `\(s.name)` can still finish another way",
                                        old: w.t.span, new: nil))
            }
        }
    }

    static func trace(_ clause: String?, _ assumption: String?) -> String {
        if let clause { return "clause \(clause)" }
        if let assumption { return "assumption: \(assumption)" }
        return "nothing"
    }

    static func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: "; ") }
}

/// Ids to names for one version, and elements as short comparable text.
struct Names {
    let ir: WorkflowIR
    private let states: [Int: String]
    private let roles: [Int: String]
    private let fields: [Int: String]
    private let regions: [Int: RegionIR]

    init(_ ir: WorkflowIR) {
        self.ir = ir
        states = Dictionary(ir.states.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        roles = Dictionary(ir.roles.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        fields = Dictionary(ir.fields.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        regions = Dictionary(ir.regions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func state(_ id: Int) -> String { states[id] ?? "#\(id)" }
    func role(_ id: Int) -> String { roles[id] ?? "#\(id)" }
    func field(_ id: Int) -> String { fields[id] ?? "#\(id)" }
    func region(_ id: Int) -> String { regions[id]?.name ?? "#\(id)" }
    func regionStart(_ id: Int) -> String? { regions[id]?.start.map(state) }
    func roleList(_ ids: [Int]) -> String { "[" + ids.map(role).sorted().joined(separator: ", ") + "]" }

    /// The chain of enclosing parallel/foreach states, outermost first: "top level" at region 0.
    func place(_ s: StateIR) -> String {
        var path: [String] = []
        var region = regions[s.region]
        var guardCount = 0
        while let r = region, let owner = r.owner, guardCount < 64 {
            path.insert("\(state(owner)).\(r.name)", at: 0)
            region = ir.states.first { $0.id == owner }.flatMap { regions[$0.region] }
            guardCount += 1
        }
        return path.isEmpty ? "top level" : path.joined(separator: " / ")
    }

    func requirement(_ r: RequirementIR) -> String {
        switch r {
        case .expression(let e, let message): "\(e.source)" + (message.map { " (\($0))" } ?? "")
        case .allDone(let f, _, let message): "every item of \(field(f)) done" + (message.map { " (\($0))" } ?? "")
        }
    }

    func target(_ id: Int?, join: Bool) -> String { join ? "join" : id.map(state) ?? "none" }

    /// State names, sorted: a `back_to:` list's order is not its meaning.
    func stateList(_ ids: [Int]) -> String { "[" + ids.map(state).sorted().joined(separator: ", ") + "]" }

    /// The event as short text; `backTo` is its `back_to:` list when it has one.
    func transition(_ t: TransitionIR, backTo: [Int]? = nil) -> String {
        var parts = ["by \(roleList(t.roles))", backTo.map { "back to \(stateList($0))" } ?? "to \(target(t.target, join: t.join))"]
        if let g = t.guardExpr { parts.append("when \(g.source)") }
        if !t.requires.isEmpty { parts.append("requires \(t.requires.map(requirement).joined(separator: "; "))") }
        if !t.fills.isEmpty { parts.append("fills [\(t.fills.map(field).joined(separator: ", "))]") }
        if !t.assignments.isEmpty { parts.append("sets \(t.assignments.map { "\(field($0.field)) = \($0.value.source)" }.joined(separator: ", "))") }
        if let v = t.violation { parts.append("violation \(v)") }
        return parts.joined(separator: ", ")
    }

    func flow(_ s: StateIR) -> String {
        var parts: [String] = []
        if s.then != nil || s.thenJoin { parts.append("then \(target(s.then, join: s.thenJoin))") }
        if !s.choice.isEmpty {
            parts.append("choice " + s.choice.map { "\($0.condition.source) → \(target($0.target, join: false))" }.joined(separator: "; "))
        }
        if let o = s.otherwise { parts.append("otherwise \(state(o))") }
        if let outcome = s.outcome { parts.append("outcome \(outcome)") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    func duration(_ d: DurationIR) -> String { "\(d.amount) \(d.unit.replacingOccurrences(of: "_", with: " "))" }

    func due(_ d: DueIR) -> String {
        var parts: [String] = []
        if let w = d.within { parts.append("within \(duration(w))") }
        if let by = d.by { parts.append("by \(by.source)") }
        if !d.escalate.isEmpty { parts.append("escalate to \(roleList(d.escalate))") }
        if let t = d.target { parts.append("then \(state(t))") }
        if let v = d.violation { parts.append("violation \(v)") }
        return parts.joined(separator: ", ")
    }

    func signoff(_ s: SignoffIR) -> String {
        var parts: [String] = []
        if !s.all.isEmpty { parts.append("all of \(roleList(s.all))") }
        if !s.of.isEmpty {
            // 或签 (`any`) compiles to one of several: named as people write it.
            let n = s.quorum ?? s.of.count
            parts.append(n == 1 && s.of.count > 1 ? "any one of \(roleList(s.of))" : "\(n) of \(roleList(s.of))")
        }
        for c in s.conditional { parts.append("\(role(c.role)) when \(c.condition.source)") }
        return parts.joined(separator: ", ")
    }

    /// 依次: the slots in signing order, a group of parties in brackets.
    func order(_ s: SignoffIR) -> String {
        guard let slots = s.inOrder else { return "any order" }
        return "in order: " + slots.map { $0.count == 1 ? role($0[0]) : roleList($0) }.joined(separator: " → ")
    }

    /// 加签: who may add signers, and where.
    func addSigner(_ a: SignoffAddIR?) -> String {
        guard let a else { return "nobody" }
        return "by \(roleList(a.by)), positions [\(a.positions.sorted().joined(separator: ", "))]"
    }

    /// 催办: the schedule, counted from entering the state.
    func remind(_ r: ReminderIR) -> String {
        var parts = ["after \(duration(r.after))"]
        if let e = r.every { parts.append("every \(duration(e))") }
        if let t = r.times { parts.append("at most \(t) time\(t == 1 ? "" : "s")") }
        if let to = r.to { parts.append("to \(roleList(to))") }
        if r.untilDeadline == true { parts.append("until the deadline") }
        return parts.joined(separator: ", ")
    }

    /// 抄送: the roles told on entering and on leaving.
    func copies(_ c: CarbonCopyIR) -> String {
        var parts: [String] = []
        if let e = c.enter { parts.append("on entering \(roleList(e))") }
        if let l = c.leave { parts.append("on leaving \(roleList(l))") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    func rounds(_ s: StateIR) -> String {
        guard let r = s.roundLimit else { return s.maxRounds.map { "at most \($0)" } ?? "none" }
        var parts: [String] = [r.unbounded == true ? "unbounded" : s.maxRounds.map { "at most \($0)" } ?? "none"]
        if r.target != nil || r.join { parts.append("then \(target(r.target, join: r.join))") }
        if !r.escalate.isEmpty { parts.append("escalate to \(roleList(r.escalate))") }
        if let v = r.violation { parts.append("violation \(v)") }
        return parts.joined(separator: ", ")
    }

    func wait(_ w: WaitIR?) -> String {
        guard let w else { return "none" }
        if let d = w.duration { return duration(d) }
        if let u = w.until { return "until \(u.source)" }
        return "none"
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

import CEL
import Foundation
import WFCCalendar
import WFCIR

/// The pure, deterministic step function: no I/O, no clock, no randomness. The same
/// definition, snapshot, event and `now` always give the same result. See docs/runtime.md.
public enum Engine {
    /// How many states one step may enter before it is stopped as a runaway loop.
    public static let maxAutomaticSteps = 1_000

    /// Starts a case: validates `data` against the schema (defaults applied) and `people`
    /// against the roles and separations, enters the start state and runs to completion.
    ///
    /// Every declared role must be bound to a person; one person may hold several roles unless
    /// a `separate` group keeps them apart. A required field may be missing only when some
    /// state or transition `fills` it later.
    public static func start(_ def: Definition, caseID: String, data: [String: ValueIR], people: [String: String], now: Date) -> StepResult {
        let ir = def.ir
        var issues: [String] = []
        for name in people.keys.sorted() where !ir.roles.contains(where: { $0.name == name }) {
            issues.append("\(name): unknown role (roles: \(ir.roles.map(\.name).joined(separator: ", ")))")
        }
        if !issues.isEmpty { return .refused(Refusal(.unknownRole, "people name roles the workflow does not have", details: issues)) }
        // Roles the policy assigns during the case (`assign:`) are named by that event, not here.
        let later = ir.roles.filter { $0.assigned == true && people[$0.name] != nil }
        if let first = later.first {
            return .refused(Refusal(.assignedLater, "roles assigned during the case cannot be bound at start: \(later.map { "`\($0.name)`" }.joined(separator: ", "))", span: first.span,
                                    details: later.map { "\($0.name) (\($0.title ?? $0.name)) is named by the transition that assigns it: leave it out of `people:`" }))
        }
        for r in ir.roles where r.assigned != true && (people[r.name] ?? "").isEmpty {
            issues.append("\(r.name) (\(r.title ?? r.name)) is not bound to a person")
        }
        if !issues.isEmpty {
            return .refused(Refusal(.unboundRole, "every role must be bound to a person", span: ir.roles.first { $0.assigned != true && (people[$0.name] ?? "").isEmpty }?.span, details: issues))
        }
        if let r = separationRefusal(def, people) { return .refused(r) }
        let (clean, dataIssues) = def.validateData(data, fillableLater: def.storage.fillable, partial: false)
        if !dataIssues.isEmpty { return .refused(Refusal(.invalidData, "the case data does not match the schema", details: dataIssues)) }
        guard let start = ir.regions[0].start else { return .refused(Refusal(.runtimeError, "the workflow has no start state")) }
        let t = Timestamp(now)
        let snap = CaseSnapshot(caseID: caseID, workflowID: ir.id, definitionHash: def.hash, version: 1, data: clean.filter { $0.value != .null },
                                people: people, status: .running, root: RegionInstance(region: 0, item: nil, itemValue: nil, active: nil, rounds: def.emptyRounds(0)),
                                violations: [], escalations: [], processedKeys: [], createdAt: t, updatedAt: t)
        var run = Run(def: def, snap: snap, now: t, strict: true)
        run.trace.reserveCapacity(16)
        do {
            run.trace.append(TraceEntry(.event, note: .start(caseID: caseID)))
            try run.enter(start, at: [])
            try run.settle()
        } catch {
            return .refused(Run.refusal(error))
        }
        run.finish(before: SmallList<OpenTaskEntry.Key>())
        return .accepted(Step(snapshot: run.snap, effects: run.effects, trace: run.trace, duplicate: false))
    }

    /// The first `separate` group of `def` in which one person holds two roles of `people`.
    static func separationRefusal(_ def: Definition, _ people: [String: String]) -> Refusal? {
        let ir = def.ir
        for group in ir.separations {
            var seen: [(person: String, role: String)] = [] // a group has a few roles: no dictionary
            seen.reserveCapacity(group.count)
            for rid in group {
                let name = def.roleName(rid)
                guard let person = people[name] else { continue }
                if let other = seen.first(where: { $0.person == person })?.role {
                    let span = ir.roles.indices.contains(rid) ? ir.roles[rid].span : nil
                    return Refusal(.separationOfDuties, "separation of duties: \(person) cannot be both \(other) and \(name) (separate: [\(group.map(def.roleName).joined(separator: ", "))])", span: span)
                }
                seen.append((person, name))
            }
        }
        return nil
    }

    /// Applies one event. A refusal leaves the case exactly as it was.
    public static func fire(_ def: Definition, _ snapshot: CaseSnapshot, _ event: Event, now: Date) -> StepResult {
        if let r = precheck(def, snapshot, now: now) { return .refused(r) }
        if let key = event.idempotencyKey, snapshot.processedKeys.contains(key) {
            return .accepted(Step(snapshot: snapshot, effects: [], trace: [TraceEntry(.duplicate, "event key \(key) was already accepted")], duplicate: true))
        }
        let before = Run.openTaskKeys(def, snapshot)
        var run = Run(def: def, snap: snapshot, now: Timestamp(now), strict: true)
        run.trace.reserveCapacity(16) // a step traces about ten lines: one allocation, not four
        do {
            run.trace.append(TraceEntry(.event, note: .event(name: event.name, actor: event.actor, item: event.item, actingFor: event.actingFor)))
            if event.reassignment != nil {
                try run.reassign(event)
            } else if event.name == Event.sign || event.name == Event.unsign {
                try run.signature(event)
            } else if event.name == Event.addSigner {
                try run.addSigner(event)
            } else {
                try run.event(event)
            }
            try run.settle()
        } catch {
            return .refused(Run.refusal(error))
        }
        if let key = event.idempotencyKey { run.snap.processedKeys.append(key) }
        run.snap.version += 1
        run.finish(before: before)
        return .accepted(Step(snapshot: run.snap, effects: run.effects, trace: run.trace, duplicate: false))
    }

    /// Fires every timer due at `now`, earliest first: escalations and violations of overdue
    /// deadlines are recorded, overdue `to:` transitions taken, and due waits finished. A timer
    /// that cannot be handled (e.g. missing calendar data) is reported in the trace and skipped;
    /// it never blocks the other timers.
    public static func tick(_ def: Definition, _ snapshot: CaseSnapshot, now: Date) -> StepResult {
        if let r = precheck(def, snapshot, now: now) {
            // Nothing is due on a finished case, nor at a time before its last change.
            if r.kind == .caseFinished || Timestamp(now) < snapshot.updatedAt {
                return .accepted(Step(snapshot: snapshot, effects: [], trace: [], duplicate: false))
            }
            return .refused(r)
        }
        let before = Run.openTaskKeys(def, snapshot)
        var run = Run(def: def, snap: snapshot, now: Timestamp(now), strict: false)
        // Reminders first: those due before a deadline come before its escalation.
        let reminded = run.fireReminders()
        let fired = run.fireTimers() || reminded
        do { try run.settle() } catch {
            run.trace.append(TraceEntry(.error, Run.refusal(error).description))
        }
        if fired { run.snap.version += 1 } else { return .accepted(Step(snapshot: snapshot, effects: [], trace: run.trace, duplicate: false)) }
        run.finish(before: before)
        return .accepted(Step(snapshot: run.snap, effects: run.effects, trace: run.trace, duplicate: false))
    }

    private static func precheck(_ def: Definition, _ s: CaseSnapshot, now: Date) -> Refusal? {
        guard s.definitionHash == def.hash else {
            return Refusal(.definitionMismatch, "case \(s.caseID) was started with definition \(s.definitionHash), not \(def.hash)")
        }
        guard s.status == .running else { return Refusal(.caseFinished, "case \(s.caseID) is already \(s.status.rawValue)") }
        // An audit trail only moves forward: deadlines and history depend on it.
        guard Timestamp(now) >= s.updatedAt else {
            return Refusal(.runtimeError, "case \(s.caseID) was last changed at \(s.updatedAt); a step at \(Timestamp(now)) would go back in time")
        }
        // A snapshot pinned to this definition names only its states and regions; check anyway.
        func valid(_ r: RegionInstance) -> Bool {
            guard def.ir.regions.indices.contains(r.region) else { return false }
            guard let a = r.active else { return true }
            return def.ir.states.indices.contains(a.state) && a.children.allSatisfy(valid)
        }
        guard valid(s.root) else { return Refusal(.runtimeError, "case \(s.caseID): the snapshot names states or regions the definition does not have") }
        return nil
    }
}

/// A path to a region instance: child indices from the top-level region.
typealias Path = [Int]

/// One step in progress: a working copy of the snapshot plus what happened.
struct Run {
    let def: Definition
    var snap: CaseSnapshot
    let now: Timestamp
    /// Fire and start: a blocked automatic exit refuses the step. Tick: it is traced and left.
    let strict: Bool
    var trace: [TraceEntry] = []
    var effects: [Effect] = []
    var steps = 0
    /// How deeply `enter` calls are nested now: automatic steps (a `then`, a choice, a used-up
    /// round limit) enter the next state from inside the previous one.
    private var depth = 0
    /// Every this many nested entries the chain goes on on a fresh, large stack, so that a
    /// long chain of automatic states cannot overflow the caller's (debug frames are large,
    /// and worker threads have small stacks).
    private static let entriesPerStack = 16
    /// Bounded states whose used-up rounds sent this step elsewhere: meeting one again means
    /// the round limits send the case round in a loop.
    /// (Per region instance: each foreach item has rounds of its own.)
    private var redirected: [(path: Path, state: String)] = []
    /// Automatic exits found blocked in this (lenient) step, so that settling terminates.
    var blocked: Set<Path> = []

    init(def: Definition, snap: CaseSnapshot, now: Timestamp, strict: Bool) {
        self.def = def
        self.snap = snap
        self.now = now
        self.strict = strict
    }

    static func refusal(_ error: any Error) -> Refusal {
        (error as? Refusal) ?? Refusal(.runtimeError, "\(error)")
    }

    // MARK: the tree

    func region(_ path: Path) throws(Refusal) -> RegionInstance {
        var r = snap.root
        for i in path {
            guard let a = r.active, a.children.indices.contains(i) else { throw Refusal(.runtimeError, "no region instance at \(path)") }
            r = a.children[i]
        }
        return r
    }

    mutating func modify(_ path: Path, _ body: (inout RegionInstance) throws(Refusal) -> Void) throws(Refusal) {
        try Self.modify(&snap.root, path[...], body)
    }

    private static func modify(_ r: inout RegionInstance, _ path: ArraySlice<Int>, _ body: (inout RegionInstance) throws(Refusal) -> Void) throws(Refusal) {
        guard let i = path.first else { return try body(&r) }
        guard var a = r.active, a.children.indices.contains(i) else { throw Refusal(.runtimeError, "no region instance at this path") }
        try modify(&a.children[i], path.dropFirst(), body)
        r.active = a
    }

    func active(_ path: Path) throws(Refusal) -> ActiveState {
        guard let a = try region(path).active else { throw Refusal(.runtimeError, "region instance \(path) has no active state") }
        return a
    }

    /// Foreach item variables visible at `path`: alias → item value.
    func items(_ path: Path) -> [String: ValueIR] {
        // The top level of a workflow (the usual case) has no item variables.
        if path.isEmpty && snap.root.itemValue == nil { return [:] }
        var out: [String: ValueIR] = [:]
        func add(_ inst: RegionInstance) {
            if let v = inst.itemValue, def.ir.regions.indices.contains(inst.region), let alias = def.ir.regions[inst.region].alias { out[alias] = v }
        }
        var r = snap.root
        add(r)
        for i in path {
            guard let a = r.active, a.children.indices.contains(i) else { break }
            r = a.children[i]
            add(r)
        }
        return out
    }

    /// The foreach item index of the innermost foreach instance on `path`.
    func itemIndex(_ path: Path) -> Int? {
        if path.isEmpty { return nil } // only instances below the top level are items
        var r = snap.root
        var found: Int? = nil
        for i in path {
            guard let a = r.active, a.children.indices.contains(i) else { break }
            r = a.children[i]
            if let it = r.item { found = it }
        }
        return found
    }

    /// Every active state, pre-order (a composite before its children; children in order).
    func allActive() -> [(Path, ActiveState)] {
        var out: [(Path, ActiveState)] = []
        Self.forEachActive(snap.root) { p, a in out.append((p, a)) }
        return out
    }

    /// Visits every active state under `root` in the order of ``allActive()``, without
    /// collecting them. Static, so that callers' closures capture what they use rather than a
    /// copy of the whole run.
    static func forEachActive(_ root: RegionInstance, _ body: (Path, ActiveState) -> Void) {
        forEachActive(root) { p, _, a in body(p, a) }
    }

    /// ``forEachActive(_:_:)`` with each state's ``itemIndex(_:)``, so that a visit need not
    /// read the run.
    static func forEachActive(_ root: RegionInstance, _ body: (Path, Int?, ActiveState) -> Void) {
        func walk(_ r: RegionInstance, _ p: Path, _ item: Int?) {
            guard let a = r.active else { return }
            body(p, item, a)
            for (i, c) in a.children.enumerated() { walk(c, p + [i], c.item ?? item) }
        }
        walk(root, [], nil)
    }

    func person(_ role: String) -> String? { snap.people[role] }

    func rolesOf(_ person: String) -> Set<String> {
        var roles = Set<String>(minimumCapacity: 2)
        for (role, p) in snap.people where p == person { roles.insert(role) }
        return roles
    }

    // MARK: entering and leaving

    mutating func enter(_ stateID: Int, at path: Path) throws(Refusal) {
        depth += 1
        defer { depth -= 1 }
        guard depth % Self.entriesPerStack == 0 else { return try enterHere(stateID, at: path) }
        let result: Result<Void, Refusal>? = DeepStack.tryRun {
            do throws(Refusal) { try self.enterHere(stateID, at: path); return .success(()) } catch { return .failure(error) }
        }
        guard let result else {
            // Going on here could overflow the stack; refusing leaves the case as it was.
            throw Refusal(.runtimeError, "no thread could be started to continue a chain of \(depth) automatic steps (out of memory?)",
                          span: try? def.state(stateID).span)
        }
        try result.get()
    }

    private mutating func enterHere(_ stateID: Int, at path: Path) throws(Refusal) {
        steps += 1
        let s = try def.state(stateID)
        guard steps <= Engine.maxAutomaticSteps else {
            throw Refusal(.runtimeError, "more than \(Engine.maxAutomaticSteps) automatic steps in one step (a loop of automatic transitions?) at state `\(s.name)`", span: s.span)
        }
        var count = 0
        let name = s.name // the closure captures the name, not a copy of the whole state
        try modify(path) { r throws(Refusal) in
            count = (r.rounds[name] ?? 0) + 1
            r.rounds[name] = count
        }
        if let max = s.maxRounds, count > max {
            guard let limit = s.roundLimit, limit.redirects else {
                throw Refusal(.maxRounds, "state `\(s.name)` may be entered at most \(max) times (max_rounds: \(max)); this would be round \(count)", span: s.span)
            }
            return try exhausted(s, limit, max: max, at: path)
        }
        // Entered for real: only redirects back to back can loop.
        redirected.removeAll { $0.path == path }
        var a = ActiveState(state: s.id, name: s.name, enteredAt: now, signoff: nil, timer: nil, children: [])
        trace.append(TraceEntry(.entered, state: name, note: .entered(item: itemIndex(path), round: count), span: s.span))
        if let due = s.due {
            let at = try dueTime(due, path: path, region: s.region)
            a.timer = TimerRecord(kind: .deadline, due: at, escalate: due.escalate.map(def.roleName), target: due.target.map { def.ir.states.indices.contains($0) ? def.state(known: $0).name : "#\($0)" },
                                  violation: due.violation, fired: false, span: due.span)
            trace.append(TraceEntry(.timerSet, state: s.name, note: .deadline(at, provisionalYear: def.provisionalYear(of: at, state: s.ir, kind: .deadline)), span: due.span))
        }
        // 抄送 and 催办: only states that have them pay for them.
        if s.copiedOnEnter != nil { carbonCopy(s, on: .enter) }
        if let r = s.remind { a.reminder = try startReminders(r, a) }
        switch s.kind {
        case .final:
            try modify(path) { r throws(Refusal) in r.active = a }
            let status = CaseStatus(rawValue: s.outcome ?? "completed") ?? .completed
            snap.status = status
            trace.append(TraceEntry(.completed, state: s.name, note: .finished(status), span: s.span))
            effects.append(.caseFinished(status))
        case .choice:
            try modify(path) { r throws(Refusal) in r.active = a }
            let data = snap.data
            let vars = items(path)
            for arm in s.choice {
                let ok = try def.evaluateBool(arm.condition, region: s.region, data: data, items: vars, now: now)
                trace.append(TraceEntry(.guardEvaluated, state: s.name, note: .condition(source: arm.condition.source, value: ok), span: arm.condition.span))
                if ok {
                    try leave(path)
                    return try go(arm.target, join: arm.target == nil, at: path, from: s.span)
                }
            }
            guard let other = s.otherwise else {
                throw Refusal(.runtimeError, "no arm of choice `\(s.name)` holds and it has no otherwise", span: s.span)
            }
            trace.append(TraceEntry(.choice, state: s.name, "otherwise", span: s.span))
            try leave(path)
            try enter(other, at: path)
        case .task:
            try modify(path) { r throws(Refusal) in r.active = a }
            if s.transitions.isEmpty, s.then != nil || s.thenJoin { _ = try exitThen(path) }
        case .signoff:
            guard let so = s.signoff else { throw Refusal(.runtimeError, "sign-off state `\(s.name)` has no parties", span: s.span) }
            var required = so.all.map(def.roleName)
            for c in so.conditional {
                let ok = try def.evaluateBool(c.condition, region: s.region, data: snap.data, items: items(path), now: now)
                trace.append(TraceEntry(.guardEvaluated, state: s.name, note: .party(role: def.roleName(c.role), source: c.condition.source, value: ok), span: c.condition.span))
                if ok, !required.contains(def.roleName(c.role)) { required.append(def.roleName(c.role)) }
            }
            a.signoff = SignoffProgress(entering: so, required: required, roleName: def.roleName)
            try modify(path) { r throws(Refusal) in r.active = a }
            if Run.complete(a.signoff) { _ = try exitThen(path) }
        case .parallel, .foreach:
            var children: [RegionInstance] = []
            if s.kind == .parallel {
                children = s.regions.map { RegionInstance(region: $0, item: nil, itemValue: nil, active: nil, rounds: def.emptyRounds($0)) }
            } else {
                guard let rid = s.regions.first, def.ir.regions.indices.contains(rid), let list = def.ir.regions[rid].list else {
                    throw Refusal(.runtimeError, "foreach state `\(s.name)` has no body", span: s.span)
                }
                let v = try def.evaluate(list, region: s.region, data: snap.data, items: items(path), now: now)
                guard case .list(let elements) = v else { throw Refusal(.runtimeError, "`\(list.source)` is not a list", span: list.span) }
                children = elements.enumerated().map { RegionInstance(region: rid, item: $0.offset, itemValue: Definition.storedValue($0.element), active: nil, rounds: def.emptyRounds(rid)) }
                trace.append(TraceEntry(.entered, state: s.name, "\(elements.count) item(s) of `\(list.source)`", span: list.span))
            }
            a.children = children
            try modify(path) { r throws(Refusal) in r.active = a }
            for (i, c) in children.enumerated() {
                guard def.ir.regions.indices.contains(c.region), let start = def.ir.regions[c.region].start else {
                    throw Refusal(.runtimeError, "region \(c.region) has no start state", span: s.span)
                }
                try enter(start, at: path + [i])
            }
            // Completion (all children joined, including the empty foreach) happens in settle().
        case .wait:
            guard let w = s.wait else { throw Refusal(.runtimeError, "wait state `\(s.name)` has no time", span: s.span) }
            let at = try waitTime(w, path: path, region: s.region, span: s.span)
            a.timer = TimerRecord(kind: .wait, due: at, escalate: [], target: nil, violation: nil, fired: false, span: s.span)
            trace.append(TraceEntry(.timerSet, state: s.name, note: .waitUntil(at, provisionalYear: def.provisionalYear(of: at, state: s.ir, kind: .wait)), span: s.span))
            try modify(path) { r throws(Refusal) in r.active = a }
            if at <= now { _ = try exitThen(path) }
        }
    }

    /// The rounds of `s` are used up and its `max_rounds` names a `then`: the step goes there
    /// instead of entering `s`, recording the escalation and violation as an overdue deadline does.
    private mutating func exhausted(_ s: Definition.StateRef, _ limit: RoundLimitIR, max: Int, at path: Path) throws(Refusal) {
        let name = s.name
        if redirected.contains(where: { $0.path == path && $0.state == name }) {
            let loop = redirected.filter { $0.path == path }.map(\.state) + [name]
            throw Refusal(.maxRounds, "the used-up round limits of \(loop.map { "`\($0)`" }.joined(separator: " → ")) send the case round in a loop", span: limit.span)
        }
        redirected.append((path, name))
        // `s` is not entered: its count stays at the limit.
        try modify(path) { r throws(Refusal) in r.rounds[name] = max }
        let instead = limit.target.map { def.ir.states.indices.contains($0) ? "`\(def.state(known: $0).name)`" : "#\($0)" } ?? "`join`"
        let why = "round limit of `\(name)` reached (\(max))"
        trace.append(TraceEntry(.roundLimit, state: name, "\(why): to \(instead) instead", span: limit.span))
        if !limit.escalate.isEmpty {
            let roles = limit.escalate.map(def.roleName)
            let rec = EscalationRecord(at: now, state: name, roles: roles, people: roles.compactMap(person), due: now, span: limit.span, reason: why)
            snap.escalations.append(rec)
            effects.append(.escalation(rec))
            trace.append(TraceEntry(.escalation, state: name, "escalated to \(roles.joined(separator: ", "))", span: limit.span))
        }
        if let v = limit.violation {
            let rec = ViolationRecord(at: now, state: name, message: v, clause: limit.clause ?? s.clause, span: limit.span)
            snap.violations.append(rec)
            effects.append(.violation(rec))
            trace.append(TraceEntry(.violation, state: name, v, span: limit.span))
        }
        try go(limit.target, join: limit.join, at: path, from: limit.span)
    }

    static func complete(_ p: SignoffProgress?) -> Bool {
        guard let p else { return false }
        // A sign-off has a few parties: searching the signatures beats building a set.
        func signed(_ r: String) -> Bool { p.signatures.contains { $0.role == r } }
        guard p.required.allSatisfy(signed) else { return false }
        if let q = p.quorum { return p.of.filter(signed).count >= q }
        return true
    }

    mutating func leave(_ path: Path) throws(Refusal) {
        // Only the name is needed: the top level (the usual case) is read in place.
        let name: String
        let id: Int
        if path.isEmpty, let a = snap.root.active { name = a.name; id = a.state } else { let a = try active(path); name = a.name; id = a.state }
        trace.append(TraceEntry(.left, state: name, note: .left))
        if let s = try? def.state(id), s.copiedOnLeave != nil { carbonCopy(s, on: .leave) }
    }

    /// Moves the region instance at `path` to `target`, or finishes it (`join`).
    mutating func go(_ target: Int?, join: Bool, at path: Path, from span: SpanIR) throws(Refusal) {
        if let target { return try enter(target, at: path) }
        guard join, !path.isEmpty else { throw Refusal(.runtimeError, "a transition without a target outside a branch", span: span) }
        try modify(path) { r throws(Refusal) in r.active = nil }
        trace.append(TraceEntry(.joined, "branch or item \(path) reached join", span: span))
    }

    /// Leaves the state at `path` through its `then`, after checking its `requires`. Returns
    /// false when a requirement fails in a lenient step (the state stays).
    mutating func exitThen(_ path: Path) throws(Refusal) -> Bool {
        let a = try active(path)
        let s = try def.state(a.state)
        if let failure = try failedRequirement(s.requires, region: s.region, data: snap.data, path: path) {
            if strict { throw failure }
            blocked.insert(path)
            trace.append(TraceEntry(.blocked, state: s.name, failure.message, span: failure.span))
            return false
        }
        if s.thenJoin {
            try leave(path)
            try go(nil, join: true, at: path, from: s.span)
            return true
        }
        guard let then = s.then else { throw Refusal(.runtimeError, "state `\(s.name)` is complete but has no `then`", span: s.span) }
        try leave(path)
        try enter(then, at: path)
        return true
    }

    /// Completes composite states whose branches or items have all reached `join`, innermost
    /// first, until nothing changes.
    mutating func settle() throws(Refusal) {
        while snap.status == .running {
            // The last ready composite in tree order: the innermost first.
            var ready: (Path, ActiveState)?
            let def = self.def, blocked = self.blocked
            Self.forEachActive(snap.root) { p, a in
                guard def.ir.states.indices.contains(a.state) else { return }
                let kind = def.state(known: a.state).kind
                guard kind == .parallel || kind == .foreach else { return }
                if a.children.allSatisfy(\.finished) && !blocked.contains(p) { ready = (p, a) }
            }
            guard let (path, a) = ready else { return }
            trace.append(TraceEntry(.completed, state: a.name, "every branch or item of `\(a.name)` reached join"))
            steps += 1
            guard steps <= Engine.maxAutomaticSteps else { throw Refusal(.runtimeError, "more than \(Engine.maxAutomaticSteps) automatic steps in one step") }
            _ = try exitThen(path)
        }
    }

    /// The first failing requirement, as a refusal.
    func failedRequirement(_ reqs: [RequirementIR], region: Int, data: [String: ValueIR], path: Path) throws(Refusal) -> Refusal? {
        for q in reqs {
            switch q {
            case .expression(let e, let message):
                if try !def.evaluateBool(e, region: region, data: data, items: items(path), now: now) {
                    return Refusal(.requirementFailed, message ?? "requirement `\(e.source)` does not hold", span: e.span)
                }
            case .allDone(let fid, let span, let message):
                let name = def.fieldName(fid)
                guard case .list(let list)? = data[name] else {
                    return Refusal(.requirementFailed, message ?? "every item of `\(name)` must be done", span: span, details: ["\(name) has no items yet"])
                }
                var missing: [String] = []
                for (i, item) in list.enumerated() {
                    guard case .map(let m) = item, m["done"] == .bool(true) else {
                        var label = "\(name)[\(i)]"
                        if case .map(let m) = item, let n = Show.itemLabel(m, fields: def.checklistFields(fid)) { label += " \(n)" }
                        missing.append(label + " is not done")
                        continue
                    }
                }
                if !missing.isEmpty {
                    return Refusal(.requirementFailed, (message ?? "every item of `\(name)` must be done") + " (\(missing.count) of \(list.count) not done)", span: span, details: missing)
                }
            }
        }
        return nil
    }

    // MARK: deadlines

    func dueTime(_ due: DueIR, path: Path, region: Int) throws(Refusal) -> Timestamp {
        if let w = due.within { return try after(w, span: due.span) }
        if let by = due.by {
            let v = try def.evaluate(by, region: region, data: snap.data, items: items(path), now: now)
            switch v {
            case .date(let d): return try endOfDay(d, span: by.span)
            case .timestamp(let t): return Timestamp(seconds: t.seconds)
            default: throw Refusal(.runtimeError, "`\(by.source)` is not a date or timestamp (got \(v.typeName))", span: by.span)
            }
        }
        throw Refusal(.runtimeError, "a deadline without `within` or `by`", span: due.span)
    }

    func waitTime(_ w: WaitIR, path: Path, region: Int, span: SpanIR) throws(Refusal) -> Timestamp {
        if let d = w.duration { return try after(d, span: span) }
        if let until = w.until {
            let v = try def.evaluate(until, region: region, data: snap.data, items: items(path), now: now)
            switch v {
            case .date(let d): return try startOfDay(d, span: until.span)
            case .timestamp(let t): return Timestamp(seconds: t.seconds)
            default: throw Refusal(.runtimeError, "`\(until.source)` is not a date or timestamp (got \(v.typeName))", span: until.span)
            }
        }
        throw Refusal(.runtimeError, "a wait without `until` or a duration", span: span)
    }

    /// `now` plus a duration; working days use the calendar, other units the calendar's time zone (UTC without one).
    func after(_ d: DurationIR, span: SpanIR) throws(Refusal) -> Timestamp {
        let n = d.amount
        do {
            if d.unit == "working_days" {
                // In place: a copy of the calendar costs as much as the sum.
                guard let due = try def.storage.calendar?.deadline(after: now.date, workingDays: n) else {
                    throw Refusal(.calendar, "working-day deadlines need a calendar; the workflow names none", span: span)
                }
                return Timestamp(due)
            }
            var months = 0, weeks = 0, days = 0, hours = 0, minutes = 0
            switch d.unit {
            case "months": months = n
            case "weeks": weeks = n
            case "days": days = n
            case "hours": hours = n
            case "minutes": minutes = n
            default: throw Refusal(.runtimeError, "unknown duration unit `\(d.unit)`", span: span)
            }
            if let cal = def.calendar {
                return Timestamp(try cal.deadline(after: now.date, months: months, weeks: weeks, days: days, hours: hours, minutes: minutes))
            }
            var g = Calendar(identifier: .gregorian)
            g.timeZone = TimeZone(identifier: "UTC") ?? g.timeZone
            var comps = DateComponents()
            comps.month = months
            comps.day = weeks * 7 + days
            comps.hour = hours
            comps.minute = minutes
            guard let r = g.date(byAdding: comps, to: now.date) else { throw Refusal(.runtimeError, "deadline out of range", span: span) }
            return Timestamp(r)
        } catch let e as CalendarError {
            throw Refusal(.calendar, "cannot compute the deadline: \(e.description)", span: span)
        } catch let r as Refusal {
            throw r
        } catch {
            throw Refusal(.runtimeError, "cannot compute the deadline: \(error)", span: span)
        }
    }

    /// The end of local date `d` (24:00, the start of the next day) in the calendar's time zone.
    func endOfDay(_ d: CELDate, span: SpanIR) throws(Refusal) -> Timestamp {
        try startOfDay(CELDate(daysSinceEpoch: d.daysSinceEpoch + 1), span: span)
    }

    /// 00:00 of local date `d` in the calendar's time zone (UTC without a calendar).
    func startOfDay(_ d: CELDate, span: SpanIR) throws(Refusal) -> Timestamp {
        guard let cd = CalendarDate(daysSinceEpoch: Int(d.daysSinceEpoch)) else { throw Refusal(.runtimeError, "date \(d) is out of range", span: span) }
        if let cal = def.calendar { return Timestamp(cal.startOfDay(cd)) }
        return Timestamp(seconds: Int64(cd.daysSinceEpoch) * 86_400)
    }

    // MARK: results

    /// Keys of open tasks (to notify only newly opened ones). A case has a few open tasks at
    /// a time, so a list is cheaper than a set.
    static func openTaskKeys(_ def: Definition, _ snap: CaseSnapshot) -> SmallList<OpenTaskEntry.Key> {
        var keys = SmallList<OpenTaskEntry.Key>()
        guard snap.status == .running else { return keys }
        forEachActive(snap.root) { p, a in
            if isOpenTask(def, a) { keys.append(OpenTaskEntry.Key(state: a.state, path: p, enteredAt: a.enteredAt)) }
        }
        return keys
    }

    /// Ends a step: the update time, and an effect for every newly opened task. The caller
    /// then builds the ``Step`` from the run's last use, so that nothing is copied.
    mutating func finish(before: SmallList<OpenTaskEntry.Key>) {
        snap.updatedAt = now
        guard snap.status == .running else { return }
        // Only newly opened tasks are described (the others are not even collected). The
        // visit appends to a local list and captures no part of the run (that copied it).
        var effects: [Effect] = []
        swap(&effects, &self.effects)
        let def = self.def, people = snap.people // captured instead of the whole run
        Self.forEachActive(snap.root) { path, item, a in
            if Self.isOpenTask(def, a) && !before.contains(OpenTaskEntry.Key(state: a.state, path: path, enteredAt: a.enteredAt)) {
                let roles = Self.roles(def, a)
                effects.append(.taskOpened(state: a.name, item: item, events: Self.events(def, a), roles: roles,
                                           people: roles.map { Self.signer($0, people: people, holders: a.holders, signoff: a.signoff) ?? "" }))
            }
        }
        self.effects = effects
    }
}

import Foundation
import Testing
import TestSupport
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCLedger
import WFCMigration
import WFCRuntime
import WFCStore

/// A policy of `workflows/`, and a new version of it made by replacing text.
struct Policy {
    var name: String
    var text: String

    init(_ name: String) throws {
        self.name = name
        text = try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/\(name).yaml"), encoding: .utf8)
    }

    func edited(_ pairs: [(String, String)]) -> Policy {
        var p = self
        for (a, b) in pairs {
            #expect(p.text.contains(a), "`\(a)` is in \(name).yaml")
            p.text = p.text.replacingOccurrences(of: a, with: b)
        }
        return p
    }

    func compiled() throws -> Definition {
        let r = WorkflowCompiler().compile(SourceFile(path: "\(name).yaml", text: text))
        guard let ir = r.ir else {
            throw Failure("\(name).yaml does not compile: \(HumanRenderer().render(r.diagnostics, sources: SourceMap(r.sources)))")
        }
        return try Definition(ir)
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Compiles a plan's text against two definitions; fails the test on an error.
func plan(_ yaml: String, _ old: Definition, _ new: Definition, warnings: [String] = []) throws -> MigrationPlanIR {
    let r = MigrationPlanCompiler().compile(SourceFile(path: "plan.migrate.yaml", text: yaml), old: old.ir, new: new.ir)
    #expect(r.diagnostics.map(\.code.rawValue) == warnings, "\(r.diagnostics.map(\.message))")
    guard let p = r.plan else { throw Failure("the plan has errors: \(r.diagnostics.map(\.message))") }
    return p
}

/// An RFC 3339 time with any UTC offset.
func at(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    guard let d = f.date(from: text) else {
        Issue.record("`\(text)` is not RFC 3339")
        return Date(timeIntervalSince1970: 0)
    }
    return d
}

/// A fresh SQLite ledger.
func ledger() throws -> Ledger {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-migrate-\(UUID().uuidString)/store.sqlite").path
    return Ledger(try SQLiteRepository(path: path))
}

@discardableResult
func fire(_ l: Ledger, _ id: String, _ e: Event, _ t: String) async throws -> Step {
    switch try await l.fire(id, e, now: at(t)) {
    case .accepted(let s, _): return s
    case .refused(let r, _): throw Failure("\(e.name) refused: \(r)")
    case .replayed: throw Failure("\(e.name) replayed")
    }
}

func migrated(_ o: MigrateOutcome) throws -> Step {
    guard case .migrated(let s, _) = o else { throw Failure("not migrated: \(o)") }
    return s
}

func activeNames(_ s: CaseSnapshot) -> [String] {
    var out: [String] = []
    func walk(_ r: RegionInstance) {
        guard let a = r.active else { return }
        out.append(a.name)
        a.children.forEach(walk)
    }
    walk(s.root)
    return out
}

func expectVerified(_ l: Ledger, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let r = try await l.verify(id)
    #expect(r.ok, "verify \(id): \(r.problems)", sourceLocation: sourceLocation)
}

/// 业务部离职交接: a case inside the parallel `projects`, and one in the `follow_up` wait.
@Suite struct ParallelAndWaitMigrationTests {
    static let people = ["leaver": "zhang.san", "successor": "li.si", "manager": "wang.wu"]
    static let t0 = "2025-10-20T09:00:00+08:00"

    static func startInProjects(_ l: Ledger, _ def: Definition, _ id: String) async throws {
        guard case .started = try await l.start(def, caseID: id, data: ["last_day": .string("2025-10-31")], people: people, actor: nil, now: at(t0)) else {
            throw Failure("start refused")
        }
        try await fire(l, id, Event("ready", actor: "zhang.san", payload: [
            "document": .string("工作职责"), "projects": .list([.map(["name": .string("地铁项目")])]),
            "contacts": .list([.map(["name": .string("陈会计"), "kind": .string("colleague")])]),
            "files": .list([.map(["name": .string("合同")])]),
        ]), "2025-10-21T09:00:00+08:00")
        try await fire(l, id, Event("held", actor: "li.si"), "2025-10-22T09:00:00+08:00")
        try await fire(l, id, Event("archived", actor: "zhang.san", payload: ["files": .list([.map(["name": .string("合同"), "done": .bool(true)])])]),
                       "2025-10-23T09:00:00+08:00")
    }

    static let old = try! Policy("business-dept-handover")
    /// `support` renamed `assist`; the wait ends a day later.
    static let new = old.edited([("start: support", "start: assist"), ("          support:\n", "          assist:\n"),
                                 ("add_days(case.last_day, 1)", "add_days(case.last_day, 2)")])

    @Test func aCaseInsideParallelBranchesMovesWithItsBranchesAndReplays() async throws {
        let v1 = try Self.old.compiled(), v2 = try Self.new.compiled()
        let p = try plan("from: a.yaml\nto: b.yaml\nstates:\n  support: assist\ndeadlines: recompute\n", v1, v2)
        let l = try ledger()
        try await Self.startInProjects(l, v1, "B1")
        // A checkpoint signed before the migration names the old definition.
        let before = try await l.load("B1")
        let head = Checkpoint.Head(caseID: "B1", seq: before.headSeq, headHash: before.headHash, definitionHash: v1.hash)
        let step = try migrated(try await l.migrate("B1", plan: p, to: v2, actor: "hr.admin", now: at("2025-10-24T09:00:00+08:00")))
        // The joined archive branch stays joined; the others continue under their new names.
        #expect(activeNames(step.snapshot) == ["projects", "assist", "introduce"])
        #expect(step.snapshot.definitionHash == v2.hash)
        try await expectVerified(l, "B1")
        // The case runs on the new version: its branches finish and the new wait rule applies.
        try await fire(l, "B1", Event("supported", actor: "li.si", payload: ["projects": .list([.map(["name": .string("地铁项目"), "done": .bool(true)])])]),
                       "2025-10-25T09:00:00+08:00")
        let done = try await fire(l, "B1", Event("introduced", actor: "li.si",
                                                 payload: ["contacts": .list([.map(["name": .string("陈会计"), "kind": .string("colleague"), "done": .bool(true)])])]),
                                  "2025-10-26T09:00:00+08:00")
        #expect(activeNames(done.snapshot) == ["follow_up"])
        #expect(done.snapshot.root.active?.timer?.due == Timestamp(rfc3339: "2025-11-01T16:00:00Z"))
        try await expectVerified(l, "B1")
        let history = try await l.history("B1")
        #expect(history.filter { $0.kind == .migrate }.count == 1)
        let checked = try await l.verify("B1", checkpoint: head)
        #expect(checked.ok, "\(checked.problems)")
        var wrong = head
        wrong.definitionHash = v2.hash
        #expect(try await l.verify("B1", checkpoint: wrong).ok == false)
    }

    @Test func aWaitIsKeptOrRecomputedFromItsEntry() async throws {
        let v1 = try Self.old.compiled(), v2 = try Self.new.compiled()
        let l = try ledger()
        for id in ["W1", "W2"] {
            try await Self.startInProjects(l, v1, id)
            try await fire(l, id, Event("supported", actor: "li.si", payload: ["projects": .list([.map(["name": .string("地铁项目"), "done": .bool(true)])])]),
                           "2025-10-25T09:00:00+08:00")
            try await fire(l, id, Event("introduced", actor: "li.si",
                                        payload: ["contacts": .list([.map(["name": .string("陈会计"), "kind": .string("colleague"), "done": .bool(true)])])]),
                           "2025-10-26T09:00:00+08:00")
        }
        let keep = try plan("from: a.yaml\nto: b.yaml\nstates:\n  support: assist\ndeadlines: keep\n", v1, v2)
        let again = try plan("from: a.yaml\nto: b.yaml\nstates:\n  support: assist\ndeadlines: recompute\n", v1, v2)
        let kept = try migrated(try await l.migrate("W1", plan: keep, to: v2, actor: nil, now: at("2025-10-27T09:00:00+08:00")))
        let recomputed = try migrated(try await l.migrate("W2", plan: again, to: v2, actor: nil, now: at("2025-10-27T09:00:00+08:00")))
        #expect(kept.snapshot.root.active?.timer?.due == Timestamp(rfc3339: "2025-10-31T16:00:00Z"))
        #expect(recomputed.snapshot.root.active?.timer?.due == Timestamp(rfc3339: "2025-11-01T16:00:00Z"))
        // The entry time is the old one: recomputing does not restart the state.
        #expect(recomputed.snapshot.root.active?.enteredAt == Timestamp(rfc3339: "2025-10-26T01:00:00Z"))
        try await expectVerified(l, "W1")
        try await expectVerified(l, "W2")
        // The kept wait ends on the old day; tick finishes it and the case goes on.
        let ticked = try await l.tick(now: at("2025-11-01T09:00:00+08:00"))
        #expect(ticked.map(\.caseID) == ["W1"])
        try await expectVerified(l, "W1")
    }

    @Test func aDryRunWritesNothing() async throws {
        let v1 = try Self.old.compiled(), v2 = try Self.new.compiled()
        let p = try plan("from: a.yaml\nto: b.yaml\nstates:\n  support: assist\ndeadlines: keep\n", v1, v2)
        let l = try ledger()
        try await Self.startInProjects(l, v1, "D1")
        let before = try await l.history("D1")
        guard case .wouldMigrate(let s) = try await l.migrate("D1", plan: p, to: v2, actor: nil, now: at("2025-10-24T09:00:00+08:00"), dryRun: true) else {
            throw Failure("the dry run did not say it would migrate")
        }
        #expect(activeNames(s.snapshot) == ["projects", "assist", "introduce"])
        #expect(try await l.history("D1") == before)
        #expect(try await l.load("D1").definition.hash == v1.hash)
    }
}

/// 客户交接: a case inside the foreach `visits`, its first visit half signed.
@Suite struct ForeachAndSignoffMigrationTests {
    static let people = ["receiver": "li.si", "leaver": "zhang.san", "supervisor": "wang.wu", "witness": "zhao.liu", "manager": "qian.qi"]
    static let old = try! Policy("customer-handover")
    /// The visit sign-off renamed `meet`.
    static let new = old.edited([("start: visit", "start: meet"), ("      visit:\n", "      meet:\n")])

    static func material(_ name: String, _ medium: String, done: Bool) -> ValueIR {
        .map(["name": .string(name), "medium": .string(medium), "done": .bool(done)])
    }

    /// Starts `id` and drives it into `visits`, with the leaver's signature on item 0.
    static func startInVisits(_ l: Ledger, _ def: Definition, _ id: String, people: [String: String] = people) async throws {
        let data: [String: ValueIR] = [
            "plan": .string("两周内完成两家客户的交接"),
            "materials": .list([material("合同原件", "paper", done: false)]),
            "customers": .list([.map(["name": .string("华东机电")]), .map(["name": .string("北方电气")])]),
        ]
        guard case .started = try await l.start(def, caseID: id, data: data, people: people, actor: nil, now: at("2025-11-03T09:00:00+08:00")) else {
            throw Failure("start refused")
        }
        let p = people
        var t = 3
        func step(_ e: Event) async throws {
            t += 1
            try await fire(l, id, e, "2025-11-\(t < 10 ? "0" : "")\(t)T09:00:00+08:00")
        }
        try await step(Event("issued", actor: p["supervisor"] ?? ""))
        try await step(Event("submit", actor: p["leaver"] ?? ""))
        try await step(Event("pass", actor: p["supervisor"] ?? ""))
        try await step(Event("approve", actor: p["manager"] ?? ""))
        try await step(Event("handed_over", actor: p["receiver"] ?? "", payload: ["materials": .list([material("合同原件", "paper", done: true)])]))
        try await step(Event("sign", actor: p["leaver"] ?? ""))
        try await step(Event("sign", actor: p["receiver"] ?? ""))
        try await step(Event("pass", actor: p["supervisor"] ?? ""))
        try await step(Event("sign", actor: p["leaver"] ?? "", item: 0))
    }

    @Test(arguments: [MigrationPlanIR.Signatures.keep, .reset])
    func aHalfSignedSignoffInAForeachItem(_ signatures: MigrationPlanIR.Signatures) async throws {
        let v1 = try Self.old.compiled(), v2 = try Self.new.compiled()
        let p = try plan("from: a.yaml\nto: b.yaml\nstates:\n  visit: meet\nsignatures: \(signatures.rawValue)\n", v1, v2)
        let l = try ledger()
        try await Self.startInVisits(l, v1, "F1")
        let s = try migrated(try await l.migrate("F1", plan: p, to: v2, actor: "hr.admin", now: at("2025-11-20T09:00:00+08:00")))
        #expect(activeNames(s.snapshot) == ["visits", "meet", "meet"])
        let items = s.snapshot.root.active?.children ?? []
        #expect(items.map(\.item) == [0, 1])
        #expect(items.first?.active?.signoff?.signatures.map(\.role) == (signatures == .keep ? ["leaver"] : []))
        try await expectVerified(l, "F1")
        // Finish both visits on the new version.
        if signatures == .reset { try await fire(l, "F1", Event("sign", actor: "zhang.san", item: 0), "2025-11-21T09:00:00+08:00") }
        try await fire(l, "F1", Event("sign", actor: "li.si", item: 0), "2025-11-21T10:00:00+08:00")
        try await fire(l, "F1", Event("sign", actor: "zhang.san", item: 1), "2025-11-21T11:00:00+08:00")
        let last = try await fire(l, "F1", Event("sign", actor: "li.si", item: 1), "2025-11-21T12:00:00+08:00")
        #expect(activeNames(last.snapshot) == ["visits_review"])
        try await expectVerified(l, "F1")
    }

    @Test func aCaseThatBreaksANewSeparationIsRefusedAndStays() async throws {
        let v1 = try Self.old.compiled()
        let v2 = try Self.new.edited([("  - {roles: [receiver, supervisor, manager], clause: 9、13}\n",
                                       "  - {roles: [receiver, supervisor, manager], clause: 9、13}\n  - {roles: [witness, manager], assumption: 监交人不得兼任分管经理}\n")]).compiled()
        let p = try plan("from: a.yaml\nto: b.yaml\nstates:\n  visit: meet\nsignatures: keep\n", v1, v2, warnings: ["WFC8139"])
        let l = try ledger()
        try await Self.startInVisits(l, v1, "OK")
        var doubled = Self.people
        doubled["witness"] = "qian.qi"
        try await Self.startInVisits(l, v1, "BAD", people: doubled)
        let before = try await l.history("BAD")
        guard case .refused(let r) = try await l.migrate("BAD", plan: p, to: v2, actor: nil, now: at("2025-11-20T09:00:00+08:00")) else {
            throw Failure("BAD was migrated")
        }
        #expect(r.kind == .separationOfDuties)
        #expect(try await l.history("BAD") == before)
        #expect(try await l.load("BAD").definition.hash == v1.hash)
        _ = try migrated(try await l.migrate("OK", plan: p, to: v2, actor: nil, now: at("2025-11-20T09:00:00+08:00")))
        #expect(try await l.runningCases(of: v1.hash) == ["BAD"])
        #expect(try await l.runningCases(of: v2.hash) == ["OK"])
        try await expectVerified(l, "OK")
        try await expectVerified(l, "BAD")
    }
}

/// Values computed over the old data, and what the static proof rejects.
@Suite struct MigrationPlanTests {
    static let old = try! Policy("business-dept-handover")

    @Test func aNewRequiredFieldGetsItsValueFromTheOldData() async throws {
        let v1 = try Self.old.compiled()
        let v2 = try Self.old.edited([("  training_needed: {type: bool, default: false, title: 需要培训}\n",
                                       "  training_needed: {type: bool, default: false, title: 需要培训}\n  handover_days: {type: int, title: 交接天数}\n")]).compiled()
        let bad = MigrationPlanCompiler().compile(SourceFile(path: "p.migrate.yaml", text: "from: a\nto: b\n"), old: v1.ir, new: v2.ir)
        #expect(bad.plan == nil && bad.diagnostics.map(\.code.rawValue) == ["WFC8135"])
        let wrong = MigrationPlanCompiler().compile(SourceFile(path: "p.migrate.yaml", text: "from: a\nto: b\nvalues:\n  handover_days: \"case.document\"\n"),
                                                    old: v1.ir, new: v2.ir)
        #expect(wrong.diagnostics.map(\.code.rawValue) == ["WFC8136"])
        let p = try plan("from: a\nto: b\nvalues:\n  handover_days: \"case.training_needed ? 10 : 5\"\n", v1, v2)
        let l = try ledger()
        try await ParallelAndWaitMigrationTests.startInProjects(l, v1, "V1")
        let s = try migrated(try await l.migrate("V1", plan: p, to: v2, actor: nil, now: at("2025-10-24T09:00:00+08:00")))
        #expect(s.snapshot.data["handover_days"] == .int(5))
        try await expectVerified(l, "V1")
    }

    @Test func theCompiledPlanRoundTripsAndHashesStably() throws {
        let v1 = try Self.old.compiled()
        let p = try plan("from: a\nto: b\n", v1, v1)
        let decoded = try JSONDecoder().decode(MigrationPlanIR.self, from: try p.canonicalJSON())
        #expect(decoded == p)
        #expect(try decoded.hash() == p.hash())
        #expect(p.states["support"] == "support" && p.states["done"] == nil)
    }
}

/// A small seeded generator: the same seed gives the same cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Property: a case of 业务部离职交接 stopped after a random number of steps of its happy path,
/// migrated to a copy with a random set of states renamed (and deadlines kept or recomputed at
/// random), finishes on the new version with the rest of the path, and verifies by replay.
@Suite struct RenamedStatesPropertyTests {
    static let renamable = ["prepare", "meeting", "training", "support", "introduce", "archive_files", "follow_up", "check_in", "help"]

    static func steps() -> [(Event?, String)] {
        let projects: ValueIR = .list([.map(["name": .string("地铁项目"), "done": .bool(true)])])
        let contacts: ValueIR = .list([.map(["name": .string("陈会计"), "kind": .string("colleague"), "done": .bool(true)])])
        return [
            (Event("ready", actor: "zhang.san", payload: [
                "document": .string("工作职责"), "projects": .list([.map(["name": .string("地铁项目")])]),
                "contacts": .list([.map(["name": .string("陈会计"), "kind": .string("colleague")])]),
                "files": .list([.map(["name": .string("合同")])]),
            ]), "2025-10-21T09:00:00+08:00"),
            (Event("held", actor: "li.si"), "2025-10-22T09:00:00+08:00"),
            (Event("archived", actor: "zhang.san", payload: ["files": .list([.map(["name": .string("合同"), "done": .bool(true)])])]), "2025-10-23T09:00:00+08:00"),
            (Event("supported", actor: "li.si", payload: ["projects": projects]), "2025-10-24T09:00:00+08:00"),
            (Event("introduced", actor: "li.si", payload: ["contacts": contacts]), "2025-10-25T09:00:00+08:00"),
            (nil, "2025-11-03T09:00:00+08:00"), // a tick: the follow-up wait ends
            (Event("needs_help", actor: "li.si"), "2025-11-04T09:00:00+08:00"),
            (Event("helped", actor: "wang.wu"), "2025-11-05T09:00:00+08:00"),
            (Event("settled", actor: "wang.wu"), "2025-11-06T09:00:00+08:00"),
        ]
    }

    @Test(arguments: 0..<12)
    func aMigratedCaseFinishesAndVerifies(_ seed: Int) async throws {
        var rng = SplitMix64(state: UInt64(seed) &* 7919 &+ 1)
        let old = try Policy("business-dept-handover")
        let renamed = Self.renamable.filter { _ in Bool.random(using: &rng) }
        var text = old.text
        for n in renamed {
            text = text.replacingOccurrences(of: "\\b\(n)\\b", with: "\(n)_v2", options: .regularExpression)
        }
        var newPolicy = old
        newPolicy.text = text
        let v1 = try old.compiled(), v2 = try newPolicy.compiled()
        let deadlines = Bool.random(using: &rng) ? "keep" : "recompute"
        let map = renamed.isEmpty ? "" : "states:\n" + renamed.map { "  \($0): \($0)_v2\n" }.joined()
        let p = try plan("from: a\nto: b\n\(map)deadlines: \(deadlines)\n", v1, v2)
        let all = Self.steps()
        let cut = Int.random(in: 0..<all.count, using: &rng)
        let l = try ledger()
        let id = "P\(seed)"
        guard case .started = try await l.start(v1, caseID: id, data: ["last_day": .string("2025-10-31")], people: ParallelAndWaitMigrationTests.people,
                                              actor: nil, now: at("2025-10-20T09:00:00+08:00")) else { throw Failure("start refused") }
        func run(_ step: (Event?, String)) async throws {
            if let e = step.0 { try await fire(l, id, e, step.1) } else { _ = try await l.tick(now: at(step.1)) }
        }
        for s in all[..<cut] { try await run(s) }
        let migrateAt = cut > 0 ? all[cut - 1].1 : "2025-10-20T10:00:00+08:00"
        _ = try migrated(try await l.migrate(id, plan: p, to: v2, actor: nil, now: at(migrateAt)))
        for s in all[cut...] { try await run(s) }
        let final = try await l.load(id)
        #expect(final.snapshot.status == .completed, "seed \(seed), cut \(cut), renamed \(renamed): \(activeNames(final.snapshot))")
        #expect(final.definition.hash == v2.hash)
        // The guarantees hold: every checklist is done at the end.
        for f in ["projects", "contacts", "files"] {
            guard case .list(let items)? = final.snapshot.data[f] else { Issue.record("no \(f)"); continue }
            #expect(items.allSatisfy { item in
                if case .map(let m) = item { return m["done"] == .bool(true) }
                return false
            }, "\(f) done")
        }
        try await expectVerified(l, id)
    }
}

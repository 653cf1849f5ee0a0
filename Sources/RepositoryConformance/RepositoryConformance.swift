import Foundation
import WFCIR
import WFCLedger
import WFCRuntime

/// What a backend gives the conformance suite: fresh, empty stores.
public struct ConformanceSubject: Sendable {
    /// A repository on a fresh, empty store.
    public var repository: any CaseRepository
    /// A second repository on the SAME store (another connection, as another process or server
    /// would open): for races and leases.
    public var second: any CaseRepository
    /// The compiled company handover policy (`Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json`):
    /// the checks fire its events.
    public var definition: Definition
    /// Raw access behind the repository's back, as someone editing the database would: sets
    /// the actor of event `seq` of a case and recomputes that row's hash (so that only the
    /// chain's link to the next event, or the case's head, betrays it).
    public var editEventActor: @Sendable (_ caseID: String, _ seq: Int, _ actor: String) async throws -> Void

    public init(repository: any CaseRepository, second: any CaseRepository, definition: Definition,
                editEventActor: @escaping @Sendable (_ caseID: String, _ seq: Int, _ actor: String) async throws -> Void) {
        self.repository = repository
        self.second = second
        self.definition = definition
        self.editEventActor = editEventActor
    }
}

/// Makes a ``ConformanceSubject`` on a fresh store; called once per check.
public typealias ConformanceFactory = @Sendable () async throws -> ConformanceSubject

/// A check the suite found failing.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public var description: String
}

/// The one suite, written against ``CaseRepository`` through the ``Ledger``, that every
/// backend must pass (docs/store.md, "A new backend"). Each check takes a factory of fresh
/// stores and throws ``ConformanceFailure`` (or the store's error) when the backend breaks a
/// guarantee. Run every check from a test target:
///
/// ```swift
/// @Test(arguments: RepositoryConformance.names)
/// func conformance(_ name: String) async throws { try await RepositoryConformance.run(name, factory) }
/// ```
public enum RepositoryConformance {
    /// Every check, by name.
    public static let checks: [(name: String, run: @Sendable (ConformanceFactory) async throws -> Void)] = [
        ("startFireAndRefusal", startFireAndRefusal),
        ("idempotency", idempotency),
        ("racingWritersExactlyOneWins", racingWritersExactlyOneWins),
        ("appendAllConflictFailsAlone", appendAllConflictFailsAlone),
        ("tickByNextDue", tickByNextDue),
        ("listPagingAndFilters", listPagingAndFilters),
        ("verifyDetectsAnEditedRow", verifyDetectsAnEditedRow),
        ("deployVersions", deployVersions),
        ("taskIndex", taskIndex),
        ("outbox", outbox),
        ("timerLeases", timerLeases),
        ("migrationRepinsTheCase", migrationRepinsTheCase),
        ("substitutesAddListRevoke", substitutesAddListRevoke),
        ("substitutesRacingAddsOneWins", substitutesRacingAddsOneWins),
        ("webSessionsShared", webSessionsShared),
        ("substituteActsForThePerson", substituteActsForThePerson),
    ]

    public static var names: [String] { checks.map(\.name) }

    /// Runs the check called `name`.
    public static func run(_ name: String, _ factory: ConformanceFactory) async throws {
        guard let c = checks.first(where: { $0.name == name }) else { throw ConformanceFailure(description: "no conformance check `\(name)`") }
        try await c.run(factory)
    }

    // MARK: - Fixtures

    static let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
    /// 2025-09-26T10:00:00+08:00, a Friday before the National Day holiday.
    static let t0 = Date(timeIntervalSince1970: 1_758_852_000)
    /// Two weeks later: every review deadline of a case entered at t0 has passed.
    static let late = Date(timeIntervalSince1970: 1_758_852_000 + 14 * 86_400)
    static let reviewDue = "2025-09-30T16:00:00Z"

    static func check(_ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line) throws {
        if !condition { throw ConformanceFailure(description: "RepositoryConformance.swift:\(line): \(message())") }
    }

    static func expectError(_ kind: StoreError.Kind, _ what: String, line: UInt = #line, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try check((error as? StoreError)?.kind == kind, "\(what): expected \(kind), got \(error)", line: line)
            return
        }
        throw ConformanceFailure(description: "RepositoryConformance.swift:\(line): \(what): expected \(kind), nothing was thrown")
    }

    static func start(_ ledger: Ledger, _ def: Definition, _ id: String, at: Date = t0) async throws {
        guard case .started = try await ledger.start(def, caseID: id, data: [:], people: people, actor: "hr-bot", now: at) else {
            throw ConformanceFailure(description: "start of \(id) refused")
        }
    }

    @discardableResult
    static func accepted(_ o: FireOutcome, line: UInt = #line) throws -> Step {
        guard case .accepted(let step, _) = o else { throw ConformanceFailure(description: "RepositoryConformance.swift:\(line): expected accepted, got \(o)") }
        return step
    }

    static func item(_ name: String) -> ValueIR {
        .map(["name": .string(name), "kind": .string("document"), "done": .bool(true)])
    }

    static let submit = Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")])
    static let ready = Event("ready", actor: "alice", payload: ["items": .list([item("客户资料")])])

    /// Starts `id` and moves it to `review` (3 events), whose deadline is ``reviewDue``.
    static func startInReview(_ ledger: Ledger, _ def: Definition, _ id: String, at: Date = t0) async throws {
        try await start(ledger, def, id, at: at)
        try accepted(await ledger.fire(id, submit, now: at))
        try accepted(await ledger.fire(id, ready, now: at))
    }

    // MARK: - Checks

    /// A migration is one step: the `migrate` event is appended and the case row re-pinned to
    /// the new definition in one transaction (another connection sees both), verify replays
    /// across it, later steps run on the new definition, and a migration from the definition
    /// the case left is refused without writing anything.
    public static func migrationRepinsTheCase(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await startInReview(ledger, s.definition, "C1")
        var ir = s.definition.ir
        ir.title += "（第二版）"
        ir.contentHash = nil
        let v2 = try Definition(ir)
        try check(v2.hash != s.definition.hash, "the second version has a hash of its own")
        let plan = MigrationPlanIR(from: s.definition.hash, to: v2.hash, states: [:], values: [], deadlines: .keep, signatures: .keep)
        guard case .migrated(let step, let audit) = try await ledger.migrate("C1", plan: plan, to: v2, actor: "hr.admin", now: t0) else {
            throw ConformanceFailure(description: "the migration of C1 was not recorded")
        }
        try check(audit.kind == .migrate && audit.seq == 4 && step.snapshot.definitionHash == v2.hash, "one migrate step: \(audit)")
        let other = Ledger(s.second)
        let stored = try await other.load("C1")
        try check(stored.definition.hash == v2.hash && stored.snapshot.definitionHash == v2.hash && stored.headSeq == 4, "the row is re-pinned")
        try check(try await other.list(CaseFilter(), now: t0).cases.first?.definitionHash == v2.hash, "the list shows the new definition")
        let verified = try await other.verify("C1")
        try check(verified.ok, "verify replays across the migration: \(verified.problems)")
        guard case .refused(let r) = try await ledger.migrate("C1", plan: plan, to: v2, actor: "hr.admin", now: t0) else {
            throw ConformanceFailure(description: "a second migration from the old definition was not refused")
        }
        let events = try await ledger.history("C1").count
        try check(r.kind == .definitionMismatch && events == 4, "a refused migration writes nothing: \(r), \(events) events")
        try check(!(try await ledger.tick(now: late)).isEmpty, "the case ticks on the new definition")
        try check(try await other.verify("C1").ok, "verify after a step on the new definition")
    }

    /// start, fire, a refusal recorded as an attempt that changes nothing, history in order,
    /// a duplicate id refused.
    public static func startFireAndRefusal(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await startInReview(ledger, s.definition, "C1")
        try await expectError(.alreadyExists, "a second start of C1") {
            _ = try await ledger.start(s.definition, caseID: "C1", data: [:], people: people, actor: nil, now: t0)
        }
        let before = try await ledger.load("C1")
        guard case .refused(let r, let audit) = try await ledger.fire("C1", Event("approve", actor: "alice"), now: t0) else {
            throw ConformanceFailure(description: "approve by the handover person was not refused")
        }
        try check(r.kind == .notAuthorized, "refusal kind \(r.kind)")
        try check(audit.seq == 4 && audit.kind == .refused, "the refusal is event 4 of kind refused: \(audit)")
        let after = try await ledger.load("C1")
        try check(after.snapshot.version == before.snapshot.version, "a refusal changed the version")
        try check(after.headSeq == 4 && after.headHash == audit.hash, "a refusal moves the chain head")
        try accepted(await ledger.fire("C1", Event("approve", actor: "carol"), now: t0))
        let h = try await Ledger(s.second).history("C1")
        try check(h.map(\.seq) == [1, 2, 3, 4, 5], "history order \(h.map(\.seq))")
        try check(h.map(\.kind) == [.start, .event, .event, .refused, .event], "history kinds \(h.map(\.kind))")
        try check(h.first?.prevHash == HashChain.genesis && zip(h, h.dropFirst()).allSatisfy { $0.hash == $1.prevHash }, "the chain links")
        try check(try await Ledger(s.second).load("C1").snapshot.version == 4, "another connection sees version 4")
        try await expectError(.notFound, "history of an unknown case") { _ = try await ledger.history("nope") }
        try await expectError(.notFound, "fire on an unknown case") { _ = try await ledger.fire("nope", submit, now: t0) }
    }

    /// The same key and request replays the first outcome; the same key for another request is
    /// `keyReused` and records nothing; a refused attempt's key replays the refusal.
    public static func idempotency(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await start(ledger, s.definition, "C1")
        var e = submit
        e.idempotencyKey = "k1"
        let first = try await ledger.fire("C1", e, now: t0)
        try accepted(first)
        guard case .replayed(let again) = try await Ledger(s.second).fire("C1", e, now: t0.addingTimeInterval(60)) else {
            throw ConformanceFailure(description: "a repeated key was not replayed")
        }
        try check(again == first.audit, "the replay returns the stored event")
        var other = e
        other.actor = "bob"
        try await expectError(.keyReused, "the key with another actor") { _ = try await ledger.fire("C1", other, now: t0) }
        var refused = Event("approve", actor: "alice", idempotencyKey: "k2")
        refused.payload = [:]
        guard case .refused = try await ledger.fire("C1", refused, now: t0) else { throw ConformanceFailure(description: "approve by alice accepted") }
        guard case .replayed(let r) = try await ledger.fire("C1", refused, now: t0), r.kind == .refused else {
            throw ConformanceFailure(description: "a refused attempt's key was not replayed as refused")
        }
        try check(try await ledger.history("C1").count == 3, "only start, submit and one refusal are recorded")
        let found = try await s.repository.event("C1", idempotencyKey: "k1")
        try check(found == first.audit, "find by key")
        try check(try await s.repository.event("C1", idempotencyKey: "none") == nil, "an unknown key finds nothing")
    }

    /// Two writers prepare on the same version; exactly one commit wins, the other is a
    /// retryable conflict that wrote nothing (no event, no outbox entry).
    public static func racingWritersExactlyOneWins(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let a = Ledger(s.repository), b = Ledger(s.second)
        try await start(a, s.definition, "C1")
        guard case .ready(let pa) = try await a.prepare("C1", submit, now: t0),
              case .ready(let pb) = try await b.prepare("C1", Event("withdraw", actor: "alice"), now: t0) else {
            throw ConformanceFailure(description: "nothing to commit")
        }
        try accepted(await a.commit(pa))
        do {
            _ = try await b.commit(pb)
            throw ConformanceFailure(description: "the second commit on the same version did not conflict")
        } catch let e as StoreError {
            try check(e.kind == .conflict && e.isRetryable, "the loser gets a retryable conflict: \(e)")
        }
        let h = try await a.history("C1")
        try check(h.map(\.name) == ["start", "submit"], "only the winner is recorded: \(h.map(\.name))")
        let outbox = try await a.claimOutbox(owner: "w", limit: 100, now: t0, lease: 60)
        try check(!outbox.contains { $0.seq == 3 }, "the loser wrote no outbox entry")
        try check(try await a.verify("C1").ok, "the chain verifies after the race")

        // Many tasks racing on one case: every accepted event is in the log exactly once.
        try await start(a, s.definition, "C2")
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<4 {
                let l = i % 2 == 0 ? a : b
                group.addTask {
                    (try? await l.fire("C2", Event("withdraw", actor: "alice", idempotencyKey: "w\(i)"), now: t0)).map { if case .accepted = $0 { true } else { false } } ?? false
                }
            }
            var n: [Bool] = []
            for await r in group { n.append(r) }
            return n
        }
        let accepted = results.filter { $0 }.count
        let log = try await a.history("C2")
        try check(accepted == 1 && log.filter({ $0.kind == .event }).count == 1, "one withdraw wins: \(accepted) accepted, log \(log.map(\.name))")
    }

    /// Group commit: one ``CaseRepository/appendAll(_:)`` of four steps — two of them conflict
    /// (a second step prepared on C2's old version, and C3 moved by another writer meanwhile).
    /// The conflicting ones fail alone with a retryable conflict and write nothing (no event, no
    /// outbox entry); the others commit, with their outbox entries, and every chain verifies.
    public static func appendAllConflictFailsAlone(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let a = Ledger(s.repository), b = Ledger(s.second)
        for id in ["C1", "C2", "C3"] { try await startInReview(a, s.definition, id) }
        let approve = Event("approve", actor: "carol"), reject = Event("reject", actor: "carol")
        guard case .ready(let p1) = try await a.prepare("C1", approve, now: t0),
              case .ready(let p2) = try await a.prepare("C2", approve, now: t0),
              case .ready(let p2b) = try await a.prepare("C2", reject, now: t0),
              case .ready(let p3) = try await a.prepare("C3", approve, now: t0) else {
            throw ConformanceFailure(description: "nothing to commit")
        }
        try check([p1, p2, p2b, p3].allSatisfy { !$0.write.outbox.isEmpty }, "every step has effects for the outbox")
        try accepted(await b.fire("C3", reject, now: t0))
        let results = await s.repository.appendAll([p1.write, p2.write, p2b.write, p3.write])
        try check(results.count == 4, "one result per step: \(results)")
        func failed(_ r: Result<Void, StoreError>) -> StoreError? { if case .failure(let e) = r { e } else { nil } }
        try check(failed(results[0]) == nil && failed(results[1]) == nil, "the steps without conflict commit: \(results)")
        for i in [2, 3] {
            let e = failed(results[i])
            try check(e?.kind == .conflict && e?.isRetryable == true, "step \(i) gets a retryable conflict: \(results[i])")
        }
        try check(try await a.history("C1").last == p1.audit, "C1's approve is recorded")
        try check(try await a.history("C2").map(\.hash) == (try await a.history("C2").prefix(3).map(\.hash) + [p2.audit.hash]),
                  "C2 holds the approve, not the conflicting reject")
        let c3 = try await a.history("C3")
        try check(c3.count == 4 && c3.last != p3.audit && c3.last?.name == "reject", "C3 holds only the other writer's reject: \(c3.map(\.name))")
        let outbox = try await a.claimOutbox(owner: "w", limit: 1000, now: t0, lease: 60)
        func payloads(_ id: String, _ seq: Int) -> [String] { outbox.filter { $0.caseID == id && $0.seq == seq }.map(\.payload).sorted() }
        try check(payloads("C1", 4) == p1.write.outbox.map(\.payload).sorted(), "C1's step wrote its outbox entries")
        try check(payloads("C2", 4) == p2.write.outbox.map(\.payload).sorted(), "C2's outbox holds the approve's entries, none of the reject's")
        try check(Set(payloads("C3", 4)).isDisjoint(with: p3.write.outbox.map(\.payload)) && !payloads("C3", 4).isEmpty,
                  "C3's outbox holds the other writer's entries, none of the conflicting approve's")
        try check(try await a.load("C2").snapshot.version == p2.expectedVersion + 1, "C2's row follows the approve")
        for id in ["C1", "C2", "C3"] { try check(try await a.verify(id).ok, "\(id) verifies after the batch") }
    }

    /// `tick` finds due cases through `next_due`, records one tick each, and nothing twice.
    public static func tickByNextDue(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await startInReview(ledger, s.definition, "C1")
        try await start(ledger, s.definition, "C2")
        try check(try await s.repository.dueCases(now: "2025-09-30T15:59:59Z", limit: nil).isEmpty, "nothing due before the deadline")
        try check(try await s.repository.dueCases(now: reviewDue, limit: nil) == ["C1"], "C1 due at its deadline")
        let ticked = try await ledger.tick(now: late)
        try check(ticked.map(\.caseID) == ["C1"] && ticked[0].audit?.kind == .tick, "one tick of C1: \(ticked)")
        let effects = ticked[0].step?.effects ?? []
        try check(effects.contains { if case .escalation = $0 { true } else { false } }, "the tick escalates: \(effects)")
        let tickSeq = ticked[0].audit?.seq ?? 0
        let fromTick = try await ledger.claimOutbox(owner: "t", limit: 100, now: late, lease: 60).filter { $0.seq == tickSeq }
        try check(fromTick.map(\.kind).contains("escalation") && fromTick.count == effects.count, "the tick's effects are in the outbox: \(fromTick)")
        try check(try await ledger.tick(now: late).allSatisfy { $0.audit == nil }, "a second tick at the same time records nothing")
        try check(try await ledger.history("C1").last?.kind == .tick, "the tick is in the log")
        try check(try await ledger.verify("C1").ok, "the ticked case verifies")
    }

    /// Pages newest first with a cursor, every case once; filters by workflow, status, state,
    /// overdue.
    public static func listPagingAndFilters(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        // C1 and C2 start at the same second: the id breaks the tie.
        for (i, id) in ["C1", "C2", "C3", "C4", "C5"].enumerated() {
            try await start(ledger, s.definition, id, at: t0.addingTimeInterval(Double(max(i, 1)) * 60))
        }
        var ids: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await ledger.list(CaseFilter(limit: 2, cursor: cursor), now: t0)
            ids += page.cases.map(\.id)
            cursor = page.nextCursor
            pages += 1
            try check(page.cases.count <= 2 && pages <= 3, "pages of at most 2")
        } while cursor != nil
        try check(ids == ["C5", "C4", "C3", "C2", "C1"], "newest first, each once: \(ids)")
        try check(try await ledger.list(CaseFilter(), now: t0).cases.map(\.id) == ids, "no limit: everything")
        try await expectError(.invalidArgument, "a forged cursor") { _ = try await ledger.list(CaseFilter(cursor: "garbage!"), now: t0) }

        try accepted(await ledger.fire("C1", submit, now: t0.addingTimeInterval(120)))
        try accepted(await ledger.fire("C1", ready, now: t0.addingTimeInterval(120)))
        try accepted(await ledger.fire("C2", Event("withdraw", actor: "alice"), now: t0.addingTimeInterval(120)))
        let finished = try await ledger.load("C2").snapshot.status.rawValue
        try check(finished != "running", "withdraw finishes C2")
        try check(try await ledger.list(CaseFilter(state: "review"), now: t0).cases.map(\.id) == ["C1"], "state filter")
        try check(try await ledger.list(CaseFilter(status: finished), now: t0).cases.map(\.id) == ["C2"], "status filter")
        try check(try await ledger.list(CaseFilter(status: "running"), now: t0).cases.count == 4, "running cases")
        try check(try await ledger.list(CaseFilter(workflow: s.definition.ir.id), now: t0).cases.count == 5, "workflow filter")
        try check(try await ledger.list(CaseFilter(workflow: "other"), now: t0).cases.isEmpty, "another workflow")
        let overdue = try await ledger.list(CaseFilter(overdue: true), now: late).cases
        try check(overdue.map(\.id) == ["C1"] && overdue[0].overdueSince == reviewDue, "overdue: \(overdue)")
        try check(try await ledger.list(CaseFilter(overdue: true), now: t0).cases.isEmpty, "nothing overdue at t0")
    }

    /// verify passes on an intact case and names the first bad event of an edited row.
    public static func verifyDetectsAnEditedRow(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await startInReview(ledger, s.definition, "C1")
        let ok = try await ledger.verify("C1")
        try check(ok.ok && ok.events == 3, "intact: \(ok.problems)")
        try await s.editEventActor("C1", 2, "mallory")
        let bad = try await Ledger(s.second).verify("C1")
        try check(!bad.ok && bad.firstBadSeq == 3, "the edit of event 2 breaks the link of event 3: \(bad.problems)")
        try await expectError(.notFound, "verify of an unknown case") { _ = try await ledger.verify("nope") }
    }

    /// deploy pins by hash without a case, idempotently, with versions 1, 2, 3 per workflow;
    /// a definition first pinned by start gets the next version too.
    public static func deployVersions(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        let d1 = try await ledger.deploy(s.definition, now: t0)
        try check(d1.version == 1 && d1.hash == s.definition.hash && d1.workflow == s.definition.ir.id && d1.createdAt == "2025-09-26T02:00:00Z", "first deploy: \(d1)")
        try check(try await ledger.deploy(s.definition, now: late) == d1, "deploying the same hash again changes nothing")
        try check(try await ledger.caseIDs().isEmpty, "deploy starts no case")
        func edited(_ title: String) throws -> Definition {
            var ir = s.definition.ir
            ir.title = title
            ir.contentHash = nil
            return try Definition(ir)
        }
        let d2 = try await ledger.deploy(try edited("v2"), now: t0.addingTimeInterval(60))
        try check(d2.version == 2, "second definition: \(d2)")
        let third = try edited("v3")
        try await start(ledger, third, "C1")
        let all = try await Ledger(s.second).definitions(workflow: s.definition.ir.id)
        try check(all.map(\.version) == [3, 2, 1] && all[0].hash == third.hash, "newest version first: \(all)")
        try check(try await ledger.newestDefinition(workflow: s.definition.ir.id)?.hash == third.hash, "newest")
        try check(try await ledger.newestDefinition(workflow: "other") == nil, "no definition of another workflow")
        try check(try await ledger.definitions(workflow: nil).count == 3, "all definitions")
        try check(try await Ledger(s.second).definition(hash: d2.hash).hash == d2.hash, "a definition by hash")
        try await expectError(.unknownDefinition, "an unknown hash") { _ = try await ledger.definition(hash: "sha256:0") }
    }

    /// Each person's open tasks, kept with each step: who may act, soonest deadline first,
    /// gone when done or when the case finishes.
    public static func taskIndex(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository)
        try await start(ledger, s.definition, "A")
        let alice = try await ledger.tasks(for: "alice", now: t0)
        try check(alice.map(\.caseID) == ["A"] && alice[0].role == "handover" && alice[0].events.contains("submit") && alice[0].due == nil,
                  "alice applies: \(alice)")
        try check(alice[0].definition == s.definition.hash, "a task names its case's definition: \(alice[0].definition ?? "none")")
        try check(try await ledger.tasks(for: "carol", now: t0).isEmpty, "carol has nothing yet")
        // B enters review a day after A: A's deadline is sooner.
        try await startInReview(ledger, s.definition, "B", at: t0.addingTimeInterval(86_400 * 3))
        try accepted(await ledger.fire("A", submit, now: t0))
        try accepted(await ledger.fire("A", ready, now: t0))
        let carol = try await Ledger(s.second).tasks(for: "carol", now: late)
        try check(carol.map(\.caseID) == ["A", "B"], "soonest deadline first: \(carol)")
        try check(carol[0].state == "review" && carol[0].role == "manager" && carol[0].due == reviewDue && carol[0].overdue
                  && carol[0].workflow == s.definition.ir.id, "A's review: \(carol[0])")
        try check(try await ledger.tasks(for: "alice", now: t0).isEmpty, "alice's tasks are done")
        try accepted(await ledger.fire("A", Event("approve", actor: "carol"), now: t0))
        try check(try await ledger.tasks(for: "carol", now: t0).map(\.caseID) == ["B"], "approved: gone from carol's tasks")
        let signers = try await ledger.tasks(for: "bob", now: t0)
        try check(signers.map(\.caseID) == ["A"] && signers[0].events == ["sign"], "bob signs A: \(signers)")
        try check(try await ledger.verify("A").ok, "the index matches the replay")
    }

    /// Effects go to the outbox in the step's transaction, with unique ids; claims are leases
    /// that run out; delivered entries are never claimed again; a retry waits for its time.
    public static func outbox(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let ledger = Ledger(s.repository), other = Ledger(s.second)
        try await start(ledger, s.definition, "C1")
        let step = try accepted(await ledger.fire("C1", submit, now: t0))
        _ = try await ledger.fire("C1", Event("approve", actor: "alice"), now: t0) // refused: no effects
        let claimed = try await ledger.claimOutbox(owner: "s1", limit: 100, now: t0, lease: 30)
        let expectedIDs = (try await ledger.history("C1")).filter { $0.kind != .refused }.count
        try check(expectedIDs == 2, "two accepted steps")
        try check(claimed.filter { $0.seq == 2 }.count == step.effects.count && !step.effects.isEmpty, "one entry per effect of event 2: \(claimed)")
        try check(Set(claimed.map(\.id)).count == claimed.count && claimed.allSatisfy { $0.id.hasPrefix("C1:\($0.seq):") }, "unique ids caseID:seq:index")
        try check(claimed.allSatisfy { $0.attempts == 1 && $0.caseID == "C1" && $0.seq != 3 }, "first attempt, no entry of the refusal")
        try check(claimed.contains { $0.kind == "taskOpened" && $0.payload.contains("prepare") }, "the task opened by submit")
        try check(try await other.claimOutbox(owner: "s2", limit: 100, now: t0.addingTimeInterval(10), lease: 30).isEmpty, "leased entries are not claimed by another server")
        // s1 dies: after its lease, s2 claims them again.
        let again = try await other.claimOutbox(owner: "s2", limit: 100, now: t0.addingTimeInterval(31), lease: 30)
        try check(Set(again.map(\.id)) == Set(claimed.map(\.id)) && again.allSatisfy { $0.attempts == 2 }, "claimable after the lease: \(again)")
        guard let first = again.first else { throw ConformanceFailure(description: "nothing claimed again") }
        try await other.markDelivered(again.dropFirst().map(\.id))
        try await other.retryOutbox(first.id, notBefore: t0.addingTimeInterval(300), error: "HTTP 503")
        try check(try await ledger.claimOutbox(owner: "s1", limit: 100, now: t0.addingTimeInterval(299), lease: 30).isEmpty, "nothing before the retry time")
        let retried = try await ledger.claimOutbox(owner: "s1", limit: 100, now: t0.addingTimeInterval(300), lease: 30)
        try check(retried.map(\.id) == [first.id] && retried[0].attempts == 3, "the retried entry, third attempt: \(retried)")
        try await ledger.markDelivered([first.id])
        try check(try await ledger.claimOutbox(owner: "s1", limit: 100, now: late, lease: 30).isEmpty, "delivered entries are never claimed again")
        try check(try await ledger.claimOutbox(owner: "s1", limit: 1, now: late, lease: 30).isEmpty, "limit")
        try await expectError(.invalidArgument, "a zero lease") { _ = try await ledger.claimOutbox(owner: "s1", limit: 1, now: t0, lease: 0) }
    }

    /// Two servers claiming due cases at once never hold the same case; a lease runs out.
    public static func timerLeases(_ factory: ConformanceFactory) async throws {
        let s = try await factory()
        let a = Ledger(s.repository), b = Ledger(s.second)
        for id in ["C1", "C2", "C3", "C4"] { try await startInReview(a, s.definition, id) }
        async let fromA = a.claimDueCases(now: late, owner: "a", lease: 60, limit: 2)
        async let fromB = b.claimDueCases(now: late, owner: "b", lease: 60, limit: 2)
        let (ca, cb) = try await (fromA, fromB)
        try check(Set(ca).isDisjoint(with: cb) && Set(ca + cb) == ["C1", "C2", "C3", "C4"] && ca.count == 2 && cb.count == 2,
                  "disjoint claims covering the due cases: \(ca) \(cb)")
        try check(try await a.claimDueCases(now: late, owner: "a", lease: 60, limit: 10).sorted() == ca.sorted(), "nothing left for a but its own")
        try check(try await b.claimDueCases(now: late.addingTimeInterval(59), owner: "b", lease: 60, limit: 10).sorted() == cb.sorted(), "b holds only its own")
        // a ticks one case: it is no longer due; a dies before ticking the other.
        guard let done = ca.first, let left = ca.last else { throw ConformanceFailure(description: "a claimed nothing") }
        try check(try await a.tick(done, now: late).audit != nil, "a ticks \(done)")
        let after = try await b.claimDueCases(now: late.addingTimeInterval(61), owner: "b", lease: 60, limit: 10)
        try check(after.contains(left) && !after.contains(done), "after a's lease, b takes \(left) but not the ticked \(done): \(after)")
    }
}

import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// `max_rounds` at run time: with `then` a used-up limit moves the case on, without it the
/// step is refused (Fixtures/rounds.yaml).
@Suite struct RoundLimitTests {
    let def: Definition
    let t0 = at("2025-09-26T10:00:00+08:00")
    let people = ["handover": "alice", "manager": "carol", "hr": "dave"]

    init() throws { def = try definition("rounds") }

    /// Two rejected reviews: the case is back in `prepare` with `review` at its limit.
    func reviewedTwice(_ def: Definition? = nil) throws -> CaseSnapshot {
        let def = def ?? self.def
        var s = try accepted(Engine.start(def, caseID: "R1", data: [:], people: people, now: t0))
        for _ in 0..<2 {
            s = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
            s = try accepted(Engine.fire(def, s, Event("reject", actor: "carol"), now: t0))
        }
        #expect(s.activeNames == ["prepare"])
        #expect(s.root.rounds["review"] == 2)
        return s
    }

    @Test func exhaustedRoundsGoToThenInstead() throws {
        let s = try reviewedTwice()
        let step = try #require(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0).step)
        let snap = step.snapshot
        #expect(snap.activeNames == ["hr_decide"])
        #expect(snap.status == .running)
        // `review` was not entered a third time; the target's entry counts normally.
        #expect(snap.root.rounds["review"] == 2)
        #expect(snap.root.rounds["hr_decide"] == 1)

        let limit = try #require(step.trace.first { $0.kind == .roundLimit })
        #expect(limit.state == "review")
        #expect(limit.detail == "round limit of `review` reached (2): to `hr_decide` instead")
        #expect(limit.span?.line == 18)
        #expect(!step.trace.contains { $0.kind == .entered && $0.state == "review" })
        #expect(step.trace.last { $0.kind == .entered }?.state == "hr_decide")

        #expect(snap.escalations.count == 1)
        let esc = try #require(snap.escalations.first)
        #expect(esc.state == "review" && esc.roles == ["hr"] && esc.people == ["dave"])
        #expect(esc.reason == "round limit of `review` reached (2)")
        #expect(snap.violations.map(\.message) == ["交接清单两次审核未通过"])
        // No clause of its own: the state's clause.
        #expect(snap.violations.first?.clause == "四.3")
        #expect(step.effects.contains(.escalation(esc)))
        #expect(step.effects.contains { if case .taskOpened(let state, _, _, let roles, _) = $0 { state == "hr_decide" && roles == ["hr"] } else { false } })

        // The decision moves on.
        let on = try accepted(Engine.fire(def, snap, Event("approve", actor: "dave"), now: t0))
        #expect(on.activeNames == ["check"])
    }

    @Test func aLaterStepIntoTheUsedUpStateIsRedirectedAgain() throws {
        // `hr_decide` may send the case back to `prepare` in this variant of the fixture.
        var ir = def.ir
        let prepare = try #require(ir.state(named: "prepare")).id
        let decide = try #require(ir.state(named: "hr_decide")).id
        ir.states[decide].transitions[1].target = prepare
        let d = try Definition(ir)
        var s = try reviewedTwice(d)
        s = try accepted(Engine.fire(d, s, Event("ready", actor: "alice"), now: t0))
        #expect(s.activeNames == ["hr_decide"])
        s = try accepted(Engine.fire(d, s, Event("cancel", actor: "dave"), now: t0))
        #expect(s.activeNames == ["prepare"])
        // `review` is still at its limit: the next `ready` goes to `hr_decide` again.
        s = try accepted(Engine.fire(d, s, Event("ready", actor: "alice"), now: t0))
        #expect(s.activeNames == ["hr_decide"])
        #expect(s.root.rounds["review"] == 2)
        #expect(s.root.rounds["hr_decide"] == 2)
        #expect(s.escalations.count == 2)
    }

    @Test func roundLimitsThatSendEachOtherRoundAreRefusedNotFollowedForever() throws {
        // `wfc check` rejects this (WFC5018); the engine must still not loop or crash on such IR.
        var ir = def.ir
        let review = try #require(ir.state(named: "review")).id
        let check = try #require(ir.state(named: "check")).id
        ir.states[review].roundLimit?.target = check
        let span = try #require(ir.states[check].span as SpanIR?)
        ir.states[check].roundLimit = RoundLimitIR(target: review, span: span)
        let d = try Definition(ir)
        var s = try reviewedTwice(d)
        // Review used up: to `check` (its first round).
        s = try accepted(Engine.fire(d, s, Event("ready", actor: "alice"), now: t0))
        #expect(s.activeNames == ["check"])
        // Check used up too: to `review`, which is used up: back to `check` — a loop.
        let r = try refused(Engine.fire(d, s, Event("redo", actor: "carol"), now: t0))
        #expect(r.kind == .maxRounds)
        #expect(r.message == "the used-up round limits of `check` → `review` → `check` send the case round in a loop")
    }

    @Test func redirectIsDeterministicAndSurvivesJSON() throws {
        let s = try reviewedTwice()
        let a = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
        let b = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
        #expect(try a.json() == b.json())
        let decoded = try CaseSnapshot.load(try a.json())
        #expect(decoded == a)
        #expect(decoded.escalations.first?.reason == "round limit of `review` reached (2)")
    }

    @Test func withoutThenTheStepIsRefusedAndNothingChanges() throws {
        var s = try reviewedTwice()
        s = try accepted(Engine.fire(def, s, Event("ready", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("approve", actor: "dave"), now: t0))
        #expect(s.activeNames == ["check"])
        let r = try refused(Engine.fire(def, s, Event("redo", actor: "carol"), now: t0))
        #expect(r.kind == .maxRounds)
        #expect(r.message == "state `check` may be entered at most 1 times (max_rounds: 1); this would be round 2")
        // The other way on still works.
        let on = try accepted(Engine.fire(def, s, Event("finish", actor: "carol"), now: t0))
        #expect(on.activeNames == ["wrap_up", "return_assets", "revoke"])
    }

    @Test func thenJoinFinishesTheBranch() throws {
        var s = try reviewedTwice()
        for (name, actor) in [("ready", "alice"), ("approve", "dave"), ("finish", "carol"), ("returned", "alice"), ("redo", "carol"), ("revoked", "dave")] {
            s = try accepted(Engine.fire(def, s, Event(name, actor: actor), now: t0))
        }
        #expect(s.activeNames == ["wrap_up", "return_assets"])
        let step = try #require(Engine.fire(def, s, Event("returned", actor: "alice"), now: t0).step)
        // The second inspection would exceed the limit: the branch joins instead, and with the
        // other branch done the parallel state completes.
        #expect(step.snapshot.status == .completed)
        #expect(step.trace.contains { $0.kind == .roundLimit && $0.detail == "round limit of `inspect` reached (1): to `join` instead" })
        #expect(step.snapshot.violations.last.map { ($0.state, $0.message, $0.clause) } ?? ("", "", nil) == ("inspect", "资产验收两次未通过", "五.4"))
        #expect(step.snapshot.escalations.count == 1)
    }

    @Test func theIRCarriesTheLimit() throws {
        let review = try #require(def.ir.state(named: "review"))
        #expect(review.maxRounds == 2)
        #expect(review.roundLimit?.target == def.ir.state(named: "hr_decide")?.id)
        #expect(review.roundLimit?.escalate == [def.ir.role(named: "hr")?.id ?? -1])
        let check = try #require(def.ir.state(named: "check"))
        #expect(check.maxRounds == 1)
        #expect(check.roundLimit?.redirects == false)
        #expect(def.ir.state(named: "inspect")?.roundLimit?.join == true)
    }
}

/// Automatic steps enter the next state from inside the previous one; a long chain must not
/// overflow the stack, even in a debug build on a test thread.
@Suite struct AutomaticChainTests {
    /// The rounds fixture with `withdraw` leading through `length` automatic states.
    func chained(_ length: Int) throws -> Definition {
        var ir = try definition("rounds").ir
        let withdrawn = try #require(ir.state(named: "withdrawn")).id
        let prepare = try #require(ir.state(named: "prepare"))
        let first = ir.states.count
        for i in 0..<length {
            let id = first + i
            ir.states.append(StateIR(id: id, name: "auto\(i)", kind: .task, region: 0, span: prepare.span, transitions: [], requires: [],
                                     then: i + 1 < length ? id + 1 : withdrawn, fills: [], choice: [], regions: []))
            ir.regions[0].states.append(id)
        }
        let withdraw = try #require(prepare.transitions.firstIndex { $0.event == "withdraw" })
        ir.states[prepare.id].transitions[withdraw].target = first
        return try Definition(ir)
    }

    @Test func aLongChainOfAutomaticStatesRunsToTheEnd() throws {
        let d = try chained(600)
        let s = try accepted(Engine.start(d, caseID: "A1", data: [:], people: ["handover": "alice", "manager": "carol", "hr": "dave"],
                                          now: at("2025-09-26T10:00:00+08:00")))
        let done = try accepted(Engine.fire(d, s, Event("withdraw", actor: "alice"), now: at("2025-09-26T10:00:00+08:00")))
        #expect(done.status == .withdrawn)
    }

    @Test func aChainPastTheCapIsRefused() throws {
        let d = try chained(1_200)
        let s = try accepted(Engine.start(d, caseID: "A2", data: [:], people: ["handover": "alice", "manager": "carol", "hr": "dave"],
                                          now: at("2025-09-26T10:00:00+08:00")))
        let r = try refused(Engine.fire(d, s, Event("withdraw", actor: "alice"), now: at("2025-09-26T10:00:00+08:00")))
        #expect(r.kind == .runtimeError)
        #expect(r.message.hasPrefix("more than 1000 automatic steps in one step"))
    }
}

/// Infinity and NaN are not amounts, and the store's JSON cannot hold them.
@Suite struct NonFiniteDecimalTests {
    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan])
    func startDataWithANonFiniteDecimalIsRefused(_ value: Double) throws {
        var ir = try definition("rounds").ir
        ir.fields.append(FieldIR(id: ir.fields.count, name: "amount", type: .decimal, optional: true))
        let d = try Definition(ir)
        let people = ["handover": "alice", "manager": "carol", "hr": "dave"]
        let r = try refused(Engine.start(d, caseID: "D1", data: ["amount": .double(value)], people: people, now: at("2025-09-26T10:00:00+08:00")))
        #expect(r.details.contains { $0.contains("amount: expected a finite decimal") }, "\(r.details)")
        _ = try accepted(Engine.start(d, caseID: "D2", data: ["amount": .double(12.5)], people: people, now: at("2025-09-26T10:00:00+08:00")))
    }
}

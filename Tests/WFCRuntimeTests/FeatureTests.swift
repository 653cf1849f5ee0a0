import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// Fixtures/features.yaml: choice, foreach, conditional sign-off, quorum, parallel, wait.
@Suite struct FeatureTests {
    let def: Definition
    let t0 = at("2025-09-26T10:00:00+08:00")

    init() throws { def = try definition("features") }

    func submitted(reason: String, keyPost: Bool = false, customers: [String] = ["甲公司", "乙公司"], lastDay: String = "2025-12-01") throws -> CaseSnapshot {
        var s = try accepted(Engine.start(def, caseID: "F1", data: [:], people: featurePeople, now: t0))
        let payload: [String: ValueIR] = [
            "reason": .string(reason), "key_post": .bool(keyPost), "last_day": .string(lastDay),
            "customers": .list(customers.map { .map(["name": .string($0)]) }),
            "items": .list([.map(["name": "文档", "done": true])]),
        ]
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: payload), now: t0))
        return s
    }

    @Test func choiceRoutesByCondition() throws {
        #expect(try submitted(reason: "resignation").activeNames == ["sign"])
        #expect(try submitted(reason: "transfer").activeNames == ["visits", "visit", "visit"])
    }

    @Test func expressionRequirementRefusesWithItsMessage() throws {
        let s = try accepted(Engine.start(def, caseID: "F1", data: [:], people: featurePeople, now: t0))
        let r = try refused(Engine.fire(def, s, Event("submit", actor: "alice", payload: ["reason": "transfer", "last_day": "2025-12-01", "customers": .list([]), "items": .list([])]), now: t0))
        #expect(r.kind == .requirementFailed)
        #expect(r.message == "至少需要一项交接内容")
    }

    @Test func foreachPerItem() throws {
        var s = try submitted(reason: "transfer")
        let ambiguous = try refused(Engine.fire(def, s, Event("confirm", actor: "bob"), now: t0))
        #expect(ambiguous.kind == .ambiguous)
        #expect(ambiguous.message.contains("0, 1"))
        let tasks = Show.openTasks(def, s, now: t0)
        #expect(tasks.map(\.item) == [0, 1])
        s = try accepted(Engine.fire(def, s, Event("confirm", actor: "bob", item: 1), now: t0))
        #expect(s.root.active?.children.map(\.finished) == [false, true])
        #expect(s.root.active?.children[0].itemValue == .map(["name": "甲公司", "visited": false]))
        #expect(try refused(Engine.fire(def, s, Event("confirm", actor: "bob", item: 1), now: t0)).kind == .unknownEvent)
        s = try accepted(Engine.fire(def, s, Event("confirm", actor: "bob"), now: t0)) // only item 0 is left
        #expect(s.activeNames == ["sign"])
    }

    @Test func emptyForeachFinishesAtOnce() throws {
        let s = try submitted(reason: "transfer", customers: [])
        #expect(s.activeNames == ["sign"])
    }

    @Test func conditionalWitnessAndUnsign() throws {
        var s = try submitted(reason: "resignation", keyPost: true)
        #expect(s.root.active?.signoff?.required == ["handover", "receiver", "witness"])
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
        #expect(s.activeNames == ["sign"])
        #expect(Show.pendingSignoffs(def, s).first?.missing == ["witness"])
        s = try accepted(Engine.fire(def, s, Event("unsign", actor: "bob"), now: t0))
        #expect(s.root.active?.signoff?.signatures.map(\.role) == ["handover"])
        #expect(try refused(Engine.fire(def, s, Event("unsign", actor: "bob"), now: t0)).kind == .notSigned)
        #expect(try refused(Engine.fire(def, s, Event("sign", actor: "carol"), now: t0)).kind == .notAuthorized)
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "wendy"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
        #expect(s.activeNames == ["approve"])
        // Without a key post the witness is not asked.
        var plain = try submitted(reason: "resignation", keyPost: false)
        #expect(plain.root.active?.signoff?.required == ["handover", "receiver"])
        #expect(try refused(Engine.fire(def, plain, Event("sign", actor: "wendy"), now: t0)).kind == .notAuthorized)
        plain = try accepted(Engine.fire(def, plain, Event("sign", actor: "alice"), now: t0))
        plain = try accepted(Engine.fire(def, plain, Event("sign", actor: "bob"), now: t0))
        #expect(plain.activeNames == ["approve"])
    }

    func inApprove() throws -> CaseSnapshot {
        var s = try submitted(reason: "resignation")
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0))
        return try accepted(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
    }

    func inWrapUp() throws -> CaseSnapshot {
        var s = try inApprove()
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "dave"), now: t0))
        return try accepted(Engine.fire(def, s, Event("sign", actor: "ivan"), now: t0))
    }

    @Test func quorumTwoOfThree() throws {
        var s = try inApprove()
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "fiona"), now: t0))
        #expect(Show.pendingSignoffs(def, s).first?.quorumLeft == 1)
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "ivan"), now: t0))
        #expect(s.activeNames == ["wrap_up", "return_assets", "revoke"])
    }

    @Test func parallelJoin() throws {
        var s = try inWrapUp()
        #expect(s.activeNames == ["wrap_up", "return_assets", "revoke"])
        s = try accepted(Engine.fire(def, s, Event("revoked", actor: "dave"), now: t0))
        #expect(s.activeNames == ["wrap_up", "return_assets"])
        s = try accepted(Engine.fire(def, s, Event("returned", actor: "alice"), now: t0))
        #expect(s.activeNames == ["review"])
    }

    @Test func overdueTransitionInTick() throws {
        var s = try inWrapUp()
        s = try accepted(Engine.fire(def, s, Event("revoked", actor: "dave"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("returned", actor: "alice"), now: t0))
        #expect(s.root.active?.timer?.due.description == "2025-09-30T16:00:00Z")
        let step = try #require(Engine.tick(def, s, now: at("2025-10-09T09:00:00+08:00")).step)
        #expect(step.snapshot.activeNames == ["cooling"])
        #expect(step.snapshot.violations.map(\.message) == ["未按时审核"])
        #expect(step.snapshot.escalations.first?.roles == ["hr"])
        // cooling waits until the last day starts (Shanghai time).
        #expect(step.snapshot.root.active?.timer?.due.description == "2025-11-30T16:00:00Z")
        let done = try accepted(Engine.tick(def, step.snapshot, now: at("2025-12-01T00:00:00+08:00")))
        #expect(done.status == .completed)
    }

    @Test func waitWhoseTimeHasComeFinishesAtOnce() throws {
        var s = try inWrapUp()
        s = try accepted(Engine.fire(def, s, Event("revoked", actor: "dave"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("returned", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("approve", actor: "carol"), now: at("2025-12-02T09:00:00+08:00")))
        #expect(s.status == .completed)
    }

    @Test func branchDeadlineEscalates() throws {
        let s = try inWrapUp()
        let step = try #require(Engine.tick(def, s, now: at("2025-10-01T00:00:01+08:00")).step)
        #expect(step.snapshot.escalations.map(\.state) == ["revoke"])
        #expect(step.snapshot.violations.map(\.message) == ["账号未在1个工作日内注销"])
        #expect(step.snapshot.activeNames == ["wrap_up", "return_assets", "revoke"])
    }

    @Test func maxRoundsOnRejectToDraft() throws {
        var s = try inWrapUp()
        s = try accepted(Engine.fire(def, s, Event("revoked", actor: "dave"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("returned", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("reject", actor: "carol"), now: t0))
        #expect(s.activeNames == ["draft"])
        #expect(s.root.rounds["draft"] == 2)
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "alice"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "bob"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "dave"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("sign", actor: "ivan"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("revoked", actor: "dave"), now: t0))
        s = try accepted(Engine.fire(def, s, Event("returned", actor: "alice"), now: t0))
        let r = try refused(Engine.fire(def, s, Event("reject", actor: "carol"), now: t0))
        #expect(r.kind == .maxRounds)
        #expect(r.description.hasPrefix("features.yaml:27:3: state `draft` may be entered at most 2 times"))
    }
}

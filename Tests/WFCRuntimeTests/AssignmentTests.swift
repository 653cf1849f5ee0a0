import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// Fixtures/assign.yaml: a role bound by an event (`assign:`) and reassignment (转交).
@Suite struct AssignmentTests {
    let def: Definition
    let t0 = at("2025-09-26T10:00:00+08:00")
    let people = ["employee": "alice", "receiver": "bob", "dept_head": "carol", "hr": "dave"]

    init() throws { def = try definition("assign") }

    func started() throws -> CaseSnapshot {
        try accepted(Engine.start(def, caseID: "A1", data: [:], people: people, now: t0))
    }

    /// Submitted and appointed: `handover` waits for erin, the handler.
    func appointed() throws -> CaseSnapshot {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
        return try accepted(Engine.fire(def, s, Event("appointed", actor: "carol", assign: ["handler": "erin"]), now: t0))
    }

    func reassign(_ s: CaseSnapshot, by actor: String, role: String = "handler", to person: String, task: String? = "handover", reason: String = "休假") -> StepResult {
        Engine.fire(def, s, Event.reassigning(Reassignment(role: role, person: person, task: task, reason: reason), actor: actor), now: t0)
    }

    @Test func anAssignedRoleIsNotAskedForAtStartAndIsRefusedThere() throws {
        let s = try started()
        #expect(s.people["handler"] == nil)
        var withHandler = people
        withHandler["handler"] = "erin"
        let r = try refused(Engine.start(def, caseID: "A1", data: [:], people: withHandler, now: t0))
        #expect(r.kind == .assignedLater)
        #expect(r.message == "roles assigned during the case cannot be bound at start: `handler`")
        // The other roles are still required.
        var missing = people
        missing["hr"] = nil
        #expect(try refused(Engine.start(def, caseID: "A1", data: [:], people: missing, now: t0)).kind == .unboundRole)
    }

    @Test func theEventBindsTheRoleAndTheNextTaskWaitsForThatPerson() throws {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
        let step = try #require(Engine.fire(def, s, Event("appointed", actor: "carol", assign: ["handler": "erin"]), now: t0).step)
        #expect(step.snapshot.people["handler"] == "erin")
        #expect(step.effects.contains(.taskOpened(state: "handover", item: nil, events: ["handed_over"], roles: ["handler"], people: ["erin"])))
        #expect(step.trace.contains { $0.kind == .assigned && $0.detail == "role handler = erin" })
        #expect(try accepted(Engine.fire(def, step.snapshot, Event("handed_over", actor: "erin"), now: t0)).activeNames == ["confirm"])
    }

    @Test func theAssignmentMustNameExactlyTheAssignedRoles() throws {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
        let none = try refused(Engine.fire(def, s, Event("appointed", actor: "carol"), now: t0))
        #expect(none.kind == .assignmentInvalid)
        #expect(none.details == ["handler: no person given"])
        let extra = try refused(Engine.fire(def, s, Event("appointed", actor: "carol", assign: ["handler": "erin", "receiver": "frank"]), now: t0))
        #expect(extra.kind == .assignmentInvalid)
        #expect(extra.message.contains("cannot assign `receiver`"))
        let blank = try refused(Engine.fire(def, s, Event("appointed", actor: "carol", assign: ["handler": "  "]), now: t0))
        #expect(blank.kind == .assignmentInvalid)
        // An event whose transition assigns nothing takes no assignment either.
        let start = try started()
        #expect(try refused(Engine.fire(def, start, Event("submit", actor: "alice", assign: ["handler": "erin"]), now: t0)).kind == .assignmentInvalid)
    }

    @Test func separationOfDutiesHoldsAtTheAssignment() throws {
        var s = try started()
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice"), now: t0))
        let r = try refused(Engine.fire(def, s, Event("appointed", actor: "carol", assign: ["handler": "alice"]), now: t0))
        #expect(r.kind == .separationOfDuties)
        #expect(r.message.contains("alice cannot be both"))
    }

    @Test func aTaskHandedOverWaitsForTheNewPersonOnly() throws {
        let s = try appointed()
        let step = try #require(reassign(s, by: "dave", to: "frank", reason: "erin 休假").step)
        #expect(step.snapshot.people["handler"] == "erin", "the role itself stays with erin")
        #expect(step.reassignmentNote == "frank acting for erin as handler in `handover`, by dave, because erin 休假")
        #expect(step.effects == [.taskOpened(state: "handover", item: nil, events: ["handed_over"], roles: ["handler"], people: ["frank"])])
        #expect(Show.openTasks(def, step.snapshot, now: t0).first?.people == ["frank"])
        #expect(try refused(Engine.fire(def, step.snapshot, Event("handed_over", actor: "erin"), now: t0)).kind == .notAuthorized)
        let next = try accepted(Engine.fire(def, step.snapshot, Event("handed_over", actor: "frank"), now: t0))
        // The next task is erin's again: the handover was of one task.
        #expect(Show.openTasks(def, next, now: t0).first?.people.contains("erin") == true)
    }

    @Test func aSignOffPartyHandedOverSignsInTheirPlace() throws {
        var s = try appointed()
        s = try accepted(Engine.fire(def, s, Event("handed_over", actor: "erin"), now: t0))
        s = try accepted(reassign(s, by: "dave", role: "receiver", to: "gina", task: "confirm", reason: "bob 出差"))
        #expect(try refused(Engine.fire(def, s, Event(Event.sign, actor: "bob"), now: t0)).kind == .notAuthorized)
        s = try accepted(Engine.fire(def, s, Event(Event.sign, actor: "gina"), now: t0))
        s = try accepted(Engine.fire(def, s, Event(Event.sign, actor: "erin"), now: t0))
        #expect(s.status == .completed)
        // Someone who has signed cannot take over the other party's signature.
        var t = try appointed()
        t = try accepted(Engine.fire(def, t, Event("handed_over", actor: "erin"), now: t0))
        t = try accepted(Engine.fire(def, t, Event(Event.sign, actor: "bob"), now: t0))
        #expect(try refused(reassign(t, by: "dave", to: "bob", task: "confirm")).kind == .separationOfDuties)
    }

    @Test func aRoleHandedOnForTheRestOfTheCase() throws {
        let s = try appointed()
        let step = try #require(reassign(s, by: "dave", to: "frank", task: nil, reason: "erin 调离").step)
        #expect(step.snapshot.people["handler"] == "frank")
        #expect(step.trace.contains { $0.detail == "frank acting for erin as handler for the rest of the case, by dave, because erin 调离" })
        #expect(step.effects.contains(.taskOpened(state: "handover", item: nil, events: ["handed_over"], roles: ["handler"], people: ["frank"])))
        var next = try accepted(Engine.fire(def, step.snapshot, Event("handed_over", actor: "frank"), now: t0))
        next = try accepted(Engine.fire(def, next, Event(Event.sign, actor: "frank"), now: t0))
        #expect(next.activeNames == ["confirm"])
    }

    @Test func whoMayReassignAndWhat() throws {
        let s = try appointed()
        #expect(try refused(reassign(s, by: "carol", to: "frank")).kind == .reassignNotAllowed)
        let role = try refused(reassign(s, by: "dave", role: "employee", to: "frank", task: "handover"))
        #expect(role.kind == .reassignNotAllowed)
        #expect(role.message.contains("`employee` may not be reassigned"))
        #expect(try refused(reassign(s, by: "dave", role: "ceo", to: "frank")).kind == .reassignInvalid)
        #expect(try refused(reassign(s, by: "dave", to: "alice")).kind == .separationOfDuties)
        #expect(try refused(reassign(s, by: "dave", to: "erin")).kind == .reassignInvalid)
        #expect(try refused(reassign(s, by: "dave", to: "frank", task: "confirm")).kind == .reassignInvalid)
        #expect(try refused(reassign(s, by: "dave", role: "receiver", to: "frank", task: "handover")).kind == .reassignInvalid)
        for reason in ["", "   ", "两行\n原因", String(repeating: "长", count: Reassignment.maxReason + 1)] {
            #expect(try refused(reassign(s, by: "dave", to: "frank", reason: reason)).kind == .reassignInvalid)
        }
        // Not bound yet: assign it instead.
        var early = try started()
        early = try accepted(Engine.fire(def, early, Event("submit", actor: "alice"), now: t0))
        #expect(try refused(reassign(early, by: "dave", to: "frank", task: nil)).kind == .reassignInvalid)
    }

    @Test func withoutReassignInThePolicyNobodyMay() throws {
        let other = try definition("features")
        let s = try accepted(Engine.start(other, caseID: "F1", data: [:], people: featurePeople, now: t0))
        let r = try refused(Engine.fire(other, s, Event.reassigning(Reassignment(role: "receiver", person: "x", reason: "r"), actor: "alice"), now: t0))
        #expect(r.kind == .reassignNotAllowed)
    }

    @Test func theRecordedPayloadRoundTrips() throws {
        let e = Event("appointed", actor: "carol", payload: ["note": "x"], assign: ["handler": "erin"])
        let back = try #require(Event.recorded(e.name, actor: e.actor, payload: e.recordedPayload, idempotencyKey: nil, item: nil, role: nil))
        #expect(back == e)
        let r = Event.reassigning(Reassignment(role: "handler", person: "frank", task: "handover", reason: "休假"), actor: "dave", item: 2)
        let back2 = try #require(Event.recorded(r.name, actor: r.actor, payload: r.recordedPayload, idempotencyKey: nil, item: 2, role: nil))
        #expect(back2 == r)
        // A plain event stores exactly its data.
        #expect(Event("submit", actor: "a", payload: ["n": .int(1)]).recordedPayload == ["n": .int(1)])
        #expect(Event.recorded("x", actor: "a", payload: [Event.assignKey: "not a map"], idempotencyKey: nil, item: nil, role: nil) == nil)
    }

    @Test func aSnapshotWithAHandedOverTaskRoundTripsThroughJSON() throws {
        let s = try #require(reassign(try appointed(), by: "dave", to: "frank").snapshot)
        let back = try CaseSnapshot.load(try s.json())
        #expect(back == s)
        #expect(back.root.active?.holders == ["handler": "frank"])
        // The hand-written canonical JSON is what JSONEncoder writes.
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try e.encode(s) == (try s.json()))
    }

    /// 转交 and 代理 together: once the task is handed to frank, frank's substitute acts in it
    /// and the first holder's substitute no longer does.
    @Test func aSubstituteActsForWhoeverHoldsTheTaskNow() throws {
        let s = try accepted(reassign(try appointed(), by: "dave", to: "frank"))
        let forErin = try refused(Engine.fire(def, s, Event("handed_over", actor: "gina", actingFor: "erin"), now: t0))
        #expect(forErin.kind == .notAuthorized)
        let step = try #require(Engine.fire(def, s, Event("handed_over", actor: "gina", actingFor: "frank"), now: t0).step)
        #expect(step.snapshot.activeNames == ["confirm"])
        #expect(step.trace.first?.detail == "handed_over by gina for frank")
    }
}

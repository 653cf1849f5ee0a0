import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// Fixtures/signoff-modes.yaml: 依次 (in order, with a group), 或签 (any one), 加签 (add a signer).
@Suite struct SignoffModeTests {
    let def: Definition
    let t0 = at("2025-09-22T09:00:00+08:00")
    let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave", "finance": "fiona", "it": "ivan"]

    init() throws { def = try definition("signoff-modes") }

    func started(_ route: String) throws -> CaseSnapshot {
        try accepted(Engine.start(def, caseID: "C1", data: ["route": .string(route)], people: people, now: t0))
    }

    func sign(_ s: CaseSnapshot, _ who: String) -> StepResult { Engine.fire(def, s, Event(Event.sign, actor: who), now: t0) }
    func unsign(_ s: CaseSnapshot, _ who: String) -> StepResult { Engine.fire(def, s, Event(Event.unsign, actor: who), now: t0) }
    func add(_ s: CaseSnapshot, by: String, _ person: String, _ position: String, reason: String = "复核") -> StepResult {
        Engine.fire(def, s, Event(Event.addSigner, actor: by, payload: ["person": .string(person), "position": .string(position), "reason": .string(reason)]), now: t0)
    }
    func taskPeople(_ s: CaseSnapshot) -> [String] { Show.openTasks(def, s, now: t0).flatMap(\.people) }

    @Test func inOrderRefusesOutOfTurnAndNamesWhoseTurnItIs() throws {
        var s = try started("ordered")
        #expect(s.root.active?.signoff?.steps == [["handover"], ["receiver", "finance"], ["manager"]])
        #expect(taskPeople(s) == ["alice"])
        let r = try refused(sign(s, "bob"))
        #expect(r.kind == .notYourTurn)
        #expect(r.message.contains("turn of handover (alice)"), "\(r.message)")
        #expect(r.details == ["order: handover → receiver + finance → manager"])
        s = try accepted(sign(s, "alice"))
        // The group signs in any order; the manager waits for both.
        #expect(Set(taskPeople(s)) == ["bob", "fiona"])
        #expect(try refused(sign(s, "carol")).kind == .notYourTurn)
        s = try accepted(sign(s, "fiona"))
        #expect(taskPeople(s) == ["bob"])
        s = try accepted(sign(s, "bob"))
        #expect(taskPeople(s) == ["carol"])
        s = try accepted(sign(s, "carol"))
        #expect(s.status == .completed)
    }

    @Test func theTurnPassingOpensTheNextPartiesTask() throws {
        let s = try started("ordered")
        let step = try #require(sign(s, "alice").step)
        #expect(step.effects.contains(.taskOpened(state: "ordered", item: nil, events: [Event.sign], roles: ["receiver", "finance"], people: ["bob", "fiona"])))
    }

    @Test func aSignatureALaterPartyReliedOnCannotBeWithdrawn() throws {
        var s = try started("ordered")
        s = try accepted(sign(s, "alice"))
        s = try accepted(sign(s, "bob"))
        let r = try refused(unsign(s, "alice"))
        #expect(r.kind == .signatureLocked)
        #expect(r.message.contains("bob") == false && r.message.contains("receiver signed after it"), "\(r.message)")
        // Last one first: then the turn goes back to the handover.
        s = try accepted(unsign(s, "bob"))
        s = try accepted(unsign(s, "alice"))
        #expect(taskPeople(s) == ["alice"])
        #expect(s.root.active?.signoff?.signatures.isEmpty == true)
    }

    @Test func anyOneIsOneSignatureOfSeveral() throws {
        var s = try started("anyone")
        #expect(Set(taskPeople(s)) == ["dave", "fiona", "ivan"])
        #expect(Show.pendingSignoffs(def, s).first?.mode == "any")
        s = try accepted(sign(s, "ivan"))
        #expect(s.status == .completed)
    }

    @Test func anAddedSignerAfterMustSignToo() throws {
        var s = try started("anyone")
        #expect(try refused(add(s, by: "carol", "zoe", "before")).kind == .addSignerNotAllowed)
        let step = try #require(add(s, by: "carol", "zoe", "after", reason: "金额较大，请财务总监复核").step)
        #expect(step.effects == [.taskOpened(state: "anyone", item: nil, events: [Event.sign], roles: ["added:zoe"], people: ["zoe"])])
        s = step.snapshot
        let added = try #require(s.root.active?.signoff?.added?.first)
        #expect((added.person, added.position, added.by, added.byRole, added.reason) == ("zoe", "after", "carol", "manager", "金额较大，请财务总监复核"))
        // After the quorum of one: zoe waits for it, then signs; the sign-off needs her.
        #expect(try refused(sign(s, "zoe")).kind == .notYourTurn)
        s = try accepted(sign(s, "fiona"))
        #expect(s.status == .running)
        #expect(taskPeople(s) == ["zoe"])
        s = try accepted(sign(s, "zoe"))
        #expect(s.status == .completed)
    }

    @Test func beforeMakesTheOthersWaitAndParallelSignsAlongside() throws {
        var s = try started("added")
        s = try accepted(add(s, by: "carol", "zoe", "before"))
        #expect(s.root.active?.signoff?.steps == [["added:zoe"], ["handover", "receiver"]])
        #expect(try refused(sign(s, "alice")).kind == .notYourTurn)
        #expect(taskPeople(s) == ["zoe"])
        s = try accepted(add(s, by: "carol", "yan", "parallel"))
        #expect(Set(taskPeople(s)) == ["zoe", "yan"])
        s = try accepted(sign(s, "yan"))
        s = try accepted(sign(s, "zoe"))
        s = try accepted(sign(s, "alice"))
        s = try accepted(sign(s, "bob"))
        #expect(s.status == .completed)
    }

    @Test func separationHoldsForTheAddedPerson() throws {
        let s = try started("added")
        for (person, why) in [("carol", "oneself"), ("alice", "already a party, as handover"), ("ivan", "bound to it, which `separate:` keeps apart")] {
            let r = try refused(add(s, by: "carol", person, "after"))
            #expect(r.kind == .addedSignerConflict)
            #expect(r.message.contains(why), "\(r.message)")
        }
        let once = try accepted(add(s, by: "carol", "zoe", "after"))
        #expect(try refused(add(once, by: "carol", "zoe", "parallel")).kind == .addedSignerConflict)
    }

    @Test func onlyTheRolesOfAddMayAddAndTheRequestIsComplete() throws {
        let s = try started("added")
        #expect(try refused(add(s, by: "alice", "zoe", "after")).kind == .notAuthorized)
        let bad = try refused(Engine.fire(def, s, Event(Event.addSigner, actor: "carol", payload: ["person": "zoe", "position": "later", "note": "x"]), now: t0))
        #expect(bad.kind == .payloadInvalid)
        #expect(bad.details.count == 3, "\(bad.details)")
    }

    @Test func aSignOffWithoutAddRefusesAddedSigners() throws {
        let features = try definition("features")
        var s = try accepted(Engine.start(features, caseID: "F", data: [:], people: featurePeople, now: t0))
        let payload: [String: ValueIR] = ["reason": "resignation", "key_post": false, "last_day": "2025-12-01", "customers": .list([]),
                                          "items": .list([.map(["name": "文档", "done": true])])]
        s = try accepted(Engine.fire(features, s, Event("submit", actor: "alice", payload: payload), now: t0))
        #expect(s.activeNames == ["sign"])
        let r = try refused(Engine.fire(features, s, Event(Event.addSigner, actor: "carol", payload: ["person": "zoe", "position": "after", "reason": "x"]), now: t0))
        #expect(r.kind == .addSignerNotAllowed)
    }

    @Test func addedSignersSurviveTheSnapshotsJSON() throws {
        var s = try started("added")
        s = try accepted(add(s, by: "carol", "zoe", "after"))
        let json = try s.canonicalJSON()
        let back = try JSONDecoder().decode(CaseSnapshot.self, from: Data(json))
        #expect(back == s)
        let plain = try started("added").canonicalJSON()
        #expect(!String(decoding: plain, as: UTF8.self).contains("steps"))
        // The state is named `added`: look for the key of added signers.
        #expect(!String(decoding: plain, as: UTF8.self).contains("\"added\":["))
    }
}

import Foundation
import Testing
import WFCIR
@testable import WFCRuntime

/// Substitutes (代理) in the engine: an event with `actingFor` acts in the roles of that person,
/// unless the role is `substitutes: false` or a `separate:` group keeps the substitute's own
/// role apart from it; the trace and the signatures say who acted for whom.
@Suite struct SubstituteTests {
    let def: Definition
    /// The same policy with the receiver acting in person (`substitutes: false`).
    let inPerson: Definition
    let t0 = at("2025-09-26T10:00:00+08:00")

    init() throws {
        def = try definition("company-handover")
        var ir = def.ir
        let receiver = try #require(ir.roles.firstIndex { $0.name == "receiver" })
        ir.roles[receiver].substitutes = false
        ir.contentHash = nil
        inPerson = try Definition(ir)
    }

    func inReview(_ def: Definition) throws -> CaseSnapshot {
        var s = try accepted(Engine.start(def, caseID: "C1", data: [:], people: handoverPeople, now: t0))
        s = try accepted(Engine.fire(def, s, Event("submit", actor: "alice", payload: ["reason": "resignation", "last_day": "2025-10-31"]), now: t0))
        s = try accepted(Engine.fire(def, s, Event("ready", actor: "alice", payload: ["items": .list([item("客户资料", done: true)])]), now: t0))
        #expect(s.activeNames == ["review"])
        return s
    }

    func inExecute(_ def: Definition) throws -> CaseSnapshot {
        let s = try accepted(Engine.fire(def, try inReview(def), Event("approve", actor: "carol"), now: t0))
        #expect(s.activeNames.first == "execute")
        return s
    }

    @Test func aSubstituteActsForThePerson() throws {
        let s = try inReview(def)
        let step = try #require(Engine.fire(def, s, Event("approve", actor: "erin", actingFor: "carol"), now: t0).step)
        #expect(step.snapshot.activeNames.first == "execute")
        #expect(step.trace.first?.detail == "approve by erin for carol")
        // The same person without `actingFor` holds no role.
        let r = try refused(Engine.fire(def, s, Event("approve", actor: "erin"), now: t0))
        #expect(r.kind == .notAuthorized)
    }

    @Test func aSubstituteActsOnlyInThePersonsRoles() throws {
        let s = try inReview(def)
        // dave is hr: hr may not approve, so neither may dave's substitute.
        let r = try refused(Engine.fire(def, s, Event("approve", actor: "erin", actingFor: "dave"), now: t0))
        #expect(r.kind == .notAuthorized)
        #expect(r.message.contains("erin, acting for dave (who holds role(s) hr)"), "\(r.message)")
        // Acting for someone, a substitute does not act in their own roles: carol's substitute
        // alice (the handover, kept apart from the manager) cannot approve.
        let sod = try refused(Engine.fire(def, s, Event("approve", actor: "alice", actingFor: "carol"), now: t0))
        #expect(sod.kind == .separationOfDuties)
        #expect(sod.message.contains("they are `handover`"), "\(sod.message)")
    }

    @Test func aSignatureForAnotherRecordsBoth() throws {
        let s = try inExecute(def)
        let step = try #require(Engine.fire(def, s, Event("sign", actor: "erin", actingFor: "alice"), now: t0).step)
        let so = try #require(step.snapshot.root.active?.signoff)
        #expect(so.signatures.map { "\($0.role):\($0.person):\($0.by ?? "-")" } == ["handover:alice:erin"])
        #expect(step.trace.contains { $0.detail == "erin signed for alice as handover" })
        #expect(String(decoding: try step.snapshot.canonicalJSON(), as: UTF8.self).contains(#""by":"erin","person":"alice""#))
        // alice signed through erin: neither signs again, in person or for another.
        #expect(try refused(Engine.fire(def, step.snapshot, Event("sign", actor: "alice"), now: t0)).kind == .alreadySigned)
        // Withdrawn by the same substitute.
        let back = try #require(Engine.fire(def, step.snapshot, Event("unsign", actor: "erin", actingFor: "alice"), now: t0).step)
        #expect(back.trace.contains { $0.detail == "erin withdrew the signature for alice as handover" })
    }

    @Test func substitutesFalseRefusesTheSubstitute() throws {
        let s = try inExecute(inPerson)
        let r = try refused(Engine.fire(inPerson, s, Event("sign", actor: "erin", actingFor: "bob"), now: t0))
        #expect(r.kind == .substituteNotAllowed)
        #expect(r.message.contains("`receiver` (接交人)") && r.message.contains("acts in person"), "\(r.message)")
        #expect(r.span?.line != nil)
        // The handover still may have a substitute, and bob signs himself.
        var t = try accepted(Engine.fire(inPerson, s, Event("sign", actor: "erin", actingFor: "alice"), now: t0))
        t = try accepted(Engine.fire(inPerson, t, Event("sign", actor: "bob"), now: t0))
        #expect(t.activeNames.first != "execute")
        #expect(Substitutes.allowsSubstitutes(inPerson, "handover") && !Substitutes.allowsSubstitutes(inPerson, "receiver"))
    }

    /// Events and roles without substitutes encode as before: old chains and IR hashes hold.
    @Test func absentFieldsAreOmitted() throws {
        let e = String(decoding: try JSONEncoder().encode(Event("approve", actor: "carol")), as: UTF8.self)
        #expect(!e.contains("actingFor"))
        #expect(String(decoding: try JSONEncoder().encode(Event("approve", actor: "erin", actingFor: "carol")), as: UTF8.self).contains(#""actingFor":"carol""#))
        #expect(!String(decoding: try JSONEncoder().encode(def.ir.roles), as: UTF8.self).contains("substitutes"))
        #expect(String(decoding: try JSONEncoder().encode(inPerson.ir.roles), as: UTF8.self).contains(#""substitutes":false"#))
        #expect(inPerson.hash != def.hash)
    }
}

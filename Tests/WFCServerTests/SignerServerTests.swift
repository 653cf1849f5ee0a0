import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WFCLedger
import WFCServer
import WFCService

/// 依次 and 加签 through the HTTP API: `POST /v1/cases/{id}/signers`, the case view's mode, turn
/// and added signers, the added person's task and their signature.
@Suite struct SignerServerTests {
    static let workflow = """
        workflow: sign-modes
        version: 1
        title: 依次会签与加签
        roles:
          handover: {title: 交接人}
          receiver: {title: 接交人}
          manager:  {title: 直接上级}
        separate:
          - {roles: [handover, receiver, manager], assumption: 测试用}
        start: sign
        states:
          sign:
            title: 依次签字
            signoff:
              in_order: [handover, receiver]
              add: {by: manager, positions: [after]}
            then: done
          done: {final: completed}

        """

    @Test func addASignerSignInOrderAndVerify() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await h.token("hr.admin", scopes: ["admin"])
            let d = try await client.call(.post, "/v1/definitions?file=sign-modes.yaml", token: admin, yaml: Self.workflow)
            #expect(d.status == .created, "\(d.text)")
            let s = try await client.call(.post, "/v1/cases", token: admin,
                                          json: #"{"definition": "sign-modes", "id": "S1", "people": {"handover": "alice", "receiver": "bob", "manager": "carol"}, "data": {}}"#)
            #expect(s.status == .created, "\(s.text)")
            let (alice, bob, carol, zoe) = (try await h.token("alice"), try await h.token("bob"), try await h.token("carol"), try await h.token("zoe"))

            // Out of turn: refused, recorded, and it says whose turn it is.
            let early = try await client.call(.post, "/v1/cases/S1/events", token: bob, json: #"{"event": "sign"}"#)
            #expect(early.status == .unprocessableContent && early.problem?.code == "WFC6030", "\(early.text)")
            #expect(early.problem?.detail.contains("handover (alice)") == true, "\(early.text)")

            // Only the manager may add, only after; the actor is never a field.
            let byAlice = try await client.call(.post, "/v1/cases/S1/signers", token: alice, json: #"{"person": "zoe", "position": "after", "reason": "复核"}"#)
            #expect(byAlice.status == .forbidden && byAlice.problem?.code == "WFC6009", "\(byAlice.text)")
            let before = try await client.call(.post, "/v1/cases/S1/signers", token: carol, json: #"{"person": "zoe", "position": "before", "reason": "复核"}"#)
            #expect(before.status == .unprocessableContent && before.problem?.code == "WFC6032", "\(before.text)")
            let forged = try await client.call(.post, "/v1/cases/S1/signers", token: carol, json: #"{"person": "zoe", "position": "after", "reason": "复核", "as": "alice"}"#)
            #expect(forged.status == .badRequest, "\(forged.text)")
            // zoe is no participant yet.
            #expect(try await client.call(.get, "/v1/cases/S1", token: zoe).status == .forbidden)

            let added = try await client.call(.post, "/v1/cases/S1/signers", token: carol, json: #"{"person": "zoe", "position": "after", "reason": "金额较大，请复核"}"#)
            #expect(added.status == .ok, "\(added.text)")
            #expect(try added.decode(FireResult.self).effects.contains { $0.contains("zoe") }, "\(added.text)")

            // The added person reads the case: the mode, whose turn it is, who added them and why.
            let view = try await client.call(.get, "/v1/cases/S1", token: zoe)
            #expect(view.status == .ok, "\(view.text)")
            let so = try #require(try view.decode(CaseView.self).signoffs.first)
            #expect(so.mode == "in_order" && so.turn == ["handover"] && so.missing == ["handover", "receiver", "added:zoe"])
            #expect(so.added?.map { "\($0.person) \($0.position) \($0.by) \($0.byRole) \($0.reason)" } == ["zoe after carol manager 金额较大，请复核"])

            let byAliceSigned = try await client.call(.post, "/v1/cases/S1/events", token: alice, json: #"{"event": "sign"}"#)
            #expect(byAliceSigned.status == .ok, "\(byAliceSigned.text)")
            // `after` is after the parties whose turn it is (handover): zoe signs before the receiver.
            let tasks = try await client.call(.get, "/v1/tasks", token: zoe).decode(TaskList.self)
            #expect(tasks.tasks.map { "\($0.caseID) \($0.state) \($0.role)" } == ["S1 sign added:zoe"])
            let byZoe = try await client.call(.post, "/v1/cases/S1/events", token: zoe, json: #"{"event": "sign"}"#)
            #expect(byZoe.status == .ok, "\(byZoe.text)")
            let last = try await client.call(.post, "/v1/cases/S1/events", token: bob, json: #"{"event": "sign"}"#)
            #expect(try last.decode(FireResult.self).status == "completed", "\(last.text)")

            let history = try await client.call(.get, "/v1/cases/S1/history", token: carol).decode(HistoryResult.self)
            #expect(history.events.map(\.name) == ["start", "sign", "add_signer", "add_signer", "add_signer", "sign", "sign", "sign"])
            let verify = try await client.call(.post, "/v1/cases/S1/verify", token: carol).decode(VerifyResult.self)
            #expect(verify.ok, "\(verify.problems)")
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WFCLedger
import WFCServer
import WFCService

/// personnel-change over HTTP: the department head names the handler in the event (`assign`),
/// then hands the handover to someone else (`POST /v1/cases/{id}/reassignments`).
@Suite struct AssignmentServerTests {
    /// C1 started and taken to `assign` (the department head's task).
    func atAssign(_ client: some TestClientProtocol, _ h: Harness) async throws -> String {
        let admin = try await deployAndStart(client, h)
        let agreed = try await client.call(.post, "/v1/cases/C1/events", token: try await h.token("wang.wu"),
                                           json: #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#)
        #expect(agreed.status == .ok, "\(agreed.text)")
        #expect(try await client.call(.post, "/v1/cases/C1/events", token: try await h.token("zhang.san"), json: #"{"event": "apply"}"#).status == .ok)
        return admin
    }

    @Test func theHandlerIsNamedInTheEventAndTheTaskHandedOver() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await atAssign(client, h)
            let head = try await h.token("zhao.liu")
            // Without the handler the appointment is refused (and recorded).
            let missing = try await client.call(.post, "/v1/cases/C1/events", token: head, json: #"{"event": "assigned", "data": {"schedule": "2025-10-27"}}"#)
            #expect(missing.status == .unprocessableContent && missing.problem?.code == "WFC6021", "\(missing.text)")
            let ok = try await client.call(.post, "/v1/cases/C1/events", token: head,
                                           json: #"{"event": "assigned", "data": {"schedule": "2025-10-27"}, "assign": {"handler": "qian.qi"}}"#)
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(try await client.call(.get, "/v1/cases/C1", token: admin).decode(CaseView.self).people["handler"] == "qian.qi")
            let listed = try await client.call(.post, "/v1/cases/C1/events", token: try await h.token("zhang.san"),
                                               json: #"{"event": "listed", "data": {"duties": [{"task": "报表"}], "documents": [], "equipment": [], "accounts": []}}"#)
            #expect(listed.status == .ok, "\(listed.text)")
            #expect(try await client.call(.post, "/v1/cases/C1/events", token: head, json: #"{"event": "approve"}"#).status == .ok)
            #expect(try await client.call(.get, "/v1/tasks", token: try await h.token("qian.qi")).decode(TaskList.self).tasks.map(\.state) == ["handover"])

            // Only the department head may reassign (403, recorded); the actor is the token's person.
            let employee = try await h.token("zhang.san")
            let body = #"{"role": "handler", "person": "sun.ba", "task": "handover", "reason": "钱七休假"}"#
            let forbidden = try await client.call(.post, "/v1/cases/C1/reassignments", token: employee, json: body)
            #expect(forbidden.status == .forbidden && forbidden.problem?.code == "WFC6022" && forbidden.problem?.recordedSeq != nil, "\(forbidden.text)")
            let forged = try await client.call(.post, "/v1/cases/C1/reassignments", token: employee,
                                               json: #"{"role": "handler", "person": "sun.ba", "reason": "x", "actor": "zhao.liu"}"#)
            #expect(forged.status == .badRequest && forged.problem?.code == "WFC9004")
            let noReason = try await client.call(.post, "/v1/cases/C1/reassignments", token: head, json: #"{"role": "handler", "person": "sun.ba", "task": "handover", "reason": ""}"#)
            // An empty reason is refused with the store's text check before the engine: nothing recorded.
            #expect(noReason.status == .badRequest && noReason.problem?.code == "WFC7012", "\(noReason.text)")
            let moved = try await client.call(.post, "/v1/cases/C1/reassignments", token: head, json: body, headers: ["Idempotency-Key": "r-1"])
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try moved.decode(FireResult.self).effects.contains { $0.contains("sun.ba") })
            let again = try await client.call(.post, "/v1/cases/C1/reassignments", token: head, json: body, headers: ["Idempotency-Key": "r-1"])
            #expect(try again.decode(FireResult.self).outcome == "replayed")
            #expect(try await client.call(.get, "/v1/tasks", token: try await h.token("sun.ba")).decode(TaskList.self).tasks.map(\.state) == ["handover"])
            #expect(try await client.call(.get, "/v1/tasks", token: try await h.token("qian.qi")).decode(TaskList.self).tasks.isEmpty)

            // The audit log keeps who did it and why; replaying it gives the same case.
            let history = try await client.call(.get, "/v1/cases/C1/history", token: admin).decode(HistoryResult.self)
            let last = try #require(history.events.last(where: { $0.kind == .event }))
            #expect(last.name == "reassign" && last.actor == "zhao.liu" && last.payload.contains("钱七休假") && last.payload.contains("sun.ba"))
            #expect(last.decodedOutcome?.note == "sun.ba acting for qian.qi as handler in `handover`, by zhao.liu, because 钱七休假")
            let verify = try await client.call(.post, "/v1/cases/C1/verify", token: admin).decode(VerifyResult.self)
            #expect(verify.ok, "\(verify.problems)")
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WFCLedger
import WFCServer
import WFCService

/// Substitutes (代理) over HTTP: a person names their own, an administrator anyone's; the
/// substitute sees and acts on the person's tasks with `actingFor`, checked at the time.
@Suite struct SubstituteServerTests {
    @Test func aSubstituteActsForTheSupervisor() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await deployAndStart(client, h)
            let wang = try await h.token("wang.wu"), sun = try await h.token("sun.ba"), li = try await h.token("li.si")
            let body = #"{"substitute": "sun.ba", "from": "2025-10-13", "until": "2025-10-17", "reason": "年假"}"#
            // Not one's own: needs admin.
            let other = try await client.call(.post, "/v1/people/wang.wu/substitutes", token: li, json: body)
            #expect(other.status == .forbidden && other.problem?.code == "WFC9013", "\(other.text)")
            let bad = try await client.call(.post, "/v1/people/wang.wu/substitutes", token: wang,
                                            json: #"{"substitute": "sun.ba", "from": "2025-10-13", "until": "next week"}"#)
            #expect(bad.status == .badRequest && bad.problem?.code == "WFC9014", "\(bad.text)")
            let unknownField = try await client.call(.post, "/v1/people/wang.wu/substitutes", token: wang,
                                                     json: #"{"substitute": "sun.ba", "from": "2025-10-13", "until": "2025-10-17", "person": "x"}"#)
            #expect(unknownField.status == .badRequest, "\(unknownField.text)")
            let added = try await client.call(.post, "/v1/people/wang.wu/substitutes", token: wang, json: body)
            #expect(added.status == .created, "\(added.text)")
            let s = try added.decode(Substitution.self)
            #expect(s.person == "wang.wu" && s.substitute == "sun.ba" && s.createdBy == "wang.wu")
            #expect(s.from == "2025-10-12T16:00:00Z" && s.until == "2025-10-17T16:00:00Z", "dates are whole days in China Standard Time: \(s)")
            let overlap = try await client.call(.post, "/v1/people/wang.wu/substitutes", token: admin,
                                                json: #"{"substitute": "qian.qi", "from": "2025-10-16", "until": "2025-10-20"}"#)
            #expect(overlap.status == .conflict && overlap.problem?.code == "WFC7025", "\(overlap.text)")
            let selfSub = try await client.call(.post, "/v1/people/li.si/substitutes", token: li,
                                                json: #"{"substitute": "li.si", "from": "2025-10-16", "until": "2025-10-20"}"#)
            #expect(selfSub.status == .badRequest && selfSub.problem?.code == "WFC7027", "\(selfSub.text)")

            // sun.ba sees wang.wu's task, marked, and may read the case.
            let tasks = try await client.call(.get, "/v1/tasks", token: sun).decode(TaskList.self)
            #expect(tasks.tasks.map { "\($0.caseID) \($0.state) \($0.role) \($0.actingFor ?? "-")" } == ["C1 agree_date supervisor wang.wu"])
            #expect(try await client.call(.get, "/v1/tasks", token: wang).decode(TaskList.self).tasks.allSatisfy { $0.actingFor == nil })
            let status1 = try await client.call(.get, "/v1/cases/C1", token: sun).status
            #expect(status1 == .ok)

            // Sent for someone one does not stand in for: refused before the case, nothing recorded.
            let qian = try await h.token("qian.qi")
            let notSub = try await client.call(.post, "/v1/cases/C1/events", token: qian,
                                               json: #"{"event": "agreed", "actingFor": "wang.wu", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#)
            #expect(notSub.status == .forbidden && notSub.problem?.code == "WFC9012", "\(notSub.text)")
            let fired = try await client.call(.post, "/v1/cases/C1/events", token: sun,
                                              json: #"{"event": "agreed", "actingFor": "wang.wu", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#)
            #expect(fired.status == .ok, "\(fired.text)")
            let history = try await client.call(.get, "/v1/cases/C1/history", token: wang).decode(HistoryResult.self)
            #expect(history.events.map { "\($0.name) \($0.actor ?? "-") \($0.actingFor ?? "-")" } == ["start hr.admin -", "agreed sun.ba wang.wu"])
            #expect(try await client.call(.post, "/v1/cases/C1/verify", token: wang).decode(VerifyResult.self).ok)

            // Listing and revoking: one's own, or admin.
            let status2 = try await client.call(.get, "/v1/people/wang.wu/substitutes", token: sun).status
            #expect(status2 == .forbidden)
            let list = try await client.call(.get, "/v1/people/wang.wu/substitutes", token: wang).decode(SubstituteList.self)
            #expect(list.substitutes.map(\.id) == [s.id])
            let named = try await client.call(.get, "/v1/people/sun.ba/substitutes?named=true", token: sun).decode(SubstituteList.self)
            #expect(named.substitutes.map(\.person) == ["wang.wu"])
            #expect(try await client.call(.delete, "/v1/people/wang.wu/substitutes/sub-000000000000", token: wang).problem?.code == "WFC7026")
            // Another person's id under one's own path is not found either.
            #expect(try await client.call(.delete, "/v1/people/li.si/substitutes/\(s.id)", token: li).status == .notFound)
            let revoked = try await client.call(.delete, "/v1/people/wang.wu/substitutes/\(s.id)", token: wang)
            #expect(revoked.status == .ok, "\(revoked.text)")
            let revokedBy = try revoked.decode(Substitution.self).revokedBy
            #expect(revokedBy == "wang.wu")
            #expect(try await client.call(.get, "/v1/people/wang.wu/substitutes", token: wang).decode(SubstituteList.self).substitutes.isEmpty)
            let status3 = try await client.call(.get, "/v1/cases/C1", token: sun).status
            #expect(status3 == .forbidden, "no longer a substitute: no longer a reader")
        }
    }
}

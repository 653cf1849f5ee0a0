import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WFCLedger
import WFCServer
import WFCService
import WFCWeb

/// The web inbox of a substitute (代理): the person's tasks are listed as "代 X 处理" (acting
/// for X in English), and the case page's form sends the event for X.
@Suite struct WebSubstituteTests {
    @Test func aSubstituteSeesTheTaskActingForThePersonAndDoesIt() async throws {
        let h = try await WebHarness()
        let zhang = Principal(person: "zhang.san"), wang = Principal(person: "wang.wu")
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "submit", data: ["reason": .string("resignation"), "last_day": .string("2025-10-31"),
                                                                                         "application": .string("离职")]), actor: zhang)
        _ = try await h.service.addSubstitute(person: "wang.wu", SubstituteRequest(substitute: "sun.ba", from: "2025-09-22", until: "2025-09-26"), by: wang)
        try await h.app.test(.router) { client in
            var sun = Browser()
            _ = try await sun.signIn(client, token: try await h.token("sun.ba"))
            let tasks = try await sun.get(client, "/web/tasks")
            #expect(tasks.text.contains("<span class=\"acting-for\">代 wang.wu 处理</span>") && tasks.text.contains("直接上级审批交接申请"), "\(tasks.text)")
            sun.language = "en-US,en;q=0.9"
            #expect(try await sun.get(client, "/web/tasks").text.contains("acting for wang.wu"))
            sun.language = "zh-CN"
            let page = try await sun.get(client, "/web/cases/H1")
            #expect(page.text.contains("name=\"actingFor\" value=\"wang.wu\"") && page.text.contains("id=\"event-approve\""), "\(page.text)")
            let ok = try await sun.post(client, "/web/cases/H1/events", [("state", "application_review"), ("actingFor", "wang.wu"), ("event", "approve")])
            #expect(ok.status == .seeOther, "\(ok.text)")
        }
        let log = try await h.service.history(caseID: "H1", by: wang).events
        #expect(log.last.map { "\($0.name) \($0.actor ?? "-") \($0.actingFor ?? "-")" } == "approve sun.ba wang.wu")
    }
}

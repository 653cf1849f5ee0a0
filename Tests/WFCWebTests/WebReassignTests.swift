import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
import WFCIR
import WFCLedger
import WFCServer
import WFCService
import WFCWeb

/// The 转交 (reassign) form of the case page: shown to the holders of the policy's
/// `reassign: {by: …}` roles only, on the open tasks of the roles it lists; a refusal comes
/// back to the form with what was typed; an accepted one hands the task on.
@Suite struct WebReassignTests {
    /// personnel-change (its `reassign:` lets the department head hand the handler's work on)
    /// with the handover task open for qian.qi.
    static func handoverOpen() async throws -> WebHarness {
        let h = try await WebHarness()
        let admin = Principal(person: "hr.admin", scopes: [Principal.adminScope])
        let yaml = try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/personnel-change.yaml"), encoding: .utf8)
        _ = try await h.service.deploy(yaml: yaml, fileName: "personnel-change.yaml", by: admin)
        _ = try await h.service.startCase(StartCaseRequest(definition: "personnel-change", id: "P1", data: [:],
                                                           people: ["employee": "zhang.san", "receiver": "li.si", "supervisor": "wang.wu", "dept_head": "zhao.liu"]), by: admin)
        let (zhang, wang, zhao) = (Principal(person: "zhang.san"), Principal(person: "wang.wu"), Principal(person: "zhao.liu"))
        _ = try await h.service.fire(caseID: "P1", FireRequest(event: "agreed", data: ["change": .string("transfer"), "change_date": .string("2025-11-03")]), actor: wang)
        _ = try await h.service.fire(caseID: "P1", FireRequest(event: "apply"), actor: zhang)
        _ = try await h.service.fire(caseID: "P1", FireRequest(event: "assigned", data: ["schedule": .string("2025-10-27")], assign: ["handler": "qian.qi"]), actor: zhao)
        _ = try await h.service.fire(caseID: "P1", FireRequest(event: "listed", data: ["duties": .list([.map(["task": .string("报表")])]), "documents": .list([]),
                                                                                     "equipment": .list([]), "accounts": .list([])]), actor: zhang)
        _ = try await h.service.fire(caseID: "P1", FireRequest(event: "approve"), actor: zhao)
        return h
    }

    @Test func theDepartmentHeadHandsTheTaskOnAndARefusalKeepsTheForm() async throws {
        let h = try await Self.handoverOpen()
        try await h.app.test(.router) { client in
            // The employee may not reassign: no form.
            var zhang = Browser()
            _ = try await zhang.signIn(client, token: try await h.token("zhang.san"))
            let own = try await zhang.get(client, "/web/cases/P1")
            #expect(own.status == .ok && own.text.contains("id=\"task-handover\"") && !own.text.contains("reassign-form"), "\(own.text)")

            var zhao = Browser()
            _ = try await zhao.signIn(client, token: try await h.token("zhao.liu"))
            let page = try await zhao.get(client, "/web/cases/P1")
            #expect(page.text.contains("id=\"reassign-form-handover\"") && page.text.contains("<option value=\"handler\">交接专人（qian.qi）</option>")
                    || page.text.contains("value=\"handler\""), "\(page.text)")
            // Only the roles `reassign:` lists: the receiver's task cannot be handed on here.
            #expect(!page.text.contains("<option value=\"receiver\""))

            // A blank reason is no text to store: refused, and the form comes back open with the
            // person typed.
            let refused = try await zhao.post(client, "/web/cases/P1/reassign", [("task", "handover"), ("role", "handler"), ("person", "sun.ba"), ("reason", " ")])
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.text.contains("id=\"reassign-refusal-handover\"") && refused.text.contains("WFC7012"), "\(refused.text)")
            #expect(refused.text.contains("<details class=\"reassign\" id=\"reassign-handover\" open>") && refused.text.contains("value=\"sun.ba\""), "\(refused.text)")
            // The employee cannot take over their own handover (separation of duties).
            let separated = try await zhao.post(client, "/web/cases/P1/reassign", [("task", "handover"), ("role", "handler"), ("person", "zhang.san"), ("reason", "钱七休假")])
            #expect(separated.status == .unprocessableContent && separated.text.contains("WFC6004"), "\(separated.text)")

            let ok = try await zhao.post(client, "/web/cases/P1/reassign", [("task", "handover"), ("role", "handler"), ("person", "sun.ba"), ("reason", "钱七休假，由孙八接手")])
            #expect(ok.status == .seeOther, "\(ok.text)")
            var sun = Browser()
            _ = try await sun.signIn(client, token: try await h.token("sun.ba"))
            let tasks = try await sun.get(client, "/web/tasks")
            #expect(tasks.text.contains("/web/cases/P1"), "\(tasks.text)")
        }
        let log = try await h.service.history(caseID: "P1", by: Principal(person: "zhao.liu")).events
        #expect(log.last.map { "\($0.name) \($0.actor ?? "-")" } == "reassign zhao.liu")
        #expect(log.last?.outcome.contains("钱七休假，由孙八接手") == true, "\(log.last?.outcome ?? "")")
    }
}

/// Task forms of a person who holds several roles of the task: a role select.
@Suite struct WebRoleChoiceTests {
    /// A person holding two roles of one task chooses the role on the form; the event is sent
    /// in that role.
    @Test func aPersonWithTwoRolesOfTheTaskChoosesOne() async throws {
        let h = try await WebHarness()
        let admin = Principal(person: "hr.admin", scopes: [Principal.adminScope])
        let yaml = """
        workflow: two-roles
        version: 1
        title: 两个角色
        roles:
          manager: {title: 直接上级}
          hr: {title: 人力资源部}
        start: review
        states:
          review:
            title: 审核
            on:
              approve: {by: [manager, hr], to: done, title: 同意}
          done: {final: completed}
        """
        _ = try await h.service.deploy(yaml: yaml, fileName: "two-roles.yaml", by: admin)
        _ = try await h.service.startCase(StartCaseRequest(definition: "two-roles", id: "T1", data: [:], people: ["manager": "wang.wu", "hr": "wang.wu"]), by: admin)
        try await h.app.test(.router) { client in
            var wang = Browser()
            _ = try await wang.signIn(client, token: try await h.token("wang.wu"))
            let page = try await wang.get(client, "/web/cases/T1")
            #expect(page.text.contains("<select id=\"role-review\" name=\"role\"><option value=\"manager\" selected>直接上级</option><option value=\"hr\">人力资源部</option></select>"),
                    "\(page.text)")
            let ok = try await wang.post(client, "/web/cases/T1/events", [("state", "review"), ("role", "hr"), ("event", "approve")])
            #expect(ok.status == .seeOther, "\(ok.text)")
        }
        let log = try await h.service.history(caseID: "T1", by: admin).events
        #expect(log.last.map { "\($0.name) \($0.actor ?? "-") \($0.role ?? "-")" } == "approve wang.wu hr")
        // One role only: no choice offered (the company handover's manager).
        try await h.app.test(.router) { client in
            var wang = Browser()
            _ = try await wang.signIn(client, token: try await h.token("wang.wu"))
            #expect(!(try await wang.get(client, "/web/cases/H1")).text.contains("name=\"role\""))
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing
import WFCIR
import WFCLedger
import WFCServer
import WFCService
import WFCWeb

/// A server with the web inbox over a fresh store, with the company handover policy deployed
/// and case H1 started (交接人 zhang.san, 接交人 li.si, 直接上级 wang.wu, HR zhao.liu).
struct WebHarness {
    let server: WFCHTTPServer
    let service: WorkflowService
    let secret: [UInt8]
    /// The SQLite store's path.
    let path: String
    let devSignIn: Bool
    let clock = Clock()
    /// 2025-09-22 09:00 +08:00, a Monday: the handover scenarios start then.
    static let start = Date(timeIntervalSince1970: 1_758_502_800)

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = WebHarness.start
        var now: Date {
            get { lock.lock(); defer { lock.unlock() }; return value }
            set { lock.lock(); value = newValue; lock.unlock() }
        }
    }

    init(devSignIn: Bool = false, dot: String?? = nil, data: [String: ValueIR] = [:]) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("store.sqlite").path
        self.path = path
        self.devSignIn = devSignIn
        let clock = self.clock
        service = WorkflowService(store: try StoreAccess(path: path), clock: { clock.now })
        secret = try EmbeddedSecret.load(forStore: path, create: true)
        let verifier = await TokenVerifier.hmac(secret: secret)
        var logger = Logger(label: "wfc.web.test")
        logger.logLevel = .error
        var server = WFCHTTPServer(service: service, verifier: verifier, configuration: ServerConfiguration(port: 0), logger: logger)
        let web = WebInbox(service: service, verifier: verifier, assets: try await WebAssets.load(), options: WebOptions(devSignIn: devSignIn), dotPath: dot)
        server.routeExtensions.append { web.register(on: $0) }
        self.server = server
        let admin = Principal(person: "hr.admin", scopes: [Principal.adminScope])
        let yaml = try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/company-handover.yaml"), encoding: .utf8)
        _ = try await service.deploy(yaml: yaml, fileName: "company-handover.yaml", by: admin)
        _ = try await service.startCase(StartCaseRequest(definition: "company-handover", id: "H1", data: data,
                                                         people: ["handover": "zhang.san", "receiver": "li.si", "manager": "wang.wu", "hr": "zhao.liu"]), by: admin)
    }

    func token(_ person: String, scopes: [String] = []) async throws -> String {
        try await TokenIssuer.issue(person: person, scopes: scopes, ttl: 3600, secret: secret)
    }

    var app: some ApplicationProtocol { server.application() }

    /// A second server on the same store, as behind a load balancer: its own service, store
    /// connection and web inbox, the same signing secret.
    func anotherServer(devSignIn: Bool? = nil) async throws -> WFCHTTPServer {
        let clock = self.clock
        let service = WorkflowService(store: try StoreAccess(path: path), clock: { clock.now })
        let verifier = await TokenVerifier.hmac(secret: secret)
        var logger = Logger(label: "wfc.web.test.2")
        logger.logLevel = .error
        var server = WFCHTTPServer(service: service, verifier: verifier, configuration: ServerConfiguration(port: 0), logger: logger)
        let web = WebInbox(service: service, verifier: verifier, assets: try await WebAssets.load(), options: WebOptions(devSignIn: devSignIn ?? self.devSignIn))
        server.routeExtensions.append { web.register(on: $0) }
        return server
    }
}

/// A browser without JavaScript: a cookie jar of one session cookie, and forms posted with
/// the CSRF token of the last page.
struct Browser {
    var cookie: String?
    var csrf: String?
    var language = "zh-CN,zh;q=0.9"

    static func field(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    mutating func remember(_ r: TestResponse) {
        if let set = r.headers[.setCookie], let value = set.split(separator: ";").first {
            cookie = value.hasSuffix("=") ? nil : String(value)
        }
        if let token = Self.field("_csrf", in: r.text) { csrf = token }
    }

    mutating func get(_ client: some TestClientProtocol, _ uri: String, headers extra: [String: String] = [:]) async throws -> TestResponse {
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        headers[.acceptLanguage] = language
        for (k, v) in extra { headers[HTTPFields.Element.Name(k)!] = v }
        let r = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
        remember(r)
        return r
    }

    /// Posts `fields` (and the CSRF token unless `csrf` is false).
    mutating func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf: Bool = true,
                       headers extra: [String: String] = [:]) async throws -> TestResponse {
        var all = fields
        if csrf, let token = self.csrf { all.append(("_csrf", token)) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = all.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.acceptLanguage] = language
        for (k, v) in extra { headers[HTTPFields.Element.Name(k)!] = v }
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(r)
        return r
    }

    /// Posts `fields` and `files` as `multipart/form-data`, as a browser sends a form with a
    /// file input (and the CSRF token).
    mutating func postMultipart(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)],
                                files: [(field: String, name: String, bytes: [UInt8])], boundary: String = "----wfcTestBoundary7MA4YWxk") async throws -> TestResponse {
        var all = fields
        if let token = self.csrf { all.append(("_csrf", token)) }
        var body: [UInt8] = []
        for (k, v) in all {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        for f in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.field)\"; filename=\"\(f.name)\"\r\nContent-Type: application/x-yaml\r\n\r\n".utf8)
            body += f.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        headers[.acceptLanguage] = language
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        remember(r)
        return r
    }

    /// Signs in with a token through the sign-in form.
    mutating func signIn(_ client: some TestClientProtocol, token: String) async throws -> TestResponse {
        _ = try await get(client, "/web/sign-in")
        return try await post(client, "/web/sign-in", [("token", token)])
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

@Suite struct WebSecurityTests {
    @Test func signInSetsAStrictHttpOnlySessionCookieSecureOnHTTPS() async throws {
        let h = try await WebHarness()
        try await h.app.test(.router) { client in
            var b = Browser()
            let page = try await b.get(client, "/web/sign-in")
            #expect(page.status == .ok)
            let first = try #require(page.headers[.setCookie])
            #expect(first.contains("HttpOnly") && first.contains("SameSite=Strict") && !first.contains("Secure"), "\(first)")
            let r = try await b.post(client, "/web/sign-in", [("token", try await h.token("zhang.san"))])
            #expect(r.status == .seeOther && r.headers[.location] == "/web/tasks")
            let session = try #require(r.headers[.setCookie])
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict"))
            // A new session id on sign-in (no fixation of the anonymous one).
            #expect(session.split(separator: ";").first != first.split(separator: ";").first)
            let tasks = try await b.get(client, "/web/tasks")
            #expect(tasks.status == .ok && tasks.text.contains("id=\"signed-in-person\">zhang.san<"))

            var secure = Browser()
            let https = try await secure.get(client, "/web/sign-in", headers: ["X-Forwarded-Proto": "https"])
            #expect(https.headers[.setCookie]?.contains("Secure") == true)

            // Signing out ends the session: the old cookie no longer opens a page.
            let old = b.cookie
            let out = try await b.post(client, "/web/sign-out", [])
            #expect(out.status == .seeOther && out.headers[.location] == "/web/sign-in")
            var stale = Browser(cookie: old)
            #expect(try await stale.get(client, "/web/tasks").headers[.location] == "/web/sign-in")
        }
    }

    @Test func aBadTokenIsRefusedAtTheSignInForm() async throws {
        let h = try await WebHarness()
        try await h.app.test(.router) { client in
            var b = Browser()
            let r = try await b.signIn(client, token: "not-a-jwt")
            #expect(r.status == .unauthorized)
            #expect(r.text.contains("WFC9003") && r.text.contains("id=\"sign-in-error\""))
            // Not signed in: every page sends the browser to the sign-in form.
            #expect(try await b.get(client, "/web/tasks").headers[.location] == "/web/sign-in")
            #expect(try await b.get(client, "/web/cases/H1").headers[.location] == "/web/sign-in")
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsRefused() async throws {
        let h = try await WebHarness()
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("zhang.san"))
            let fields = [("state", "apply"), ("event", "withdraw")]
            let none = try await b.post(client, "/web/cases/H1/events", fields, csrf: false)
            #expect(none.status == .forbidden && none.text.contains("WFC9020"), "\(none.text)")
            let wrong = try await b.post(client, "/web/cases/H1/events", fields + [("_csrf", String(repeating: "0", count: 64))], csrf: false)
            #expect(wrong.status == .forbidden && wrong.text.contains("WFC9020"))
            // Nothing was sent to the case.
            let who = Principal(person: "zhang.san")
            #expect(try await h.service.history(caseID: "H1", by: who).events.count == 1)
            // Signing in also needs the sign-in form's token.
            var fresh = Browser()
            let signIn = try await fresh.post(client, "/web/sign-in", [("token", try await h.token("zhang.san"))], csrf: false)
            #expect(signIn.status == .forbidden && signIn.text.contains("WFC9020"))
        }
    }

    @Test func anotherPersonCannotSeeTheCaseButAnAdministratorCan() async throws {
        let h = try await WebHarness(data: ["application": .string("因个人原因申请离职")])
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("sun.ba"))
            let r = try await b.get(client, "/web/cases/H1")
            #expect(r.status == .forbidden && r.text.contains("WFC9001"))
            #expect(!r.text.contains("zhang.san") && !r.text.contains("因个人原因"))
            let post = try await b.post(client, "/web/cases/H1/verify", [])
            #expect(post.status == .forbidden && !post.text.contains("zhang.san"))
            #expect(!(try await b.get(client, "/web/tasks")).text.contains("H1"))

            var admin = Browser()
            _ = try await admin.signIn(client, token: try await h.token("hr.admin", scopes: ["admin"]))
            let seen = try await admin.get(client, "/web/cases/H1")
            #expect(seen.status == .ok && seen.text.contains("zhang.san"))
            // An administrator sees the tasks of others but has no form for them.
            #expect(!seen.text.contains("id=\"form-apply\""))
        }
    }

    @Test func everyPageHasTheContentSecurityPolicyWithoutInlineCode() async throws {
        let h = try await WebHarness()
        try await h.app.test(.router) { client in
            var b = Browser()
            let signIn = try await b.get(client, "/web/sign-in")
            _ = try await b.post(client, "/web/sign-in", [("token", try await h.token("zhang.san"))])
            for page in [signIn, try await b.get(client, "/web/tasks"), try await b.get(client, "/web/cases/H1"), try await b.get(client, "/web/cases/NOPE")] {
                let csp = try #require(page.headers[HTTPFields.Element.Name("Content-Security-Policy")!])
                #expect(csp.contains("default-src 'none'") && csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"))
                #expect(!page.text.contains("<script") && !page.text.contains("style=\""), "inline code in \(page.text.prefix(200))")
            }
            let css = try await b.get(client, "/web/static/web.css")
            #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true && css.text.contains(".overdue"))
        }
    }

    @Test func caseTextIsEscapedByTheTemplates() async throws {
        let h = try await WebHarness(data: ["application": .string("<script>alert(1)</script>\"'&")])
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("zhang.san"))
            let page = try await b.get(client, "/web/cases/H1")
            #expect(!page.text.contains("<script>alert(1)"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;"), "\(page.text)")
        }
    }

    @Test func developmentSignInIsOffByDefaultAndBannedInRedWhenOn() async throws {
        let off = try await WebHarness()
        try await off.app.test(.router) { client in
            var b = Browser()
            let page = try await b.get(client, "/web/sign-in")
            #expect(!page.text.contains("dev-banner") && !page.text.contains("/web/dev-sign-in"))
            #expect(try await b.post(client, "/web/dev-sign-in", [("person", "wang.wu")]).status == .notFound)
        }
        let on = try await WebHarness(devSignIn: true)
        try await on.app.test(.router) { client in
            var b = Browser()
            let page = try await b.get(client, "/web/sign-in")
            #expect(page.text.contains("class=\"dev-banner\""))
            let r = try await b.post(client, "/web/dev-sign-in", [("person", "wang.wu")])
            #expect(r.status == .seeOther)
            let tasks = try await b.get(client, "/web/tasks")
            #expect(tasks.text.contains("id=\"signed-in-person\">wang.wu<") && tasks.text.contains("class=\"dev-banner\""))
        }
    }
}

@Suite struct WebPageTests {
    /// The handover walked through the forms: a refusal with the policy's message and the data
    /// kept, rows added and removed, ticks, signatures, the history and verify.
    @Test func theHandoverThroughTheForms() async throws {
        let h = try await WebHarness(dot: .some(nil))
        try await h.app.test(.router) { client in
            var zhang = Browser(), wang = Browser(), li = Browser()
            _ = try await zhang.signIn(client, token: try await h.token("zhang.san"))
            _ = try await wang.signIn(client, token: try await h.token("wang.wu"))
            _ = try await li.signIn(client, token: try await h.token("li.si"))

            let tasks = try await zhang.get(client, "/web/tasks")
            #expect(tasks.text.contains("提前申请") && tasks.text.contains("工作交接管理制度") && tasks.text.contains("四.1"))
            #expect(tasks.text.contains("href=\"/web/cases/H1\""))

            let form = try await zhang.get(client, "/web/cases/H1")
            #expect(form.text.contains("<select id=\"t0-reason\" name=\"f.reason\">"), "\(form.text)")
            #expect(form.text.contains("type=\"date\" id=\"t0-last_day\" name=\"f.last_day\""))
            #expect(form.text.contains("<label for=\"t0-last_day\">最后工作日</label>"))
            #expect(form.text.contains("id=\"event-submit\""))
            // Without Graphviz: the states as a list, the active one marked.
            #expect(form.text.contains("id=\"flow-list\"") && form.text.contains("<li class=\"active\">提前申请"))

            // 四.1: no written application → the policy's own message, the date kept.
            let refused = try await zhang.post(client, "/web/cases/H1/events",
                                               [("state", "apply"), ("f.reason", "resignation"), ("f.last_day", "2025-10-31"), ("event", "submit")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("须向直接上级提出书面申请") && refused.text.contains("id=\"refusal-apply\""))
            #expect(refused.text.contains("name=\"f.last_day\" value=\"2025-10-31\""))
            // The enum's members are the values; their titles (二、适用范围) are what a person reads.
            #expect(refused.text.contains("<option value=\"resignation\" selected>离职</option>"), "\(refused.text)")
            #expect(refused.text.contains("<option value=\"maternity_leave\">产假</option>"))

            // A value that is not of the field's type: WFC9022 at the form, nothing sent.
            let bad = try await zhang.post(client, "/web/cases/H1/events",
                                           [("state", "apply"), ("f.last_day", "2025-13-40"), ("event", "submit")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("WFC9022"))

            let ok = try await zhang.post(client, "/web/cases/H1/events",
                                          [("state", "apply"), ("f.reason", "resignation"), ("f.last_day", "2025-10-31"),
                                           ("f.application", "因个人原因申请离职"), ("event", "submit")])
            #expect(ok.status == .seeOther && ok.headers[.location] == "/web/cases/H1", "\(ok.text)")
            #expect(try await zhang.get(client, "/web/cases/H1").text.contains("直接上级审批交接申请"))
            _ = try await wang.get(client, "/web/cases/H1")
            #expect(try await wang.post(client, "/web/cases/H1/events", [("state", "application_review"), ("event", "approve")]).status == .seeOther)

            // The list: add a row, remove one, rows kept across the form changes.
            _ = try await zhang.get(client, "/web/cases/H1")
            let added = try await zhang.post(client, "/web/cases/H1/events",
                                             [("state", "prepare"), ("n.items", "1"), ("f.items.0.name", "客户资料"), ("f.items.0.kind", "document"), ("_add", "items")])
            #expect(added.text.contains("name=\"f.items.1.name\"") && added.text.contains("name=\"f.items.0.name\" value=\"客户资料\""))
            let removed = try await zhang.post(client, "/web/cases/H1/events",
                                               [("state", "prepare"), ("n.items", "3"), ("f.items.0.name", "A"), ("f.items.1.name", "B"), ("f.items.2.name", "C"),
                                                ("_remove", "items.1")])
            #expect(removed.text.contains("name=\"f.items.1.name\" value=\"C\"") && !removed.text.contains("value=\"B\"") && !removed.text.contains("f.items.2.name"))
            // 六.2: a row ticked while preparing is refused with the policy's message.
            let ticked = try await zhang.post(client, "/web/cases/H1/events",
                                              [("state", "prepare"), ("n.items", "2"), ("f.items.0.name", "客户资料"), ("f.items.0.kind", "document"),
                                               ("f.items.0.done", "true"), ("f.items.1.name", "笔记本电脑"), ("f.items.1.kind", "equipment"), ("event", "ready")])
            #expect(ticked.status == .unprocessableContent && ticked.text.contains("准备时不能预先勾选"))
            let ready = try await zhang.post(client, "/web/cases/H1/events",
                                             [("state", "prepare"), ("n.items", "3"), ("f.items.0.name", "客户资料"), ("f.items.0.kind", "document"),
                                              ("f.items.1.name", "笔记本电脑"), ("f.items.1.kind", "equipment"), ("event", "ready")])
            #expect(ready.status == .seeOther, "\(ready.text)")
            _ = try await wang.get(client, "/web/cases/H1")
            #expect(try await wang.post(client, "/web/cases/H1/events", [("state", "review"), ("event", "approve")]).status == .seeOther)

            // The receiver ticks each row (the list as prepared, one tick per item).
            let check = try await li.get(client, "/web/cases/H1")
            #expect(check.text.contains("name=\"f.items.1.done\"") && check.text.contains("name=\"f.items.0.name\" value=\"客户资料\""))
            #expect(try await li.post(client, "/web/cases/H1/events",
                                      [("state", "check"), ("n.items", "2"), ("f.items.0.name", "客户资料"), ("f.items.0.kind", "document"), ("f.items.0.done", "true"),
                                       ("f.items.1.name", "笔记本电脑"), ("f.items.1.kind", "equipment"), ("f.items.1.done", "true"), ("event", "checked")]).status == .seeOther)

            // Both sign; a signature can be withdrawn; the missing party is named.
            let sign = try await zhang.get(client, "/web/cases/H1")
            #expect(sign.text.contains("id=\"sign-execute\"") && sign.text.contains("接交人（li.si）"))
            #expect(try await zhang.post(client, "/web/cases/H1/events", [("state", "execute"), ("role", "handover"), ("event", "sign")]).status == .seeOther)
            let signed = try await zhang.get(client, "/web/cases/H1")
            #expect(signed.text.contains("id=\"unsign-execute\"") && !signed.text.contains("id=\"sign-execute\""))
            #expect(try await zhang.post(client, "/web/cases/H1/events", [("state", "execute"), ("event", "unsign")]).status == .seeOther)
            #expect(try await zhang.get(client, "/web/cases/H1").text.contains("id=\"sign-execute\""))
            _ = try await zhang.post(client, "/web/cases/H1/events", [("state", "execute"), ("role", "handover"), ("event", "sign")])
            _ = try await li.get(client, "/web/cases/H1")
            #expect(try await li.post(client, "/web/cases/H1/events", [("state", "execute"), ("role", "receiver"), ("event", "sign")]).status == .seeOther)
            _ = try await wang.get(client, "/web/cases/H1")
            #expect(try await wang.post(client, "/web/cases/H1/events", [("state", "supervise"), ("event", "confirm")]).status == .seeOther)

            let done = try await wang.get(client, "/web/cases/H1")
            #expect(done.text.contains("id=\"case-status\">已完成<"))
            // The history: who did what, the refusals marked with their message.
            #expect(done.text.contains("wang.wu") && done.text.contains("class=\"refused\"") && done.text.contains("须向直接上级提出书面申请"))
            let verified = try await wang.post(client, "/web/cases/H1/verify", [])
            #expect(verified.status == .ok && verified.text.contains("id=\"verify-result\"") && verified.text.contains("记录完整"))
        }
    }

    @Test func myTasksShowWorkingDaysAndTurnRedWhenOverdue() async throws {
        let h = try await WebHarness()
        let zhang = Principal(person: "zhang.san"), wang = Principal(person: "wang.wu")
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "submit", data: ["reason": .string("resignation"), "last_day": .string("2025-10-31"),
                                                                                         "application": .string("离职")]), actor: zhang)
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "approve"), actor: wang)
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "ready", data: ["items": .list([.map(["name": .string("客户资料"), "kind": .string("document")])])]),
                                     actor: zhang)
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("wang.wu"))
            let page = try await b.get(client, "/web/tasks")
            #expect(page.text.contains("交接审核") && page.text.contains("还剩 3 个工作日"), "\(page.text)")
            #expect(!page.text.contains("task overdue"))
            b.language = "en-US,en;q=0.9,zh;q=0.5"
            let english = try await b.get(client, "/web/tasks")
            #expect(english.text.contains("3 working days left") && english.text.contains("My tasks"))
            #expect(english.headers[.contentLanguage] == "en")
            b.language = "zh-CN"
            h.clock.now = WebHarness.start.addingTimeInterval(10 * 86_400)
            let late = try await b.get(client, "/web/tasks")
            #expect(late.text.contains("class=\"task overdue\"") && late.text.contains("已逾期"), "\(late.text)")
            // The filter by policy.
            #expect(try await b.get(client, "/web/tasks?policy=company-handover").text.contains("交接审核"))
            #expect(try await b.get(client, "/web/tasks?policy=other").text.contains("id=\"no-tasks\""))
        }
    }

    @Test func theFlowIsDrawnByGraphvizWhenItIsInstalled() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else { return }
        let h = try await WebHarness(dot: "/usr/bin/dot")
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("zhang.san"))
            let page = try await b.get(client, "/web/cases/H1")
            #expect(page.text.contains("<svg") && page.text.contains("id=\"flow-svg\"") && page.text.contains("#fde68a"))
        }
    }
}

@Suite struct WebOverviewTests {
    @Test func theHROverviewIsForAdministrators() async throws {
        let h = try await WebHarness()
        let zhang = Principal(person: "zhang.san"), wang = Principal(person: "wang.wu")
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "submit", data: ["reason": .string("resignation"), "last_day": .string("2025-10-31"),
                                                                                         "application": .string("离职")]), actor: zhang)
        h.clock.now = WebHarness.start.addingTimeInterval(2 * 86_400)
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "approve"), actor: wang)
        _ = try await h.service.fire(caseID: "H1", FireRequest(event: "ready", data: ["items": .list([.map(["name": .string("客户资料"), "kind": .string("document")])])]),
                                     actor: zhang)
        let admin = Principal(person: "hr.admin", scopes: [Principal.adminScope])
        _ = try await h.service.startCase(StartCaseRequest(definition: "company-handover", id: "=cmd|calc", people: ["handover": "a", "receiver": "b", "manager": "c", "hr": "d"]),
                                          by: admin)
        // The review is 3 working days; ten days later it is overdue and ticked: a violation.
        h.clock.now = WebHarness.start.addingTimeInterval(12 * 86_400)
        _ = try await h.service.tick(by: admin)
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("zhang.san"))
            let refused = try await b.get(client, "/web/hr")
            #expect(refused.status == .forbidden && refused.text.contains("WFC9002"))
            #expect(!refused.text.contains("nav-overview"))

            var hr = Browser()
            _ = try await hr.signIn(client, token: try await h.token("hr.admin", scopes: ["admin"]))
            let page = try await hr.get(client, "/web/hr")
            #expect(page.status == .ok && page.text.contains("id=\"nav-overview\""))
            #expect(page.text.contains("2 个案件") && page.text.contains("交接审核") && page.text.contains("提前申请"), "\(page.text)")
            // The overdue review, its violation under the clause of its deadline, and durations.
            #expect(page.text.contains("class=\"task overdue\"") && page.text.contains("H1"))
            #expect(page.text.contains("工作交接管理制度 · 四.3") && page.text.contains("2025-10"))
            #expect(page.text.contains("<td>直接上级审批交接申请</td><td>2</td>"), "\(page.text)")
            let csv = try await hr.get(client, "/web/hr/cases.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("id,workflow,version,status,active,next_due,overdue_since,created_at,updated_at\r\n"))
            #expect(csv.text.contains("\"H1\",\"company-handover\"") && csv.text.contains("\"'=cmd|calc\""))
        }
    }
}

@Suite struct WebPolicyPageTests {
    @Test func aPolicyPageShowsItsRulesByClause() async throws {
        let h = try await WebHarness(dot: .some(nil))
        try await h.app.test(.router) { client in
            var b = Browser()
            _ = try await b.signIn(client, token: try await h.token("zhang.san"))
            #expect(try await b.get(client, "/web/tasks").text.contains("href=\"/web/policies/company-handover\""))
            let page = try await b.get(client, "/web/policies/company-handover")
            #expect(page.status == .ok && page.text.contains("id=\"policy-doc\"") && page.text.contains("v1"))
            // The rules as tables, names in <code>, not Markdown source.
            #expect(page.text.contains("id=\"rules-by-clause\"") && page.text.contains("<td>四.3</td>") && page.text.contains("<code>review</code>"), "\(page.text)")
            #expect(page.text.contains("id=\"rules-assumed\"") && page.text.contains("id=\"rules-omitted\""))
            #expect(!page.text.contains("| clause | rules |") && !page.text.contains("```mermaid"))
            // `wfc doc`'s rules: the review's deadline under its clause, an assumption, the flow.
            #expect(page.text.contains("四.3") && page.text.contains("按公司惯例三个工作日") && page.text.contains("id=\"flow-list\""))
            let missing = try await b.get(client, "/web/policies/nothing")
            #expect(missing.status == .notFound)
        }
    }
}

@Suite struct WebDraftPageTests {
    @Test func aDraftShowsItsDiagnosticsWithCaretsAndDeploysOnlyWhenClean() async throws {
        let h = try await WebHarness()
        let good = try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/company-handover.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "workflow: company-handover", with: "workflow: draft-handover")
        let bad = good.replacingOccurrences(of: "to: application_review", with: "to: application_reviw")
        try await h.app.test(.router) { client in
            var zhang = Browser()
            _ = try await zhang.signIn(client, token: try await h.token("zhang.san"))
            #expect(try await zhang.get(client, "/web/drafts").status == .forbidden)

            var hr = Browser()
            _ = try await hr.signIn(client, token: try await h.token("hr.admin", scopes: ["admin"]))
            let empty = try await hr.get(client, "/web/drafts")
            #expect(empty.status == .ok && empty.text.contains("<label for=\"draft-yaml\">"))
            // A typo: the diagnostic, the line it points at and a caret under the name.
            let checked = try await hr.post(client, "/web/drafts", [("file", "draft.yaml"), ("yaml", bad), ("action", "check")])
            #expect(checked.status == .unprocessableContent && checked.text.contains("application_reviw"))
            #expect(checked.text.contains("class=\"caret\"") && checked.text.contains("^^^"), "\(checked.text)")
            #expect(!checked.text.contains("id=\"draft-deploy\""))
            // As a browser sends a textarea: CRLF line ends, the same caret.
            let crlf = try await hr.post(client, "/web/drafts", [("yaml", bad.replacingOccurrences(of: "\n", with: "\r\n")), ("action", "check")])
            #expect(crlf.text.contains("class=\"caret\"") && crlf.text.contains("^^^"))
            // Deploying a draft with errors deploys nothing.
            let refused = try await hr.post(client, "/web/drafts", [("yaml", bad), ("action", "deploy")])
            #expect(refused.status == .unprocessableContent)
            let admin = Principal(person: "hr.admin", scopes: [Principal.adminScope])
            #expect(try await h.service.definitions(workflow: "draft-handover", by: admin).isEmpty)
            // Clean: the rules and a deploy button; deploying goes to the policy page.
            let clean = try await hr.post(client, "/web/drafts", [("yaml", good), ("action", "check")])
            #expect(clean.status == .ok && clean.text.contains("id=\"draft-clean\"") && clean.text.contains("id=\"draft-deploy\"") && clean.text.contains("四.3"))
            let deployed = try await hr.post(client, "/web/drafts", [("yaml", good), ("action", "deploy")])
            #expect(deployed.status == .seeOther && deployed.headers[.location] == "/web/policies/draft-handover")
            #expect(try await h.service.definitions(workflow: "draft-handover", by: admin).count == 1)
            // And the form needs its CSRF token like every other.
            #expect(try await hr.post(client, "/web/drafts", [("yaml", good), ("action", "deploy")], csrf: false).status == .forbidden)
        }
    }
}

@Suite struct WebDraftUploadTests {
    @Test func anUploadedFileIsCheckedAndDeployedUnderItsName() async throws {
        let h = try await WebHarness()
        let good = try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/company-handover.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "workflow: company-handover", with: "workflow: uploaded-handover")
        let bad = good.replacingOccurrences(of: "to: application_review", with: "to: application_reviw")
        try await h.app.test(.router) { client in
            var hr = Browser()
            _ = try await hr.signIn(client, token: try await h.token("hr.admin", scopes: ["admin"]))
            let page = try await hr.get(client, "/web/drafts")
            #expect(page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("id=\"draft-upload\""))
            // The file replaces the (empty) textarea; its name, without any folder, names the draft.
            let checked = try await hr.postMultipart(client, "/web/drafts", [("file", ""), ("yaml", ""), ("action", "check")],
                                                     files: [("upload", "C:\\policies\\交接制度.yaml", Array(bad.utf8))])
            #expect(checked.status == .unprocessableContent, "\(checked.text)")
            #expect(checked.text.contains("交接制度.yaml") && checked.text.contains("application_reviw") && checked.text.contains("^^^"), "\(checked.text)")
            // Chinese first: the diagnostic's own words in Chinese, its code unchanged.
            #expect(checked.text.contains("[WFC5001]") && checked.text.contains("没有叫"), "\(checked.text)")
            #expect(Browser.field("file", in: checked.text) == "交接制度.yaml", "\(checked.text)")
            let deployed = try await hr.postMultipart(client, "/web/drafts", [("file", ""), ("yaml", ""), ("action", "deploy")],
                                                      files: [("upload", "handover.yaml", Array(good.utf8))])
            #expect(deployed.status == .seeOther && deployed.headers[.location] == "/web/policies/uploaded-handover")
            // Not UTF-8, a body without its boundary, and no CSRF token: coded refusals, nothing deployed.
            let latin1 = try await hr.postMultipart(client, "/web/drafts", [("action", "check")], files: [("upload", "x.yaml", [0x77, 0x3A, 0x20, 0xE9, 0x0A])])
            #expect(latin1.status == .badRequest && latin1.text.contains("WFC9004"), "\(latin1.text)")
            var headers = HTTPFields()
            if let cookie = hr.cookie { headers[.cookie] = cookie }
            headers[.contentType] = "multipart/form-data"
            let noBoundary = try await client.execute(uri: "/web/drafts", method: .post, headers: headers, body: ByteBuffer(string: "x"))
            #expect(noBoundary.status == .badRequest && noBoundary.text.contains("WFC9004"))
            hr.csrf = nil
            let forged = try await hr.postMultipart(client, "/web/drafts", [("action", "deploy")], files: [("upload", "y.yaml", Array(good.utf8))])
            #expect(forged.status == .forbidden)
        }
    }
}

@Suite struct WebTemplateTests {
    @Test func aMissingTemplateIsACodedError() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-web-templates-\(UUID().uuidString)")
        let source = try await WebAssets.load().directory
        try FileManager.default.copyItem(atPath: source, toPath: dir.path)
        try FileManager.default.removeItem(atPath: dir.path + "/Templates/case.mustache")
        do {
            _ = try await WebAssets.load(from: dir.path)
            Issue.record("a folder without case.mustache was accepted")
        } catch let error as WebSetupError {
            #expect(error.code == "WFC9021" && error.message.contains("case.mustache"), "\(error)")
        }
        do {
            _ = try await WebAssets.load(from: dir.path + "/nowhere")
            Issue.record("a missing folder was accepted")
        } catch let error as WebSetupError {
            #expect(error.code == "WFC9021")
        }
    }
}

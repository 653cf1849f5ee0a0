import Foundation
import Hummingbird
import WFCDiagnostics
import WFCIR
import WFCLedger
import WFCRuntime
import WFCServer
import WFCService

/// What the operator turned on for the web inbox (`wfc serve` flags).
public struct WebOptions: Sendable {
    /// `--dev-sign-in`: pick a person without a token (a red banner on every page).
    public var devSignIn: Bool
    /// `--test-clock`: the clock the service reads, which a form moves forward.
    public var testClock: TestClock?
    /// Largest form body, in bytes.
    public var maxBodyBytes: Int

    public init(devSignIn: Bool = false, testClock: TestClock? = nil, maxBodyBytes: Int = 1 << 20) {
        self.devSignIn = devSignIn
        self.testClock = testClock
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The web task inbox (docs/web.md): server-rendered pages over ``WorkflowService`` for the
/// people in the cases. Sign-in with a token into a session cookie, 我的待办, a case with its
/// forms, signatures, history and diagram. Every POST carries the session's CSRF token;
/// every page has a Content-Security-Policy without inline scripts or styles.
public final class WebInbox: Sendable {
    let service: WorkflowService
    let verifier: TokenVerifier
    let assets: WebAssets
    let options: WebOptions
    let sessions: SessionStore
    let diagram: FlowDiagram

    static let cookieName = "wfc_session"
    /// No script at all; styles and images from this server only; forms post here only.
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// `dotPath`: Graphviz's `dot` (default: the one on `$PATH`); `.some(nil)` for none.
    public init(service: WorkflowService, verifier: TokenVerifier, assets: WebAssets, options: WebOptions = WebOptions(), dotPath: String?? = nil) {
        self.service = service
        self.verifier = verifier
        self.assets = assets
        self.options = options
        sessions = SessionStore(ledger: service.store.ledger)
        diagram = dotPath.map { FlowDiagram(dotPath: $0) } ?? FlowDiagram()
    }

    /// Adds the pages to `router` (for ``WFCHTTPServer/routeExtensions``).
    public func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in WebInbox.redirect("/web/tasks") }
        router.get("/web") { _, _ in WebInbox.redirect("/web/tasks") }
        let css = assets.css
        router.get("/web/static/web.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "max-age=300"
            headers[HTTPFields.Element.Name("X-Content-Type-Options")!] = "nosniff"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: css)))
        }
        router.get("/web/sign-in") { request, _ in await self.signInPage(request) }
        router.post("/web/sign-in") { request, _ in await self.signIn(request) }
        router.post("/web/sign-out") { request, _ in await self.signOut(request) }
        if options.devSignIn {
            router.post("/web/dev-sign-in") { request, _ in await self.devSignIn(request) }
        }
        router.get("/web/tasks") { request, _ in
            await self.handle(request) { v, who in try await self.tasksPage(request, v, who) }
        }
        router.get("/web/policies/{id}") { request, context in
            await self.handle(request) { v, who in try await self.policyPage(WebInbox.caseID(context), v, who) }
        }
        router.get("/web/drafts") { request, _ in
            await self.handle(request) { v, who in try await self.draftPage(v, who) }
        }
        router.post("/web/drafts") { request, _ in
            await self.handle(request) { v, who in try await self.draftPost(request, v, who) }
        }
        router.get("/web/hr") { request, _ in
            await self.handle(request) { v, who in try await self.overviewPage(v, who) }
        }
        router.get("/web/hr/cases.csv") { request, _ in
            await self.handle(request) { _, who in try await self.casesCSV(who) }
        }
        router.get("/web/cases/{id}") { request, context in
            await self.handle(request) { v, who in
                try await self.casePage(WebInbox.caseID(context), v, who)
            }
        }
        router.post("/web/cases/{id}/events") { request, context in
            await self.handle(request) { v, who in try await self.fire(request, WebInbox.caseID(context), v, who) }
        }
        router.post("/web/cases/{id}/reassign") { request, context in
            await self.handle(request) { v, who in try await self.reassign(request, WebInbox.caseID(context), v, who) }
        }
        router.post("/web/cases/{id}/verify") { request, context in
            await self.handle(request) { v, who in
                let id = WebInbox.caseID(context)
                _ = try await self.form(request, v)
                return try await self.casePage(id, v, who, verify: try await self.service.verify(caseID: id, by: who))
            }
        }
        if let clock = options.testClock {
            router.post("/web/test-clock") { request, _ in
                await self.handle(request) { v, _ in
                    let f = try await self.form(request, v)
                    guard let days = Double(f["days"] ?? ""), days >= 0, days <= 3660 else {
                        throw ServiceError(.badRequest, MalformedRequest(message: "days must be a number from 0 to 3660"))
                    }
                    clock.advance(by: days * 86_400)
                    return WebInbox.redirect(f["back"].flatMap { $0.hasPrefix("/web/") ? $0 : nil } ?? "/web/tasks")
                }
            }
        }
    }

    // MARK: - Visits and sessions

    /// Who is asking, in which language, over which scheme.
    struct Visit {
        var session: WebSession?
        var language: WebLanguage
        /// HTTPS (behind a proxy that says so): the cookie is then `Secure`.
        var secure: Bool
        var path: String
        /// Set when the store could not be asked for the session.
        var storeFailure: StoreError?
        var principal: Principal? { session?.principal }
    }

    func visit(_ request: Request) async -> Visit {
        let language = WebLanguage.from(acceptLanguage: request.headers[.acceptLanguage])
        let secure = request.uri.scheme?.rawValue == "https" || request.headers[HTTPFields.Element.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        var v = Visit(session: nil, language: language, secure: secure, path: request.uri.path)
        guard let id = request.cookies[WebInbox.cookieName]?.value else { return v }
        do { v.session = try await sessions.get(id, now: Date()) } catch {
            // The store did not answer: the visitor is treated as signed out, and the sign-in
            // page then reports the store's error with its code.
            v.storeFailure = error
        }
        // A development sign-in counts only on a server that allows them: a production server
        // sharing the store with a developer's one does not take its sessions.
        if v.session?.method == "dev", !options.devSignIn { v.session = nil }
        return v
    }

    /// Runs a signed-in page; a visitor who is not signed in goes to the sign-in page, and a
    /// failure becomes an error page with its code.
    func handle(_ request: Request, _ body: (Visit, Principal) async throws -> Response) async -> Response {
        let v = await visit(request)
        guard let who = v.principal else { return WebInbox.redirect("/web/sign-in") }
        do { return try await body(v, who) } catch { return errorPage(error, v) }
    }

    /// The posted form, when it carries this session's CSRF token (WFC9020 otherwise).
    func form(_ request: Request, _ v: Visit) async throws -> FormBody {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: options.maxBodyBytes) } catch {
            throw ServiceError(.tooLarge, RequestTooLarge(message: "the form is larger than \(options.maxBodyBytes) bytes"))
        }
        let f: FormBody
        let contentType = request.headers[.contentType]
        if contentType?.lowercased().hasPrefix("multipart/form-data") == true {
            guard let boundary = FormBody.multipartBoundary(contentType) else {
                throw ServiceError(.badRequest, MalformedRequest(message: "a multipart/form-data body needs a boundary (1 to 70 characters)"))
            }
            do { f = try FormBody(multipart: Array(buffer.readableBytesView), boundary: boundary) } catch {
                throw ServiceError(.badRequest, MalformedRequest(message: "the multipart/form-data body is malformed"))
            }
        } else {
            f = FormBody(Array(buffer.readableBytesView))
        }
        guard let s = v.session, let given = f["_csrf"], SessionStore.same(given, s.csrf) else {
            throw ServiceError(.forbidden, CSRFRefused(message: f["_csrf"] == nil ? "the form has no CSRF token" : "the form's CSRF token is not this session's"),
                               help: "reload the page and send the form again")
        }
        return f
    }

    func sessionCookie(_ s: WebSession, _ v: Visit) -> Cookie {
        Cookie(name: WebInbox.cookieName, value: s.id, path: "/", secure: v.secure, httpOnly: true, sameSite: .strict)
    }

    func signInPage(_ request: Request, error: ServiceError? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        var v = await visit(request)
        if v.principal != nil, error == nil { return WebInbox.redirect("/web/tasks") }
        if let failure = v.storeFailure { return errorPage(WorkflowService.map(failure), v) }
        var newCookie: Cookie?
        if v.session == nil {
            let s: WebSession
            do { s = try await sessions.create(principal: nil, method: nil, now: Date()) } catch { return errorPage(WorkflowService.map(error), v) }
            v.session = s
            newCookie = sessionCookie(s, v)
        }
        var context: [String: Any] = ["devSignIn": options.devSignIn]
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        var r = page("sign-in", title: v.language.text["sign_in"] ?? "", v, context, status: status)
        if let newCookie { r.setCookie(newCookie) }
        return r
    }

    func signIn(_ request: Request) async -> Response {
        let v = await visit(request)
        let f: FormBody
        do { f = try await form(request, v) } catch { return errorPage(error, v) }
        let token = (f["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch await verifier.verified(token) {
        case .success(let t):
            return await startSession(t.principal, method: "token", tokenExpires: t.expires, replacing: v)
        case .failure(let r):
            return await signInPage(request, error: ServiceError(.unauthenticated, Unauthenticated(message: r.reason)), status: .unauthorized)
        }
    }

    func devSignIn(_ request: Request) async -> Response {
        let v = await visit(request)
        let f: FormBody
        do { f = try await form(request, v) } catch { return errorPage(error, v) }
        let person = (f["person"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !person.isEmpty, person.count <= 200, StoredText.problem(person, what: "a person id") == nil else {
            return await signInPage(request, error: ServiceError(.unauthenticated, Unauthenticated(message: "give a person id")), status: .unauthorized)
        }
        var scopes: Set<String> = [Principal.startScope]
        if f["admin"] == "true" { scopes.insert(Principal.adminScope) }
        return await startSession(Principal(person: person, scopes: scopes), method: "dev", tokenExpires: nil, replacing: v)
    }

    func startSession(_ p: Principal, method: String, tokenExpires: Date?, replacing v: Visit) async -> Response {
        let s: WebSession
        do {
            if let old = v.session { try await sessions.remove(old.id) }
            s = try await sessions.create(principal: p, method: method, tokenExpires: tokenExpires, now: Date())
        } catch {
            return errorPage(WorkflowService.map(error), v)
        }
        var r = WebInbox.redirect("/web/tasks")
        r.setCookie(sessionCookie(s, v))
        return r
    }

    func signOut(_ request: Request) async -> Response {
        let v = await visit(request)
        do { _ = try await form(request, v) } catch { return errorPage(error, v) }
        if let s = v.session {
            do { try await sessions.remove(s.id) } catch { return errorPage(WorkflowService.map(error), v) }
        }
        var r = WebInbox.redirect("/web/sign-in")
        r.setCookie(Cookie(name: WebInbox.cookieName, value: "", maxAge: 0, path: "/", secure: v.secure, httpOnly: true, sameSite: .strict))
        return r
    }

    // MARK: - Pages

    /// The page `template` inside the layout, with the security headers.
    func page(_ template: String, title: String, _ v: Visit, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let t = v.language.text
        var c = WebInbox.withoutEmptyText(context)
        c["t"] = t
        c["csrf"] = v.session?.csrf ?? ""
        let body = assets.render(template, c)
        var layout: [String: Any] = ["t": t, "lang": v.language.rawValue, "title": title, "body": body, "devSignIn": options.devSignIn,
                                     "csrf": v.session?.csrf ?? ""]
        if let p = v.principal { layout["user"] = ["person": p.person, "admin": p.isAdmin] }
        if options.testClock != nil {
            layout["testClock"] = ["now": Timestamp(service.now).description, "back": v.path]
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLanguage] = v.language.rawValue
        headers[.cacheControl] = "no-store"
        headers[HTTPFields.Element.Name("Content-Security-Policy")!] = WebInbox.contentSecurityPolicy
        headers[HTTPFields.Element.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPFields.Element.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPFields.Element.Name("X-Frame-Options")!] = "DENY"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: assets.render("layout", layout))))
    }

    /// `context` without empty strings, recursively: Mustache shows a section for any string,
    /// so an absent clause or deadline must be absent, not empty.
    static func withoutEmptyText(_ context: [String: Any]) -> [String: Any] {
        func clean(_ v: Any) -> Any? {
            switch v {
            case let s as String: return s.isEmpty ? nil : s
            case let d as [String: Any]: return withoutEmptyText(d)
            case let a as [[String: Any]]: return a.map(withoutEmptyText)
            case let a as [Any]: return a.compactMap(clean)
            default: return v
            }
        }
        // An input's `value` stays, even empty: a missing one would be looked up in the
        // enclosing contexts (an empty option would show the field's value).
        var out: [String: Any] = [:]
        for (k, v) in context {
            if k == "value", v is String { out[k] = v } else if let c = clean(v) { out[k] = c }
        }
        return out
    }

    func errorPage(_ error: any Error, _ v: Visit) -> Response {
        let e: ServiceError
        if let s = error as? ServiceError { e = s } else {
            e = ServiceError(code: InternalError.descriptor.code.rawValue, kind: .unavailable, message: "the server failed to answer this request")
        }
        let status: HTTPResponse.Status = error is ServiceError ? e.httpStatus : .internalServerError
        let help = e.diagnostics.first?.help ?? ""
        return page("error", title: v.language.text["error"] ?? "", v,
                    ["code": e.code, "message": e.message, "help": help, "signedIn": v.principal != nil], status: status)
    }

    static func redirect(_ to: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = to
        return Response(status: .seeOther, headers: headers)
    }

    static func caseID(_ context: BasicRequestContext) -> String {
        let id = context.parameters.get("id") ?? ""
        return id.removingPercentEncoding ?? id
    }

    static func caseURL(_ id: String) -> String {
        "/web/cases/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id)
    }

    // MARK: - 我的待办

    func tasksPage(_ request: Request, _ v: Visit, _ who: Principal) async throws -> Response {
        let lang = v.language
        let filter = request.uri.queryParameters["policy"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        var views: [String: CaseView] = [:]
        var defs: [String: Definition] = [:]
        var rows: [[String: Any]] = []
        var policies: [String: String] = [:]
        // Soonest deadline first; tasks without one last (the order is stable).
        let tasks = try await service.tasks(for: who).enumerated().sorted { a, b in
            switch (a.element.due, b.element.due) {
            case let (x?, y?): return x != y ? x < y : a.offset < b.offset
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
        let now = service.now
        for task in tasks {
            // The task index names each case's definition: only a repository that cannot say
            // makes the page load the case.
            let hash: String
            if let h = task.definition { hash = h } else {
                if views[task.caseID] == nil { views[task.caseID] = try await service.show(caseID: task.caseID, by: who) }
                hash = views[task.caseID]?.definition ?? ""
            }
            let def: Definition
            if let hit = defs[hash] { def = hit } else { def = try await service.definition(hash: hash, by: who); defs[hash] = def }
            policies[def.ir.id] = def.ir.title
            if let filter, filter != def.ir.id { continue }
            let state = def.ir.states.first { $0.name == task.state }
            // The task's `due` is its state's unfired deadline.
            let deadline = task.due.flatMap(Timestamp.init(rfc3339:)).map { due in
                (workingDaysLeft: CaseView.workingDaysLeft(def, due: due, now: now), secondsLeft: due.seconds - Int64(now.timeIntervalSince1970.rounded(.down)),
                 dueLocal: CaseView.localText(def, due))
            }
            var row: [String: Any] = [
                "policy": def.ir.title, "caseID": task.caseID, "caseURL": WebInbox.caseURL(task.caseID), "policyURL": WebInbox.policyURL(def.ir.id),
                "state": task.title ?? task.state, "clause": state?.clause ?? "", "role": roleTitle(def, task.role),
                "actions": task.events.map { ["title": eventTitle(def, state, $0, lang)] }, "overdue": task.overdue,
            ]
            if let item = task.item { row["item"] = item + 1 }
            if let p = task.actingFor { row["actingFor"] = lang.actingFor(p) }
            if let d = deadline {
                row["deadline"] = lang.daysLeft(d.workingDaysLeft, overdue: task.overdue || d.secondsLeft < 0, dueLocal: d.dueLocal)
                row["dueLocal"] = d.dueLocal
            }
            rows.append(row)
        }
        let options = policies.sorted { $0.key < $1.key }.map { ["id": $0.key, "title": $0.value, "selected": $0.key == filter] }
        return page("tasks", title: lang.text["tasks"] ?? "", v, ["tasks": rows, "empty": rows.isEmpty, "policies": options, "person": who.person])
    }

    // MARK: - A case

    /// What is shown again at a task's form after a refusal or a form change.
    struct Posted {
        var state: String
        var item: Int?
        var values: FormValues
        var error: (message: String, code: String)?
        /// The task's 转交 form was posted, not its event form.
        var reassign = false
        /// The role chosen on the form, for a person who holds several.
        var role: String? = nil
    }

    func casePage(_ id: String, _ v: Visit, _ who: Principal, posted: Posted? = nil, verify: VerifyResult? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = v.language
        let view = try await service.show(caseID: id, by: who)
        let def = try await service.definition(hash: view.definition, by: who)
        let ir = def.ir
        let tz = def.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
        var context: [String: Any] = [
            "id": id, "caseURL": WebInbox.caseURL(id), "policy": ir.title, "policyURL": WebInbox.policyURL(ir.id), "workflow": ir.id, "status": lang.text["status_\(view.status)"] ?? view.status,
            "active": view.active.map { stateTitle(ir, $0) }.joined(separator: "、"),
            "people": ir.roles.compactMap { r in view.people[r.name].map { ["role": r.title ?? r.name, "person": $0] } },
        ]
        // Open tasks: a form for the person's own, who is waited for on the others.
        var tasks: [[String: Any]] = []
        // The people the visitor stands in for now (代理): their tasks get a form too.
        let standIns = try await service.principals(of: who)
        let reassignable = Self.reassignableRoles(ir, people: view.people, by: who)
        for (n, task) in view.tasks.enumerated() where !task.events.allSatisfy({ $0 == Event.sign || $0 == Event.unsign }) {
            guard let state = ir.states.first(where: { $0.name == task.state }) else { continue }
            let own = zip(task.roles, task.people).contains { $0.1 == who.person }
            let standIn = own ? nil : zip(task.roles, task.people).first { standIns.contains($0.1) && Substitutes.mayActFor(def, people: view.people, role: $0.0, substitute: who.person) }?.1
            let mine = own || standIn != nil
            let deadline = view.deadlines.first { $0.state == task.state && !$0.fired }
            var t: [String: Any] = [
                "state": task.state, "title": task.title ?? state.title ?? state.name, "clause": state.clause ?? "", "mine": mine,
                "waitingFor": zip(task.roles, task.people).map { "\(roleTitle(def, $0.0))（\($0.1)）" }.joined(separator: "、"),
            ]
            if let item = task.item { t["item"] = item; t["itemNumber"] = item + 1 }
            if let p = standIn { t["actingFor"] = lang.actingFor(p); t["actingForID"] = p }
            // 转交: the roles of this task the visitor may hand on, with the holder of each.
            let handable = zip(task.roles, task.people).filter { reassignable.contains($0.0) }
            if !handable.isEmpty {
                let mine = posted.flatMap { $0.reassign && $0.state == task.state && $0.item == task.item ? $0 : nil }
                var r: [String: Any] = ["roles": handable.map { ["role": $0.0, "title": roleTitle(def, $0.0), "holder": $0.1, "selected": mine?.values.text["role"] == $0.0] },
                                        "person": mine?.values.text["person"] ?? "", "reason": mine?.values.text["reason"] ?? "",
                                        "whole": mine?.values.text["whole"] == "true", "open": mine != nil]
                if let e = mine?.error { r["error"] = ["message": e.message, "code": e.code] }
                t["reassign"] = r
            }
            if let d = deadline {
                let overdue = d.secondsLeft < 0
                t["deadline"] = lang.daysLeft(d.workingDaysLeft, overdue: overdue, dueLocal: d.dueLocal)
                t["overdue"] = overdue
            }
            if mine {
                let fields = fillable(ir, state)
                let kept = posted.flatMap { $0.state == task.state && $0.item == task.item ? $0 : nil }
                var values = kept?.values ?? FormValues(data: view.data, fields: fields)
                for f in fields where f.type.isList && values.text["n.\(f.name)"] == nil {
                    values.text["n.\(f.name)"] = "1"
                }
                t["fields"] = fieldModels(fields, values: values, idPrefix: "t\(n)", lang: lang)
                t["hasFields"] = !fields.isEmpty
                t["events"] = task.events.filter { $0 != Event.sign && $0 != Event.unsign }.map { ["name": $0, "title": eventTitle(def, state, $0, lang)] }
                // A person who holds several roles of the task says in which one they act.
                let held = zip(task.roles, task.people).filter { $0.1 == (standIn ?? who.person) }.map(\.0)
                if held.count > 1 {
                    t["hasRoleChoice"] = true
                    let chosen = kept?.role
                    t["roleChoice"] = held.enumerated().map { i, r in ["role": r, "title": roleTitle(def, r), "selected": chosen.map { $0 == r } ?? (i == 0)] }
                }
                if let e = kept?.error { t["error"] = ["message": e.message, "code": e.code] }
            }
            tasks.append(t)
        }
        context["tasks"] = tasks
        context["noTasks"] = tasks.isEmpty
        // Sign-offs: who signed, who is missing, and the person's own sign / withdraw button.
        context["signoffs"] = view.signoffs.map { so -> [String: Any] in
            let state = ir.states.first { $0.name == so.state }
            var s: [String: Any] = [
                "state": so.state, "title": state?.title ?? so.state, "clause": state?.clause ?? "",
                "signed": so.signed.map { ["role": roleTitle(def, $0.role), "person": $0.person, "at": Timestamp(rfc3339: $0.at)?.local(tz) ?? $0.at] },
                "missing": so.missing.map { ["role": roleTitle(def, $0), "person": so.person(of: $0, people: view.people) ?? ""] },
            ]
            // 依次: whose turn it is; 加签: who was added, by whom and why.
            if let mode = so.mode { s["mode"] = lang.text["signoff_mode_" + mode] ?? mode }
            if let turn = so.turn, !turn.isEmpty { s["hasTurn"] = true; s["turn"] = turn.map { ["role": roleTitle(def, $0), "person": so.person(of: $0, people: view.people) ?? ""] } }
            if let added = so.added { s["hasAdded"] = true; s["added"] = added.map { ["person": $0.person, "position": lang.text["position_" + $0.position] ?? $0.position, "by": $0.by, "reason": $0.reason] } }
            if let item = so.item { s["item"] = item }
            // In order, only the parties whose turn it is may sign now.
            let myMissing = so.missing.filter { party in so.person(of: party, people: view.people) == who.person && (so.turn.map { $0.contains(party) } ?? true) }
            s["canSign"] = !myMissing.isEmpty
            s["signRoles"] = myMissing.map { ["role": $0, "title": roleTitle(def, $0)] }
            if let mine = so.signed.first(where: { $0.person == who.person }) {
                s["canUnsign"] = true
                s["unsignRole"] = mine.role
            }
            if let p = posted, p.state == so.state, let e = p.error { s["error"] = ["message": e.message, "code": e.code] }
            return s
        }
        // The flow: SVG from Graphviz, else the states as a list.
        if let svg = await diagram.svg(ir, hash: def.hash, active: view.active) {
            context["svg"] = svg
        } else {
            context["stateList"] = ir.states.filter { $0.kind != .choice }.map { ["title": $0.title ?? $0.name, "active": view.active.contains($0.name)] }
        }
        context["timeline"] = try await timeline(id, def, view, who, lang, tz)
        if let verify {
            context["verify"] = ["ok": verify.ok, "events": verify.events, "problems": verify.problems]
        }
        return page("case", title: "\(id) · \(ir.title)", v, context, status: status)
    }

    /// The audit log as who did what when, with the violations and escalations among it.
    func timeline(_ id: String, _ def: Definition, _ view: CaseView, _ who: Principal, _ lang: WebLanguage, _ tz: TimeZone) async throws -> [[String: Any]] {
        let ir = def.ir
        var entries: [(time: String, order: Int, row: [String: Any])] = []
        for e in try await service.history(caseID: id, by: who).events {
            let outcome = e.decodedOutcome
            var what: String
            switch e.kind {
            case .start: what = lang.text["started"] ?? "start"
            case .tick: what = lang.text["tick"] ?? "tick"
            case .migrate: what = lang.text["migrated"] ?? "migrated"
            case .event, .refused:
                what = eventTitle(def, nil, e.name, lang)
                if let item = e.item { what += " [\(lang.text["item"] ?? "item") \(item + 1)]" }
            }
            var row: [String: Any] = ["seq": e.seq, "who": e.actor ?? "—", "what": what, "when": Timestamp(rfc3339: e.time)?.local(tz) ?? e.time,
                                      "role": e.role.map { roleTitle(def, $0) } ?? ""]
            if let r = outcome?.refusal {
                row["refused"] = ["message": r.message, "kind": r.kind]
            }
            if let active = outcome?.active, outcome?.accepted == true {
                row["after"] = active.map { stateTitle(ir, $0) }.joined(separator: "、")
            }
            entries.append((e.time, e.seq * 2, row))
        }
        // `TIME STATE: text` lines of the case view.
        func marks(_ lines: [String], _ key: String) {
            for (i, line) in lines.enumerated() {
                let time = String(line.prefix { $0 != " " })
                let rest = line.dropFirst(time.count + 1)
                let state = String(rest.prefix { $0 != ":" })
                let text = rest.dropFirst(state.count + 1).trimmingCharacters(in: .whitespaces)
                entries.append((time, Int.max / 2 + i, [key: true, "who": "—", "what": "\(stateTitle(ir, state)): \(text)",
                                                       "when": Timestamp(rfc3339: time)?.local(tz) ?? time]))
            }
        }
        marks(view.violations, "violation")
        marks(view.escalations, "escalation")
        return entries.sorted { ($0.time, $0.order) < ($1.time, $1.order) }.map(\.row)
    }

    /// Sends the task form's event, or changes the form (a row added or removed) and shows it
    /// again. A refusal is shown at the form with what was typed.
    func fire(_ request: Request, _ id: String, _ v: Visit, _ who: Principal) async throws -> Response {
        let f = try await form(request, v)
        let stateName = f["state"] ?? ""
        let item = f["item"].flatMap { Int($0) }
        var values = f.values
        func again(_ error: (String, String)?, status: HTTPResponse.Status) async throws -> Response {
            try await casePage(id, v, who, posted: Posted(state: stateName, item: item, values: values, error: error, role: f["role"]), status: status)
        }
        if let field = f["_add"] {
            values.text["n.\(field)"] = String(min(values.rows(field) + 1, FormConversion.maxRows))
            return try await again(nil, status: .ok)
        }
        if let which = f["_remove"] {
            let parts = which.split(separator: ".")
            if parts.count == 2, let i = Int(parts[1]) { values.removeRow(String(parts[0]), at: i) }
            return try await again(nil, status: .ok)
        }
        guard let event = f["event"], !event.isEmpty else { return try await again(nil, status: .ok) }
        let view = try await service.show(caseID: id, by: who)
        let def = try await service.definition(hash: view.definition, by: who)
        var data: [String: ValueIR] = [:]
        if event != Event.sign && event != Event.unsign, let state = def.ir.states.first(where: { $0.name == stateName }) {
            let fields = fillable(def.ir, state, event: event)
            switch Result(catching: { () throws(FormConversion.Invalid) in try FormConversion.data(values, fields: fields) }) {
            case .success(let d): data = d
            case .failure(let e): return try await again((e.message, FormValueInvalid.descriptor.code.rawValue), status: .unprocessableContent)
            }
        }
        let request = FireRequest(event: event, role: f["role"].flatMap { $0.isEmpty ? nil : $0 }, item: item, data: data.isEmpty ? nil : data,
                                  actingFor: f["actingFor"].flatMap { $0.isEmpty ? nil : $0 })
        var refusal: ServiceError?
        do throws(ServiceError) { _ = try await service.fire(caseID: id, request, actor: who) } catch { refusal = error }
        if let e = refusal {
            // A policy refusal goes back to its form; anything else is an error page.
            guard [.refused, .forbidden].contains(e.kind), e.code != NotAParticipant.descriptor.code.rawValue else { throw e }
            return try await again((e.message, e.code), status: e.httpStatus)
        }
        return WebInbox.redirect(WebInbox.caseURL(id))
    }

    /// The roles `who` may hand on (转交) in a case with these people: those the policy's
    /// `reassign:` lists (every role when it lists none), when `who` holds one of its `by:`
    /// roles. Empty without `reassign:`. The service decides again on the POST.
    static func reassignableRoles(_ ir: WorkflowIR, people: [String: String], by who: Principal) -> Set<String> {
        guard let re = ir.reassign else { return [] }
        func name(_ id: Int) -> String? { ir.roles.first { $0.id == id }?.name }
        guard re.by.contains(where: { name($0).flatMap { people[$0] } == who.person }) else { return [] }
        return Set((re.roles ?? ir.roles.map(\.id)).compactMap(name))
    }

    /// The 转交 form of an open task: the role, the person who takes over, the reason, and
    /// whether for the rest of the case. A refusal goes back to the form.
    func reassign(_ request: Request, _ id: String, _ v: Visit, _ who: Principal) async throws -> Response {
        let f = try await form(request, v)
        let task = f["task"] ?? ""
        let item = f["item"].flatMap { Int($0) }
        // Kept to show the form again after a refusal: nothing typed is lost.
        var values = FormValues()
        for k in ["role", "person", "reason", "whole"] { values.text[k] = f[k] }
        let r = ReassignRequest(role: f["role"] ?? "", person: (f["person"] ?? "").trimmingCharacters(in: .whitespaces),
                                task: f["whole"] == "true" ? nil : task, item: item, reason: f["reason"] ?? "")
        var refusal: ServiceError?
        do throws(ServiceError) { _ = try await service.reassign(caseID: id, r, actor: who) } catch { refusal = error }
        if let e = refusal {
            guard [.refused, .forbidden, .badRequest].contains(e.kind), e.code != NotAParticipant.descriptor.code.rawValue else { throw e }
            return try await casePage(id, v, who, posted: Posted(state: task, item: item, values: values, error: (e.message, e.code), reassign: true), status: e.httpStatus)
        }
        return WebInbox.redirect(WebInbox.caseURL(id))
    }

    // MARK: - Forms from the schema

    /// The fields a task's form fills: the state's `fills` and its events' (only `event`'s
    /// when given).
    func fillable(_ ir: WorkflowIR, _ state: StateIR, event: String? = nil) -> [FieldIR] {
        var ids = state.fills
        for t in state.transitions where event == nil || t.event == event { ids += t.fills }
        var seen = Set<Int>()
        return ids.filter { seen.insert($0).inserted }.compactMap { id in ir.fields.first { $0.id == id } }
    }

    /// One input per field; a list is a table of rows with add and remove buttons, a
    /// checklist's `done` a tick per row.
    func fieldModels(_ fields: [FieldIR], values: FormValues, idPrefix: String, lang: WebLanguage) -> [[String: Any]] {
        fields.map { f in
            let label = f.title ?? f.name
            switch f.type {
            case .list, .checklist:
                let isChecklist: Bool
                let columns: [FieldIR]
                switch f.type {
                case .checklist(let sub): isChecklist = true; columns = sub
                case .list(let e): isChecklist = false; columns = e.recordFields ?? [FieldIR(id: -1, name: "value", type: e, optional: false, title: label, memberTitles: f.memberTitles)]
                default: isChecklist = false; columns = []
                }
                let count = values.rows(f.name)
                let rows: [[String: Any]] = (0..<count).map { i in
                    var row: [String: Any] = [
                        "number": i + 1, "removeValue": "\(f.name).\(i)",
                        "cells": columns.map { c in
                            // The row is named for screen readers only; the eye sees the row's legend.
                            input(c, label: c.title ?? c.name, name: "f.\(f.name).\(i).\(c.name)",
                                  id: "\(idPrefix)-\(f.name)-\(i)-\(c.name)", value: values.text["f.\(f.name).\(i).\(c.name)"] ?? "", required: false)
                                .merging(["labelPrefix": "\(label) \(i + 1) · "]) { a, _ in a }
                        },
                    ]
                    if isChecklist {
                        row["done"] = ["name": "f.\(f.name).\(i).done", "id": "\(idPrefix)-\(f.name)-\(i)-done",
                                       "checked": values.text["f.\(f.name).\(i).done"] == "true", "label": lang.text["done"] ?? "done",
                                       "labelPrefix": "\(label) \(i + 1) · "]
                    }
                    return row
                }
                return ["isRows": true, "label": label, "name": f.name, "countName": "n.\(f.name)", "count": count, "rows": rows,
                        "isChecklist": isChecklist, "columns": columns.map { ["title": $0.title ?? $0.name] }]
            default:
                return input(f, label: label, name: "f.\(f.name)", id: "\(idPrefix)-\(f.name)", value: values.text["f.\(f.name)"] ?? "", required: !f.optional)
            }
        }
    }

    /// A scalar field's input: date, number, select or text, tied to its label by `id`.
    func input(_ f: FieldIR, label: String, name: String, id: String, value: String, required: Bool) -> [String: Any] {
        var m: [String: Any] = ["label": label, "name": name, "id": id, "value": value, "required": required]
        switch f.type {
        case .enumeration(let members):
            m["isSelect"] = true
            m["options"] = [["value": "", "label": "—", "selected": value.isEmpty]]
                + members.map { ["value": $0, "label": f.title(ofMember: $0), "selected": $0 == value] }
        case .bool:
            m["isCheckbox"] = true
            m["checked"] = value == "true"
        case .int: m["isInput"] = true; m["type"] = "number"; m["step"] = "1"
        case .decimal: m["isInput"] = true; m["type"] = "number"; m["step"] = "any"
        case .date: m["isInput"] = true; m["type"] = "date"
        default: m["isInput"] = true; m["type"] = "text"
        }
        return m
    }

    // MARK: - Titles

    func stateTitle(_ ir: WorkflowIR, _ name: String) -> String {
        ir.states.first { $0.name == name }.map { $0.title ?? $0.name } ?? name
    }

    func roleTitle(_ def: Definition, _ name: String) -> String {
        def.ir.roles.first { $0.name == name }.map { $0.title ?? $0.name } ?? name
    }

    /// An event's title: the transition's `title`, sign and withdraw in the page's language,
    /// else its name.
    func eventTitle(_ def: Definition, _ state: StateIR?, _ event: String, _ lang: WebLanguage) -> String {
        if event == Event.sign { return lang.text["sign"] ?? event }
        if event == Event.unsign { return lang.text["unsign"] ?? event }
        let states = state.map { [$0] } ?? def.ir.states
        for s in states { if let t = s.transitions.first(where: { $0.event == event })?.title { return t } }
        return event
    }
}

extension FormValues {
    /// The values without row `index` of `field`, the later rows moved up.
    mutating func removeRow(_ field: String, at index: Int) {
        let count = rows(field)
        guard index >= 0, index < count else { return }
        let prefix = "f.\(field)."
        var moved: [String: String] = [:]
        for (k, v) in text {
            guard k.hasPrefix(prefix) else { moved[k] = v; continue }
            let rest = k.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]) else { moved[k] = v; continue }
            if i == index { continue }
            moved[i > index ? "\(prefix)\(i - 1)\(rest[dot...])" : k] = v
        }
        moved["n.\(field)"] = String(count - 1)
        text = moved
    }
}

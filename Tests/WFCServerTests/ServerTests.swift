import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import TestSupport
import Testing
import WFCDiagnostics
import WFCLedger
import WFCServer
import WFCService

/// A server over a fresh store, its HS256 secret, and tokens for the people of the
/// personnel-change workflow.
struct Harness {
    let dir: URL
    let server: WFCHTTPServer
    let secret: [UInt8]
    /// 2025-10-13 09:00 +08:00: the workflow's scenarios start then.
    static let now = Date(timeIntervalSince1970: 1_760_317_200)
    static let people = ["employee": "zhang.san", "receiver": "li.si", "supervisor": "wang.wu", "dept_head": "zhao.liu"]

    /// The service's clock: ``now`` unless a test moves it.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Harness.now
        var now: Date {
            get { lock.lock(); defer { lock.unlock() }; return value }
            set { lock.lock(); value = newValue; lock.unlock() }
        }
    }
    let clock = Clock()

    init(maxBodyBytes: Int = 1 << 20, metricsToken: String? = nil) async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try StoreAccess(path: dir.appendingPathComponent("store.sqlite").path)
        let clock = self.clock
        let service = WorkflowService(store: store, clock: { clock.now })
        secret = try EmbeddedSecret.load(forStore: dir.appendingPathComponent("store.sqlite").path, create: true)
        let verifier = await TokenVerifier.hmac(secret: secret)
        var logger = Logger(label: "wfc.serve.test")
        logger.logLevel = .error
        server = WFCHTTPServer(service: service, verifier: verifier, configuration: ServerConfiguration(port: 0, maxBodyBytes: maxBodyBytes, metricsToken: metricsToken), logger: logger)
    }

    /// A token valid around ``now`` (and the real clock, which jwt-kit checks `exp` against).
    func token(_ person: String, scopes: [String] = []) async throws -> String {
        try await TokenIssuer.issue(person: person, scopes: scopes, ttl: 3600, secret: secret)
    }

    var app: some ApplicationProtocol { server.application() }

    static var workflow: String {
        get throws { try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/personnel-change.yaml"), encoding: .utf8) }
    }
}

extension TestClientProtocol {
    /// A request with a bearer token and a body.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil, yaml: String? = nil,
              headers extra: [String: String] = [:]) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        if yaml != nil { headers[.contentType] = "application/yaml" }
        for (k, v) in extra { headers[HTTPFields.Element.Name(k)!] = v }
        let body = (json ?? yaml).map { ByteBuffer(string: $0) }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(String(buffer: body).utf8))
    }
    var problem: Problem? { try? decode(Problem.self) }
    var text: String { String(buffer: body) }
}

/// Deploys personnel-change.yaml and starts case C1 (as hr.admin); returns the admin token.
func deployAndStart(_ client: some TestClientProtocol, _ h: Harness) async throws -> String {
    let admin = try await h.token("hr.admin", scopes: ["admin"])
    let d = try await client.call(.post, "/v1/definitions?file=personnel-change.yaml", token: admin, yaml: try Harness.workflow)
    #expect(d.status == .created, "\(d.text)")
    let people = try String(decoding: JSONEncoder().encode(Harness.people), as: UTF8.self)
    let s = try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "personnel-change", "id": "C1", "people": \#(people), "data": {}}"#)
    #expect(s.status == .created, "\(s.text)")
    return admin
}

@Suite struct ServerSessionTests {
    /// The README's curl session: deploy, start, my tasks, fire, history, verify.
    @Test func deployStartTasksFireHistoryVerify() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await h.token("hr.admin", scopes: ["admin"])
            let d = try await client.call(.post, "/v1/definitions?file=personnel-change.yaml", token: admin, yaml: try Harness.workflow)
            #expect(d.status == .created)
            let deployed = try d.decode(DeployResult.self)
            #expect(deployed.workflow == "personnel-change" && deployed.version == 1 && deployed.hash.hasPrefix("sha256:") && deployed.created, "\(d.text)")
            // Deploying the same text again is idempotent.
            let again = try await client.call(.post, "/v1/definitions?file=personnel-change.yaml", token: admin, yaml: try Harness.workflow)
            #expect(again.status == .ok, "\(again.text)")
            #expect(try again.decode(DeployResult.self).hash == deployed.hash)
            let list = try await client.call(.get, "/v1/definitions", token: admin)
            #expect(try list.decode(DefinitionList.self).definitions.map(\.hash) == [deployed.hash])

            let people = try String(decoding: JSONEncoder().encode(Harness.people), as: UTF8.self)
            let s = try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "\#(deployed.hash)", "id": "C1", "people": \#(people), "data": {}}"#)
            #expect(s.status == .created)
            #expect(s.headers[.location] == "/v1/cases/C1")
            let view = try s.decode(CaseView.self)
            #expect(view.active == ["agree_date"] && view.version == 1)

            let supervisor = try await h.token("wang.wu")
            let tasks = try await client.call(.get, "/v1/tasks", token: supervisor).decode(TaskList.self)
            #expect(tasks.person == "wang.wu")
            #expect(tasks.tasks.map { "\($0.caseID) \($0.state) \($0.role) \($0.events)" } == ["C1 agree_date supervisor [\"agreed\"]"])
            #expect(try await client.call(.get, "/v1/tasks", token: try await h.token("li.si")).decode(TaskList.self).tasks.isEmpty)

            let f = try await client.call(.post, "/v1/cases/C1/events", token: supervisor,
                                          json: #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#,
                                          headers: ["Idempotency-Key": "agree-1"])
            #expect(f.status == .ok, "\(f.text)")
            let fired = try f.decode(FireResult.self)
            #expect(fired.outcome == "accepted" && fired.active == ["apply"] && fired.version == 2 && fired.seq == 2)
            #expect(fired.effects.contains { $0.hasPrefix("open: apply") })
            // Written by hand, byte for byte what the encoder of every other answer writes.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(f.text == String(decoding: try encoder.encode(fired), as: UTF8.self), "\(f.text)")
            // The same key and request again: its first outcome, nothing new recorded.
            let replay = try await client.call(.post, "/v1/cases/C1/events", token: supervisor,
                                               json: #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#,
                                               headers: ["Idempotency-Key": "agree-1"])
            #expect(try replay.decode(FireResult.self).outcome == "replayed")

            let employee = try await h.token("zhang.san")
            #expect(try await client.call(.get, "/v1/tasks", token: employee).decode(TaskList.self).tasks.map(\.state) == ["apply"])

            let history = try await client.call(.get, "/v1/cases/C1/history", token: employee).decode(HistoryResult.self)
            #expect(history.events.map(\.name) == ["start", "agreed"])
            #expect(history.events.map(\.actor) == ["hr.admin", "wang.wu"])
            #expect(history.events[1].prevHash == history.events[0].hash)

            let verify = try await client.call(.post, "/v1/cases/C1/verify", token: employee).decode(VerifyResult.self)
            #expect(verify.ok && verify.events == 2)

            let shown = try await client.call(.get, "/v1/cases/C1", token: employee).decode(CaseView.self)
            #expect(shown.data["change"] == .string("transfer"))
        }
    }

    @Test func myTasksAreOrderedBySoonestDeadline() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await h.token("hr.admin", scopes: ["admin"])
            let service = try String(contentsOf: PackagePaths.root.appendingPathComponent("workflows/back-office-service.yaml"), encoding: .utf8)
            #expect(try await client.call(.post, "/v1/definitions?file=back-office-service.yaml", token: admin, yaml: service).status == .created)
            #expect(try await client.call(.post, "/v1/definitions?file=personnel-change.yaml", token: admin, yaml: try Harness.workflow).status == .created)
            let clerk = #"{"clerk": "chen.jing", "quality": "gao.wei", "logistics": "ma.lin", "finance": "tang.yu", "customer": "liu.jl"}"#
            // No deadline; then one due 4 working hours after 09:00; then one started an hour later.
            h.clock.now = Date(timeIntervalSince1970: 1_764_550_800) // 2025-12-01 09:00 +08:00, a Monday
            let p = #"{"employee": "zhang.san", "receiver": "li.si", "supervisor": "chen.jing", "dept_head": "zhao.liu"}"#
            #expect(try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "personnel-change", "id": "B-nodue", "people": \#(p)}"#).status == .created)
            #expect(try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "back-office-service", "id": "Z-first", "people": \#(clerk)}"#).status == .created)
            h.clock.now = h.clock.now.addingTimeInterval(3600)
            #expect(try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "back-office-service", "id": "A-second", "people": \#(clerk)}"#).status == .created)
            let tasks = try await client.call(.get, "/v1/tasks", token: try await h.token("chen.jing")).decode(TaskList.self).tasks
            #expect(tasks.map(\.caseID) == ["Z-first", "A-second", "B-nodue"])
            #expect(tasks.map { $0.due != nil } == [true, true, false])
            #expect(tasks.first?.role == "clerk" && tasks.first?.events == ["responded"])
        }
    }

    @Test func listIsPagedNewestFirstAndLimitedToOwnCases() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await deployAndStart(client, h)
            let people = try String(decoding: JSONEncoder().encode(Harness.people), as: UTF8.self)
            for id in ["C2", "C3"] {
                let r = try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "personnel-change", "id": "\#(id)", "people": \#(people)}"#)
                #expect(r.status == .created)
            }
            let p1 = try await client.call(.get, "/v1/cases?limit=2&workflow=personnel-change", token: admin).decode(CasePage.self)
            #expect(p1.cases.map(\.id) == ["C3", "C2"])
            let cursor = try #require(p1.nextCursor)
            let p2 = try await client.call(.get, "/v1/cases?limit=2&cursor=\(cursor)", token: admin).decode(CasePage.self)
            #expect(p2.cases.map(\.id) == ["C1"] && p2.nextCursor == nil)
            // Someone with no role in any case sees none; a participant sees theirs.
            #expect(try await client.call(.get, "/v1/cases", token: try await h.token("nobody")).decode(CasePage.self).cases.isEmpty)
            #expect(try await client.call(.get, "/v1/cases?status=running", token: try await h.token("li.si")).decode(CasePage.self).cases.count == 3)
            let bad = try await client.call(.get, "/v1/cases?limit=zero", token: admin)
            #expect(bad.status == .badRequest && bad.problem?.code == "WFC9004")
            let badCursor = try await client.call(.get, "/v1/cases?cursor=xyz", token: admin)
            #expect(badCursor.status == .badRequest && badCursor.problem?.code == "WFC7007")
        }
    }

    @Test func healthMetricsAndTheCommittedOpenAPIDocument() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            #expect(try await client.call(.get, "/healthz", token: nil).status == .ok)
            let served = try await client.call(.get, "/openapi.json", token: nil)
            let committed = try String(contentsOf: PackagePaths.root.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
            #expect(served.text + "\n" == committed)
            let doc = try JSONSerialization.jsonObject(with: Data(served.text.utf8)) as? [String: Any]
            #expect(doc?["openapi"] as? String == "3.1.0")
            let paths = (doc?["paths"] as? [String: Any]).map { Set($0.keys) } ?? []
            #expect(paths.isSuperset(of: ["/v1/definitions", "/v1/cases", "/v1/cases/{id}", "/v1/cases/{id}/events", "/v1/cases/{id}/history",
                                          "/v1/cases/{id}/verify", "/v1/tasks", "/openapi.json", "/healthz", "/metrics"]))
            _ = try await client.call(.get, "/v1/tasks", token: nil)
            let echoed = try await client.call(.get, "/healthz", token: nil, headers: ["X-Request-Id": "abc-123"])
            #expect(echoed.headers[HTTPFields.Element.Name("X-Request-Id")!] == "abc-123")
            let metrics = try await client.call(.get, "/metrics", token: nil).text
            #expect(metrics.contains(#"wfc_http_requests_total{route="/v1/tasks",method="GET",status="401"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"wfc_refusals_total{code="WFC9003"} 1"#))
            #expect(metrics.contains("wfc_http_request_duration_seconds_bucket"))
        }
    }
}

@Suite struct MetricsTokenTests {
    /// With a metrics token, /metrics answers only to it; the other open endpoints stay open.
    @Test func metricsNeedTheTokenWhenOneIsSet() async throws {
        let token = String(repeating: "ab", count: 32)
        let h = try await Harness(metricsToken: token)
        try await h.app.test(.router) { client in
            for wrong in [nil, String(repeating: "ab", count: 31) + "ac", "short", try await h.token("zhang.san", scopes: ["admin"])] {
                let r = try await client.call(.get, "/metrics", token: wrong)
                #expect(r.status == .unauthorized)
                #expect(r.problem?.code == "WFC9003")
                #expect(!r.text.contains("wfc_http_requests_total"))
            }
            let ok = try await client.call(.get, "/metrics", token: token)
            #expect(ok.status == .ok)
            #expect(ok.text.contains(#"wfc_refusals_total{code="WFC9003"} 4"#), "\(ok.text)")
            #expect(try await client.call(.get, "/healthz", token: nil).status == .ok)
        }
    }
}

@Suite struct ServerStatusTests {
    @Test func everyStatusCode() async throws {
        let h = try await Harness(maxBodyBytes: 64 * 1024)
        try await h.app.test(.router) { client in
            let admin = try await deployAndStart(client, h)
            let supervisor = try await h.token("wang.wu")
            // 400: not JSON, wrong type, unknown field.
            for body in ["not json", "[1]", #"{"event": 3}"#, #"{"event": "agreed", "colour": 1}"#] {
                let r = try await client.call(.post, "/v1/cases/C1/events", token: supervisor, json: body)
                #expect(r.status == .badRequest && r.problem?.code == "WFC9004", "\(body): \(r.text)")
                #expect(r.headers[.contentType] == "application/problem+json")
            }
            // 401
            let r401 = try await client.call(.get, "/v1/cases/C1", token: nil)
            #expect(r401.status == .unauthorized && r401.problem?.code == "WFC9003" && r401.headers[.wwwAuthenticate] == "Bearer")
            // 403: a missing scope.
            let r403 = try await client.call(.post, "/v1/definitions", token: supervisor, yaml: try Harness.workflow)
            #expect(r403.status == .forbidden && r403.problem?.code == "WFC9002")
            // 404: unknown case, definition, route.
            #expect(try await client.call(.get, "/v1/cases/C9", token: admin).problem?.code == "WFC7001")
            let noDef = try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "no-such-flow", "people": {}}"#)
            #expect(noDef.status == .notFound && noDef.problem?.code == "WFC7018")
            let noRoute = try await client.call(.get, "/v1/nothing", token: admin)
            #expect(noRoute.status == .notFound && noRoute.problem?.code == "WFC9007")
            // 409: a case id that exists.
            let people = try String(decoding: JSONEncoder().encode(Harness.people), as: UTF8.self)
            let dup = try await client.call(.post, "/v1/cases", token: admin, json: #"{"definition": "personnel-change", "id": "C1", "people": \#(people)}"#)
            #expect(dup.status == .conflict && dup.problem?.code == "WFC7002" && dup.problem?.retryable == nil)
            // 400: a key reused for another request.
            _ = try await client.call(.post, "/v1/cases/C1/events", token: supervisor, json: #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#,
                                      headers: ["Idempotency-Key": "k"])
            let reused = try await client.call(.post, "/v1/cases/C1/events", token: supervisor, json: #"{"event": "revise"}"#, headers: ["Idempotency-Key": "k"])
            #expect(reused.status == .badRequest && reused.problem?.code == "WFC7013")
            // 422: refused by the policy (recorded), and a workflow with errors.
            let refused = try await client.call(.post, "/v1/cases/C1/events", token: try await h.token("zhang.san"), json: #"{"event": "aply"}"#)
            #expect(refused.status == .unprocessableContent && refused.problem?.code == "WFC6007" && refused.problem?.recordedSeq == 3)
            #expect(refused.problem?.diagnostics.first?.help == "did you mean `apply`?")
            let broken = try await client.call(.post, "/v1/definitions", token: admin, yaml: "id: x\nversion: 1\nstates: {a: {on: {go: {to: nowhere}}}}\n")
            #expect(broken.status == .unprocessableContent)
            #expect(broken.problem?.diagnostics.isEmpty == false && broken.problem?.diagnostics.allSatisfy { $0.code.hasPrefix("WFC") } == true)
            // An import is never read from the server's disk.
            let imports = try await client.call(.post, "/v1/definitions", token: admin, yaml: "import: [../../etc/passwd]\n" + (try Harness.workflow))
            #expect(imports.status == .unprocessableContent && imports.problem?.code == "WFC3014", "\(imports.text)")
            #expect(!imports.text.contains("root:"))
            // Running due timers is for administrators.
            #expect(try await client.call(.post, "/v1/tick", token: supervisor).problem?.code == "WFC9002")
            #expect(try await client.call(.post, "/v1/tick", token: admin).decode(TickList.self).cases.isEmpty)
            // 413
            let big = try await client.call(.post, "/v1/definitions", token: admin, yaml: String(repeating: "# padding\n", count: 10_000))
            #expect(big.status == .contentTooLarge && big.problem?.code == "WFC9005")
        }
    }
}

@Suite struct ServerSecurityTests {
    /// Sends an event with `token` and expects `status` and `code`, and the case unchanged.
    func expectRefused(_ client: some TestClientProtocol, _ h: Harness, token: String?, body: String = #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#,
                       status: HTTPResponse.Status, code: String, recorded: Bool = false) async throws {
        let admin = try await h.token("hr.admin", scopes: ["admin"])
        let before = try await client.call(.get, "/v1/cases/C1/history", token: admin).decode(HistoryResult.self)
        let r = try await client.call(.post, "/v1/cases/C1/events", token: token, json: body)
        #expect(r.status == status, "\(r.text)")
        #expect(r.problem?.code == code, "\(r.text)")
        let after = try await client.call(.get, "/v1/cases/C1", token: admin).decode(CaseView.self)
        #expect(after.version == 1 && after.active == ["agree_date"], "the case changed")
        let history = try await client.call(.get, "/v1/cases/C1/history", token: admin).decode(HistoryResult.self)
        // Only a policy refusal is recorded (and chained); nothing else writes.
        #expect(history.events.count == before.events.count + (recorded ? 1 : 0))
        if recorded { #expect(history.events.last?.kind == .refused) }
    }

    func forged(header: String, claims: AccessClaims, signature: String) throws -> String {
        func b64(_ d: Data) -> String { d.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "") }
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        return b64(Data(header.utf8)) + "." + b64(try e.encode(claims)) + "." + signature
    }

    @Test func tokensThatAreRefused() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            _ = try await deployAndStart(client, h)
            // No token, garbage.
            try await expectRefused(client, h, token: nil, status: .unauthorized, code: "WFC9003")
            try await expectRefused(client, h, token: "not.a.token", status: .unauthorized, code: "WFC9003")
            // Expired.
            let expired = try await TokenIssuer.issue(person: "wang.wu", scopes: [], ttl: 60, secret: h.secret, now: Date().addingTimeInterval(-7200))
            try await expectRefused(client, h, token: expired, status: .unauthorized, code: "WFC9003")
            // Not yet valid.
            let future = try await TokenIssuer.issue(person: "wang.wu", scopes: [], ttl: 60, secret: h.secret, now: Date().addingTimeInterval(7200))
            try await expectRefused(client, h, token: future, status: .unauthorized, code: "WFC9003")
            // Signed with another secret.
            let other = try await TokenIssuer.issue(person: "wang.wu", scopes: [], ttl: 600, secret: Array(repeating: 7, count: 32))
            try await expectRefused(client, h, token: other, status: .unauthorized, code: "WFC9003")
            // A valid token with its signature changed.
            let good = try await h.token("wang.wu")
            try await expectRefused(client, h, token: String(good.dropLast(2)) + (good.hasSuffix("AA") ? "BB" : "AA"), status: .unauthorized, code: "WFC9003")
            // alg: none, unsigned.
            let claims = AccessClaims(sub: "wang.wu", expires: Date().addingTimeInterval(600), scopes: ["admin"])
            try await expectRefused(client, h, token: try forged(header: #"{"alg":"none","typ":"JWT"}"#, claims: claims, signature: ""), status: .unauthorized, code: "WFC9003")
            // Another algorithm (HS384, keyed with the secret, padded to HS384's key size).
            let hs384 = JWTKeyCollection()
            await hs384.add(hmac: HMACKey(from: h.secret + h.secret.prefix(16)), digestAlgorithm: .sha384)
            try await expectRefused(client, h, token: try await hs384.sign(claims), status: .unauthorized, code: "WFC9003")
            // A token the server's key would accept, to show the above were refused for their reasons.
            let r = try await client.call(.get, "/v1/cases/C1", token: good)
            #expect(r.status == .ok)
        }
    }

    @Test func issuerAndAudienceAreChecked() async throws {
        let secret = Array(repeating: UInt8(9), count: 32)
        let v = await TokenVerifier.hmac(secret: secret, issuer: "acme-idp", audience: "wfc")
        let right = try await TokenIssuer.issue(person: "a", scopes: [], ttl: 60, secret: secret, issuer: "acme-idp", audience: "wfc")
        let wrongIssuer = try await TokenIssuer.issue(person: "a", scopes: [], ttl: 60, secret: secret, issuer: "evil", audience: "wfc")
        let noAudience = try await TokenIssuer.issue(person: "a", scopes: [], ttl: 60, secret: secret, issuer: "acme-idp")
        #expect(try await v.verify(right).get() == Principal(person: "a"))
        await #expect(throws: TokenRefusal.self) { try Self.result(await v.verify(wrongIssuer)) }
        await #expect(throws: TokenRefusal.self) { try Self.result(await v.verify(noAudience)) }
    }

    static func result(_ r: Result<Principal, TokenRefusal>) throws -> Principal { try r.get() }

    /// A verified token is remembered until its expiry, not beyond: the same token is refused
    /// once `exp` has passed, and a refused token is never remembered.
    @Test func aRememberedTokenExpiresWithItsExp() async throws {
        let secret = Array(repeating: UInt8(7), count: 32)
        let v = await TokenVerifier.hmac(secret: secret)
        let token = try await TokenIssuer.issue(person: "a", scopes: ["admin"], ttl: 2, secret: secret)
        #expect(try await v.verify(token).get() == Principal(person: "a", scopes: ["admin"]))
        #expect(try await v.verify(token).get() == Principal(person: "a", scopes: ["admin"]))
        // Another first character of the signature (six bits of it, never padding).
        var parts = token.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        parts[2] = (parts[2].hasPrefix("A") ? "B" : "A") + parts[2].dropFirst()
        let forged = parts.joined(separator: ".")
        await #expect(throws: TokenRefusal.self) { try Self.result(await v.verify(forged)) }
        try await Task.sleep(for: .seconds(3))
        let late = await v.verify(token)
        guard case .failure(let refusal) = late else {
            Issue.record("an expired token was accepted from the cache")
            return
        }
        #expect(refusal.reason.contains("expired"), "\(refusal.reason)")
    }

    @Test func publicKeysFromAJWKSAcceptOnlyTheirAlgorithm() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-jwks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = try EdDSA.PrivateKey(curve: .ed25519)
        let x = key.publicKey.rawRepresentation.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let file = dir.appendingPathComponent("keys.json")
        try #"{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "x": "\#(x)"}]}"#.write(to: file, atomically: true, encoding: .utf8)
        let v = try await TokenVerifier.publicKeys(file: file.path)
        let signer = JWTKeyCollection()
        await signer.add(eddsa: key, kid: "k1")
        let claims = AccessClaims(sub: "li.si", expires: Date().addingTimeInterval(600), scopes: ["cases:start"])
        let token = try await signer.sign(claims, kid: "k1")
        #expect(try await v.verify(token).get() == Principal(person: "li.si", scopes: ["cases:start"]))
        // An HS256 token whose secret is the public key's bytes (the classic confusion attack).
        let hmac = JWTKeyCollection()
        await hmac.add(hmac: HMACKey(from: x), digestAlgorithm: .sha256, kid: "k1")
        await #expect(throws: TokenRefusal.self) { try Self.result(await v.verify(try await hmac.sign(claims, kid: "k1"))) }
    }

    @Test func publicKeysFromPEM() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-pem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = try EdDSA.PrivateKey(curve: .ed25519)
        let file = dir.appendingPathComponent("keys.pem")
        try key.publicKey.pemRepresentation.write(to: file, atomically: true, encoding: .utf8)
        let v = try await TokenVerifier.publicKeys(file: file.path, audience: "wfc")
        let signer = JWTKeyCollection()
        await signer.add(eddsa: key)
        let claims = AccessClaims(sub: "zhao.liu", expires: Date().addingTimeInterval(600), audience: "wfc")
        #expect(try await v.verify(try await signer.sign(claims)).get() == Principal(person: "zhao.liu"))
        // Another Ed25519 key's signature does not verify.
        let other = JWTKeyCollection()
        await other.add(eddsa: try EdDSA.PrivateKey(curve: .ed25519))
        await #expect(throws: TokenRefusal.self) { try Self.result(await v.verify(try await other.sign(claims))) }
        // A file that holds no public key is refused when the server starts.
        try "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".write(to: file, atomically: true, encoding: .utf8)
        await #expect(throws: IdentityError.self) { try await TokenVerifier.publicKeys(file: file.path) }
    }

    @Test func theEmbeddedSecretIsPrivateToItsOwner() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-secret-\(UUID().uuidString)")
        let store = dir.appendingPathComponent("store.sqlite").path
        #expect(throws: IdentityError.self) { try EmbeddedSecret.load(forStore: store, create: false) }
        let first = try EmbeddedSecret.load(forStore: store, create: true)
        #expect(first.count == 32)
        #expect(try EmbeddedSecret.load(forStore: store, create: true) == first, "a second start reuses the secret")
        let file = EmbeddedSecret.path(forStore: store)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: IdentityError.self) { try EmbeddedSecret.load(forStore: store, create: false) }
    }

    @Test func actingAsSomeoneElseByABodyField() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            _ = try await deployAndStart(client, h)
            // zhang.san tries to send the supervisor's event as wang.wu.
            for field in ["actor", "as"] {
                try await expectRefused(client, h, token: try await h.token("zhang.san"),
                                        body: #"{"event": "agreed", "\#(field)": "wang.wu", "data": {"change": "transfer", "change_date": "2025-11-03"}}"#,
                                        status: .badRequest, code: "WFC9004")
            }
        }
    }

    @Test func aPersonWithNoRoleInTheCase() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            _ = try await deployAndStart(client, h)
            let stranger = try await h.token("mallory")
            // The policy refuses (recorded and chained in the audit log), the case is unchanged.
            try await expectRefused(client, h, token: stranger, status: .forbidden, code: "WFC6009", recorded: true)
            // Reading is refused too, and records nothing.
            for path in ["/v1/cases/C1", "/v1/cases/C1/history"] {
                let r = try await client.call(.get, path, token: stranger)
                #expect(r.status == .forbidden && r.problem?.code == "WFC9001")
            }
            let v = try await client.call(.post, "/v1/cases/C1/verify", token: stranger)
            #expect(v.status == .forbidden)
            // A participant of another role may not send this state's event either.
            try await expectRefused(client, h, token: try await h.token("li.si"), status: .forbidden, code: "WFC6009", recorded: true)
            let admin = try await h.token("hr.admin", scopes: ["admin"])
            let chain = try await client.call(.post, "/v1/cases/C1/verify", token: admin).decode(VerifyResult.self)
            #expect(chain.ok && chain.events == 3)
        }
    }

    @Test func oversizedAndDeeplyNestedBodies() async throws {
        let h = try await Harness(maxBodyBytes: 64 * 1024)
        try await h.app.test(.router) { client in
            _ = try await deployAndStart(client, h)
            let supervisor = try await h.token("wang.wu")
            let huge = #"{"event": "agreed", "data": {"change": ""# + String(repeating: "x", count: 100_000) + #""}}"#
            try await expectRefused(client, h, token: supervisor, body: huge, status: .contentTooLarge, code: "WFC9005")
            let deep = #"{"event": "agreed", "data": {"change": "# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}}"
            try await expectRefused(client, h, token: supervisor, body: deep, status: .badRequest, code: "WFC9004")
            // Brackets inside strings do not count.
            #expect(try await client.call(.post, "/v1/cases/C1/events", token: supervisor,
                                          json: #"{"event": "agreed", "data": {"change": "transfer", "change_date": "2025-11-03"}, "role": "supervisor", "item": null}"#).status == .ok)
        }
    }
}

@Suite struct ServiceErrorTests {
    /// Each store failure's kind, which the server maps to its status.
    @Test func storeFailuresMapToKinds() {
        #expect(WorkflowService.map(.conflict(caseID: "C1", expectedVersion: 3, message: "m")).kind == .conflict(retryable: true))
        #expect(WorkflowService.map(.conflict(caseID: "C1", expectedVersion: 3, message: "m")).code == "WFC7003")
        #expect(WorkflowService.map(.busy("locked")).isRetryable)
        #expect(WorkflowService.map(.alreadyExists(caseID: "C1")).kind == .conflict(retryable: false))
        #expect(WorkflowService.map(.notFound(caseID: "C1")).kind == .notFound)
        #expect(WorkflowService.map(.unsafeText("x")).kind == .badRequest)
        #expect(WorkflowService.map(.corrupt("x")).kind == .unavailable)
        let e = WorkflowService.map(.notFound(caseID: "C1"))
        #expect(e.diagnostics.map(\.code) == ["WFC7001"] && e.message == "no case `C1` in the store")
    }
}

/// Problems in the language of `Accept-Language`: Chinese for zh-CN / zh, English otherwise;
/// the code, status and positions never change.
@Suite struct ProblemLanguageTests {
    @Test func aChineseClientGetsChineseProblemsWithTheSameCode() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await deployAndStart(client, h)
            let zh = ["Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"]
            // A store error (WFC7001), a service error (WFC9003), a route error (WFC9007).
            let missing = try await client.call(.get, "/v1/cases/C9", token: admin, headers: zh)
            #expect(missing.status == .notFound && missing.problem?.code == "WFC7001")
            #expect(missing.problem?.detail == "存储中没有案件 `C9`", "\(missing.text)")
            #expect(missing.problem?.title == "未找到")
            #expect(missing.headers[.contentLanguage] == "zh-CN")
            let english = try await client.call(.get, "/v1/cases/C9", token: admin)
            #expect(english.problem?.detail == "no case `C9` in the store" && english.problem?.title == "Not Found")
            #expect(english.headers[.contentLanguage] == "en")

            let noToken = try await client.call(.get, "/v1/cases/C1", token: nil, headers: ["Accept-Language": "zh"])
            #expect(noToken.status == .unauthorized && noToken.problem?.code == "WFC9003")
            #expect(noToken.problem?.detail == "没有 bearer 令牌")
            #expect(noToken.problem?.diagnostics.first?.help?.hasPrefix("请发送 `Authorization: Bearer TOKEN`") == true)

            let noRoute = try await client.call(.get, "/v1/nothing", token: admin, headers: zh)
            #expect(noRoute.problem?.code == "WFC9007" && noRoute.problem?.detail == "没有端点 GET /v1/nothing")

            // A policy refusal (WFC6007): its detail and the label at the policy line in Chinese.
            let refused = try await client.call(.post, "/v1/cases/C1/events", token: try await h.token("zhang.san"), json: #"{"event": "aply"}"#, headers: zh)
            #expect(refused.status == .unprocessableContent && refused.problem?.code == "WFC6007")
            #expect(refused.problem?.detail == "现在不能发生事件 `aply`（可以发生的：agreed）", "\(refused.text)")
            #expect(refused.problem?.diagnostics.first?.label == "当前所在的状态" && refused.problem?.diagnostics.first?.start?.line == 67)
            #expect(refused.problem?.title == "无法处理的内容")
        }
    }

    @Test(arguments: [
        (nil, DiagnosticLanguage.en),
        ("zh-CN", .zhCN),
        ("zh", .zhCN),
        ("zh-Hans-CN, en;q=0.5", .zhCN),
        ("en-US,en;q=0.9,zh-CN;q=0.8", .en),
        ("en;q=0.5, zh-CN;q=0.8", .zhCN),
        ("zh-CN;q=0, en", .en),
        ("zh-CN;q=0", .en),
        ("fr-FR, zh;q=0.3", .zhCN),
        ("zh-TW, fr", .en),
        ("*", .en),
        ("zh-CN;q=2", .en),
        ("zh-CN;q=abc, en;q=0.1", .en),
        ("  zh-cn ; q=0.7 ,en;q=0.7", .zhCN),
    ] as [(String?, DiagnosticLanguage)])
    func acceptLanguageIsNegotiatedByWeight(_ header: String?, _ expected: DiagnosticLanguage) {
        #expect(DiagnosticLanguage.negotiate(acceptLanguage: header) == expected)
    }
}

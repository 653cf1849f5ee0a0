import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WFCDiagnostics
import WFCService
import WFCStore

/// Where and how `wfc serve` listens, and its request limits.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (reported through `onListening`).
    public var port: Int
    /// Larger bodies are refused with 413 (WFC9005).
    public var maxBodyBytes: Int
    /// Deeper JSON is refused with 400 (WFC9004) before it is decoded.
    public var maxJSONDepth: Int

    /// When set, `GET /metrics` needs `Authorization: Bearer` with this token (its text);
    /// otherwise 401 (WFC9003). Metrics name routes and refusal codes, which an operator may
    /// not want to publish.
    public var metricsToken: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, maxJSONDepth: Int = 32, metricsToken: String? = nil) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONDepth = maxJSONDepth
        self.metricsToken = metricsToken
    }
}

/// Where ``WebhookDeliverer`` sends the outbox, and the secret it signs with.
public struct WebhookTarget: Sendable {
    public var url: String
    public var secret: [UInt8]

    public init(url: String, secret: [UInt8]) {
        self.url = url
        self.secret = secret
    }
}

/// The HTTP front end of ``WorkflowService`` (docs/service.md): routes, bearer identities,
/// RFC 9457 problems, request ids, metrics.
public struct WFCHTTPServer: Sendable {
    public let service: WorkflowService
    public let verifier: TokenVerifier
    public let metrics: ServerMetrics
    public let configuration: ServerConfiguration
    public let logger: Logger
    /// More routes (the web inbox, docs/web.md), added to ``router()`` after the API's; the
    /// API's middleware (request ids, metrics, problems) runs around them too.
    public var routeExtensions: [@Sendable (Router<BasicRequestContext>) -> Void] = []

    public init(service: WorkflowService, verifier: TokenVerifier, metrics: ServerMetrics = ServerMetrics(),
                configuration: ServerConfiguration = ServerConfiguration(), logger: Logger = Logger(label: "wfc.serve")) {
        self.service = service
        self.verifier = verifier
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
    }

    /// The router with every endpoint.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMiddleware(metrics: metrics))
        router.get("/healthz") { _, _ in JSONBody.response(["status": "ok"]) }
        router.get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        let metricsToken = configuration.metricsToken
        router.get("/metrics") { request, context in
            if let metricsToken, !Self.bearer(request.headers[.authorization], is: metricsToken) {
                context.logger.warning("refused", metadata: ["code": "WFC9003", "reason": "no or wrong metrics token", "path": "/metrics"])
                throw ServiceError(.unauthenticated, Unauthenticated(message: "/metrics needs the metrics token"),
                                   help: "send `Authorization: Bearer TOKEN` with the token of the server's --metrics-token-file")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        router.post("/v1/definitions") { request, context in
            try await authorized(request, context) { who in
                let body = try await readBody(request)
                guard let yaml = String(validating: body, as: UTF8.self) else {
                    throw ServiceError(.badRequest, MalformedRequest(message: "the workflow must be UTF-8 text (YAML)"))
                }
                let name = request.uri.queryParameters["file"].map(String.init) ?? "workflow.yaml"
                let r = try await service.deploy(yaml: yaml, fileName: name, by: who)
                return JSONBody.response(r, status: r.created ? .created : .ok)
            }
        }
        router.get("/v1/definitions") { request, context in
            try await authorized(request, context) { who in
                let workflow = request.uri.queryParameters["workflow"].map(String.init)
                return JSONBody.response(DefinitionList(definitions: try await service.definitions(workflow: workflow, by: who)))
            }
        }
        router.post("/v1/definitions/{hash}/migrations") { request, context in
            try await authorized(request, context) { who in
                let r: MigrationRequest = try await decode(request, fields: MigrationRequest.fields)
                let hash = context.parameters.get("hash").map { $0.removingPercentEncoding ?? $0 } ?? ""
                return JSONBody.response(try await service.migrate(from: hash, r, by: who))
            }
        }
        router.post("/v1/cases") { request, context in
            try await authorized(request, context) { who in
                let r: StartCaseRequest = try await decode(request, fields: ["definition", "id", "data", "people"])
                let view = try await service.startCase(r, by: who)
                var response = JSONBody.response(view, status: .created)
                response.headers[.location] = "/v1/cases/\(view.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? view.id)"
                return response
            }
        }
        router.get("/v1/cases") { request, context in
            try await authorized(request, context) { who in
                let parameters = request.uri.queryParameters
                return JSONBody.response(try await service.list(try Self.query { parameters[Substring($0)].map(String.init) }, by: who))
            }
        }
        router.get("/v1/cases/{id}") { request, context in
            try await authorized(request, context) { who in
                JSONBody.response(try await service.show(caseID: try caseID(context), by: who))
            }
        }
        router.post("/v1/cases/{id}/events") { request, context in
            try await authorized(request, context) { who in
                let r: FireRequest = try await decode(request, fields: FireRequest.fields)
                let key = request.headers[HTTPFields.Element.Name("Idempotency-Key")!]
                return JSONBody.response(try await service.fire(caseID: try caseID(context), r, actor: who, idempotencyKey: key))
            }
        }
        router.post("/v1/cases/{id}/reassignments") { request, context in
            try await authorized(request, context) { who in
                let r: ReassignRequest = try await decode(request, fields: ReassignRequest.fields)
                let key = request.headers[HTTPFields.Element.Name("Idempotency-Key")!]
                return JSONBody.response(try await service.reassign(caseID: try caseID(context), r, actor: who, idempotencyKey: key))
            }
        }
        router.post("/v1/cases/{id}/signers") { request, context in
            try await authorized(request, context) { who in
                let r: AddSignerRequest = try await decode(request, fields: AddSignerRequest.fields)
                let key = request.headers[HTTPFields.Element.Name("Idempotency-Key")!]
                return JSONBody.response(try await service.addSigner(caseID: try caseID(context), r, actor: who, idempotencyKey: key))
            }
        }
        router.get("/v1/cases/{id}/history") { request, context in
            try await authorized(request, context) { who in
                JSONBody.response(try await service.history(caseID: try caseID(context), by: who))
            }
        }
        router.post("/v1/cases/{id}/verify") { request, context in
            try await authorized(request, context) { who in
                JSONBody.response(try await service.verify(caseID: try caseID(context), by: who))
            }
        }
        router.get("/v1/tasks") { request, context in
            try await authorized(request, context) { who in
                JSONBody.response(TaskList(person: who.person, tasks: try await service.tasks(for: who)))
            }
        }
        router.post("/v1/tick") { request, context in
            try await authorized(request, context) { who in
                JSONBody.response(TickList(cases: try await service.tick(by: who)))
            }
        }
        substituteRoutes(router)
        for extend in routeExtensions { extend(router) }
        return router
    }

    /// The application: the router on the configured address. `onListening` is called with
    /// the host and port once the socket is bound.
    public func application(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) -> some ApplicationProtocol {
        let host = configuration.host
        return Application(router: router(), configuration: .init(address: .hostname(host, port: configuration.port), serverName: "wfc"),
                           onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: the listener closes and
    /// requests in flight finish (each event is one store transaction, so none is half-written).
    /// With `scheduler`, due timers fire by themselves (``TimerScheduler``); with `webhook`, the
    /// outbox is delivered there (``WebhookDeliverer``).
    public func run(scheduler: Bool = true, webhook: WebhookTarget? = nil,
                    onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) async throws {
        let owner = Self.ownerName()
        var services: [any Service] = [application(onListening: onListening)]
        if scheduler {
            services.append(TimerScheduler(ledger: service.store.ledger, owner: owner, metrics: metrics, logger: logger))
        }
        var client: HTTPClient?
        if let webhook {
            // Redirects are not followed: the signed request goes to the URL given, nowhere else.
            let c = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            client = c
            services.append(WebhookDeliverer(ledger: service.store.ledger, url: webhook.url, secret: Data(webhook.secret), client: c,
                                             owner: owner, metrics: metrics, logger: logger))
        }
        // Other servers' commits wake this one's workers (PostgreSQL).
        if scheduler || webhook != nil, let source = service.store.ledger.repository as? any WorkNotifying {
            services.append(WorkListener(ledger: service.store.ledger, source: source))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await client?.shutdown()
            throw error
        }
        try? await client?.shutdown()
    }

    /// This process's name in leases: host and process id.
    static func ownerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    // MARK: - Request handling

    /// Authenticates the request and runs `body` as its person. A refusal (401, 403) is logged
    /// with the person and the reason.
    func authorized(_ request: Request, _ context: BasicRequestContext, _ body: (Principal) async throws -> Response) async throws -> Response {
        let who = try await authenticate(request, context)
        do {
            return try await body(who)
        } catch let error as ServiceError {
            if error.kind == .forbidden {
                context.logger.warning("refused", metadata: ["person": .string(who.person), "code": .string(error.code), "reason": .string(error.message),
                                                             "path": .string(request.uri.path)])
            }
            throw error
        }
    }

    /// Whether `header` is `Bearer TOKEN` with exactly `token`, compared in constant time.
    static func bearer(_ header: String?, is token: String) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        let given = Array(parts[1].trimmingCharacters(in: .whitespaces).utf8), expected = Array(token.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    func authenticate(_ request: Request, _ context: BasicRequestContext) async throws(ServiceError) -> Principal {
        func refuse(_ reason: String, person: String?) -> ServiceError {
            context.logger.warning("refused", metadata: ["person": .string(person ?? "-"), "code": "WFC9003", "reason": .string(reason),
                                                         "path": .string(request.uri.path)])
            return ServiceError(.unauthenticated, Unauthenticated(message: reason),
                                help: "send `Authorization: Bearer TOKEN`; `wfc token issue --sub PERSON` mints one for the embedded default")
        }
        guard let header = request.headers[.authorization] else { throw refuse("no bearer token", person: nil) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw refuse("the Authorization header is not `Bearer TOKEN`", person: nil) }
        switch await verifier.verify(Self.trimmingSpaces(parts[1])) {
        case .success(let p): return p
        case .failure(let r): throw refuse(r.reason, person: r.claimedPerson)
        }
    }

    /// `text` without leading and trailing spaces and tabs (the header's own whitespace;
    /// Foundation's `trimmingCharacters` bridges through NSString: 2 % of a request).
    static func trimmingSpaces(_ text: Substring) -> String {
        let u = text.utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        return String(text[first...last])
    }

    /// The body, up to the limit (413 beyond it, without reading the rest).
    func readBody(_ request: Request) async throws(ServiceError) -> [UInt8] {
        let limit = configuration.maxBodyBytes
        // Made only when needed: an error renders its diagnostic (JSON) as it is made.
        func tooLarge() -> ServiceError {
            ServiceError(.tooLarge, RequestTooLarge(message: "the request body is larger than \(limit) bytes"),
                         help: "send a smaller body; the limit is set with `wfc serve --max-body-bytes`")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge() }
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= limit else { throw tooLarge() }
                bytes += chunk.readableBytesView
            }
        } catch let e as ServiceError {
            throw e
        } catch {
            throw ServiceError(.badRequest, MalformedRequest(message: "the request body could not be read: \(error)"))
        }
        return bytes
    }

    /// Decodes a JSON object body into `T`, refusing deep nesting and fields not in `fields`
    /// (`actor` and `as` with their own message: the actor is the token's person).
    func decode<T: Decodable>(_ request: Request, fields: Set<String>) async throws(ServiceError) -> T {
        let body = try await readBody(request)
        func malformed(_ m: String) -> ServiceError { ServiceError(.badRequest, MalformedRequest(message: m)) }
        if let depth = JSONDepth.exceeds(body, limit: configuration.maxJSONDepth) {
            throw malformed("the JSON body is nested deeper than \(configuration.maxJSONDepth) levels (at byte \(depth))")
        }
        // One parse: the body's field names and the request are read in the same pass, the
        // names checked first.
        guard let checked = try? JSONDecoder().decode(FieldChecked<T>.self, from: Data(body)) else {
            throw malformed("the body must be a JSON object")
        }
        if let forged = checked.keys.first(where: { $0 == "actor" || $0 == "as" }) {
            throw malformed("`\(forged)` is not a field: the person acting is the token's subject, never a field of the request")
        }
        if let unknown = checked.keys.sorted().first(where: { !fields.contains($0) }) {
            let help = Suggestions.closest(to: unknown, among: fields.sorted()).map { " (did you mean `\($0)`?)" } ?? ""
            throw malformed("unknown field `\(StoredText.escaped(String(unknown.prefix(100))))`\(help); the fields are \(fields.sorted().joined(separator: ", "))")
        }
        switch checked.value {
        case .success(let value): return value
        case .failure(let error): throw malformed("the body does not match the request: \(Self.describe(error))")
        }
    }

    func caseID(_ context: BasicRequestContext) throws(ServiceError) -> String {
        guard let id = context.parameters.get("id") else { throw ServiceError(.badRequest, MalformedRequest(message: "no case id in the path")) }
        return id.removingPercentEncoding ?? id
    }

    /// `GET /v1/cases` query parameters as a ``CaseListQuery``.
    static func query(_ parameter: (String) -> String?) throws(ServiceError) -> CaseListQuery {
        func text(_ k: String) -> String? { parameter(k).map { $0.removingPercentEncoding ?? $0 } }
        var query = CaseListQuery(workflow: text("workflow"), state: text("state"), status: text("status"), cursor: text("cursor"))
        if let o = text("overdue") {
            guard let b = Bool(o) else { throw ServiceError(.badRequest, MalformedRequest(message: "overdue must be true or false, not `\(o)`")) }
            query.overdue = b
        }
        if let l = text("limit") {
            guard let n = Int(l) else { throw ServiceError(.badRequest, MalformedRequest(message: "limit must be a number, not `\(l)`")) }
            query.limit = n
        }
        return query
    }

    /// A decoding error without Swift's type names where a path says more.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: [any CodingKey]) -> String { c.isEmpty ? "the body" : "`" + c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "`" }
        switch e {
        case .keyNotFound(let k, let c): return "\(path(c.codingPath + [k])) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(path(c.codingPath)) has the wrong type"
        case .dataCorrupted(let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

extension ServiceError {
    /// The HTTP status the API answers this error with (docs/service.md): for other front ends
    /// on the same server, such as the web inbox.
    public var httpStatus: HTTPResponse.Status { kind.status }
}

/// Accepts any JSON value: for reading a body's top-level keys before decoding it.
/// A JSON object's field names and, decoded from the same parse, `T` or why it does not decode.
/// Not an object: thrown.
struct FieldChecked<T: Decodable>: Decodable {
    let keys: [String]
    let value: Result<T, any Error>

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        do { value = .success(try T(from: decoder)) } catch { value = .failure(error) }
    }
}

/// The nesting depth of JSON text, by brackets outside strings.
enum JSONDepth {
    /// The offset where `bytes` nests deeper than `limit`, nil when it does not.
    static func exceeds(_ bytes: [UInt8], limit: Int) -> Int? {
        var depth = 0, inString = false, escaped = false
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return i }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }
}

/// `GET /v1/definitions`.
public struct DefinitionList: Codable, Sendable {
    public var definitions: [DeployedDefinition]
}

/// `GET /v1/tasks`.
public struct TaskList: Codable, Sendable {
    public var person: String
    public var tasks: [PersonTask]
}

/// `POST /v1/tick`.
public struct TickList: Codable, Sendable {
    public var cases: [TickResult]
}

/// Request ids, errors as problems, metrics and the access log, around every endpoint.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ServerMetrics
    static let requestIDHeader = HTTPFields.Element.Name("X-Request-Id")!

    static func usableID(_ given: String?) -> String? {
        guard let id = given, !id.isEmpty, id.count <= 128 else { return nil }
        let printable = id.unicodeScalars.allSatisfy { (u: Unicode.Scalar) -> Bool in u.value > 0x20 && u.value < 0x7f }
        return printable ? id : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        // A client's id is echoed when it is short printable ASCII; otherwise one is made.
        let requestID = Self.usableID(request.headers[Self.requestIDHeader]) ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        var code: String?
        // Problems are written in the language the client accepts; codes never change.
        let language = DiagnosticLanguage.negotiate(acceptLanguage: request.headers[values: .acceptLanguage].joined(separator: ","))
        do {
            response = try await next(request, context)
        } catch let e as ServiceError {
            code = e.code
            response = JSONBody.problem(e, path: request.uri.path, requestID: requestID, language: language)
        } catch let e as any HTTPResponseError {
            let error: ServiceError
            switch e.status {
            case .notFound, .methodNotAllowed:
                error = ServiceError(.notFound, UnknownRoute(message: "no endpoint \(request.method) \(request.uri.path)"), help: "`GET /openapi.json` lists the endpoints")
            case .contentTooLarge:
                error = ServiceError(.tooLarge, RequestTooLarge(message: "the request body is too large"))
            default:
                error = ServiceError(.badRequest, MalformedRequest(message: "the request is malformed (\(e.status.code))"))
            }
            code = error.code
            response = JSONBody.problem(error, path: request.uri.path, requestID: requestID, language: language)
        } catch {
            // Not expected: every handler throws ServiceError. Logged in full, answered without detail.
            context.logger.error("internal error", metadata: ["error": .string("\(error)")])
            let e = ServiceError(code: InternalError.descriptor.code.rawValue, kind: .unavailable, message: "the server failed to answer this request",
                                 diagnostics: DiagnosticJSON.from([Diagnostic(InternalError(message: "the server failed to answer this request"), at: .unlocated)]))
            code = e.code
            response = JSONBody.problem(e, path: request.uri.path, requestID: requestID, language: language, status: .internalServerError)
        }
        if let code { metrics.refusal(code: code) }
        response.headers[Self.requestIDHeader] = requestID
        let route = context.endpointPath ?? "unmatched"
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code, nanoseconds: elapsed)
        context.logger.info("request", metadata: ["method": .string(request.method.rawValue), "path": .string(request.uri.path),
                                                  "status": .stringConvertible(response.status.code), "ms": .stringConvertible(elapsed / 1_000_000)]
                                                  .merging(code.map { ["code": .string($0)] } ?? [:]) { a, _ in a })
        return response
    }
}

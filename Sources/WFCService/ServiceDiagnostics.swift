import WFCDiagnostics

/// The codes of the service layer and its HTTP front end (WFC9xxx): who may do what, and
/// requests that are refused before they reach a case.
public enum ServiceDiagnostics {
    /// Every service code, for the registry and `wfc explain`.
    public static let all: [DiagnosticDescriptor] = [
        NotAParticipant.descriptor, MissingScope.descriptor, Unauthenticated.descriptor,
        MalformedRequest.descriptor, RequestTooLarge.descriptor,
        UnknownRoute.descriptor, DefinitionNotExecutable.descriptor, InternalError.descriptor,
        NotASubstitute.descriptor, NotYourSubstitutes.descriptor, InvalidSubstitutionRange.descriptor,
    ] + WebDiagnostics.all
}

/// WFC9001: reading or listing a case needs a role in it, or the `admin` scope.
public struct NotAParticipant: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9001", name: "not-a-participant", summary: "The person holds no role in the case and is not an administrator.",
        explanation: """
            A case's data, people and audit log are shown only to the people bound to its roles \
            (`people:`) and to tokens with the `admin` scope. Anyone else asking for the case \
            (`GET /v1/cases/{id}`, `/history`, `/verify`) is refused with HTTP 403; nothing is \
            recorded. Sending an event is different: the policy decides (WFC6009 not-authorized), \
            and the refused attempt is chained in the case's audit log.
            """,
        example: "$ curl -H \"Authorization: Bearer $TOKEN_OF_SOMEONE_ELSE\" localhost:8080/v1/cases/C1\n",
        fix: "$ curl -H \"Authorization: Bearer $TOKEN_OF_THE_MANAGER\" localhost:8080/v1/cases/C1\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9002: the token lacks the scope an operation needs.
public struct MissingScope: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9002", name: "missing-scope", summary: "The token lacks the scope this operation needs.",
        explanation: """
            A token's `scope` claim (space-separated) grants operations beyond acting in one's own \
            cases: `admin` deploys definitions, reads every case and lists all of them; \
            `cases:start` (or `admin`) starts cases. Without it the request is refused with HTTP 403.
            """,
        example: "$ wfc token issue --sub zhang.san\n$ curl -X POST --data-binary @w.yaml … /v1/definitions\n",
        fix: "$ wfc token issue --sub hr.admin --scope admin\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9003: no bearer token, or one that does not verify.
public struct Unauthenticated: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9003", name: "unauthenticated", summary: "No bearer token, or a token that does not verify.",
        explanation: """
            Every `/v1` request carries `Authorization: Bearer TOKEN`, a JWT whose `sub` is the \
            person. The signature must verify with the server's key and use its algorithm \
            (HS256 for the embedded secret; `alg: none` and any other algorithm are refused), \
            `exp` must be in the future, `nbf` (when given) in the past, and `iss`/`aud` must \
            match `--issuer`/`--audience` when the server was started with them. Otherwise HTTP \
            401; the attempt is logged with the reason.
            """,
        example: "$ curl localhost:8080/v1/tasks\n",
        fix: "$ TOKEN=$(wfc token issue --sub zhang.san)\n$ curl -H \"Authorization: Bearer $TOKEN\" localhost:8080/v1/tasks\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9004: a request body or query that the API does not accept.
public struct MalformedRequest: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9004", name: "malformed-request", summary: "The request is not what the API accepts.",
        explanation: """
            A body that is not JSON (or not a JSON object), nested deeper than 32 levels, with a \
            missing or unknown field, a field of the wrong type, or a query parameter that does \
            not parse. The acting person is never a body field: `actor` or `as` in an event is \
            refused, because the person is the token's `sub`. HTTP 400; nothing is recorded.
            """,
        example: "POST /v1/cases/C1/events\n{\"event\": \"approve\", \"actor\": \"wang.wu\"}\n",
        fix: "POST /v1/cases/C1/events   (with wang.wu's token)\n{\"event\": \"approve\"}\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9005: the body is larger than the server accepts.
public struct RequestTooLarge: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9005", name: "request-too-large", summary: "The request body is larger than the server accepts.",
        explanation: """
            Bodies are read up to a limit (1 MiB by default, `wfc serve --max-body-bytes`); a \
            larger body is refused with HTTP 413 before anything is parsed.
            """,
        example: "(a 2 MiB JSON body)\n", fix: "(send the workflow or data in a body under the limit)\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9007: no endpoint at this path and method.
public struct UnknownRoute: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9007", name: "unknown-route", summary: "No endpoint has this path and method.",
        explanation: """
            The endpoints are listed in `GET /openapi.json` and docs/service.md. HTTP 404, also \
            for a known path asked with a method it does not have.
            """,
        example: "GET /v1/case/C1\n", fix: "GET /v1/cases/C1\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9008: a workflow that compiles but cannot be made executable.
public struct DefinitionNotExecutable: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9008", name: "definition-not-executable", summary: "The workflow compiles, but the runtime cannot load it.",
        explanation: """
            A deployed workflow is compiled and then loaded by the runtime, which compiles its \
            expressions once and checks the calendar data the IR carries. The compiler reports \
            every problem it knows first, so this means the two disagree: a defect in wfc. The \
            message says what the runtime refused. HTTP 422; nothing is stored.
            """,
        example: "(no workflow known to cause it)\n", fix: "(report it with the workflow)\n")
    public var message: String
    public init(message: String) { self.message = message }
}

/// WFC9009: the server failed on a request in a way it does not expect.
public struct InternalError: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC9009", name: "internal-error", summary: "The server failed to answer a request (a defect in wfc).",
        explanation: """
            Every failure the server expects has its own code; this one means a defect. The \
            response (HTTP 500) carries no detail; the server's log has the error under the \
            response's `X-Request-Id`. Nothing was recorded unless the store committed before \
            the failure: `GET /v1/cases/{id}/history` tells.
            """,
        example: "(no request should cause it)\n", fix: "(report it with the log line of the request id)\n")
    public var message: String
    public init(message: String) { self.message = message }
}

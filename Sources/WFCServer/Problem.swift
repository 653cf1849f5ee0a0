import Foundation
import Hummingbird
import WFCService

/// An RFC 9457 problem document with wfc's extensions: the WFC `code`, the diagnostics in
/// their JSON form, whether a retry may succeed, and the audit event of a recorded refusal.
public struct Problem: Codable, Equatable, Sendable {
    /// `urn:wfc:diagnostic:WFCnnnn`; `wfc explain WFCnnnn` describes it.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// The request path.
    public var instance: String?
    public var code: String
    public var diagnostics: [DiagnosticJSON]
    public var retryable: Bool?
    /// For a refused event: the audit event that recorded the refusal.
    public var recordedSeq: Int?
    public var requestId: String?
}

extension ServiceError.Kind {
    /// The HTTP status of each kind of failure (docs/service.md).
    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .refused, .invalidWorkflow: .unprocessableContent
        case .unavailable: .serviceUnavailable
        }
    }
}

enum JSONBody {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// `value` as a JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        let data = (try? encoder().encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `error` as `application/problem+json`.
    static func problem(_ error: ServiceError, path: String?, requestID: String?) -> Response {
        let status = error.kind.status
        let p = Problem(type: "urn:wfc:diagnostic:\(error.code)", title: status.reasonPhrase, status: status.code, detail: error.message,
                        instance: path, code: error.code, diagnostics: error.diagnostics,
                        retryable: error.kind == .conflict(retryable: true) ? true : nil, recordedSeq: error.recordedSeq, requestId: requestID)
        var r = response(p, status: status, contentType: "application/problem+json")
        if error.kind == .unauthenticated { r.headers[.wwwAuthenticate] = "Bearer" }
        return r
    }
}

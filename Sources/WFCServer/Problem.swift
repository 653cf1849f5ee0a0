import Foundation
import Hummingbird
import WFCDiagnostics
import WFCIR
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

    /// A fire's answer (the most frequent one), written by hand: the bytes ``encoder()`` gives
    /// (keys sorted, slashes unescaped; `JSONWriter` keeps the encoder's escaping), without its
    /// generic machinery, which was 4 % of a request's time.
    static func response(_ r: FireResult) -> Response {
        var w = JSONWriter(capacity: 192)
        w.raw("{")
        w.key("active", first: true); w.strings(r.active)
        w.key("effects"); w.strings(r.effects)
        w.key("hash"); w.string(r.hash)
        w.key("id"); w.string(r.id)
        w.key("outcome"); w.string(r.outcome)
        w.key("seq"); w.int(r.seq)
        w.key("status"); w.string(r.status)
        w.key("version"); w.int(r.version)
        w.raw("}")
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }

    /// `error` as `application/problem+json`, its title, detail and diagnostics in `language`
    /// (the code and everything else unchanged); `Content-Language` says which.
    static func problem(_ error: ServiceError, path: String?, requestID: String?, language: DiagnosticLanguage = .en,
                        status: HTTPResponse.Status? = nil) -> Response {
        let status = status ?? error.kind.status
        let code = DiagnosticCode(error.code)
        let detail = DiagnosticLocalizer.translate(error.message, part: .message, code: code, to: language) ?? error.message
        let p = Problem(type: "urn:wfc:diagnostic:\(error.code)", title: ProblemTitle.title(status, in: language), status: status.code, detail: detail,
                        instance: path, code: error.code, diagnostics: error.diagnostics.map { $0.localized(to: language) },
                        retryable: error.kind == .conflict(retryable: true) ? true : nil, recordedSeq: error.recordedSeq, requestId: requestID)
        var r = response(p, status: status, contentType: "application/problem+json")
        r.headers[.contentLanguage] = language.rawValue
        r.headers[.vary] = "Accept-Language"
        if error.kind == .unauthenticated { r.headers[.wwwAuthenticate] = "Bearer" }
        return r
    }
}

/// The problem's `title`: the status's reason phrase, in Chinese for `zh-CN`.
enum ProblemTitle {
    static let chinese: [Int: String] = [
        400: "请求错误", 401: "未认证", 403: "禁止访问", 404: "未找到", 409: "冲突", 413: "请求体过大",
        422: "无法处理的内容", 500: "服务器内部错误", 503: "服务不可用",
    ]

    static func title(_ status: HTTPResponse.Status, in language: DiagnosticLanguage) -> String {
        language == .zhCN ? chinese[status.code] ?? status.reasonPhrase : status.reasonPhrase
    }
}

extension DiagnosticJSON {
    /// The diagnostic with its texts in `language` where the catalogs cover them; the code,
    /// severity and positions unchanged (as `DiagnosticLocalizer.localize` does for a ``Diagnostic``).
    public func localized(to language: DiagnosticLanguage) -> DiagnosticJSON {
        guard language != .en else { return self }
        let code = DiagnosticCode(self.code)
        func t(_ text: String, _ part: DiagnosticLocalizer.Part) -> String {
            text.isEmpty ? text : DiagnosticLocalizer.translate(text, part: part, code: code, to: language) ?? text
        }
        var out = self
        out.message = t(message, .message)
        out.label = label.map { t($0, .label) }
        for i in out.related.indices { out.related[i].label = related[i].label.map { t($0, .label) } }
        out.notes = notes.map { t($0, .note) }
        out.help = help.map { t($0, .help) }
        for i in out.fixes.indices { out.fixes[i].message = t(fixes[i].message, .fix) }
        return out
    }
}

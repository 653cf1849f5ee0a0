import Foundation
import Hummingbird
import WFCCompiler
import WFCLedger
import WFCDiagnostics
import WFCServer
import WFCService

/// `/web/drafts` (admin scope): paste a policy's YAML, see its diagnostics with carets under
/// the text they point at, and — only when it is clean — its flow and rules, and deploy it.
extension WebInbox {
    func draftPage(_ v: Visit, _ who: Principal, yaml: String = "", fileName: String = "draft.yaml", check: DraftCheck? = nil,
                   deployError: ServiceError? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard who.isAdmin else {
            throw ServiceError(.forbidden, MissingScope(message: "the draft-policy page needs the `\(Principal.adminScope)` scope"),
                               help: "sign in with a token issued with --scope admin")
        }
        var context: [String: Any] = ["yaml": yaml, "fileName": fileName]
        let diagnostics = deployError?.diagnostics ?? check?.diagnostics ?? []
        if check != nil || deployError != nil {
            context["checked"] = true
            // In the page's language: the catalogs translate every code; code and spans stay.
            let language: DiagnosticLanguage = v.language == .zh ? .zhCN : .en
            context["diagnostics"] = Self.withCarets(diagnostics.map { $0.localized(to: language) }, yaml: yaml)
            context["clean"] = deployError == nil && check?.ir != nil
        }
        if let ir = check?.ir, deployError == nil {
            context["doc"] = true
            context.merge(Self.ruleContext(ir)) { _, new in new }
            if let svg = await diagram.svg(ir, hash: "draft:" + (ir.contentHash ?? UUID().uuidString), active: []) { context["svg"] = svg }
        }
        return page("draft", title: v.language.text["draft"] ?? "", v, context, status: status)
    }

    /// Each diagnostic with the line it points at and a caret line under its span.
    static func withCarets(_ diagnostics: [DiagnosticJSON], yaml: String) -> [[String: Any]] {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        return diagnostics.map { d in
            var m: [String: Any] = ["severity": d.severity, "code": d.code, "message": d.message, "error": d.severity == "error"]
            if let help = d.help { m["help"] = help }
            if let start = d.start, start.line >= 1, start.line <= lines.count {
                let text = lines[start.line - 1]
                let column = max(1, min(start.column, text.count + 1))
                let width = d.end.map { $0.line == start.line ? max(1, $0.column - column) : max(1, text.count - column + 1) } ?? 1
                m["line"] = start.line
                m["source"] = text
                m["caret"] = String(repeating: " ", count: column - 1) + String(repeating: "^", count: min(width, 200))
            }
            return m
        }
    }

    func draftPost(_ request: Request, _ v: Visit, _ who: Principal) async throws -> Response {
        let f = try await form(request, v)
        // Browsers send a textarea's lines with CRLF; the policy is the text as typed.
        var yaml = (f["yaml"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var name = (f["file"] ?? "").isEmpty ? "draft.yaml" : (f["file"] ?? "draft.yaml")
        // An uploaded file (the page's file input) replaces the pasted text, and names the draft
        // unless a name was typed.
        if let upload = f.files["upload"], !upload.bytes.isEmpty {
            guard let text = String(validating: upload.bytes, as: UTF8.self) else {
                throw ServiceError(.badRequest, MalformedRequest(message: "the uploaded file is not UTF-8 text"), help: "save the policy as UTF-8 YAML and upload it again")
            }
            yaml = text
            if (f["file"] ?? "").isEmpty || f["file"] == "draft.yaml", let given = upload.fileName {
                // Only the last path component of what the browser sent, as a plain name.
                let base = given.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
                if !base.isEmpty, base.count <= 200, StoredText.problem(base, what: "a file name") == nil { name = base }
            }
        }
        let checked = try service.check(yaml: yaml, fileName: name, by: who)
        if f["action"] == "deploy", checked.ir != nil {
            var failure: ServiceError?
            var deployed: DeployResult?
            do throws(ServiceError) { deployed = try await service.deploy(yaml: yaml, fileName: name, by: who) } catch { failure = error }
            if let deployed { return WebInbox.redirect(WebInbox.policyURL(deployed.workflow)) }
            return try await draftPage(v, who, yaml: yaml, fileName: name, check: checked, deployError: failure, status: .unprocessableContent)
        }
        return try await draftPage(v, who, yaml: yaml, fileName: name, check: checked, status: checked.ir == nil ? .unprocessableContent : .ok)
    }
}

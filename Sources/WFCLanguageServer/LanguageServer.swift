import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCScenarios
import WFCYAML

/// JSON-RPC and LSP error codes.
enum ErrorCode: Int {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case serverNotInitialized = -32002
    case requestFailed = -32803
}

/// A request the server refuses, answered as a JSON-RPC error.
struct RequestError: Error {
    var code: ErrorCode
    var message: String
}

/// The wfc language server (LSP 3.17): diagnostics, hover, definition, completion, document
/// symbols, rename and code actions for workflow files, all from the same compiler as
/// `wfc check`.
///
/// It reads and writes only through its ``LSPTransport``, one message at a time on the
/// caller's thread, so tests can drive it in process.
public final class LanguageServer {
    /// Settings from the front end.
    public struct Options: Sendable {
        /// The largest message body accepted (a larger Content-Length is refused and skipped).
        public var maxMessageBytes: Int
        /// The version reported in `serverInfo`.
        public var version: String
        /// The YAML loader's limits (the same as `wfc check`'s defaults).
        public var limits: YAMLLimits

        public init(maxMessageBytes: Int = 64 << 20, version: String = "", limits: YAMLLimits = YAMLLimits()) {
            self.maxMessageBytes = maxMessageBytes
            self.version = version
            self.limits = limits
        }
    }

    let transport: LSPTransport
    let options: Options
    var documents: [String: Document] = [:]
    /// The workspace folder from `initialize`: imports must stay inside it.
    var root: String?
    var initialized = false
    /// The language of published diagnostics: the client's `initialize` `locale` (`zh-CN`,
    /// `zh-cn`, `en`…), English when it names none wfc has.
    var language: DiagnosticLanguage = .en
    var shutdownRequested = false
    var exited = false
    /// While serving a stream: documents changed by messages that arrived together, analysed
    /// once the burst has been read (a debounce that costs no timer and no thread).
    var deferAnalysis = false
    var pending: [String] = []

    public init(transport: LSPTransport, options: Options = Options()) {
        self.transport = transport
        self.options = options
    }

    /// Serves until `exit` or the end of input. Returns true when `shutdown` came first (the
    /// front end then exits with status 0, as LSP asks; otherwise 1).
    public func run() -> Bool {
        var reader = FrameReader(transport: transport, maxBody: options.maxMessageBytes)
        deferAnalysis = true
        defer { deferAnalysis = false }
        while !exited {
            switch reader.next() {
            case .endOfInput: return shutdownRequested
            case .invalid(let why): sendError(id: NSNull(), .parseError, why)
            case .message(let body): handle(body)
            }
            // Nothing more has arrived: the burst is over.
            if !reader.hasBufferedInput { flushPending() }
        }
        return shutdownRequested
    }

    /// Handles one message body (JSON), writing any replies and notifications.
    public func handle(_ body: [UInt8]) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            sendError(id: NSNull(), .parseError, "the message is not JSON")
            return
        }
        guard let message = parsed as? [String: Any] else {
            sendError(id: NSNull(), .invalidRequest, "a message must be a JSON object")
            return
        }
        let id = message["id"]
        guard let method = message["method"] as? String else {
            // A response to a request of ours (we send none) or garbage.
            if id == nil || message["result"] == nil && message["error"] == nil {
                sendError(id: id ?? NSNull(), .invalidRequest, "a request needs a `method`")
            }
            return
        }
        let params = message["params"]
        guard let id else {
            notification(method, params)
            return
        }
        guard id is String || intValue(id) != nil else {
            sendError(id: NSNull(), .invalidRequest, "a request id must be a number or a string")
            return
        }
        do {
            let result = try request(method, params)
            send(["jsonrpc": "2.0", "id": id, "result": result ?? NSNull()])
        } catch let e as RequestError {
            sendError(id: id, e.code, e.message)
        } catch {
            sendError(id: id, .requestFailed, "\(error)")
        }
    }

    // MARK: Dispatch

    func request(_ method: String, _ params: Any?) throws -> Any? {
        // A request is answered on the text as it is now.
        flushPending()
        if method == "initialize" {
            if initialized { throw RequestError(code: .invalidRequest, message: "the server is already initialized") }
            return initialize(params)
        }
        guard initialized else { throw RequestError(code: .serverNotInitialized, message: "the server is not initialized") }
        if shutdownRequested { throw RequestError(code: .invalidRequest, message: "the server is shutting down") }
        switch method {
        case "shutdown":
            shutdownRequested = true
            return nil
        case "textDocument/hover": return try hover(params)
        case "textDocument/definition": return try definition(params)
        case "textDocument/completion": return try completion(params)
        case "textDocument/documentSymbol": return try documentSymbols(params)
        case "textDocument/prepareRename": return try prepareRename(params)
        case "textDocument/rename": return try rename(params)
        case "textDocument/codeAction": return try codeActions(params)
        default: throw RequestError(code: .methodNotFound, message: "unknown method \(method)")
        }
    }

    func notification(_ method: String, _ params: Any?) {
        if method == "exit" {
            exited = true
            return
        }
        guard initialized else { return }
        let p = params as? [String: Any]
        switch method {
        case "textDocument/didOpen":
            guard let doc = p?["textDocument"] as? [String: Any], let uri = doc["uri"] as? String, let text = doc["text"] as? String else { return }
            let d = Document(uri: uri, text: Array(text.utf8), version: intValue(doc["version"]) ?? 0)
            documents[uri] = d
            schedule(d)
        case "textDocument/didChange":
            guard let doc = p?["textDocument"] as? [String: Any], let uri = doc["uri"] as? String, let d = documents[uri],
                  let changes = p?["contentChanges"] as? [Any] else { return }
            for case let change as [String: Any] in changes {
                guard let text = change["text"] as? String else { continue }
                if let range = change["range"] as? [String: Any], let s = LSPPosition(json: range["start"]), let e = LSPPosition(json: range["end"]) {
                    let map = PositionMap(file: d.file)
                    let a = map.offset(of: s), b = max(map.offset(of: e), a)
                    d.setText(Array(d.file.bytes[..<a]) + Array(text.utf8) + Array(d.file.bytes[b...]))
                } else {
                    d.setText(Array(text.utf8))
                }
            }
            d.version = intValue(doc["version"]) ?? d.version
            schedule(d)
        case "textDocument/didClose":
            guard let doc = p?["textDocument"] as? [String: Any], let uri = doc["uri"] as? String else { return }
            documents[uri] = nil
            pending.removeAll { $0 == uri }
            // Clear what the editor shows for a closed file.
            send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": ["uri": uri, "diagnostics": [Any]()]])
        default:
            break  // `initialized`, `$/cancelRequest`, `$/setTrace`… need nothing.
        }
    }

    func initialize(_ params: Any?) -> Any {
        let p = params as? [String: Any]
        if let folders = p?["workspaceFolders"] as? [[String: Any]], let uri = folders.first?["uri"] as? String {
            root = Document.path(of: uri)
        } else if let uri = p?["rootUri"] as? String {
            root = Document.path(of: uri)
        } else if let path = p?["rootPath"] as? String {
            root = path
        }
        if let locale = p?["locale"] as? String { language = DiagnosticLanguage(tag: locale) ?? .en }
        initialized = true
        return [
            "capabilities": [
                "positionEncoding": "utf-16",
                "textDocumentSync": ["openClose": true, "change": 2],
                "hoverProvider": true,
                "definitionProvider": true,
                "completionProvider": ["triggerCharacters": [".", ":", " ", "[", ","]],
                "documentSymbolProvider": true,
                "renameProvider": ["prepareProvider": true],
                "codeActionProvider": ["codeActionKinds": ["quickfix"]],
            ] as [String: Any],
            "serverInfo": ["name": "wfc", "version": options.version],
        ] as [String: Any]
    }

    // MARK: Output

    func send(_ message: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        transport.write(frame([UInt8](data)))
    }

    func sendError(id: Any, _ code: ErrorCode, _ message: String) {
        send(["jsonrpc": "2.0", "id": id, "error": ["code": code.rawValue, "message": message]])
    }

    // MARK: Analysis

    var compiler: WorkflowCompiler {
        var c = WorkflowCompiler(loader: YAMLLoader(limits: options.limits), root: root)
        // As `wfc check`: the IR is only checked, never written.
        c.seal = false
        c.pinCalendarData = false
        c.irLineColumns = false
        c.calendarWarningsAsOf = Date()
        return c
    }

    /// Analyses a document now, or at the end of the current burst of messages.
    func schedule(_ d: Document) {
        if !deferAnalysis { return analyze(d) }
        if !pending.contains(d.uri) { pending.append(d.uri) }
    }

    func flushPending() {
        let uris = pending
        pending = []
        for uri in uris { if let d = documents[uri] { analyze(d) } }
    }

    /// Compiles the document and publishes its diagnostics.
    func analyze(_ d: Document) {
        let diagnostics: [Diagnostic]
        if ScenarioFiles.isScenario(d.path) {
            var parser = ScenarioParser(loader: YAMLLoader(limits: options.limits))
            let parsed = parser.parse(d.file)
            diagnostics = parsed.diagnostics.sortedForOutput()
            d.result = nil
            d.index = nil
            if let workflow = parsed.file?.workflowPath, let names = workflowNames(workflow, for: d) { d.names = names }
        } else {
            let c = compiler
            let loaded = c.loader.load(d.file)
            // Editors send every YAML file (CI configs, other tools' files): one that is
            // neither a workflow nor a fragment is not ours, and gets no diagnostics.
            if let root = loaded.root, root.mapping != nil, root["workflow"] == nil, root["fragment"] == nil {
                d.result = nil
                d.index = nil
                d.diagnostics = []
                send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": ["uri": d.uri, "version": d.version, "diagnostics": [Any]()]])
                return
            }
            let result = c.compile(loaded)
            diagnostics = result.diagnostics
            d.result = result
            d.index = result.syntax.map { DocumentIndex(syntax: $0, file: d.file) }
            if let index = d.index { d.names = index }
        }
        d.diagnostics = DiagnosticLocalizer.localize(diagnostics, to: language)
        let params: [String: Any] = ["uri": d.uri, "version": d.version, "diagnostics": d.diagnostics.map { lsp($0, in: d) }]
        send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params])
    }

    /// The names of the workflow a scenario file tests (for completing `fire:`, `role:` and
    /// `states:`): from its open document, else read from disk inside the root.
    func workflowNames(_ path: String, for d: Document) -> DocumentIndex? {
        if let open = documents.values.first(where: { $0.path == path }), let names = open.names { return names }
        let dir = (d.path as NSString).deletingLastPathComponent
        let root = FileAccess.root(for: dir.isEmpty ? "." : dir, explicit: self.root)
        guard FileAccess.resolvesInside(FileAccess.absolute(path), root: root),
              case .success(let file) = FileAccess.read(path, maxBytes: options.limits.maxFileBytes, regularOnly: true),
              let syntax = compiler.compile(file).syntax else { return nil }
        return DocumentIndex(syntax: syntax, file: file)
    }

    /// The LSP form of a diagnostic: notes and secondary labels become related information,
    /// the help is appended to the message. One in another file (an imported fragment) is
    /// shown at the top of the document, pointing to its place.
    func lsp(_ diag: Diagnostic, in d: Document) -> [String: Any] {
        let map = PositionMap(file: d.file)
        var message = diag.message
        var related: [[String: Any]] = []
        let range: [String: Any]
        if diag.primary.span.path == d.file.sourcePath {
            range = map.range(diag.primary.span)
            if !diag.primary.message.isEmpty { message += " (\(diag.primary.message))" }
        } else {
            range = map.range(0, 0)
            if let loc = location(diag.primary.span, d) {
                related.append(["location": loc, "message": diag.primary.message.isEmpty ? diag.message : diag.primary.message])
            }
        }
        if let help = diag.help { message += "\nhelp: " + help }
        for label in diag.secondary {
            if let loc = location(label.span, d) { related.append(["location": loc, "message": label.message]) }
        }
        if let here = location(diag.primary.span, d) {
            for note in diag.notes { related.append(["location": here, "message": "note: " + note]) }
        }
        let severity = switch diag.severity {
        case .error: 1
        case .warning: 2
        case .note: 3
        }
        var out: [String: Any] = ["range": range, "severity": severity, "code": diag.code.rawValue, "source": "wfc", "message": message]
        if !related.isEmpty { out["relatedInformation"] = related }
        return out
    }

    /// An LSP location for a span in the document or in a file it imported.
    func location(_ span: SourceSpan, _ d: Document) -> [String: Any]? {
        if span.path == d.file.sourcePath { return ["uri": d.uri, "range": PositionMap(file: d.file).range(span)] }
        guard let file = d.result?.sources.first(where: { $0.sourcePath == span.path }) else { return nil }
        return ["uri": Document.uri(of: file.path), "range": PositionMap(file: file).range(span)]
    }

    // MARK: Requests on a position

    /// The document and byte offset a `TextDocumentPositionParams` names.
    func target(_ params: Any?) throws -> (Document, Int) {
        guard let p = params as? [String: Any], let td = p["textDocument"] as? [String: Any], let uri = td["uri"] as? String,
              let pos = LSPPosition(json: p["position"]) else {
            throw RequestError(code: .invalidParams, message: "expected textDocument.uri and position")
        }
        guard let d = documents[uri] else { throw RequestError(code: .invalidParams, message: "the document \(uri) is not open") }
        return (d, PositionMap(file: d.file).offset(of: pos))
    }

    func hover(_ params: Any?) throws -> Any? {
        let (d, offset) = try target(params)
        guard let index = d.index, let occ = index.occurrence(at: offset) else { return nil }
        let text: String
        switch occ.kind {
        case .state:
            guard let s = index.states[occ.name] else { return nil }
            var lines = ["**state** `\(occ.name)`" + (s.title.map { " — \($0.value)" } ?? "")]
            var facts = ["kind: \(kindText(s.kind))"]
            if let c = s.clause { facts.append("clause \(c.value)") }
            if let a = s.assumption { facts.append("assumption: \(a.value)") }
            if let f = s.fragment { facts.append("from fragment `\(f.value)`") }
            lines.append(facts.joined(separator: " · "))
            text = lines.joined(separator: "\n\n")
        case .role:
            guard let r = index.roles[occ.name] else { return nil }
            var lines = ["**role** `\(occ.name)`" + (r.title.map { " — \($0.value)" } ?? "")]
            let others = index.separatedFrom[occ.name] ?? []
            if !others.isEmpty {
                let named = others.map { o in "`\(o)`" + (index.roles[o]?.title.map { " (\($0.value))" } ?? "") }
                lines.append("must be a different person from: " + named.joined(separator: ", "))
            }
            text = lines.joined(separator: "\n\n")
        case .field:
            guard let f = index.fields[occ.name] else { return nil }
            text = "**field** `\(occ.name)`: \(typeText(f.type))\(f.optional ? " (optional)" : "")" + (f.title.map { " — \($0.value)" } ?? "")
        case .duration:
            guard let dur = occ.duration else { return nil }
            text = durationText(dur, calendar: index.calendar)
        case .fragment:
            guard let f = d.result?.fragments[occ.name] else { return nil }
            text = "**fragment** `\(occ.name)`" + (f.title.map { " — \($0.value)" } ?? "") + "\n\nfrom `\(f.file)`"
        case .importPath:
            text = "**import** `\(occ.name)`"
        }
        return ["contents": ["kind": "markdown", "value": text], "range": PositionMap(file: d.file).range(occ.span)]
    }

    func definition(_ params: Any?) throws -> Any? {
        let (d, offset) = try target(params)
        guard let index = d.index, let occ = index.occurrence(at: offset) else { return nil }
        switch occ.kind {
        case .state, .role, .field:
            guard let def = index.definition(occ.kind, occ.name) else { return nil }
            return location(def.span, d)
        case .fragment:
            guard let f = d.result?.fragments[occ.name] else { return nil }
            return location(f.id.span, d)
        case .importPath:
            // Only a file the compiler read (the import rules keep it inside the root).
            let dir = (d.path as NSString).deletingLastPathComponent
            let target = dir.isEmpty ? occ.name : (dir as NSString).appendingPathComponent(occ.name)
            guard let file = d.result?.sources.first(where: { $0.path == target }) else { return nil }
            return ["uri": Document.uri(of: file.path), "range": PositionMap(file: file).range(0, 0)]
        case .duration:
            return nil
        }
    }

    func documentSymbols(_ params: Any?) throws -> Any? {
        guard let p = params as? [String: Any], let td = p["textDocument"] as? [String: Any], let uri = td["uri"] as? String else {
            throw RequestError(code: .invalidParams, message: "expected textDocument.uri")
        }
        guard let d = documents[uri] else { throw RequestError(code: .invalidParams, message: "the document \(uri) is not open") }
        guard let index = d.index else { return [Any]() }
        let map = PositionMap(file: d.file)
        func symbol(_ s: StateSyntax) -> [String: Any]? {
            guard s.name.span.path == d.file.sourcePath else { return nil }
            var children: [StateSyntax] = []
            switch s.kind {
            case .parallel(let regions): children = regions.flatMap(\.states)
            case .foreach(let fe): children = fe.body.states
            default: break
            }
            var out: [String: Any] = [
                "name": s.name.value, "kind": 5,
                "range": map.range(min(s.span.start, s.name.span.start), max(s.span.end, s.name.span.end)),
                "selectionRange": map.range(s.name.span),
            ]
            out["detail"] = s.title?.value ?? kindText(s.kind)
            let nested = children.compactMap(symbol)
            if !nested.isEmpty { out["children"] = nested }
            return out
        }
        return index.topStates.compactMap(symbol)
    }

    // MARK: Rename

    func prepareRename(_ params: Any?) throws -> Any? {
        let (d, offset) = try target(params)
        guard let occ = d.index?.occurrence(at: offset), occ.kind == .state || occ.kind == .role else { return nil }
        return ["range": PositionMap(file: d.file).range(occ.span), "placeholder": occ.name]
    }

    func rename(_ params: Any?) throws -> Any? {
        let (d, offset) = try target(params)
        guard let newName = (params as? [String: Any])?["newName"] as? String else {
            throw RequestError(code: .invalidParams, message: "expected newName")
        }
        guard let index = d.index, let occ = index.occurrence(at: offset), occ.kind == .state || occ.kind == .role else {
            throw RequestError(code: .requestFailed, message: "only a state or a role can be renamed")
        }
        guard Identifier.isIdentifier(newName) else {
            throw RequestError(code: .requestFailed, message: "`\(newName)` is not a valid name: \(Identifier.rule)")
        }
        let taken = occ.kind == .state ? index.states[newName] != nil : index.roles[newName] != nil
        if taken && newName != occ.name {
            throw RequestError(code: .requestFailed, message: "a \(occ.kind.rawValue) named `\(newName)` already exists")
        }
        let map = PositionMap(file: d.file)
        let edits = index.all(occ.kind, occ.name).map { ["range": map.range($0.span), "newText": newName] as [String: Any] }
        return ["changes": [d.uri: edits]]
    }

    // MARK: Code actions

    func codeActions(_ params: Any?) throws -> Any? {
        guard let p = params as? [String: Any], let td = p["textDocument"] as? [String: Any], let uri = td["uri"] as? String,
              let range = p["range"] as? [String: Any], let s = LSPPosition(json: range["start"]), let e = LSPPosition(json: range["end"]) else {
            throw RequestError(code: .invalidParams, message: "expected textDocument.uri and range")
        }
        guard let d = documents[uri] else { throw RequestError(code: .invalidParams, message: "the document \(uri) is not open") }
        let map = PositionMap(file: d.file)
        let a = map.offset(of: s), b = max(map.offset(of: e), a)
        var actions: [[String: Any]] = []
        for diag in d.diagnostics where !diag.fixIts.isEmpty && diag.primary.span.path == d.file.sourcePath {
            let span = diag.primary.span
            // The diagnostic overlaps the range (an empty range at its edge counts).
            guard span.start <= b && a <= span.end else { continue }
            for fix in diag.fixIts where fix.span.path == d.file.sourcePath {
                actions.append([
                    "title": fix.message, "kind": "quickfix", "diagnostics": [lsp(diag, in: d)],
                    "isPreferred": diag.fixIts.count == 1,
                    "edit": ["changes": [d.uri: [["range": map.range(fix.span), "newText": fix.replacement]]]],
                ])
            }
        }
        return actions
    }
}

/// An open document: its text as the editor has it, and what the compiler made of it.
final class Document {
    let uri: String
    /// The path the compiler sees: the file path of a `file:` URI, else the URI itself.
    let path: String
    var version: Int
    private(set) var file: SourceFile
    var result: CompileResult?
    var diagnostics: [Diagnostic] = []
    /// The names and spans of the current text; nil when it does not parse as a workflow.
    var index: DocumentIndex?
    /// The index of the last text that parsed: kept while the document is being edited into
    /// shape, so that completion still knows the names (its spans may be stale).
    var names: DocumentIndex?

    init(uri: String, text: [UInt8], version: Int) {
        self.uri = uri
        self.path = Document.path(of: uri)
        self.version = version
        self.file = SourceFile(path: path, bytes: text)
    }

    func setText(_ bytes: [UInt8]) { file = SourceFile(path: path, bytes: bytes) }

    static func path(of uri: String) -> String {
        if uri.hasPrefix("file:"), let url = URL(string: uri), url.isFileURL, !url.path.isEmpty { return url.path }
        return uri
    }

    static func uri(of path: String) -> String {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).absoluteString : path
    }
}

func kindText(_ k: StateKindSyntax) -> String {
    switch k {
    case .final(let outcome): "final (\(outcome.value))"
    default: k.name
    }
}

func typeText(_ t: TypeSyntax) -> String {
    switch t {
    case .named(let n): n.value
    case .enumeration(let members, _): "enum [" + members.map(\.value).joined(separator: ", ") + "]"
    case .record(let fields, _): "record {" + fields.map { "\($0.name.value): \(typeText($0.type))" }.joined(separator: ", ") + "}"
    case .list(let inner, _): "list of \(typeText(inner))"
    case .checklist(let fields, _): "checklist of {" + fields.map { "\($0.name.value): \(typeText($0.type))" }.joined(separator: ", ") + "}"
    }
}

/// What a duration means for a deadline, in working-day terms.
func durationText(_ d: DurationSyntax, calendar: String?) -> String {
    let n = d.amount
    let cal = calendar.map { "the calendar `\($0)`" } ?? "the workflow's calendar"
    switch d.unit {
    case .workingDays:
        return "**\(n) working day\(n == 1 ? "" : "s")** (\(n) 个工作日): counted on \(cal): weekends and statutory holidays are skipped, make-up working days (调休上班) count. Due at the end (24:00 local) of the \(n == 1 ? "first" : "\(n)th") working day after the day the state is entered."
    case .days:
        return "**\(n) calendar day\(n == 1 ? "" : "s")** (\(n) 个自然日): weekends and holidays count, the local clock time is kept; not working days. For working days write `\(n) working days`."
    case .weeks:
        return "**\(n) week\(n == 1 ? "" : "s")** = \(n * 7) calendar days, weekends and holidays included; not working days."
    case .hours:
        return "**\(n) hour\(n == 1 ? "" : "s")** of clock time, nights, weekends and holidays included; not working hours."
    case .minutes:
        return "**\(n) minute\(n == 1 ? "" : "s")** of clock time; not working time."
    case .months:
        return "**\(n) calendar month\(n == 1 ? "" : "s")**: the same day \(n) month\(n == 1 ? "" : "s") later; weekends and holidays count."
    }
}

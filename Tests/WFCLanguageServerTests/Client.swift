import Foundation
import TestSupport
import WFCLanguageServer

/// A transport in memory: the test queues input bytes and reads what the server wrote.
final class MemoryTransport: LSPTransport {
    var input: [UInt8] = []
    var position = 0
    var output: [UInt8] = []
    /// At most this many bytes per read, to exercise frames split across reads.
    var chunk = 65536

    func read(max: Int) -> [UInt8] {
        let n = min(max, chunk, input.count - position)
        guard n > 0 else { return [] }
        defer { position += n }
        return Array(input[position..<position + n])
    }

    func write(_ bytes: [UInt8]) { output += bytes }
}

/// Splits framed output into JSON objects; fails the parse (nil) on a bad frame.
func messages(in bytes: [UInt8]) -> [[String: Any]]? {
    var out: [[String: Any]] = []
    var i = 0
    let sep = Array("\r\n\r\n".utf8)
    while i < bytes.count {
        var j = i
        while j + 4 <= bytes.count && Array(bytes[j..<j + 4]) != sep { j += 1 }
        guard j + 4 <= bytes.count else { return nil }
        let header = String(decoding: bytes[i..<j], as: UTF8.self)
        guard header.hasPrefix("Content-Length: "), let n = Int(header.dropFirst("Content-Length: ".count)) else { return nil }
        let start = j + 4
        guard start + n <= bytes.count,
              let obj = try? JSONSerialization.jsonObject(with: Data(bytes[start..<start + n])) as? [String: Any] else { return nil }
        out.append(obj)
        i = start + n
    }
    return out
}

func framed(_ json: String) -> [UInt8] {
    Array("Content-Length: \(json.utf8.count)\r\n\r\n\(json)".utf8)
}

/// A scripted LSP client driving a server in process, one message at a time.
final class Client {
    let transport = MemoryTransport()
    let server: LanguageServer
    var nextID = 1
    /// Notifications received so far (publishDiagnostics…), oldest first.
    var notifications: [[String: Any]] = []

    init() {
        server = LanguageServer(transport: transport, options: .init(version: "test"))
    }

    private func drain() -> [[String: Any]] {
        let all = messages(in: transport.output) ?? []
        transport.output = []
        notifications += all.filter { $0["id"] == nil }
        return all.filter { $0["id"] != nil }
    }

    /// Sends a request and returns its response (the whole message: `result` or `error`).
    @discardableResult
    func request(_ method: String, _ params: Any = [String: Any]()) -> [String: Any] {
        let id = nextID
        nextID += 1
        send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        return drain().first { ($0["id"] as? Int) == id } ?? [:]
    }

    func notify(_ method: String, _ params: Any = [String: Any]()) {
        send(["jsonrpc": "2.0", "method": method, "params": params])
        _ = drain()
    }

    func send(_ message: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: message)) ?? Data()
        server.handle([UInt8](data))
    }

    /// Sends raw bytes as one message body; returns every message the server wrote.
    func raw(_ body: String) -> [[String: Any]] {
        server.handle(Array(body.utf8))
        let all = messages(in: transport.output) ?? []
        transport.output = []
        return all
    }

    /// The diagnostics most recently published for `uri`.
    func diagnostics(_ uri: String) -> [[String: Any]]? {
        notifications.last { ($0["method"] as? String) == "textDocument/publishDiagnostics" && (($0["params"] as? [String: Any])?["uri"] as? String) == uri }
            .flatMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }
    }

    func initialize(root: URL = PackagePaths.root, locale: String? = nil) {
        var params: [String: Any] = ["processId": NSNull(), "rootUri": root.absoluteString, "capabilities": [String: Any]()]
        if let locale { params["locale"] = locale }
        _ = request("initialize", params)
        notify("initialized")
    }

    func open(_ uri: String, _ text: String, version: Int = 1) {
        notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "yaml", "version": version, "text": text]])
    }

    func change(_ uri: String, _ text: String, version: Int) {
        notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": text]]])
    }
}

/// `params` for a request at a position.
func at(_ uri: String, _ line: Int, _ character: Int) -> [String: Any] {
    ["textDocument": ["uri": uri], "position": ["line": line, "character": character]]
}

/// The 0-based line and UTF-16 character of the first occurrence of `needle` (after
/// `after`, when given) in `text`, plus `offset` characters.
func position(of needle: String, in text: String, after: String? = nil, offset: Int = 0) -> (Int, Int)? {
    var search = text.startIndex..<text.endIndex
    if let after, let r = text.range(of: after) { search = r.upperBound..<text.endIndex }
    guard let r = text.range(of: needle, range: search) else { return nil }
    let before = text[text.startIndex..<r.lowerBound]
    let line = before.filter { $0 == "\n" }.count
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    return (line, text[lineStart..<r.lowerBound].utf16.count + offset)
}

extension Dictionary where Key == String, Value == Any {
    subscript(path path: String) -> Any? {
        var cur: Any? = self
        for part in path.split(separator: ".") {
            if let i = Int(part), let a = cur as? [Any] { cur = i < a.count ? a[i] : nil }
            else { cur = (cur as? [String: Any])?[String(part)] }
        }
        return cur
    }
}

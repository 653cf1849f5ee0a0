import Foundation
import Testing
import TestSupport
import WFCLanguageServer

/// Malformed input never crashes the server: each problem is a JSON-RPC error and the
/// session goes on.
@Suite struct ProtocolTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#

    /// Runs a server over `input` read `chunk` bytes at a time; returns what it wrote and
    /// whether it saw `shutdown` before the end.
    func run(_ input: [UInt8], chunk: Int = 65536, maxMessageBytes: Int = 64 << 20) -> (messages: [[String: Any]], clean: Bool) {
        let t = MemoryTransport()
        t.input = input
        t.chunk = chunk
        let server = LanguageServer(transport: t, options: .init(maxMessageBytes: maxMessageBytes))
        let clean = server.run()
        return (messages(in: t.output) ?? [], clean)
    }

    @Test func aBadHeaderIsAnErrorAndTheNextMessageIsRead() {
        let input = Array("Content-Type: nothing\r\n\r\n".utf8) + framed(Self.initialize)
        let (out, clean) = run(input)
        #expect(out.count == 2)
        #expect(out.first?[path: "error.code"] as? Int == -32700)
        #expect(out.first?["id"] is NSNull)
        #expect((out.first?[path: "error.message"] as? String)?.contains("Content-Length") == true)
        #expect(out.last?[path: "result.capabilities.hoverProvider"] as? Bool == true)
        #expect(!clean)
    }

    @Test func aNonNumericLengthIsRefused() {
        let (out, _) = run(Array("Content-Length: lots\r\n\r\n".utf8) + framed(Self.initialize))
        #expect(out.first?[path: "error.code"] as? Int == -32700)
        #expect(out.last?[path: "result.capabilities.hoverProvider"] as? Bool == true)
    }

    @Test func aHugeContentLengthIsRefusedWithoutReadingIt() {
        // Far over the limit: refused at once; the input then ends inside the skipped body.
        let (huge, _) = run(Array("Content-Length: 99999999999999\r\n\r\n{}".utf8))
        #expect(huge.count == 1)
        #expect((huge.first?[path: "error.message"] as? String)?.contains("over the limit") == true)
        // Over a small limit: the body is skipped and the next message is served.
        let big = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"" + String(repeating: "a", count: 2000) + "\"}"
        let (out, _) = run(framed(big) + framed(Self.initialize), maxMessageBytes: 1000)
        #expect(out.count == 2)
        #expect(out.first?[path: "error.code"] as? Int == -32700)
        #expect(out.last?["id"] as? Int == 1)
    }

    @Test func framesSplitAcrossReadsAreJoined() {
        let input = framed(Self.initialize) + framed(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#) + framed(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let (out, clean) = run(input, chunk: 7)
        #expect(out.map { $0["id"] as? Int } == [1, 2])
        #expect(clean)
    }

    @Test func badJSONAndBadRequestsAreErrors() {
        let c = Client()
        #expect(c.raw("{not json")[0][path: "error.code"] as? Int == -32700)
        #expect(c.raw("[1, 2]")[0][path: "error.code"] as? Int == -32600)
        #expect(c.raw("42")[0][path: "error.code"] as? Int == -32600)
        #expect(c.raw(#"{"jsonrpc":"2.0","id":7}"#)[0][path: "error.code"] as? Int == -32600)
        #expect(c.raw(#"{"jsonrpc":"2.0","id":{"a":1},"method":"initialize"}"#)[0][path: "error.code"] as? Int == -32600)
        // Before `initialize`, requests are refused.
        #expect(c.request("textDocument/hover", at("file:///x.yaml", 0, 0))[path: "error.code"] as? Int == -32002)
        c.initialize()
        #expect(c.request("initialize", ["capabilities": [String: Any]()])[path: "error.code"] as? Int == -32600)
        let unknown = c.request("workspace/frobnicate", [String: Any]())
        #expect(unknown[path: "error.code"] as? Int == -32601)
        #expect(unknown["id"] as? Int != nil)
        // An unknown notification gets no reply.
        #expect(c.raw(#"{"jsonrpc":"2.0","method":"$/frobnicate"}"#).isEmpty)
        // Wrong params: an error, not a crash.
        #expect(c.request("textDocument/hover", ["position": "here"])[path: "error.code"] as? Int == -32602)
        #expect(c.request("textDocument/hover", at("file:///not/open.yaml", 0, 0))[path: "error.code"] as? Int == -32602)
        #expect(c.request("textDocument/codeAction", ["textDocument": ["uri": 3]])[path: "error.code"] as? Int == -32602)
        // A didOpen without text is ignored.
        c.notify("textDocument/didOpen", ["textDocument": ["uri": "file:///x.yaml"]])
        #expect(c.diagnostics("file:///x.yaml") == nil)
    }

    static let chinese = """
        workflow: zh
        version: 1
        title: 中文流程
        roles:
          a: {title: 甲方}
        start: s1
        states:
          s1: {title: 第一步𠀀审批, on: {go: {by: a, to: s2}}}
          s2: {title: 完成, final: completed}

        """

    @Test func positionsInChineseTextAreUTF16() throws {
        let c = Client()
        c.initialize()
        let uri = "file:///tmp/wfc-lsp-zh/中文.yaml"
        c.open(uri, Self.chinese)
        #expect(c.diagnostics(uri)?.contains { $0["severity"] as? Int == 1 } == false)
        // `s2` after 𠀀 (two UTF-16 units, one scalar, four bytes) and other Chinese text.
        let (l, ch) = try #require(position(of: "s2}", in: Self.chinese, offset: 1))
        let hover = c.request("textDocument/hover", at(uri, l, ch))
        #expect((hover[path: "result.contents.value"] as? String)?.contains("完成") == true)
        #expect(hover[path: "result.range.start.character"] as? Int == ch - 1)
        // Seven units to the left of `s2` is the role `a`.
        let role = c.request("textDocument/hover", at(uri, l, ch - 8))
        #expect((role[path: "result.contents.value"] as? String)?.contains("甲方") == true)

        let broken = Self.chinese.replacingOccurrences(of: "to: s2", with: "to: s3")
        c.change(uri, broken, version: 2)
        let d = try #require(c.diagnostics(uri)?.first { $0["code"] as? String == "WFC5001" })
        let (bl, bc) = try #require(position(of: "s3", in: broken))
        #expect((d as [String: Any])[path: "range.start.line"] as? Int == bl)
        #expect((d as [String: Any])[path: "range.start.character"] as? Int == bc)
        #expect((d as [String: Any])[path: "range.end.character"] as? Int == bc + 2)
    }

    @Test func otherYAMLFilesGetNoDiagnostics() {
        let c = Client()
        c.initialize()
        let uri = "file:///tmp/wfc-lsp/.github/workflows/ci.yaml"
        c.open(uri, "on: push\njobs:\n  build: {runs-on: ubuntu-latest}\n")
        #expect(c.diagnostics(uri)?.isEmpty == true)
        // A workflow mapping without states is ours: its problems are reported.
        c.open("file:///tmp/wfc-lsp/w.yaml", "workflow: w\n")
        #expect(c.diagnostics("file:///tmp/wfc-lsp/w.yaml")?.contains { $0["severity"] as? Int == 1 } == true)
    }

    @Test func outOfRangePositionsAreClamped() {
        let c = Client()
        c.initialize()
        let uri = "file:///tmp/wfc-lsp-zh/range.yaml"
        c.open(uri, Self.chinese)
        for (l, ch) in [(10_000, 0), (7, 99_999), (-3, -5), (0, -1)] {
            let reply = c.request("textDocument/hover", at(uri, l, ch))
            #expect(reply["error"] == nil)
            let completion = c.request("textDocument/completion", at(uri, l, ch))
            #expect(completion["error"] == nil)
            let definition = c.request("textDocument/definition", at(uri, l, ch))
            #expect(definition["error"] == nil)
        }
        // In the middle of the surrogate pair of 𠀀: the character's start.
        let line = 7
        let col = Array("  s1: {title: 第一步".utf16).count + 1
        c.notify("textDocument/didChange", [
            "textDocument": ["uri": uri, "version": 2],
            "contentChanges": [["range": ["start": ["line": line, "character": col], "end": ["line": line, "character": col]], "text": "X"]],
        ])
        #expect(c.diagnostics(uri)?.contains { $0["severity"] as? Int == 1 } == false)
    }
}

extension ProtocolTests {
    /// Changes that arrive together are analysed once, and a request after them sees the last.
    @Test func aBurstOfChangesIsAnalysedOnce() throws {
        let uri = "file:///tmp/wfc-lsp-zh/burst.yaml"
        func json(_ o: [String: Any]) -> [UInt8] {
            framed(String(decoding: (try? JSONSerialization.data(withJSONObject: o)) ?? Data(), as: UTF8.self))
        }
        var input = framed(Self.initialize)
        input += json(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ["textDocument": ["uri": uri, "languageId": "yaml", "version": 1, "text": Self.chinese]]])
        for v in 2...4 {
            let text = Self.chinese.replacingOccurrences(of: "to: s2", with: "to: s\(v + 1)")
            input += json(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": ["textDocument": ["uri": uri, "version": v], "contentChanges": [["text": text]]]])
        }
        let (l, ch) = try #require(position(of: "s5", in: Self.chinese.replacingOccurrences(of: "to: s2", with: "to: s5"), offset: 1))
        input += json(["jsonrpc": "2.0", "id": 2, "method": "textDocument/prepareRename", "params": at(uri, l, ch)])
        let (out, _) = run(input)
        let published = out.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
        #expect(published.count == 1)
        #expect(published.first?[path: "params.version"] as? Int == 4)
        #expect((published.first?[path: "params.diagnostics.0.message"] as? String)?.contains("`s5`") == true)
        #expect(out.first { $0["id"] as? Int == 2 }?[path: "result.placeholder"] as? String == "s5")
    }
}

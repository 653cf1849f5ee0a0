import Foundation
import Testing
import TestSupport

/// The real `wfc lsp` over pipes.
@Suite struct BinaryTests {
    static var executable: URL { PackagePaths.wfcExecutable }

    /// Runs `wfc lsp` with `input` on standard input; returns its messages and exit status.
    func session(_ input: [UInt8]) throws -> ([[String: Any]], Int32) {
        let p = Process()
        p.executableURL = Self.executable
        p.arguments = ["lsp"]
        p.currentDirectoryURL = PackagePaths.root
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardInput = inp
        p.standardError = FileHandle.nullDevice
        try p.run()
        inp.fileHandleForWriting.write(Data(input))
        try inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (try #require(messages(in: [UInt8](data))), p.terminationStatus)
    }

    func json(_ o: [String: Any]) -> [UInt8] {
        framed(String(decoding: (try? JSONSerialization.data(withJSONObject: o)) ?? Data(), as: UTF8.self))
    }

    @Test func aSessionOverPipes() throws {
        let policy = PackagePaths.root.appendingPathComponent("workflows/resignation-flow.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        let uri = policy.absoluteString
        let (l, ch) = try #require(position(of: "meeting", in: text, after: "notified:"))
        var input = json(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["rootUri": PackagePaths.root.absoluteString, "capabilities": [String: Any]()]])
        input += json(["jsonrpc": "2.0", "method": "initialized", "params": [String: Any]()])
        input += json(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ["textDocument": ["uri": uri, "languageId": "yaml", "version": 1, "text": text]]])
        input += json(["jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": at(uri, l, ch + 1)])
        input += json(["jsonrpc": "2.0", "id": 3, "method": "shutdown"])
        input += json(["jsonrpc": "2.0", "method": "exit"])
        let (out, status) = try session(input)
        #expect(status == 0)
        #expect(out.first { $0["id"] as? Int == 1 }?[path: "result.capabilities.hoverProvider"] as? Bool == true)
        let published = out.first { $0["method"] as? String == "textDocument/publishDiagnostics" }
        #expect(published?[path: "params.uri"] as? String == uri)
        #expect((published?[path: "params.diagnostics"] as? [[String: Any]])?.contains { $0["severity"] as? Int == 1 } == false)
        let hover = out.first { $0["id"] as? Int == 2 }?[path: "result.contents.value"] as? String
        #expect(hover?.contains("与直属领导一对一会议") == true)
        #expect(out.first { $0["id"] as? Int == 3 }?["result"] is NSNull)
    }

    @Test func exitWithoutShutdownIsStatusOne() throws {
        let (out, status) = try session(json(["jsonrpc": "2.0", "method": "exit"]))
        #expect(out.isEmpty)
        #expect(status == 1)
        // Garbage then end of input: an error reply, and status 1.
        let (garbage, s2) = try session(Array("Content-Length: x\r\n\r\n".utf8))
        #expect(garbage.first?[path: "error.code"] as? Int == -32700)
        #expect(s2 == 1)
    }
}

import Foundation
import Testing
import WFCLanguageServer

/// Go to definition across files: imports and `use:` fragments, inside the workspace only.
@Suite struct FragmentTests {
    static let workflow = """
        workflow: with-fragment
        version: 1
        title: 使用片段的交接
        import: [fragments/three-party-signoff.yaml, ../outside.yaml]
        roles:
          handover: {title: 交接人}
          receiver: {title: 接交人}
          witness: {title: 监交人}
        separate: [[handover, receiver, witness]]
        case:
          key_post: {type: bool, default: false}
          items: {checklist: {name: string}}
        start: prepare
        states:
          prepare:
            title: 交接准备
            fills: [items]
            on:
              ready: {by: handover, to: sign, requires: {all_done: items}}
          sign: {use: three-party-signoff, then: done}
          done: {final: completed}

        """
    static let fragment = """
        fragment: three-party-signoff
        title: 三方签字（关键岗位有监交人）
        state:
          title: 三方签字确认
          signoff:
            all: [handover, receiver]
            also: {witness: "case.key_post"}
          requires: {all_done: items}

        """

    /// A workspace folder holding the workflow and its fragment, and a fragment beside it
    /// (outside the workspace).
    func workspace() throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wfc-lsp-\(UUID().uuidString)")
        let root = base.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("fragments"), withIntermediateDirectories: true)
        try Self.workflow.write(to: root.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        try Self.fragment.write(to: root.appendingPathComponent("fragments/three-party-signoff.yaml"), atomically: true, encoding: .utf8)
        try Self.fragment.replacingOccurrences(of: "three-party-signoff", with: "outside").write(to: base.appendingPathComponent("outside.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    @Test func definitionOfAFragmentAndAnImport() throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let c = Client()
        c.initialize(root: root)
        let uri = root.appendingPathComponent("flow.yaml").absoluteString
        c.open(uri, Self.workflow)
        let fragmentURI = root.appendingPathComponent("fragments/three-party-signoff.yaml").absoluteString

        // The import leaving the workspace is refused, as by `wfc check`.
        let diags = try #require(c.diagnostics(uri))
        let outside = diags.first { ($0["message"] as? String)?.contains("../outside.yaml") == true }
        #expect(outside?["severity"] as? Int == 1)

        let (ul, uc) = try #require(position(of: "three-party-signoff", in: Self.workflow, after: "use: ", offset: 3))
        let use = c.request("textDocument/definition", at(uri, ul, uc))
        #expect(use[path: "result.uri"] as? String == fragmentURI)
        #expect(use[path: "result.range.start.line"] as? Int == 0)
        #expect(use[path: "result.range.start.character"] as? Int == 10)

        let (il, ic) = try #require(position(of: "fragments/", in: Self.workflow, offset: 2))
        let imp = c.request("textDocument/definition", at(uri, il, ic))
        #expect(imp[path: "result.uri"] as? String == fragmentURI)

        let (ol, oc) = try #require(position(of: "../outside.yaml", in: Self.workflow, offset: 3))
        let out = c.request("textDocument/definition", at(uri, ol, oc))
        #expect(out["result"] is NSNull)

        // The fragment's state is hovered with its title; the role with its separations.
        let (sl, sc) = try #require(position(of: "sign,", in: Self.workflow, offset: 1))
        let hover = c.request("textDocument/hover", at(uri, sl, sc))
        let text = try #require(hover[path: "result.contents.value"] as? String)
        #expect(text.contains("三方签字确认") && text.contains("kind: signoff") && text.contains("from fragment `three-party-signoff`"))
        let (wl, wc) = try #require(position(of: "witness]", in: Self.workflow, offset: 1))
        let role = try #require(c.request("textDocument/hover", at(uri, wl, wc))[path: "result.contents.value"] as? String)
        #expect(role.contains("must be a different person from: `handover` (交接人), `receiver` (接交人)"))
    }

    @Test func aProblemInAFragmentPointsToIt() throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try Self.fragment.replacingOccurrences(of: "all: [handover, receiver]", with: "all: [handover, reciever]")
            .write(to: root.appendingPathComponent("fragments/three-party-signoff.yaml"), atomically: true, encoding: .utf8)
        let c = Client()
        c.initialize(root: root)
        let uri = root.appendingPathComponent("flow.yaml").absoluteString
        c.open(uri, Self.workflow.replacingOccurrences(of: ", ../outside.yaml", with: ""))
        let d = try #require(c.diagnostics(uri)?.first { $0["severity"] as? Int == 1 })
        #expect((d as [String: Any])[path: "range.start.line"] as? Int == 0)
        let related = try #require(d["relatedInformation"] as? [[String: Any]])
        #expect(related.first?[path: "location.uri"] as? String == root.appendingPathComponent("fragments/three-party-signoff.yaml").absoluteString)
        #expect(related.first?[path: "location.range.start.line"] as? Int == 5)
    }
}

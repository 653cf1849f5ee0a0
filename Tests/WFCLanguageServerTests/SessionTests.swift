import Foundation
import Testing
import TestSupport
import WFCLanguageServer

/// A whole editing session on a real policy, driven by a scripted JSON-RPC client.
@Suite struct SessionTests {
    static let policy = PackagePaths.root.appendingPathComponent("workflows/company-handover.yaml")
    static var uri: String { policy.absoluteString }
    static func text() throws -> String { try String(contentsOf: policy, encoding: .utf8) }

    func hoverText(_ c: Client, _ needle: String, after: String? = nil, offset: Int = 1) throws -> String {
        let text = try Self.text()
        let (l, ch) = try #require(position(of: needle, in: text, after: after, offset: offset))
        let reply = c.request("textDocument/hover", at(Self.uri, l, ch))
        return try #require(reply[path: "result.contents.value"] as? String)
    }

    func labels(_ reply: [String: Any]) -> [String] {
        ((reply[path: "result.items"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
    }

    @Test func initializeAdvertisesCapabilities() {
        let c = Client()
        let reply = c.request("initialize", ["processId": NSNull(), "rootUri": PackagePaths.root.absoluteString, "capabilities": [String: Any]()])
        #expect(reply[path: "result.capabilities.hoverProvider"] as? Bool == true)
        #expect(reply[path: "result.capabilities.definitionProvider"] as? Bool == true)
        #expect(reply[path: "result.capabilities.positionEncoding"] as? String == "utf-16")
        #expect(reply[path: "result.capabilities.textDocumentSync.change"] as? Int == 2)
        #expect(reply[path: "result.capabilities.renameProvider.prepareProvider"] as? Bool == true)
        #expect(reply[path: "result.serverInfo.name"] as? String == "wfc")
    }

    @Test func openPublishesDiagnosticsWithoutErrors() throws {
        let c = Client()
        c.initialize()
        c.open(Self.uri, try Self.text())
        let diags = try #require(c.diagnostics(Self.uri))
        #expect(!diags.contains { $0["severity"] as? Int == 1 })
    }

    @Test func hoverExplainsStatesRolesFieldsAndDurations() throws {
        let c = Client()
        c.initialize()
        c.open(Self.uri, try Self.text())
        let state = try hoverText(c, "  review:", after: "states:", offset: 3)
        #expect(state.contains("`review`") && state.contains("交接审核") && state.contains("clause 四.3") && state.contains("kind: task"))
        let role = try hoverText(c, "manager", after: "approve: {by: ")
        #expect(role.contains("直接上级"))
        #expect(role.contains("must be a different person from: `handover` (交接人), `receiver` (接交人)"))
        let field = try hoverText(c, "last_day]", after: "fills: [")
        #expect(field.contains("`last_day`: date") && field.contains("最后工作日"))
        let enumField = try hoverText(c, "reason,", after: "fills: [")
        #expect(enumField.contains("enum [resignation, transfer, sick_leave, maternity_leave]"))
        let inExpression = try hoverText(c, "application)", after: "has(case.")
        #expect(inExpression.contains("`application`: string (optional)"))
        let duration = try hoverText(c, "3 working days", offset: 2)
        #expect(duration.contains("3 working days") && duration.contains("weekends and statutory holidays are skipped") && duration.contains("`cn-mainland`"))
        // Nothing to say about a key.
        let text = try Self.text()
        let (l, ch) = try #require(position(of: "title:", in: text, offset: 1))
        let none = c.request("textDocument/hover", at(Self.uri, l, ch))
        #expect(none["result"] is NSNull)
    }

    @Test func definitionFindsStatesRolesAndFields() throws {
        let c = Client()
        c.initialize()
        let text = try Self.text()
        c.open(Self.uri, text)
        let (l, ch) = try #require(position(of: "review", in: text, after: "ready:", offset: 2))
        let reply = c.request("textDocument/definition", at(Self.uri, l, ch))
        let (defLine, defChar) = try #require(position(of: "  review:", in: text, after: "states:", offset: 2))
        #expect(reply[path: "result.uri"] as? String == Self.uri)
        #expect(reply[path: "result.range.start.line"] as? Int == defLine)
        #expect(reply[path: "result.range.start.character"] as? Int == defChar)
        #expect(reply[path: "result.range.end.character"] as? Int == defChar + 6)

        let (rl, rc) = try #require(position(of: "hr,", in: text, after: "escalate: ", offset: 1))
        let role = c.request("textDocument/definition", at(Self.uri, rl, rc))
        let (hrLine, _) = try #require(position(of: "hr:", in: text, after: "roles:"))
        #expect(role[path: "result.range.start.line"] as? Int == hrLine)

        let (fl, fc) = try #require(position(of: "items", in: text, after: "checklist: "))
        let field = c.request("textDocument/definition", at(Self.uri, fl, fc))
        let (itemsLine, _) = try #require(position(of: "items:", in: text, after: "case:"))
        #expect(field[path: "result.range.start.line"] as? Int == itemsLine)
    }

    @Test func completionOffersNamesForTheKey() throws {
        let c = Client()
        c.initialize()
        let text = try Self.text()
        c.open(Self.uri, text)
        let (tl, tc) = try #require(position(of: "review", in: text, after: "ready:"))
        let states = labels(c.request("textDocument/completion", at(Self.uri, tl, tc)))
        #expect(states.contains("review") && states.contains("withdrawn") && states.contains("apply"))
        #expect(!states.contains("manager"))

        let (bl, bc) = try #require(position(of: "manager", in: text, after: "approve: {by: "))
        let roles = labels(c.request("textDocument/completion", at(Self.uri, bl, bc)))
        #expect(roles == ["handover", "receiver", "manager", "hr"])

        let (fl, fc) = try #require(position(of: "last_day]", in: text, after: "fills: ["))
        let fields = labels(c.request("textDocument/completion", at(Self.uri, fl, fc)))
        #expect(fields == ["reason", "last_day", "application", "items"])

        let (cl, cc) = try #require(position(of: "application)", in: text, after: "has(case."))
        #expect(labels(c.request("textDocument/completion", at(Self.uri, cl, cc))) == fields)

        // A new event key under `on:`.
        let (el, _) = try #require(position(of: "withdraw: {by: handover, to: withdrawn, title: 撤回}", in: text))
        let events = labels(c.request("textDocument/completion", at(Self.uri, el, 6)))
        #expect(events.contains("submit") && events.contains("approve") && events.contains("withdraw"))

        // Enum members after `case.reason == "`: typed into the document.
        let edited = text.replacingOccurrences(of: "when: \"size(case.items) > 0\"", with: "when: \"size(case.items) > 0 && case.reason == \"")
        c.change(Self.uri, edited, version: 2)
        let (ml, mc) = try #require(position(of: "case.reason == \"", in: edited, offset: 16))
        let reply = c.request("textDocument/completion", at(Self.uri, ml, mc))
        let members = labels(reply)
        #expect(members == ["resignation", "transfer", "sick_leave", "maternity_leave"])
        // The members' titles (`enum: {resignation: 离职, …}`) are their details.
        let details = ((reply[path: "result.items"] as? [[String: Any]]) ?? []).compactMap { $0["detail"] as? String }
        #expect(details.first == "reason member — 离职" && details.last == "reason member — 产假", "\(details)")
    }

    @Test func documentSymbolsListStatesWithTitles() throws {
        let c = Client()
        c.initialize()
        c.open(Self.uri, try Self.text())
        let reply = c.request("textDocument/documentSymbol", ["textDocument": ["uri": Self.uri]])
        let symbols = try #require(reply["result"] as? [[String: Any]])
        #expect(symbols.first?["name"] as? String == "apply")
        #expect(symbols.first?["detail"] as? String == "提前申请")
        #expect(symbols.contains { $0["name"] as? String == "review" && $0["detail"] as? String == "交接审核" })
    }

    @Test func renameChangesEveryUseOfARole() throws {
        let c = Client()
        c.initialize()
        let text = try Self.text()
        c.open(Self.uri, text)
        let (l, ch) = try #require(position(of: "manager", in: text, after: "approve: {by: ", offset: 3))
        let prepared = c.request("textDocument/prepareRename", at(Self.uri, l, ch))
        #expect(prepared[path: "result.placeholder"] as? String == "manager")
        var params = at(Self.uri, l, ch)
        params["newName"] = "supervisor"
        let reply = c.request("textDocument/rename", params)
        let edits = try #require(reply[path: "result.changes"] as? [String: Any])[Self.uri] as? [[String: Any]]
        // Every `manager` outside comments (and outside Chinese text, which holds none).
        let uses = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return code.components(separatedBy: "manager").count - 1
        }.reduce(0, +)
        #expect(edits?.count == uses)
        #expect(edits?.allSatisfy { $0["newText"] as? String == "supervisor" } == true)

        // Applying the edit leaves a policy without errors.
        let renamed = apply(edits ?? [], to: text)
        c.change(Self.uri, renamed, version: 2)
        #expect(c.diagnostics(Self.uri)?.contains { $0["severity"] as? Int == 1 } == false)
        #expect(renamed.contains("supervisor:  {title: 直接上级}"))

        // A taken name or an invalid one is refused.
        params["newName"] = "hr"
        let (l2, ch2) = try #require(position(of: "supervisor", in: renamed, after: "approve: {by: ", offset: 1))
        params["position"] = ["line": l2, "character": ch2]
        #expect(c.request("textDocument/rename", params)[path: "error.code"] as? Int == -32803)
        params["newName"] = "直接上级"
        #expect(c.request("textDocument/rename", params)[path: "error.message"] as? String != nil)
    }

    @Test func anErrorIntroducedByAChangeIsPublishedWithItsFix() throws {
        let c = Client()
        c.initialize()
        let text = try Self.text()
        c.open(Self.uri, text)
        let broken = text.replacingOccurrences(of: "        to: review\n", with: "        to: reveiw\n")
        #expect(broken != text)
        c.change(Self.uri, broken, version: 2)
        let diags = try #require(c.diagnostics(Self.uri))
        let d = try #require(diags.first { $0["code"] as? String == "WFC5001" })
        let (l, ch) = try #require(position(of: "reveiw", in: broken))
        #expect(d["severity"] as? Int == 1)
        #expect(d["source"] as? String == "wfc")
        #expect((d["message"] as? String)?.contains("no state is called `reveiw`") == true)
        #expect((d["message"] as? String)?.contains("help: did you mean `review`?") == true)
        #expect((d as [String: Any])[path: "range.start.line"] as? Int == l)
        #expect((d as [String: Any])[path: "range.start.character"] as? Int == ch)
        #expect((d as [String: Any])[path: "range.end.character"] as? Int == ch + 6)

        let actions = c.request("textDocument/codeAction", [
            "textDocument": ["uri": Self.uri],
            "range": ["start": ["line": l, "character": ch + 2], "end": ["line": l, "character": ch + 2]],
            "context": ["diagnostics": [d]],
        ])
        let action = try #require((actions["result"] as? [[String: Any]])?.first)
        #expect(action["title"] as? String == "use the existing state")
        #expect(action["kind"] as? String == "quickfix")
        let edits = try #require((action[path: "edit.changes"] as? [String: Any])?[Self.uri] as? [[String: Any]])
        #expect(edits.count == 1 && edits[0]["newText"] as? String == "review")
        // The fix applied gives back the original text, and the error goes away.
        let fixed = apply(edits, to: broken)
        #expect(fixed == text)
        c.change(Self.uri, fixed, version: 3)
        #expect(c.diagnostics(Self.uri)?.contains { $0["code"] as? String == "WFC5001" } == false)
    }

    /// A client whose `initialize` says `locale: zh-CN` gets diagnostics and fix titles in
    /// Chinese, with the same code and range.
    @Test func theClientsLocaleChoosesTheLanguage() throws {
        let c = Client()
        c.initialize(locale: "zh-CN")
        let broken = try Self.text().replacingOccurrences(of: "        to: review\n", with: "        to: reveiw\n")
        c.open(Self.uri, broken)
        let d = try #require(c.diagnostics(Self.uri)?.first { $0["code"] as? String == "WFC5001" })
        #expect((d["message"] as? String)?.hasPrefix("没有叫 `reveiw` 的状态") == true, "\(d)")
        let (l, ch) = try #require(position(of: "reveiw", in: broken))
        #expect((d as [String: Any])[path: "range.start.character"] as? Int == ch)
        let actions = c.request("textDocument/codeAction", [
            "textDocument": ["uri": Self.uri],
            "range": ["start": ["line": l, "character": ch + 2], "end": ["line": l, "character": ch + 2]],
            "context": ["diagnostics": [d]],
        ])
        #expect((actions["result"] as? [[String: Any]])?.first?["title"] as? String == "改用已有的状态")
    }

    @Test func aDocumentThatNoLongerParsesKeepsItsNamesForCompletionOnly() throws {
        let c = Client()
        c.initialize()
        let text = try Self.text()
        c.open(Self.uri, text)
        // An unclosed flow list: the YAML does not load.
        let broken = text.replacingOccurrences(of: "        to: review\n", with: "        to: [\n")
        c.change(Self.uri, broken, version: 2)
        #expect(c.diagnostics(Self.uri)?.contains { $0["severity"] as? Int == 1 } == true)
        let (l, ch) = try #require(position(of: "[", in: broken, after: "ready:", offset: 1))
        let states = labels(c.request("textDocument/completion", at(Self.uri, l, ch)))
        #expect(states.contains("review"))
        // Hover and definition answer nothing rather than from stale spans.
        let (hl, hc) = try #require(position(of: "  review:", in: broken, after: "states:", offset: 3))
        #expect(c.request("textDocument/hover", at(Self.uri, hl, hc))["result"] is NSNull)
        #expect(c.request("textDocument/definition", at(Self.uri, hl, hc))["result"] is NSNull)
    }

    @Test func incrementalChangesAreApplied() throws {
        let c = Client()
        c.initialize()
        let text = try Self.text()
        c.open(Self.uri, text)
        let (l, ch) = try #require(position(of: "review", in: text, after: "ready:"))
        c.notify("textDocument/didChange", [
            "textDocument": ["uri": Self.uri, "version": 2],
            "contentChanges": [["range": ["start": ["line": l, "character": ch], "end": ["line": l, "character": ch + 6]], "text": "nowhere"]],
        ])
        #expect(c.diagnostics(Self.uri)?.contains { $0["code"] as? String == "WFC5001" && ($0["message"] as? String)?.contains("`nowhere`") == true } == true)
    }

    @Test func shutdownThenExit() {
        let c = Client()
        c.initialize()
        let reply = c.request("shutdown")
        #expect(reply["result"] is NSNull)
        #expect(reply["error"] == nil)
        // After shutdown, requests are refused.
        #expect(c.request("textDocument/hover", at(Self.uri, 0, 0))[path: "error.code"] as? Int == -32600)
    }
}

/// Applies LSP text edits (UTF-16 positions) to a text.
func apply(_ edits: [[String: Any]], to text: String) -> String {
    var lines = text.components(separatedBy: "\n")
    let sorted = edits.sorted {
        let a = ($0[path: "range.start.line"] as? Int ?? 0, $0[path: "range.start.character"] as? Int ?? 0)
        let b = ($1[path: "range.start.line"] as? Int ?? 0, $1[path: "range.start.character"] as? Int ?? 0)
        return a > b
    }
    for e in sorted {
        guard let l = e[path: "range.start.line"] as? Int, let s = e[path: "range.start.character"] as? Int,
              let el = e[path: "range.end.line"] as? Int, let en = e[path: "range.end.character"] as? Int, l == el, l < lines.count,
              let new = e["newText"] as? String else { continue }
        var u = Array(lines[l].utf16)
        u.replaceSubrange(s..<en, with: Array(new.utf16))
        lines[l] = String(decoding: u, as: UTF16.self)
    }
    return lines.joined(separator: "\n")
}

extension SessionTests {
    /// In a scenario file, `fire:` completes the events of the workflow it tests.
    @Test func completionInAScenarioFile() throws {
        let scenario = PackagePaths.root.appendingPathComponent("workflows/resignation-flow.test.yaml")
        let text = try String(contentsOf: scenario, encoding: .utf8)
        let c = Client()
        c.initialize()
        c.open(scenario.absoluteString, text)
        #expect(c.diagnostics(scenario.absoluteString)?.isEmpty == true)
        let (l, ch) = try #require(position(of: "met", in: text, after: "- fire: "))
        let events = labels(c.request("textDocument/completion", at(scenario.absoluteString, l, ch)))
        #expect(events == ["notified", "met", "planned", "chosen", "held", "redo", "caught_up", "reported"])
        let (sl, sc) = try #require(position(of: "notify]", in: text, after: "states: ["))
        let states = labels(c.request("textDocument/completion", at(scenario.absoluteString, sl, sc)))
        #expect(states.first == "notify" && states.contains("done"))
        // Not a key the scenario language completes.
        let (al, ac) = try #require(position(of: "zhang.san", in: text, after: "as: "))
        #expect(labels(c.request("textDocument/completion", at(scenario.absoluteString, al, ac))).isEmpty)
    }
}

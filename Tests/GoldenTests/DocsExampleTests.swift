import Foundation
import Testing
import WFCDiagnostics
import WFCDriver
import WFCYAML

/// The YAML examples of the language guides: every block is YAML, and every whole workflow in
/// them (a block with `workflow:` at the top level) checks without errors.
@Suite struct DocsExampleTests {
    static let docs = Golden.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")
    static let guides = ["language.md", "language.zh-CN.md"]

    /// The ```yaml blocks of a Markdown file, each as a source file named `guide:LINE`.
    static func blocks(_ name: String) throws -> [SourceFile] {
        let text = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
        var out: [SourceFile] = []
        var current: [Substring]?
        var start = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line.hasPrefix("```yaml") {
                current = []
                start = i + 2
            } else if current != nil, line.hasPrefix("```") {
                out.append(SourceFile(path: "\(name):\(start)", text: (current ?? []).joined(separator: "\n") + "\n"))
                current = nil
            } else if current != nil {
                current?.append(line)
            }
        }
        return out
    }

    @Test(arguments: guides)
    func everyExampleLoadsAndEveryWorkflowChecks(_ guide: String) throws {
        let blocks = try Self.blocks(guide)
        #expect(blocks.count >= 10, "\(guide): expected the guide's examples, found \(blocks.count)")
        var workflows = 0
        for file in blocks {
            let text = String(decoding: file.bytes, as: UTF8.self)
            // A block of comments only (the schema line) is no YAML document.
            if text.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }) { continue }
            // A snippet may list alternative forms of one key (`due:` three ways): a repeated
            // key (WFC1003) is how it says so; anything else is a broken example.
            let problems = YAMLLoader().load(file).diagnostics.filter { $0.code != "WFC1003" }
            #expect(problems.isEmpty, "\(file.path): \(Golden.render(problems, file))")
            guard String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").contains(where: { $0.hasPrefix("workflow:") }) else { continue }
            workflows += 1
            let out = CheckRunner.standard().checkWithSources(file)
            // The whole examples compile with no error at all, the graph checks included (the
            // guide's first example was once reported stuck, WFC5019: nothing filled its checklist).
            let errors = out.diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(file.path): \(HumanRenderer().render(errors, sources: SourceMap([file] + out.sources)))")
        }
        #expect(workflows >= 2, "\(guide): the whole workflows were not found")
    }

    /// The Chinese guide has the same examples, block for block, as the English one: only
    /// comments and prose may differ, so that the two cannot drift apart.
    @Test func theChineseGuideHasTheSameExamples() throws {
        let strip = { (f: SourceFile) -> String in
            String(decoding: f.bytes, as: UTF8.self).split(separator: "\n").map { line -> String in
                // Drop a trailing comment (`  # …`), which the translation may change.
                var s = String(line)
                if let r = s.range(of: "  #") ?? (s.hasPrefix("#") ? s.range(of: "#") : nil) { s = String(s[..<r.lowerBound]) }
                return s.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }.joined(separator: "\n")
        }
        let en = try Self.blocks("language.md").map(strip)
        let zh = try Self.blocks("language.zh-CN.md").map(strip)
        #expect(en == zh)
    }
}

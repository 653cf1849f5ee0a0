import Foundation
import Testing
import WFCDiagnostics

/// Golden files: each `X.yaml` under `<suite>/invalid/` sits next to `X.expected`, its
/// rendered diagnostics. Files under `<suite>/valid/` must produce no diagnostics at all.
/// Set `WFC_UPDATE_GOLDEN=1` to rewrite the expected files from the current output.
enum Golden {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static var updating: Bool { ProcessInfo.processInfo.environment["WFC_UPDATE_GOLDEN"] == "1" }

    /// The YAML inputs of a folder, sorted.
    static func inputs(_ folder: String) -> [URL] {
        let dir = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Reads `url` as a source file whose display path is relative to the golden root.
    static func source(_ url: URL) throws -> SourceFile {
        let rel = String(url.path.dropFirst(root.path.count + 1))
        return SourceFile(path: rel, bytes: Array(try Data(contentsOf: url)))
    }

    /// Compares `actual` with the `.expected` file next to `input`, or rewrites it.
    static func compare(_ actual: String, for input: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expectedURL = input.deletingPathExtension().appendingPathExtension("expected")
        if updating {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
            Issue.record("missing \(expectedURL.lastPathComponent); run with WFC_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "\(input.lastPathComponent) differs from its .expected file", sourceLocation: sourceLocation)
    }

    /// Compares the diagnostics shown in Chinese with `X.zh-CN.expected` (or rewrites it), and
    /// checks that each is wholly in the catalogs (``expectCovered(_:for:sourceLocation:)``).
    static func compareChinese(_ diagnostics: [Diagnostic], sources: SourceMap, for input: URL,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectCovered(diagnostics, for: input, sourceLocation: sourceLocation)
        let text = HumanRenderer(language: .zhCN).render(DiagnosticLocalizer.localize(diagnostics, to: .zhCN), sources: sources)
        try compareChinese(text, for: input, sourceLocation: sourceLocation)
    }

    /// Every diagnostic whose code is translated (not in `untranslated-codes.txt`) is wholly in
    /// the catalogs: message, labels, notes, help and fix-its.
    static func expectCovered(_ diagnostics: [Diagnostic], for input: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        for d in diagnostics where !Untranslated.codes.contains(d.code) {
            let missing = DiagnosticLocalizer.uncovered(d, in: .zhCN)
            #expect(missing.isEmpty, "\(input.lastPathComponent): \(d.code) has texts no catalog entry matches: \(missing)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Compares Chinese output with `X.zh-CN.expected` next to `input`, or rewrites it.
    static func compareChinese(_ text: String, for input: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expectedURL = input.deletingPathExtension().appendingPathExtension("zh-CN.expected")
        if updating {
            try text.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
            Issue.record("missing \(expectedURL.lastPathComponent); run with WFC_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        #expect(text == expected, "\(input.lastPathComponent) differs from its .zh-CN.expected file", sourceLocation: sourceLocation)
    }

    static func render(_ diagnostics: [Diagnostic], _ file: SourceFile) -> String {
        HumanRenderer(useColor: false).render(diagnostics, sources: SourceMap([file]))
    }
}

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

    static func render(_ diagnostics: [Diagnostic], _ file: SourceFile) -> String {
        HumanRenderer(useColor: false).render(diagnostics, sources: SourceMap([file]))
    }
}

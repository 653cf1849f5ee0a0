import Foundation

/// Renders diagnostics as JSON Lines: one object per diagnostic, keys sorted, with both byte
/// offsets and 1-based line/column (columns in Unicode scalars).
public struct JSONLinesRenderer: Sendable {
    public init() {}

    struct Position: Encodable {
        var offset: Int
        var line: Int
        var column: Int
    }

    struct Location: Encodable {
        var file: String
        var start: Position
        var end: Position
        var label: String?
    }

    struct Fix: Encodable {
        var message: String
        var location: Location
        var replacement: String
    }

    /// How a diagnostic was suppressed (only with `--show-suppressed`).
    struct Suppressed: Encodable {
        var kind: String
        var justification: String
        var location: Location?
    }

    /// `file`, `start` and `end` are absent for a diagnostic about no file.
    struct Record: Encodable {
        var severity: String
        var code: String
        var message: String
        var file: String?
        var start: Position?
        var end: Position?
        var label: String?
        var related: [Location]
        var notes: [String]
        var help: String?
        var fixes: [Fix]
        var suppressed: Suppressed?
    }

    public func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = ""
        for d in diagnostics {
            let primary = location(d.primary, sources)
            let located = !d.primary.span.isUnlocated
            let record = Record(
                severity: d.severity.rawValue, code: d.code.rawValue, message: d.message,
                file: located ? primary.file : nil, start: located ? primary.start : nil, end: located ? primary.end : nil, label: primary.label,
                related: d.secondary.map { location($0, sources) }, notes: d.notes, help: d.help,
                fixes: d.fixIts.map { Fix(message: $0.message, location: location(Label($0.span), sources), replacement: $0.replacement) },
                suppressed: d.suppression.map { s in
                    Suppressed(kind: s.kind.rawValue, justification: s.justification, location: s.location.map { location(Label($0), sources) })
                })
            if let data = try? encoder.encode(record) {
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        return out
    }

    private func location(_ l: Label, _ sources: SourceMap) -> Location {
        let f = sources[l.span.file]
        func pos(_ o: Int) -> Position {
            let lc = f?.lineColumn(of: o) ?? LineColumn(line: 0, column: 0)
            return Position(offset: o, line: lc.line, column: lc.column)
        }
        return Location(file: l.span.file, start: pos(l.span.start), end: pos(l.span.end), label: l.message.isEmpty ? nil : l.message)
    }
}

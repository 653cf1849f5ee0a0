/// Renders diagnostics for people: `file:line:col: error[CODE]: message`, the source line with
/// an underline under the exact span, secondary labels, notes and help.
public struct HumanRenderer: Sendable {
    public var useColor: Bool
    /// The language of the renderer's own words (the fix-it actions, suppression); the
    /// diagnostics come already translated (``DiagnosticLocalizer``).
    public var language: DiagnosticLanguage

    public init(useColor: Bool = false, language: DiagnosticLanguage = .en) {
        self.useColor = useColor
        self.language = language
    }

    /// Renders one diagnostic; `sources` supplies the text of the files it points into.
    public func render(_ d: Diagnostic, sources: SourceMap) -> String {
        var out = ""
        let file = sources[d.primary.span.file]
        let pos = file.map { $0.lineColumn(of: d.primary.span.start) }
        let location = pos.map { "\(d.file):\($0.line):\($0.column)" } ?? d.file
        // A diagnostic about no file starts with its severity: `error[WFC7001]: …`.
        if !d.primary.span.isUnlocated { out += paint(location, .bold) + ": " }
        out += paint("\(d.severity.rawValue)[\(d.code)]", severityStyle(d.severity)) + ": "
        if d.suppression != nil { out += paint("(suppressed)", .bold) + " " }
        out += paint(d.message, .bold) + "\n"

        // Group labels by file: the primary file first, then others in path order.
        var labels: [(label: Label, primary: Bool)] = [(d.primary, true)]
        labels += d.secondary.map { ($0, false) }
        var files: [String] = [d.primary.span.file]
        for l in d.secondary where !files.contains(l.span.file) { files.append(l.span.file) }
        files = [files[0]] + files.dropFirst().sorted()

        let gutterWidth = maxLineNumberWidth(labels.map(\.label), sources)
        for (index, path) in files.enumerated() {
            guard let src = sources[path] else { continue }
            if index > 0, let first = labels.first(where: { $0.label.span.file == path })?.label {
                let lc = src.lineColumn(of: first.span.start)
                out += String(repeating: " ", count: gutterWidth) + paint("--> ", .blue)
                    + "\(path):\(lc.line):\(lc.column)\n"
            }
            out += snippet(src, labels.filter { $0.label.span.file == path }, gutterWidth: gutterWidth)
        }
        for l in d.secondary where sources[l.span.file] == nil {
            out += gutter(gutterWidth, "=") + " note: \(l.span.file): \(l.message)\n"
        }
        for note in d.notes {
            out += gutter(gutterWidth, "=") + " " + paint("note", .bold) + ": " + indentContinuation(note, gutterWidth) + "\n"
        }
        if let help = d.help {
            out += gutter(gutterWidth, "=") + " " + paint("help", .bold) + ": " + indentContinuation(help, gutterWidth) + "\n"
        }
        if let s = d.suppression {
            var line = gutter(gutterWidth, "=") + " " + paint("suppressed", .bold) + ": "
            line += phrase(s.kind == .inSource ? "render.suppressed.comment" : "render.suppressed.config", [:])
            if let at = s.location, let src = sources[at.file] {
                line += " (\(at.file):\(src.lineColumn(of: at.start).line))"
            }
            out += line + ": " + indentContinuation(s.justification, gutterWidth) + "\n"
        }
        for fix in d.fixIts {
            let old = sources[fix.span.file].map { $0.text(fix.span.start, fix.span.end) } ?? ""
            let action: String
            if old.isEmpty {
                action = phrase("render.fix.insert", ["text": quoted(fix.replacement)])
            } else if fix.replacement.isEmpty {
                action = phrase("render.fix.remove", ["text": quoted(old)])
            } else {
                action = phrase("render.fix.replace", ["old": quoted(old), "new": quoted(fix.replacement)])
            }
            out += gutter(gutterWidth, "=") + " " + paint("fix", .bold) + ": \(fix.message): \(action)\n"
        }
        return out
    }

    /// Renders many diagnostics, separated by blank lines.
    public func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        diagnostics.map { render($0, sources: sources) }.joined(separator: "\n")
    }

    private func snippet(_ src: SourceFile, _ labels: [(label: Label, primary: Bool)], gutterWidth: Int) -> String {
        var byLine: [Int: [(label: Label, primary: Bool)]] = [:]
        for l in labels {
            byLine[src.lineIndex(of: l.label.span.start), default: []].append(l)
        }
        var out = gutter(gutterWidth, "|") + "\n"
        var previous: Int?
        for line in byLine.keys.sorted() {
            if let p = previous, line > p + 1 {
                out += paint(String(repeating: " ", count: max(0, gutterWidth - 2)) + "...", .blue) + "\n"
            }
            previous = line
            // Primary label first when two share a line.
            let sorted = byLine[line]!.sorted { ($0.primary ? 0 : 1, $0.label.span.start) < ($1.primary ? 0 : 1, $1.label.span.start) }
            let window = LineWindow(src, line: line, spans: sorted.map(\.label.span))
            out += paint(pad(String(line + 1), gutterWidth) + " | ", .blue) + window.text + "\n"
            for l in sorted {
                out += gutter(gutterWidth, "|") + " " + underline(window, label: l.label, primary: l.primary) + "\n"
            }
        }
        return out
    }

    private func underline(_ window: LineWindow, label: Label, primary: Bool) -> String {
        let (lead, width) = window.cells(label.span)
        let marks = primary
            ? "^" + String(repeating: "~", count: max(width, 1) - 1)
            : String(repeating: "-", count: max(width, 1))
        var s = String(repeating: " ", count: lead) + paint(marks, primary ? .red : .blue)
        if !label.message.isEmpty {
            s += " " + paint(label.message, primary ? .red : .blue)
        }
        return s
    }

    private func maxLineNumberWidth(_ labels: [Label], _ sources: SourceMap) -> Int {
        var w = 1
        for l in labels {
            if let f = sources[l.span.file] {
                w = max(w, String(f.lineIndex(of: l.span.start) + 1).count)
            }
        }
        return w + 1
    }

    private func gutter(_ width: Int, _ bar: String) -> String {
        paint(String(repeating: " ", count: width) + " " + bar, .blue)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }

    private func indentContinuation(_ text: String, _ width: Int) -> String {
        text.replacingAll("\n", with: "\n" + String(repeating: " ", count: width + 4))
    }

    private func quoted(_ s: String) -> String { "`\(s)`" }

    /// One of the renderer's own phrases (`render.*`) in its language, else in English.
    private func phrase(_ id: String, _ arguments: [String: String]) -> String {
        let text = DiagnosticLocalizer.catalog(language)[id] ?? DiagnosticCatalogs.en[id] ?? id
        return MessageTemplate(text).render(arguments)
    }

    enum Style: String {
        case bold = "1"
        case red = "1;31"
        case yellow = "1;33"
        case cyan = "1;36"
        case blue = "1;34"
    }

    private func severityStyle(_ s: Severity) -> Style {
        switch s {
        case .error: .red
        case .warning: .yellow
        case .note: .cyan
        }
    }

    private func paint(_ s: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
    }
}

extension TerminalWidth {
    /// Cells of text as shown by the renderer (tabs expanded, control characters as one blank).
    static func displayedCells(_ text: String) -> Int {
        var n = 0
        for s in text.unicodeScalars { n += displayCells(s) }
        return n
    }
}

extension String {
    /// Replaces every occurrence of `target`; avoids a Foundation dependency.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// One source line as displayed: tabs expanded, and long lines cut to a window around the
/// labelled spans with `…` at the cut ends.
struct LineWindow {
    /// Longest line shown whole, in cells.
    static let maxCells = 120
    /// Context kept on each side of the labels when a line is cut.
    static let context = 40

    private var scalars: [(byte: Int, cell: Int, scalar: Unicode.Scalar)] = []
    private var contentStart: Int
    private var contentEnd: Int
    private var totalCells = 0
    private var firstCell = 0
    private var lastCell = 0
    private var cutLeft = false
    private(set) var text = ""

    init(_ src: SourceFile, line: Int, spans: [SourceSpan]) {
        contentStart = src.lineStarts[line]
        if line == 0 && src.hasBOM { contentStart = min(3, src.bytes.count) }
        contentEnd = src.lineContentEnd(line)
        var byte = contentStart
        var cell = 0
        for s in src.text(contentStart, contentEnd).unicodeScalars {
            scalars.append((byte, cell, s))
            cell += TerminalWidth.displayCells(s)
            byte += UTF8.width(s)
        }
        totalCells = cell
        lastCell = cell
        if cell > Self.maxCells, let minStart = spans.map(\.start).min(), let maxEnd = spans.map(\.end).max() {
            let a = cellAt(minStart)
            let b = max(cellAt(min(maxEnd, contentEnd)), a + 1)
            firstCell = max(0, a - Self.context)
            lastCell = min(totalCells, b + Self.context)
        }
        cutLeft = firstCell > 0
        var t = cutLeft ? "…" : ""
        for s in scalars where s.cell >= firstCell && s.cell + TerminalWidth.displayCells(s.scalar) <= lastCell {
            if s.scalar == "\t" {
                t += String(repeating: " ", count: TerminalWidth.tabWidth)
            } else if s.scalar.value < 0x20 || s.scalar.value == 0x7F {
                t += " "
            } else {
                t.unicodeScalars.append(s.scalar)
            }
        }
        if lastCell < totalCells { t += "…" }
        text = t
    }

    /// The cell at which byte `offset` of the line is shown, from the line's start.
    private func cellAt(_ offset: Int) -> Int {
        if offset <= contentStart { return 0 }
        if offset >= contentEnd { return totalCells }
        var lo = 0
        var hi = scalars.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if scalars[mid].byte <= offset { lo = mid } else { hi = mid - 1 }
        }
        return scalars[lo].cell
    }

    /// Spaces before the underline and its width, for a span starting on this line.
    func cells(_ span: SourceSpan) -> (lead: Int, width: Int) {
        let start = cellAt(max(span.start, contentStart))
        let end = cellAt(min(max(span.end, span.start), contentEnd))
        let shownStart = min(max(start, firstCell), lastCell)
        let shownEnd = min(max(end, shownStart), lastCell)
        return (shownStart - firstCell + (cutLeft ? 1 : 0), shownEnd - shownStart)
    }
}

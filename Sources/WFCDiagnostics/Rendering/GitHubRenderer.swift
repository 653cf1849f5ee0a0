/// Renders diagnostics as GitHub Actions workflow commands
/// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), escaped as GitHub
/// documents: `%`, CR and LF everywhere, and also `:` and `,` inside properties.
public struct GitHubRenderer: Sendable {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        var out = ""
        // Annotations cannot be marked suppressed; suppressed diagnostics are not annotated.
        for d in diagnostics where d.suppression == nil {
            let command: String
            switch d.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            // An annotation without `file=` is shown on the run, not on a file.
            var props = d.primary.span.isUnlocated ? [] : ["file=" + escapeProperty(d.file)]
            if let f = sources[d.file] {
                let s = f.lineColumn(of: d.primary.span.start)
                // GitHub's end column is inclusive: the column of the last character.
                let lastByte = max(d.primary.span.start, d.primary.span.end - 1)
                var e = f.lineColumn(of: lastByte)
                if d.primary.span.end <= d.primary.span.start { e = s }
                props.append("line=\(s.line)")
                props.append("col=\(s.column)")
                props.append("endLine=\(e.line)")
                props.append("endColumn=\(e.column)")
            }
            props.append("title=" + escapeProperty("\(d.code): \(d.message)"))
            var message = d.message
            if !d.primary.message.isEmpty { message += " (\(d.primary.message))" }
            for n in d.notes { message += "\nnote: \(n)" }
            if let h = d.help { message += "\nhelp: \(h)" }
            out += "::\(command) \(props.joined(separator: ","))::\(escapeData(message))\n"
        }
        return out
    }

    /// Escapes a command's message.
    public func escapeData(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes a property value.
    public func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

import WFCDiagnostics
import WFCYAML

extension WorkflowParser {
    /// A role's `substitutes:` (true or false), with its span for diagnostics.
    static func substitutes(_ r: MappingReader, _ d: inout [Diagnostic]) -> Spanned<Bool>? {
        guard let v = r.value("substitutes"), let b = r.bool("substitutes", &d) else { return nil }
        return Spanned(b, v.span.in(r.file))
    }
}

import Foundation
import WFCDiagnostics
import WFCIR

extension SpanIR {
    /// This IR span as a diagnostic span. IR spans name files relative to the workflow's
    /// folder; `workflowPath` is the workflow's display path, which is restored.
    func source(workflowPath path: String) -> SourceSpan {
        if file == path { return SourceSpan(file: path, start: start, end: end) }
        let dir = PathText.directory(path)
        let resolved = file == PathText.lastComponent(path) ? path : (dir.isEmpty ? file : dir + "/" + file)
        return SourceSpan(file: resolved, start: start, end: end)
    }
}

import WFCDiagnostics
import WFCStore

extension StoreDiagnostics {
    /// The diagnostics of the substitute (代理) store failures.
    static func substitutionDiagnostic(_ error: StoreError) -> Diagnostic {
        switch error {
        case .substitutionOverlaps(_, let existing, let message):
            return Diagnostic(SubstitutionOverlaps(message: message), at: .unlocated,
                              help: "a person has one substitute at a time; revoke \(existing) or choose a range after it ends")
        case .unknownSubstitution(let id):
            return Diagnostic(UnknownSubstitution(message: "no substitution `\(StoredText.escaped(id))` in the store"), at: .unlocated,
                              help: "`wfc people substitute list PERSON` shows a person's substitutions with their ids")
        default:
            return Diagnostic(InvalidSubstitution(message: error.description), at: .unlocated,
                              help: "name another person as substitute, for a range that has not ended")
        }
    }
}

/// WFC7025: a person's new substitution meets one they already have.
struct SubstitutionOverlaps: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7025", name: "substitution-overlaps", summary: "The person already has a substitute for part of that range.",
        explanation: """
            A person has one substitute (代理) at a time, so that an open task never has two \
            stand-ins racing for it and the audit log says plainly who acted. A new substitution \
            whose range meets an unrevoked one of the same person is refused and nothing is \
            written (the check and the insert are one transaction, so two at once cannot both \
            pass). Revoke the old one first, or pick a range after it. Exit status 1, HTTP 409.
            """,
        example: "$ wfc people substitute add wang.wu li.si --from 2025-10-01 --until 2025-10-07\n$ wfc people substitute add wang.wu zhao.liu --from 2025-10-05 --until 2025-10-09\n",
        fix: "$ wfc people substitute revoke wang.wu sub-…\n$ wfc people substitute add wang.wu zhao.liu --from 2025-10-05 --until 2025-10-09\n")
    var message: String
}

/// WFC7026: revoking a substitution the store does not have.
struct UnknownSubstitution: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7026", name: "unknown-substitution", summary: "No substitution has this id (for this person).",
        explanation: "Substitutions are revoked by the id `wfc people substitute add` printed (`sub-` and 12 hex digits), under the person they belong to. `wfc people substitute list PERSON --all` lists them. Exit status 2, HTTP 404.",
        example: "$ wfc people substitute revoke wang.wu sub-000000000000\n",
        fix: "$ wfc people substitute list wang.wu\n$ wfc people substitute revoke wang.wu sub-3f2a9c0d41be\n")
    var message: String
}

/// WFC7027: a substitution that cannot be kept.
struct InvalidSubstitution: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7027", name: "invalid-substitution", summary: "The substitution names no usable person or range.",
        explanation: "A substitution needs two different person ids (the rules of stored text: no control characters, no spaces at either end, at most 200 characters) and a range that ends after it begins and has not ended already. A person cannot be their own substitute. Nothing is written; exit status 2, HTTP 400.",
        example: "$ wfc people substitute add wang.wu wang.wu --from 2025-10-01 --until 2025-10-07\n",
        fix: "$ wfc people substitute add wang.wu li.si --from 2025-10-01 --until 2025-10-07\n")
    var message: String
}

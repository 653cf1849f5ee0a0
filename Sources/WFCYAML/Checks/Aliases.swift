import WFCDiagnostics

struct UnknownAnchor: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1004", name: "unknown-anchor", summary: "An alias refers to an anchor that is not defined before it.",
        explanation: """
            `*name` repeats the node marked `&name`. The anchor must be defined earlier in the \
            same file, and an alias cannot refer to a node that contains it.
            """,
        example: "signers: *three_party\n",
        fix: "three_party: &three_party [handover, receiver, witness]\nsigners: *three_party\n")
    var anchor: String
    var recursive: Bool
    var message: String {
        recursive ? "alias *\(anchor) refers to a node that contains it" : "alias *\(anchor) refers to an undefined anchor"
    }
    var help: String? { recursive ? "an alias cannot repeat its own parent" : "define `&\(anchor)` before this alias" }
}

struct AliasBudgetExceeded: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1005", name: "alias-budget", summary: "Aliases expand to too many nodes.",
        explanation: """
            Each alias repeats a whole subtree. Nested aliases can multiply (the "billion laughs" \
            attack), so wfc counts the nodes that aliases add and stops at a budget \
            (100,000 nodes by default; `--max-alias-nodes` changes it).
            """,
        example: "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n# … and so on\n",
        fix: "# write the data out, or reuse it with a fragment instead of nested aliases\n")
    var limit: Int
    var message: String { "aliases expand to more than \(limit) nodes" }
    var help: String? { "reduce the nesting of aliases, or raise the limit with --max-alias-nodes" }
}

struct MergeKeyUnsupported: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1006", name: "merge-key", summary: "The merge key `<<` is not supported.",
        explanation: """
            `<<: *anchor` is a YAML 1.1 extension that YAML 1.2 dropped; parsers disagree on its \
            details (override order, lists of anchors). wfc rejects it so that a file means the \
            same to every tool. Write the keys out, repeat the node with a plain alias, or reuse \
            shared parts with the workflow language's `use:` fragments.
            """,
        example: "defaults: &defaults {by: manager}\nstates:\n  review:\n    <<: *defaults\n    title: 审核\n",
        fix: "states:\n  review:\n    by: manager\n    title: 审核\n")
    var message: String { "the merge key `<<` is not supported" }
    var help: String? { "write the keys out, or use a fragment (`use:`) to share them" }
}

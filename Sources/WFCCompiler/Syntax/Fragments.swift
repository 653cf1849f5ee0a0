import WFCIR
import WFCDiagnostics
import WFCYAML

/// A reusable partial state, defined in its own file and used with `use: ID`:
///
/// ```yaml
/// fragment: three-party-signoff
/// title: 三方签字
/// state:
///   signoff: {all: [handover, receiver], also: {witness: "case.key_post"}}
/// ```
///
/// The using state's own keys win over the fragment's (see `WorkflowParser.parseState`).
public struct FragmentSyntax: Sendable {
    public var id: Spanned<String>
    public var title: Spanned<String>?
    public var state: YAMLNode
    public var file: String

    /// True when a YAML root looks like a fragment file.
    public static func isFragment(_ root: YAMLNode) -> Bool { root["fragment"] != nil }

    static let fragmentKeys: KeySet = ["fragment", "title", "description", "state"]

    /// Parses a fragment file's root.
    static func parse(_ root: YAMLNode, file: SourcePath, _ d: inout [Diagnostic]) -> FragmentSyntax? {
        guard let m = MappingReader(root, file: file, context: "the fragment", known: Self.fragmentKeys, diagnostics: &d) else { return nil }
        guard let id = m.string("fragment", required: true, &d) else { return nil }
        guard let state = m.value("state") else {
            m.missing("state", &d)
            return nil
        }
        if state.mapping == nil {
            d.append(Diagnostic(WrongType(what: "`state` of the fragment", expected: "a mapping", found: state.kindDescription), at: state.span.in(file)))
            return nil
        }
        return FragmentSyntax(id: id, title: m.string("title", &d), state: state, file: file.string)
    }
}

struct NotAWorkflow: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2007", name: "not-a-workflow", summary: "The file is not a workflow (no `workflow:` key at the top).",
        explanation: """
            A workflow file is a mapping that starts with `workflow: ID`. A fragment file starts \
            with `fragment: ID`; a scenario file is named `NAME.test.yaml`.
            """,
        example: "- 提前申请\n- 交接准备\n",
        fix: "workflow: company-handover\nversion: 1\ntitle: 工作交接管理制度\n# …\n")
    var message: String { "this file is not a workflow: it needs a `workflow:` key at the top level" }
    var help: String? { "start the file with `workflow: your-policy-id`" }
}

struct InvalidIdentifier: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2005", name: "invalid-identifier", summary: "An id does not follow the naming rule.",
        explanation: """
            Ids of states, roles, fields and events are used in expressions (`case.last_day`), so \
            they are ASCII: letters, digits and `_`, starting with a letter, and not a reserved \
            word such as `in` or `true`. Write the Chinese name as the `title:`.
            """,
        example: "roles:\n  交接人: {title: 交接人}\n",
        fix: "roles:\n  handover: {title: 交接人}\n")
    var name: String
    var what: String
    var rule: String
    var message: String { "`\(name)` is not a valid \(what)" }
    var help: String? { "use \(rule)" }
}

struct ReservedName: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2008", name: "reserved-name", summary: "A state uses a reserved name.",
        explanation: "`join` is the target that ends a parallel branch or a foreach body (`to: join`), so no state may be called `join`.",
        example: "states:\n  join: {title: 汇合}\n",
        fix: "states:\n  merge: {title: 汇合}\n")
    var name: String
    var message: String { "`\(name)` is reserved and cannot name a state" }
    var help: String? { "choose another id, e.g. `\(name)_step`" }
}

struct InvalidValue: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2010", name: "invalid-value", summary: "A value is not one of the allowed values.",
        explanation: "Some keys take one of a fixed set of values, e.g. `final:` takes completed, rejected, cancelled or withdrawn.",
        example: "states:\n  done: {final: complete}\n",
        fix: "states:\n  done: {final: completed}\n")
    var what: String
    var value: String
    var allowed: [String]
    var message: String { "`\(value)` is not a valid \(what) (allowed: \(allowed.joined(separator: ", ")))" }
}

struct EmptyList: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2009", name: "empty", summary: "Something that needs content is empty.",
        explanation: "An enum needs members, a sign-off needs parties, an `overdue:` needs an action.",
        example: "case:\n  reason: {enum: []}\n",
        fix: "case:\n  reason: {enum: [resignation, transfer]}\n")
    var what: String
    var message: String { "\(what) is empty" }
}

struct OtherwiseNotLast: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2011", name: "otherwise-not-last", summary: "`otherwise` is not the last arm of a choice.",
        explanation: "Choice arms are tried in order; `otherwise` catches everything, so arms after it could never be taken.",
        example: "choice:\n  - otherwise: normal\n  - {when: \"case.key_post\", to: witnessed}\n",
        fix: "choice:\n  - {when: \"case.key_post\", to: witnessed}\n  - otherwise: normal\n")
    var message: String { "`otherwise` must be the last arm of the choice" }
    var help: String? { "move it to the end" }
}

struct TooFewBranches: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2012", name: "too-few-branches", summary: "A parallel state has fewer than two branches.",
        explanation: "`parallel:` runs two or more branches at once and joins them. With one branch, write its states inline.",
        example: "parallel:\n  assets: {start: return_assets, states: {return_assets: {on: {done: {by: handover, to: join}}}}}\n",
        fix: "# write the single branch's states as ordinary states\n")
    var count: Int
    var message: String { "a parallel state needs at least two branches (found \(count))" }
}

struct InvalidDuration: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC2006", name: "invalid-duration", summary: "A duration cannot be read.",
        explanation: """
            Durations are a whole number and a unit: `3 working days`, `1 working day`, `2 days`, \
            `1 week`, `4 hours`, `30 minutes`, `1 month`, or in Chinese `3个工作日`, `2天`, `1周`, \
            `4小时`, `1个月`. Working days skip weekends and public holidays of the workflow's \
            `calendar`.
            """,
        example: "due: {within: three working days}\n",
        fix: "due: {within: 3 working days}\n")
    var text: String
    var message: String { "`\(text)` is not a duration" }
    var help: String? { "write a number and a unit, e.g. \(DurationParser.examples)" }
}

struct UnknownFragment: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3009", name: "unknown-fragment", summary: "`use:` names a fragment that is not imported.",
        explanation: "A fragment is a reusable partial state in its own file (`fragment: ID`). Import its file with `import:` and use it in a state with `use: ID`.",
        example: "states:\n  sign: {use: three-party-signoff, then: done}\n",
        fix: "import: [fragments/three-party-signoff.yaml]\nstates:\n  sign: {use: three-party-signoff, then: done}\n")
    var name: String
    var message: String { "no imported fragment is called `\(name)`" }
}

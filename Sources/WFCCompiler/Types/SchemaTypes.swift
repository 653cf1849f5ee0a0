import WFCIR
import WFCDiagnostics
import WFCYAML

/// Resolves the case schema's types and checks literal defaults against them.
struct SchemaTypes {
    let file: String

    func resolve(_ t: TypeSyntax, field: String, _ d: inout [Diagnostic]) -> TypeIR? {
        switch t {
        case .named(let n):
            switch n.value {
            case "string", "text": return .string
            case "int", "integer": return .int
            case "decimal", "number": return .decimal
            case "bool", "boolean": return .bool
            case "date": return .date
            case "datetime", "timestamp": return .datetime
            case "duration": return .duration
            default:
                let names = WorkflowParser.scalarTypes
                d.append(Diagnostic(UnknownType(name: n.value), at: n.span, label: "unknown type",
                                    help: Suggestions.didYouMean(n.value, names) ?? "use one of: \(names.joined(separator: ", ")), or `enum`, `record`, `list`, `checklist`",
                                    fixIts: Suggestions.closest(to: n.value, among: names).map { [FixIt("use the known type", replacing: n.span, with: $0)] } ?? []))
                return nil
            }
        case .enumeration(let members, let span):
            var seen: [String: SourceSpan] = [:]
            for m in members {
                if let first = seen[m.value] {
                    d.append(Diagnostic(DuplicateName(kind: "enum member", name: m.value), at: m.span, label: "repeated",
                                        secondary: [Label(first, "first listed here")]))
                } else {
                    seen[m.value] = m.span
                }
            }
            _ = span
            return .enumeration(members.map(\.value))
        case .record(let fields, _):
            return .record(fields.enumerated().compactMap { i, f in lowerField(f, id: i, &d) })
        case .list(let element, _):
            return resolve(element, field: field, &d).map { .list($0) }
        case .checklist(let fields, _):
            for f in fields where f.name.value == "done" {
                d.append(Diagnostic(ReservedField(name: "done"), at: f.name.span))
            }
            return .checklist(fields.enumerated().compactMap { i, f in f.name.value == "done" ? nil : lowerField(f, id: i, &d) })
        }
    }

    func lowerField(_ f: FieldSyntax, id: Int, _ d: inout [Diagnostic]) -> FieldIR? {
        guard let type = resolve(f.type, field: f.name.value, &d) else { return nil }
        var value: ValueIR?
        if let node = f.defaultValue {
            value = literal(node, as: type, field: f.name.value, &d)
        }
        return FieldIR(id: id, name: f.name.value, type: type, optional: f.optional, defaultValue: value, title: f.title?.value, span: nil,
                       memberTitles: f.memberTitles.isEmpty ? nil : f.memberTitles)
    }

    /// Converts a YAML literal to a value of `type`, reporting a mismatch.
    func literal(_ node: YAMLNode, as type: TypeIR, field: String, _ d: inout [Diagnostic]) -> ValueIR? {
        func mismatch() -> ValueIR? {
            d.append(Diagnostic(DefaultTypeMismatch(field: field, expected: type.description, found: node.kindDescription), at: node.span.in(file)))
            return nil
        }
        switch type {
        case .string:
            guard case .string(let s)? = node.scalar?.value else { return mismatch() }
            return .string(s)
        case .int:
            guard case .int(let i)? = node.scalar?.value else { return mismatch() }
            return .int(i)
        case .decimal:
            switch node.scalar?.value {
            case .int(let i)?: return .double(Double(i))
            case .float(let x)?: return .double(x)
            default: return mismatch()
            }
        case .bool:
            guard case .bool(let b)? = node.scalar?.value else { return mismatch() }
            return .bool(b)
        case .date:
            guard case .string(let s)? = node.scalar?.value, CalendarDate(parsing: s) != nil else { return mismatch() }
            return .string(s)
        case .datetime, .duration:
            guard case .string(let s)? = node.scalar?.value else { return mismatch() }
            return .string(s)
        case .enumeration(let members):
            guard case .string(let s)? = node.scalar?.value else { return mismatch() }
            guard members.contains(s) else {
                d.append(Diagnostic(EnumDefaultNotMember(field: field, value: s, members: members), at: node.span.in(file),
                                    help: Suggestions.didYouMean(s, members) ?? "use one of: \(members.joined(separator: ", "))"))
                return nil
            }
            return .string(s)
        case .list(let e):
            guard let items = node.sequence else { return mismatch() }
            return .list(items.compactMap { literal($0, as: e, field: field, &d) })
        case .record, .checklist:
            guard node.sequence != nil || node.mapping != nil else { return mismatch() }
            return nil
        }
    }
}

struct UnknownType: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3005", name: "unknown-type", summary: "A field's type is not known.",
        explanation: "Field types are string, int, decimal, bool, date, datetime, duration, or `enum: [...]`, `record: {...}`, `list: ...` and `checklist: {...}`.",
        example: "case:\n  last_day: dat\n",
        fix: "case:\n  last_day: date\n")
    var name: String
    var message: String { "unknown type `\(name)`" }
}

struct DefaultTypeMismatch: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3004", name: "default-type-mismatch", summary: "A default value does not match its field's type.",
        explanation: "A field's `default:` must be a value of the field's type: `true`/`false` for bool, a whole number for int, `YYYY-MM-DD` for date.",
        example: "case:\n  key_post: {type: bool, default: 否}\n",
        fix: "case:\n  key_post: {type: bool, default: false}\n")
    var field: String
    var expected: String
    var found: String
    var message: String { "the default of `\(field)` must be a \(expected), not \(found)" }
}

struct EnumDefaultNotMember: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3006", name: "enum-default-not-member", summary: "An enum field's default is not one of its members.",
        explanation: "The default of an enum field must be one of the values listed in `enum:`.",
        example: "case:\n  reason: {enum: [resignation, transfer], default: resign}\n",
        fix: "case:\n  reason: {enum: [resignation, transfer], default: resignation}\n")
    var field: String
    var value: String
    var members: [String]
    var message: String { "`\(value)` is not a member of the enum of `\(field)` (\(members.joined(separator: ", ")))" }
}

struct ReservedField: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3013", name: "reserved-field", summary: "A checklist item declares the reserved field `done`.",
        explanation: "Every checklist item has an implicit bool field `done`, its completion flag. Do not declare it yourself.",
        example: "items:\n  checklist: {name: string, done: bool}\n",
        fix: "items:\n  checklist: {name: string}\n")
    var name: String
    var message: String { "`\(name)` is implicit in checklist items and cannot be declared" }
}

struct DuplicateName: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3002", name: "duplicate-name", summary: "A name is defined twice.",
        explanation: "State ids are unique across the whole file, including states inside parallel branches and foreach bodies; enum members are unique within their enum.",
        example: "states:\n  review: {on: {ok: {by: manager, to: done}}}\n  split:\n    parallel:\n      a: {start: review, states: {review: {on: {ok: {by: hr, to: join}}}}}\n",
        fix: "# rename the inner state, e.g. hr_review\n")
    var kind: String
    var name: String
    var message: String { "\(kind) `\(name)` is defined more than once" }
}

/// Hand-written coding for the IR's enums, so the JSON reads naturally
/// (`{"kind": "enum", "members": [...]}`, plain JSON values) instead of Swift's synthesized
/// `{"enumeration": {"_0": ...}}`.

extension TypeIR {
    private enum Keys: String, CodingKey { case kind, members, fields, element }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "string": self = .string
        case "int": self = .int
        case "decimal": self = .decimal
        case "bool": self = .bool
        case "date": self = .date
        case "datetime": self = .datetime
        case "duration": self = .duration
        case "enum": self = .enumeration(try c.decode([String].self, forKey: .members))
        case "record": self = .record(try c.decode([FieldIR].self, forKey: .fields))
        case "list": self = .list(try c.decode(TypeIR.self, forKey: .element))
        case "checklist": self = .checklist(try c.decode([FieldIR].self, forKey: .fields))
        default: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown type kind \(kind)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .string: try c.encode("string", forKey: .kind)
        case .int: try c.encode("int", forKey: .kind)
        case .decimal: try c.encode("decimal", forKey: .kind)
        case .bool: try c.encode("bool", forKey: .kind)
        case .date: try c.encode("date", forKey: .kind)
        case .datetime: try c.encode("datetime", forKey: .kind)
        case .duration: try c.encode("duration", forKey: .kind)
        case .enumeration(let m):
            try c.encode("enum", forKey: .kind)
            try c.encode(m, forKey: .members)
        case .record(let f):
            try c.encode("record", forKey: .kind)
            try c.encode(f, forKey: .fields)
        case .list(let e):
            try c.encode("list", forKey: .kind)
            try c.encode(e, forKey: .element)
        case .checklist(let f):
            try c.encode("checklist", forKey: .kind)
            try c.encode(f, forKey: .fields)
        }
    }
}

extension ValueIR {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let l = try? c.decode([ValueIR].self) { self = .list(l); return }
        self = .map(try c.decode([String: ValueIR].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .list(let l): try c.encode(l)
        case .map(let m): try c.encode(m)
        }
    }
}

extension GuaranteeIR {
    private enum Keys: String, CodingKey { case kind, field, roles, span, clause }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let span = try c.decode(SpanIR.self, forKey: .span)
        let clause = try c.decodeIfPresent(String.self, forKey: .clause)
        if try c.decode(String.self, forKey: .kind) == "checklist" {
            self = .checklist(field: try c.decode(Int.self, forKey: .field), span: span, clause: clause)
        } else {
            self = .signoff(roles: try c.decode([Int].self, forKey: .roles), span: span, clause: clause)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .checklist(let f, let span, let clause):
            try c.encode("checklist", forKey: .kind)
            try c.encode(f, forKey: .field)
            try c.encode(span, forKey: .span)
            try c.encodeIfPresent(clause, forKey: .clause)
        case .signoff(let roles, let span, let clause):
            try c.encode("signoff", forKey: .kind)
            try c.encode(roles, forKey: .roles)
            try c.encode(span, forKey: .span)
            try c.encodeIfPresent(clause, forKey: .clause)
        }
    }
}

extension RequirementIR {
    private enum Keys: String, CodingKey { case kind, expr, field, span, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let message = try c.decodeIfPresent(String.self, forKey: .message)
        if try c.decode(String.self, forKey: .kind) == "all_done" {
            self = .allDone(field: try c.decode(Int.self, forKey: .field), span: try c.decode(SpanIR.self, forKey: .span), message: message)
        } else {
            self = .expression(try c.decode(ExprIR.self, forKey: .expr), message: message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .allDone(let f, let span, let message):
            try c.encode("all_done", forKey: .kind)
            try c.encode(f, forKey: .field)
            try c.encode(span, forKey: .span)
            try c.encodeIfPresent(message, forKey: .message)
        case .expression(let e, let message):
            try c.encode("expression", forKey: .kind)
            try c.encode(e, forKey: .expr)
            try c.encodeIfPresent(message, forKey: .message)
        }
    }
}

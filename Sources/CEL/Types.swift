/// A string-valued enumeration declared by the host, e.g. `LeaveType = {annual, sick, unpaid}`.
/// At runtime enum values are plain strings; the type only exists for checking.
public final class CELEnumType: Sendable, Hashable {
    public let name: String
    public let members: [String]
    let memberSet: Set<String>
    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
        self.memberSet = Set(members)
    }
    public func contains(_ s: String) -> Bool { memberSet.contains(s) }
    public static func == (a: CELEnumType, b: CELEnumType) -> Bool { a === b || (a.name == b.name && a.members == b.members) }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

/// A record (struct-like) type declared by the host, e.g. `Employee { name: string, manager?: Employee }`.
public final class CELRecordType: @unchecked Sendable, Hashable {
    public struct Field: Sendable {
        public var name: String
        public var type: CELType
        /// Optional fields may be absent; test them with `has(x.field)`.
        public var optional: Bool
        public init(_ name: String, _ type: CELType, optional: Bool = false) {
            self.name = name
            self.type = type
            self.optional = optional
        }
    }
    public let name: String
    // Fields are set once before the type is shared; `setFields` exists so records can refer to themselves.
    public private(set) var fields: [Field]
    private(set) var index: [String: Int]

    public init(name: String, fields: [Field] = []) {
        self.name = name
        self.fields = fields
        self.index = [:]
        for (i, f) in fields.enumerated() { index[f.name] = i }
    }
    /// Replaces the field list; call before checking any expression (enables self-referencing records).
    public func setFields(_ fields: [Field]) {
        self.fields = fields
        index = [:]
        for (i, f) in fields.enumerated() { index[f.name] = i }
    }
    public func fieldIndex(_ name: String) -> Int? { index[name] }
    public static func == (a: CELRecordType, b: CELRecordType) -> Bool { a === b || a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

/// CEL types, plus the policy extensions `date`, enums and records.
public indirect enum CELType: Hashable, Sendable, CustomStringConvertible {
    case int, uint, double, bool, string, bytes, null
    case dyn
    case timestamp, duration
    /// A calendar date without time of day (extension).
    case date
    case list(CELType)
    case map(CELType, CELType)
    /// The type of a type value; `type(int)` is the type of the expression `int`.
    case type(CELType?)
    /// A type parameter in a function signature (`T`), or an inference variable.
    case param(String)
    /// A parameterised opaque type such as `optional_type(int)` or a host's abstract type.
    case opaque(String, [CELType])
    case enumType(CELEnumType)
    case record(CELRecordType)
    /// Internal: the type of an expression that failed to check.
    case error

    /// The CEL spelling of the type, e.g. `list(int)`, `map(string, dyn)`.
    public var description: String {
        switch self {
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .bool: return "bool"
        case .string: return "string"
        case .bytes: return "bytes"
        case .null: return "null_type"
        case .dyn: return "dyn"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .date: return "date"
        case .list(let e): return "list(\(e))"
        case .map(let k, let v): return "map(\(k), \(v))"
        case .type(let t): return t.map { "type(\($0))" } ?? "type"
        case .param(let n): return n
        case .opaque(let n, let ps): return ps.isEmpty ? n : "\(n)(\(ps.map(\.description).joined(separator: ", ")))"
        case .enumType(let e): return e.name
        case .record(let r): return r.name
        case .error: return "*error*"
        }
    }

    /// A friendlier name for messages to HR authors.
    public var friendlyName: String {
        switch self {
        case .int: return "whole number (int)"
        case .uint: return "unsigned number (uint)"
        case .double: return "decimal number (double)"
        case .bool: return "true/false (bool)"
        case .string: return "text (string)"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .enumType(let e): return "\(e.name) (one of: \(e.members.joined(separator: ", ")))"
        default: return description
        }
    }

    /// The name of the runtime type, as returned by `type(x)` (type arguments are erased).
    var runtimeName: String {
        switch self {
        case .list: return "list"
        case .map: return "map"
        case .type: return "type"
        case .enumType: return "string"
        case .opaque(let n, _): return n
        default: return description
        }
    }

    var isDynOrError: Bool {
        switch self {
        case .dyn, .error: return true
        default: return false
        }
    }

    func substituting(_ s: [String: CELType]) -> CELType {
        switch self {
        case .param(let n):
            if let t = s[n] { return t == self ? self : t.substituting(s) }
            return self
        case .list(let e): return .list(e.substituting(s))
        case .map(let k, let v): return .map(k.substituting(s), v.substituting(s))
        case .type(let t): return .type(t?.substituting(s))
        case .opaque(let n, let ps): return .opaque(n, ps.map { $0.substituting(s) })
        default: return self
        }
    }

    /// True when a type parameter occurs anywhere in the type.
    var hasParams: Bool {
        switch self {
        case .param: return true
        case .list(let e): return e.hasParams
        case .map(let k, let v): return k.hasParams || v.hasParams
        case .type(let t): return t?.hasParams ?? false
        case .opaque(_, let ps): return ps.contains { $0.hasParams }
        default: return false
        }
    }

    func containsParam(_ name: String) -> Bool {
        switch self {
        case .param(let n): return n == name
        case .list(let e): return e.containsParam(name)
        case .map(let k, let v): return k.containsParam(name) || v.containsParam(name)
        case .type(let t): return t?.containsParam(name) ?? false
        case .opaque(_, let ps): return ps.contains { $0.containsParam(name) }
        default: return false
        }
    }

    /// Replaces unresolved parameters by `dyn` (used for the final deduced type).
    var paramsToDyn: CELType {
        switch self {
        case .param: return .dyn
        case .list(let e): return .list(e.paramsToDyn)
        case .map(let k, let v): return .map(k.paramsToDyn, v.paramsToDyn)
        case .type(let t): return .type(t?.paramsToDyn)
        case .opaque(let n, let ps): return .opaque(n, ps.map(\.paramsToDyn))
        default: return self
        }
    }
}

/// Parses type names such as `int`, `list(string)`, `map(string, list(int))`, `date`,
/// or the name of a host-declared enum/record, for declarations and the `wfc expr --decl` command.
public struct CELTypeParser {
    var src: [UInt8]
    var pos = 0
    let named: (String) -> CELType?
    var allowGeneric = false

    /// Parses a type name. `named` resolves host-declared type names (enums, records).
    /// `allowTypeParams` accepts type parameters (`T`) and unknown parameterised types (`tuple(T, U)`),
    /// which only make sense in function signatures.
    public static func parse(_ text: String, allowTypeParams: Bool = false,
                             named: @escaping (String) -> CELType? = { _ in nil }) throws(CELError) -> CELType {
        var p = CELTypeParser(src: Array(text.utf8), named: named, allowGeneric: allowTypeParams)
        let t = try p.parseType()
        p.skip()
        if p.pos != p.src.count {
            throw CELError(.badTypeName, "Unexpected text after the type name in '\(text)'.", span: CELSpan(start: p.pos, end: p.src.count))
        }
        return t
    }

    mutating func skip() { while pos < src.count, src[pos] == 0x20 { pos += 1 } }

    mutating func parseType() throws(CELError) -> CELType {
        skip()
        let start = pos
        while pos < src.count, src[pos] == UInt8(ascii: "_") || src[pos] == UInt8(ascii: ".") ||
            (src[pos] >= 0x30 && src[pos] <= 0x39) || ((src[pos] | 0x20) >= 0x61 && (src[pos] | 0x20) <= 0x7A) {
            pos += 1
        }
        let name = String(decoding: src[start..<pos], as: UTF8.self)
        if name.isEmpty {
            throw CELError(.badTypeName, "Expected a type name.", span: CELSpan(start: start, end: start + 1))
        }
        skip()
        var params: [CELType] = []
        if pos < src.count, src[pos] == UInt8(ascii: "(") {
            pos += 1
            while true {
                params.append(try parseType())
                skip()
                guard pos < src.count else {
                    throw CELError(.badTypeName, "Missing ')' in type name.", span: CELSpan(start: start, end: pos))
                }
                if src[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if src[pos] == UInt8(ascii: ")") { pos += 1; break }
                throw CELError(.badTypeName, "Expected ',' or ')' in type name.", span: CELSpan(start: pos, end: pos + 1))
            }
        }
        let span = CELSpan(start: start, end: pos)
        func arity(_ n: Int) throws(CELError) {
            if params.count != n {
                throw CELError(.badTypeName, "The type '\(name)' takes \(n) type argument\(n == 1 ? "" : "s").", span: span)
            }
        }
        switch name {
        case "int": try arity(0); return .int
        case "uint": try arity(0); return .uint
        case "double": try arity(0); return .double
        case "bool": try arity(0); return .bool
        case "string": try arity(0); return .string
        case "bytes": try arity(0); return .bytes
        case "null_type", "null": try arity(0); return .null
        case "dyn", "any": try arity(0); return .dyn
        case "date": try arity(0); return .date
        case "timestamp", "google.protobuf.Timestamp": try arity(0); return .timestamp
        case "duration", "google.protobuf.Duration": try arity(0); return .duration
        case "list": try arity(1); return .list(params[0])
        case "map": try arity(2); return .map(params[0], params[1])
        case "type": return .type(params.first)
        default:
            if params.isEmpty, let t = named(name) { return t }
            if allowGeneric, params.isEmpty, name.count <= 2, name.first?.isUppercase == true { return .param(name) }
            if allowGeneric, !params.isEmpty { return .opaque(name, params) }
            throw CELError(.badTypeName, "Unknown type '\(name)'.", span: span,
                           suggestion: Suggest.best(name, among: ["int", "uint", "double", "bool", "string", "bytes", "date", "timestamp", "duration", "list", "map", "dyn"]))
        }
    }
}

import Foundation

/// A point in time with nanosecond precision, valid from year 1 to year 9999 (UTC).
public struct CELTimestamp: Hashable, Sendable, Comparable {
    public var seconds: Int64
    public var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }
    public static func < (a: CELTimestamp, b: CELTimestamp) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }
    static let minSeconds: Int64 = -62135596800 // 0001-01-01T00:00:00Z
    static let maxSeconds: Int64 = 253402300799 // 9999-12-31T23:59:59Z
    var inRange: Bool { seconds >= CELTimestamp.minSeconds && seconds <= CELTimestamp.maxSeconds }
}

/// A signed span of time with nanosecond precision (range ±10,000 years as in protobuf).
public struct CELDuration: Hashable, Sendable, Comparable {
    public var seconds: Int64
    /// Same sign as `seconds` (or zero), magnitude below one second.
    public var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }
    public static func < (a: CELDuration, b: CELDuration) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }
    // Like the reference implementation, durations must fit in 64-bit nanoseconds (about ±292 years).
    static let maxSeconds: Int64 = 9_223_372_036
    var inRange: Bool {
        let (ns, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (_, o2) = ns.addingReportingOverflow(Int64(nanos))
        return !o1 && !o2
    }

    /// Builds a normalised duration from seconds and a nanosecond adjustment; nil on overflow.
    static func normalized(seconds: Int64, nanos: Int64) -> CELDuration? {
        var s = seconds
        var n = nanos
        let (q, ov) = s.addingReportingOverflow(n / 1_000_000_000)
        if ov { return nil }
        s = q
        n %= 1_000_000_000
        if s > 0 && n < 0 { s -= 1; n += 1_000_000_000 }
        if s < 0 && n > 0 { s += 1; n -= 1_000_000_000 }
        return CELDuration(seconds: s, nanos: Int32(n))
    }
    var totalNanos: (hi: Int64, lo: Int64) { (seconds, Int64(nanos)) }
}

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01. Extension type.
public struct CELDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var daysSinceEpoch: Int64
    static let minDays: Int64 = -719_162 // 0001-01-01
    static let maxDays: Int64 = 2_932_896 // 9999-12-31
    /// Values outside years 1–9999 are clamped into that range (so date arithmetic can never overflow).
    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = min(max(daysSinceEpoch, CELDate.minDays), CELDate.maxDays) }
    /// Creates a date from year, month (1-12) and day (1-31); nil if the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1,
              day <= CivilTime.daysInMonth(year: year, month: month) else { return nil }
        daysSinceEpoch = CivilTime.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    }
    public var components: (year: Int, month: Int, day: Int) {
        let c = CivilTime.civilFromDays(daysSinceEpoch)
        return (Int(c.year), Int(c.month), Int(c.day))
    }
    public static func < (a: CELDate, b: CELDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
    /// ISO 8601 form, `YYYY-MM-DD`.
    public var description: String {
        let c = components
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }
    /// Parses `YYYY-MM-DD`.
    public init?(iso text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2) else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

func pad(_ v: Int, _ n: Int) -> String {
    let s = String(v)
    return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
}

func digits(_ b: [UInt8], _ at: Int, _ n: Int) -> Int? {
    guard at + n <= b.count else { return nil }
    var v = 0
    for i in at..<(at + n) {
        let c = b[i]
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
    }
    return v
}

/// An instance of a host-declared record type. Fields are stored by declaration index.
/// A class, so a record is one pointer inside `CELValue`.
public final class CELRecord: Sendable {
    public let type: CELRecordType
    /// `nil` means an optional field is absent.
    public let fields: [CELValue?]
    public init(type: CELRecordType, fields: [CELValue?]) {
        self.type = type
        self.fields = fields
    }
    /// Builds a record from named values; missing fields are absent.
    public convenience init(type: CELRecordType, values: [String: CELValue]) {
        self.init(type: type, fields: type.fields.map { values[$0.name] })
    }
    public subscript(name: String) -> CELValue? {
        guard let i = type.fieldIndex(name) else { return nil }
        return fields[i]
    }
}

/// Key used for map lookups: numbers compare across int/uint/double as CEL requires.
enum CELMapKey: Hashable, Sendable {
    case bool(Bool)
    case int(Int64)
    case bigUint(UInt64) // only values above Int64.max
    case string(UTF8Key)

    init?(_ v: CELValue) {
        switch v {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .bigUint(u)
        case .string(let s): self = .string(UTF8Key(s))
        default: return nil
        }
    }

    /// Lookup key for a double: only integral values can match.
    init?(lookupDouble d: Double) {
        guard d.isFinite, d.rounded(.towardZero) == d else { return nil }
        if d >= -9223372036854775808.0 && d < 9223372036854775808.0 { self = .int(Int64(d)) }
        else if d >= 0 && d < 18446744073709551616.0 { self = .bigUint(UInt64(d)) }
        else { return nil }
    }
}

/// A string compared and hashed by its UTF-8 bytes (CEL does not normalise Unicode).
struct UTF8Key: Hashable, Sendable {
    let s: String
    init(_ s: String) { self.s = s }
    static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.s.utf8.elementsEqual(b.s.utf8) }
    func hash(into h: inout Hasher) {
        for b in s.utf8 { h.combine(b) }
    }
}

/// An immutable CEL map preserving insertion order. A class, so a map is one pointer inside `CELValue`.
public final class CELMap: Sendable {
    public let keys: [CELValue]
    public let values: [CELValue]
    let index: [CELMapKey: Int]

    init(builder b: CELMapBuilder) {
        keys = b.keys
        values = b.values
        index = b.index
    }

    /// An empty map.
    public convenience init() { self.init(builder: CELMapBuilder()) }

    /// Builds a map, failing on unsupported key types or duplicate keys.
    public convenience init(entries: [(CELValue, CELValue)]) throws(CELEvalError) {
        var b = CELMapBuilder()
        for (k, v) in entries { try b.insert(k, v) }
        self.init(builder: b)
    }

    public var count: Int { keys.count }

    /// Looks a key up with CEL's cross-numeric key semantics.
    public func get(_ k: CELValue) -> CELValue? {
        let mk: CELMapKey?
        if case .double(let d) = k { mk = CELMapKey(lookupDouble: d) } else { mk = CELMapKey(k) }
        guard let mk, let i = index[mk] else { return nil }
        return values[i]
    }

    public func get(string s: String) -> CELValue? {
        guard let i = index[.string(UTF8Key(s))] else { return nil }
        return values[i]
    }
}

/// Accumulates map entries, rejecting bad and duplicate keys.
struct CELMapBuilder {
    var keys: [CELValue] = []
    var values: [CELValue] = []
    var index: [CELMapKey: Int] = [:]

    mutating func insert(_ k: CELValue, _ v: CELValue) throws(CELEvalError) {
        guard let mk = CELMapKey(k) else {
            throw CELEvalError(.unsupportedKeyType, "A map key must be text, a number or true/false, not \(k.typeName) (unsupported key type).")
        }
        if index[mk] != nil {
            throw CELEvalError(.duplicateKey, "The map has the key \(k.debugText) more than once (Failed with repeated key).")
        }
        index[mk] = keys.count
        keys.append(k)
        values.append(v)
    }

    func finish() -> CELMap { CELMap(builder: self) }
}

/// A CEL runtime value. Scalars are stored inline so evaluating scalar guards does not allocate.
public enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([CELValue])
    case map(CELMap)
    case timestamp(CELTimestamp)
    case duration(CELDuration)
    case date(CELDate)
    case type(CELType)
    case record(CELRecord)
    /// A value of a host-defined opaque type (for extension functions).
    case opaque(CELOpaque)

    /// The runtime type name, as `type(x)` reports it.
    public var typeName: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .list: return "list"
        case .map: return "map"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .date: return "date"
        case .type: return "type"
        case .record(let r): return r.type.name
        case .opaque(let o): return o.typeName
        }
    }

    /// The runtime type as a type value.
    var runtimeType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list(.dyn)
        case .map: return .map(.dyn, .dyn)
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .date: return .date
        case .type: return .type(nil)
        case .record(let r): return .record(r.type)
        case .opaque(let o): return .opaque(o.typeName, [])
        }
    }
}

/// Host-defined opaque values carried through CEL unchanged. A class, so that `CELValue`
/// stays small and trivially copyable apart from one reference (an existential payload inline
/// would make every value copy go through generic witnesses).
public final class CELOpaque: Sendable {
    public let typeName: String
    public let payload: any Sendable & Hashable
    public init(typeName: String, payload: any Sendable & Hashable) {
        self.typeName = typeName
        self.payload = payload
    }
}

extension CELValue: Equatable {
    /// CEL equality: numbers compare across int/uint/double, NaN is unequal to itself,
    /// values of different types are unequal.
    public static func == (a: CELValue, b: CELValue) -> Bool { celEquals(a, b) }
}

/// Byte-wise string equality (CEL compares code points, not canonical forms as Swift's `==` does).
@inline(__always)
func utf8Equal(_ a: String, _ b: String) -> Bool {
    let n = a.utf8.count
    guard n == b.utf8.count else { return false }
    if n == 0 { return true }
    let fast = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb -> Bool in
            guard let x = pa.baseAddress, let y = pb.baseAddress else { return false }
            return memcmp(x, y, n) == 0
        }
    }
    if let f = fast, let r = f { return r }
    return a.utf8.elementsEqual(b.utf8)
}

/// Byte-wise prefix test.
@inline(__always)
func utf8HasPrefix(_ s: String, _ p: String) -> Bool {
    let n = p.utf8.count
    guard n <= s.utf8.count else { return false }
    if n == 0 { return true }
    let fast = s.utf8.withContiguousStorageIfAvailable { ps in
        p.utf8.withContiguousStorageIfAvailable { pp -> Bool in
            guard let x = ps.baseAddress, let y = pp.baseAddress else { return false }
            return memcmp(x, y, n) == 0
        }
    }
    if let f = fast, let r = f { return r }
    return s.utf8.starts(with: p.utf8)
}

func celEquals(_ a: CELValue, _ b: CELValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.int(x), .int(y)): return x == y
    case let (.uint(x), .uint(y)): return x == y
    case let (.double(x), .double(y)): return x == y
    case let (.int(x), .uint(y)), let (.uint(y), .int(x)): return x >= 0 && UInt64(x) == y
    case let (.int(x), .double(y)), let (.double(y), .int(x)): return compareIntDouble(x, y) == 0
    case let (.uint(x), .double(y)), let (.double(y), .uint(x)): return compareUintDouble(x, y) == 0
    case let (.string(x), .string(y)): return utf8Equal(x, y)
    case let (.bytes(x), .bytes(y)): return x == y
    case let (.list(x), .list(y)):
        guard x.count == y.count else { return false }
        for i in 0..<x.count where !celEquals(x[i], y[i]) { return false }
        return true
    case let (.map(x), .map(y)):
        guard x.count == y.count else { return false }
        for i in 0..<x.count {
            guard let v = y.get(x.keys[i]), celEquals(x.values[i], v) else { return false }
        }
        return true
    case let (.timestamp(x), .timestamp(y)): return x == y
    case let (.duration(x), .duration(y)): return x == y
    case let (.date(x), .date(y)): return x == y
    case let (.type(x), .type(y)): return x.runtimeName == y.runtimeName
    case let (.record(x), .record(y)):
        guard x.type == y.type, x.fields.count == y.fields.count else { return false }
        for i in 0..<x.fields.count {
            switch (x.fields[i], y.fields[i]) {
            case (nil, nil): continue
            case let (p?, q?): if !celEquals(p, q) { return false }
            default: return false
            }
        }
        return true
    case let (.opaque(x), .opaque(y)):
        return x.typeName == y.typeName && AnyHashable(x.payload) == AnyHashable(y.payload)
    default: return false
    }
}

/// Three-way comparison of an int and a double, as the reference implementation does it
/// (the int is converted to double, so values beyond 2^53 compare with double precision); nil for NaN.
func compareIntDouble(_ i: Int64, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    if d < -9223372036854775808.0 { return 1 }
    if d > 9223372036854775808.0 { return -1 }
    let x = Double(i)
    return x < d ? -1 : (x == d ? 0 : 1)
}

func compareUintDouble(_ u: UInt64, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    if d < 0 { return 1 }
    if d > 18446744073709551616.0 { return -1 }
    let x = Double(u)
    return x < d ? -1 : (x == d ? 0 : 1)
}

/// Ordering for `<`, `<=`, `>`, `>=`; nil when the pair is not ordered (NaN); throws for unsupported types.
func celCompare(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> Int? {
    @inline(__always) func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case let (.int(x), .int(y)): return cmp(x, y)
    case let (.uint(x), .uint(y)): return cmp(x, y)
    case let (.double(x), .double(y)): return x.isNaN || y.isNaN ? nil : cmp(x, y)
    case let (.int(x), .uint(y)): return x < 0 ? -1 : cmp(UInt64(x), y)
    case let (.uint(x), .int(y)): return y < 0 ? 1 : cmp(x, UInt64(y))
    case let (.int(x), .double(y)): return compareIntDouble(x, y)
    case let (.double(x), .int(y)): return compareIntDouble(y, x).map { -$0 }
    case let (.uint(x), .double(y)): return compareUintDouble(x, y)
    case let (.double(x), .uint(y)): return compareUintDouble(y, x).map { -$0 }
    case let (.string(x), .string(y)):
        // Code-point order equals UTF-8 byte order.
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (utf8Equal(x, y) ? 0 : 1)
    case let (.bytes(x), .bytes(y)): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
    case let (.bool(x), .bool(y)): return x == y ? 0 : (x ? 1 : -1)
    case let (.timestamp(x), .timestamp(y)): return cmp(x, y)
    case let (.duration(x), .duration(y)): return cmp(x, y)
    case let (.date(x), .date(y)): return cmp(x, y)
    default:
        throw CELEvalError(.noSuchOverload, "Cannot compare \(a.typeName) with \(b.typeName) (no such overload).")
    }
}

extension CELValue {
    /// A short CEL-like rendering used in messages and by the `wfc expr` command.
    public var debugText: String { CELFormat.render(self) }
}

// Literal conformances make host code and tests read naturally: `act[slot] = 3`, `["a", "b"]`.
extension CELValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: CELValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
}

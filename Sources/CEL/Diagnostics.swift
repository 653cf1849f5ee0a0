/// A half-open range of UTF-8 byte offsets `[start, end)` into the expression text.
///
/// Offsets are bytes, not characters, so the host can map them into the enclosing
/// YAML file by adding the byte offset of the scalar that holds the expression.
public struct CELSpan: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }
    /// The smallest span covering both spans.
    public func union(_ other: CELSpan) -> CELSpan {
        CELSpan(start: min(start, other.start), end: max(end, other.end))
    }
    public var description: String { "\(start)..<\(end)" }
}

/// Stable categories of CEL diagnostics. The workflow compiler maps these to its own codes,
/// so cases must never be renamed or repurposed.
public enum CELErrorKind: String, Sendable, CaseIterable, Codable {
    /// The text is not a well-formed expression (bad token, missing bracket, ...).
    case syntax
    /// A string or bytes literal contains an invalid escape sequence.
    case badEscape
    /// A number literal does not fit its type.
    case numberOutOfRange
    /// The expression nests deeper, or is longer, than the configured limits.
    case tooComplex
    /// A name does not refer to any declared variable.
    case unknownIdentifier
    /// A record has no field with this name.
    case unknownField
    /// No function with this name is declared.
    case unknownFunction
    /// The function exists but none of its overloads accepts these argument types.
    case noMatchingOverload
    /// The function exists but not with this number of arguments.
    case wrongArity
    /// Two types that must agree do not (for example the branches of `?:`).
    case typeMismatch
    /// A string literal is compared with an enum value but is not one of its members.
    case enumNonMember
    /// The whole expression must produce a bool (a guard) but does not.
    case nonBoolResult
    /// A macro (`all`, `exists`, `map`, ...) was called with the wrong shape.
    case badMacro
    /// A regular expression literal is not valid RE2 syntax or uses unsupported features.
    case badRegex
    /// A type name (in a declaration) could not be understood.
    case badTypeName
    /// A value (for example JSON input) does not fit the declared type.
    case badValue
    /// Evaluation failed (division by zero, overflow, missing key, ...).
    case evaluation
}

/// A structured CEL diagnostic. Messages are written for HR authors, not programmers.
public struct CELError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The note of an operator that compares a timestamp with a date (hosts may add their own).
    public static let timestampWithDateHint = "convert the timestamp with date(t, \"Asia/Shanghai\") to compare calendar dates (without a time zone, date(t) is the UTC date)"
    public var kind: CELErrorKind
    /// One sentence explaining the problem in plain words.
    public var message: String
    /// Where in the expression the problem is (UTF-8 byte offsets).
    public var span: CELSpan
    /// Extra context lines (for example the list of allowed enum values).
    public var notes: [String]
    /// A likely intended replacement ("did you mean ...").
    public var suggestion: String?

    public init(_ kind: CELErrorKind, _ message: String, span: CELSpan, notes: [String] = [], suggestion: String? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.notes = notes
        self.suggestion = suggestion
    }

    public var description: String {
        var s = "\(kind.rawValue) at \(span): \(message)"
        if let suggestion { s += " (did you mean '\(suggestion)'?)" }
        for n in notes { s += "\n  note: \(n)" }
        return s
    }
}

/// A list of diagnostics, thrown when parsing or checking fails.
public struct CELErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [CELError]
    public init(_ errors: [CELError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Kinds of runtime failures. Stable like `CELErrorKind`.
public enum CELEvalErrorKind: String, Sendable, Codable {
    case divisionByZero, moduloByZero, overflow, outOfRange
    case noSuchOverload, noSuchKey, noSuchField, indexOutOfBounds, invalidArgument
    case unknownVariable, unknownFunction, conversion, badRegex, unsupportedKeyType
    case duplicateKey, invalidUTF8, missingCalendarData, fieldNotSet, resourceExhausted
    case host
}

/// An evaluation error. Cheap to create; only built on the failure path.
public struct CELEvalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var kind: CELEvalErrorKind
    public var message: String
    /// The span of the sub-expression that failed, when known.
    public var span: CELSpan?
    public init(_ kind: CELEvalErrorKind, _ message: String, span: CELSpan? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
    }
    public var description: String { message }
    /// The evaluation error as a diagnostic (for hosts that report all problems uniformly).
    public var asDiagnostic: CELError {
        CELError(.evaluation, message, span: span ?? CELSpan(start: 0, end: 0))
    }
}

/// Edit-distance based suggestions ("did you mean").
enum Suggest {
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The closest candidate within a distance proportional to the word length.
    static func best(_ word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        let limit = max(1, min(3, word.count / 3))
        for c in candidates {
            let d = distance(word, c)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }
}

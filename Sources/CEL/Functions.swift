/// The Swift implementation of a function overload. Receiver-style overloads get the receiver first.
public enum CELFunctionImpl: Sendable {
    case unary(@Sendable (CELValue) throws(CELEvalError) -> CELValue)
    case binary(@Sendable (CELValue, CELValue) throws(CELEvalError) -> CELValue)
    case ternary(@Sendable (CELValue, CELValue, CELValue) throws(CELEvalError) -> CELValue)
    case variadic(@Sendable ([CELValue]) throws(CELEvalError) -> CELValue)

    @inline(__always)
    func call(_ args: [CELValue]) throws(CELEvalError) -> CELValue {
        switch self {
        case .unary(let f):
            guard args.count == 1 else { throw CELEvalError(.noSuchOverload, "Wrong number of arguments (no such overload).") }
            return try f(args[0])
        case .binary(let f):
            guard args.count == 2 else { throw CELEvalError(.noSuchOverload, "Wrong number of arguments (no such overload).") }
            return try f(args[0], args[1])
        case .ternary(let f):
            guard args.count == 3 else { throw CELEvalError(.noSuchOverload, "Wrong number of arguments (no such overload).") }
            return try f(args[0], args[1], args[2])
        case .variadic(let f): return try f(args)
        }
    }
}

/// One typed signature of a function.
public struct CELOverload: Sendable {
    /// A stable identifier such as `add_int64` or `days_between_date_date`.
    public var id: String
    /// True for receiver-style calls (`x.f(y)`); the receiver is `params[0]`.
    public var isReceiver: Bool
    /// Parameter types; may use type parameters (`.param("T")`).
    public var params: [CELType]
    public var result: CELType
    /// The implementation; nil for built-ins handled by the function's shared implementation.
    public var impl: CELFunctionImpl?

    public init(id: String, receiver: Bool = false, params: [CELType], result: CELType, impl: CELFunctionImpl? = nil) {
        self.id = id
        self.isReceiver = receiver
        self.params = params
        self.result = result
        self.impl = impl
    }
}

/// A named function with one or more overloads. Register these with `CELEnvironment.register(_:)`.
public struct CELFunction: Sendable {
    public var name: String
    public var overloads: [CELOverload]
    /// Optional implementation that handles every overload by inspecting runtime values
    /// (used when the checker cannot pick a single overload, e.g. for `dyn` arguments).
    public var dynamicImpl: CELFunctionImpl?
    /// A one-line description for error notes.
    public var doc: String?

    public init(name: String, overloads: [CELOverload], dynamicImpl: CELFunctionImpl? = nil, doc: String? = nil) {
        self.name = name
        self.overloads = overloads
        self.dynamicImpl = dynamicImpl
        self.doc = doc
    }

    /// Convenience for a global function with a single overload.
    public static func global(_ name: String, _ params: [CELType], _ result: CELType, id: String? = nil,
                              _ impl: CELFunctionImpl) -> CELFunction {
        CELFunction(name: name, overloads: [CELOverload(id: id ?? overloadID(name, params), params: params, result: result, impl: impl)])
    }

    /// Convenience for a receiver-style function (`receiver.name(args)`) with a single overload.
    public static func member(_ name: String, on receiver: CELType, _ params: [CELType], _ result: CELType, id: String? = nil,
                              _ impl: CELFunctionImpl) -> CELFunction {
        let ps = [receiver] + params
        return CELFunction(name: name, overloads: [CELOverload(id: id ?? overloadID(receiver.description + "_" + name, params), receiver: true,
                                                              params: ps, result: result, impl: impl)])
    }

    static func overloadID(_ name: String, _ params: [CELType]) -> String {
        ([name] + params.map { $0.description }).joined(separator: "_")
    }
}

/// Runtime check that a value fits a declared parameter type (for dispatch between host overloads).
func valueMatches(_ v: CELValue, _ t: CELType) -> Bool {
    switch (t, v) {
    case (.dyn, _), (.param, _), (.error, _): return true
    case (.int, .int), (.uint, .uint), (.double, .double), (.bool, .bool), (.string, .string), (.bytes, .bytes),
         (.null, .null), (.timestamp, .timestamp), (.duration, .duration), (.date, .date), (.list, .list),
         (.map, .map), (.type, .type): return true
    case (.enumType, .string): return true
    case (.record(let r), .record(let x)): return r == x.type
    case (.opaque(let n, _), .opaque(let o)): return n == o.typeName
    default: return false
    }
}

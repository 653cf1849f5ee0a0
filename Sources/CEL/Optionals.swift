/// Minimal CEL optional values (`optional.of`, `optional.none`, `hasValue`, `value`, `orValue`).
/// The `?.` / `[?]` syntax is not supported.
struct OptionalPayload: Hashable, Sendable {
    let value: CELValue?
    static func == (a: OptionalPayload, b: OptionalPayload) -> Bool {
        switch (a.value, b.value) {
        case (nil, nil): return true
        case let (x?, y?): return celEquals(x, y)
        default: return false
        }
    }
    func hash(into h: inout Hasher) { h.combine(value == nil) }
}

enum Optionals {
    static let typeName = "optional_type"
    static func type(_ t: CELType) -> CELType { .opaque(typeName, [t]) }

    static func make(_ v: CELValue?) -> CELValue {
        .opaque(CELOpaque(typeName: typeName, payload: OptionalPayload(value: v)))
    }

    static func unwrap(_ v: CELValue, _ fn: String) throws(CELEvalError) -> CELValue? {
        guard case .opaque(let o) = v, o.typeName == typeName, let p = o.payload as? OptionalPayload else {
            throw CELEvalError(.noSuchOverload, "'\(fn)' needs an optional value, not \(v.typeName) (no such overload).")
        }
        return p.value
    }

    static var functions: [CELFunction] {
        let A = CELType.param("A")
        return [
            CELFunction(name: "optional.of", overloads: [
                CELOverload(id: "optional_of", params: [A], result: type(A), impl: .unary({ v in make(v) })),
            ]),
            CELFunction(name: "optional.none", overloads: [
                CELOverload(id: "optional_none", params: [], result: type(A), impl: .variadic({ _ in make(nil) })),
            ]),
            CELFunction(name: "hasValue", overloads: [
                CELOverload(id: "optional_hasValue", receiver: true, params: [type(A)], result: .bool,
                            impl: .unary({ (v: CELValue) throws(CELEvalError) -> CELValue in .bool(try unwrap(v, "hasValue") != nil) })),
            ]),
            CELFunction(name: "value", overloads: [
                CELOverload(id: "optional_value", receiver: true, params: [type(A)], result: A,
                            impl: .unary({ (v: CELValue) throws(CELEvalError) -> CELValue in
                                guard let x = try unwrap(v, "value") else {
                                    throw CELEvalError(.noSuchKey, "The optional value is empty.")
                                }
                                return x
                            })),
            ]),
            CELFunction(name: "orValue", overloads: [
                CELOverload(id: "optional_orValue", receiver: true, params: [type(A), A], result: A,
                            impl: .binary({ (v: CELValue, d: CELValue) throws(CELEvalError) -> CELValue in try unwrap(v, "orValue") ?? d })),
            ]),
        ]
    }
}

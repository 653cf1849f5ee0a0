/// String helpers from the common CEL `strings` extension (registered by default):
/// `lowerAscii`, `upperAscii`, `trim`, `replace`, `split`, `join`, `substring`, `indexOf`,
/// `lastIndexOf`, `charAt`. Indices count Unicode code points, like `size()`.
enum StringExtensions {
    typealias Scalars = [Unicode.Scalar]

    static func str(_ v: CELValue, _ fn: String) throws(CELEvalError) -> String {
        guard case .string(let s) = v else {
            throw CELEvalError(.noSuchOverload, "'\(fn)' needs text, not \(v.typeName) (no such overload).")
        }
        return s
    }

    static func int(_ v: CELValue, _ fn: String) throws(CELEvalError) -> Int64 {
        guard case .int(let i) = v else {
            throw CELEvalError(.noSuchOverload, "'\(fn)' needs a whole number, not \(v.typeName) (no such overload).")
        }
        return i
    }

    static func index(of needle: Scalars, in hay: Scalars, from: Int, backwards: Bool = false) -> Int {
        if needle.isEmpty { return backwards ? hay.count : from }
        guard hay.count >= needle.count else { return -1 }
        let last = hay.count - needle.count
        let range: [Int] = backwards ? Array((0...last).reversed()) : (from <= last ? Array(from...last) : [])
        for i in range where hay[i] == needle[0] {
            var j = 1
            while j < needle.count, hay[i + j] == needle[j] { j += 1 }
            if j == needle.count { return i }
        }
        return -1
    }

    static func checkIndex(_ i: Int64, _ count: Int, _ fn: String) throws(CELEvalError) -> Int {
        guard i >= 0, i <= Int64(count) else {
            throw CELEvalError(.indexOutOfBounds, "'\(fn)': position \(i) is outside the text of length \(count).")
        }
        return Int(i)
    }

    static func replace(_ s: String, _ old: String, _ new: String, limit: Int64) -> String {
        if limit == 0 || old.isEmpty && limit == 0 { return s }
        let hay = Array(s.unicodeScalars), needle = Array(old.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var n: Int64 = 0
        if needle.isEmpty {
            // Insert `new` between every code point (Go semantics).
            for c in hay {
                if limit < 0 || n < limit { out.append(contentsOf: new.unicodeScalars); n += 1 }
                out.append(c)
            }
            if limit < 0 || n < limit { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        while i < hay.count {
            if (limit < 0 || n < limit), i + needle.count <= hay.count, Array(hay[i..<(i + needle.count)]) == needle {
                out.append(contentsOf: new.unicodeScalars)
                i += needle.count
                n += 1
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(out)
    }

    static func split(_ s: String, _ sep: String, limit: Int64) -> [CELValue] {
        if limit == 0 { return [] }
        let hay = Array(s.unicodeScalars), needle = Array(sep.unicodeScalars)
        var parts: [CELValue] = []
        if needle.isEmpty {
            for (k, c) in hay.enumerated() {
                if limit > 0, Int64(parts.count) == limit - 1 {
                    parts.append(.string(String(String.UnicodeScalarView(hay[k...]))))
                    return parts
                }
                parts.append(.string(String(c)))
            }
            return parts
        }
        var start = 0
        var i = 0
        while i + needle.count <= hay.count {
            if limit > 0, Int64(parts.count) == limit - 1 { break }
            if Array(hay[i..<(i + needle.count)]) == needle {
                parts.append(.string(String(String.UnicodeScalarView(hay[start..<i]))))
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(.string(String(String.UnicodeScalarView(hay[start...]))))
        return parts
    }

    static var functions: [CELFunction] {
        func member(_ name: String, _ params: [CELType], _ result: CELType, _ impl: CELFunctionImpl, id: String? = nil) -> CELOverload {
            CELOverload(id: id ?? "string_\(name)_\(params.count)", receiver: true, params: [.string] + params, result: result, impl: impl)
        }
        return [
            CELFunction(name: "lowerAscii", overloads: [member("lowerAscii", [], .string, .unary({ (v: CELValue) throws(CELEvalError) -> CELValue in
                let s = try str(v, "lowerAscii")
                return .string(String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32) ?? $0 : $0 })))
            }))]),
            CELFunction(name: "upperAscii", overloads: [member("upperAscii", [], .string, .unary({ (v: CELValue) throws(CELEvalError) -> CELValue in
                let s = try str(v, "upperAscii")
                return .string(String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value >= 97 && $0.value <= 122 ? Unicode.Scalar($0.value - 32) ?? $0 : $0 })))
            }))]),
            CELFunction(name: "trim", overloads: [member("trim", [], .string, .unary({ (v: CELValue) throws(CELEvalError) -> CELValue in
                let s = Array(try str(v, "trim").unicodeScalars)
                var a = 0, b = s.count
                while a < b, s[a].properties.isWhitespace { a += 1 }
                while b > a, s[b - 1].properties.isWhitespace { b -= 1 }
                return .string(String(String.UnicodeScalarView(s[a..<b])))
            }))]),
            CELFunction(name: "replace", overloads: [
                member("replace", [.string, .string], .string, .ternary({ (a: CELValue, b: CELValue, c: CELValue) throws(CELEvalError) -> CELValue in
                    .string(replace(try str(a, "replace"), try str(b, "replace"), try str(c, "replace"), limit: -1))
                })),
                member("replace", [.string, .string, .int], .string, .variadic({ (args: [CELValue]) throws(CELEvalError) -> CELValue in
                    guard args.count == 4 else { throw CELEvalError(.noSuchOverload, "replace takes 3 arguments (no such overload).") }
                    return .string(replace(try str(args[0], "replace"), try str(args[1], "replace"), try str(args[2], "replace"),
                                           limit: try int(args[3], "replace")))
                })),
            ]),
            CELFunction(name: "split", overloads: [
                member("split", [.string], .list(.string), .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                    .list(split(try str(a, "split"), try str(b, "split"), limit: -1))
                })),
                member("split", [.string, .int], .list(.string), .ternary({ (a: CELValue, b: CELValue, c: CELValue) throws(CELEvalError) -> CELValue in
                    .list(split(try str(a, "split"), try str(b, "split"), limit: try int(c, "split")))
                })),
            ]),
            CELFunction(name: "join", overloads: [
                CELOverload(id: "list_join", receiver: true, params: [.list(.string)], result: .string,
                            impl: .unary({ (v: CELValue) throws(CELEvalError) -> CELValue in try join(v, "") })),
                CELOverload(id: "list_join_string", receiver: true, params: [.list(.string), .string], result: .string,
                            impl: .binary({ (v: CELValue, s: CELValue) throws(CELEvalError) -> CELValue in try join(v, try str(s, "join")) })),
            ]),
            CELFunction(name: "substring", overloads: [
                member("substring", [.int], .string, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                    let s = Array(try str(a, "substring").unicodeScalars)
                    let i = try checkIndex(try int(b, "substring"), s.count, "substring")
                    return .string(String(String.UnicodeScalarView(s[i...])))
                })),
                member("substring", [.int, .int], .string, .ternary({ (a: CELValue, b: CELValue, c: CELValue) throws(CELEvalError) -> CELValue in
                    let s = Array(try str(a, "substring").unicodeScalars)
                    let i = try checkIndex(try int(b, "substring"), s.count, "substring")
                    let j = try checkIndex(try int(c, "substring"), s.count, "substring")
                    guard i <= j else { throw CELEvalError(.invalidArgument, "'substring': the start \(i) is after the end \(j).") }
                    return .string(String(String.UnicodeScalarView(s[i..<j])))
                })),
            ]),
            CELFunction(name: "indexOf", overloads: [
                member("indexOf", [.string], .int, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                    .int(Int64(index(of: Array(try str(b, "indexOf").unicodeScalars), in: Array(try str(a, "indexOf").unicodeScalars), from: 0)))
                })),
                member("indexOf", [.string, .int], .int, .ternary({ (a: CELValue, b: CELValue, c: CELValue) throws(CELEvalError) -> CELValue in
                    let hay = Array(try str(a, "indexOf").unicodeScalars)
                    let from = try checkIndex(try int(c, "indexOf"), hay.count, "indexOf")
                    return .int(Int64(index(of: Array(try str(b, "indexOf").unicodeScalars), in: hay, from: from)))
                })),
            ]),
            CELFunction(name: "lastIndexOf", overloads: [
                member("lastIndexOf", [.string], .int, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                    .int(Int64(index(of: Array(try str(b, "lastIndexOf").unicodeScalars), in: Array(try str(a, "lastIndexOf").unicodeScalars),
                                     from: 0, backwards: true)))
                })),
            ]),
            CELFunction(name: "charAt", overloads: [
                member("charAt", [.int], .string, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
                    let s = Array(try str(a, "charAt").unicodeScalars)
                    let i = try checkIndex(try int(b, "charAt"), s.count, "charAt")
                    return .string(i == s.count ? "" : String(s[i]))
                })),
            ]),
        ]
    }

    static func join(_ v: CELValue, _ sep: String) throws(CELEvalError) -> CELValue {
        guard case .list(let l) = v else { throw CELEvalError(.noSuchOverload, "'join' needs a list of text (no such overload).") }
        var parts: [String] = []
        for x in l { parts.append(try str(x, "join")) }
        return .string(parts.joined(separator: sep))
    }
}

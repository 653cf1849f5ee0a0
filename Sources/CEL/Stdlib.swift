/// Runtime implementations of the CEL standard library (dynamic over value kinds).
enum Builtins {
    static func noOverload(_ fn: String, _ args: CELValue...) -> CELEvalError {
        CELEvalError(.noSuchOverload, "'\(fn)' cannot be applied to \(args.map(\.typeName).joined(separator: ", ")) (no such overload).")
    }
    static let overflow = CELEvalError(.overflow, "The result is too large or too small for a number (return error for overflow).")

    static func add(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow }
            return .int(r)
        case let (.uint(x), .uint(y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow }
            return .uint(r)
        case let (.double(x), .double(y)): return .double(x + y)
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.bytes(x), .bytes(y)): return .bytes(x + y)
        case let (.list(x), .list(y)): return .list(x + y)
        case let (.timestamp(t), .duration(d)), let (.duration(d), .timestamp(t)): return .timestamp(try CELTime.add(t, d))
        case let (.duration(x), .duration(y)): return .duration(try CELTime.addDurations(x, y))
        default: throw noOverload("+", a, b)
        }
    }

    static func sub(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow }
            return .int(r)
        case let (.uint(x), .uint(y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow }
            return .uint(r)
        case let (.double(x), .double(y)): return .double(x - y)
        case let (.timestamp(x), .timestamp(y)): return .duration(try CELTime.diff(x, y))
        case let (.timestamp(t), .duration(d)): return .timestamp(try CELTime.add(t, CELTime.negate(d)))
        case let (.duration(x), .duration(y)): return .duration(try CELTime.addDurations(x, CELTime.negate(y)))
        default: throw noOverload("-", a, b)
        }
    }

    static func mul(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow }
            return .int(r)
        case let (.uint(x), .uint(y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow }
            return .uint(r)
        case let (.double(x), .double(y)): return .double(x * y)
        default: throw noOverload("*", a, b)
        }
    }

    static func div(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw CELEvalError(.divisionByZero, "Division by zero (divide by zero).") }
            let (r, o) = x.dividedReportingOverflow(by: y)
            if o { throw overflow }
            return .int(r)
        case let (.uint(x), .uint(y)):
            if y == 0 { throw CELEvalError(.divisionByZero, "Division by zero (divide by zero).") }
            return .uint(x / y)
        case let (.double(x), .double(y)): return .double(x / y)
        default: throw noOverload("/", a, b)
        }
    }

    static func mod(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw CELEvalError(.moduloByZero, "Remainder of division by zero (modulus by zero).") }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            if o { throw overflow }
            return .int(r)
        case let (.uint(x), .uint(y)):
            if y == 0 { throw CELEvalError(.moduloByZero, "Remainder of division by zero (modulus by zero).") }
            return .uint(x % y)
        default: throw noOverload("%", a, b)
        }
    }

    static func neg(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .int(let x):
            if x == Int64.min { throw overflow }
            return .int(-x)
        case .double(let x): return .double(-x)
        case .duration(let d): return .duration(CELTime.negate(d))
        default: throw noOverload("-", a)
        }
    }

    static func not(_ a: CELValue) throws(CELEvalError) -> CELValue {
        guard case .bool(let b) = a else { throw noOverload("!", a) }
        return .bool(!b)
    }

    static func index(_ a: CELValue, _ i: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .list(let l):
            let idx: Int64
            switch i {
            case .int(let x): idx = x
            case .uint(let x):
                guard x <= UInt64(Int64.max) else { throw outOfBounds(i, l.count) }
                idx = Int64(x)
            case .double(let d):
                guard d.isFinite, d.rounded(.towardZero) == d, abs(d) < 9.2e18 else {
                    throw CELEvalError(.invalidArgument, "A list position must be a whole number, not \(CELFormat.render(i)) (invalid_argument).")
                }
                idx = Int64(d)
            default:
                throw CELEvalError(.invalidArgument, "A list position must be a number, not \(i.typeName) (invalid_argument).")
            }
            guard idx >= 0, idx < Int64(l.count) else { throw outOfBounds(i, l.count) }
            return l[Int(idx)]
        case .map(let m):
            guard let v = m.get(i) else {
                throw CELEvalError(.noSuchKey, "The map has no entry for the key \(CELFormat.render(i)) (no such key).")
            }
            return v
        default:
            throw noOverload("[]", a, i)
        }
    }

    static func outOfBounds(_ i: CELValue, _ n: Int) -> CELEvalError {
        CELEvalError(.indexOutOfBounds, "Position \(CELFormat.render(i)) is outside the list, which has \(n) item\(n == 1 ? "" : "s") (invalid_argument: index out of bounds).")
    }

    static func contains(_ container: CELValue, _ elem: CELValue) throws(CELEvalError) -> CELValue {
        switch container {
        case .list(let l):
            for x in l where celEquals(x, elem) { return .bool(true) }
            return .bool(false)
        case .map(let m):
            return .bool(m.get(elem) != nil)
        default:
            throw noOverload("in", elem, container)
        }
    }

    static func size(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .string(let s): return .int(Int64(s.unicodeScalars.count))
        case .bytes(let b): return .int(Int64(b.count))
        case .list(let l): return .int(Int64(l.count))
        case .map(let m): return .int(Int64(m.count))
        default: throw noOverload("size", a)
        }
    }

    static func stringArgs(_ fn: String, _ a: CELValue, _ b: CELValue) throws(CELEvalError) -> (String, String) {
        guard case .string(let x) = a, case .string(let y) = b else { throw noOverload(fn, a, b) }
        return (x, y)
    }

    static func startsWith(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        let (x, y) = try stringArgs("startsWith", a, b)
        return .bool(utf8HasPrefix(x, y))
    }

    static func endsWith(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        let (x, y) = try stringArgs("endsWith", a, b)
        let xu = x.utf8, yu = y.utf8
        guard yu.count <= xu.count else { return .bool(false) }
        return .bool(xu.suffix(yu.count).elementsEqual(yu))
    }

    static func containsString(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        let (x, y) = try stringArgs("contains", a, b)
        return .bool(utf8Contains(x, y))
    }

    static func utf8Contains(_ x: String, _ y: String) -> Bool {
        let n = y.utf8.count
        if n == 0 { return true }
        let hay = Array(x.utf8), needle = Array(y.utf8)
        if needle.count > hay.count { return false }
        var i = 0
        while i + n <= hay.count {
            if hay[i] == needle[0] {
                var j = 1
                while j < n, hay[i + j] == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    static func matches(_ a: CELValue, _ b: CELValue) throws(CELEvalError) -> CELValue {
        let (x, y) = try stringArgs("matches", a, b)
        let re: CELRegex
        do throws(CELRegex.SyntaxError) { re = try CELRegex(y) } catch {
            throw CELEvalError(.badRegex, "The pattern '\(y)' is not a valid regular expression: \(error.message)")
        }
        return .bool(re.matches(x))
    }

    // MARK: conversions

    static func toInt(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .int: return a
        case .uint(let u):
            guard u <= UInt64(Int64.max) else { throw CELEvalError(.outOfRange, "\(u) is too large to convert to int (range error).") }
            return .int(Int64(u))
        case .double(let d):
            guard d.isFinite, d > -9223372036854775808.0, d < 9223372036854775808.0 else {
                throw CELEvalError(.outOfRange, "\(CELFormat.double(d)) cannot be converted to int (range error).")
            }
            return .int(Int64(d.rounded(.towardZero)))
        case .string(let s):
            guard let v = Int64(s) else { throw CELEvalError(.conversion, "'\(s)' is not a whole number (Type conversion error).") }
            return .int(v)
        case .timestamp(let t): return .int(t.seconds)
        default: throw noOverload("int", a)
        }
    }

    static func toUint(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .uint: return a
        case .int(let i):
            guard i >= 0 else { throw CELEvalError(.outOfRange, "\(i) is negative and cannot be converted to uint (range error).") }
            return .uint(UInt64(i))
        case .double(let d):
            guard d.isFinite, d > -1, d < 18446744073709551616.0 else {
                throw CELEvalError(.outOfRange, "\(CELFormat.double(d)) cannot be converted to uint (range error).")
            }
            return .uint(UInt64(d.rounded(.towardZero)))
        case .string(let s):
            guard let v = UInt64(s) else { throw CELEvalError(.conversion, "'\(s)' is not an unsigned whole number (Type conversion error).") }
            return .uint(v)
        default: throw noOverload("uint", a)
        }
    }

    static func toDouble(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .double: return a
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let s):
            guard let v = Double(s) else { throw CELEvalError(.conversion, "'\(s)' is not a number (Type conversion error).") }
            return .double(v)
        default: throw noOverload("double", a)
        }
    }

    static func toString(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .string: return a
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(CELFormat.double(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else {
                throw CELEvalError(.invalidUTF8, "These bytes are not valid text (invalid UTF-8).")
            }
            return .string(s)
        case .timestamp(let t): return .string(CELTime.formatTimestamp(t))
        case .duration(let d): return .string(CELTime.formatDuration(d))
        case .date(let d): return .string(d.description)
        default: throw noOverload("string", a)
        }
    }

    static func toBytes(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .bytes: return a
        case .string(let s): return .bytes(Array(s.utf8))
        default: throw noOverload("bytes", a)
        }
    }

    static func toBool(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .bool: return a
        case .string(let s):
            switch s {
            case "1", "t", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "false", "FALSE", "False": return .bool(false)
            default: throw CELEvalError(.conversion, "'\(s)' is not true or false (Type conversion error).")
            }
        default: throw noOverload("bool", a)
        }
    }

    static func toTimestamp(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .timestamp: return a
        case .string(let s): return .timestamp(try CELTime.parseTimestamp(s))
        case .int(let i):
            let t = CELTimestamp(seconds: i)
            guard t.inRange else { throw CELEvalError(.outOfRange, "\(i) seconds is outside the timestamp range (range error).") }
            return .timestamp(t)
        default: throw noOverload("timestamp", a)
        }
    }

    static func toDuration(_ a: CELValue) throws(CELEvalError) -> CELValue {
        switch a {
        case .duration: return a
        case .string(let s): return .duration(try CELTime.parseDuration(s))
        case .int(let i):
            let d = CELDuration(seconds: i)
            guard d.inRange else { throw CELEvalError(.outOfRange, "\(i) seconds is outside the duration range (range error).") }
            return .duration(d)
        default: throw noOverload("duration", a)
        }
    }

    static func toDate(_ args: [CELValue]) throws(CELEvalError) -> CELValue {
        switch (args.first, args.count) {
        case (.date?, 1): return args[0]
        case (.string(let s)?, 1):
            guard let d = CELDate(iso: s) else {
                throw CELEvalError(.conversion, "'\(s)' is not a valid date; use the form YYYY-MM-DD, like 2026-01-31.")
            }
            return .date(d)
        case (.timestamp(let t)?, _):
            var zone: String?
            if args.count == 2 {
                guard case .string(let z) = args[1] else { throw noOverload("date", args[0], args[1]) }
                zone = z
            }
            let f = try CELTime.fields(t, zone: zone)
            return .date(CELDate(daysSinceEpoch: CivilTime.daysFromCivil(year: f.year, month: f.month, day: f.day)))
        default:
            throw CELEvalError(.noSuchOverload, "'date' cannot be applied to \(args.map(\.typeName).joined(separator: ", ")) (no such overload).")
        }
    }

    // MARK: timestamp / duration / date accessors

    static func accessor(_ name: String, _ args: [CELValue]) throws(CELEvalError) -> CELValue {
        guard let first = args.first else { throw CELEvalError(.noSuchOverload, "'\(name)' needs a value (no such overload).") }
        var zone: String?
        if args.count == 2 {
            guard case .string(let z) = args[1] else { throw noOverload(name, args[0], args[1]) }
            zone = z
        } else if args.count > 2 {
            throw CELEvalError(.noSuchOverload, "'\(name)' takes at most one time zone (no such overload).")
        }
        switch first {
        case .timestamp(let t):
            let f = try CELTime.fields(t, zone: zone)
            switch name {
            case "getFullYear": return .int(f.year)
            case "getMonth": return .int(f.month - 1)
            case "getDate": return .int(f.day)
            case "getDayOfMonth": return .int(f.day - 1)
            case "getDayOfWeek": return .int(f.weekday)
            case "getDayOfYear": return .int(f.dayOfYear)
            case "getHours": return .int(f.hours)
            case "getMinutes": return .int(f.minutes)
            case "getSeconds": return .int(f.seconds)
            case "getMilliseconds": return .int(f.millis)
            default: break
            }
        case .duration(let d) where zone == nil:
            guard d.inRange else { throw CELEvalError(.outOfRange, "The duration is out of range.") }
            switch name {
            case "getHours": return .int(d.seconds / 3600)
            case "getMinutes": return .int(d.seconds / 60)
            case "getSeconds": return .int(d.seconds)
            case "getMilliseconds": return .int(d.seconds * 1000 + Int64(d.nanos) / 1_000_000)
            default: break
            }
        case .date(let d) where zone == nil:
            let c = CivilTime.civilFromDays(d.daysSinceEpoch)
            switch name {
            case "getFullYear": return .int(c.year)
            case "getMonth": return .int(c.month - 1)
            case "getDate": return .int(c.day)
            case "getDayOfMonth": return .int(c.day - 1)
            case "getDayOfWeek": return .int(CivilTime.weekday(days: d.daysSinceEpoch))
            case "getDayOfYear": return .int(d.daysSinceEpoch - CivilTime.daysFromCivil(year: c.year, month: 1, day: 1))
            default: break
            }
        default: break
        }
        throw CELEvalError(.noSuchOverload, "'\(name)' cannot be applied to \(args.map(\.typeName).joined(separator: ", ")) (no such overload).")
    }
}

/// Declarations of the standard library (signatures for the checker, shared dynamic implementations).
enum Stdlib {
    static let A = CELType.param("A")
    static let B = CELType.param("B")

    static func ov(_ id: String, _ params: [CELType], _ result: CELType, receiver: Bool = false) -> CELOverload {
        CELOverload(id: id, receiver: receiver, params: params, result: result)
    }

    static func fn(_ name: String, _ impl: CELFunctionImpl, _ overloads: [CELOverload]) -> CELFunction {
        CELFunction(name: name, overloads: overloads, dynamicImpl: impl)
    }

    static let numeric: [(String, CELType)] = [("int64", .int), ("uint64", .uint), ("double", .double)]

    static func comparison(_ name: String, _ idp: String, _ impl: @escaping @Sendable (Int) -> Bool) -> CELFunction {
        var ovs: [CELOverload] = []
        let same: [(String, CELType)] = numeric + [("string", .string), ("bytes", .bytes), ("bool", .bool),
                                                   ("timestamp", .timestamp), ("duration", .duration), ("date", .date)]
        for (n, t) in same { ovs.append(ov("\(idp)_\(n)", [t, t], .bool)) }
        for (n1, t1) in numeric { for (n2, t2) in numeric where n1 != n2 { ovs.append(ov("\(idp)_\(n1)_\(n2)", [t1, t2], .bool)) } }
        return fn(name, .binary({ (a: CELValue, b: CELValue) throws(CELEvalError) -> CELValue in
            guard let c = try celCompare(a, b) else { return .bool(false) }
            return .bool(impl(c))
        }), ovs)
    }

    static func accessorFn(_ name: String, timestamp: Bool = true, duration: Bool, date: Bool) -> CELFunction {
        var ovs: [CELOverload] = []
        if timestamp {
            ovs.append(ov("timestamp_to_\(name)", [.timestamp], .int, receiver: true))
            ovs.append(ov("timestamp_to_\(name)_with_tz", [.timestamp, .string], .int, receiver: true))
        }
        if duration { ovs.append(ov("duration_to_\(name)", [.duration], .int, receiver: true)) }
        if date { ovs.append(ov("date_to_\(name)", [.date], .int, receiver: true)) }
        return fn(name, .variadic({ (args: [CELValue]) throws(CELEvalError) -> CELValue in try Builtins.accessor(name, args) }), ovs)
    }

    static let functions: [CELFunction] = {
        var fs: [CELFunction] = []
        fs.append(fn("_+_", .binary(Builtins.add), [
            ov("add_int64", [.int, .int], .int), ov("add_uint64", [.uint, .uint], .uint),
            ov("add_double", [.double, .double], .double), ov("add_string", [.string, .string], .string),
            ov("add_bytes", [.bytes, .bytes], .bytes), ov("add_list", [.list(A), .list(A)], .list(A)),
            ov("add_timestamp_duration", [.timestamp, .duration], .timestamp),
            ov("add_duration_timestamp", [.duration, .timestamp], .timestamp),
            ov("add_duration_duration", [.duration, .duration], .duration),
        ]))
        fs.append(fn("_-_", .binary(Builtins.sub), [
            ov("subtract_int64", [.int, .int], .int), ov("subtract_uint64", [.uint, .uint], .uint),
            ov("subtract_double", [.double, .double], .double),
            ov("subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration),
            ov("subtract_timestamp_duration", [.timestamp, .duration], .timestamp),
            ov("subtract_duration_duration", [.duration, .duration], .duration),
        ]))
        fs.append(fn("_*_", .binary(Builtins.mul), numeric.map { ov("multiply_\($0.0)", [$0.1, $0.1], $0.1) }))
        fs.append(fn("_/_", .binary(Builtins.div), numeric.map { ov("divide_\($0.0)", [$0.1, $0.1], $0.1) }))
        fs.append(fn("_%_", .binary(Builtins.mod), [ov("modulo_int64", [.int, .int], .int), ov("modulo_uint64", [.uint, .uint], .uint)]))
        fs.append(fn("-_", .unary(Builtins.neg), [ov("negate_int64", [.int], .int), ov("negate_double", [.double], .double)]))
        fs.append(fn("!_", .unary(Builtins.not), [ov("logical_not", [.bool], .bool)]))
        fs.append(fn("_==_", .binary({ a, b in .bool(celEquals(a, b)) }), [ov("equals", [A, A], .bool)]))
        fs.append(fn("_!=_", .binary({ a, b in .bool(!celEquals(a, b)) }), [ov("not_equals", [A, A], .bool)]))
        fs.append(comparison("_<_", "less") { $0 < 0 })
        fs.append(comparison("_<=_", "less_equals") { $0 <= 0 })
        fs.append(comparison("_>_", "greater") { $0 > 0 })
        fs.append(comparison("_>=_", "greater_equals") { $0 >= 0 })
        fs.append(fn("@in", .binary({ (e: CELValue, c: CELValue) throws(CELEvalError) -> CELValue in try Builtins.contains(c, e) }), [
            ov("in_list", [A, .list(A)], .bool), ov("in_map", [A, .map(A, B)], .bool),
        ]))
        fs.append(fn("_[_]", .binary(Builtins.index), [
            ov("index_list", [.list(A), .int], A), ov("index_map", [.map(A, B), A], B),
        ]))
        fs.append(fn("size", .unary(Builtins.size), [
            ov("size_string", [.string], .int), ov("size_bytes", [.bytes], .int),
            ov("size_list", [.list(A)], .int), ov("size_map", [.map(A, B)], .int),
            ov("string_size", [.string], .int, receiver: true), ov("bytes_size", [.bytes], .int, receiver: true),
            ov("list_size", [.list(A)], .int, receiver: true), ov("map_size", [.map(A, B)], .int, receiver: true),
        ]))
        fs.append(fn("contains", .binary(Builtins.containsString), [ov("contains_string", [.string, .string], .bool, receiver: true)]))
        fs.append(fn("startsWith", .binary(Builtins.startsWith), [ov("starts_with_string", [.string, .string], .bool, receiver: true)]))
        fs.append(fn("endsWith", .binary(Builtins.endsWith), [ov("ends_with_string", [.string, .string], .bool, receiver: true)]))
        fs.append(fn("matches", .binary(Builtins.matches), [
            ov("matches", [.string, .string], .bool), ov("matches_string", [.string, .string], .bool, receiver: true),
        ]))
        fs.append(fn("int", .unary(Builtins.toInt), [
            ov("int64_to_int64", [.int], .int), ov("uint64_to_int64", [.uint], .int), ov("double_to_int64", [.double], .int),
            ov("string_to_int64", [.string], .int), ov("timestamp_to_int64", [.timestamp], .int),
        ]))
        fs.append(fn("uint", .unary(Builtins.toUint), [
            ov("uint64_to_uint64", [.uint], .uint), ov("int64_to_uint64", [.int], .uint), ov("double_to_uint64", [.double], .uint),
            ov("string_to_uint64", [.string], .uint),
        ]))
        fs.append(fn("double", .unary(Builtins.toDouble), [
            ov("double_to_double", [.double], .double), ov("int64_to_double", [.int], .double),
            ov("uint64_to_double", [.uint], .double), ov("string_to_double", [.string], .double),
        ]))
        fs.append(fn("string", .unary(Builtins.toString), [
            ov("string_to_string", [.string], .string), ov("int64_to_string", [.int], .string),
            ov("uint64_to_string", [.uint], .string), ov("double_to_string", [.double], .string),
            ov("bool_to_string", [.bool], .string), ov("bytes_to_string", [.bytes], .string),
            ov("timestamp_to_string", [.timestamp], .string), ov("duration_to_string", [.duration], .string),
            ov("date_to_string", [.date], .string),
        ]))
        fs.append(fn("bytes", .unary(Builtins.toBytes), [ov("bytes_to_bytes", [.bytes], .bytes), ov("string_to_bytes", [.string], .bytes)]))
        fs.append(fn("bool", .unary(Builtins.toBool), [ov("bool_to_bool", [.bool], .bool), ov("string_to_bool", [.string], .bool)]))
        fs.append(fn("dyn", .unary({ $0 }), [ov("to_dyn", [A], .dyn)]))
        fs.append(fn("type", .unary({ .type($0.runtimeType) }), [ov("type", [A], .type(A))]))
        fs.append(fn("timestamp", .unary(Builtins.toTimestamp), [
            ov("timestamp_to_timestamp", [.timestamp], .timestamp), ov("string_to_timestamp", [.string], .timestamp),
            ov("int64_to_timestamp", [.int], .timestamp),
        ]))
        fs.append(fn("duration", .unary(Builtins.toDuration), [
            ov("duration_to_duration", [.duration], .duration), ov("string_to_duration", [.string], .duration),
        ]))
        fs.append(fn("date", .variadic(Builtins.toDate), [
            ov("date_to_date", [.date], .date), ov("string_to_date", [.string], .date),
            ov("timestamp_to_date", [.timestamp], .date), ov("timestamp_to_date_with_tz", [.timestamp, .string], .date),
        ]))
        fs.append(accessorFn("getFullYear", duration: false, date: true))
        fs.append(accessorFn("getMonth", duration: false, date: true))
        fs.append(accessorFn("getDate", duration: false, date: true))
        fs.append(accessorFn("getDayOfMonth", duration: false, date: true))
        fs.append(accessorFn("getDayOfWeek", duration: false, date: true))
        fs.append(accessorFn("getDayOfYear", duration: false, date: true))
        fs.append(accessorFn("getHours", duration: true, date: false))
        fs.append(accessorFn("getMinutes", duration: true, date: false))
        fs.append(accessorFn("getSeconds", duration: true, date: false))
        fs.append(accessorFn("getMilliseconds", duration: true, date: false))
        return fs
    }()
}

/// Type-parameter substitution and assignability, following the reference CEL checker
/// (including its "most general type" joining for list/map literals).
struct Unifier {
    var subst: [String: CELType] = [:]
    var counter = 0

    mutating func fresh() -> CELType {
        counter += 1
        return .param("_T\(counter)")
    }

    /// Renames the type parameters of a signature to fresh inference variables.
    mutating func instantiate(_ types: [CELType]) -> [CELType] {
        var names: [String] = []
        func collect(_ t: CELType) {
            switch t {
            case .param(let n): if !names.contains(n) { names.append(n) }
            case .list(let e): collect(e)
            case .map(let k, let v): collect(k); collect(v)
            case .type(let t): if let t { collect(t) }
            case .opaque(_, let ps): ps.forEach(collect)
            default: break
            }
        }
        types.forEach(collect)
        if names.isEmpty { return types }
        var m: [String: CELType] = [:]
        for n in names { m[n] = fresh() }
        return types.map { $0.substituting(m) }
    }

    func resolve(_ t: CELType) -> CELType { t.substituting(subst) }

    /// Whether `t2` can be used where `t1` is expected (or vice versa for dyn); commits bindings on success.
    mutating func isAssignable(_ t1: CELType, _ t2: CELType) -> Bool {
        let saved = subst
        if internalAssignable(t1, t2) { return true }
        subst = saved
        return false
    }

    mutating func isAssignableList(_ l1: [CELType], _ l2: [CELType]) -> Bool {
        guard l1.count == l2.count else { return false }
        let saved = subst
        for i in 0..<l1.count where !internalAssignable(l1[i], l2[i]) {
            subst = saved
            return false
        }
        return true
    }

    static func nullable(_ t: CELType) -> Bool {
        switch t {
        case .null, .opaque, .record, .timestamp, .duration, .date: return true
        default: return false
        }
    }

    mutating func internalAssignable(_ t1: CELType, _ t2: CELType) -> Bool {
        if case .param = t2 {
            let (valid, hasSub) = validSubstitution(t1, t2)
            if valid { return true }
            if hasSub { return false }
        }
        if case .param = t1 { return validSubstitution(t2, t1).valid }
        if t1.isDynOrError || t2.isDynOrError { return true }
        if t1 == .null { return Unifier.nullable(t2) }
        if t2 == .null { return Unifier.nullable(t1) }
        switch (t1, t2) {
        case (.enumType(let a), .enumType(let b)): return a == b
        case (.enumType, .string), (.string, .enumType): return true
        case (.list(let a), .list(let b)): return internalAssignable(a, b)
        case (.map(let k1, let v1), .map(let k2, let v2)): return internalAssignable(k1, k2) && internalAssignable(v1, v2)
        case (.type, .type):
            // Type values are all of kind `type` at runtime, so `type(1) == type(1u)` is valid.
            return true
        case (.opaque(let n1, let p1), .opaque(let n2, let p2)):
            guard n1 == n2, p1.count == p2.count else { return false }
            for i in 0..<p1.count where !internalAssignable(p1[i], p2[i]) { return false }
            return true
        case (.record(let a), .record(let b)): return a == b
        default: return t1 == t2
        }
    }

    mutating func validSubstitution(_ t1: CELType, _ t2: CELType) -> (valid: Bool, hasSub: Bool) {
        guard case .param(let name) = t2 else { return (false, false) }
        if t1 == t2 { return (true, true) }
        if let sub = subst[name] {
            if t1 == sub { return (true, true) }
            if internalAssignable(t1, sub) {
                let g = mostGeneral(t1, sub)
                if notReferenced(name, in: g) { subst[name] = g }
                return (true, true)
            }
            return (false, true)
        }
        if notReferenced(name, in: t1) {
            subst[name] = t1
            return (true, false)
        }
        return (false, false)
    }

    func notReferenced(_ name: String, in t: CELType) -> Bool {
        switch t {
        case .param(let n):
            if n == name { return false }
            if let s = subst[n] { return notReferenced(name, in: s) }
            return true
        case .list(let e): return notReferenced(name, in: e)
        case .map(let k, let v): return notReferenced(name, in: k) && notReferenced(name, in: v)
        case .type(let x): return x.map { notReferenced(name, in: $0) } ?? true
        case .opaque(_, let ps): return ps.allSatisfy { notReferenced(name, in: $0) }
        default: return true
        }
    }

    func mostGeneral(_ a: CELType, _ b: CELType) -> CELType {
        // null joins with a nullable type to that type (e.g. [optional.of(1), null]).
        if b == .null, Unifier.nullable(a) { return a }
        if a == .null, Unifier.nullable(b) { return b }
        return equalOrLessSpecific(a, b) ? a : b
    }

    func equalOrLessSpecific(_ a: CELType, _ b: CELType) -> Bool {
        if case .param = a { return true }
        if a.isDynOrError { return true }
        if case .param = b { return false }
        if b.isDynOrError { return false }
        switch (a, b) {
        case (.list(let x), .list(let y)): return equalOrLessSpecific(x, y)
        case (.map(let k1, let v1), .map(let k2, let v2)): return equalOrLessSpecific(k1, k2) && equalOrLessSpecific(v1, v2)
        case (.type(let x), .type(let y)):
            guard let x, let y else { return true }
            return equalOrLessSpecific(x, y)
        case (.opaque(let n1, let p1), .opaque(let n2, let p2)):
            guard n1 == n2, p1.count == p2.count else { return false }
            for i in 0..<p1.count where !equalOrLessSpecific(p1[i], p2[i]) { return false }
            return true
        case (.enumType, .string): return false
        case (.string, .enumType): return true
        default: return a == b
        }
    }
}

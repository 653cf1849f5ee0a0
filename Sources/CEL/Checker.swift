/// What a name or call in the tree refers to, as decided by the checker.
enum CELRef: Sendable {
    case variable(Int)
    case local(Int)
    case typeValue(CELType)
    case unresolved(String)
    /// Function with the indices of overloads that matched the argument types.
    case function(String, [Int])
    /// A call of `name` that is actually a namespaced global (e.g. `math.f(x)` parsed as receiver call).
    case qualifiedFunction(String, [Int])
    case recordField(Int)
}

/// The outcome of type checking.
public struct CELCheckResult: Sendable {
    public var ast: CELAST
    /// The deduced type of the whole expression (unresolved type parameters become `dyn`).
    public var type: CELType
    /// All problems found; empty when the expression is valid.
    public var errors: [CELError]
    var nodeTypes: [CELType]
    var refs: [Int: CELRef]
    var localCount: Int
    /// First local slot of each comprehension node.
    var localSlots: [Int: Int]

    /// Slots of the declared variables the expression reads (for dependency analysis by the host).
    public var referencedSlots: [Int] {
        Array(Set(refs.values.compactMap { r -> Int? in
            if case .variable(let s) = r { return s }
            return nil
        })).sorted()
    }

    /// The deduced type of the node with the given id.
    public func type(ofNode id: Int) -> CELType? { id < nodeTypes.count ? nodeTypes[id] : nil }
}

struct Checker {
    let env: CELEnvironment
    let ast: CELAST
    let checked: Bool
    var types: [CELType]
    var refs: [Int: CELRef] = [:]
    var errors: [CELError] = []
    var u = Unifier()
    var scopes: [(name: String, slot: Int, type: CELType)] = []
    var localCount = 0
    var localSlots: [Int: Int] = [:]

    init(env: CELEnvironment, ast: CELAST, checked: Bool) {
        self.env = env
        self.ast = ast
        self.checked = checked
        types = Array(repeating: .dyn, count: ast.nodeCount)
    }

    mutating func run(expecting: CELType?) -> CELCheckResult {
        var t = check(ast.root)
        for i in 0..<types.count { types[i] = u.resolve(types[i]).paramsToDyn }
        t = u.resolve(t).paramsToDyn
        if let expecting, errors.isEmpty {
            var uu = u
            if !uu.isAssignable(expecting, t) || (expecting == .bool && t != .bool && t != .dyn) {
                let what = expecting == .bool ? "a true/false condition" : "a value of type \(expecting)"
                error(expecting == .bool ? .nonBoolResult : .typeMismatch,
                      "This expression must be \(what), but it produces \(t.friendlyName).", ast.root.span)
            }
        }
        return CELCheckResult(ast: ast, type: t, errors: checked ? errors : [], nodeTypes: types, refs: refs, localCount: localCount, localSlots: localSlots)
    }

    mutating func error(_ kind: CELErrorKind, _ msg: String, _ span: CELSpan, notes: [String] = [], suggestion: String? = nil) {
        errors.append(CELError(kind, msg, span: span, notes: notes, suggestion: suggestion))
    }

    mutating func set(_ e: CELExpr, _ t: CELType) -> CELType {
        if e.id < types.count { types[e.id] = t }
        return t
    }

    func lookupLocal(_ name: String) -> (slot: Int, type: CELType)? {
        for s in scopes.reversed() where s.name == name { return (s.slot, s.type) }
        return nil
    }

    // MARK: expressions

    mutating func check(_ e: CELExpr) -> CELType {
        switch e.kind {
        case .literal(let c):
            let t: CELType
            switch c {
            case .null: t = .null
            case .bool: t = .bool
            case .int: t = .int
            case .uint: t = .uint
            case .double: t = .double
            case .string: t = .string
            case .bytes: t = .bytes
            }
            return set(e, t)
        case .ident(let name, let absolute):
            return set(e, checkIdent(e, name: name, absolute: absolute))
        case .select(let operand, let field, let fieldSpan, let testOnly):
            return set(e, checkSelect(e, operand: operand, field: field, fieldSpan: fieldSpan, testOnly: testOnly))
        case .call(let target, let fn, let args, let nameSpan):
            return set(e, checkCall(e, target: target, fn: fn, args: args, nameSpan: nameSpan))
        case .list(let items):
            var elem: CELType?
            for item in items {
                let t = check(item)
                elem = join(elem, t)
            }
            return set(e, .list(elem ?? u.fresh()))
        case .map(let entries):
            var kt: CELType?, vt: CELType?
            for en in entries {
                let k = check(en.key)
                switch u.resolve(k) {
                case .string, .int, .uint, .bool, .dyn, .param, .error, .enumType: break
                default:
                    error(.typeMismatch, "Map keys must be text, whole numbers or true/false, not \(u.resolve(k).friendlyName).", en.key.span)
                }
                kt = join(kt, k)
                vt = join(vt, check(en.value))
            }
            return set(e, .map(kt ?? u.fresh(), vt ?? u.fresh()))
        case .comprehension(let c):
            return set(e, checkComprehension(e, c))
        }
    }

    mutating func join(_ prev: CELType?, _ cur: CELType) -> CELType {
        guard let prev else { return cur }
        if u.isAssignable(prev, cur) { return u.mostGeneral(prev, cur) }
        return .dyn
    }

    mutating func checkIdent(_ e: CELExpr, name: String, absolute: Bool) -> CELType {
        if !absolute, let l = lookupLocal(name) {
            refs[e.id] = .local(l.slot)
            return l.type
        }
        if let v = env.lookupVariable(name, absolute: absolute) {
            refs[e.id] = .variable(v.slot)
            return v.type
        }
        if let t = env.lookupTypeName(name) {
            refs[e.id] = .typeValue(t)
            return .type(t)
        }
        refs[e.id] = .unresolved(name)
        var candidates = env.variables.map(\.name) + scopes.map(\.name)
        candidates += env.enums.keys
        let sugg = Suggest.best(name, among: candidates)
        error(.unknownIdentifier, "'\(name)' is not a known name in this context.", e.span,
              notes: env.variables.isEmpty ? [] : ["known names: " + env.variables.map(\.name).sorted().prefix(20).joined(separator: ", ")],
              suggestion: sugg)
        return .error
    }

    mutating func checkSelect(_ e: CELExpr, operand: CELExpr, field: String, fieldSpan: CELSpan, testOnly: Bool) -> CELType {
        if !testOnly, let q = e.qualifiedName, q.parts.count > 1, q.absolute || lookupLocal(q.parts[0]) == nil {
            let name = q.parts.joined(separator: ".")
            if let v = env.lookupVariable(name, absolute: q.absolute) {
                refs[e.id] = .variable(v.slot)
                return v.type
            }
            if let t = env.lookupTypeName(name) {
                refs[e.id] = .typeValue(t)
                return .type(t)
            }
        }
        let ot = u.resolve(check(operand))
        switch ot {
        case .record(let r):
            guard let i = r.fieldIndex(field) else {
                error(.unknownField, "\(r.name) has no field named '\(field)'.", fieldSpan,
                      notes: ["fields of \(r.name): " + r.fields.map(\.name).joined(separator: ", ")],
                      suggestion: Suggest.best(field, among: r.fields.map(\.name)))
                return .error
            }
            refs[e.id] = .recordField(i)
            return testOnly ? .bool : r.fields[i].type
        case .map(let k, let v):
            switch u.resolve(k) {
            case .string, .dyn, .param, .error, .enumType: break
            default:
                error(.typeMismatch, "Field access with '.\(field)' needs a map with text keys, but the keys here are \(k.friendlyName).", fieldSpan)
            }
            return testOnly ? .bool : v
        case .dyn, .param, .error:
            return testOnly ? .bool : .dyn
        default:
            error(.typeMismatch, "A \(ot.friendlyName) value has no fields, so '.\(field)' cannot be used on it.", fieldSpan)
            return .error
        }
    }

    static func displayName(_ fn: String) -> String {
        switch fn {
        case "_+_": return "+"
        case "_-_": return "-"
        case "_*_": return "*"
        case "_/_": return "/"
        case "_%_": return "%"
        case "_==_": return "=="
        case "_!=_": return "!="
        case "_<_": return "<"
        case "_<=_": return "<="
        case "_>_": return ">"
        case "_>=_": return ">="
        case "@in": return "in"
        case "_[_]": return "[]"
        case "-_": return "-"
        case "!_": return "!"
        case "_&&_": return "&&"
        case "_||_": return "||"
        case "_?_:_": return "?:"
        default: return fn
        }
    }

    static func isOperator(_ fn: String) -> Bool { displayName(fn) != fn }

    mutating func checkCall(_ e: CELExpr, target: CELExpr?, fn: String, args: [CELExpr], nameSpan: CELSpan) -> CELType {
        switch fn {
        case "_&&_", "_||_":
            for a in args {
                let t = check(a)
                if !u.isAssignable(.bool, t) {
                    error(.typeMismatch, "Both sides of '\(Checker.displayName(fn))' must be true/false conditions, but this is \(u.resolve(t).friendlyName).", a.span)
                }
            }
            return .bool
        case "_?_:_":
            guard args.count == 3 else { return .error }
            let c = check(args[0])
            if !u.isAssignable(.bool, c) {
                error(.typeMismatch, "The condition before '?' must be true or false, but it is \(u.resolve(c).friendlyName).", args[0].span)
            }
            let a = check(args[1]), b = check(args[2])
            if u.isAssignable(a, b) { return u.mostGeneral(a, b) }
            error(.typeMismatch, "Both results of '?:' must have the same type, but one is \(u.resolve(a).friendlyName) and the other \(u.resolve(b).friendlyName).", e.span)
            return .error
        default: break
        }

        var name = fn
        var target = target
        var qualified = false
        if name.hasPrefix(".") { name.removeFirst() }
        // `ns.f(x)` may be a namespaced global function rather than a receiver call.
        if let t = target, let q = t.qualifiedName, q.absolute || lookupLocal(q.parts[0]) == nil {
            let full = q.parts.joined(separator: ".") + "." + name
            if env.function(full) != nil, env.lookupVariable(q.parts.joined(separator: "."), absolute: q.absolute) == nil {
                name = full
                target = nil
                qualified = true
            }
        }
        var argTypes: [CELType] = []
        argTypes.reserveCapacity(args.count + 1)
        if let target { argTypes.append(check(target)) }
        for a in args { argTypes.append(check(a)) }
        guard let f = env.function(name) else {
            refs[e.id] = .unresolved(name)
            error(.unknownFunction, "There is no function named '\(name)'.", nameSpan,
                  suggestion: Suggest.best(name, among: env.functionNames))
            return .error
        }
        let isReceiver = target != nil
        var matched: [Int] = []
        var result: CELType?
        var sameStyle = false
        for (i, o) in f.overloads.enumerated() where o.isReceiver == isReceiver {
            sameStyle = true
            guard o.params.count == argTypes.count else { continue }
            let r: CELType
            if o.result.hasParams || o.params.contains(where: \.hasParams) {
                let inst = u.instantiate(o.params + [o.result])
                guard u.isAssignableList(argTypes, Array(inst.dropLast())) else { continue }
                r = u.resolve(inst[inst.count - 1])
            } else {
                // Nothing to instantiate: most overloads (operators on concrete types) take
                // this path, which allocates nothing.
                guard u.isAssignableList(argTypes, o.params) else { continue }
                r = u.resolve(o.result)
            }
            matched.append(i)
            if result == nil { result = r } else if let rr = result, rr != .dyn, rr != r { result = .dyn }
        }
        refs[e.id] = qualified ? .qualifiedFunction(name, matched) : .function(name, matched)
        if matched.isEmpty {
            let display = Checker.displayName(name)
            let shown = argTypes.map { u.resolve($0).paramsToDyn.description }
            if argTypes.contains(where: { u.resolve($0) == .error }) { return .error }
            let sigs = f.overloads.map { o -> String in
                o.isReceiver
                    ? "\(o.params[0]).\(name)(\(o.params.dropFirst().map(\.description).joined(separator: ", "))) -> \(o.result)"
                    : "\(display)(\(o.params.map(\.description).joined(separator: ", "))) -> \(o.result)"
            }
            let notes = ["accepted forms:\n    " + sigs.prefix(12).joined(separator: "\n    ")]
            if !sameStyle {
                let how = isReceiver ? "'\(name)(x, ...)'" : "'x.\(name)(...)'"
                error(.noMatchingOverload, "'\(name)' must be called as \(how).", nameSpan, notes: notes)
            } else if !f.overloads.contains(where: { $0.isReceiver == isReceiver && $0.params.count == argTypes.count }) {
                let counts = Set(f.overloads.filter { $0.isReceiver == isReceiver }.map { $0.params.count - ($0.isReceiver ? 1 : 0) }).sorted()
                error(.wrongArity, "'\(name)' takes \(counts.map(String.init).joined(separator: " or ")) argument\(counts == [1] ? "" : "s"), but \(args.count) \(args.count == 1 ? "was" : "were") given.", e.span, notes: notes)
            } else if Checker.isOperator(name) {
                let friendly = argTypes.map { u.resolve($0).paramsToDyn.friendlyName }
                var hints: [String] = []
                let resolved = argTypes.map { u.resolve($0) }
                if resolved.contains(.date) && resolved.contains(.timestamp) {
                    hints.append(CELError.timestampWithDateHint)
                } else if resolved.contains(.string) && resolved.contains(where: { [.int, .uint, .double].contains($0) }) {
                    hints.append("text is not converted to a number automatically; use int(...) or double(...)")
                }
                let msg: String
                switch name {
                case "_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_":
                    msg = "'\(display)' cannot compare \(friendly.first ?? "?") with \(friendly.last ?? "?")."
                case "@in":
                    msg = "'in' needs a list or map on its right side with items like the left side, but got \(friendly.first ?? "?") and \(friendly.last ?? "?")."
                default:
                    msg = "'\(display)' cannot be applied to \(friendly.joined(separator: " and "))."
                }
                error(.noMatchingOverload, msg, nameSpan, notes: hints)
            } else {
                error(.noMatchingOverload, "'\(name)' cannot be used with (\(shown.joined(separator: ", "))).", nameSpan, notes: notes)
            }
            return .error
        }
        checkEnumLiterals(fn: name, target: target, args: args)
        return result ?? .dyn
    }

    /// Flags string literals compared with enum values that are not enum members.
    mutating func checkEnumLiterals(fn: String, target: CELExpr?, args: [CELExpr]) {
        func enumOf(_ x: CELExpr) -> CELEnumType? {
            if case .enumType(let en) = u.resolve(types[x.id]) { return en }
            return nil
        }
        func verify(_ lit: CELExpr, _ en: CELEnumType) {
            guard case .literal(.string(let s)) = lit.kind, !en.contains(s) else { return }
            error(.enumNonMember, "'\(s)' is not a valid \(en.name); it must be one of: \(en.members.joined(separator: ", ")).", lit.span,
                  notes: ["allowed values of \(en.name): " + en.members.joined(separator: ", ")],
                  suggestion: Suggest.best(s, among: en.members))
        }
        switch fn {
        case "_==_", "_!=_":
            guard args.count == 2 else { return }
            if let en = enumOf(args[0]) { verify(args[1], en) }
            if let en = enumOf(args[1]) { verify(args[0], en) }
        case "@in":
            guard args.count == 2, let en = enumOf(args[0]), case .list(let items) = args[1].kind else { return }
            for it in items { verify(it, en) }
        default: return
        }
    }

    mutating func checkComprehension(_ e: CELExpr, _ c: CELComprehension) -> CELType {
        let rt = u.resolve(check(c.range))
        var t1: CELType = .dyn, t2: CELType = .dyn
        var isMap = false
        switch rt {
        case .list(let el):
            if c.iterVar2 != nil { t1 = .int; t2 = el } else { t1 = el }
        case .map(let k, let v):
            isMap = true
            t1 = k
            t2 = v
        case .dyn, .param, .error: break
        default:
            error(.typeMismatch, "'\(c.macro.rawValue)' needs a list or map, but this is \(rt.friendlyName).", c.range.span)
        }
        let slot1 = localCount
        localSlots[e.id] = slot1
        localCount += 1
        scopes.append((c.iterVar, slot1, t1))
        if let v2 = c.iterVar2 {
            scopes.append((v2, localCount, t2))
            localCount += 1
        }
        defer {
            scopes.removeLast(c.iterVar2 == nil ? 1 : 2)
        }
        if let f = c.filter {
            let ft = check(f)
            if !u.isAssignable(.bool, ft) {
                error(.typeMismatch, "The filter condition must be true or false, but it is \(u.resolve(ft).friendlyName).", f.span)
            }
        }
        let bt = check(c.body)
        switch c.macro {
        case .all, .exists, .existsOne:
            if !u.isAssignable(.bool, bt) {
                error(.typeMismatch, "The condition in '\(c.macro.rawValue)' must be true or false, but it is \(u.resolve(bt).friendlyName).", c.body.span)
            }
            return .bool
        case .map, .transformList:
            return .list(bt)
        case .filter:
            if !u.isAssignable(.bool, bt) {
                error(.typeMismatch, "The condition in 'filter' must be true or false, but it is \(u.resolve(bt).friendlyName).", c.body.span)
            }
            return .list(t1)
        case .transformMap:
            return .map(isMap ? t1 : (rt == .dyn ? .dyn : .int), bt)
        }
    }
}

/// A literal constant in the source.
public enum CELConstant: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
}

/// Comprehension macros, kept as dedicated nodes (rather than expanded into generic folds)
/// so that diagnostics and the evaluator can talk about them directly.
public enum CELMacroKind: String, Sendable {
    case all, exists, existsOne, map, filter, transformList, transformMap
}

/// One parsed expression node. Every node has a unique `id` and a byte `span`.
public struct CELExpr: Sendable {
    public var id: Int
    public var span: CELSpan
    public var kind: Kind

    public indirect enum Kind: Sendable {
        case literal(CELConstant)
        /// An identifier; `absolute` is true for a leading dot (`.name`), which skips containers and locals.
        case ident(name: String, absolute: Bool)
        /// `operand.field`; `testOnly` marks the `has(operand.field)` macro.
        case select(operand: CELExpr, field: String, fieldSpan: CELSpan, testOnly: Bool)
        /// A function call; `target` is set for receiver-style calls (`x.f(y)`).
        /// Operators use their CEL internal names (`_+_`, `_&&_`, `_[_]`, `@in`, `_?_:_`, `!_`, `-_`).
        case call(target: CELExpr?, function: String, args: [CELExpr], nameSpan: CELSpan)
        case list([CELExpr])
        case map([(key: CELExpr, value: CELExpr)])
        /// `range.macro(v1, [v2,] [filter,] body)`.
        case comprehension(CELComprehension)
    }
}

/// A macro such as `list.all(x, pred)` or `map.transformMap(k, v, filter, expr)`.
public struct CELComprehension: Sendable {
    public var macro: CELMacroKind
    public var range: CELExpr
    public var iterVar: String
    public var iterVarSpan: CELSpan
    /// Second variable for two-variable forms (index/key first, then value).
    public var iterVar2: String?
    public var filter: CELExpr?
    public var body: CELExpr
}

extension CELExpr {
    /// Calls `visit` on the node and all descendants (pre-order), iteratively safe for parsed depths.
    func forEachNode(_ visit: (CELExpr) -> Void) {
        visit(self)
        switch kind {
        case .literal, .ident: break
        case .select(let operand, _, _, _): operand.forEachNode(visit)
        case .call(let target, _, let args, _):
            target?.forEachNode(visit)
            for a in args { a.forEachNode(visit) }
        case .list(let items): for a in items { a.forEachNode(visit) }
        case .map(let entries):
            for e in entries { e.key.forEachNode(visit); e.value.forEachNode(visit) }
        case .comprehension(let c):
            c.range.forEachNode(visit)
            c.filter?.forEachNode(visit)
            c.body.forEachNode(visit)
        }
    }

    /// If this node is a (possibly dotted) name like `a.b.c`, returns the name parts.
    var qualifiedName: (parts: [String], absolute: Bool)? {
        switch kind {
        case .ident(let n, let abs): return ([n], abs)
        case .select(let operand, let f, _, false):
            guard let (p, abs) = operand.qualifiedName else { return nil }
            return (p + [f], abs)
        default: return nil
        }
    }
}

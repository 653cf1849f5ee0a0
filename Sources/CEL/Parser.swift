/// Limits that keep hostile or accidental inputs from exhausting the stack or memory.
public struct CELLimits: Sendable {
    /// Maximum syntactic nesting (parentheses, brackets, calls, ternaries).
    public var maxNesting: Int = 250
    /// Maximum height of the syntax tree (long operator chains count too).
    public var maxTreeHeight: Int = 1000
    /// Maximum expression length in UTF-8 bytes.
    public var maxLength: Int = 100_000
    public init() {}
}

/// The result of parsing: the tree plus the source text it came from.
public struct CELAST: Sendable {
    public var root: CELExpr
    public var source: String
    /// Number of node ids allocated (ids are `0..<nodeCount`).
    public var nodeCount: Int
    /// Height of the tree (1 for a single literal).
    public var height: Int = 1
}

/// Recursive-descent parser producing `CELExpr` trees with exact byte spans.
public struct CELParser {
    var tokens: [Token] = []
    var i = 0
    var nextID = 0
    var depth = 0
    var heights: [Int] = []
    let limits: CELLimits

    public init(limits: CELLimits = CELLimits()) { self.limits = limits }

    /// Parses an expression, throwing all syntax errors found (currently the first one).
    public static func parse(_ text: String, limits: CELLimits = CELLimits()) throws(CELErrors) -> CELAST {
        // Deeply nested text is parsed on a large stack (the parser recurses per nesting level).
        let run = { () -> Result<CELAST, CELError> in
            var p = CELParser(limits: limits)
            do throws(CELError) { return .success(try p.run(text)) } catch { return .failure(error) }
        }
        let r = CELParser.estimatedNesting(text) > 12 ? DeepStack.run(run) : run()
        switch r {
        case .success(let ast): return ast
        case .failure(let e): throw CELErrors([e])
        }
    }

    /// Upper bound on parser recursion: bracket depth plus ternaries (quotes are ignored for speed).
    static func estimatedNesting(_ text: String) -> Int {
        var depth = 0, maxDepth = 0, ternaries = 0
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                maxDepth = max(maxDepth, depth)
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: "?"): ternaries += 1
            default: break
            }
        }
        return maxDepth + ternaries
    }

    mutating func run(_ text: String) throws(CELError) -> CELAST {
        let byteCount = text.utf8.count
        if byteCount > limits.maxLength {
            throw CELError(.tooComplex, "The expression is too long (\(byteCount) bytes; the limit is \(limits.maxLength)).",
                           span: CELSpan(start: 0, end: byteCount))
        }
        var lx = Lexer(text)
        tokens = try lx.tokenize()
        let e = try parseExpr()
        if peek.kind != .eof {
            throw CELError(.syntax, "Unexpected \(describe(peek)) after the end of the expression.", span: peek.span)
        }
        return CELAST(root: e, source: text, nodeCount: nextID, height: e.id < heights.count ? heights[e.id] : 1)
    }

    // MARK: token helpers

    var peek: Token { tokens[min(i, tokens.count - 1)] }
    func peekAt(_ k: Int) -> Token { tokens[min(i + k, tokens.count - 1)] }
    mutating func advance() -> Token {
        let t = peek
        if i < tokens.count - 1 { i += 1 }
        return t
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of expression"
        case .ident(let s): return "name '\(s)'"
        case .quotedIdent(let s): return "`\(s)`"
        case .int(let s), .uint(let s), .double(let s): return "number \(s)"
        case .string: return "text"
        case .bytes: return "bytes"
        case .kwTrue: return "'true'"
        case .kwFalse: return "'false'"
        case .kwNull: return "'null'"
        case .kwIn: return "'in'"
        default: return "'\(symbol(t.kind))'"
        }
    }

    func symbol(_ k: TokenKind) -> String {
        switch k {
        case .lParen: return "("
        case .rParen: return ")"
        case .lBracket: return "["
        case .rBracket: return "]"
        case .lBrace: return "{"
        case .rBrace: return "}"
        case .dot: return "."
        case .comma: return ","
        case .colon: return ":"
        case .question: return "?"
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        case .bang: return "!"
        case .eq: return "=="
        case .ne: return "!="
        case .lt: return "<"
        case .le: return "<="
        case .gt: return ">"
        case .ge: return ">="
        case .and: return "&&"
        case .or: return "||"
        default: return "?"
        }
    }

    mutating func expect(_ k: TokenKind, _ what: String, opened: CELSpan? = nil) throws(CELError) -> Token {
        if peek.kind == k { return advance() }
        var notes: [String] = []
        if let opened { notes.append("the opening bracket is at byte \(opened.start)") }
        throw CELError(.syntax, "Expected \(what) but found \(describe(peek)).", span: peek.span, notes: notes)
    }

    // MARK: node construction

    mutating func make(_ kind: CELExpr.Kind, _ span: CELSpan, children: [CELExpr] = []) throws(CELError) -> CELExpr {
        let id = nextID
        nextID += 1
        var h = 1
        for c in children where c.id < heights.count { h = max(h, heights[c.id] + 1) }
        heights.append(h)
        if h > limits.maxTreeHeight {
            throw CELError(.tooComplex, "The expression is too deeply nested to evaluate safely (limit \(limits.maxTreeHeight)).", span: span)
        }
        return CELExpr(id: id, span: span, kind: kind)
    }

    mutating func call(_ fn: String, _ args: [CELExpr], span: CELSpan, nameSpan: CELSpan) throws(CELError) -> CELExpr {
        try make(.call(target: nil, function: fn, args: args, nameSpan: nameSpan), span, children: args)
    }

    mutating func enter(_ span: CELSpan) throws(CELError) {
        depth += 1
        if depth > limits.maxNesting {
            throw CELError(.tooComplex, "The expression is nested more than \(limits.maxNesting) levels deep.", span: span)
        }
    }

    // MARK: grammar

    mutating func parseExpr() throws(CELError) -> CELExpr {
        try enter(peek.span)
        defer { depth -= 1 }
        let cond = try parseOr()
        if peek.kind == .question {
            let q = advance()
            let a = try parseOr()
            _ = try expect(.colon, "':' (the ternary needs 'condition ? yes : no')")
            let b = try parseExpr()
            return try call("_?_:_", [cond, a, b], span: cond.span.union(b.span), nameSpan: q.span)
        }
        return cond
    }

    /// Builds a balanced tree for long `&&`/`||` chains so evaluation depth stays logarithmic.
    mutating func balanced(_ fn: String, _ ops: [CELExpr], _ opSpans: [CELSpan], _ lo: Int, _ hi: Int) throws(CELError) -> CELExpr {
        if lo == hi { return ops[lo] }
        let mid = (lo + hi + 1) / 2
        let l = try balanced(fn, ops, opSpans, lo, mid - 1)
        let r = try balanced(fn, ops, opSpans, mid, hi)
        return try call(fn, [l, r], span: l.span.union(r.span), nameSpan: opSpans[mid - 1])
    }

    mutating func parseOr() throws(CELError) -> CELExpr {
        var ops = [try parseAnd()]
        var spans: [CELSpan] = []
        while peek.kind == .or {
            spans.append(advance().span)
            ops.append(try parseAnd())
        }
        return try balanced("_||_", ops, spans, 0, ops.count - 1)
    }

    mutating func parseAnd() throws(CELError) -> CELExpr {
        var ops = [try parseRelation()]
        var spans: [CELSpan] = []
        while peek.kind == .and {
            spans.append(advance().span)
            ops.append(try parseRelation())
        }
        return try balanced("_&&_", ops, spans, 0, ops.count - 1)
    }

    mutating func parseRelation() throws(CELError) -> CELExpr {
        var lhs = try parseCalc()
        while true {
            let fn: String
            switch peek.kind {
            case .lt: fn = "_<_"
            case .le: fn = "_<=_"
            case .gt: fn = "_>_"
            case .ge: fn = "_>=_"
            case .eq: fn = "_==_"
            case .ne: fn = "_!=_"
            case .kwIn: fn = "@in"
            default: return lhs
            }
            let op = advance()
            let rhs = try parseCalc()
            lhs = try call(fn, [lhs, rhs], span: lhs.span.union(rhs.span), nameSpan: op.span)
        }
    }

    mutating func parseCalc() throws(CELError) -> CELExpr {
        var lhs = try parseMul()
        while peek.kind == .plus || peek.kind == .minus {
            let op = advance()
            let rhs = try parseMul()
            lhs = try call(op.kind == .plus ? "_+_" : "_-_", [lhs, rhs], span: lhs.span.union(rhs.span), nameSpan: op.span)
        }
        return lhs
    }

    mutating func parseMul() throws(CELError) -> CELExpr {
        var lhs = try parseUnary()
        while true {
            let fn: String
            switch peek.kind {
            case .star: fn = "_*_"
            case .slash: fn = "_/_"
            case .percent: fn = "_%_"
            default: return lhs
            }
            let op = advance()
            let rhs = try parseUnary()
            lhs = try call(fn, [lhs, rhs], span: lhs.span.union(rhs.span), nameSpan: op.span)
        }
    }

    mutating func parseUnary() throws(CELError) -> CELExpr {
        if peek.kind == .bang {
            let first = peek.span
            var n = 0
            while peek.kind == .bang { _ = advance(); n += 1 }
            let m = try parseMember()
            if n % 2 == 0 { return m }
            return try call("!_", [m], span: first.union(m.span), nameSpan: first)
        }
        if peek.kind == .minus {
            let first = peek.span
            var n = 0
            var lastMinus = first
            while peek.kind == .minus { lastMinus = advance().span; n += 1 }
            if n % 2 == 0 { return try parseMember() }
            // A single sign directly before a number literal is part of the literal (so that
            // -9223372036854775808 is representable).
            switch peek.kind {
            case .int, .double:
                let m = try parseMember(negate: lastMinus)
                if n == 1 { return m }
                return m
            default:
                let m = try parseMember()
                return try call("-_", [m], span: first.union(m.span), nameSpan: first)
            }
        }
        return try parseMember()
    }

    mutating func parseMember(negate: CELSpan? = nil) throws(CELError) -> CELExpr {
        var e = try parsePrimary(negate: negate)
        while true {
            switch peek.kind {
            case .dot:
                _ = advance()
                let nameTok = advance()
                let name: String
                switch nameTok.kind {
                case .ident(let s): name = s
                case .quotedIdent(let s): name = s
                case .kwIn: name = "in"
                case .kwTrue: name = "true"
                case .kwFalse: name = "false"
                case .kwNull: name = "null"
                default:
                    throw CELError(.syntax, "Expected a field or function name after '.', but found \(describe(nameTok)).", span: nameTok.span)
                }
                if peek.kind == .lParen, case .ident = nameTok.kind {
                    let open = advance()
                    try enter(open.span)
                    let args = try parseArgs(close: .rParen, opened: open.span)
                    depth -= 1
                    let close = advance()
                    e = try receiverCallOrMacro(target: e, name: name, nameSpan: nameTok.span, args: args,
                                                span: e.span.union(close.span))
                } else {
                    e = try make(.select(operand: e, field: name, fieldSpan: nameTok.span, testOnly: false),
                                 e.span.union(nameTok.span), children: [e])
                }
            case .lBracket:
                let open = advance()
                try enter(open.span)
                let idx = try parseExpr()
                depth -= 1
                let close = try expect(.rBracket, "']'", opened: open.span)
                e = try call("_[_]", [e, idx], span: e.span.union(close.span), nameSpan: open.span.union(close.span))
            case .lBrace:
                if case .ident = e.kind {
                    throw CELError(.syntax, "Creating records with 'Name{...}' is not supported in expressions.", span: peek.span)
                }
                return e
            default:
                return e
            }
        }
    }

    mutating func parseArgs(close: TokenKind, opened: CELSpan) throws(CELError) -> [CELExpr] {
        var args: [CELExpr] = []
        if peek.kind == close { return args }
        while true {
            args.append(try parseExpr())
            if peek.kind == .comma {
                _ = advance()
                if peek.kind == close { break } // trailing comma
                continue
            }
            break
        }
        if peek.kind != close {
            throw CELError(.syntax, "Expected ',' or '\(symbol(close))' but found \(describe(peek)).", span: peek.span,
                           notes: ["the list started at byte \(opened.start)"])
        }
        return args
    }

    mutating func parsePrimary(negate: CELSpan?) throws(CELError) -> CELExpr {
        let t = peek
        if let negate {
            _ = advance()
            let span = negate.union(t.span)
            switch t.kind {
            case .int(let text):
                guard let v = CELParser.parseInt(text, negative: true) else {
                    throw CELError(.numberOutOfRange, "The number -\(text) is too small for an integer.", span: span)
                }
                return try make(.literal(.int(v)), span)
            case .double(let text):
                guard let v = Double(text) else { throw CELError(.syntax, "Invalid number -\(text).", span: span) }
                return try make(.literal(.double(-v)), span)
            default:
                throw CELError(.syntax, "Expected a number.", span: span)
            }
        }
        switch t.kind {
        case .int(let text):
            _ = advance()
            guard let v = CELParser.parseInt(text, negative: false) else {
                throw CELError(.numberOutOfRange, "The number \(text) is too large for an integer; add a 'u' suffix for unsigned numbers.", span: t.span)
            }
            return try make(.literal(.int(v)), t.span)
        case .uint(let text):
            _ = advance()
            let v: UInt64? = text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            guard let v else {
                throw CELError(.numberOutOfRange, "The number \(text)u is too large.", span: t.span)
            }
            return try make(.literal(.uint(v)), t.span)
        case .double(let text):
            _ = advance()
            guard let v = Double(text) else { throw CELError(.syntax, "Invalid number \(text).", span: t.span) }
            return try make(.literal(.double(v)), t.span)
        case .string(let s):
            _ = advance()
            return try make(.literal(.string(s)), t.span)
        case .bytes(let b):
            _ = advance()
            return try make(.literal(.bytes(b)), t.span)
        case .kwTrue: _ = advance(); return try make(.literal(.bool(true)), t.span)
        case .kwFalse: _ = advance(); return try make(.literal(.bool(false)), t.span)
        case .kwNull: _ = advance(); return try make(.literal(.null), t.span)
        case .lParen:
            _ = advance()
            let e = try parseExpr()
            _ = try expect(.rParen, "')'", opened: t.span)
            return e
        case .lBracket:
            _ = advance()
            try enter(t.span)
            let items = try parseArgs(close: .rBracket, opened: t.span)
            depth -= 1
            let close = advance()
            return try make(.list(items), t.span.union(close.span), children: items)
        case .lBrace:
            _ = advance()
            try enter(t.span)
            var entries: [(key: CELExpr, value: CELExpr)] = []
            var kids: [CELExpr] = []
            while peek.kind != .rBrace {
                let k = try parseExpr()
                _ = try expect(.colon, "':' between a map key and its value")
                let v = try parseExpr()
                entries.append((k, v))
                kids.append(k); kids.append(v)
                if peek.kind == .comma { _ = advance(); continue }
                break
            }
            depth -= 1
            let close = try expect(.rBrace, "',' or '}'", opened: t.span)
            return try make(.map(entries), t.span.union(close.span), children: kids)
        case .dot, .ident:
            var absolute = false
            var start = t.span
            if t.kind == .dot {
                _ = advance()
                absolute = true
                start = t.span
            }
            let nameTok = advance()
            guard case .ident(let name) = nameTok.kind else {
                throw CELError(.syntax, "Expected a name but found \(describe(nameTok)).", span: nameTok.span)
            }
            if Lexer.reserved.contains(name) {
                throw CELError(.syntax, "'\(name)' is a reserved word and cannot be used as a name.", span: nameTok.span)
            }
            if peek.kind == .lParen {
                let open = advance()
                try enter(open.span)
                let args = try parseArgs(close: .rParen, opened: open.span)
                depth -= 1
                let close = advance()
                let fn = absolute ? "." + name : name
                return try globalCallOrMacro(name: fn, nameSpan: start.union(nameTok.span), args: args,
                                             span: start.union(close.span))
            }
            return try make(.ident(name: name, absolute: absolute), start.union(nameTok.span))
        case .eof:
            throw CELError(.syntax, "The expression ends too early; a value is missing.", span: t.span)
        default:
            throw CELError(.syntax, "Unexpected \(describe(t)); expected a value.", span: t.span)
        }
    }

    static func parseInt(_ text: String, negative: Bool) -> Int64? {
        let isHex = text.hasPrefix("0x") || text.hasPrefix("0X")
        let digits = isHex ? String(text.dropFirst(2)) : text
        guard let mag = UInt64(digits, radix: isHex ? 16 : 10) else { return nil }
        if negative {
            if mag == UInt64(Int64.max) + 1 { return Int64.min }
            guard mag <= UInt64(Int64.max) else { return nil }
            return -Int64(mag)
        }
        guard mag <= UInt64(Int64.max) else { return nil }
        return Int64(mag)
    }

    // MARK: macros

    mutating func globalCallOrMacro(name: String, nameSpan: CELSpan, args: [CELExpr], span: CELSpan) throws(CELError) -> CELExpr {
        if name == "has" {
            guard args.count == 1 else {
                throw CELError(.badMacro, "has() takes exactly one field selection, like has(request.reason).", span: span)
            }
            guard case .select(let operand, let field, let fspan, _) = args[0].kind else {
                throw CELError(.badMacro, "has() needs a field selection like has(request.reason).", span: args[0].span)
            }
            return try make(.select(operand: operand, field: field, fieldSpan: fspan, testOnly: true), span, children: [operand])
        }
        return try make(.call(target: nil, function: name, args: args, nameSpan: nameSpan), span, children: args)
    }

    mutating func receiverCallOrMacro(target: CELExpr, name: String, nameSpan: CELSpan, args: [CELExpr], span: CELSpan) throws(CELError) -> CELExpr {
        let kind: CELMacroKind?
        var twoVar = false
        var hasFilter = false
        switch (name, args.count) {
        case ("all", 2): kind = .all
        case ("all", 3): kind = .all; twoVar = true
        case ("exists", 2): kind = .exists
        case ("exists", 3): kind = .exists; twoVar = true
        case ("exists_one", 2), ("existsOne", 2): kind = .existsOne
        case ("exists_one", 3), ("existsOne", 3): kind = .existsOne; twoVar = true
        case ("map", 2): kind = .map
        case ("map", 3): kind = .map; hasFilter = true
        case ("filter", 2): kind = .filter
        case ("transformList", 3): kind = .transformList; twoVar = true
        case ("transformList", 4): kind = .transformList; twoVar = true; hasFilter = true
        case ("transformMap", 3): kind = .transformMap; twoVar = true
        case ("transformMap", 4): kind = .transformMap; twoVar = true; hasFilter = true
        default: kind = nil
        }
        guard let kind else {
            return try make(.call(target: target, function: name, args: args, nameSpan: nameSpan), span, children: [target] + args)
        }
        func varName(_ e: CELExpr) throws(CELError) -> String {
            guard case .ident(let n, false) = e.kind else {
                throw CELError(.badMacro, "The first argument of \(name)() must be a simple variable name, like \(name)(x, ...).", span: e.span)
            }
            return n
        }
        let v1 = try varName(args[0])
        let v2: String? = twoVar ? try varName(args[1]) : nil
        var rest = Array(args.dropFirst(twoVar ? 2 : 1))
        let body = rest.removeLast()
        let filter = hasFilter ? rest.first : nil
        if let v2, v2 == v1 {
            throw CELError(.badMacro, "The two variables of \(name)() must have different names.", span: args[1].span)
        }
        let comp = CELComprehension(macro: kind, range: target, iterVar: v1, iterVarSpan: args[0].span,
                                    iterVar2: v2, filter: filter, body: body)
        return try make(.comprehension(comp), span, children: [target, body] + (filter.map { [$0] } ?? []))
    }
}

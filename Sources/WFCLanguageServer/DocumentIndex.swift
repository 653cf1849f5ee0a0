import WFCCompiler
import WFCDiagnostics

/// What a name in a workflow refers to.
enum SymbolKind: String, Sendable {
    case state, role, field, fragment, importPath = "import", duration
}

/// One place a name is written in the workflow's own file: its definition or a use.
struct Occurrence {
    var kind: SymbolKind
    var name: String
    var span: SourceSpan
    var isDefinition: Bool
    var duration: DurationSyntax? = nil
}

/// Every name the editor features need, collected from the compiler's syntax tree. Only
/// spans in the document's own file are kept (a state built from a fragment points into the
/// fragment's file).
struct DocumentIndex {
    let path: SourcePath
    var occurrences: [Occurrence] = []
    var states: [String: StateSyntax] = [:]
    /// The states in file order, with their nesting (regions), for document symbols.
    var topStates: [StateSyntax] = []
    var roles: [String: RoleSyntax] = [:]
    var roleOrder: [String] = []
    var fields: [String: FieldSyntax] = [:]
    var fieldOrder: [String] = []
    /// Each role's separation partners: the roles that must be filled by other people.
    var separatedFrom: [String: [String]] = [:]
    var events: [String] = []
    var calendar: String?
    var stateOrder: [String] = []

    /// The main file's bytes, for mapping expressions.
    let sourceBytes: [UInt8]?

    init(syntax: WorkflowSyntax, file: SourceFile) {
        path = SourcePath(syntax.file)
        sourceBytes = file.bytes
        calendar = syntax.calendar?.value
        for r in syntax.roles {
            roles[r.name.value] = r
            roleOrder.append(r.name.value)
            add(.role, r.name, definition: true)
        }
        for s in syntax.separations {
            for r in s.roles {
                add(.role, r)
                var partners = separatedFrom[r.value] ?? []
                for other in s.roles.map(\.value) where other != r.value && !partners.contains(other) { partners.append(other) }
                separatedFrom[r.value] = partners
            }
        }
        for f in syntax.fields {
            fields[f.name.value] = f
            fieldOrder.append(f.name.value)
            add(.field, f.name, definition: true)
        }
        for g in syntax.guarantees {
            switch g {
            case .checklist(let f, _): add(.field, f)
            case .signoff(let rs, _, _): rs.forEach { add(.role, $0) }
            }
        }
        for i in syntax.imports { add(.importPath, i) }
        if let s = syntax.start { add(.state, s) }
        topStates = syntax.states
        syntax.states.forEach { visit($0) }
        occurrences.sort { $0.span.start < $1.span.start }
    }

    private mutating func add(_ kind: SymbolKind, _ name: Spanned<String>, definition: Bool = false) {
        guard name.span.path == path else { return }
        occurrences.append(Occurrence(kind: kind, name: name.value, span: name.span, isDefinition: definition))
    }

    private mutating func visit(_ s: StateSyntax) {
        if states[s.name.value] == nil { stateOrder.append(s.name.value) }
        states[s.name.value] = s
        add(.state, s.name, definition: true)
        if let f = s.fragment { add(.fragment, f) }
        for t in s.transitions {
            if !events.contains(t.event) { events.append(t.event) }
            t.by.forEach { add(.role, $0) }
            if let to = t.to { add(.state, to) }
            t.fills.forEach { add(.field, $0) }
            t.set.forEach { add(.field, $0.field) }
            requirements(t.requires)
            expression(t.when)
            t.set.forEach { expression($0.value) }
        }
        requirements(s.requires)
        s.fills.forEach { add(.field, $0) }
        if let then = s.then { add(.state, then) }
        if let m = s.maxRounds {
            if let t = m.then { add(.state, t) }
            m.escalate.forEach { add(.role, $0) }
        }
        if let due = s.due {
            if let w = due.within { duration(w) }
            due.escalate.forEach { add(.role, $0) }
            if let to = due.to { add(.state, to) }
            expression(due.by)
        }
        switch s.kind {
        case .task, .final: break
        case .choice(let arms, let otherwise):
            for a in arms {
                add(.state, a.to)
                expression(a.when)
            }
            if let o = otherwise { add(.state, o) }
        case .signoff(let so):
            (so.all + so.of + (so.add?.by ?? [])).forEach { add(.role, $0) }
            for c in so.conditional {
                add(.role, c.role)
                expression(c.when)
            }
        case .parallel(let regions):
            regions.forEach { region($0) }
        case .foreach(let fe):
            expression(fe.list)
            region(fe.body)
        case .wait(let w):
            expression(w.until)
            if let d = w.duration { duration(d) }
        }
    }

    private mutating func region(_ r: RegionSyntax) {
        if let start = r.start { add(.state, start) }
        r.states.forEach { visit($0) }
    }

    private mutating func requirements(_ rs: [RequirementSyntax]) {
        for r in rs {
            switch r {
            case .expression(let e, _, _): expression(e)
            case .allDone(let f, _, _): add(.field, f)
            }
        }
    }

    private mutating func duration(_ d: Spanned<DurationSyntax>) {
        guard d.span.path == path else { return }
        occurrences.append(Occurrence(kind: .duration, name: "", span: d.span, isDefinition: false, duration: d.value))
    }

    /// Records `case.FIELD` inside an expression when the expression's text appears verbatim
    /// in the file (plain or quoted without escapes), so that offsets map back exactly.
    private mutating func expression(_ e: ExprSyntax?) {
        guard let e, e.verbatim, e.span.path == path, let file = sourceBytes else { return }
        let raw = file[min(e.span.start, file.count)..<min(e.span.end, file.count)]
        let text = Array(e.source.utf8)
        guard !text.isEmpty, let at = firstIndex(of: text, in: Array(raw)) else { return }
        let base = e.span.start + at
        var i = 0
        let prefix = Array("case.".utf8)
        while i + prefix.count < text.count {
            if Array(text[i..<i + prefix.count]) == prefix && (i == 0 || !isIdentifierByte(text[i - 1]) && text[i - 1] != 0x2E) {
                var j = i + prefix.count
                while j < text.count && isIdentifierByte(text[j]) { j += 1 }
                if j > i + prefix.count {
                    let name = String(decoding: text[(i + prefix.count)..<j], as: UTF8.self)
                    occurrences.append(Occurrence(kind: .field, name: name, span: SourceSpan(path: path, start: base + i + prefix.count, end: base + j), isDefinition: false))
                }
                i = j
            } else {
                i += 1
            }
        }
    }

    /// The occurrence whose span holds `offset` (its end included, so a cursor just after a
    /// name finds it).
    func occurrence(at offset: Int) -> Occurrence? {
        occurrences.last { $0.span.start <= offset && offset <= $0.span.end && $0.span.end > $0.span.start }
    }

    /// The definition of a state, role or field, in this file.
    func definition(_ kind: SymbolKind, _ name: String) -> Occurrence? {
        occurrences.first { $0.kind == kind && $0.name == name && $0.isDefinition }
    }

    func all(_ kind: SymbolKind, _ name: String) -> [Occurrence] {
        occurrences.filter { $0.kind == kind && $0.name == name }
    }
}

func isIdentifierByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
}

func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
    guard needle.count <= hay.count else { return nil }
    var i = 0
    while i + needle.count <= hay.count {
        if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        i += 1
    }
    return nil
}

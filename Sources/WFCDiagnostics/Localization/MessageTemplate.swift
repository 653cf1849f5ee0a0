/// A catalog text with named placeholders: `duplicate key "{key}" in this mapping`. A
/// placeholder is `{` + an identifier + `}`; any other brace is literal text.
public struct MessageTemplate: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    let pieces: [Piece]

    public init(_ source: String) {
        var pieces: [Piece] = []
        var literal = ""
        var i = source.startIndex
        while i < source.endIndex {
            if source[i] == "{", let close = source[source.index(after: i)...].firstIndex(of: "}") {
                let name = source[source.index(after: i)..<close]
                if let first = name.first, first.isLetter || first == "_",
                   name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                    if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                    pieces.append(.placeholder(String(name)))
                    i = source.index(after: close)
                    continue
                }
            }
            literal.append(source[i])
            i = source.index(after: i)
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        self.pieces = pieces
    }

    /// The placeholder names, in order.
    public var placeholders: [String] {
        pieces.compactMap { if case .placeholder(let n) = $0 { n } else { nil } }
    }

    /// How much fixed text the template has: the more, the more specific a match is.
    var literalLength: Int {
        pieces.reduce(0) { if case .text(let t) = $1 { $0 + t.utf8.count } else { $0 } }
    }

    /// True when two placeholders follow each other with no text between: such a template
    /// cannot be matched unambiguously.
    public var isAmbiguous: Bool {
        zip(pieces, pieces.dropFirst()).contains { a, b in
            if case .placeholder = a, case .placeholder = b { true } else { false }
        }
    }

    /// Fills the placeholders; a missing argument leaves the placeholder as written.
    public func render(_ arguments: [String: String]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let t): t
            case .placeholder(let n): arguments[n] ?? "{\(n)}"
            }
        }.joined()
    }

    /// The arguments that make this template render exactly `text`, or nil. Each placeholder
    /// takes the shortest text that lets the rest match; a placeholder used twice must
    /// take the same text both times.
    public func match(_ text: String) -> [String: String]? {
        var arguments: [String: String] = [:]
        return match(Array(text.utf8)[...], pieces[...], &arguments) ? arguments : nil
    }

    private func match(_ text: ArraySlice<UInt8>, _ rest: ArraySlice<Piece>, _ arguments: inout [String: String]) -> Bool {
        guard let piece = rest.first else { return text.isEmpty }
        switch piece {
        case .text(let t):
            let bytes = Array(t.utf8)
            guard text.starts(with: bytes) else { return false }
            return match(text.dropFirst(bytes.count), rest.dropFirst(), &arguments)
        case .placeholder(let name):
            if let bound = arguments[name] {
                let bytes = Array(bound.utf8)
                guard text.starts(with: bytes) else { return false }
                return match(text.dropFirst(bytes.count), rest.dropFirst(), &arguments)
            }
            // The next literal bounds the placeholder; without one it takes everything.
            guard rest.count > 1, case .text(let next) = rest[rest.startIndex + 1] else {
                if rest.count > 1 { return false }
                arguments[name] = String(decoding: text, as: UTF8.self)
                return true
            }
            let nextBytes = Array(next.utf8)
            var end = text.startIndex
            while end <= text.endIndex - nextBytes.count {
                // Literals start on a character boundary (UTF-8 is self-synchronising), so the
                // bytes before one are whole characters.
                if text[end...].starts(with: nextBytes) {
                    var attempt = arguments
                    attempt[name] = String(decoding: text[text.startIndex..<end], as: UTF8.self)
                    if match(text[end...], rest.dropFirst(), &attempt) {
                        arguments = attempt
                        return true
                    }
                }
                end += 1
            }
            return false
        }
    }
}

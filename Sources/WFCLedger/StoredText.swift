/// What a person id, role, event name or idempotency key may be, and how stored text is shown.
///
/// Such text is written to the audit log and printed in tables (`wfc case history`), so a
/// newline would forge a row and an escape sequence would reach the terminal. The rule, checked
/// once at every entry point (the ledger's `start` and `fire`, the case file's `people:`):
/// 1 to ``maxLength`` characters, no control characters, no format characters (Unicode bidi
/// controls, zero-width characters), no line or paragraph separators, no private-use or
/// unassigned code points, and no space at either end.
public enum StoredText {
    /// The most Unicode scalars such text may have.
    public static let maxLength = 200

    /// Why `text` is not acceptable as `what` (e.g. "a person id"), nil when it is.
    public static func problem(_ text: String, what: String) -> String? {
        if text.isEmpty { return "\(what) must not be empty" }
        // Printable ASCII without a space at either end (most ids, keys and event names) is
        // acceptable without a Unicode property lookup per character; anything else is
        // judged, and described, below.
        var utf8 = text
        if utf8.withUTF8({ u in u.count <= maxLength && u.first != 0x20 && u.last != 0x20 && u.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) {
            return nil
        }
        let count = text.unicodeScalars.count
        if count > maxLength { return "\(what) has \(count) characters; at most \(maxLength) are allowed" }
        if let bad = text.unicodeScalars.first(where: isUnsafe) {
            return "\(what) contains \(describe(bad)), which is not printable text: `\(escaped(text))`"
        }
        if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
           first.properties.isWhitespace || last.properties.isWhitespace {
            return "\(what) must not begin or end with a space: `\(text)`"
        }
        return nil
    }

    /// Throws ``StoreError/unsafeText(_:)`` when `text` breaks the rule.
    public static func check(_ text: String, what: String) throws(StoreError) {
        if let p = problem(text, what: what) { throw .unsafeText(p) }
    }

    /// `text` safe to print: every character the rule refuses is shown as `\u{…}`. For text
    /// from the store, which may predate the rule or have been edited.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            if isUnsafe(u) { out += "\\u{\(String(u.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Control, format (bidi, zero-width), separator, private-use and unassigned code points.
    static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: true
        default: false
        }
    }

    static func describe(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

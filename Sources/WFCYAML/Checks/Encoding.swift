import WFCDiagnostics

/// Checks the raw bytes before libyaml sees them: UTF-16/32 input and invalid UTF-8, each
/// reported at the byte where it starts.
enum EncodingCheck {
    static func check(_ file: SourceFile) -> Diagnostic? {
        var unicodeLineBreaks = false
        return check(file, unicodeLineBreaks: &unicodeLineBreaks)
    }

    /// Checks `file`; `unicodeLineBreaks` is set to whether the file contains NEL, LS or PS
    /// (found by the same pass, for ``PositionCursor``).
    static func check(_ file: SourceFile, unicodeLineBreaks: inout Bool) -> Diagnostic? {
        let b = file.bytes
        if b.count >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))
            || (b.count >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
        {
            return Diagnostic(UnsupportedEncoding(), at: SourceSpan(file: file.path, start: 0, end: 2), label: "byte order mark of UTF-16 or UTF-32")
        }
        if file.isASCII {
            unicodeLineBreaks = false
            return nil
        }
        let scan = scan(b)
        unicodeLineBreaks = scan.unicodeLineBreaks
        if let bad = scan.invalid {
            let shown = b[bad.offset..<min(bad.offset + bad.length, b.count)].map { "0x" + hex($0) }.joined(separator: " ")
            return Diagnostic(
                InvalidUTF8(bytes: shown), at: SourceSpan(file: file.path, start: bad.offset, end: bad.offset + bad.length),
                label: "not valid UTF-8")
        }
        return nil
    }

    /// The first malformed sequence: its offset and how many bytes belong to it.
    static func firstInvalidUTF8(_ b: [UInt8]) -> (offset: Int, length: Int)? {
        scan(b).invalid
    }

    /// One pass over the bytes: the first malformed sequence, and whether a NEL (U+0085),
    /// LS (U+2028) or PS (U+2029) occurs before it. Runs of ASCII are skipped eight bytes at
    /// a time.
    static func scan(_ bytes: [UInt8]) -> (invalid: (offset: Int, length: Int)?, unicodeLineBreaks: Bool) {
        bytes.withUnsafeBufferPointer { b in
            var breaks = false
            var i = 0
            let n = b.count
            while i < n {
                // Sixteen or eight ASCII bytes at once (the loads are in bounds).
                if let base = b.baseAddress {
                    if i + 16 <= n {
                        let p = UnsafeRawPointer(base + i)
                        if (p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & 0x8080_8080_8080_8080 == 0 {
                            i += 16
                            continue
                        }
                    }
                    if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                        i += 8
                        continue
                    }
                }
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let need: Int
                var lo: UInt8 = 0x80
                var hi: UInt8 = 0xBF
                switch c {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lo = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; hi = 0x9F
                case 0xF0: need = 3; lo = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; hi = 0x8F
                default: return ((i, 1), breaks)
                }
                for k in 1...need {
                    guard i + k < n else { return ((i, k), breaks) }
                    let cc = b[i + k]
                    let l: UInt8 = k == 1 ? lo : 0x80
                    let h: UInt8 = k == 1 ? hi : 0xBF
                    if cc < l || cc > h { return ((i, k), breaks) }
                }
                // The sequence is valid: NEL is C2 85; LS and PS are E2 80 A8 and E2 80 A9.
                if (c == 0xC2 && b[i + 1] == 0x85) || (c == 0xE2 && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9)) {
                    breaks = true
                }
                i += need + 1
            }
            return (nil, breaks)
        }
    }

    private static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }
}

struct InvalidUTF8: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1002", name: "invalid-utf8", summary: "The file is not valid UTF-8.",
        explanation: """
            Workflow files must be UTF-8. wfc reports the first byte that does not belong to a \
            valid UTF-8 sequence. This usually means the file was saved in a legacy encoding such \
            as GBK or GB18030; re-save it as UTF-8 in your editor.
            """,
        example: "title: \\xB9\\xA4\\xD7\\xF7   # 工作 saved as GBK\n",
        fix: "title: 工作   # saved as UTF-8\n")
    var bytes: String
    var message: String { "invalid UTF-8 byte sequence \(bytes)" }
    var help: String? { "save the file as UTF-8 (it may be GBK or GB18030)" }
}

struct UnsupportedEncoding: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC1012", name: "unsupported-encoding", summary: "The file is UTF-16 or UTF-32.",
        explanation: """
            libyaml can read UTF-16, but wfc requires UTF-8 so that byte offsets, SARIF output \
            and editor integrations agree. Re-save the file as UTF-8.
            """,
        example: "(a file saved as UTF-16 LE, starting with the bytes FF FE)\n",
        fix: "(the same file saved as UTF-8)\n")
    var message: String { "the file is encoded as UTF-16 or UTF-32; wfc reads UTF-8 only" }
    var help: String? { "save the file as UTF-8" }
}

/// Terminal cell widths, so that carets land under the right characters.
public enum TerminalWidth {
    /// Tabs in source lines are shown as this many spaces.
    public static let tabWidth = 4

    /// Cells one scalar takes: 2 for East Asian Wide and Fullwidth, 0 for combining marks
    /// and other zero-width scalars, 1 otherwise.
    public static func cells(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        if contains(zeroWidthRanges, v) { return 0 }
        if contains(wideRanges, v) { return 2 }
        return 1
    }

    /// Cells a whole string takes, with tabs expanded to ``tabWidth``.
    public static func cells<S: StringProtocol>(_ text: S) -> Int {
        var n = 0
        for s in text.unicodeScalars {
            n += s == "\t" ? tabWidth : cells(s)
        }
        return n
    }

    /// The line as displayed: tabs become spaces, control characters become `�`-free blanks.
    static func displayed(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for s in text.unicodeScalars {
            if s == "\t" {
                out += String(repeating: " ", count: tabWidth)
            } else if s.value < 0x20 || s.value == 0x7F {
                out.unicodeScalars.append(" ")
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// Display width of a control character is 1 here because ``displayed(_:)`` turns it into a blank.
    static func displayCells(_ scalar: Unicode.Scalar) -> Int {
        if scalar == "\t" { return tabWidth }
        if scalar.value < 0x20 || scalar.value == 0x7F { return 1 }
        return cells(scalar)
    }

    private static func contains(_ table: [(UInt32, UInt32)], _ v: UInt32) -> Bool {
        var lo = 0
        var hi = table.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < table[mid].0 {
                hi = mid - 1
            } else if v > table[mid].1 {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}

#!/usr/bin/env python3
"""Prints WidthTables.swift from the wcwidth package's Unicode tables (pip install wcwidth)."""
import wcwidth.table_wide as tw, wcwidth.table_zero as tz

VERSION = "17.0.0"

def fmt(name, rng):
    lines, row = [], []
    for a, b in rng:
        row.append(f"(0x{a:05X}, 0x{b:05X})")
        if len(row) == 4:
            lines.append("    " + ", ".join(row) + ","); row = []
    if row:
        lines.append("    " + ", ".join(row) + ",")
    return f"let {name}: [(UInt32, UInt32)] = [\n" + "\n".join(lines) + "\n]\n"

print("""// Generated from the Python package wcwidth 0.7.0 (Unicode 17.0.0 tables):
//   python3 Scripts/gen-width-tables.py > Sources/WFCDiagnostics/Rendering/WidthTables.swift
// East Asian Wide/Fullwidth scalars take two terminal cells; zero-width ones
// (combining marks, joiners, variation selectors) take none.
""")
print(fmt("wideRanges", tw.WIDE_EASTASIAN[VERSION]))
print(fmt("zeroWidthRanges", tz.ZERO_WIDTH[VERSION]), end="")

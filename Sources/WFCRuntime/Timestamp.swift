import Foundation
import WFCIR

/// An instant with one-second resolution, stored in snapshots as RFC 3339 UTC text
/// (`2025-01-03T09:30:00Z`) so that snapshot JSON is deterministic and readable.
public struct Timestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// The instant `date`, rounded down to the second.
    public init(_ date: Date) {
        let t = date.timeIntervalSince1970
        self.seconds = t.isFinite ? Int64(max(min(t.rounded(.down), 253_402_300_799), -62_135_596_800)) : 0
    }

    /// The instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    /// RFC 3339 in UTC, e.g. `2025-01-03T09:30:00Z`.
    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rem = Int(seconds - days * 86_400)
        let d = CalendarDate(daysSinceEpoch: Int(days))
        // Written as 20 ASCII bytes: steps format times into their trace, and interpolation
        // with padding was a noticeable part of a step's cost.
        return String(unsafeUninitializedCapacity: 20) { buf in
            func put(_ n: Int, _ width: Int, at i: Int) {
                var n = n
                for k in stride(from: i + width - 1, through: i, by: -1) {
                    buf[k] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
            }
            put(d?.year ?? 1, 4, at: 0)
            buf[4] = UInt8(ascii: "-")
            put(d?.month ?? 1, 2, at: 5)
            buf[7] = UInt8(ascii: "-")
            put(d?.day ?? 1, 2, at: 8)
            buf[10] = UInt8(ascii: "T")
            put(rem / 3600, 2, at: 11)
            buf[13] = UInt8(ascii: ":")
            put(rem / 60 % 60, 2, at: 14)
            buf[16] = UInt8(ascii: ":")
            put(rem % 60, 2, at: 17)
            buf[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses the form written by ``description`` (UTC, `Z`, no fractional seconds).
    public init?(rfc3339 text: String) {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let d = CalendarDate(parsing: String(parts[0])), parts[1].hasSuffix("Z") else { return nil }
        let hms = parts[1].dropLast().split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 }), let h = Int(hms[0]), let m = Int(hms[1]), let s = Int(hms[2]),
              (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        self.seconds = Int64(d.daysSinceEpoch) * 86_400 + Int64(h * 3600 + m * 60 + s)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an RFC 3339 UTC time: \(text)")
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

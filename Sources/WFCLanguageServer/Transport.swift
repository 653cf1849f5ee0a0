import Foundation

/// Where the server reads and writes bytes: standard input and output for `wfc lsp`, pipes
/// or memory in tests. The server never touches a file handle itself.
public protocol LSPTransport: AnyObject {
    /// Up to `max` bytes (at least one); empty at end of input.
    func read(max: Int) -> [UInt8]
    /// Writes one whole framed message.
    func write(_ bytes: [UInt8])
}

/// A transport over two file handles (`wfc lsp`: standard input and output).
public final class FileHandleTransport: LSPTransport {
    let input: FileHandle
    let output: FileHandle

    public init(input: FileHandle, output: FileHandle) {
        self.input = input
        self.output = output
    }

    public func read(max: Int) -> [UInt8] {
        // `availableData` returns what is there (blocking until something is), empty at EOF.
        let data = input.availableData
        return [UInt8](data)
    }

    public func write(_ bytes: [UInt8]) {
        // A client that has gone away is not an error worth more than silence: the next read
        // sees the end of input and the server stops.
        try? output.write(contentsOf: Data(bytes))
    }
}

/// What reading one frame produced.
enum Frame {
    case message([UInt8])
    /// A frame that cannot be read (bad header, body too large); the reader has skipped it.
    case invalid(String)
    case endOfInput
}

/// Reads `Content-Length:`-framed messages (the LSP base protocol) from a transport.
struct FrameReader {
    let transport: LSPTransport
    /// The largest body accepted; a larger one is skipped and refused.
    let maxBody: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false

    init(transport: LSPTransport, maxBody: Int) {
        self.transport = transport
        self.maxBody = maxBody
    }

    /// Makes at least one more byte available; false at end of input.
    private mutating func fill() -> Bool {
        if ended { return false }
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        let more = transport.read(max: 65536)
        if more.isEmpty {
            ended = true
            return false
        }
        buffer += more
        return true
    }

    /// One header line without its CRLF; nil at end of input. Lines longer than 8 KiB are
    /// cut (no header is that long) so a stream without line breaks cannot fill memory.
    private mutating func line() -> String?? {
        var bytes: [UInt8] = []
        while true {
            if position == buffer.count && !fill() { return bytes.isEmpty ? .none : .some(nil) }
            let b = buffer[position]
            position += 1
            if b == 0x0A {
                if bytes.last == 0x0D { bytes.removeLast() }
                return .some(String(decoding: bytes, as: UTF8.self))
            }
            if bytes.count < 8192 { bytes.append(b) }
        }
    }

    /// True when bytes already read wait to be parsed (more of a burst of messages).
    var hasBufferedInput: Bool { position < buffer.count }

    mutating func next() -> Frame {
        var length: Int?
        var sawHeader = false
        var problem: String?
        while true {
            guard let l = line() else { return .endOfInput }
            guard let text = l else { return sawHeader ? .invalid("input ended inside a header") : .endOfInput }
            if text.isEmpty {
                // A blank line before any header: stray line breaks between messages.
                if !sawHeader { continue }
                break
            }
            sawHeader = true
            guard let colon = text.firstIndex(of: ":") else {
                problem = problem ?? "a header line without a colon: \(text.prefix(80))"
                continue
            }
            let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                if let n = Int(value), n >= 0 { length = n } else { problem = problem ?? "Content-Length is not a number: \(value.prefix(40))" }
            }
        }
        if let problem { return .invalid(problem) }
        guard let length else { return .invalid("no Content-Length header") }
        if length > maxBody {
            // Skip the body so the next message is read from its start.
            var left = length
            while left > 0 {
                if position == buffer.count && !fill() { break }
                let n = min(left, buffer.count - position)
                position += n
                left -= n
            }
            return .invalid("Content-Length \(length) is over the limit of \(maxBody) bytes")
        }
        var body: [UInt8] = []
        body.reserveCapacity(length)
        while body.count < length {
            if position == buffer.count && !fill() { return .invalid("input ended inside a message body") }
            let n = min(length - body.count, buffer.count - position)
            body += buffer[position..<position + n]
            position += n
        }
        return .message(body)
    }
}

/// Frames a message body for writing.
func frame(_ body: [UInt8]) -> [UInt8] {
    Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}

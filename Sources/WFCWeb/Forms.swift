import Foundation
import MultipartKit
import NIOCore

import WFCIR
import WFCService

/// An `application/x-www-form-urlencoded` body: its pairs in order.
struct FormBody: Sendable {
    var pairs: [(String, String)]
    /// The files of a `multipart/form-data` body, by field name: the name the browser gave
    /// (nil when none) and the bytes. Empty for an url-encoded body.
    var files: [String: (fileName: String?, bytes: [UInt8])] = [:]

    init(pairs: [(String, String)]) { self.pairs = pairs }

    /// A `multipart/form-data` body (MultipartKit's parser): parts with a file name are files,
    /// the others text fields. Throws on a malformed body.
    init(multipart bytes: [UInt8], boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var body = ByteBuffer()
        parser.onHeader = { field, value in headers.replaceOrAdd(name: field, value: value) }
        parser.onBody = { chunk in body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: body))
            headers = HTTPHeaders()
            body = ByteBuffer()
        }
        try parser.execute(ByteBuffer(bytes: bytes))
        pairs = []
        for part in parts {
            guard let name = part.name else { continue }
            let data = Array(part.body.readableBytesView)
            if let fileName = Self.dispositionParameter("filename", in: part.headers.first(name: "Content-Disposition") ?? "") {
                files[name] = (fileName.isEmpty ? nil : fileName, data)
            } else {
                pairs.append((name, String(decoding: data, as: UTF8.self)))
            }
        }
    }

    /// A parameter of a `Content-Disposition` value (`form-data; name="a"; filename="b;c.yaml"`):
    /// quoted strings may hold `;` and `=`. Browsers send `"` as `%22` and a backslash as itself
    /// (the HTML standard's form encoding), so a backslash is text, not an escape.
    static func dispositionParameter(_ key: String, in value: String) -> String? {
        var params: [(String, String)] = []
        var i = value.startIndex
        func skipBlanks() { while i < value.endIndex && (value[i] == " " || value[i] == "\t") { i = value.index(after: i) } }
        // Past the disposition type.
        while i < value.endIndex && value[i] != ";" { i = value.index(after: i) }
        while i < value.endIndex {
            i = value.index(after: i)  // the `;`
            skipBlanks()
            var name = ""
            while i < value.endIndex && value[i] != "=" && value[i] != ";" { name.append(value[i]); i = value.index(after: i) }
            var text = ""
            if i < value.endIndex && value[i] == "=" {
                i = value.index(after: i)
                if i < value.endIndex && value[i] == "\"" {
                    i = value.index(after: i)
                    while i < value.endIndex && value[i] != "\"" {
                        text.append(value[i])
                        i = value.index(after: i)
                    }
                    if i < value.endIndex { i = value.index(after: i) }
                    while i < value.endIndex && value[i] != ";" { i = value.index(after: i) }
                } else {
                    while i < value.endIndex && value[i] != ";" { text.append(value[i]); i = value.index(after: i) }
                }
            }
            params.append((name.trimmingCharacters(in: .whitespaces).lowercased(), text.trimmingCharacters(in: .whitespaces)))
        }
        return params.first { $0.0 == key }?.1
    }

    /// The boundary of a `multipart/form-data` content type; nil for any other type.
    static func multipartBoundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for p in parts.dropFirst() where p.lowercased().hasPrefix("boundary=") {
            let value = p.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 70 ? nil : value
        }
        return nil
    }

    init(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    subscript(_ key: String) -> String? { pairs.first { $0.0 == key }?.1 }

    /// The values of the form's fields (`f.…` and `n.…`), as a ``FormValues``.
    var values: FormValues {
        var v = FormValues()
        for (k, value) in pairs where k.hasPrefix("f.") || k.hasPrefix("n.") { v.text[k] = value }
        return v
    }
}

/// What a task's form shows: text by input name (`f.field`, `f.list.0.sub`), and the row
/// count of each list (`n.list`). Made from the case data, or from a posted form that is
/// shown again after a refusal (so nothing typed is lost).
struct FormValues: Sendable {
    var text: [String: String] = [:]

    /// The case's data for these fields.
    init(data: [String: ValueIR] = [:], fields: [FieldIR] = []) {
        for f in fields {
            guard let v = data[f.name] else { continue }
            if f.type.isList, case .list(let rows) = v {
                text["n.\(f.name)"] = String(rows.count)
                for (i, row) in rows.enumerated() {
                    if case .map(let m) = row {
                        for (k, x) in m { text["f.\(f.name).\(i).\(k)"] = Self.text(x) }
                    } else {
                        text["f.\(f.name).\(i).value"] = Self.text(row)
                    }
                }
            } else {
                text["f.\(f.name)"] = Self.text(v)
            }
        }
    }

    func rows(_ field: String) -> Int { max(0, min(Int(text["n.\(field)"] ?? "") ?? 0, FormConversion.maxRows)) }

    static func text(_ v: ValueIR) -> String {
        switch v {
        case .null: ""
        case .bool(let b): b ? "true" : ""
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): s
        case .list, .map: ""
        }
    }
}

/// A form's text turned into the case schema's values (WFC9022 when it does not convert).
enum FormConversion {
    /// More rows than a page would ever show are not read.
    static let maxRows = 200

    struct Invalid: Error { var message: String }

    /// The values of `fields` in `form`: empty optional text is left out, a list is its
    /// non-empty rows, a checklist row's `done` is its tick.
    static func data(_ form: FormValues, fields: [FieldIR]) throws(Invalid) -> [String: ValueIR] {
        var out: [String: ValueIR] = [:]
        for f in fields {
            switch f.type {
            case .list(let element):
                var rows: [ValueIR] = []
                for i in 0..<form.rows(f.name) {
                    if let sub = element.recordFields {
                        if let row = try record(form, prefix: "f.\(f.name).\(i).", fields: sub, title: f.title ?? f.name, row: i) { rows.append(row) }
                    } else if let t = form.text["f.\(f.name).\(i).value"], !t.trimmingCharacters(in: .whitespaces).isEmpty {
                        rows.append(try scalar(t, element, title: f.title ?? f.name))
                    }
                }
                out[f.name] = .list(rows)
            case .checklist(let sub):
                var rows: [ValueIR] = []
                for i in 0..<form.rows(f.name) {
                    let prefix = "f.\(f.name).\(i)."
                    if var row = try record(form, prefix: prefix, fields: sub, title: f.title ?? f.name, row: i) {
                        if case .map(var m) = row { m["done"] = .bool(form.text[prefix + "done"] == "true"); row = .map(m) }
                        rows.append(row)
                    }
                }
                out[f.name] = .list(rows)
            case .bool:
                out[f.name] = .bool(form.text["f.\(f.name)"] == "true")
            default:
                let t = form.text["f.\(f.name)"] ?? ""
                if t.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                out[f.name] = try scalar(t, f.type, title: f.title ?? f.name)
            }
        }
        return out
    }

    /// One row of a list of records; nil when every text field of it is empty (a blank row).
    static func record(_ form: FormValues, prefix: String, fields: [FieldIR], title: String, row: Int) throws(Invalid) -> ValueIR? {
        var m: [String: ValueIR] = [:]
        var any = false
        for s in fields where s.name != "done" {
            let t = form.text[prefix + s.name] ?? ""
            if s.type == .bool {
                m[s.name] = .bool(t == "true")
                continue
            }
            if t.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            any = true
            m[s.name] = try scalar(t, s.type, title: "\(title) #\(row + 1) \(s.title ?? s.name)")
        }
        return any ? .map(m) : nil
    }

    /// Text as a value of `type`.
    static func scalar(_ raw: String, _ type: TypeIR, title: String) throws(Invalid) -> ValueIR {
        let t = raw.trimmingCharacters(in: .whitespaces)
        switch type {
        case .int:
            guard let i = Int(t) else { throw Invalid(message: "\(title): `\(t)` is not a whole number") }
            return .int(i)
        case .decimal:
            guard let d = Double(t), d.isFinite else { throw Invalid(message: "\(title): `\(t)` is not a number") }
            return .double(d)
        case .bool:
            return .bool(t == "true")
        case .date:
            guard t.count == 10, CalendarDate(parsing: t) != nil else { throw Invalid(message: "\(title): `\(t)` is not a date (YYYY-MM-DD)") }
            return .string(t)
        case .enumeration(let members):
            guard members.contains(t) else { throw Invalid(message: "\(title): `\(t)` is not one of \(members.joined(separator: ", "))") }
            return .string(t)
        default:
            return .string(raw)
        }
    }
}

import Foundation
import WFCCompiler
import WFCDiagnostics
import WFCScenarios

/// What the text before the cursor asks for.
enum CompletionContext: Equatable {
    case states, roles, fields, events
    /// The members of the enum field named.
    case members(String)
}

/// Keys whose values name states, roles or fields.
let stateKeys: Set<String> = ["to", "then", "start", "otherwise"]
let roleKeys: Set<String> = ["by", "escalate", "all", "of", "roles", "signoff", "in_order", "any"]
let fieldKeys: Set<String> = ["fills", "all_done", "checklist"]

extension LanguageServer {
    func completion(_ params: Any?) throws -> Any? {
        let (d, offset) = try target(params)
        guard let index = d.names else { return [Any]() }
        let lines = d.file
        let line = lines.lineIndex(of: offset)
        let before = Array(lines.bytes[lines.lineStarts[line]..<offset])
        var previous: [[UInt8]] = []
        var l = line - 1
        while l >= 0 && previous.count < 200 {
            previous.append(Array(lines.bytes[lines.lineStarts[l]..<lines.lineContentEnd(l)]))
            l -= 1
        }
        let scenario = ScenarioFiles.isScenario(d.path)
        guard let context = completionContext(before: before, previousLines: previous, index: index, scenario: scenario) else { return [Any]() }
        var items: [[String: Any]] = []
        func item(_ label: String, _ kind: Int, _ detail: String?) {
            var i: [String: Any] = ["label": label, "kind": kind]
            if let detail { i["detail"] = detail }
            items.append(i)
        }
        switch context {
        case .states: index.stateOrder.forEach { item($0, 7, index.states[$0]?.title?.value) }
        case .roles: index.roleOrder.forEach { item($0, 6, index.roles[$0]?.title?.value) }
        case .fields: index.fieldOrder.forEach { f in item(f, 5, index.fields[f].map { typeText($0.type) + ($0.title.map { " — \($0.value)" } ?? "") }) }
        case .events: index.events.forEach { item($0, 23, "event") }
        case .members(let field):
            guard let f = index.fields[field], case .enumeration(let members, _) = f.type else { return [Any]() }
            members.forEach { m in item(m.value, 20, f.memberTitles[m.value].map { "\(field) member — \($0)" } ?? "\(field) member") }
        }
        return ["isIncomplete": false, "items": items]
    }
}

/// Works out what to complete from the text of the line before the cursor (and the lines
/// above, for block lists and the parent of a key). Returns nil when nothing fits.
/// In a scenario file (`scenario`), `fire:` takes an event, `role:` a role and `states:` states.
func completionContext(before: [UInt8], previousLines: [[UInt8]], index: DocumentIndex, scenario: Bool = false) -> CompletionContext? {
    var i = before.count
    while i > 0 && isIdentifierByte(before[i - 1]) { i -= 1 }
    // `case.FIELD` in an expression.
    if i >= 5 && Array(before[(i - 5)..<i]) == Array("case.".utf8) && (i == 5 || !isIdentifierByte(before[i - 6])) {
        return .fields
    }
    // `case.FIELD == "` (or `!=`): the field's enum members.
    var j = i
    if j > 0 && (before[j - 1] == 0x22 || before[j - 1] == 0x27) {
        j -= 1
        while j > 0 && before[j - 1] == 0x20 { j -= 1 }
        if j >= 2 && (before[j - 2] == 0x3D || before[j - 2] == 0x21) && before[j - 1] == 0x3D {
            j -= 2
            while j > 0 && before[j - 1] == 0x20 { j -= 1 }
            let end = j
            while j > 0 && isIdentifierByte(before[j - 1]) { j -= 1 }
            if j >= 5 && Array(before[(j - 5)..<j]) == Array("case.".utf8) && end > j {
                return .members(String(decoding: before[j..<end], as: UTF8.self))
            }
        }
        return nil
    }
    // Back over a list written so far (`[a, b, `) to the key before the colon.
    j = i
    while j > 0 {
        let c = before[j - 1]
        if c == 0x20 || c == 0x2C || c == 0x5B || c == 0x09 || isIdentifierByte(c) {
            // Identifiers only count as list items after a `[` or a `,`, checked below.
            j -= 1
        } else {
            break
        }
    }
    if j > 0 && before[j - 1] == 0x3A {
        // The key is the identifier right before the colon; the text between must be a value
        // list (`[a, b, ` or a single partial value).
        var k = j - 1
        let keyEnd = k
        while k > 0 && isIdentifierByte(before[k - 1]) { k -= 1 }
        let key = String(decoding: before[k..<keyEnd], as: UTF8.self)
        let between = String(decoding: before[j..<i], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if between.isEmpty || between.hasPrefix("[") {
            return context(forKey: key, index: index, scenario: scenario)
        }
        return nil
    }
    // A key or a block list item at the start of the line.
    let lead = before[..<i]
    let indent = lead.prefix { $0 == 0x20 }.count
    let rest = lead.dropFirst(indent)
    guard rest.isEmpty || Array(rest) == Array("- ".utf8) else { return nil }
    guard let parent = parentKey(indent: indent, previousLines: previousLines) else { return nil }
    if scenario { return rest.isEmpty ? nil : context(forKey: parent, index: index, scenario: true) }
    if rest.isEmpty && parent == "on" { return .events }
    if rest.isEmpty && parent == "set" { return .fields }
    if !rest.isEmpty { return context(forKey: parent, index: index, scenario: scenario) }
    return nil
}

private func context(forKey key: String, index: DocumentIndex, scenario: Bool) -> CompletionContext? {
    if scenario {
        switch key {
        case "fire": return .events
        case "role": return .roles
        case "states": return .states
        default: return nil
        }
    }
    if stateKeys.contains(key) { return .states }
    if roleKeys.contains(key) { return .roles }
    if fieldKeys.contains(key) { return .fields }
    if let f = index.fields[key], case .enumeration = f.type { return .members(key) }
    return nil
}

/// The key of the nearest line above that is indented less than `indent` and ends with a
/// colon (`on:`, `fills:`).
private func parentKey(indent: Int, previousLines: [[UInt8]]) -> String? {
    for line in previousLines {
        let ind = line.prefix { $0 == 0x20 }.count
        let text = String(decoding: line.dropFirst(ind), as: UTF8.self)
        if text.isEmpty || text.hasPrefix("#") { continue }
        guard ind < indent else { continue }
        let trimmed = text.split(separator: "#", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard trimmed.hasSuffix(":") else { return nil }
        var key = String(trimmed.dropLast())
        if key.hasPrefix("- ") { key = String(key.dropFirst(2)) }
        return key
    }
    return nil
}

import Foundation
import TestSupport
import Testing
@testable import CEL

/// Runs the cel-spec conformance cases from the shared data folder (read in place, never copied).
struct Conformance {
    /// Finds `shared/conformance/cel`: $WFC_SHARED_DIR, or `../shared` beside the package root.
    static func dataDir() -> URL? {
        let fm = FileManager.default
        for r in [PackagePaths.sharedFromEnvironment, PackagePaths.sharedBesidePackage].compactMap({ $0 }) {
            let d = r.appendingPathComponent("conformance/cel")
            if fm.fileExists(atPath: d.appendingPathComponent("core_tier1.json").path) { return d }
        }
        return nil
    }

    static func expectedFailures() -> [String: String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("expected-failures.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1)
            out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    enum Outcome: Equatable {
        case pass
        case fail(String)
    }

    static func decodeValue(_ any: Any) -> CELValue? {
        guard let d = any as? [String: Any], let (k, v) = d.first else { return nil }
        switch k {
        case "int": return (v as? String).flatMap { Int64($0) }.map { .int($0) }
        case "uint": return (v as? String).flatMap { UInt64($0) }.map { .uint($0) }
        case "double":
            if let s = v as? String {
                switch s {
                case "Infinity": return .double(.infinity)
                case "-Infinity": return .double(-.infinity)
                case "NaN": return .double(.nan)
                default: return Double(s).map { .double($0) }
                }
            }
            return (v as? NSNumber).map { .double($0.doubleValue) }
        case "string": return (v as? String).map { .string($0) }
        case "bool": return (v as? NSNumber).map { .bool($0.boolValue) }
        case "null": return .null
        case "bytes_b64": return (v as? String).flatMap { Data(base64Encoded: $0) }.map { .bytes(Array($0)) }
        case "list":
            guard let items = v as? [Any] else { return nil }
            var out: [CELValue] = []
            for i in items { guard let x = decodeValue(i) else { return nil }; out.append(x) }
            return .list(out)
        case "map":
            guard let entries = v as? [[Any]] else { return nil }
            var pairs: [(CELValue, CELValue)] = []
            for e in entries {
                guard e.count == 2, let k = decodeValue(e[0]), let x = decodeValue(e[1]) else { return nil }
                pairs.append((k, x))
            }
            return (try? CELMap(entries: pairs)).map { .map($0) }
        case "type": return (v as? String).map { .type(.opaque($0, [])) }
        default: return nil
        }
    }

    /// Strict equality: kinds must match exactly (1 and 1u differ here), NaN equals NaN.
    static func same(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case let (.double(x), .double(y)): return (x.isNaN && y.isNaN) || x == y
        case (.int, .int), (.uint, .uint), (.string, .string), (.bytes, .bytes), (.bool, .bool), (.null, .null):
            return celEquals(a, b)
        case let (.list(x), .list(y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.map(x), .map(y)):
            guard x.count == y.count else { return false }
            for i in 0..<x.count {
                guard let v = y.get(x.keys[i]), same(x.values[i], v) else { return false }
            }
            return true
        case let (.type(x), .type(y)): return x.runtimeName == y.runtimeName
        default: return false
        }
    }

    static func run(_ c: [String: Any]) -> Outcome {
        guard let expr = c["expr"] as? String, let expect = c["expect"] as? [String: Any] else { return .fail("bad case") }
        let env = CELEnvironment()
        env.register(WorkflowFunctions(calendar: WeekendCalendar()))
        if let container = c["container"] as? String { env.container = container }
        for decl in (c["type_env"] as? [[String: Any]]) ?? [] {
            guard let name = decl["name"] as? String else { continue }
            if let t = decl["type"] as? String {
                do { try env.declare(name, typeName: t) } catch { return .fail("bad type \(t)") }
            } else if let ovs = decl["function_overloads"] as? [[String: Any]] {
                var list: [CELOverload] = []
                for o in ovs {
                    do {
                        let ps = try ((o["params"] as? [String]) ?? []).map { (p) throws(CELError) -> CELType in try env.parseType(p, allowTypeParams: true) }
                        let r = try env.parseType((o["result"] as? String) ?? "dyn", allowTypeParams: true)
                        list.append(CELOverload(id: (o["id"] as? String) ?? name, receiver: (o["receiver"] as? Bool) ?? false,
                                                params: ps, result: r))
                    } catch { return .fail("bad overload \(error)") }
                }
                env.register(CELFunction(name: name, overloads: list))
            }
        }
        let bindings = (c["bindings"] as? [String: Any]) ?? [:]
        let unchecked = (c["disable_check"] as? Bool) ?? false
        for k in bindings.keys where env.slot(of: k) == nil { env.declare(k, .dyn) }

        let program: CELProgram
        var deduced: CELType?
        do {
            if unchecked {
                program = try env.compileUnchecked(expr)
            } else {
                let ast = try env.parse(expr)
                let r = env.check(ast)
                if !r.errors.isEmpty { return .fail("check: \(r.errors.map(\.description).joined(separator: "; "))") }
                deduced = r.type
                program = try env.plan(r)
            }
        } catch {
            return .fail("compile: \(error)")
        }
        var expectedValue: Any? = expect["value"]
        if let tr = expect["typed_result"] as? [String: Any] {
            let want = (tr["deduced_type"] as? String) ?? ""
            let got = deduced?.description ?? "-"
            if got != want { return .fail("deduced type \(got), want \(want)") }
            expectedValue = tr["value"]
        }
        if (c["check_only"] as? Bool) == true { return .pass }
        let act = env.makeActivation()
        for (k, v) in bindings {
            guard let vv = (v as? [String: Any])?["value"], let val = decodeValue(vv), let s = env.slot(of: k) else {
                return .fail("bad binding \(k)")
            }
            act[s] = val
        }
        let result: Result<CELValue, CELEvalError>
        do { result = .success(try program.evaluate(act)) } catch { result = .failure(error) }
        if expect["eval_error"] != nil {
            if case .success(let v) = result { return .fail("expected error, got \(v.debugText)") }
            return .pass
        }
        guard let ev = expectedValue, !(ev is NSNull), let want = decodeValue(ev) else { return .fail("cannot decode expected value") }
        switch result {
        case .failure(let e): return .fail("eval error: \(e.message)")
        case .success(let v): return same(v, want) ? .pass : .fail("got \(v.debugText), want \(want.debugText)")
        }
    }
}

@Suite struct ConformanceTests {
    func runFile(_ file: String, minRate: Double) throws {
        guard let dir = Conformance.dataDir() else {
            Issue.record("Conformance data not found: expected ../shared/conformance/cel next to the package root, or set WFC_SHARED_DIR.")
            return
        }
        let data = try Data(contentsOf: dir.appendingPathComponent(file))
        guard let cases = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            Issue.record("\(file) is not a JSON array")
            return
        }
        let xfail = Conformance.expectedFailures()
        var perFile: [String: (Int, Int)] = [:]
        var order: [String] = []
        var passed = 0, failed = 0
        var unexpected: [String] = []
        var fixed: [String] = []
        for c in cases {
            let key = "\(c["file"] ?? "")/\(c["section"] ?? "")/\(c["name"] ?? "")"
            let f = (c["file"] as? String) ?? "?"
            if perFile[f] == nil { order.append(f); perFile[f] = (0, 0) }
            let outcome = Conformance.run(c)
            switch outcome {
            case .pass:
                passed += 1
                perFile[f]?.0 += 1
                if xfail[key] != nil { fixed.append(key) }
            case .fail(let why):
                failed += 1
                perFile[f]?.1 += 1
                if xfail[key] == nil { unexpected.append("\(key)\t\(why)") }
            }
        }
        print("== \(file)")
        for f in order {
            let (p, x) = perFile[f] ?? (0, 0)
            print("  \(f): \(p) passed, \(x) failed")
        }
        print("\(file): \(passed) passed, \(failed) failed")
        for u in unexpected { print("  UNEXPECTED FAILURE \(u)") }
        for f in fixed { print("  NOW PASSING (remove from expected-failures.tsv): \(f)") }
        let rate = Double(passed) / Double(max(1, passed + failed))
        #expect(rate >= minRate, "\(file) pass rate \(rate) below \(minRate)")
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected failures in \(file):\n\(unexpected.joined(separator: "\n"))")
        #expect(fixed.isEmpty, "cases listed in expected-failures.tsv now pass: \(fixed.joined(separator: ", "))")
    }

    @Test func coreTier1() throws { try runFile("core_tier1.json", minRate: 0.98) }
    @Test func tier2() throws { try runFile("tier2.json", minRate: 0.80) }
}

// CEL evaluation benchmark: ns per evaluation of precompiled checked programs, a hand-written
// Swift baseline for the first guard, and a count of heap allocations per evaluation.
//
// Run: swift build -c release --product cel-bench && .build/release/cel-bench
import CEL
import BenchSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Median ns per call over `runs` runs of `iterations` calls.
func measure(runs: Int = 7, iterations: Int, _ body: () -> Void) -> Double {
    for _ in 0..<(iterations / 10) { body() } // warm-up
    var samples: [Double] = []
    for _ in 0..<runs {
        let t0 = nowNs()
        for _ in 0..<iterations { body() }
        samples.append(Double(nowNs() - t0) / Double(iterations))
    }
    samples.sort()
    return samples[samples.count / 2]
}

nonisolated(unsafe) let readMallocs = mallocCounter()

/// Heap allocations (malloc/calloc/realloc/aligned) per evaluation, or NaN if not measurable.
func allocsPerEval(_ n: Int = 1_000_000, _ body: () -> Void) -> Double {
    guard let readMallocs else { return .nan }
    body()
    let before = readMallocs()
    for _ in 0..<n { body() }
    return Double(readMallocs() - before) / Double(n)
}

func fmt(_ d: Double) -> String { String(format: "%8.1f", d) }

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
print("cel-bench: median of 7 runs × \(iterations) evaluations (release build recommended)")
print("malloc counting: \(readMallocs != nil ? "on (LD_PRELOAD shim; allocs/eval over 1,000,000 evaluations)" : "unavailable")")
print("")
print("scenario                                   ns/eval   allocs/eval  result")

// 1. Scalar guard
do {
    let env = CELEnvironment()
    let xs = env.declare("x", .int)
    let ns = env.declare("name", .string)
    let program = try env.compile(#"x > 3 && name.startsWith("a")"#, expecting: .bool)
    let act = env.makeActivation()
    act[xs] = .int(5)
    act[ns] = .string("alice")
    var sink = false
    let ns1 = measure(iterations: iterations) { sink = (try? program.evaluateBool(act)) ?? false }
    let a1 = allocsPerEval { sink = (try? program.evaluateBool(act)) ?? false }
    print("x > 3 && name.startsWith(\"a\")           \(fmt(ns1))   \(String(format: "%8.2f", a1))     \(sink)")

    // Baseline: the same guard written by hand in Swift, reading values through an opaque array.
    let xv: [Int] = [5]
    let namev: [String] = ["alice"]
    let guardFn: (Int, String) -> Bool = { x, name in x > 3 && name.utf8.starts(with: "a".utf8) }
    var sink2 = false
    let ns0 = measure(iterations: iterations) { sink2 = guardFn(xv[0], namev[0]); blackHole(sink2) }
    print("  baseline: hand-written Swift closure   \(fmt(ns0))                 \(sink2)")
    print("  ratio CEL / baseline: \(String(format: "%.1f", ns1 / max(ns0, 0.01)))×   (goal for CEL: < 150 ns)")
    blackHole(sink)
}

// 2. Macro over a list of records
do {
    let env = CELEnvironment()
    let item = env.declareRecord("Item", fields: [.init("received", .bool), .init("name", .string)])
    let caseT = env.declareRecord("Case", fields: [.init("items", .list(.record(item))), .init("id", .string)])
    let cs = env.declare("case", .record(caseT))
    let program = try env.compile("case.items.all(i, i.received)", expecting: .bool)
    let items: [CELValue] = (0..<10).map { i in .record(CELRecord(type: item, values: ["received": .bool(true), "name": .string("doc\(i)")])) }
    let act = env.makeActivation()
    act[cs] = .record(CELRecord(type: caseT, values: ["items": .list(items), "id": .string("C-1")]))
    var sink = false
    let ns1 = measure(iterations: iterations) { sink = (try? program.evaluateBool(act)) ?? false }
    let a1 = allocsPerEval { sink = (try? program.evaluateBool(act)) ?? false }
    print("case.items.all(i, i.received) [10 items] \(fmt(ns1))   \(String(format: "%8.2f", a1))     \(sink)")
}

// 3. A 20-clause guard over records, enums and scalars
do {
    let env = CELEnvironment()
    let leave = env.declareEnum("LeaveType", members: ["annual", "sick", "unpaid", "parental"])
    let emp = env.declareRecord("Employee", fields: [
        .init("level", .int), .init("country", .string), .init("manager", .string, optional: true),
        .init("tenure_months", .int), .init("active", .bool),
    ])
    let req = env.declareRecord("Request", fields: [
        .init("type", .enumType(leave)), .init("days", .int), .init("reason", .string, optional: true),
        .init("start", .date), .init("end", .date), .init("paid", .bool),
    ])
    let es = env.declare("employee", .record(emp))
    let rs = env.declare("request", .record(req))
    let bs = env.declare("balance", .double)
    let text = """
    request.days > 0 && request.days <= 30 && request.type in ["annual", "sick", "parental"] &&
    request.type != "unpaid" && employee.level >= 2 && employee.level < 10 && employee.active &&
    employee.country == "FR" && has(employee.manager) && employee.manager != "" &&
    employee.tenure_months >= 3 && balance >= 1.5 && balance < 100.0 && request.paid &&
    request.start <= request.end && !has(request.reason) && request.days * 2 < 61 &&
    (request.type == "annual" || request.days <= 5) && employee.country.startsWith("F") &&
    request.days != 13
    """
    let program = try env.compile(text, expecting: .bool)
    let act = env.makeActivation()
    act[es] = .record(CELRecord(type: emp, values: ["level": .int(3), "country": .string("FR"), "manager": .string("bob"),
                                                    "tenure_months": .int(14), "active": .bool(true)]))
    act[rs] = .record(CELRecord(type: req, values: ["type": .string("annual"), "days": .int(4), "paid": .bool(true),
                                                    "start": .date(CELDate(year: 2026, month: 3, day: 2)!),
                                                    "end": .date(CELDate(year: 2026, month: 3, day: 5)!)]))
    act[bs] = .double(12.5)
    var sink = false
    let ns1 = measure(iterations: iterations) { sink = (try? program.evaluateBool(act)) ?? false }
    let a1 = allocsPerEval { sink = (try? program.evaluateBool(act)) ?? false }
    print("20-clause guard (records, enum, date)    \(fmt(ns1))   \(String(format: "%8.2f", a1))     \(sink)")
}

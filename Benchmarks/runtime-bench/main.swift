// Runtime benchmark: in-memory steps per second of the engine on the company-handover policy,
// against a hand-written Swift `switch` machine of the same policy (HandWritten.swift) in the
// same process. One step is one `Engine.start` or `Engine.fire`; a case is the happy path:
// start, submit (reason, last_day), ready (items), approve, sign, sign, confirm = 7 steps.
//
// Run: swift build -c release --product runtime-bench && .build/release/runtime-bench
// Options: --ir PATH (default Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json),
//          --people-ir PATH (default …/company-handover-people.ir.json: the same policy with
//          reminders, copies and `substitutes: false`), --rounds N (default 7), --seconds S per
//          measurement (default 0.3);
//          --only engine|hand [--cases N] runs one machine N times for a profiler, e.g.
//          valgrind --tool=callgrind '--toggle-collect=$s13runtime_bench10engineCaseSiyF'.
import BenchSupport
import Foundation
import WFCCalendar
import WFCIR
import WFCRuntime
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("runtime-bench: \(message)\n".utf8))
    exit(1)
}

// MARK: options

struct Options {
    var irPath = "Tests/WFCRuntimeTests/Fixtures/company-handover.ir.json"
    var peopleIRPath = "Tests/WFCRuntimeTests/Fixtures/company-handover-people.ir.json"
    var rounds = 7
    var seconds = 0.3
    /// `engine` or `hand`: run only that machine, `cases` times (for profiling).
    var only: String?
    var cases = 1_000

    init(_ arguments: [String]) {
        var args = arguments[...]
        while let a = args.popFirst() {
            switch a {
            case "--ir": irPath = args.popFirst() ?? irPath
            case "--people-ir": peopleIRPath = args.popFirst() ?? peopleIRPath
            case "--rounds": rounds = args.popFirst().flatMap { Int($0) }.map { max(1, $0) } ?? rounds
            case "--seconds": seconds = args.popFirst().flatMap { Double($0) }.map { max(0.01, $0) } ?? seconds
            case "--only": only = args.popFirst()
            case "--cases": cases = args.popFirst().flatMap { Int($0) }.map { max(1, $0) } ?? cases
            default: fail("unknown argument \(a) (options: --ir PATH, --people-ir PATH, --rounds N, --seconds S, --only engine|hand [--cases N])")
            }
        }
    }
}
let options = Options(Array(CommandLine.arguments.dropFirst()))
let irPath = options.irPath, rounds = options.rounds, seconds = options.seconds

nonisolated(unsafe) let readMallocs = mallocCounter()

// MARK: the two machines

let def: Definition
do {
    def = try Definition(irJSON: try Data(contentsOf: URL(fileURLWithPath: irPath)))
} catch {
    fail("cannot load \(irPath): \(error) (run from the package root, or pass --ir)")
}
guard def.ir.id == "company-handover" else { fail("\(irPath) is workflow `\(def.ir.id)`, not company-handover") }
guard let calendar = def.calendar else { fail("company-handover names a calendar; the definition has none") }
let peopleDef: Definition
do {
    peopleDef = try Definition(irJSON: try Data(contentsOf: URL(fileURLWithPath: options.peopleIRPath)))
} catch {
    fail("cannot load \(options.peopleIRPath): \(error) (run from the package root, or pass --people-ir)")
}

// 2025-09-26T10:00:00+08:00, a Friday before the National Day holiday (as in HandoverTests).
guard let t0 = Timestamp(rfc3339: "2025-09-26T02:00:00Z") else { fail("bad start time") }
let now = t0.date
let people = ["handover": "alice", "receiver": "bob", "manager": "carol", "hr": "dave"]
let stepsPerCase = 7

// The events are built once: the benchmark measures the machines, not building inputs.
let itemNames = ["客户资料", "系统账号", "项目进度表"]
let itemKinds = ["document", "permission", "progress"]
let engineEvents: [Event] = [
    Event("submit", actor: "alice", payload: ["reason": .string("resignation"), "last_day": .string("2025-10-31")]),
    Event("ready", actor: "alice", payload: ["items": .list(zip(itemNames, itemKinds).map { .map(["name": .string($0), "kind": .string($1), "done": .bool(true)]) })]),
    Event("approve", actor: "carol"),
    Event("sign", actor: "alice"),
    Event("sign", actor: "bob"),
    Event("confirm", actor: "carol"),
]
guard let lastDay = CalendarDate(parsing: "2025-10-31") else { fail("bad date") }
let handEvents: [(Hand.Event, String)] = [
    (.submit(reason: .resignation, lastDay: lastDay, application: nil), "alice"),
    (.ready(items: [Hand.Item(name: itemNames[0], kind: .document, done: true),
                    Hand.Item(name: itemNames[1], kind: .permission, done: true),
                    Hand.Item(name: itemNames[2], kind: .progress, done: true)]), "alice"),
    (.approve, "carol"), (.sign(role: nil), "alice"), (.sign(role: nil), "bob"), (.confirm, "carol"),
]

/// One happy-path case through the engine; returns a checksum of what the steps produced.
@inline(never) func engineCase() -> Int {
    guard var snap = Engine.start(def, caseID: "C1", data: [:], people: people, now: now).snapshot else { fail("engine: start refused") }
    var sum = snap.version
    for e in engineEvents {
        switch Engine.fire(def, snap, e, now: now) {
        case .accepted(let step):
            snap = step.snapshot
            sum &+= step.trace.count &+ step.effects.count
        case .refused(let r):
            fail("engine: `\(e.name)` refused: \(r)")
        }
    }
    guard snap.status == .completed, snap.version == stepsPerCase else { fail("engine: the case did not complete") }
    return sum &+ snap.version
}

/// The same case through the hand-written machine.
@inline(never) func handCase() -> Int {
    guard case .success(var c) = Hand.start(caseID: "C1", people: people, now: t0, calendar: calendar) else { fail("hand: start refused") }
    var sum = c.version
    for (e, actor) in handEvents {
        switch Hand.fire(c, e, actor: actor, now: t0, calendar: calendar) {
        case .success(let next):
            c = next
            sum &+= c.signatures.count &+ c.rounds[c.state.rawValue]
        case .failure(let r):
            fail("hand: \(e) refused: \(r)")
        }
    }
    guard c.status == .completed, c.version == stepsPerCase else { fail("hand: the case did not complete") }
    return sum &+ c.version
}

// MARK: measuring

/// How many cases take about `seconds`.
func calibrate(_ body: () -> Int) -> Int {
    var n = 1
    while true {
        let t = nowNs()
        var sum = 0
        for _ in 0..<n { sum &+= body() }
        blackHole(sum)
        let elapsed = Double(nowNs() - t) / 1e9
        if elapsed >= 0.05 { return max(1, Int(Double(n) * seconds / elapsed)) }
        n *= 2
    }
}

/// ns per step over `cases` cases.
func timeSteps(cases: Int, _ body: () -> Int) -> Double {
    let t = nowNs()
    var sum = 0
    for _ in 0..<cases { sum &+= body() }
    blackHole(sum)
    return Double(nowNs() - t) / Double(cases * stepsPerCase)
}

func allocsPerStep(_ body: () -> Int) -> Double {
    guard let readMallocs else { return .nan }
    blackHole(body())
    let cases = 200
    let before = readMallocs()
    var sum = 0
    for _ in 0..<cases { sum &+= body() }
    let after = readMallocs()
    blackHole(sum)
    return Double(after - before) / Double(cases * stepsPerCase)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func grouped(_ x: Double) -> String {
    let digits = String(Int(x.rounded()))
    var out = ""
    for (i, ch) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return String(out.reversed())
}

// MARK: people change during a case (issue #17): the machines (measured at the end)

// The same case, plus a tick on the third working day in `review`, once on the plain policy with
// every person acting for themselves, once on company-handover-people (reminders in
// `prepare`, `review` and `execute`, copies on entering and leaving `review`) with the
// manager's two events and the handover's signature sent by substitutes (代理). 8 steps a case.
let later = Date(timeInterval: 4 * 86_400, since: now)   // Tuesday 2025-09-30: reminders due
let peopleSteps = 8
func peopleEvents(substitutes: Bool) -> [(Event, Date)] {
    func by(_ name: String, _ actor: String, _ principal: String, payload: [String: ValueIR] = [:]) -> Event {
        substitutes ? Event(name, actor: actor, payload: payload, actingFor: principal) : Event(name, actor: principal, payload: payload)
    }
    return [
        (engineEvents[0], now), (engineEvents[1], now),
        (by("approve", "erin", "carol"), later),
        (by("sign", "frank", "alice"), later), (engineEvents[4], later),
        (by("confirm", "erin", "carol"), later),
    ]
}
let plainPeopleEvents = peopleEvents(substitutes: false)
let substitutePeopleEvents = peopleEvents(substitutes: true)

func plainPeopleCase() -> Int { peopleCase(def, plainPeopleEvents, expectReminders: false) }
func withPeopleCase() -> Int { peopleCase(peopleDef, substitutePeopleEvents, expectReminders: true) }

/// One case with a tick after `ready`; returns a checksum, and fails unless the reminders
/// (when `expectReminders`) were sent.
@inline(never) func peopleCase(_ d: Definition, _ events: [(Event, Date)], expectReminders: Bool) -> Int {
    guard var snap = Engine.start(d, caseID: "C1", data: [:], people: people, now: now).snapshot else { fail("people: start refused") }
    var sum = snap.version
    var reminders = 0
    func apply(_ r: StepResult, _ what: String) {
        guard case .accepted(let step) = r else { fail("people: `\(what)` refused: \(r)") }
        snap = step.snapshot
        sum &+= step.trace.count &+ step.effects.count
        for e in step.effects { if case .reminder = e { reminders += 1 } }
    }
    for (i, (e, t)) in events.enumerated() {
        if i == 2 { apply(Engine.tick(d, snap, now: later), "tick") }
        apply(Engine.fire(d, snap, e, now: t), e.name)
    }
    guard snap.status == .completed else { fail("people: the case did not complete") }
    if expectReminders && reminders == 0 { fail("people: no reminder was sent") }
    return sum &+ snap.version &+ reminders
}
let plainPeople = { plainPeopleCase() }
let withPeople = { withPeopleCase() }

/// The machines of the people comparison, for `--only`.
var peopleMachines: [String: () -> Int] { ["people": { withPeopleCase() }, "plain-people": { plainPeopleCase() }] }

// Profiling (e.g. under callgrind): one machine only, a fixed number of cases, no report.
if let only = options.only {
    guard let body = ["engine": engineCase, "hand": handCase][only] ?? peopleMachines[only] else { fail("--only takes engine, hand, people or plain-people") }
    var sum = 0
    for _ in 0..<options.cases { sum &+= body() }
    print("\(only): \(options.cases) cases, checksum \(sum)")
    exit(0)
}

let engineCases = calibrate(engineCase)
let handCases = calibrate(handCase)
print("runtime-bench: company-handover happy path, \(stepsPerCase) steps a case (start + 6 events), one core")
print("\(rounds) rounds; a round times \(engineCases) engine cases and \(handCases) hand-written cases (about \(seconds) s each), interleaved")

var engineNs: [Double] = []
var handNs: [Double] = []
for r in 1...rounds {
    let e = timeSteps(cases: engineCases, engineCase)
    let h = timeSteps(cases: handCases, handCase)
    engineNs.append(e)
    handNs.append(h)
    print(String(format: "  round %d: engine %8.0f ns/step, hand-written %6.0f ns/step, ratio %.3f", r, e, h, h / e))
}

let e = median(engineNs), h = median(handNs)
let ea = allocsPerStep(engineCase), ha = allocsPerStep(handCase)
let ratio = h / e
print("")
print("what                                    steps/s       ns/step   allocs/step")
print("engine (Engine.start/fire, IR + CEL)  " + String(format: "%10@  %10.0f  %10.1f", grouped(1e9 / e), e, ea))
print("hand-written Swift switch machine     " + String(format: "%10@  %10.0f  %10.1f", grouped(1e9 / h), h, ha))
print(String(format: "ratio engine / hand-written (steps/s): %.3f  (goal >= 0.2: %@)", ratio, ratio >= 0.2 ? "met" : "NOT met"))
print("malloc counting: \(readMallocs != nil ? "on (LD_PRELOAD shim)" : "unavailable")")

// The two parts apart, to see which one costs.
let notices = { peopleCase(peopleDef, plainPeopleEvents, expectReminders: true) }
let substitutesOnly = { peopleCase(def, substitutePeopleEvents, expectReminders: false) }
let plainCases = calibrate(plainPeople), withCases = calibrate(withPeople)
func timePeople(cases: Int, _ body: () -> Int) -> Double {
    let t = nowNs()
    var sum = 0
    for _ in 0..<cases { sum &+= body() }
    blackHole(sum)
    return Double(nowNs() - t) / Double(cases * peopleSteps)
}
var plainNs: [Double] = [], withNs: [Double] = [], pairRatios: [Double] = [], noticeNs: [Double] = [], substituteNs: [Double] = []
for _ in 1...rounds {
    let p = timePeople(cases: plainCases, plainPeople)
    let w = timePeople(cases: withCases, withPeople)
    noticeNs.append(timePeople(cases: withCases, notices))
    substituteNs.append(timePeople(cases: plainCases, substitutesOnly))
    plainNs.append(p)
    withNs.append(w)
    pairRatios.append(w / p)
}
let pm = median(plainNs), wm = median(withNs), pr = median(pairRatios)
print("")
print("people change (#17): \(peopleSteps) steps a case (start + 6 events + a tick in review), \(rounds) rounds, interleaved")
print("plain policy, everyone in person          " + String(format: "%10@  %10.0f ns/step", grouped(1e9 / pm), pm))
print("reminders + copies + substitutes          " + String(format: "%10@  %10.0f ns/step", grouped(1e9 / wm), wm))
print("  reminders + copies only                  " + String(format: "%10@  %10.0f ns/step", grouped(1e9 / median(noticeNs)), median(noticeNs)))
print("  substitutes only                         " + String(format: "%10@  %10.0f ns/step", grouped(1e9 / median(substituteNs)), median(substituteNs)))
print(String(format: "cost ratio with/without, per step: median of rounds %.3f (lowest %.3f, highest %.3f)  (goal <= 1.2: %@)",
             pr, pairRatios.min() ?? .nan, pairRatios.max() ?? .nan, pr <= 1.2 ? "met" : "NOT met"))

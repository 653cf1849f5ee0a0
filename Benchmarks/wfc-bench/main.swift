import BenchSupport
import Dispatch
import Foundation
import WFCDiagnostics
import WFCCompiler
import WFCDiff
import WFCDriver
import WFCIR
import WFCYAML

// Release-built benchmarks: `swift run -c release wfc-bench [yaml|check] [--files N] [--runs N]`.
// `check --keep DIR` writes the corpus to DIR and leaves it there (for profiling `wfc check DIR`).
// `big-file N` prints the generated N-state workflow of the `big` suite (to time `wfc` on it).
// Every figure is printed next to a baseline measured in the same run.

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int, _ arguments: [String] = arguments) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let suites = arguments.enumerated().filter { i, a in !a.hasPrefix("--") && Int(a) == nil && (i == 0 || arguments[i - 1] != "--keep") }.map(\.element)
let fileCount = option("--files", 2000)
let runs = option("--runs", 5)

nonisolated func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Nonisolated so that timed closures carry no main-actor checks.
nonisolated func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

nonisolated func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

nonisolated(unsafe) let readMallocs = arguments.contains("phases") ? mallocCounter() : nil
let needsCorpus = suites.isEmpty || suites.contains { ["yaml", "check", "loader-only", "phases", "compile-only"].contains($0) }
let corpus: [[UInt8]] = needsCorpus ? (0..<fileCount).map { Array(Corpus.file($0).utf8) } : []
let totalBytes = corpus.reduce(0) { $0 + $1.count }
let totalLines = corpus.reduce(0) { $0 + $1.filter { $0 == 0x0A }.count }
let mb = Double(totalBytes) / 1e6
if needsCorpus { print("corpus: \(fileCount) files, \(totalLines / max(fileCount, 1)) lines each on average, \(fmt(mb)) MB") }

if suites.contains("loader-only") {
    // For profiling: the loader alone.
    let sources = corpus.enumerated().map { SourceFile(path: "f\($0.offset).yaml", bytes: $0.element) }
    let t = loaderPass(sources, runs: runs)
    print("loader only: median \(fmt(t * 1000, 1)) ms")
}

nonisolated func loaderPass(_ sources: [SourceFile], runs: Int) -> Double {
    let l = YAMLLoader()
    var times: [Double] = []
    for _ in 0..<runs {
        times.append(seconds { for f in sources { _ = l.load(f) } })
    }
    return median(times)
}

if suites.isEmpty || suites.contains("yaml") {
    // (a) bare libyaml event scan vs (b) our loader building node trees, one core.
    var bare: [Double] = []
    var loader: [Double] = []
    let sources = corpus.enumerated().map { SourceFile(path: "f\($0.offset).yaml", bytes: $0.element) }
    let l = YAMLLoader()
    for _ in 0..<runs {
        var events = 0
        bare.append(seconds {
            for bytes in corpus { events += bytes.withUnsafeBufferPointer { bareLibyamlScan($0) } }
        })
        var nodes = 0
        loader.append(seconds {
            for f in sources { nodes += l.load(f).diagnostics.count }
        })
        precondition(events > 0 && nodes == 0, "the corpus must load cleanly")
    }
    let b = median(bare)
    let o = median(loader)
    var evOnly: [Double] = []
    for _ in 0..<runs {
        evOnly.append(seconds {
            for bytes in corpus {
                let p = YAMLEventParser(bytes: bytes)
                while let e = try? p.next() { if case .streamEnd = e.kind { break } }
            }
        })
    }
    print("yaml: swift event layer  \(fmt(mb / median(evOnly), 1)) MB/s  (median \(fmt(median(evOnly) * 1000, 1)) ms)")
    print("yaml: bare libyaml scan  \(fmt(mb / b, 1)) MB/s  (median \(fmt(b * 1000, 1)) ms over \(runs) runs)")
    print("yaml: loader node trees  \(fmt(mb / o, 1)) MB/s  (median \(fmt(o * 1000, 1)) ms)")
    print("yaml: ratio loader/bare  \(fmt(o / b))x  (goal ≤ 1.50x, one core)")
}

if suites.isEmpty || suites.contains("check") {
    // wfc check's runner over files on disk, all cores, vs the bare scan of the same files.
    let keep = arguments.firstIndex(of: "--keep").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    let dir = keep.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("wfc-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
    var paths: [String] = []
    for (i, bytes) in corpus.enumerated() {
        let p = dir.appendingPathComponent("p\(i).yaml").path
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        paths.append(p)
    }
    let runner = CheckRunner.standard()
    let sample = runner.check(paths: Array(paths.prefix(3)))
    precondition(sample.diagnostics.isEmpty, "the corpus must check clean: \(sample.diagnostics.first.map { "\($0.code) \($0.message)" } ?? "")")
    var bare: [Double] = []
    var check: [Double] = []
    var cli: [Double] = []
    let wfc = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wfc").path
    let haveCLI = FileManager.default.isExecutableFile(atPath: wfc)
    for _ in 0..<runs {
        if haveCLI {
            // posix_spawn and a blocking waitpid: Foundation's Process waits on a run loop
            // that takes CPU from the child being timed.
            cli.append(seconds { spawnAndWait(wfc, ["check", dir.path]) })
        }
        bare.append(seconds {
            for p in paths {
                if let d = FileManager.default.contents(atPath: p) {
                    _ = Array(d).withUnsafeBufferPointer { bareLibyamlScan($0) }
                }
            }
        })
        check.append(seconds { _ = runner.check(paths: paths) })
    }
    let b = median(bare)
    let c = median(check)
    print("check: bare scan (read + libyaml, one core)  \(fmt(b * 1000, 1)) ms")
    print("check: wfc check runner (\(ProcessInfo.processInfo.activeProcessorCount) cores)        \(fmt(c * 1000, 1)) ms")
    print("check: ratio runner/bare  \(fmt(c / b))x")
    if haveCLI {
        let w = median(cli)
        print("check: `wfc check DIR` process, end to end  \(fmt(w * 1000, 1)) ms")
        print("check: ratio wfc check/bare  \(fmt(w / b))x  (goal ≤ 1.50x, both cores)")
        // Each run times the process and the bare scan back to back; the median of those
        // pairs cancels slow swings in machine load that the ratio of medians keeps.
        let paired = zip(cli, bare).map { $0 / $1 }.sorted()
        print("check: paired ratios  median \(fmt(median(paired)))x  (lowest \(fmt(paired.first ?? 0)), highest \(fmt(paired.last ?? 0)), \(paired.count) pairs)")
    }
}

/// Runs `path` with `arguments` (output to /dev/null) and waits for it without polling.
nonisolated func spawnAndWait(_ path: String, _ arguments: [String]) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
}

if suites.contains("compile-only") {
    // For profiling: the compiler alone, on trees loaded beforehand.
    compileOnly(corpus, runs: runs)
}

nonisolated func compileOnly(_ corpus: [[UInt8]], runs: Int) {
    var compiler = WorkflowCompiler()
    compiler.seal = false
    let loaded = corpus.enumerated().map { compiler.loader.load(SourceFile(path: "f\($0.offset).yaml", bytes: $0.element)) }
    var times: [Double] = []
    for _ in 0..<runs {
        times.append(seconds { for l in loaded { blackHole(compiler.compile(l)) } })
    }
    print("compile only: median \(fmt(median(times) * 1000, 1)) ms")
}

if suites.contains("phases") {
    for line in phaseTable(corpus, runs: runs) { print(line) }
    if let mallocs = readMallocs {
        var compiler = WorkflowCompiler()
        compiler.seal = false
        let sources = corpus.enumerated().map { SourceFile(path: "f\($0.offset).yaml", bytes: $0.element) }
        let a = mallocs()
        let loaded = sources.map { compiler.loader.load($0) }
        let b = mallocs()
        for l in loaded { blackHole(compiler.compile(l)) }
        let c = mallocs()
        let n = UInt(max(sources.count, 1))
        print("phases: heap allocations per file: loader \((b - a) / n), compiler \((c - b) / n)")
    }
}

/// Where `wfc check`'s time goes, one core: the fastest of `runs` passes per phase.
/// Nonisolated: top-level code is main-actor code, whose checks would be timed too.
nonisolated func phaseTable(_ corpus: [[UInt8]], runs: Int) -> [String] {
    let sources = corpus.enumerated().map { SourceFile(path: "f\($0.offset).yaml", bytes: $0.element) }
    var compiler = WorkflowCompiler()
    compiler.seal = false
    let names = ["bare libyaml scan", "loader", "syntax", "names", "expressions", "graph", "finish", "compiler total"]
    var best = [Double](repeating: .infinity, count: names.count)
    for _ in 0..<runs {
        var bare: UInt64 = 0, load: UInt64 = 0
        var t = PhaseTimings()
        for (f, bytes) in zip(sources, corpus) {
            var c = DispatchTime.now().uptimeNanoseconds
            _ = bytes.withUnsafeBufferPointer { bareLibyamlScan($0) }
            var n = DispatchTime.now().uptimeNanoseconds
            bare += n - c
            c = n
            let loaded = compiler.loader.load(f)
            n = DispatchTime.now().uptimeNanoseconds
            load += n - c
            let r = compiler.compile(loaded)
            precondition(r.diagnostics.isEmpty, "the corpus must check clean")
            t = t + r.timings
        }
        let total = t.syntax + t.names + t.expressions + t.graph + t.finish
        for (i, ns) in [bare, load, t.syntax, t.names, t.expressions, t.graph, t.finish, total].enumerated() {
            best[i] = min(best[i], Double(ns) / 1e6)
        }
    }
    return names.indices.map { i in
        "phases: \(names[i].padding(toLength: 18, withPad: " ", startingAt: 0)) \(fmt(best[i], 1)) ms  \(fmt(best[i] / best[0]))x bare  (best of \(runs), one core)"
    }
}

if suites.isEmpty || suites.contains("big") {
    // Single workflows of growing size: time and peak memory. Every sample is one compile in
    // a fresh process, as `wfc check FILE` runs: later runs in one process would reuse a heap
    // already faulted in, which favours the sizes that get more runs.
    var times: [Int: Double] = [:]
    for count in [1_000, 10_000, 100_000] {
        var samples: [Double] = []
        // Small sizes are cheap: more samples steady the ratio's denominator.
        for _ in 0..<(count >= 100_000 ? max(runs, 3) : max(runs, 7)) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            p.arguments = ["big-one", String(count), "--runs", "1"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try? p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            if let t = Double(out.trimmingCharacters(in: .whitespacesAndNewlines)) { samples.append(t) }
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let t = median(samples)
        times[count] = t
        print("big: \(count) states  \(fmt(t * 1000, 1)) ms (median of \(samples.count) processes)  peak RSS \(usage.ru_maxrss / 1024) MiB (max over children so far)")
    }
    if let a = times[10_000], let b = times[100_000] {
        print("big: ratio 100k/10k  \(fmt(b / a))  (goal ≤ 12: linear growth)")
    }
}

if suites.contains("diff") {
    // `wfc diff` on the generated N-state chain against a new version with every tenth state's
    // round limit changed, every hundredth state renamed and a role title changed: the diff
    // itself, next to compiling the two versions (what `wfc diff` must do first), same run.
    for count in [option("--states", 1_000), option("--states", 1_000) * 10] {
        let oldText = Corpus.big(count)
        var newText = oldText.replacingOccurrences(of: "b: {title: 乙}", with: "b: {title: 乙方}")
        for i in stride(from: 0, to: count, by: 10) {
            newText = newText.replacingOccurrences(of: "  s\(i): {title: 步骤\(i), max_rounds: {limit: 2,", with: "  s\(i): {title: 步骤\(i), max_rounds: {limit: 3,")
        }
        for i in stride(from: 50, to: count, by: 100) {
            newText = newText.replacingOccurrences(of: "  s\(i): {", with: "  r\(i): {").replacingOccurrences(of: "to: s\(i)}", with: "to: r\(i)}")
                .replacingOccurrences(of: "to: s\(i),", with: "to: r\(i),")
        }
        let compiler = WorkflowCompiler(loader: YAMLLoader(limits: YAMLLimits(maxFileBytes: 64 << 20)))
        var compileTimes: [Double] = [], diffTimes: [Double] = []
        var changeCount = 0
        for _ in 0..<max(runs, 3) {
            var old: WorkflowIR?, new: WorkflowIR?
            compileTimes.append(seconds {
                old = compiler.compile(SourceFile(path: "old.yaml", text: oldText)).ir
                new = compiler.compile(SourceFile(path: "new.yaml", text: newText)).ir
            })
            guard let old, let new else {
                print("diff: the generated versions do not compile")
                break
            }
            diffTimes.append(seconds { changeCount = PolicyDiff(old: old, new: new).changes().count })
        }
        let c = median(compileTimes), d = median(diffTimes)
        print("diff: \(count) states, \(changeCount) changes: diff \(fmt(d * 1000, 1)) ms, compiling both \(fmt(c * 1000, 1)) ms; diff/compile \(fmt(d / c, 3)) (median of \(diffTimes.count))")
    }
}

if suites.first == "big-one", arguments.count > 1, let count = Int(arguments[1]) {
    let file = SourceFile(path: "big.yaml", text: Corpus.big(count))
    // What `wfc check` does (`CheckRunner.standard`): the whole compiler; the IR is neither
    // sealed nor given line and column.
    var compiler = WorkflowCompiler(loader: YAMLLoader(limits: YAMLLimits(maxFileBytes: 64 << 20)))
    compiler.seal = false
    compiler.irLineColumns = false
    var ts: [Double] = []
    var phases = PhaseTimings()
    var loadTime = 0.0
    var freeTime = 0.0
    for _ in 0..<runs {
        var errors = 0
        ts.append(seconds {
            var loaded: YAMLLoadResult?
            loadTime = seconds { loaded = compiler.loader.load(file) }
            guard let l = loaded else { return }
            var r: CompileResult? = compiler.compile(l)
            errors = r?.diagnostics.errorCount ?? 0
            phases = r?.timings ?? PhaseTimings()
            // Freeing the tree, the syntax and the IR is part of checking a file.
            freeTime = seconds {
                r = nil
                loaded = nil
            }
        })
        precondition(errors == 0, "the big workflow must compile")
    }
    print(median(ts))
    if arguments.contains("--phases") {
        print("loader \(Int(loadTime * 1000)) ms, syntax \(phases.syntax / 1_000_000) ms, names \(phases.names / 1_000_000) ms, expressions \(phases.expressions / 1_000_000) ms, graph \(phases.graph / 1_000_000) ms, freeing \(Int(freeTime * 1000)) ms")
    }
}


if suites.first == "big-file", arguments.count > 1, let count = Int(arguments[1]) {
    // The same workflow the `big` suite compiles, for timing the `wfc` binary on it.
    FileHandle.standardOutput.write(Data(Corpus.big(count).utf8))
}

// Shared by the release-built benchmark programs: timing, an optimisation barrier and a
// malloc counter.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Counting heap allocations: on Linux the benchmark builds a tiny malloc-counting shim with the
// toolchain's clang and re-executes itself with LD_PRELOAD. (Hooking swift_allocObject is not
// possible: it uses the Swift calling convention.) Set WFC_BENCH_NO_PRELOAD=1 to skip.
private let shimSource = """
#include <stddef.h>
extern void *__libc_malloc(size_t); extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t); extern void *__libc_memalign(size_t, size_t);
unsigned long wfc_bench_malloc_count = 0;
void *malloc(size_t n) { __atomic_add_fetch(&wfc_bench_malloc_count, 1, __ATOMIC_RELAXED); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { __atomic_add_fetch(&wfc_bench_malloc_count, 1, __ATOMIC_RELAXED); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { __atomic_add_fetch(&wfc_bench_malloc_count, 1, __ATOMIC_RELAXED); return __libc_realloc(p, n); }
void *aligned_alloc(size_t a, size_t n) { __atomic_add_fetch(&wfc_bench_malloc_count, 1, __ATOMIC_RELAXED); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    __atomic_add_fetch(&wfc_bench_malloc_count, 1, __ATOMIC_RELAXED);
    void *p = __libc_memalign(a, n); if (!p) return 12; *out = p; return 0;
}
"""

/// Returns a reader for the process-wide malloc count, re-executing under the shim if needed;
/// nil where counting is not possible.
public func mallocCounter() -> (() -> UInt)? {
    if let sym = dlsym(nil, "wfc_bench_malloc_count") {
        let p = sym.assumingMemoryBound(to: UInt.self)
        return { p.pointee }
    }
    #if os(Linux)
    let env = ProcessInfo.processInfo.environment
    if env["WFC_BENCH_NO_PRELOAD"] != nil || env["LD_PRELOAD"]?.contains("wfcbench-malloc") == true { return nil }
    let dir = FileManager.default.temporaryDirectory
    let src = dir.appendingPathComponent("wfcbench-malloc.c"), lib = dir.appendingPathComponent("wfcbench-malloc.so")
    do { try shimSource.write(to: src, atomically: true, encoding: .utf8) } catch { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["clang", "-O2", "-shared", "-fPIC", "-o", lib.path, src.path]
    do { try p.run(); p.waitUntilExit() } catch { return nil }
    guard p.terminationStatus == 0 else { return nil }
    setenv("LD_PRELOAD", lib.path, 1)
    let args = CommandLine.arguments
    var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
    cargs.append(nil)
    execv("/proc/self/exe", &cargs)
    #endif
    return nil
}

/// Keeps `x` alive so that the optimiser cannot drop the work that produced it.
@inline(never) public func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

/// A monotonic clock in nanoseconds.
public func nowNs() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

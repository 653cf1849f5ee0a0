import Foundation

/// Runs deep recursive work (checking, planning, evaluating very tall trees) on a thread with a
/// large stack, so no expression the limits accept can overflow the caller's stack — whatever
/// thread (main, Swift concurrency pool, 512 KiB secondary thread) the host calls from.
package enum DeepStack {
    /// Trees up to this height are checked and planned on the caller's stack (these phases use
    /// large frames, especially in debug builds).
    static let inlineHeight = 16
    /// Trees up to this height are evaluated on the caller's stack (evaluation frames are small;
    /// keeping typical guards inline matters for speed).
    static let inlineEvalHeight = 40
    static let stackSize = 64 << 20

    final class Job<T>: @unchecked Sendable {
        var body: (() -> T)?
        var value: T?
        let done = DispatchSemaphore(value: 0)
        func execute() {
            if let b = body { value = b() }
            body = nil
            done.signal()
        }
    }

    package static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { escapable -> T in
            let job = Job<T>()
            job.body = escapable
            let t = Thread { [job] in job.execute() }
            t.stackSize = stackSize
            t.start()
            job.done.wait()
            job.body = nil // the closure must not outlive this call
            guard let v = job.value else { return escapable() }
            return v
        }
    }
}

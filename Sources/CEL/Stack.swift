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

    /// The work handed to the new thread (type-erased: a C thread entry cannot be generic).
    private final class Work: @unchecked Sendable {
        var run: (() -> Void)?
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new thread with a ``stackSize`` stack and waits for it; nil when no
    /// such thread could be started (then `body` has not run). Never waits on a thread that
    /// did not start.
    package static func tryRun<T>(_ body: () -> T) -> T? {
        withoutActuallyEscaping(body) { escapable -> T? in
            var result: T?
            let work = Work { result = escapable() }
            var attr = pthread_attr_t()
            guard pthread_attr_init(&attr) == 0 else { return nil }
            defer { pthread_attr_destroy(&attr) }
            guard pthread_attr_setstacksize(&attr, stackSize) == 0 else { return nil }
            let arg = Unmanaged.passRetained(work).toOpaque()
            let entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { arg in
                guard let arg else { return nil }
                let work = Unmanaged<Work>.fromOpaque(arg).takeRetainedValue()
                work.run?()
                work.run = nil
                return nil
            }
            #if os(Linux)
            var thread = pthread_t()
            let started = pthread_create(&thread, &attr, entry, arg) == 0
            #else
            var thread: pthread_t?
            let started = pthread_create(&thread, &attr, entry, arg) == 0
            #endif
            guard started else {
                Unmanaged<Work>.fromOpaque(arg).release()
                work.run = nil
                return nil
            }
            #if os(Linux)
            pthread_join(thread, nil)
            #else
            if let thread { pthread_join(thread, nil) }
            #endif
            // The closure must not outlive this call.
            work.run = nil
            return result
        }
    }

    /// Runs `body` on a large stack, or on the caller's when no thread can be started (memory
    /// exhausted): never hangs, at worst as deep as without this.
    package static func run<T>(_ body: () -> T) -> T {
        tryRun(body) ?? body()
    }
}

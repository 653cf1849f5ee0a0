#if canImport(Glibc)
import Glibc
#endif

/// Allocator settings for commands that work through many files in one process.
public enum BatchMemory {
    /// Keeps memory that a finished file freed, for the next file: by default glibc gives
    /// the top of the heap back after each file (`brk` down) and faults it in again for the
    /// next (`brk` up), about once per file. Costs at most `pad` bytes of extra footprint.
    /// Elsewhere than glibc this does nothing.
    public static func keepFreedMemory(pad: Int32 = 16 << 20) {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export; its
        // parameter numbers are fixed by glibc's ABI.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2
        _ = mallopt(trimThreshold, 256 << 20)
        _ = mallopt(topPad, pad)
        #endif
    }
}

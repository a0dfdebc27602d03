#if canImport(CMalloc)
import CMalloc
#endif

/// How the process's allocator hands memory back.
public enum ProcessMemory {
    /// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so the
    /// multi-MiB chunk arrays of the parallel stages come to live on the heap, and freeing them
    /// no longer lowers the resident size: a stage that builds its result from chunks then holds
    /// both at once. A fixed threshold of 1 MiB (`mallopt(M_MMAP_THRESHOLD)`, which also turns the
    /// dynamic adjustment off) maps every block of 1 MiB or more on its own, and `free` unmaps it.
    /// Measured on the 1 M bench scene: see docs/PERFORMANCE.md.
    public static func returnLargeBlocksToTheSystem() {
        #if canImport(CMalloc)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
        #endif
    }
}

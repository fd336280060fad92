import Foundation

/// A `FileIO` that calls `willSync` and `didSync` around every file and directory sync and
/// forwards everything else. Benchmarks count syncs with it; the CLI's crash injection kills the
/// process at a chosen sync with it.
package struct SyncObservingFileIO: FileIO {
    let base: any FileIO
    let willSync: @Sendable () -> Void
    let didSync: @Sendable () -> Void

    /// Wraps `base`.
    package init(base: any FileIO, willSync: @escaping @Sendable () -> Void = {}, didSync: @escaping @Sendable () -> Void = {}) {
        self.base = base
        self.willSync = willSync
        self.didSync = didSync
    }

    package func sync(_ fd: Int32) throws {
        willSync()
        try base.sync(fd)
        didSync()
    }

    package func syncDirectory(_ path: String) throws {
        willSync()
        try base.syncDirectory(path)
        didSync()
    }

    package func open(_ path: String, mode: FileOpenMode) throws -> Int32 { try base.open(path, mode: mode) }
    package func close(_ fd: Int32) { base.close(fd) }
    package func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] { try base.read(fd, at: offset, count: count) }
    package func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws { try base.write(fd, bytes, at: offset) }
    package func truncate(_ fd: Int32, to length: UInt64) throws { try base.truncate(fd, to: length) }
    package func size(_ fd: Int32) throws -> UInt64 { try base.size(fd) }
    package func tryLock(_ fd: Int32) throws -> Bool { try base.tryLock(fd) }
    package func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
    package func makeDirectory(_ path: String) throws -> Bool { try base.makeDirectory(path) }
    package func contentsOfDirectory(_ path: String) throws -> [String] { try base.contentsOfDirectory(path) }
    package func remove(_ path: String) throws { try base.remove(path) }
    package func exists(_ path: String) -> Bool { base.exists(path) }
    package func mapped(_ fd: Int32, size: Int, from offset: Int) -> Data? { base.mapped(fd, size: size, from: offset) }
}

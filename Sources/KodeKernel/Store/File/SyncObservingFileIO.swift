import Foundation

/// A `FileIO` that calls `willSync` and `didSync` around every file and directory sync and
/// forwards everything else. Benchmarks count syncs with it; the CLI's crash injection kills the
/// process at a chosen sync with it.
public struct SyncObservingFileIO: FileIO {
    let base: any FileIO
    let willSync: @Sendable () -> Void
    let didSync: @Sendable () -> Void

    /// Wraps `base`.
    public init(base: any FileIO, willSync: @escaping @Sendable () -> Void = {}, didSync: @escaping @Sendable () -> Void = {}) {
        self.base = base
        self.willSync = willSync
        self.didSync = didSync
    }

    public func sync(_ fd: Int32) throws {
        willSync()
        try base.sync(fd)
        didSync()
    }

    public func syncDirectory(_ path: String) throws {
        willSync()
        try base.syncDirectory(path)
        didSync()
    }

    public func open(_ path: String, mode: FileOpenMode) throws -> Int32 { try base.open(path, mode: mode) }
    public func close(_ fd: Int32) { base.close(fd) }
    public func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] { try base.read(fd, at: offset, count: count) }
    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws { try base.write(fd, bytes, at: offset) }
    public func truncate(_ fd: Int32, to length: UInt64) throws { try base.truncate(fd, to: length) }
    public func size(_ fd: Int32) throws -> UInt64 { try base.size(fd) }
    public func tryLock(_ fd: Int32) throws -> Bool { try base.tryLock(fd) }
    public func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
    public func makeDirectory(_ path: String) throws -> Bool { try base.makeDirectory(path) }
    public func contentsOfDirectory(_ path: String) throws -> [String] { try base.contentsOfDirectory(path) }
    public func remove(_ path: String) throws { try base.remove(path) }
    public func exists(_ path: String) -> Bool { base.exists(path) }
}

/// A thread-safe counter.
public final class AtomicCounter: Sendable {
    private let value = LockedState(0)

    public init() {}

    /// Adds one and returns the new count.
    @discardableResult
    public func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }

    /// The current count.
    public var current: Int { value.withLock { $0 } }
}

import Foundation

/// How `FileIO.open` opens a file.
public enum FileOpenMode: Sendable, Hashable {
    /// Read only; the file must exist.
    case read
    /// Read and write; the file must exist.
    case readWrite
    /// Read and write, creating the file when missing.
    case createReadWrite
    /// Read and write; fails with `EEXIST` when the file already exists.
    case createNew
}

/// A failed file operation: what was attempted, on which path, and the system error number.
public struct FileIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation, e.g. `write` or `fdatasync`.
    public var operation: String
    /// The file or directory involved.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// Creates an error.
    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// Whether the device is full (`ENOSPC`, or a quota `EDQUOT`).
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

    /// The operation, the reason and, for a full disk, says so plainly.
    public var description: String {
        let reason = String(cString: strerror(code))
        return isDiskFull ? "\(operation) failed: the disk is full (\(reason))" : "\(operation) failed: \(reason) (errno \(code))"
    }
}

/// The file operations `FileStore` uses, and nothing else: the seam through which tests replace
/// the disk with one that forgets unsynced writes, fails syncs or runs out of space, to prove the
/// store syncs at the right points. `PosixFileIO` is the real thing.
///
/// File descriptors are plain `Int32`s so the real implementation adds no cost. Every path is
/// absolute. Implementations must be safe to call from many threads at once.
public protocol FileIO: Sendable {
    /// Opens `path` and returns a descriptor.
    func open(_ path: String, mode: FileOpenMode) throws -> Int32
    /// Closes a descriptor (and with it any lock taken through it).
    func close(_ fd: Int32)
    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8]
    /// Reads up to `buffer.count` bytes at `offset` into `buffer` and returns how many were read
    /// (fewer only at the end of the file). Lets long scans reuse one buffer instead of
    /// allocating (and page-faulting in) a fresh array per read.
    func read(_ fd: Int32, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes all of `bytes` at `offset`, or throws (the file may then hold part of them).
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws
    /// Puts the file's data on stable storage (`fdatasync`; `F_FULLFSYNC` on Apple platforms).
    func sync(_ fd: Int32) throws
    /// Cuts or extends the file to `length` bytes.
    func truncate(_ fd: Int32, to length: UInt64) throws
    /// The file's current size.
    func size(_ fd: Int32) throws -> UInt64
    /// Takes an exclusive advisory lock (`flock`) without waiting; false when someone else holds it.
    func tryLock(_ fd: Int32) throws -> Bool
    /// Makes a directory's entries (creations, renames, removals) durable.
    func syncDirectory(_ path: String) throws
    /// Atomically renames a file, replacing any file at `to`.
    func rename(_ from: String, to: String) throws
    /// Creates a directory (and its parents). Returns false when it already existed.
    func makeDirectory(_ path: String) throws -> Bool
    /// The names in a directory, unsorted; throws `ENOENT` when it does not exist.
    func contentsOfDirectory(_ path: String) throws -> [String]
    /// Removes a file or a whole directory tree.
    func remove(_ path: String) throws
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
    /// The file's bytes from `offset` to `size`, mapped into memory instead of read, or nil when
    /// this implementation does not map files (the caller then reads them). Only for files that
    /// are never changed in place once written (snapshots are written atomically), since a mapped
    /// file that shrinks under the reader would fault.
    func mapped(_ fd: Int32, size: Int, from offset: Int) -> Data?
}

extension FileIO {
    /// Default: no mapping; the caller reads.
    public func mapped(_ fd: Int32, size: Int, from offset: Int) -> Data? { nil }

    /// Default: `read(_:at:count:)` and a copy.
    public func read(_ fd: Int32, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let bytes = try read(fd, at: offset, count: buffer.count)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return bytes.count
    }

    /// The whole content of the file at `path`.
    public func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, mode: .read)
        defer { close(fd) }
        return try read(fd, at: 0, count: Int(try size(fd)))
    }

    /// Writes `bytes` to a temporary file, syncs it and renames it to `path`, without syncing the
    /// directory: `path` never names a partial file, but whether the name survives a crash is
    /// left to a later `syncDirectory`.
    func writeSyncedThenRename(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-" + UUID().uuidString
        let fd = try open(temporary, mode: .createNew)
        do {
            try bytes.withUnsafeBytes { try write(fd, $0, at: 0) }
            try sync(fd)
            close(fd)
        } catch {
            close(fd)
            try? remove(temporary)
            throw error
        }
        do {
            try rename(temporary, to: path)
        } catch {
            try? remove(temporary)
            throw error
        }
    }

    /// Writes `bytes` to `path` so that a crash leaves either the old file or the whole new one:
    /// write a temporary file, sync it, rename it over `path`, sync the directory.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        try writeSyncedThenRename(bytes, to: path)
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }
}

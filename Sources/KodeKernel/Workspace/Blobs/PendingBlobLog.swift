import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a small snapshot's new blobs durable with one `fdatasync` instead of a sync per blob
/// and per shard directory: the blobs are written to their loose files as always (not synced),
/// and a copy of each is appended to this agent's log, `<store>/blobs/pending/<agent>.log`,
/// which is synced once. The log record comes before the snapshot's record, so every blob a
/// record names survives a power loss — in its loose file, or in the log.
///
/// The copies are needed only until the loose files are on stable storage: when the log grows
/// past ``trimSize`` (and when the recorder closes) one `syncfs` makes them so and the log is
/// emptied. After a crash, the next recorder of the agent checks each logged blob's loose file
/// and rewrites the missing or damaged ones; any reader meeting a missing or damaged blob looks
/// in the logs too (``find(_:in:)``).
///
/// Record: `"KBL1"` | hash (64 hex digits) | length u64 (little-endian) | bytes. A torn last
/// record (the crash hit the append) is ignored: its `fdatasync` never returned, so no snapshot
/// record names its blobs.
final class PendingBlobLog {
    static let magic = Array("KBL1".utf8)
    /// Past this size the log is emptied after one `syncfs`.
    static let trimSize: Int64 = 16 * 1024 * 1024
    /// A batch with more bytes of new blobs than this is synced in place instead (a first
    /// snapshot would otherwise write everything twice).
    static let batchLimit: Int64 = 4 * 1024 * 1024

    let path: String
    private let store: BlobStore
    private let fd: Int32
    private(set) var size: Int64

    /// Opens (creating it durably if needed) the log of `agent`, after recovering what a crash
    /// left in it.
    init(store: BlobStore, agent: AgentID) throws {
        self.store = store
        let directory = store.directory + "/pending"
        path = directory + "/" + agent + ".log"
        try PosixFiles.makeDirectory(store.directory, mode: 0o755)
        let created = PosixFiles.lstat(directory) == nil
        try PosixFiles.makeDirectory(directory, mode: 0o755)
        if created { try PosixFiles.fsyncPath(store.directory) }
        let existed = PosixFiles.lstat(path) != nil
        fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw WorkspaceIOError.errno(path, "cannot open the pending blob log") }
        if !existed {
            guard fsync(fd) == 0 else { throw WorkspaceIOError.errno(path, "fsync failed") }
            try PosixFiles.fsyncPath(directory)
        }
        size = PosixFiles.lstat(path)?.size ?? 0
        if size > 0 { try recover() }
    }

    deinit { close(fd) }

    /// Appends `blobs` and syncs the log once: when this returns they are durable.
    func append(_ blobs: [(hash: String, bytes: [UInt8])]) throws {
        guard !blobs.isEmpty else { return }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(blobs.reduce(0) { $0 + 76 + $1.bytes.count })
        for blob in blobs {
            buffer += Self.magic
            buffer += Array(blob.hash.utf8)
            withUnsafeBytes(of: UInt64(blob.bytes.count).littleEndian) { buffer += $0 }
            buffer += blob.bytes
        }
        do {
            try buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw WorkspaceIOError.errno(path, "cannot append to the pending blob log")
                    }
                    offset += n
                }
            }
            guard fdatasync(fd) == 0 else { throw WorkspaceIOError.errno(path, "fdatasync failed") }
        } catch {
            // A partial record would hide every later one from recovery.
            _ = ftruncate(fd, off_t(size))
            throw error
        }
        size += Int64(buffer.count)
    }

    /// Every loose blob written so far is made durable in place, then the log is emptied.
    func trim() throws {
        guard size > 0 else { return }
        try PosixFiles.syncFileSystem(containing: store.directory)
        guard ftruncate(fd, 0) == 0 else { throw WorkspaceIOError.errno(path, "cannot empty the pending blob log") }
        size = 0
    }

    /// After a crash: every blob in the log whose loose file is missing or damaged is written
    /// again (synced), then the log is emptied.
    private func recover() throws {
        for (hash, bytes) in try Self.records(at: path) where (try? PosixFiles.read(store.path(of: hash))).map(SHA256.hex) != hash {
            try store.repair(hash, bytes)
        }
        try trim()
    }

    /// The bytes of blob `hash` from any agent's pending log, or nil.
    static func find(_ hash: String, in store: BlobStore) -> [UInt8]? {
        let directory = store.directory + "/pending"
        for name in (try? PosixFiles.list(directory)) ?? [] where name.hasSuffix(".log") {
            guard let records = try? records(at: directory + "/" + name) else { continue }
            if let found = records.first(where: { $0.hash == hash }) { return found.bytes }
        }
        return nil
    }

    /// The intact records of the log at `path`, each checked against its hash.
    static func records(at path: String) throws -> [(hash: String, bytes: [UInt8])] {
        let data = try PosixFiles.read(path)
        var out: [(String, [UInt8])] = []
        var offset = 0
        while offset + 76 <= data.count {
            guard Array(data[offset..<(offset + 4)]) == magic else { break }
            let hash = String(decoding: data[(offset + 4)..<(offset + 68)], as: UTF8.self)
            var length: UInt64 = 0
            for i in 0..<8 { length |= UInt64(data[offset + 68 + i]) << (8 * UInt64(i)) }
            let start = offset + 76
            guard length <= UInt64(data.count - start) else { break }
            let bytes = Array(data[start..<(start + Int(length))])
            guard SHA256.hex(bytes) == hash else { break }
            out.append((hash, bytes))
            offset = start + Int(length)
        }
        return out
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The content-addressed store of file contents and tree objects, shared by every agent of a
/// file store: `<root>/blobs/<first two hex digits>/<the other 62>`. A blob's name is the SHA-256
/// of its bytes, so the same content is stored once however many agents, steps or forks hold it.
///
/// Writers add blobs under a shared lock on `blobs/.lock`; `kode store gc` deletes under the
/// exclusive lock (see `BlobCollector`). Blobs are made durable (``BlobBatch/commit()``) before
/// the log record that references them is appended.
public struct BlobStore: Sendable {
    /// `<store root>/blobs`.
    public let directory: String

    /// The blob store of the file store at `storeRoot`.
    public init(storeRoot: URL) {
        directory = storeRoot.standardizedFileURL.path + "/blobs"
    }

    /// Where blob `hash` lives.
    public func path(of hash: String) -> String {
        let utf8 = Array(hash.utf8)
        return directory + "/" + String(decoding: utf8[0..<2], as: UTF8.self) + "/" + String(decoding: utf8[2...], as: UTF8.self)
    }

    public func contains(_ hash: String) -> Bool {
        PosixFiles.lstat(path(of: hash))?.kind == .file
    }

    /// The bytes of blob `hash`, checked against their name: a damaged blob is an error, never
    /// restored into a work directory. A loose file lost or damaged by a crash before it reached
    /// the disk is taken from a pending blob log (``PendingBlobLog``) and written again.
    public func read(_ hash: String) throws -> [UInt8] {
        let path = path(of: hash)
        do {
            let bytes = try PosixFiles.read(path)
            guard SHA256.hex(bytes) == hash else {
                throw WorkspaceIOError(path: path, message: "the blob's contents do not match its hash (damaged)", code: EIO)
            }
            return bytes
        } catch {
            guard let bytes = PendingBlobLog.find(hash, in: self) else { throw error }
            try? repair(hash, bytes)
            return bytes
        }
    }

    /// Writes blob `hash` again, durably, replacing whatever its loose file holds.
    func repair(_ hash: String, _ bytes: [UInt8]) throws {
        let final = path(of: hash)
        let shard = (final as NSString).deletingLastPathComponent
        try PosixFiles.makeDirectory(directory, mode: 0o755)
        try PosixFiles.makeDirectory(shard, mode: 0o755)
        let temporary = shard + "/.tmp-" + ShortID.make()
        try bytes.withUnsafeBytes { (raw) in try PosixFiles.writeNew(temporary, raw, mode: 0o444, sync: true) }
        try PosixFiles.rename(temporary, final)
        try PosixFiles.fsyncPath(shard)
        try PosixFiles.fsyncPath(directory)
    }

    /// Runs `body` holding the shared (writer) or exclusive (collector) lock on the blob store.
    func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        try PosixFiles.makeDirectory(directory, mode: 0o755)
        let lockPath = directory + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WorkspaceIOError.errno(lockPath, "cannot open the blob lock") }
        defer { close(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw WorkspaceIOError.errno(lockPath, "cannot lock the blob store") }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}

/// Blobs written by one snapshot (or one fork), made durable together by ``commit()``.
final class BlobBatch {
    let store: BlobStore
    private(set) var written: [String] = []
    private var shards: Set<String> = []
    /// Bytes of new blobs (what this batch adds to the store).
    private(set) var bytesWritten: Int64 = 0
    /// Up to this many new blobs are synced one by one; more take one `syncfs`.
    let syncEachLimit: Int
    /// When set, a batch of up to ``PendingBlobLog/batchLimit`` bytes is made durable by one
    /// append to this log instead (the blobs' bytes are kept until ``commit()``).
    private let log: PendingBlobLog?
    private var logged: [(hash: String, bytes: [UInt8])] = []
    private var overLogLimit = false

    init(store: BlobStore, syncEachLimit: Int = 16, log: PendingBlobLog? = nil) {
        self.store = store
        self.syncEachLimit = syncEachLimit
        self.log = log
    }

    /// Stores `bytes` unless a blob with their hash exists (which is then touched, so a collector
    /// running at the same time sees it in use). Returns the hash.
    @discardableResult
    func put(_ bytes: UnsafeRawBufferPointer) throws -> String {
        let hash = SHA256.hex(bytes)
        try put(bytes, hash: hash)
        return hash
    }

    func put(_ bytes: UnsafeRawBufferPointer, hash: String) throws {
        let final = store.path(of: hash)
        if PosixFiles.lstat(final) != nil {
            PosixFiles.touch(final)
            return
        }
        let shard = (final as NSString).deletingLastPathComponent
        if !shards.contains(shard) {
            try PosixFiles.makeDirectory(store.directory, mode: 0o755)
            try PosixFiles.makeDirectory(shard, mode: 0o755)
        }
        let temporary = shard + "/.tmp-" + ShortID.make()
        try PosixFiles.writeNew(temporary, bytes, mode: 0o444, sync: false)
        try PosixFiles.rename(temporary, final)
        shards.insert(shard)
        written.append(final)
        bytesWritten += Int64(bytes.count)
        if log != nil && !overLogLimit {
            if bytesWritten > PendingBlobLog.batchLimit {
                overLogLimit = true
                logged = []
            } else {
                logged.append((hash, Array(bytes)))
            }
        }
    }

    /// Makes every blob written so far durable: each file and its directory synced, or for many
    /// files one sync of the file system (a journal commit per file would dominate a first snapshot).
    func commit() throws {
        guard !written.isEmpty else { return }
        if let log, !overLogLimit {
            try log.append(logged)
            if log.size > PendingBlobLog.trimSize { try log.trim() }
        } else {
            // Past `syncEachLimit` new blobs, the set takes one `syncfs`.
            var set = SyncSet(limit: syncEachLimit + shards.count + 1)
            for path in written { set.file(path) }
            for shard in shards { set.directory(shard) }
            set.directory(store.directory)
            try set.sync(fileSystem: store.directory)
        }
        written.removeAll()
        shards.removeAll()
        logged.removeAll()
    }
}

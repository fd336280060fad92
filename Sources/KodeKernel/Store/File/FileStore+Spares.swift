import Foundation
import Synchronization

/// Agent directories made ahead of time, for creations that should cost next to nothing: a
/// sub-agent is created inside its parent's tool call, and on a busy file system each new
/// inode (the agent's directory, `wal/`, its first segment, `LOCK`) cost 0.1–0.35 ms there.
///
/// A spare is `spares/s-<id>/` holding what a new agent's directory holds before its manifest:
/// `wal/` with the first segment's header (no record before it), an empty `LOCK`, and an empty
/// file the manifest is written into and renamed from (`SparePool.manifestFile`). Nothing of
/// it is synced: a spare becomes an agent by one `rename` into `agents/`, and that agent's
/// creation is deferred, so its first sync makes the segment, `wal/`, its directory and
/// `agents/` durable (`syncCreation`), which covers everything the spare was made with. A spare
/// torn by a crash is a deferred creation torn the same way: an all-zero or missing segment is
/// made again by the first writer. Any process may take any spare (the rename is atomic: one
/// wins, the other makes its agent the ordinary way), so spares a process left are used by the
/// next one, and at most `SparePool.kept` are made by each.
struct SparePool {
    /// Spares this object keeps ready.
    static let kept = 2
    /// The file inside a spare that becomes the manifest: written, synced and renamed as a
    /// temporary file of `writeSyncedThenRename` is, but made ahead, so taking a spare creates no
    /// inode at all (each creation cost 0.35–0.9 ms on a file system with many recent deletions).
    /// A `.tmp-` name, so whatever skips temporary files skips one a crash left.
    static let manifestFile = ".tmp-spare-manifest"
    var ready: [String] = []

    /// A spare being made is `t-<pid>-<id>`: the pid says whether its maker still runs.
    static func halfMadeName(_ id: String) -> String { "t-\(getpid())-\(id)" }

    /// A half-made spare whose maker is gone: a crash (or a kill) stopped it between `mkdir` and
    /// the rename, and nothing else will ever finish or take it. One whose maker runs is left
    /// alone, as is a name of another form.
    static func wasLeftHalfMade(_ name: String) -> Bool {
        let parts = name.split(separator: "-", maxSplits: 2)
        guard parts.count == 3, parts[0] == "t", let pid = pid_t(parts[1]), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
    var making = false
    var looked = false
}

extension FileStore {
    var sparesPath: String { rootPath + "/spares" }

    /// Moves a spare into place as agent `id`'s directory, then writes its manifest (content
    /// synced) as an ordinary creation does after making the directory. The move comes first: it
    /// is what makes a spare one process's, so two taking the same spare never share a manifest.
    /// False when no spare was ready or it could not be moved (the caller then creates the agent
    /// the ordinary way); an error writing the manifest is the caller's.
    func placeSpare(as id: AgentID, manifest bytes: [UInt8]) throws -> Bool {
        defer { makeSpares() }
        let target = paths(id)
        while let name = takeSpare() {
            // Fails when another process took it (gone) or the agent's directory exists already.
            guard (try? io.rename(sparesPath + "/" + name, to: target.directory)) != nil else {
                if io.exists(target.directory) { return false }
                continue
            }
            try writeManifest(bytes, intoSpareAt: target.directory, as: target.manifest)
            return true
        }
        return false
    }

    /// Writes the manifest into the spare's ready file and renames it into place; a spare made
    /// before that file existed (by an older build) gets the ordinary temporary file.
    private func writeManifest(_ bytes: [UInt8], intoSpareAt directory: String, as manifest: String) throws {
        let ready = directory + "/" + SparePool.manifestFile
        guard let fd = try? io.open(ready, mode: .readWrite) else {
            return try io.writeSyncedThenRename(bytes, to: manifest)
        }
        do {
            try bytes.withUnsafeBytes { try io.write(fd, $0, at: 0) }
            try io.sync(fd)
            io.close(fd)
        } catch {
            io.close(fd)
            throw error
        }
        try io.rename(ready, to: manifest)
    }

    private func takeSpare() -> String? {
        let known = spares.withLock { pool -> [String]? in
            guard !pool.looked else { return nil }
            pool.looked = true
            return []
        }
        if known != nil {
            // Spares other processes left, once per object: `spares/` holds a few names at most.
            let names = (try? io.contentsOfDirectory(sparesPath)) ?? []
            spares.withLock { $0.ready.append(contentsOf: names.filter { $0.hasPrefix("s-") }) }
            for name in names where SparePool.wasLeftHalfMade(name) { try? io.remove(sparesPath + "/" + name) }
        }
        return spares.withLock { $0.ready.popLast() }
    }

    /// Makes spares off the caller's thread until `SparePool.kept` are ready.
    func makeSpares() {
        let start = spares.withLock { pool -> Bool in
            guard !pool.making, pool.ready.count < SparePool.kept else { return false }
            pool.making = true
            return true
        }
        guard start else { return }
        blockingQueue.async { [self] in
            while spares.withLock({ $0.ready.count < SparePool.kept }), let name = try? makeSpare() {
                spares.withLock { $0.ready.append(name) }
            }
            spares.withLock { $0.making = false }
        }
    }

    /// Made under a `t-` name and renamed to its `s-` name once whole, so another process never
    /// takes one half made.
    private func makeSpare() throws -> String {
        // Not for a store removed meanwhile (a test's temporary one): making `spares/` would
        // make its missing parents again.
        guard io.exists(rootPath + "/agents") else { throw FileIOError(operation: "mkdir", path: sparesPath, code: ENOENT) }
        _ = try io.makeDirectory(sparesPath)
        let id = ShortID.make()
        let directory = sparesPath + "/" + SparePool.halfMadeName(id)
        do {
            _ = try io.makeDirectory(directory)
            _ = try io.makeDirectory(directory + "/wal")
            let segment = try io.open(directory + "/wal/" + LogFormat.segmentName(1), mode: .createNew)
            defer { io.close(segment) }
            let header = LogFormat.segmentHeader(number: 1, previousSeq: 0)
            try header.withUnsafeBytes { try io.write(segment, $0, at: 0) }
            io.close(try io.open(directory + "/LOCK", mode: .createNew))
            io.close(try io.open(directory + "/" + SparePool.manifestFile, mode: .createNew))
            try io.rename(directory, to: sparesPath + "/s-" + id)
            return "s-" + id
        } catch {
            try? io.remove(directory)
            throw error
        }
    }
}

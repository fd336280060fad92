import Foundation
import Synchronization

extension FileStore {
    /// Takes the agent's `flock`, cuts a torn tail (reported by the next `history`) and returns the writer.
    public func openWriter(_ id: AgentID) async throws -> any AgentLogWriter { try await openLogWriter(id) }

    /// `openWriter` with the concrete type, for callers that want `FileLogWriter.enqueue`.
    package func openLogWriter(_ id: AgentID) async throws -> FileLogWriter {
        try await offCooperativePool { try self.openLogWriterBlocking(id) }
    }

    func openLogWriterBlocking(_ id: AgentID) throws -> FileLogWriter {
        let pending = pendingCreations.withLock { $0[id] }
        let manifest = try pending ?? readManifest(id)
        let p = paths(id)
        let lock = try io(p.lock) { try WriterLock.acquire(path: p.lock, agent: id, io: io) }
        openWriters.withLock { _ = $0.insert(id) }
        // A sub-agent is created `.deferred`, and a process killed before its first sync leaves
        // its files on disk but maybe not durable: whoever writes it next makes its directory
        // entries durable with their first sync too, before anything of theirs counts as stored.
        let creationPending = pending != nil || manifest.spawnedBy != nil
        do {
            _ = try newestSnapshot(id, atMost: nil)
            let tail = try inspectTail(id, repair: true)
            if let note = tail.repairNote { pendingRepairs.withLock { $0[id, default: []].append(note) } }
            if let segment = tail.segment {
                let path = p.segment(segment)
                let fd = try io(path) { try io.open(path, mode: .readWrite) }
                return FileLogWriter(
                    store: self, id: id, lock: lock, segment: segment, fd: fd, length: tail.end, lastSeq: tail.lastSeq,
                    creationPending: creationPending)
            }
            // A fork's own seqs continue after its fork point.
            let lastSeq = manifest.parent?.seq ?? 0
            // A deferred creation's first segment is made durable with the rest of it.
            let fd = try createSegment(id, number: 1, previousSeq: lastSeq, durable: !creationPending)
            return FileLogWriter(
                store: self, id: id, lock: lock, segment: 1, fd: fd, length: UInt64(LogFormat.segmentHeaderSize), lastSeq: lastSeq,
                creationPending: creationPending)
        } catch {
            openWriters.withLock { _ = $0.remove(id) }
            lock.release()
            throw error
        }
    }

    /// How many of an agent's own newest snapshots are kept (besides those its forks need).
    static let snapshotsKept = 2

    /// Writes a snapshot atomically, then prunes old ones, keeping any a fork still needs.
    func storeSnapshot(_ id: AgentID, _ snapshot: StoredSnapshot, position: LogPosition) throws {
        let p = paths(id)
        let path = p.snapshots + "/" + SnapshotFile.name(seq: snapshot.seq)
        try io(path) {
            if try io.makeDirectory(p.snapshots) { try io.syncDirectory(p.directory) }
            try io.writeAtomically(SnapshotFile.encode(snapshot, position: position), to: path)
        }
        indexes.withLock { $0[id, default: SparseIndex()].note(seq: snapshot.seq, end: position) }
        snapshotCache.withLock { $0[id] = (snapshot, position) }
        try pruneSnapshots(id)
    }

    /// Deletes snapshots that are neither among the newest `snapshotsKept` nor the newest one at
    /// or before some fork's seq (a fork opens from its ancestor's snapshot).
    func pruneSnapshots(_ id: AgentID) throws {
        let directory = paths(id).snapshots
        let seqs = ((try? io.contentsOfDirectory(directory)) ?? []).compactMap(SnapshotFile.seq(fromName:)).sorted(by: >)
        guard seqs.count > Self.snapshotsKept else { return }
        var keep = Set(seqs.prefix(Self.snapshotsKept))
        for forkSeq in try forkSeqs(of: id) {
            if let needed = seqs.first(where: { $0 <= forkSeq }) { keep.insert(needed) }
        }
        var removed = false
        for seq in seqs where !keep.contains(seq) {
            try? io.remove(directory + "/" + SnapshotFile.name(seq: seq))
            removed = true
        }
        if removed { try? io.syncDirectory(directory) }
    }

    /// The fork seqs of every agent whose lineage passes through `id` (children, grandchildren
    /// forked below their parent's fork point, …).
    func forkSeqs(of id: AgentID) throws -> [UInt64] {
        var manifests: [AgentManifest] = []
        for name in ((try? io.contentsOfDirectory(rootPath + "/agents")) ?? []) where !name.hasPrefix(".") {
            if let manifest = try? readManifest(name) { manifests.append(manifest) }
        }
        var result: [UInt64] = []
        var frontier: [(AgentID, UInt64?)] = [(id, nil)]
        var seen: Set<AgentID> = [id]
        while let (agent, cap) = frontier.popLast() {
            for child in manifests where child.parent?.agentId == agent && seen.insert(child.id).inserted {
                let seq = min(child.parent!.seq, cap ?? .max)
                result.append(seq)
                frontier.append((child.id, seq))
            }
        }
        return result
    }
}

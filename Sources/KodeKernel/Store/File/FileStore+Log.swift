import Foundation
import Synchronization

/// What `inspectTail` found at the end of an agent's own log.
struct TailInfo {
    /// The newest segment, nil when the agent has never been opened for writing.
    var segment: UInt32?
    /// Where the last good record ends (the header's end for an empty segment).
    var end: UInt64 = 0
    /// The last good record's seq (the segment header's previous seq when it has none).
    var lastSeq: UInt64 = 0
    /// Set when a torn tail was cut.
    var repairNote: String?
}

extension FileStore {
    /// The agent's segment numbers, oldest first.
    func listSegments(_ id: AgentID) throws -> [UInt32] {
        let wal = paths(id).wal
        do {
            return try io.contentsOfDirectory(wal).compactMap(LogFormat.segmentNumber).sorted()
        } catch let error as FileIOError where error.code == ENOENT {
            return []
        } catch {
            throw StoreError.io(path: relative(wal), message: "\(error)")
        }
    }

    /// Reads and validates a segment header.
    func readSegmentHeader(fd: Int32, path: String) throws -> SegmentHeader {
        let bytes = try io(path) { try io.read(fd, at: 0, count: LogFormat.segmentHeaderSize) }
        guard let header = bytes.withUnsafeBytes({ SegmentHeader($0) }) else {
            throw StoreError.corrupted(file: relative(path), offset: 0, detail: "not a Kode log segment (bad header)")
        }
        guard header.version <= LogFormat.version else {
            throw StoreError.unsupportedVersion(file: relative(path), version: Int(header.version))
        }
        return header
    }

    /// Creates segment `number`, durably (its header synced and its directory entry too).
    /// Not `durable`: nothing is synced, for the first segment of a deferred creation, which
    /// `syncCreation` makes durable later.
    func createSegment(_ id: AgentID, number: UInt32, previousSeq: UInt64, durable: Bool = true) throws -> Int32 {
        let p = paths(id)
        let path = p.segment(number)
        return try io(path) {
            if try io.makeDirectory(p.wal), durable { try io.syncDirectory(p.directory) }
            let fd = try io.open(path, mode: .createNew)
            do {
                let header = LogFormat.segmentHeader(number: number, previousSeq: previousSeq)
                try header.withUnsafeBytes { try io.write(fd, $0, at: 0) }
                guard durable else { return fd }
                try io.sync(fd)
                try io.syncDirectory(p.wal)
                return fd
            } catch {
                io.close(fd)
                throw error
            }
        }
    }

    /// Visits every record of the agent's own log with `seq > after`, in order, verifying each
    /// checksum, until `visit` returns false. Starts from the sparse index when it can.
    /// A damaged end of the newest segment ends the walk quietly (a live writer's record in
    /// progress, or a torn tail for the next writer to cut); damage anywhere else throws
    /// `StoreError.corrupted`. Returns the last seq and position reached.
    @discardableResult
    func scanOwnLog(_ id: AgentID, after: UInt64, visit: (_ record: ScannedRecord, _ segment: UInt32) throws -> Bool) throws -> (seq: UInt64, end: LogPosition)? {
        let p = paths(id)
        let segments = try listSegments(id)
        guard let lastSegment = segments.last else { return nil }
        var start = LogPosition(segment: segments[0], offset: UInt64(LogFormat.segmentHeaderSize))
        var previousSeq: UInt64 = 0
        if let hint = indexes.withLock({ $0[id]?.start(after: after) }), segments.contains(hint.end.segment) {
            start = hint.end
            previousSeq = hint.seq
        }
        var reached: (seq: UInt64, end: LogPosition)? = nil
        var notes: [(UInt64, LogPosition)] = []
        defer {
            indexes.withLock { indexes in
                for (seq, end) in notes { indexes[id, default: SparseIndex()].note(seq: seq, end: end) }
            }
        }
        var counter: UInt64 = 0
        for number in segments where number >= start.segment {
            let path = p.segment(number)
            let fd = try io(path) { try io.open(path, mode: .read) }
            defer { io.close(fd) }
            let size = try io(path) { try io.size(fd) }
            var offset = number == start.segment ? start.offset : UInt64(LogFormat.segmentHeaderSize)
            if offset == UInt64(LogFormat.segmentHeaderSize) {
                // A segment shorter than its header (or only zeros) is one whose creation is still
                // in progress or was cut short by a crash: it holds no records yet.
                if try headerNeverWritten(fd: fd, size: size, path: path) {
                    if number == lastSegment { return reached }
                    throw StoreError.corrupted(file: relative(path), offset: 0, detail: size < offset ? "segment shorter than its header" : "segment without a header (only zero bytes)")
                }
                let header = try readSegmentHeader(fd: fd, path: path)
                if previousSeq == 0 { previousSeq = header.previousSeq }
            }
            guard size > offset else { continue }
            let bytes = try io(path) { try io.read(fd, at: offset, count: Int(size - offset)) }
            var lastSeq = previousSeq
            var lastEnd = offset
            var stopped = false
            let end = try bytes.withUnsafeBytes { raw in
                try LogScanner.scan(raw, base: offset, file: relative(path)) { record in
                    guard record.seq > lastSeq else {
                        throw StoreError.corrupted(file: relative(path), offset: record.offset, detail: "seq \(record.seq) does not follow seq \(lastSeq)")
                    }
                    lastSeq = record.seq
                    lastEnd = record.end
                    counter += 1
                    if counter % SparseIndex.stride == 0 { notes.append((record.seq, LogPosition(segment: number, offset: record.end))) }
                    if record.seq <= after { return true }
                    if try visit(record, number) { return true }
                    stopped = true
                    return false
                }
            }
            if lastEnd > offset {
                reached = (lastSeq, LogPosition(segment: number, offset: lastEnd))
                notes.append(reached!)
            }
            offset = lastEnd
            previousSeq = lastSeq
            if stopped { return reached }
            switch end {
            case .clean, .stopped:
                continue
            case .damagedTail(let at, let detail):
                if number == lastSegment { return reached }
                throw StoreError.corrupted(file: relative(path), offset: at, detail: detail + " (not the newest segment, so not a torn tail)")
            case .unusedSpace(let at):
                if number == lastSegment { return reached }
                // A writer trims its preallocation before starting the next segment.
                throw StoreError.corrupted(file: relative(path), offset: at, detail: "zero bytes after the last record of a segment that is not the newest")
            case .corrupted(let at, let detail):
                throw StoreError.corrupted(file: relative(path), offset: at, detail: detail)
            }
        }
        return reached
    }

    /// Whether a segment never got its header: shorter than one, or nothing but zero bytes (a
    /// crash after the file's size reached the disk but not its bytes, which a deferred
    /// creation's first segment can meet). Either way it holds no record.
    func headerNeverWritten(fd: Int32, size: UInt64, path: String) throws -> Bool {
        let headerSize = LogFormat.segmentHeaderSize
        if size < UInt64(headerSize) { return true }
        let header = try io(path) { try io.read(fd, at: 0, count: headerSize) }
        guard header.allSatisfy({ $0 == 0 }) else { return false }
        return try io(path) { try io.read(fd, at: 0, count: Int(size)) }.allSatisfy { $0 == 0 }
    }

    /// Finds where the agent's own log ends, cutting a torn tail back to the last good record
    /// when `repair` is set (the caller must hold the writer lock). Throws on corruption.
    func inspectTail(_ id: AgentID, repair: Bool) throws -> TailInfo {
        let p = paths(id)
        var notes: [String] = []
        while true {
            guard let last = try listSegments(id).last else { return TailInfo(repairNote: notes.first) }
            let path = p.segment(last)
            let fd = try io(path) { try io.open(path, mode: repair ? .readWrite : .read) }
            defer { io.close(fd) }
            let size = try io(path) { try io.size(fd) }
            if try headerNeverWritten(fd: fd, size: size, path: path) {
                guard repair else { return TailInfo(segment: nil, repairNote: nil) }
                // A crash while creating the segment: it never held a record.
                try io(path) {
                    try io.remove(path)
                    try io.syncDirectory(p.wal)
                }
                notes.append("removed \(relative(path)), a segment whose creation was interrupted (\(size) bytes)")
                continue
            }
            let header = try readSegmentHeader(fd: fd, path: path)
            var start = UInt64(LogFormat.segmentHeaderSize)
            var lastSeq = header.previousSeq
            if let hint = indexes.withLock({ $0[id]?.last }), hint.end.segment == last, hint.end.offset <= size {
                start = hint.end.offset
                lastSeq = hint.seq
            }
            var end = start
            if size > start {
                let bytes = try io(path) { try io.read(fd, at: start, count: Int(size - start)) }
                let outcome = try bytes.withUnsafeBytes { raw in
                    try LogScanner.scan(raw, base: start, file: relative(path)) { record in
                        guard record.seq > lastSeq else {
                            throw StoreError.corrupted(file: relative(path), offset: record.offset, detail: "seq \(record.seq) does not follow seq \(lastSeq)")
                        }
                        lastSeq = record.seq
                        end = record.end
                        return true
                    }
                }
                switch outcome {
                case .clean, .stopped:
                    break
                case .corrupted(let at, let detail):
                    throw StoreError.corrupted(file: relative(path), offset: at, detail: detail)
                case .damagedTail(let at, let detail):
                    if repair {
                        try cut(fd, path: path, at: at)
                        notes.append("torn tail in \(relative(path)) at offset \(at) (\(detail), \(size - at) bytes) cut back; the log ends at seq \(lastSeq)")
                    }
                case .unusedSpace(let at):
                    // The caller holds the lock, so the writer that preallocated this is gone.
                    if repair {
                        try cut(fd, path: path, at: at)
                        notes.append("unused preallocated space in \(relative(path)) from offset \(at) (\(size - at) zero bytes, left by a writer that stopped without closing) cut back; the log ends at seq \(lastSeq)")
                    }
                }
            }
            if end > UInt64(LogFormat.segmentHeaderSize) {
                indexes.withLock { $0[id, default: SparseIndex()].note(seq: lastSeq, end: LogPosition(segment: last, offset: end)) }
            }
            return TailInfo(segment: last, end: end, lastSeq: lastSeq, repairNote: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }

    /// Cuts a segment back to `at` and makes the new length durable.
    private func cut(_ fd: Int32, path: String, at: UInt64) throws {
        try io(path) {
            try io.truncate(fd, to: at)
            try io.sync(fd)
        }
    }

    /// The position just after the record `seq` (or after the last record before it) in the
    /// agent's own log, for a snapshot taken at `seq`.
    func endPosition(_ id: AgentID, of seq: UInt64) throws -> LogPosition {
        var position: LogPosition? = nil
        let reached = try scanOwnLog(id, after: seq == 0 ? 0 : seq - 1) { record, segment in
            position = LogPosition(segment: segment, offset: record.seq == seq ? record.end : record.offset)
            return false
        }
        if let position { return position }
        if let reached { return reached.end }
        let first = try listSegments(id).first ?? 1
        return LogPosition(segment: first, offset: UInt64(LogFormat.segmentHeaderSize))
    }

    /// The newest valid snapshot with `seq <= atMost`, and where its seq ends in the log.
    /// A damaged snapshot is skipped (the log is the truth; `check` reports it).
    func newestSnapshot(_ id: AgentID, atMost: UInt64?) throws -> (snapshot: StoredSnapshot, position: LogPosition)? {
        let directory = paths(id).snapshots
        let names: [String]
        do {
            names = try io.contentsOfDirectory(directory)
        } catch let error as FileIOError where error.code == ENOENT {
            return nil
        } catch {
            throw StoreError.io(path: relative(directory), message: "\(error)")
        }
        let seqs = names.compactMap(SnapshotFile.seq(fromName:)).filter { atMost == nil || $0 <= atMost! }.sorted(by: >)
        for seq in seqs {
            // Snapshot files never change once renamed into place, so a verified one is cached.
            if let cached = snapshotCache.withLock({ $0[id] }), cached.snapshot.seq == seq { return cached }
            let path = directory + "/" + SnapshotFile.name(seq: seq)
            guard let (snapshot, position) = try? SnapshotFile.read(path, io: io, file: relative(path)) else { continue }
            indexes.withLock { $0[id, default: SparseIndex()].note(seq: snapshot.seq, end: position) }
            if atMost == nil { snapshotCache.withLock { $0[id] = (snapshot, position) } }
            return (snapshot, position)
        }
        return nil
    }
}

import Foundation

/// Writing queued bytes into the newest segment: preallocated space, and starting a new segment
/// when the current one is full.
extension FileLogWriter {
    /// An error to throw now, and the read-only state the writer takes from then on.
    struct WriteFailure: Error {
        var immediate: StoreError
        var fatal: StoreError
    }

    /// Writes the queued bytes, extending the zero-filled space first when they reach past it.
    /// On failure the file is put back as it was (cut to its old size, the space past the last
    /// record reading as zeros again), so no record is left half written, and the writer turns
    /// read-only.
    func flushPending(_ s: inout State) throws {
        guard !s.pending.isEmpty else { return }
        let at = s.fileLength
        let end = at + UInt64(s.pending.count)
        let size = s.allocated
        do {
            // Not while a deferred creation is pending: its first sync commits new directory
            // entries anyway, and a new size with them, so zeros written ahead would buy nothing
            // (and a short-lived sub-agent would only cut them again on close).
            if end > s.allocated && s.hasWritten && !s.creationPending { try preallocate(&s, covering: end) }
            try s.pending.withUnsafeBytes { try io.write(s.fd, $0, at: at) }
        } catch {
            let path = segmentPath(s.segment)
            var message = "\(error); no record of this write was stored"
            s.allocated = size
            do {
                try io.truncate(s.fd, to: at)
                if size > at { try io.truncate(s.fd, to: size) }
            } catch {
                message += " (cutting the partial write back also failed: \(error); the next open repairs it as a torn tail)"
            }
            throw WriteFailure(
                immediate: .io(path: path, message: message),
                fatal: .readOnly(id, reason: "writing \(path) failed: \(error)")
            )
        }
        s.fileLength = end
        s.allocated = max(s.allocated, end)
        s.hasWritten = true
        s.written = s.appended
        s.pending.removeAll(keepingCapacity: true)
    }

    /// Zero-fills the segment from its current size to the first multiple of the preallocation
    /// past `end` (capped at the segment limit), in one write that the coming sync covers. Space
    /// is an optimisation: when it cannot be had (a full disk), appends go on without it.
    func preallocate(_ s: inout State, covering end: UInt64) throws {
        let chunk = store.preallocation
        guard chunk > 0 else { return }
        let target = min((end / chunk + 1) * chunk, max(store.segmentLimit, end))
        guard target > end else { return }
        // From where the data will end: the data write itself fills the space before that.
        let from = max(s.allocated, end)
        let zeros = [UInt8](repeating: 0, count: Int(target - from))
        do {
            try zeros.withUnsafeBytes { try io.write(s.fd, $0, at: from) }
            s.allocated = target
        } catch {
            // Whatever part of the zeros landed is cut again; the data write decides the append.
            try io.truncate(s.fd, to: s.allocated)
        }
    }

    /// Cuts the zero-filled space after the last record (before a segment is finished or closed).
    func trimPreallocation(_ s: inout State) throws {
        guard s.allocated > s.fileLength else { return }
        try io.truncate(s.fd, to: s.fileLength)
        s.allocated = s.fileLength
    }

    /// Starts a new segment when `count` more bytes would overflow the current one. The old
    /// segment is written and synced first, so only the newest segment can ever have a torn tail.
    func rollIfNeeded(_ s: inout State, adding count: Int) throws {
        let used = s.fileLength + UInt64(s.pending.count)
        guard used + UInt64(count) > store.segmentLimit, used > UInt64(LogFormat.segmentHeaderSize) else { return }
        try flushPending(&s)
        let path = segmentPath(s.segment)
        do {
            // Only the newest segment may end in zeros (readers take them for its end).
            try trimPreallocation(&s)
            if s.creationPending {
                try store.syncCreation(of: id, segment: s.fd)
                s.creationPending = false
            } else {
                try io.sync(s.fd)
            }
        } catch {
            let failure = StoreError.readOnly(id, reason: "syncing \(path) before starting a new segment failed (\(error))")
            throw WriteFailure(immediate: failure, fatal: failure)
        }
        s.synced = s.written
        let number = s.segment + 1
        do {
            let fd = try store.createSegment(id, number: number, previousSeq: s.lastSeq)
            s.retired.append(s.fd)
            s.fd = fd
            s.segment = number
            s.fileLength = UInt64(LogFormat.segmentHeaderSize)
            s.allocated = s.fileLength
        } catch {
            let failure = StoreError.readOnly(id, reason: "creating \(segmentPath(number)) failed (\(error))")
            throw WriteFailure(immediate: (error as? StoreError) ?? failure, fatal: failure)
        }
    }
}

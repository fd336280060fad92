import Foundation

/// What `FileStore.check(repair:)` found, per agent (for `kode store check`).
public struct StoreCheckReport: Sendable, Hashable {
    /// One agent's result.
    public struct Agent: Sendable, Hashable {
        /// A damaged end of the newest segment (a torn write).
        public struct TornTail: Sendable, Hashable {
            /// The segment, relative to the store root.
            public var file: String
            /// Where the damage starts; the log is cut back to here.
            public var offset: UInt64
            /// What was wrong with the bytes.
            public var detail: String
            /// Whether it was cut (only with `repair`, and only when no writer holds the agent).
            public var cut: Bool
        }

        /// The agent checked.
        public var id: AgentID
        /// Log segments read.
        public var segments: Int
        /// Records whose checksum was verified.
        public var records: Int
        /// Bytes of log verified.
        public var bytes: UInt64
        /// The newest seq found.
        public var lastSeq: UInt64
        /// Valid snapshots.
        public var snapshots: Int
        /// Snapshot files that failed verification (ignored on open; the log is the truth).
        public var badSnapshots: [String]
        /// A torn tail in the newest segment, if any.
        public var tornTail: TornTail?
        /// Damage that is not a torn tail, or any other failure: the agent will not open.
        public var error: StoreError?
        /// Why a torn tail was left alone, if it was.
        public var note: String?

        /// No corruption (a torn tail is not corruption: it is repaired on the next open).
        public var isHealthy: Bool { error == nil && badSnapshots.isEmpty }
    }

    /// One entry per agent, sorted by id.
    public var agents: [Agent]

    /// True when no agent has corruption or a bad snapshot.
    public var isHealthy: Bool { agents.allSatisfy(\.isHealthy) }
}

extension FileStore {
    /// Verifies every record checksum and every snapshot of every agent (lock-free unless
    /// repairing). With `repair`, torn tails of agents that nobody is writing are cut back to
    /// their last good record; corruption is only ever reported, never "fixed".
    public func check(repair: Bool) throws -> StoreCheckReport {
        let names: [String]
        do {
            names = try io.contentsOfDirectory(rootPath + "/agents")
        } catch let error as FileIOError where error.code == ENOENT {
            names = []
        }
        var agents: [StoreCheckReport.Agent] = []
        for id in names.sorted() where !id.hasPrefix(".") && io.exists(paths(id).manifest) {
            agents.append(checkAgent(id, repair: repair))
        }
        return StoreCheckReport(agents: agents)
    }

    func checkAgent(_ id: AgentID, repair: Bool) -> StoreCheckReport.Agent {
        var report = StoreCheckReport.Agent(id: id, segments: 0, records: 0, bytes: 0, lastSeq: 0, snapshots: 0, badSnapshots: [])
        do {
            _ = try readManifest(id)
            try verifyLog(id, into: &report)
            if repair, let torn = report.tornTail {
                let p = paths(id)
                if let lock = try WriterLock.attempt(path: p.lock, io: io) {
                    defer { lock.release() }
                    _ = try inspectTail(id, repair: true)
                    report.tornTail = StoreCheckReport.Agent.TornTail(file: torn.file, offset: torn.offset, detail: torn.detail, cut: true)
                } else {
                    report.note = "torn tail left alone: the agent is open for writing (\(WriterLock.holder(path: p.lock, io: io)))"
                }
            }
        } catch let error as StoreError {
            report.error = error
        } catch {
            report.error = .io(path: relative(paths(id).directory), message: "\(error)")
        }
        // Counted even when the log is damaged: the report says what is there.
        verifySnapshots(id, into: &report)
        return report
    }

    /// Reads every segment in full, without the index, checking framing, checksums and seq order.
    func verifyLog(_ id: AgentID, into report: inout StoreCheckReport.Agent) throws {
        let p = paths(id)
        let segments = try listSegments(id)
        var lastSeq: UInt64 = 0
        // Also when a damaged record ends the walk: the report names the last good seq.
        defer { report.lastSeq = lastSeq }
        for number in segments {
            let path = p.segment(number)
            let fd = try io(path) { try io.open(path, mode: .read) }
            defer { io.close(fd) }
            let size = try io(path) { try io.size(fd) }
            report.segments += 1
            let isLast = number == segments.last
            if try headerNeverWritten(fd: fd, size: size, path: path) {
                guard isLast else { throw StoreError.corrupted(file: relative(path), offset: 0, detail: "segment without a header") }
                report.tornTail = .init(file: relative(path), offset: 0, detail: "segment creation was interrupted (\(size) bytes, no header)", cut: false)
                break
            }
            let header = try readSegmentHeader(fd: fd, path: path)
            if lastSeq == 0 { lastSeq = header.previousSeq }
            var fastSeq = lastSeq
            if let records = try io(path, { try SegmentVerifier(io: io).verify(fd: fd, size: size, lastSeq: &fastSeq) }) {
                report.records += records
                report.bytes += size
                lastSeq = fastSeq
                continue
            }
            let start = UInt64(LogFormat.segmentHeaderSize)
            let bytes = try io(path) { try io.read(fd, at: start, count: Int(size - start)) }
            var records = 0
            let end = try bytes.withUnsafeBytes { raw in
                try LogScanner.scan(raw, base: start, file: relative(path)) { record in
                    guard record.seq > lastSeq else {
                        throw StoreError.corrupted(file: relative(path), offset: record.offset, detail: "seq \(record.seq) does not follow seq \(lastSeq)")
                    }
                    lastSeq = record.seq
                    records += 1
                    return true
                }
            }
            report.records += records
            report.bytes += size
            switch end {
            case .clean, .stopped:
                break
            case .damagedTail(let at, let detail):
                guard isLast else {
                    throw StoreError.corrupted(file: relative(path), offset: at, detail: detail + " (not the newest segment, so not a torn tail)")
                }
                report.tornTail = .init(file: relative(path), offset: at, detail: detail, cut: false)
            case .unusedSpace(let at):
                guard isLast else {
                    throw StoreError.corrupted(file: relative(path), offset: at, detail: "zero bytes after the last record of a segment that is not the newest")
                }
                // A live writer's preallocated space is how a healthy log looks; only one left
                // behind by a writer that stopped without closing is reported (and cut on the next
                // open, or by --repair).
                if let probe = try WriterLock.attempt(path: p.lock, io: io) {
                    probe.release()
                    report.tornTail = .init(file: relative(path), offset: at, detail: "unused preallocated space (\(size - at) zero bytes) left by a writer that stopped without closing", cut: false)
                }
            case .corrupted(let at, let detail):
                throw StoreError.corrupted(file: relative(path), offset: at, detail: detail)
            }
        }
    }

    func verifySnapshots(_ id: AgentID, into report: inout StoreCheckReport.Agent) {
        let directory = paths(id).snapshots
        let names = ((try? io.contentsOfDirectory(directory)) ?? []).filter { SnapshotFile.seq(fromName: $0) != nil }.sorted()
        for name in names {
            let path = directory + "/" + name
            do {
                _ = try SnapshotFile.decode(try io.readFile(path), file: relative(path))
                report.snapshots += 1
            } catch {
                report.badSnapshots.append("\(relative(path)): \(error)")
            }
        }
    }
}

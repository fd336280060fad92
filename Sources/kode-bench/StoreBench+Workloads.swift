import Foundation
import KodeKernel
import Synchronization

/// The workloads behind `StoreBench`, each returning raw figures.
enum StoreWorkloads {
    static let config = AgentConfig(provider: ProviderConfig(name: "demo", model: "demo"), workDir: "/tmp")

    static func newAgent(_ store: FileStore, parent: ParentRef? = nil) async throws -> AgentID {
        let manifest = AgentManifest(id: AgentManifest.newID(), config: config, parent: parent)
        try await store.create(manifest)
        return manifest.id
    }

    /// Per-round rates of durable 1 KiB appends through a `FileLogWriter` and of a plain
    /// `pwrite` + `fdatasync` loop (the floor any durable log pays), in alternating rounds.
    struct DurableRounds {
        var kode: [Double]
        var raw: [Double]
        /// Each round's Kode rate over the raw rate of the same round.
        var ratios: [Double] { zip(kode, raw).map { $0 / $1 } }
    }

    /// Runs `rounds` rounds of `perRound` records each way, alternating which goes first, on the
    /// same disk and growing one file each: the disk's latency drifts with the other work on a
    /// shared machine, and interleaving makes both sides see the same drift.
    static func durableVersusRaw(in directory: URL, perRound: Int, rounds: Int) async throws -> DurableRounds {
        let store = try FileStore(root: directory.appendingPathComponent("durable"))
        let id = try await newAgent(store)
        let writer = try await store.openWriter(id)
        let text = String(repeating: "x", count: 920)
        let records = (1...UInt64(perRound * rounds)).map {
            LogRecord(seq: $0, timestamp: Date(), body: .message(Message(role: .assistant, content: [.text(text)])))
        }
        let io = PosixFileIO()
        let fd = try io.open(directory.appendingPathComponent("raw-\(UUID().uuidString).log").path, mode: .createNew)
        defer { io.close(fd) }
        let block = [UInt8](repeating: 0x61, count: 1024)
        var rawOffset: UInt64 = 0
        var result = DurableRounds(kode: [], raw: [])
        for round in 0..<rounds {
            func rawRound() throws {
                let start = ContinuousClock.now
                for _ in 0..<perRound {
                    try block.withUnsafeBytes { try io.write(fd, $0, at: rawOffset) }
                    try io.sync(fd)
                    rawOffset += UInt64(block.count)
                }
                result.raw.append(Double(perRound) / seconds(since: start))
            }
            if round % 2 == 0 { try rawRound() }
            let start = ContinuousClock.now
            for record in records[(round * perRound)..<((round + 1) * perRound)] {
                try await writer.append([record], durability: .durable)
            }
            result.kode.append(Double(perRound) / seconds(since: start))
            if round % 2 == 1 { try rawRound() }
        }
        try await writer.close()
        return result
    }

    /// Hands out seqs in order and queues each batch at once; the appenders await durability
    /// concurrently, which is where group commit shares the syncs.
    actor Sequencer {
        let writer: FileLogWriter
        var next: UInt64 = 1
        init(writer: FileLogWriter) { self.writer = writer }
        func enqueue(_ count: Int, text: String) throws -> FileLogWriter.SyncTicket {
            let first = next
            next += UInt64(count)
            let now = Date()
            let records = (0..<UInt64(count)).map {
                LogRecord(seq: first + $0, timestamp: now, body: .event(.textChunk(ChunkDelta(messageId: "msg_bench", delta: text))))
            }
            return try writer.enqueue(records, durability: .durable)
        }
    }

    /// A FileIO that counts file syncs, to report records per sync.
    final class CountingIO: FileIO, Sendable {
        let real = PosixFileIO()
        private let count = Mutex(0)
        var syncs: Int { count.withLock { $0 } }
        func open(_ path: String, mode: FileOpenMode) throws -> Int32 { try real.open(path, mode: mode) }
        func close(_ fd: Int32) { real.close(fd) }
        func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] { try real.read(fd, at: offset, count: count) }
        func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws { try real.write(fd, bytes, at: offset) }
        func sync(_ fd: Int32) throws {
            try real.sync(fd)
            count.withLock { $0 += 1 }
        }
        func truncate(_ fd: Int32, to length: UInt64) throws { try real.truncate(fd, to: length) }
        func size(_ fd: Int32) throws -> UInt64 { try real.size(fd) }
        func tryLock(_ fd: Int32) throws -> Bool { try real.tryLock(fd) }
        func syncDirectory(_ path: String) throws {
            try real.syncDirectory(path)
            count.withLock { $0 += 1 }
        }
        func rename(_ from: String, to: String) throws { try real.rename(from, to: to) }
        func makeDirectory(_ path: String) throws -> Bool { try real.makeDirectory(path) }
        func contentsOfDirectory(_ path: String) throws -> [String] { try real.contentsOfDirectory(path) }
        func remove(_ path: String) throws { try real.remove(path) }
        func exists(_ path: String) -> Bool { real.exists(path) }
    }

    struct GroupCommit {
        var records: Int
        var syncs: Int
        var recordsPerSecond: Double
    }

    static func groupCommit(in directory: URL, appenders: Int, perAppend: Int, total: Int) async throws -> GroupCommit {
        let io = CountingIO()
        let store = try FileStore(root: directory.appendingPathComponent("group"), io: io)
        let id = try await newAgent(store)
        let writer = try await store.openLogWriter(id)
        let sequencer = Sequencer(writer: writer)
        let rounds = max(1, total / (appenders * perAppend))
        let text = "a streamed chunk of model text, about as long as a real one"
        let syncsBefore = io.syncs
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<appenders {
                group.addTask {
                    for _ in 0..<rounds { try await sequencer.enqueue(perAppend, text: text).wait() }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = seconds(since: start)
        let records = rounds * appenders * perAppend
        let result = GroupCommit(records: records, syncs: io.syncs - syncsBefore, recordsPerSecond: Double(records) / elapsed)
        try await writer.close()
        return result
    }

    struct LargeLog {
        var bytes: UInt64
        var segments: Int
        var snapshotBytes: Int
        var snapshotMessages: Int
        var readyMs: Double
        var rawReadMs: Double
        var verifyMs: Double
        var crcGBps: Double
        /// Reading and decoding every record once (`records(of:after: 0)`), in CPU time.
        var replayCPUSeconds: Double
    }

    /// A one-million-event log with a snapshot near its end, like a long-lived agent.
    static func largeLog(in directory: URL, events: Int) async throws -> LargeLog {
        let root = directory.appendingPathComponent("large")
        let store = try FileStore(root: root)
        let log = try await LargeLogFixture.write(into: store, events: events)
        let id = log.id
        let segmentFiles = log.segmentFiles
        let bytes = log.bytes
        let messages = log.messages
        let tailEvents = LargeLogFixture.tailEvents

        // Baseline: reading every byte of the log once (what a replay from the start must at least do).
        let io = PosixFileIO()
        var rawTimes: [Double] = []
        var crcSeconds = 0.0
        for _ in 0..<5 {
            let start = ContinuousClock.now
            var contents: [[UInt8]] = []
            for file in segmentFiles { contents.append(try io.readFile(file)) }
            rawTimes.append(seconds(since: start) * 1000)
            let crcStart = ContinuousClock.now
            var sink: UInt32 = 0
            for content in contents { sink ^= CRC32C.checksum(content) }
            crcSeconds = seconds(since: crcStart)
            if sink == 0x1234_5678 { print("") }  // keeps the checksum from being optimised away
        }

        // Ready: a fresh store (as in a new process) returns the history and the snapshot is decoded.
        var readyTimes: [Double] = []
        for _ in 0..<11 {
            let start = ContinuousClock.now
            let history = try await FileStore(root: root).history(of: id)
            let decoded = try AgentState.rebuild(from: history)
            readyTimes.append(seconds(since: start) * 1000)
            guard decoded.messages.count == messages, history.records.count == tailEvents else {
                throw StoreError.io(path: root.path, message: "benchmark history is wrong: \(decoded.messages.count) messages, \(history.records.count) records")
            }
        }

        var verifyTimes: [Double] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let report = try FileStore(root: root).check(repair: false)
            verifyTimes.append(seconds(since: start) * 1000)
            guard report.isHealthy, report.agents.first?.records == events else {
                throw StoreError.io(path: root.path, message: "benchmark check found \(report)")
            }
        }
        // A replay from the start: what resuming costs per record after the newest snapshot.
        let replayStart = Bench.cpuSeconds()
        let replayed = try await FileStore(root: root).records(of: id, after: 0).count
        let replayCPU = Bench.cpuSeconds() - replayStart
        guard replayed == events else {
            throw StoreError.io(path: root.path, message: "benchmark replay read \(replayed) records, expected \(events)")
        }
        return LargeLog(
            bytes: bytes, segments: segmentFiles.count, snapshotBytes: log.snapshotBytes, snapshotMessages: messages,
            readyMs: median(readyTimes), rawReadMs: median(rawTimes), verifyMs: median(verifyTimes),
            crcGBps: Double(bytes) / crcSeconds / 1e9, replayCPUSeconds: replayCPU
        )
    }

    /// Alternating user/assistant messages of a few hundred characters, some with tool calls.
    static func plausibleConversation(messages: Int) -> [Message] {
        (0..<messages).map { index in
            if index % 2 == 0 {
                return Message(role: .user, content: [.text("Please look at file \(index).swift and explain what the function on line \(index % 300) does, then suggest a fix.")])
            }
            var content: [ContentBlock] = [.text(String(repeating: "The function reads the configuration and validates it. ", count: 5))]
            if index % 6 == 1 {
                content.append(.toolUse(id: "toolu_\(index)", name: "fs_read", input: .object(["path": .string("Sources/File\(index).swift"), "from": .int(1), "to": .int(80)])))
            }
            return Message(role: .assistant, content: content)
        }
    }

    struct ForkTime {
        var median: Double
        var medianWithoutSync: Double
        var syncs: Int
    }

    /// Creating a child that points at `{parent, seq}` of an agent with `messages` messages.
    static func forkTime(in directory: URL, messages: Int, forks: Int) async throws -> ForkTime {
        let root = directory.appendingPathComponent("fork-\(messages)")
        let io = CountingIO()
        let store = try FileStore(root: root, io: io)
        let parent = try await newAgent(store)
        let writer = try await store.openWriter(parent)
        let conversation = plausibleConversation(messages: 200)
        var seq: UInt64 = 0
        while seq < UInt64(messages) {
            let count = min(1000, messages - Int(seq))
            let records = (1...UInt64(count)).map { LogRecord(seq: seq + $0, timestamp: Date(), body: .message(conversation[Int((seq + $0) % 200)])) }
            try await writer.append(records, durability: .buffered)
            seq += UInt64(count)
        }
        try await writer.close()
        var times: [Double] = []
        let syncsBefore = io.syncs
        for index in 0..<forks {
            let start = ContinuousClock.now
            _ = try await newAgent(store, parent: ParentRef(agentId: parent, seq: UInt64(messages - index)))
            times.append(seconds(since: start) * 1000)
        }
        let syncs = (io.syncs - syncsBefore) / forks
        // The same forks on a file layer whose syncs cost nothing: the part that is Kode's own work.
        let noSync = try FileStore(root: root, io: NoSyncIO())
        var cpuTimes: [Double] = []
        for index in 0..<forks {
            let start = ContinuousClock.now
            _ = try await newAgent(noSync, parent: ParentRef(agentId: parent, seq: UInt64(messages - index)))
            cpuTimes.append(seconds(since: start) * 1000)
        }
        return ForkTime(median: median(times), medianWithoutSync: median(cpuTimes), syncs: syncs)
    }

    /// Real files, syncs skipped: isolates the store's own cost from the disk's.
    struct NoSyncIO: FileIO {
        let real = PosixFileIO()
        func open(_ path: String, mode: FileOpenMode) throws -> Int32 { try real.open(path, mode: mode) }
        func close(_ fd: Int32) { real.close(fd) }
        func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] { try real.read(fd, at: offset, count: count) }
        func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws { try real.write(fd, bytes, at: offset) }
        func sync(_ fd: Int32) throws {}
        func truncate(_ fd: Int32, to length: UInt64) throws { try real.truncate(fd, to: length) }
        func size(_ fd: Int32) throws -> UInt64 { try real.size(fd) }
        func tryLock(_ fd: Int32) throws -> Bool { try real.tryLock(fd) }
        func syncDirectory(_ path: String) throws {}
        func rename(_ from: String, to: String) throws { try real.rename(from, to: to) }
        func makeDirectory(_ path: String) throws -> Bool { try real.makeDirectory(path) }
        func contentsOfDirectory(_ path: String) throws -> [String] { try real.contentsOfDirectory(path) }
        func remove(_ path: String) throws { try real.remove(path) }
        func exists(_ path: String) -> Bool { real.exists(path) }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

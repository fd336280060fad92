import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// Proves the sync points with a file layer that forgets every unsynced byte on a "crash".
@Suite struct CrashDurabilityTests {
    @Test func durableAppendsSurviveACrashAndBufferedOnesNeverCorrupt() async throws {
        for seed in UInt64(1)...40 {
            let fixture = try await StoreFixture()
            let disk = CrashSimulatingFileIO()
            let store = try fixture.makeStore(io: disk)
            let writer = try await store.openWriter(fixture.id)
            var random = SeededRandom(seed: seed)
            var seq: UInt64 = 0
            var acknowledgedDurable: UInt64 = 0
            for _ in 0..<(5 + Int(random.next() % 20)) {
                let count = 1 + Int(random.next() % 4)
                let records = bigRecords(from: seq + 1, count: count, size: 50 + Int(random.next() % 700))
                let durable = random.next() % 2 == 0
                try await writer.append(records, durability: durable ? .durable : .buffered)
                seq += UInt64(count)
                if durable { acknowledgedDurable = seq }
            }
            disk.crash(unsynced: seed % 2 == 0 ? .dropAll : .keepRandomPrefix(seed: seed))
            let reopened = try fixture.makeStore()
            let history = try await reopened.history(of: fixture.id)
            let seqs = history.records.map(\.seq)
            #expect(seqs == Array(1...UInt64(max(seqs.count, 1))).prefix(seqs.count).map { $0 }, "seed \(seed): seqs \(seqs)")
            #expect((seqs.last ?? 0) >= acknowledgedDurable, "seed \(seed): lost durable records (have \(seqs.last ?? 0), acknowledged \(acknowledgedDurable))")
            #expect(try reopened.check(repair: false).isHealthy, "seed \(seed)")
            withExtendedLifetime(writer) {}
        }
    }

    @Test func eachDurableAppendSyncsOnceAndBufferedAppendsSyncWithinTheFlushDelay() async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        let writer = try await fixture.makeStore(io: disk).openWriter(fixture.id)
        let base = disk.syncCount
        try await writer.append(bigRecords(from: 1, count: 3, size: 10), durability: .durable)
        #expect(disk.syncCount == base + 1, "one durable batch, one sync")
        try await writer.append(bigRecords(from: 4, count: 1, size: 10), durability: .buffered)
        #expect(disk.syncCount == base + 1, "a buffered append synced inline")
        // Written to the file already: visible to readers before any sync.
        #expect(try await fixture.makeStore().records(of: fixture.id, after: 3).count == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(disk.syncCount == base + 2, "the background flush did not sync the buffered record")
        // A crash now keeps the buffered record: it was synced by the flush.
        disk.crash()
        #expect(try await fixture.makeStore().records(of: fixture.id, after: 0).map(\.seq) == [1, 2, 3, 4])
    }

    @Test func unsyncedBufferedRecordsAreLostButDurableOnesAreNot() async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        let writer = try await fixture.makeStore(io: disk).openWriter(fixture.id)
        try await writer.append(bigRecords(from: 1, count: 2, size: 10), durability: .durable)
        try await writer.append(bigRecords(from: 3, count: 2, size: 10), durability: .buffered)
        disk.crash()
        #expect(try await fixture.makeStore().records(of: fixture.id, after: 0).map(\.seq) == [1, 2])
        withExtendedLifetime(writer) {}
    }

    @Test func manifestAndSnapshotsAreDurableOnceWritten() async throws {
        let directory = try TemporaryDirectory()
        let disk = CrashSimulatingFileIO()
        let store = try FileStore(root: directory.url, io: disk)
        let manifest = StoreConformance.sampleManifest()
        try await store.create(manifest)
        let writer = try await store.openWriter(manifest.id)
        try await writer.append(bigRecords(from: 1, count: 3, size: 10), durability: .buffered)
        try await writer.writeSnapshot(StoredSnapshot(seq: 3, data: Data("state".utf8)))
        disk.crash()
        let history = try await FileStore(root: directory.url).history(of: manifest.id)
        #expect(history.manifest == manifest)
        #expect(history.snapshot == StoredSnapshot(seq: 3, data: Data("state".utf8)))
        #expect(history.records.isEmpty)
        withExtendedLifetime(writer) {}
    }

    @Test func aFailedSyncMakesTheWriterReadOnlyForGood() async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        let writer = try await fixture.makeStore(io: disk).openWriter(fixture.id)
        try await writer.append(bigRecords(from: 1, count: 1, size: 10), durability: .durable)
        disk.failSyncs = true
        await #expect(throws: StoreError.self) { try await writer.append(bigRecords(from: 2, count: 1, size: 10), durability: .durable) }
        disk.failSyncs = false
        // Never retried silently: every later append and sync fails, even though syncs work again.
        for durability in [Durability.durable, .buffered] {
            do {
                try await writer.append(bigRecords(from: 3, count: 1, size: 10), durability: durability)
                Issue.record("append after a failed sync succeeded")
            } catch let error as StoreError {
                guard case .readOnly = error else { Issue.record("expected readOnly, got \(error)"); continue }
                #expect(error.description.contains("read-only"))
            }
        }
        await #expect(throws: StoreError.self) { try await writer.sync() }
    }

    @Test func aFullDiskFailsCleanlyWithNothingHalfWritten() async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        let store = try fixture.makeStore(io: disk)
        let writer = try await store.openWriter(fixture.id)
        try await writer.append(bigRecords(from: 1, count: 2, size: 10), durability: .durable)
        let sizeBefore = try fixture.segmentBytes().count
        disk.writeBudget = 100
        do {
            try await writer.append(bigRecords(from: 3, count: 1, size: 2000), durability: .durable)
            Issue.record("a write past the disk's end succeeded")
        } catch let error as StoreError {
            #expect(error.description.contains("disk is full"), "\(error)")
        }
        #expect(try fixture.segmentBytes().count == sizeBefore, "a partial record was left in the log")
        disk.writeBudget = nil
        await #expect(throws: StoreError.self) { try await writer.append(bigRecords(from: 3, count: 1, size: 10), durability: .durable) }
        try? await writer.close()
        let history = try await fixture.makeStore().history(of: fixture.id)
        #expect(history.records.map(\.seq) == [1, 2])
        #expect(history.repairs.isEmpty)
    }

    @Test func concurrentDurableAppendsShareSyncs() async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        disk.syncLatencyMicroseconds = 5000
        let writer = try await fixture.makeStore(io: disk).openLogWriter(fixture.id)
        let base = disk.syncCount
        let counter = SeqCounter(writer: writer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<25 {
                        try await counter.enqueueNext().wait()
                    }
                }
            }
            try await group.waitForAll()
        }
        let syncs = disk.syncCount - base
        #expect(syncs < 200, "400 durable appends took \(syncs) syncs")
        disk.crash()
        let seqs = try await fixture.makeStore().records(of: fixture.id, after: 0).map(\.seq)
        #expect(seqs == Array(1...400))
    }
}

/// Hands out seqs and queues their records in that order; the tasks then await durability
/// concurrently, which is what lets their syncs be shared.
actor SeqCounter {
    let writer: FileLogWriter
    var next: UInt64 = 1
    init(writer: FileLogWriter) { self.writer = writer }
    func enqueueNext() throws -> FileLogWriter.SyncTicket {
        defer { next += 1 }
        return try writer.enqueue(bigRecords(from: next, count: 1, size: 10), durability: .durable)
    }
}

struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// A record too large for a reader to accept must be refused when appended, not acknowledged
/// and then cut away as damage on the next open.
@Suite struct OversizedRecordTests {
    @Test func aRecordPastTheLimitIsRefusedAndTheWriterStaysUsable() async throws {
        let fixture = try await StoreFixture()
        let writer = try await fixture.makeStore().openWriter(fixture.id)
        try await writer.append(bigRecords(from: 1, count: 1, size: 10), durability: .durable)
        let huge = LogRecord(seq: 2, timestamp: Date(), body: .message(Message(role: .user, content: [.text(String(repeating: "x", count: 256 << 20))])))
        await #expect {
            try await writer.append([huge], durability: .durable)
        } throws: { error in
            "\(error)".contains("record seq 2") && "\(error)".contains("nothing was written")
        }
        try await writer.append(bigRecords(from: 2, count: 1, size: 10), durability: .durable)
        try await writer.close()
        #expect(try await fixture.makeStore().records(of: fixture.id, after: 0).map(\.seq) == [1, 2])
    }
}

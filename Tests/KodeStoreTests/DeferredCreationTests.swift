import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// `CreationDurability.deferred` on the file store: the agent is visible at once, its manifest
/// never names a partial file, and its creation is on stable storage exactly when its writer
/// first syncs — not before (a crash then leaves no agent, or one `create` replaces), not after.
@Suite struct DeferredCreationTests {
    let directory: TemporaryDirectory
    let id = AgentManifest.newID()

    init() throws {
        directory = try TemporaryDirectory(prefix: "kode-deferred")
    }

    func store(_ io: any FileIO = PosixFileIO(), segmentLimit: UInt64 = 64 << 20) throws -> FileStore {
        try FileStore(root: directory.url, io: io, segmentLimit: segmentLimit)
    }

    var manifest: AgentManifest { StoreConformance.sampleManifest(id: id) }
    var agentDirectory: URL { directory.url.appendingPathComponent("agents/\(id)") }

    func spares() -> [String] {
        // Whole spares only (one being made has a `t-` name).
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent("spares").path)) ?? []).filter { $0.hasPrefix("s-") }.sorted()
    }

    func agentDirectory(_ id: AgentID) -> String {
        directory.url.appendingPathComponent("agents").appendingPathComponent(id).path
    }

    /// A deferred agent takes a directory made ahead of time: it is the same agent as one made
    /// the ordinary way, durable after its first sync, and spares another store object left are
    /// taken too.
    @Test func aDeferredAgentIsMadeFromASpareDirectory() async throws {
        let first = try store()
        try await first.create(manifest, durability: .deferred)
        try await eventually("two spares made") { spares().count == SparePool.kept }
        let made = spares()
        let second = StoreConformance.sampleManifest(id: AgentManifest.newID())
        try await first.create(second, durability: .deferred)
        #expect(spares().filter(made.contains).count == made.count - 1, "no spare was taken")
        // The manifest went into the spare's ready file: nothing temporary is left beside it.
        let placed = try FileManager.default.contentsOfDirectory(atPath: agentDirectory(second.id))
        #expect(Set(placed) == ["manifest.json", "wal", "LOCK"], "\(placed)")
        let records = bigRecords(from: 1, count: 3, size: 100)
        let writer = try await first.openWriter(second.id)
        try await writer.append(records, durability: .durable)
        try await writer.close()
        let reopened = try store()
        #expect(try await reopened.manifest(of: second.id) == second)
        #expect(try await reopened.records(of: second.id, after: 0) == records)
        #expect(Set(try await reopened.list().map(\.id)) == [id, second.id])

        // A spare the first object left is taken by another.
        try await eventually("the spares made again") { spares().count == SparePool.kept }
        let left = spares()
        let third = StoreConformance.sampleManifest(id: AgentManifest.newID())
        try await reopened.create(third, durability: .deferred)
        #expect(spares().filter(left.contains).count == left.count - 1, "the left spare was not taken")
        let thirdWriter = try await reopened.openWriter(third.id)
        try await thirdWriter.append(records, durability: .durable)
        try await thirdWriter.close()
        #expect(try await store().records(of: third.id, after: 0) == records)
    }

    /// A spare whose maker died half way is removed by the next store object that looks at
    /// `spares/`; one a running process is making is left to it.
    @Test func aHalfMadeSpareOfADeadProcessIsRemoved() async throws {
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let spares = directory.url.appendingPathComponent("spares")
        let dead = spares.appendingPathComponent("t-\(ended.processIdentifier)-left")
        let live = spares.appendingPathComponent("t-\(getpid())-making")
        for half in [dead, live] {
            try FileManager.default.createDirectory(at: half.appendingPathComponent("wal"), withIntermediateDirectories: true)
        }
        let first = try store()
        try await first.create(manifest, durability: .deferred)
        #expect(!FileManager.default.fileExists(atPath: dead.path), "the dead process's half-made spare is still there")
        #expect(FileManager.default.fileExists(atPath: live.path), "a spare a live process is making was removed")
    }

    @Test func aCrashBeforeTheFirstSyncLeavesNoAgentAndTheIdCanBeCreatedAgain() async throws {
        let disk = CrashSimulatingFileIO()
        let first = try store(disk)
        try await first.create(manifest, durability: .deferred)
        // Visible to readers at once, like any agent.
        #expect(try await first.list().map(\.id) == [id])
        let writer = try await first.openWriter(id)
        try await writer.append(bigRecords(from: 1, count: 2, size: 100), durability: .buffered)
        disk.crash()

        let reopened = try store()
        #expect(try await reopened.list().isEmpty, "an agent whose creation was never synced survived the crash")
        await #expect(throws: StoreError.notFound(id)) { try await reopened.manifest(of: id) }
        // The recorded id can be created again, and starts with an empty log.
        try await reopened.create(manifest, durability: .deferred)
        let again = try await reopened.openWriter(id)
        try await again.close()
        #expect(try await reopened.history(of: id).records.isEmpty)
        withExtendedLifetime(writer) {}
    }

    @Test func theFirstDurableAppendMakesTheCreationAndTheRecordsDurable() async throws {
        let disk = CrashSimulatingFileIO()
        let first = try store(disk)
        try await first.create(manifest, durability: .deferred)
        let writer = try await first.openWriter(id)
        try await writer.append(bigRecords(from: 1, count: 1, size: 100), durability: .buffered)
        try await writer.append(bigRecords(from: 2, count: 1, size: 100), durability: .durable)
        disk.crash()

        let reopened = try store()
        #expect(try await reopened.manifest(of: id) == manifest)
        #expect(try await reopened.history(of: id).records.map(\.seq) == [1, 2])
        #expect(try reopened.check(repair: false).isHealthy)
        withExtendedLifetime(writer) {}
    }

    @Test(arguments: ["sync", "close"])
    func aSyncOrCloseWithNoRecordStillMakesTheCreationDurable(_ how: String) async throws {
        let disk = CrashSimulatingFileIO()
        let first = try store(disk)
        try await first.create(manifest, durability: .deferred)
        let writer = try await first.openWriter(id)
        if how == "sync" { try await writer.sync() } else { try await writer.close() }
        disk.crash()

        let reopened = try store()
        #expect(try await reopened.list().map(\.id) == [id])
        let history = try await reopened.history(of: id)
        #expect(history.records.isEmpty)
        #expect(history.repairs.isEmpty, "\(history.repairs)")
        withExtendedLifetime(writer) {}
    }

    @Test func aSegmentStartedBeforeTheFirstSyncSyncsTheCreationWithTheFinishedOne() async throws {
        let disk = CrashSimulatingFileIO()
        let first = try store(disk, segmentLimit: 4096)
        try await first.create(manifest, durability: .deferred)
        let writer = try await first.openWriter(id)
        // Buffered only: the roll to a second segment is the first sync.
        for seq in UInt64(1)...6 { try await writer.append(bigRecords(from: seq, count: 1, size: 1000), durability: .buffered) }
        #expect(try first.listSegments(id).count > 1, "the records did not fill a segment")
        disk.crash()

        let reopened = try store(segmentLimit: 4096)
        #expect(try await reopened.list().map(\.id) == [id], "the roll did not make the creation durable")
        let seqs = try await reopened.history(of: id).records.map(\.seq)
        #expect(!seqs.isEmpty && seqs == Array(1...UInt64(seqs.count)), "\(seqs)")
        withExtendedLifetime(writer) {}
    }

    /// What the syncs are: a deferred creation syncs only its manifest's content up front; its
    /// first durable append syncs the segment and the three directory entries, once.
    @Test func theCreationSyncsAreTheManifestThenOneRoundWithTheFirstAppend() async throws {
        let syncs = AtomicCounter()
        let counted = try store(SyncObservingFileIO(base: PosixFileIO(), willSync: { syncs.increment() }))
        try await counted.create(manifest, durability: .deferred)
        #expect(syncs.current == 1)
        let writer = try await counted.openWriter(id)
        #expect(syncs.current == 1)
        try await writer.append(bigRecords(from: 1, count: 1, size: 100), durability: .buffered)
        #expect(syncs.current == 1)
        try await writer.append(bigRecords(from: 2, count: 1, size: 100), durability: .durable)
        #expect(syncs.current == 5, "segment, wal/, the agent's directory and agents/")
        try await writer.append(bigRecords(from: 3, count: 1, size: 100), durability: .durable)
        #expect(syncs.current == 6, "after the creation round, an append is one sync again")
        try await writer.close()

        // For comparison, an immediate creation syncs everything before it returns.
        let other = AgentManifest.newID()
        let before = syncs.current
        try await counted.create(StoreConformance.sampleManifest(id: other))
        let otherWriter = try await counted.openWriter(other)
        #expect(syncs.current == before + 6)
        try await otherWriter.close()
    }

    @Test func theNextWriterOfAKilledProcesssSubAgentMakesItsCreationDurable() async throws {
        let disk = CrashSimulatingFileIO()
        let child = AgentManifest(id: id, config: manifest.config, spawnedBy: SpawnRef(agentId: "agt_parent", callId: "call_1", depth: 1))
        // A "process" creates the sub-agent and is killed before its first sync: the files are
        // there for the next process to see, but not on stable storage.
        do {
            let first = try store(disk)
            try await first.create(child, durability: .deferred)
            let writer = try await first.openWriter(id)
            try await writer.append(bigRecords(from: 1, count: 1, size: 100), durability: .buffered)
        }
        // The next process resumes it and makes a record durable; then the power goes.
        let second = try store(disk)
        let writer = try await second.openWriter(id)
        try await writer.append(bigRecords(from: 2, count: 1, size: 100), durability: .durable)
        disk.crash()

        let reopened = try store()
        #expect(try await reopened.manifest(of: id) == child, "the acknowledged record's agent is gone")
        #expect(try await reopened.history(of: id).records.map(\.seq) == [1, 2])
        withExtendedLifetime(writer) {}
    }

    @Test func aDirectoryWithoutAManifestIsReusedWithoutWhatItHeld() async throws {
        // A log whose manifest entry never reached the disk: the directory and the log did.
        let first = try store()
        try await first.create(manifest)
        let writer = try await first.openWriter(id)
        try await writer.append(bigRecords(from: 1, count: 3, size: 100), durability: .durable)
        try await writer.close()
        try FileManager.default.removeItem(at: agentDirectory.appendingPathComponent("manifest.json"))

        let reopened = try store()
        #expect(try await reopened.list().isEmpty)
        try await reopened.create(manifest, durability: .deferred)
        let again = try await reopened.openWriter(id)
        try await again.append(bigRecords(from: 1, count: 1, size: 10), durability: .durable)
        try await again.close()
        #expect(try await reopened.history(of: id).records.map(\.seq) == [1])
        #expect(try reopened.check(repair: false).isHealthy)
    }

    @Test func aFirstSegmentOfOnlyZerosIsACreationThatNeverFinished() async throws {
        // A crash after the segment's size reached the disk but before its bytes did.
        let first = try store()
        try await first.create(manifest)
        let wal = agentDirectory.appendingPathComponent("wal")
        try FileManager.default.createDirectory(at: wal, withIntermediateDirectories: true)
        try Data(count: 4096).write(to: wal.appendingPathComponent("000001.log"))

        let reopened = try store()
        // Readers see an empty log, not corruption.
        #expect(try await reopened.records(of: id, after: 0).isEmpty)
        let writer = try await reopened.openWriter(id)
        try await writer.append(bigRecords(from: 1, count: 1, size: 10), durability: .durable)
        try await writer.close()
        let history = try await reopened.history(of: id)
        #expect(history.records.map(\.seq) == [1])
        #expect(history.repairs.contains { $0.contains("creation was interrupted") }, "\(history.repairs)")
        #expect(try reopened.check(repair: false).isHealthy)
    }

    @Test func aSegmentWhoseHeaderIsZerosButWhichHoldsBytesIsStillCorruption() async throws {
        let first = try store()
        try await first.create(manifest)
        let wal = agentDirectory.appendingPathComponent("wal")
        try FileManager.default.createDirectory(at: wal, withIntermediateDirectories: true)
        var bytes = [UInt8](repeating: 0, count: 4096)
        bytes[100] = 7
        try Data(bytes).write(to: wal.appendingPathComponent("000001.log"))
        await #expect(throws: StoreError.self) { try await store().openWriter(id) }
    }
}

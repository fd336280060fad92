import Foundation
import KodeKernel

/// The long-lived agent of the 100 MB benchmarks: a million small events with a snapshot of a
/// 1,000-message conversation near the end and 100 events after it. `kode-bench store` times
/// opening and checking it; `kode-bench host --only attach` times attaching to it through a host.
enum LargeLogFixture {
    /// Events written after the snapshot: what an open replays.
    static let tailEvents = 100
    /// Messages in the snapshot's conversation.
    static let snapshotMessages = 1000

    struct Written {
        var id: AgentID
        /// The log's segment files, oldest first.
        var segmentFiles: [String]
        var bytes: UInt64
        var snapshotBytes: Int
        var messages: Int
    }

    /// Creates an agent in `store` and writes its log: `events` records in all (about 100 bytes
    /// each on disk, so a million make about 100 MB).
    static func write(into store: FileStore, events: Int) async throws -> Written {
        let id = try await StoreWorkloads.newAgent(store)
        let writer = try await store.openWriter(id)
        let delta = "a streamed chunk of model text, about as long as a real one"
        var seq: UInt64 = 0
        let batch = 2000
        while seq < UInt64(events - tailEvents) {
            let count = min(batch, events - tailEvents - Int(seq))
            let now = Date()
            let records = (1...UInt64(count)).map {
                LogRecord(seq: seq + $0, timestamp: now, body: .event(.textChunk(ChunkDelta(messageId: "msg_\((seq + $0) / 200)", delta: delta))))
            }
            try await writer.append(records, durability: .buffered)
            seq += UInt64(count)
        }
        // A plausible snapshot: the folded conversation so far, encoded as the agent does.
        var state = AgentState(id: id)
        state.lastSeq = seq
        state.messages = StoreWorkloads.plausibleConversation(messages: snapshotMessages)
        let snapshotData = try state.encoded()
        try await writer.writeSnapshot(StoredSnapshot(seq: seq, data: snapshotData))
        let tail = (1...UInt64(tailEvents)).map {
            LogRecord(seq: seq + $0, timestamp: Date(), body: .event(.textChunk(ChunkDelta(messageId: "msg_tail", delta: delta))))
        }
        try await writer.append(tail, durability: .durable)
        try await writer.close()

        let wal = store.root.appendingPathComponent("agents/\(id)/wal")
        let segmentFiles = try FileManager.default.contentsOfDirectory(atPath: wal.path).sorted().map { wal.appendingPathComponent($0).path }
        var bytes: UInt64 = 0
        for file in segmentFiles { bytes += (try FileManager.default.attributesOfItem(atPath: file)[.size] as? UInt64) ?? 0 }
        return Written(id: id, segmentFiles: segmentFiles, bytes: bytes, snapshotBytes: snapshotData.count, messages: snapshotMessages)
    }
}

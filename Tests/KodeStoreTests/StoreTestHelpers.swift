import Foundation
import KodeKernel
import KodeTestSupport

/// A file store in a temporary directory with one agent, plus direct access to its files.
struct StoreFixture {
    let directory: TemporaryDirectory
    let id: AgentID

    init(segmentLimit: UInt64 = 64 << 20) async throws {
        directory = try TemporaryDirectory(prefix: "kode-store")
        id = AgentManifest.newID()
        try await makeStore(segmentLimit: segmentLimit).create(StoreConformance.sampleManifest(id: id))
    }

    /// A fresh store object over the same files (no caches carried over, as in a new process).
    func makeStore(io: any FileIO = PosixFileIO(), segmentLimit: UInt64 = 64 << 20) throws -> FileStore {
        try FileStore(root: directory.url, io: io, segmentLimit: segmentLimit)
    }

    var agentDirectory: URL { directory.url.appendingPathComponent("agents/\(id)") }
    func segment(_ number: Int = 1) -> URL {
        agentDirectory.appendingPathComponent("wal").appendingPathComponent(String(format: "%06d.log", number))
    }
    func segmentBytes(_ number: Int = 1) throws -> [UInt8] { Array(try Data(contentsOf: segment(number))) }
    func writeSegment(_ bytes: [UInt8], _ number: Int = 1) throws { try Data(bytes).write(to: segment(number)) }
    var lockFile: URL { agentDirectory.appendingPathComponent("LOCK") }

    /// Appends `records` durably through a fresh writer and closes it.
    func append(_ records: [LogRecord], durability: Durability = .durable) async throws {
        let writer = try await makeStore().openWriter(id)
        try await writer.append(records, durability: durability)
        try await writer.close()
    }
}

/// Records whose JSON is at least `size` bytes, so one record spans several disk sectors.
func bigRecords(from first: UInt64, count: Int, size: Int = 1500) -> [LogRecord] {
    (0..<UInt64(count)).map { offset in
        let seq = first + offset
        let text = String(repeating: "record \(seq) ", count: size / 10)
        return LogRecord(seq: seq, timestamp: Date(timeIntervalSinceReferenceDate: Double(seq)), body: .message(Message(id: "msg_\(seq)", role: .assistant, content: [.text(text)], timestamp: Date(timeIntervalSinceReferenceDate: Double(seq)))))
    }
}

/// Start offsets of every record in a segment's bytes (reading only the framing).
func recordOffsets(in segment: [UInt8]) -> [Int] {
    var offsets: [Int] = []
    var position = 24
    while position + 9 <= segment.count {
        offsets.append(position)
        let length = Int(segment[position]) | Int(segment[position + 1]) << 8 | Int(segment[position + 2]) << 16 | Int(segment[position + 3]) << 24
        position += 9 + length
    }
    return offsets
}

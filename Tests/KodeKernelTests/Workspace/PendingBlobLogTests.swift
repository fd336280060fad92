import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// A small snapshot's blobs are made durable by one append to the agent's pending blob log; what
/// a power loss can leave (a loose blob missing or empty while the log holds it) is recovered.
@Suite("Workspace pending blob log")
struct PendingBlobLogTests {
    struct Setup {
        let directory: TemporaryDirectory
        var work: String { directory.path + "/work" }
        var store: String { directory.path + "/store" }
        var blobs: BlobStore { BlobStore(storeRoot: URL(fileURLWithPath: store)) }
        var log: String { store + "/blobs/pending/agent.log" }

        init() throws {
            directory = try TemporaryDirectory(prefix: "kode-blob-log")
            try FileManager.default.createDirectory(atPath: directory.path + "/work", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory.path + "/store", withIntermediateDirectories: true)
            try Data("first\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/work/a.txt"))
        }

        func recorder() -> WorkspaceRecorder { WorkspaceRecorder(workDir: work, storeRoot: store, agent: "agent") }

        /// Changes a.txt, snapshots, and returns its new blob's hash.
        func step(_ recorder: WorkspaceRecorder, _ text: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: work + "/a.txt"))
            _ = try recorder.snapshot()
            return try #require(recorder.current?.byPath["a.txt"]).hash
        }

        /// What a power loss can leave of a blob written but not yet synced in place.
        func loseLooseFile(_ hash: String) {
            #expect(chmod(blobs.path(of: hash), 0o644) == 0 && truncate(blobs.path(of: hash), 0) == 0)
        }
    }

    @Test("a one-file step's blobs are in the log when the snapshot returns; a clean close empties it")
    func loggedThenTrimmed() throws {
        let s = try Setup()
        var recorder: WorkspaceRecorder? = s.recorder()
        _ = try recorder?.snapshot()
        let hash = try s.step(try #require(recorder), "second\n")
        let records = try PendingBlobLog.records(at: s.log)
        #expect(records.contains { $0.hash == hash && $0.bytes == Array("second\n".utf8) })
        // The new root tree object is logged too: everything the record will name.
        let root = try #require(recorder?.current?.rootHash)
        #expect(records.contains { $0.hash == root })
        recorder = nil
        #expect(PosixFiles.lstat(s.log)?.size == 0)
    }

    @Test("a reader meeting a blob lost before it reached the disk gets it from the log, and the blob is repaired")
    func readerRecovers() throws {
        let s = try Setup()
        let recorder = s.recorder()
        _ = try recorder.snapshot()
        let hash = try s.step(recorder, "kept only in the log\n")
        s.loseLooseFile(hash)
        #expect(try s.blobs.read(hash) == Array("kept only in the log\n".utf8))
        #expect(try PosixFiles.read(s.blobs.path(of: hash)) == Array("kept only in the log\n".utf8))
        // The whole tree still loads, and a rewind target made of it restores.
        let tree = try WorkspaceTree.load(try #require(recorder.current?.rootHash), from: s.blobs)
        #expect(tree.byPath["a.txt"]?.hash == hash)
    }

    @Test("after a crash the agent's next recorder repairs every logged blob, then empties the log")
    func reopenRecovers() throws {
        let s = try Setup()
        var recorder: WorkspaceRecorder? = s.recorder()
        _ = try recorder?.snapshot()
        let hash = try s.step(try #require(recorder), "written just before the crash\n")
        let root = try #require(recorder?.current?.rootHash)
        // The state a power loss leaves: the log as synced, the loose files not on the disk.
        let logged = try Data(contentsOf: URL(fileURLWithPath: s.log))
        recorder = nil
        try logged.write(to: URL(fileURLWithPath: s.log))
        s.loseLooseFile(hash)
        try FileManager.default.removeItem(atPath: s.blobs.path(of: root))
        // A torn record at the end (the crash hit an append whose sync never returned).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: s.log))
        handle.seekToEndOfFile()
        handle.write(Data("KBL1".utf8) + Data(repeating: UInt8(ascii: "f"), count: 64) + Data([200, 0, 0, 0, 0, 0, 0, 0]) + Data("short".utf8))
        try handle.close()

        let reopened = s.recorder()
        #expect(PosixFiles.lstat(s.log)?.size == 0)
        #expect(try PosixFiles.read(s.blobs.path(of: hash)) == Array("written just before the crash\n".utf8))
        #expect(SHA256.hex(try PosixFiles.read(s.blobs.path(of: root))) == root)
        _ = try reopened.snapshot()
    }
}

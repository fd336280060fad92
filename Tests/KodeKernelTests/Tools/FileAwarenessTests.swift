import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

@Suite("File awareness")
struct FileAwarenessTests {
    @Test("fs_write and fs_edit refuse a file changed on disk since it was read, until it is read again")
    func staleWriteRefused() async throws {
        let h = try ToolHarness()
        defer { Task { await h.cleanUp() } }
        try h.dir.write("notes.txt", "first\n")
        _ = try await h.run(FsReadTool(), ["path": "notes.txt"])
        try h.dir.write("notes.txt", "changed by a person\n")

        let write = try await h.run(FsWriteTool(), ["path": "notes.txt", "content": "agent\n"])
        #expect(write.isError)
        #expect(write.content.contains("notes.txt changed on disk since you last read it"))
        #expect(write.content.contains("read it again with fs_read"))
        let edit = try await h.run(FsEditTool(), ["path": "notes.txt", "old_string": "person", "new_string": "agent"])
        #expect(edit.isError && edit.content.contains("changed on disk since you last read it"))
        let multi = try await h.run(FsMultiEditTool(), ["path": "notes.txt", "edits": [["old_string": "person", "new_string": "agent"]]])
        #expect(multi.isError && multi.content.contains("changed on disk since you last read it"))
        #expect(try h.dir.read("notes.txt") == "changed by a person\n")

        _ = try await h.run(FsReadTool(), ["path": "notes.txt"])
        let again = try await h.run(FsEditTool(), ["path": "notes.txt", "old_string": "a person", "new_string": "the agent"])
        #expect(!again.isError, "\(again.content)")
        #expect(try h.dir.read("notes.txt") == "changed by the agent\n")
    }

    @Test("the agent's own writes keep the file known; a file never read may be written; a deleted one is refused")
    func ownWritesAndUnknownFiles() async throws {
        let h = try ToolHarness()
        defer { Task { await h.cleanUp() } }
        try h.dir.write("fresh.txt", "untouched\n")
        #expect(!(try await h.run(FsWriteTool(), ["path": "fresh.txt", "content": "one\n"])).isError)
        #expect(!(try await h.run(FsWriteTool(), ["path": "fresh.txt", "content": "two\n"])).isError)
        #expect(!(try await h.run(FsEditTool(), ["path": "fresh.txt", "old_string": "two", "new_string": "three"])).isError)
        try FileManager.default.removeItem(at: h.dir.file("fresh.txt"))
        let gone = try await h.run(FsWriteTool(), ["path": "fresh.txt", "content": "four\n"])
        #expect(gone.isError && gone.content.contains("fresh.txt was deleted since you last read it"))
    }

    @Test("fs_multi_edit applies every edit in order, or none")
    func multiEditAllOrNothing() async throws {
        let h = try ToolHarness()
        defer { Task { await h.cleanUp() } }
        try h.dir.write("a.swift", "let x = 1\nlet y = 2\nlet z = x\n")
        let ok = try await h.run(FsMultiEditTool(), ["path": "a.swift", "edits": [
            ["old_string": "let x = 1", "new_string": "let x = 10"],
            ["old_string": "x", "new_string": "w", "replace_all": true],
        ]])
        #expect(ok.content == "edited a.swift: 2 edits, 3 replacements (-3 +3 lines)")
        #expect(try h.dir.read("a.swift") == "let w = 10\nlet y = 2\nlet z = w\n")

        let failed = try await h.run(FsMultiEditTool(), ["path": "a.swift", "edits": [
            ["old_string": "let y = 2", "new_string": "let y = 20"],
            ["old_string": "not there", "new_string": "x"],
        ]])
        #expect(failed.isError)
        #expect(failed.content.contains("edits[1].old_string was not found in a.swift"))
        #expect(failed.content.contains("No edit was made"))
        #expect(try h.dir.read("a.swift") == "let w = 10\nlet y = 2\nlet z = w\n")

        let ambiguous = try await h.run(FsMultiEditTool(), ["path": "a.swift", "edits": [["old_string": "let", "new_string": "var"]]])
        #expect(ambiguous.isError && ambiguous.content.contains("edits[0].old_string occurs 3 times"))
    }

    #if os(Linux)
    @Test("changes made by anything else to known files are reported once each; the agent's own are not")
    func watcherReportsOutsideChanges() async throws {
        let h = try ToolHarness()
        defer { Task { await h.cleanUp() } }
        let (stream, continuation) = AsyncStream<String>.makeStream()
        h.files.startWatching { path, action in continuation.yield("\(path) \(action.rawValue)") }
        try h.dir.write("a.txt", "a\n")
        try h.dir.write("sub/b.txt", "b\n")
        _ = try await h.run(FsReadTool(), ["path": "a.txt"])
        _ = try await h.run(FsReadTool(), ["path": "sub/b.txt"])
        var iterator = stream.makeAsyncIterator()

        // The agent's own write to a.txt, then an outside change to sub/b.txt: inotify delivers in
        // order, so the first report being b's shows the own write was not reported.
        #expect(!(try await h.run(FsWriteTool(), ["path": "a.txt", "content": "mine\n"])).isError)
        try h.dir.write("sub/b.txt", "changed outside\n")
        #expect(await iterator.next() == "sub/b.txt modified")

        try h.dir.write("a.txt", "outside\n")
        #expect(await iterator.next() == "a.txt modified")
        try FileManager.default.removeItem(at: h.dir.file("sub/b.txt"))
        #expect(await iterator.next() == "sub/b.txt deleted")
        try h.dir.write("sub/b.txt", "back\n")
        #expect(await iterator.next() == "sub/b.txt created")
        #expect(h.files.watchedDirectories == 2)
    }
    #endif
}

import Foundation
import Testing
import KodeKernel

@Suite struct FsWriteToolTests {
    @Test func createsWithParentsThenModifies() async throws {
        let harness = try ToolHarness()
        let created = try await harness.run(FsWriteTool(), ["path": "deep/er/new.txt", "content": "a\nb\n"])
        #expect(created.content == "created deep/er/new.txt (2 lines, 4 bytes)")
        #expect(created.fileChanges == [FileChange(path: "deep/er/new.txt", action: .created)])
        #expect(try harness.dir.read("deep/er/new.txt") == "a\nb\n")

        let modified = try await harness.run(FsWriteTool(), ["path": "deep/er/new.txt", "content": "c"])
        #expect(modified.fileChanges == [FileChange(path: "deep/er/new.txt", action: .modified)])
        #expect(try harness.dir.read("deep/er/new.txt") == "c")
    }

    @Test func refusesDirectoriesAndEscapes() async throws {
        let harness = try ToolHarness()
        try FileManager.default.createDirectory(at: harness.dir.file("d"), withIntermediateDirectories: true)
        let directory = try await harness.run(FsWriteTool(), ["path": "d", "content": "x"])
        #expect(directory.isError && directory.content == "d is a directory; fs_write writes files")
        let outside = try await harness.run(FsWriteTool(), ["path": "../escape.txt", "content": "x"])
        #expect(outside.isError && outside.content.contains("outside the sandbox"))
        #expect(!FileManager.default.fileExists(atPath: harness.dir.url.deletingLastPathComponent().appendingPathComponent("escape.txt").path))
    }
}

@Suite struct FsEditToolTests {
    @Test func replacesAUniqueOccurrence() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("f.swift", "let a = 1\nlet b = 2\n")
        let output = try await harness.run(FsEditTool(), ["path": "f.swift", "old_string": "let b = 2", "new_string": "let b = 3\nlet c = 4"])
        #expect(output.content == "edited f.swift: replaced 1 occurrence (-1 +2 lines)")
        #expect(output.fileChanges == [FileChange(path: "f.swift", action: .modified)])
        #expect(try harness.dir.read("f.swift") == "let a = 1\nlet b = 3\nlet c = 4\n")
    }

    @Test func ambiguousWithoutReplaceAllGivesTheCount() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("f.txt", "x x x")
        let ambiguous = try await harness.run(FsEditTool(), ["path": "f.txt", "old_string": "x", "new_string": "y"])
        #expect(ambiguous.isError)
        #expect(ambiguous.content.contains("occurs 3 times in f.txt"))
        #expect(try harness.dir.read("f.txt") == "x x x")

        let all = try await harness.run(FsEditTool(), ["path": "f.txt", "old_string": "x", "new_string": "yy", "replace_all": true])
        #expect(all.content == "edited f.txt: replaced 3 occurrences (-3 +3 lines)")
        #expect(try harness.dir.read("f.txt") == "yy yy yy")
    }

    @Test func notFoundMissingFileAndNoOp() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("f.txt", "hello")
        let notFound = try await harness.run(FsEditTool(), ["path": "f.txt", "old_string": "Hello", "new_string": "bye"])
        #expect(notFound.isError && notFound.content.hasPrefix("old_string was not found in f.txt"))
        let missing = try await harness.run(FsEditTool(), ["path": "g.txt", "old_string": "a", "new_string": "b"])
        #expect(missing.isError && missing.content.hasPrefix("file not found: g.txt"))
        let same = try await harness.run(FsEditTool(), ["path": "f.txt", "old_string": "hello", "new_string": "hello"])
        #expect(same.isError && same.content.contains("identical"))
    }

    @Test func byteExactMatchingDoesNotNormaliseUnicode() async throws {
        let harness = try ToolHarness()
        // "é" precomposed in the file; the decomposed spelling must not match it.
        try harness.dir.write("u.txt", "caf\u{E9}")
        let decomposed = try await harness.run(FsEditTool(), ["path": "u.txt", "old_string": "cafe\u{301}", "new_string": "tea"])
        #expect(decomposed.isError)
        let exact = try await harness.run(FsEditTool(), ["path": "u.txt", "old_string": "caf\u{E9}", "new_string": "tea"])
        #expect(!exact.isError)
        #expect(try harness.dir.read("u.txt") == "tea")
    }
}

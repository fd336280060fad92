import Foundation
import Testing
import KodeKernel

@Suite struct FsReadToolTests {
    @Test func numbersLines() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("a.txt", "one\ntwo\r\nthree\n")
        let output = try await harness.run(FsReadTool(), ["path": "a.txt"])
        #expect(!output.isError)
        #expect(output.content == "     1│one\n     2│two\n     3│three")
    }

    @Test func offsetAndLimitSelectARangeAndSayHowToGoOn() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("n.txt", (1...20).map { "line \($0)" }.joined(separator: "\n"))
        let output = try await harness.run(FsReadTool(), ["path": "n.txt", "offset": 12, "limit": 2])
        #expect(output.content == "    12│line 12\n    13│line 13\n[lines 12–13 of 20; call fs_read with offset 14 to read on]")
        let tail = try await harness.run(FsReadTool(), ["path": "n.txt", "offset": 19])
        #expect(tail.content == "    19│line 19\n    20│line 20\n[lines 19–20 of 20]")
    }

    @Test func defaultCapIs2000Lines() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("big.txt", (1...2500).map(String.init).joined(separator: "\n"))
        let output = try await harness.run(FsReadTool(), ["path": "big.txt"])
        #expect(output.content.contains("  2000│2000\n"))
        #expect(!output.content.contains("│2001"))
        #expect(output.content.hasSuffix("[lines 1–2000 of 2500; call fs_read with offset 2001 to read on]"))
    }

    @Test func clearErrors() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("short.txt", "x\n")
        try Data([0x00, 0x01, 0x02, 0xFF]).write(to: harness.dir.file("blob.bin"))
        try FileManager.default.createDirectory(at: harness.dir.file("sub"), withIntermediateDirectories: true)

        let missing = try await harness.run(FsReadTool(), ["path": "nope.txt"])
        #expect(missing.isError && missing.content == "file not found: nope.txt")
        let binary = try await harness.run(FsReadTool(), ["path": "blob.bin"])
        #expect(binary.isError && binary.content == "blob.bin looks like a binary file (4 bytes); fs_read shows text files only")
        let directory = try await harness.run(FsReadTool(), ["path": "sub"])
        #expect(directory.isError && directory.content.contains("is a directory"))
        let past = try await harness.run(FsReadTool(), ["path": "short.txt", "offset": 5])
        #expect(past.isError && past.content == "offset 5 is past the end of short.txt, which has 1 line")
        let outside = try await harness.run(FsReadTool(), ["path": "../../etc/passwd"])
        #expect(outside.isError && outside.content.contains("outside the sandbox"))
    }

    @Test func emptyFileAndLongLines() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("empty.txt", "")
        #expect(try await harness.run(FsReadTool(), ["path": "empty.txt"]).content == "(empty.txt is empty)")
        try harness.dir.write("long.txt", String(repeating: "a", count: 2_100))
        let long = try await harness.run(FsReadTool(), ["path": "long.txt"])
        #expect(long.content.hasSuffix("… [line cut: 100 more characters]"))
    }
}

import Foundation
import Testing
import KodeKernel

@Suite struct FsGlobToolTests {
    private func tree() throws -> ToolHarness {
        let harness = try ToolHarness()
        for path in ["a.swift", "b.md", "src/c.swift", "src/deep/d.swift", "src/deep/e.txt", "src/x1.txt", "src/x2.txt", ".git/config.swift"] {
            try harness.dir.write(path, "content of \(path)\n")
        }
        return harness
    }

    @Test func doubleStarStarQuestionAndClass() async throws {
        let harness = try tree()
        #expect(try await harness.run(FsGlobTool(), ["pattern": "**/*.swift"]).content == "a.swift\nsrc/c.swift\nsrc/deep/d.swift")
        #expect(try await harness.run(FsGlobTool(), ["pattern": "*.swift"]).content == "a.swift")
        #expect(try await harness.run(FsGlobTool(), ["pattern": "src/x?.txt"]).content == "src/x1.txt\nsrc/x2.txt")
        #expect(try await harness.run(FsGlobTool(), ["pattern": "src/x[2-9].txt"]).content == "src/x2.txt")
        #expect(try await harness.run(FsGlobTool(), ["pattern": "src/**"]).content.split(separator: "\n").count == 5)
        #expect(try await harness.run(FsGlobTool(), ["pattern": .string("\(harness.dir.path)/src/*.swift")]).content == "src/c.swift")
    }

    @Test func noMatchesEscapesAndBound() async throws {
        let harness = try tree()
        #expect(try await harness.run(FsGlobTool(), ["pattern": "*.rs"]).content == "no files match *.rs")
        let up = try await harness.run(FsGlobTool(), ["pattern": "../*"])
        #expect(up.isError && up.content.contains("contains \"..\""))
        let absolute = try await harness.run(FsGlobTool(), ["pattern": "/etc/*"])
        #expect(absolute.isError && absolute.content.contains("outside the working directory"))

        for index in 0..<(FsGlobTool.maxResults + 5) { try harness.dir.write("many/f\(index).log", "") }
        let many = try await harness.run(FsGlobTool(), ["pattern": "many/*.log"])
        #expect(many.content.split(separator: "\n").count == FsGlobTool.maxResults + 1)
        #expect(many.content.hasSuffix("[5 more matches not shown; narrow the pattern]"))
    }

    @Test func globPatternUnit() {
        #expect(GlobPattern("**/a").matches("a"))
        #expect(GlobPattern("**/a").matches("x/y/a"))
        #expect(!GlobPattern("*/a").matches("x/y/a"))
        #expect(GlobPattern("[!a]b").matches("cb"))
        #expect(!GlobPattern("[!a]b").matches("ab"))
        #expect(GlobPattern("a[").matches("a["))
        #expect(GlobPattern("src/**/*.swift").literalPrefix == ["src"])
    }
}

@Suite struct FsGrepToolTests {
    @Test func findsLinesSkippingBinaryAndGit() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("a.swift", "let x = 1\nfunc hello() {}\n")
        try harness.dir.write("src/b.swift", "// hello there\n")
        try harness.dir.write("src/c.md", "hello in markdown\n")
        try harness.dir.write(".git/HEAD", "hello from git\n")
        try Data([0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x00]).write(to: harness.dir.file("blob.bin"))

        let all = try await harness.run(FsGrepTool(), ["pattern": "hel+o"])
        #expect(all.content == "a.swift:2:func hello() {}\nsrc/b.swift:1:// hello there\nsrc/c.md:1:hello in markdown\n[1 binary file skipped]")

        let swiftOnly = try await harness.run(FsGrepTool(), ["pattern": "hello", "glob": "*.swift"])
        #expect(swiftOnly.content == "a.swift:2:func hello() {}\nsrc/b.swift:1:// hello there")

        let inSrc = try await harness.run(FsGrepTool(), ["pattern": "^hello", "path": "src"])
        #expect(inSrc.content == "src/c.md:1:hello in markdown")

        let oneFile = try await harness.run(FsGrepTool(), ["pattern": "x = \\d", "path": "a.swift"])
        #expect(oneFile.content == "a.swift:1:let x = 1")
    }

    @Test func errorsAndBounds() async throws {
        let harness = try ToolHarness()
        try harness.dir.write("many.txt", String(repeating: "match\n", count: FsGrepTool.maxMatches + 7))
        let bad = try await harness.run(FsGrepTool(), ["pattern": "(unclosed"])
        #expect(bad.isError && bad.content.hasPrefix("invalid regular expression \"(unclosed\""))
        let none = try await harness.run(FsGrepTool(), ["pattern": "zzz"])
        #expect(none.content == "no matches for \"zzz\"")
        let missing = try await harness.run(FsGrepTool(), ["pattern": "a", "path": "nowhere"])
        #expect(missing.isError && missing.content == "path not found: nowhere")
        let outside = try await harness.run(FsGrepTool(), ["pattern": "root", "path": "/etc"])
        #expect(outside.isError && outside.content.contains("outside the sandbox"))
        let many = try await harness.run(FsGrepTool(), ["pattern": "match"])
        #expect(many.content.hasSuffix("[7 more matching lines not shown; narrow the pattern, path or glob]"))
    }

    @Test func symlinkToOutsideFileIsNotRead() async throws {
        let harness = try ToolHarness()
        let outside = try TempDir()
        try outside.write("secret.txt", "password=hunter2\n")
        try FileManager.default.createSymbolicLink(atPath: harness.dir.file("link.txt").path, withDestinationPath: outside.file("secret.txt").path)
        try harness.dir.write("inside.txt", "password=fine\n")
        try FileManager.default.createSymbolicLink(atPath: harness.dir.file("inner-link.txt").path, withDestinationPath: "inside.txt")
        let output = try await harness.run(FsGrepTool(), ["pattern": "password"])
        #expect(output.content == "inner-link.txt:1:password=fine\ninside.txt:1:password=fine")
    }
}

import Foundation
import Testing
import KodeKernel

@Suite struct PathConfinementTests {
    private func refusal(_ sandbox: LocalSandbox, _ path: String, forWriting: Bool = false) -> SandboxError? {
        do {
            _ = try sandbox.resolve(path, forWriting: forWriting)
            return nil
        } catch let error as SandboxError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func relativePathsResolveInsideAndDotDotInsideIsFine() throws {
        let dir = try TempDir()
        try dir.write("src/a.txt", "a")
        let sandbox = try LocalSandbox(workDir: dir.url)
        #expect(try sandbox.resolve("src/a.txt", forWriting: false).path == dir.path + "/src/a.txt")
        #expect(try sandbox.resolve("src/../src/./a.txt", forWriting: false).path == dir.path + "/src/a.txt")
        #expect(try sandbox.resolve(dir.path + "/new/file.txt", forWriting: true).path == dir.path + "/new/file.txt")
        #expect(try sandbox.resolve(".", forWriting: false).path == dir.path)
    }

    @Test func dotDotAndAbsolutePathsOutsideAreRefusedWithTheReason() throws {
        let dir = try TempDir()
        let sandbox = try LocalSandbox(workDir: dir.url)
        let up = refusal(sandbox, "../x.txt")
        #expect(up?.description == "path ../x.txt (resolves to \(dir.url.deletingLastPathComponent().path)/x.txt) is outside the sandbox: it is not inside the working directory \(dir.path)")
        #expect(refusal(sandbox, "src/../../x") != nil)
        #expect(refusal(sandbox, "/etc/passwd")?.description == "path /etc/passwd is outside the sandbox: it is not inside the working directory \(dir.path)")
        #expect(refusal(sandbox, "~/.ssh/id_rsa") != nil)
        #expect(refusal(sandbox, "") != nil)
        #expect(refusal(sandbox, ".", forWriting: true)?.description.contains("a sandbox root directory cannot itself be written") == true)
    }

    @Test func symlinksPointingOutAreRefused() throws {
        let dir = try TempDir(), outside = try TempDir()
        try outside.write("secret.txt", "s")
        let sandbox = try LocalSandbox(workDir: dir.url)
        let fm = FileManager.default
        // A file symlink, a directory symlink, a relative one, and a dangling one whose target a write would create.
        try fm.createSymbolicLink(atPath: dir.path + "/file-link", withDestinationPath: outside.path + "/secret.txt")
        try fm.createSymbolicLink(atPath: dir.path + "/dir-link", withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: dir.path + "/rel-link", withDestinationPath: "../" + outside.url.lastPathComponent)
        try fm.createSymbolicLink(atPath: dir.path + "/dangling", withDestinationPath: outside.path + "/not-yet.txt")

        let fileLink = refusal(sandbox, "file-link")
        #expect(fileLink?.description == "path file-link (resolves to \(outside.path)/secret.txt) is outside the sandbox: a symlink on the way points outside the working directory \(dir.path)")
        #expect(refusal(sandbox, "dir-link/secret.txt") != nil)
        #expect(refusal(sandbox, "dir-link/new-file.txt", forWriting: true) != nil)
        #expect(refusal(sandbox, "dir-link/newdir/deeper/file.txt", forWriting: true) != nil)
        #expect(refusal(sandbox, "rel-link/secret.txt") != nil)
        #expect(refusal(sandbox, "dangling", forWriting: true) != nil)
    }

    @Test func symlinkedParentAndDotDotAreResolvedPhysically() throws {
        let dir = try TempDir()
        try dir.write("a/b/c.txt", "c")
        // `inner-link/..` is `a`, not the work dir: `..` follows the link's real parent.
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/inner-link", withDestinationPath: dir.path + "/a/b")
        let sandbox = try LocalSandbox(workDir: dir.url)
        #expect(try sandbox.resolve("inner-link/c.txt", forWriting: false).path == dir.path + "/a/b/c.txt")
        #expect(try sandbox.resolve("inner-link/../x.txt", forWriting: true).path == dir.path + "/a/x.txt")
    }

    @Test func symlinkLoopsAreReportedNotFollowedForever() throws {
        let dir = try TempDir()
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/loop1", withDestinationPath: "loop2")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/loop2", withDestinationPath: "loop1")
        let sandbox = try LocalSandbox(workDir: dir.url)
        let error = refusal(sandbox, "loop1/x")
        #expect(error?.description.contains("more than 40 symlinks") == true)
    }

    @Test func allowPathsWidenTheSandbox() throws {
        let dir = try TempDir(), shared = try TempDir()
        let sandbox = try LocalSandbox(workDir: dir.url, allowPaths: [shared.url])
        #expect(try sandbox.resolve(shared.path + "/cache.bin", forWriting: true).path == shared.path + "/cache.bin")
        let refused = refusal(sandbox, "/etc/hosts")
        #expect(refused?.description.contains("or the allowed paths \(shared.path)") == true)
        #expect(sandbox.displayPath(dir.file("x/y")) == "x/y")
        #expect(sandbox.displayPath(shared.file("z")) == shared.path + "/z")
    }

    @Test func workDirMustExistAndBeADirectory() throws {
        let dir = try TempDir()
        try dir.write("file.txt", "x")
        #expect(throws: SandboxError.invalidWorkDir(path: dir.path + "/missing", reason: "does not exist")) {
            try LocalSandbox(workDir: dir.file("missing"))
        }
        #expect(throws: SandboxError.invalidWorkDir(path: dir.path + "/file.txt", reason: "is not a directory")) {
            try LocalSandbox(workDir: dir.file("file.txt"))
        }
        #expect(SandboxError.invalidWorkDir(path: "/nope", reason: "does not exist").description == "sandbox working directory /nope does not exist")
    }
}

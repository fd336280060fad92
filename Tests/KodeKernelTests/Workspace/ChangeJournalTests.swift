#if canImport(Glibc)
import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// The change journal's snapshots against full walks of the same directory: after every kind of
/// change, a recorder that re-stats only the journaled paths must produce exactly the tree (and
/// totals) of one that walks everything.
@Suite("Workspace change journal")
struct ChangeJournalTests {
    /// Two recorders on one work directory and blob store: one with the journal, one without.
    final class Pair {
        let directory: TemporaryDirectory
        let work: String
        let journaled: WorkspaceRecorder
        let walked: WorkspaceRecorder

        init(drainsInBackground: Bool = true, watchLimit: Int = 100_000) throws {
            directory = try TemporaryDirectory(prefix: "kode-journal")
            work = directory.path + "/work"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let store = directory.path + "/store"
            try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
            journaled = WorkspaceRecorder(workDir: work, storeRoot: store, agent: "journaled",
                                          drainsInBackground: drainsInBackground, watchLimit: watchLimit)
            walked = WorkspaceRecorder(workDir: work, storeRoot: store, agent: "walked", journal: false)
        }

        func write(_ relative: String, _ text: String) throws {
            let url = URL(fileURLWithPath: work + "/" + relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func shell(_ command: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = URL(fileURLWithPath: work)
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(command) failed")
        }

        /// Snapshots with both; they must agree on everything. Returns the journaled method.
        @discardableResult
        func check(_ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) throws -> SnapshotMethod {
            let (record, report) = try journaled.snapshot()
            let (walkRecord, walkReport) = try walked.snapshot()
            #expect(record.tree == walkRecord.tree, comment, sourceLocation: sourceLocation)
            #expect(journaled.current == walked.current, comment, sourceLocation: sourceLocation)
            #expect(report.files == walkReport.files, "\(comment): files", sourceLocation: sourceLocation)
            #expect(report.bytes == walkReport.bytes, "\(comment): bytes", sourceLocation: sourceLocation)
            #expect(report.ignored == walkReport.ignored, comment, sourceLocation: sourceLocation)
            #expect(report.notCaptured == walkReport.notCaptured, comment, sourceLocation: sourceLocation)
            #expect(Set(report.changed) == Set(walkReport.changed), comment, sourceLocation: sourceLocation)
            return report.method
        }

        /// As ``check(_:sourceLocation:)``, and the journal must have been used.
        func checkJournaled(_ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let method = try check(comment, sourceLocation: sourceLocation)
            guard case .journal = method else {
                Issue.record("\(comment): expected a journal snapshot, got \(method)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    @Test("creates, edits, deletes, renames, modes, symlinks and new nested directories: the same tree as a full walk")
    func sameTreeAsFullWalk() throws {
        let p = try Pair()
        for i in 0..<20 { try p.write("src/m\(i % 4)/f\(i).txt", "file \(i)\n") }
        try p.write("top.txt", "top\n")
        let first = try p.check("first snapshot")
        #expect(first == .fullWalk(reason: "the change journal has not covered the work directory yet (first snapshot)"))
        try p.checkJournaled("nothing changed")

        try p.write("new.txt", "created\n")
        try p.write("src/m1/added.txt", "created below\n")
        try p.checkJournaled("creates")
        try p.write("top.txt", "TOP\n")
        try p.checkJournaled("an edit of the same size")
        try p.write("src/m2/f2.txt", "a longer edit than before\n")
        try p.checkJournaled("an edit")
        try FileManager.default.removeItem(atPath: p.work + "/src/m3/f3.txt")
        try p.checkJournaled("a delete")
        try p.shell("mv new.txt renamed.txt && mv src/m0/f0.txt src/m1/moved.txt")
        try p.checkJournaled("renames within and across directories")
        try p.shell("chmod 700 renamed.txt && chmod 750 src/m1")
        try p.checkJournaled("mode changes of a file and a directory")
        try p.shell("ln -s top.txt link && ln -s /etc/hostname outside")
        try p.checkJournaled("symlinks created")
        try p.shell("ln -sfn renamed.txt link")
        try p.checkJournaled("a symlink retargeted")
        try p.shell("mkdir -p deep/a/b/c && echo x > deep/a/b/c/leaf.txt && mkdir empty")
        try p.checkJournaled("new nested directories")
        try p.write("deep/a/b/c/second.txt", "inside a directory first seen by the last snapshot\n")
        try p.shell("echo y > deep/a/b/c/leaf.txt && mkdir deep/a/b/c/d && echo z > deep/a/b/c/d/z.txt")
        try p.checkJournaled("changes inside directories the journal started watching")
        try p.shell("mv src/m2 src/moved-m2")
        try p.checkJournaled("a directory renamed")
        try p.shell("echo after-move > src/moved-m2/f6.txt && echo new > src/moved-m2/n.txt")
        try p.checkJournaled("changes inside the renamed directory")
        try p.shell("mv src/moved-m2 elsewhere && mv elsewhere src/moved-m2 && echo back > src/moved-m2/back.txt")
        try p.checkJournaled("a directory moved away and back between snapshots")
        try p.shell("rm -r deep && mkdir -p deep/a && echo other > deep/a/other.txt")
        try p.checkJournaled("a directory tree removed and made again under the same name")
        try p.shell("rm top.txt && mkdir top.txt && echo in > top.txt/in.txt && rm -r empty && echo file > empty")
        try p.checkJournaled("a file turned into a directory and a directory into a file")
        try p.shell("mkdir ../outside-dir && echo o > ../outside-dir/o.txt && mv ../outside-dir src/came-in && mv src/m3 ../went-out")
        try p.checkJournaled("a directory moved in from outside and one moved out")
        try p.shell("echo still-outside > ../went-out/f7.txt")
        try p.checkJournaled("a change in a directory that left the work directory")
        try p.shell("touch -d '2001-01-01' src/m1/f1.txt")
        try p.checkJournaled("only the mtime changed")
    }

    @Test("ignored paths and .gitignore edits: counted as a walk counts them; a .gitignore change walks")
    func ignoredFiles() throws {
        let p = try Pair()
        try p.write(".gitignore", "*.log\nbuild/\n")
        try p.write("keep.txt", "kept\n")
        try p.write("sub/keep.txt", "kept\n")
        try p.check("first snapshot")
        try p.write("a.log", "ignored\n")
        try p.write("sub/b.log", "ignored\n")
        try p.write("build/out.bin", "ignored directory\n")
        try p.write(".git/HEAD", "never captured\n")
        try p.checkJournaled("ignored files and directories created")
        try p.write("build/more.bin", "inside an ignored directory\n")
        try p.shell("rm a.log && echo again > sub/b.log")
        try p.checkJournaled("changes to ignored paths")
        try p.write("sub/.gitignore", "keep.txt\n")
        let method = try p.check("a nested .gitignore added")
        #expect(method == .fullWalk(reason: "a .gitignore changed"))
        try p.write("sub/keep.txt", "now ignored, edited\n")
        try p.write("sub/new.txt", "captured\n")
        try p.checkJournaled("after the walk the journal is used again")
        try p.write(".gitignore", "*.log\n")
        #expect(try p.check("build/ no longer ignored") == .fullWalk(reason: "a .gitignore changed"))
        try p.write("build/newest.bin", "captured now\n")
        try p.checkJournaled("changes in a directory captured since the last walk")
    }

    @Test("a kernel queue overflow falls back to a full walk, which re-arms the journal")
    func overflowFallsBack() throws {
        // No background reader: the events stay in the kernel's queue until the snapshot.
        let p = try Pair(drainsInBackground: false)
        try p.write("a.txt", "a\n")
        try p.write("b.txt", "b\n")
        try p.check("first snapshot")
        let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 16_384
        // Alternating files, so the kernel cannot merge consecutive identical events.
        for i in 0...(limit / 2 + 10) {
            #expect(utimes(p.work + "/a.txt", nil) == 0 && utimes(p.work + "/b.txt", nil) == 0, "utimes \(i)")
        }
        try p.write("changed-among-them.txt", "must be in the snapshot\n")
        let method = try p.check("after an overflow")
        guard case .fullWalk(let reason) = method else {
            Issue.record("expected a full walk after the overflow, got \(method)")
            return
        }
        #expect(reason.contains("overflowed"))
        #expect(p.journaled.current?.byPath["changed-among-them.txt"]?.kind == .file)
        try p.write("c.txt", "c\n")
        try p.checkJournaled("the journal is certain again after the walk")
    }

    @Test("more directories than the watch limit: every snapshot walks, and says why")
    func watchLimitFallsBack() throws {
        let p = try Pair(watchLimit: 2)
        try p.write("one/a.txt", "a\n")
        try p.write("two/b.txt", "b\n")
        try p.check("first snapshot")
        try p.write("two/b.txt", "edited\n")
        let method = try p.check("over the watch limit")
        #expect(method == .fullWalk(reason: "more than 2 directories to watch"))
        try p.shell("rm -r two")
        #expect(try p.check("back under the limit: this walk re-arms the journal") == .fullWalk(reason: "more than 2 directories to watch"))
        try p.write("one/a.txt", "edited\n")
        try p.checkJournaled("back under the limit, after the walk that re-armed it")
    }

    @Test("a change made during a snapshot, to a path it has already looked at, is in the next snapshot")
    func changeDuringSnapshot() throws {
        let p = try Pair()
        try p.write("a/x.txt", "before\n")
        try p.write("b/y.txt", "b\n")
        let blobs = BlobStore(storeRoot: URL(fileURLWithPath: p.directory.path + "/store"))
        func contents(_ path: String) throws -> String {
            String(decoding: try blobs.read(try #require(p.journaled.current?.byPath[path]).hash), as: UTF8.self)
        }
        // During the first (full-walk) snapshot, once `a` is done and `b` is about to be listed.
        p.journaled.willListDirectory = { directory in
            if directory == "b" { try? Data("during the walk\n".utf8).write(to: URL(fileURLWithPath: p.work + "/a/x.txt")) }
        }
        _ = try p.journaled.snapshot()
        #expect(try contents("a/x.txt") == "before\n")
        // During a journal snapshot: a new directory is scanned whole, and meanwhile a/x.txt changes.
        try p.write("c/z.txt", "c\n")
        p.journaled.willListDirectory = { directory in
            if directory == "c" { try? Data("during the update\n".utf8).write(to: URL(fileURLWithPath: p.work + "/a/x.txt")) }
        }
        let (_, report) = try p.journaled.snapshot()
        guard case .journal = report.method else {
            Issue.record("expected a journal snapshot, got \(report.method)")
            return
        }
        // The walk's change is in this snapshot; the update's is here or in the next one.
        #expect(try ["during the walk\n", "during the update\n"].contains(contents("a/x.txt")))
        p.journaled.willListDirectory = nil
        let (_, last) = try p.journaled.snapshot()
        if case .fullWalk(let reason) = last.method { Issue.record("expected a journal snapshot, walked: \(reason)") }
        let (_, walk) = try p.walked.snapshot()
        #expect(try contents("a/x.txt") == "during the update\n")
        #expect(p.journaled.current == p.walked.current)
        #expect(last.files == walk.files && last.bytes == walk.bytes)
    }

    @Test("a change made while nothing reads the journal is in the next snapshot")
    func changeJustBeforeSnapshot() throws {
        let p = try Pair(drainsInBackground: false)
        try p.write("x.txt", "1\n")
        try p.check("first snapshot")
        for round in 0..<20 {
            try p.write("x.txt", "round \(round)\n")
            try p.checkJournaled("round \(round)")
            #expect(try BlobStore(storeRoot: URL(fileURLWithPath: p.directory.path + "/store"))
                .read(#require(p.journaled.current?.byPath["x.txt"]).hash) == Array("round \(round)\n".utf8))
        }
    }
}
#endif

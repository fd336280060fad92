import ArgumentParser
import Foundation
import KodeKernel

/// Workspace snapshots (docs/WORKSPACE.md): an unchanged tree next to a plain stat walk of it, a
/// one-file step, storage added per step on an edit-heavy run, a `copy` fork next to `cp -a`,
/// and a rewind of 100 changed files.
struct WorkspaceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Workspace snapshot, fork and rewind costs next to a stat walk and cp -a."
    )

    @Option(help: "Files in the tree.") var files = 10_000
    @Option(help: "Bytes per file (10,000 × 10,000 is the 100 MB tree of the targets).") var fileSize = 10_000
    @Option(help: "Runs of each timed step (the median is reported).") var runs = 20

    func run() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-workspace-\(UUID().uuidString)")
        let work = root.appendingPathComponent("work").path
        let storeRoot = root.appendingPathComponent("store").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: storeRoot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let paths = try makeTree(work)
        print("workspace benchmarks (\(files) files of \(fileSize) bytes in \(paths.directories) directories; medians of \(runs) runs)")

        let recorder = WorkspaceRecorder(workDir: work, storeRoot: storeRoot, agent: "bench")
        let tally = MethodTally()
        let first = try Self.time { try tally.snapshot(recorder) }
        Bench.report("first snapshot (reads and stores every file)", value: Bench.format(first * 1000, "ms"),
                     baseline: "-", ratio: 1, target: "once per agent; \(tally.take())")
        // The fallback: the same snapshot with the change journal off (every snapshot a walk).
        let walker = WorkspaceRecorder(workDir: work, storeRoot: storeRoot, agent: "bench-walk", journal: false)
        _ = try walker.snapshot()

        var walks: [Double] = []
        var unchanged: [Double] = []
        var walked: [Double] = []
        for _ in 0..<runs {
            walks.append(try Self.time { _ = try Self.statWalk(work) })
            unchanged.append(try Self.time { try tally.snapshot(recorder) })
            walked.append(try Self.time { _ = try walker.snapshot() })
        }
        let walk = Self.median(walks)
        let still = Self.median(unchanged)
        let stillWalked = Self.median(walked)
        Bench.report("snapshot, unchanged tree", value: Bench.format(still * 1000, "ms"), baseline: Bench.format(walk * 1000, "ms") + " stat walk",
                     ratio: still / walk, target: "≤ 10 ms; \(tally.take())")
        Bench.report("snapshot, unchanged tree, journal off", value: Bench.format(stillWalked * 1000, "ms"), baseline: Bench.format(walk * 1000, "ms") + " stat walk",
                     ratio: stillWalked / walk, target: "the fallback: a full walk")

        var oneFile: [Double] = []
        var reads: [Double] = []
        for run in 0..<runs {
            let path = work + "/" + paths.files[run * 37 % paths.files.count]
            try Data(String(repeating: "\(run)", count: fileSize / 2).prefix(fileSize).utf8).write(to: URL(fileURLWithPath: path))
            oneFile.append(try Self.time { try tally.snapshot(recorder) })
            reads.append(try Self.time { _ = try Data(contentsOf: URL(fileURLWithPath: path)) })
        }
        let step = Self.median(oneFile)
        let read = Self.median(reads)
        Bench.report("snapshot, one file changed", value: Bench.format(step * 1000, "ms"), baseline: Bench.format(still * 1000, "ms") + " unchanged",
                     ratio: step / still, target: "≤ 1 ms + read (\(Bench.format((step - still) * 1000, "ms")) over unchanged; read \(Bench.format(read * 1000, "ms"))); \(tally.take())")
        // The same step with its new blobs synced in place, as before the pending blob log:
        // a sync per blob and shard directory, or one syncfs.
        for (label, limit) in [("one file changed, blobs synced in place", 16), ("one file changed, one syncfs", 0)] {
            recorder.logsSmallBatches = false
            recorder.syncEachLimit = limit
            var times: [Double] = []
            for run in 0..<runs {
                let path = work + "/" + paths.files[(run * 37 + 11) % paths.files.count]
                try Data(String(repeating: "s\(run)", count: fileSize / 2).prefix(fileSize).utf8).write(to: URL(fileURLWithPath: path))
                times.append(try Self.time { try tally.snapshot(recorder) })
            }
            let median = Self.median(times)
            Bench.report("snapshot, \(label)", value: Bench.format(median * 1000, "ms"), baseline: Bench.format(still * 1000, "ms") + " unchanged",
                         ratio: median / still, target: "\(Bench.format((median - still) * 1000, "ms")) over unchanged; \(tally.take())")
        }
        recorder.logsSmallBatches = true
        recorder.syncEachLimit = 16

        try storage(recorder, work: work, paths: paths.files)
        try forkCopy(recorder, root: root, work: work, storeRoot: storeRoot)
        try rewind(recorder, tally: tally, work: work, storeRoot: storeRoot, paths: paths.files)
    }

    /// Bytes the blob store grows by per step of an edit-heavy run, against the bytes the steps
    /// changed: each step rewrites 5 files, each with a 100-byte edit.
    private func storage(_ recorder: WorkspaceRecorder, work: String, paths: [String]) throws {
        var added: Int64 = 0
        var changedFiles: Int64 = 0
        var edited: Int64 = 0
        let steps = 50
        for step in 0..<steps {
            for k in 0..<5 {
                let path = work + "/" + paths[(step * 5 + k) * 13 % paths.count]
                var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                let at = (step * 101) % max(1, bytes.count - 100)
                for i in 0..<100 { bytes[at + i] = UInt8(ascii: "a") + UInt8((step + i) % 26) }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                changedFiles += Int64(bytes.count)
                edited += 100
            }
            added += try recorder.snapshot().0.bytesAdded
        }
        Bench.report("storage per step (5 edited files)", value: "\(added / Int64(steps)) B", baseline: "\(changedFiles / Int64(steps)) B files",
                     ratio: Double(added) / Double(changedFiles), target: "≈ bytes changed (\(String(format: "%.0f", Double(added) / Double(edited)))× the 500 B edited)")
    }

    /// A `copy` fork's materialization of the whole tree against `cp -a` of it.
    private func forkCopy(_ recorder: WorkspaceRecorder, root: URL, work: String, storeRoot: String) throws {
        guard let tree = recorder.current else { return }
        let blobs = BlobStore(storeRoot: URL(fileURLWithPath: storeRoot))
        var copies: [Double] = []
        var forks: [Double] = []
        for run in 0..<3 {
            let copyTarget = root.appendingPathComponent("cp-\(run)").path
            let forkTarget = root.appendingPathComponent("fork-\(run)").path
            copies.append(try Self.time {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/cp")
                process.arguments = ["-a", work, copyTarget]
                try process.run()
                process.waitUntilExit()
                // cp does not sync; the fork does (its files must survive a crash like the log).
                try Self.syncfsOf(copyTarget)
            })
            forks.append(try Self.time {
                try FileManager.default.createDirectory(atPath: forkTarget, withIntermediateDirectories: true)
                let restorer = WorkspaceRestorer(workDir: forkTarget, blobs: blobs)
                _ = try restorer.apply(WorkspaceRestorer.plan(from: nil, to: tree), current: nil, target: tree) { _, _ in }
            })
            try? FileManager.default.removeItem(atPath: copyTarget)
            try? FileManager.default.removeItem(atPath: forkTarget)
        }
        let copy = Self.median(copies)
        let fork = Self.median(forks)
        Bench.report("fork --workspace copy (whole tree)", value: Bench.format(fork * 1000, "ms"), baseline: Bench.format(copy * 1000, "ms") + " cp -a+sync",
                     ratio: fork / copy, target: "next to cp -a")
    }

    /// Rewind of 100 changed files: rescan, plan, restore, sync.
    private func rewind(_ recorder: WorkspaceRecorder, tally: MethodTally, work: String, storeRoot: String, paths: [String]) throws {
        var times: [Double] = []
        var writes: [Double] = []
        let blobs = BlobStore(storeRoot: URL(fileURLWithPath: storeRoot))
        for run in 0..<5 {
            _ = try recorder.snapshot()
            guard let target = recorder.current else { return }
            let changed = (0..<100).map { work + "/" + paths[($0 * 97 + run * 7) % paths.count] }
            writes.append(try Self.time {
                for path in changed { try Data("changed \(run)\n".utf8).write(to: URL(fileURLWithPath: path)) }
            })
            times.append(try Self.time {
                try tally.snapshot(recorder)
                let restorer = WorkspaceRestorer(workDir: WorkspacePathsForBench.resolved(work), blobs: blobs)
                let changes = WorkspaceRestorer.plan(from: recorder.current, to: target)
                precondition(changes.count == 100, "expected 100 changes, planned \(changes.count)")
                _ = try restorer.apply(changes, current: recorder.current, target: target) { _, _ in }
            })
        }
        let rewind = Self.median(times)
        let write = Self.median(writes)
        Bench.report("rewind of 100 changed files", value: Bench.format(rewind * 1000, "ms"), baseline: Bench.format(write * 1000, "ms") + " writing them",
                     ratio: rewind / write, target: "≤ 100 ms; its rescan: \(tally.take())")
    }

    // MARK: Helpers

    private func makeTree(_ work: String) throws -> (files: [String], directories: Int) {
        let perDirectory = 100
        let directories = max(1, files / perDirectory)
        var paths: [String] = []
        let content = Data((0..<fileSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        for d in 0..<directories {
            let directory = "d\(d / 10)/e\(d)"
            try FileManager.default.createDirectory(atPath: work + "/" + directory, withIntermediateDirectories: true)
            for f in 0..<perDirectory where paths.count < files {
                let path = directory + "/f\(f).bin"
                var unique = content
                unique.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(paths.count)) { Data($0) })
                try unique.write(to: URL(fileURLWithPath: work + "/" + path))
                paths.append(path)
            }
        }
        return (paths, directories)
    }

    /// The baseline: every entry listed and `lstat`ed, with the same calls the scanner makes.
    static func statWalk(_ path: String) throws -> Int {
        var count = 0
        for name in try PosixFiles.list(path) {
            let child = path + "/" + name
            guard let stat = PosixFiles.lstat(child) else { continue }
            count += 1
            if stat.kind == .directory { count += try statWalk(child) }
        }
        return count
    }

    static func time(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func syncfsOf(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = benchSyncfs(fd)
    }
}

/// How the measured snapshots found their changes, shown with each figure: through the change
/// journal, or by a full walk (and why, e.g. a queue overflow).
final class MethodTally {
    private var journal = 0
    private var walks: [String: Int] = [:]

    func snapshot(_ recorder: WorkspaceRecorder) throws {
        switch try recorder.snapshot().1.method {
        case .journal: journal += 1
        case .fullWalk(let reason): walks[reason, default: 0] += 1
        }
    }

    /// "journal 20 of 20" or "full walk 1 of 1 (why)"; then starts counting again.
    func take() -> String {
        let total = journal + walks.values.reduce(0, +)
        defer {
            journal = 0
            walks = [:]
        }
        var parts: [String] = []
        if journal > 0 { parts.append("journal \(journal) of \(total)") }
        for (reason, count) in walks.sorted(by: { $0.key < $1.key }) { parts.append("full walk \(count) of \(total) (\(reason))") }
        return parts.joined(separator: ", ")
    }
}

@_silgen_name("syncfs") private func benchSyncfs(_ fd: Int32) -> Int32

/// The resolved work directory, as the restorer expects it (symlinks resolved).
enum WorkspacePathsForBench {
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}

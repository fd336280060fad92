import ArgumentParser
import Foundation
import KodeKernel

/// The store's benchmarks (issue 3): each figure next to a baseline measured in the same run.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "File store: durable appends, group commit, time to a ready agent, checksum verification, fork."
    )

    @Option(help: "Directory for the benchmark's files (on the disk you want to measure).")
    var dir: String = FileManager.default.temporaryDirectory.path

    @Option(help: "Durable 1 KiB appends (and raw write+fdatasync rounds) to time.")
    var durableCount: Int = 300

    @Option(help: "Concurrent appenders in the group-commit run.")
    var appenders: Int = 1024

    @Option(help: "Records per append in the group-commit run.")
    var recordsPerAppend: Int = 8

    @Option(help: "Records written in the group-commit run.")
    var groupRecords: Int = 800_000

    @Option(help: "Events in the large log (about 100 bytes each on disk).")
    var events: Int = 1_000_000

    @Option(help: "Forks timed per history length.")
    var forks: Int = 41

    @Flag(help: "Skip the 100 MB log (time to ready, verification).")
    var skipLarge = false

    mutating func run() async throws {
        let workspace = URL(fileURLWithPath: dir).appendingPathComponent("kode-store-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        print("Store benchmarks in \(workspace.path)")
        // The disk is shared and its latency drifts: time the raw loop before and after the store
        // and compare against the faster of the two, so the ratio never flatters the store.
        let rawBefore = try StoreWorkloads.rawWriteSyncLoop(in: workspace, count: durableCount, recordSize: 1024)
        let durable = try await StoreWorkloads.durableAppends(in: workspace, count: durableCount)
        let rawAfter = try StoreWorkloads.rawWriteSyncLoop(in: workspace, count: durableCount, recordSize: 1024)
        let rawSync = max(rawBefore, rawAfter)
        print(String(format: "raw write+fdatasync of 1 KiB: %.3f ms each (%.0f/s; runs %.0f/s and %.0f/s)\n", 1000 / rawSync, rawSync, rawBefore, rawAfter))

        Bench.report("durable 1 KiB appends, one sync each", value: Bench.format(durable, "rec/s", decimals: 0),
                     baseline: Bench.format(rawSync, "rec/s", decimals: 0), ratio: durable / rawSync, target: "≥ 0.70×")

        let group = try await StoreWorkloads.groupCommit(in: workspace, appenders: appenders, perAppend: recordsPerAppend, total: groupRecords)
        Bench.report("group commit (\(appenders) appenders × \(recordsPerAppend))", value: Bench.format(group.recordsPerSecond, "rec/s", decimals: 0),
                     baseline: Bench.format(rawSync, "rec/s", decimals: 0), ratio: group.recordsPerSecond / rawSync, target: "≥ 200,000 rec/s")
        print(String(format: "    %d records in %d syncs (%.0f records per sync)", group.records, group.syncs, Double(group.records) / Double(max(group.syncs, 1))))

        if !skipLarge {
            let large = try await StoreWorkloads.largeLog(in: workspace, events: events)
            print(String(format: "    large log: %d events, %.1f MB in %d segments, snapshot %.0f KB (%d messages)",
                         events, Double(large.bytes) / 1e6, large.segments, Double(large.snapshotBytes) / 1e3, large.snapshotMessages))
            Bench.report("time to ready agent (100 MB log), median", value: Bench.format(large.readyMs, "ms"),
                         baseline: Bench.format(large.rawReadMs, "ms") + " read", ratio: large.readyMs / large.rawReadMs, target: "≤ 50 ms")
            Bench.report("full checksum verification (store check)", value: Bench.format(large.verifyMs, "ms"),
                         baseline: Bench.format(large.rawReadMs, "ms") + " read", ratio: large.verifyMs / large.rawReadMs, target: "≤ 150 ms")
            print(String(format: "    CRC-32C alone: %.2f GB/s", large.crcGBps))
        }

        let fork10k = try await StoreWorkloads.forkTime(in: workspace, messages: 10_000, forks: forks)
        let fork100k = try await StoreWorkloads.forkTime(in: workspace, messages: 100_000, forks: forks)
        Bench.report("fork at 10,000 messages, median", value: Bench.format(fork10k.median, "ms", decimals: 3),
                     baseline: Bench.format(1000 / rawSync, "ms") + " 1 sync", ratio: fork10k.median / (1000 / rawSync), target: "≤ 1 ms")
        Bench.report("fork at 100,000 messages, median", value: Bench.format(fork100k.median, "ms", decimals: 3),
                     baseline: Bench.format(fork10k.median, "ms", decimals: 3) + " @10k", ratio: fork100k.median / fork10k.median, target: "≤ 1.5× @10k")
        print(String(format: "    a fork makes %d file/directory syncs; without them it costs %.3f ms (10k) / %.3f ms (100k)",
                     fork10k.syncs, fork10k.medianWithoutSync, fork100k.medianWithoutSync))
    }
}

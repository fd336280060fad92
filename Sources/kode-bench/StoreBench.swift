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

    @Option(help: "Durable 1 KiB appends (and as many raw write+fdatasync calls) to time.")
    var durableCount: Int = 600

    @Option(help: "Alternating rounds the durable appends and the raw calls are split into.")
    var durableRounds: Int = 12

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

    func validate() throws {
        guard durableRounds >= 1, durableCount >= durableRounds else {
            throw ValidationError("--durable-rounds must be at least 1 and at most --durable-count")
        }
    }

    mutating func run() async throws {
        let workspace = URL(fileURLWithPath: dir).appendingPathComponent("kode-store-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        print("Store benchmarks in \(workspace.path)")
        // The disk is shared and its latency drifts: raw and Kode rounds alternate, and the
        // medians of the rounds are compared.
        let rounds = try await StoreWorkloads.durableVersusRaw(in: workspace, perRound: max(1, durableCount / durableRounds), rounds: durableRounds)
        let durable = StoreWorkloads.median(rounds.kode)
        let rawSync = StoreWorkloads.median(rounds.raw)
        let ratios = rounds.ratios.sorted()
        print(String(format: "raw write+fdatasync of 1 KiB: %.3f ms each (%.0f/s, median of %d rounds; rounds %.0f–%.0f/s)", 1000 / rawSync, rawSync, durableRounds, rounds.raw.min() ?? 0, rounds.raw.max() ?? 0))
        print(String(format: "    per-round ratios %.2f–%.2f, median %.2f", ratios.first ?? 0, ratios.last ?? 0, StoreWorkloads.median(ratios)))

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
            print(String(format: "    replaying every record (read, verify, decode): %.0f ms CPU, %.2f µs per record", large.replayCPUSeconds * 1000, large.replayCPUSeconds * 1e6 / Double(events)))
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

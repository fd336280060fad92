import ArgumentParser
import Foundation
import KodeKernel

/// What confinement costs per command: the same command through `bash_run`'s path
/// (`LocalSandbox.startShell`) unconfined (`full`) and confined (`workspace-write`, network off),
/// interleaved in one run so both see the same machine.
struct SandboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Overhead per confined command next to the same command unconfined (target ≤ 5 ms)."
    )

    @Option(help: "Runs of each command in each mode.") var runs = 200
    @Option(help: "Files in the git repository for git status.") var files = 1_000

    func run() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // A store inside the work directory, as by default (`./.kode` in `.`): the confined commands
        // pay for the mount namespace that keeps it read-only and hides its host's socket.
        let store = root.appendingPathComponent(".kode")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        let unconfined = try LocalSandbox(workDir: root, commands: SandboxConfig(mode: .full), storeRoot: store)
        let confined = try LocalSandbox(workDir: root, commands: SandboxConfig(), storeRoot: store)
        let networkOn = try LocalSandbox(workDir: root, commands: SandboxConfig(network: true), storeRoot: store)
        guard case .confined = confined.confinement else {
            print("commands cannot be confined here: \(confined.confinement)")
            throw ExitCode.failure
        }
        try await makeRepository(in: root, with: unconfined)
        print("sandbox benchmarks (\(runs) runs each, median wall time per command; \(files)-file repository; Landlock ABI \(confined.confinementSupport.landlockABI))")
        for command in ["true", "ls", "git status --porcelain"] {
            var times: [[Double]] = [[], [], []]
            for _ in 0..<runs {
                // Interleaved, so a slow moment of the machine falls on every mode alike.
                for (index, sandbox) in [unconfined, confined, networkOn].enumerated() {
                    times[index].append(try await Self.time(command, in: sandbox))
                }
            }
            let medians = times.map(Self.median)
            let overhead = (medians[1] - medians[0]) * 1000
            Bench.report("\(command): confined, network off", value: Bench.format(medians[1] * 1000, "ms"),
                         baseline: Bench.format(medians[0] * 1000, "ms"), ratio: medians[1] / medians[0],
                         target: "overhead ≤ 5 ms (is \(Bench.format(overhead, "ms")))")
            Bench.report("\(command): confined, network on", value: Bench.format(medians[2] * 1000, "ms"),
                         baseline: Bench.format(medians[0] * 1000, "ms"), ratio: medians[2] / medians[0],
                         target: "overhead \(Bench.format((medians[2] - medians[0]) * 1000, "ms"))")
        }
    }

    /// One command from spawn to the end of its output, as `bash_run` waits for it.
    static func time(_ command: String, in sandbox: LocalSandbox) async throws -> Double {
        try await Bench.seconds {
            let process = try sandbox.startShell(command, outputLimit: 1 << 20)
            await process.waitUntilFinished()
            guard process.status?.code == 0 else { throw ValidationError("\(command) failed: \(process.status.map { "\($0)" } ?? "?")") }
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    private func makeRepository(in root: URL, with sandbox: LocalSandbox) async throws {
        for index in 0..<files {
            let directory = root.appendingPathComponent("d\(index % 20)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("file \(index)\n".utf8).write(to: directory.appendingPathComponent("f\(index).txt"))
        }
        let process = try sandbox.startShell(
            "git init -q . && git -c user.name=bench -c user.email=bench@example.com add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm files",
            outputLimit: 1 << 16)
        await process.waitUntilFinished()
        guard process.status?.code == 0 else { throw ValidationError("could not make the repository") }
    }
}

import ArgumentParser

/// Kode's benchmark programs. Each suite prints its figures next to a baseline measured in the
/// same run, and the ratio. Build in release: `swift build -c release --product kode-bench`.
@main
struct KodeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kode-bench",
        abstract: "Kode's benchmarks (run a release build).",
        subcommands: [KernelBench.self, StoreBench.self, CompareBench.self, ProviderBench.self, TUIBench.self, HostBench.self, SandboxBench.self, LongSessionBench.self, WorkspaceBench.self, PostgresBench.self, PostgresOwnerProcess.self, MCPBench.self, SubAgentBench.self, RoomBench.self]
    )
}


import Foundation
import KodeKernel
import KodeTestSupport

/// A file store, a scripted model and a manual clock, for scheduler tests that close and reopen
/// the agent as a restart would.
struct SchedulerFixture {
    let directory: TemporaryDirectory
    let store: FileStore
    let clock: ManualClock
    let script: ScriptedScript

    init(script: String, start: Date = Date(timeIntervalSince1970: 1_796_000_000)) throws {
        directory = try TemporaryDirectory(prefix: "kode-sched")
        store = try FileStore(root: directory.url.appendingPathComponent("store"))
        clock = ManualClock(start)
        self.script = try ScriptedScript.parse(Data(script.utf8), source: "scheduler test")
    }

    func dependencies(provider: (any ModelProvider)? = nil) -> AgentDependencies {
        var dependencies = AgentDependencies(store: store, provider: provider ?? ScriptedProvider(script: script))
        dependencies.clock = clock
        return dependencies
    }

    func create() async throws -> Agent {
        let config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: directory.url.path)
        return try await Agent.create(config: config, dependencies: dependencies())
    }

    /// Opens the agent again, as a process started after a crash or a stop would.
    func reopen(_ id: AgentID, provider: (any ModelProvider)? = nil) async throws -> Agent {
        try await Agent.resume(id: id, dependencies: dependencies(provider: provider))
    }

    /// Every `scheduler_triggered` event in the agent's log.
    func fires(of id: AgentID) async throws -> [SchedulerTriggeredEvent] {
        try await store.records(of: id, after: 0).compactMap { record in
            if case .event(.schedulerTriggered(let e)) = record.body { return e }
            return nil
        }
    }
}

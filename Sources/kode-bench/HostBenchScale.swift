import ArgumentParser
import Foundation
import KodeKernel

extension HostBench {
    /// A host whose store holds `agents` agents: `list()` through a client (baseline: the same
    /// listing by an in-process hub on the same store), with none and with `open` of them open
    /// in the host, and what opening those cost the process in resident memory. The host runs in
    /// this process, so the VmRSS delta is the host's (the client's handles are a few bytes each).
    func scale() async throws {
        let host = try await BenchHost(script: benchReplyScript(characters: 100, turns: 1), maxOpen: max(64, open))
        var ids: [AgentID] = []
        let seeding = try await Bench.seconds {
            // Straight into the store, as earlier sessions would have left them: nothing is open.
            // Each has one short turn behind it, so opening one reads and folds a real history.
            for _ in 0..<agents {
                let agent = try await Agent.create(config: host.config, store: host.store, provider: try host.wiring.makeProvider(host.config.provider))
                _ = try await agent.chat("hello")
                ids.append(agent.id)
                await agent.close()
            }
        }
        print("  seeded \(agents) agents in \(Bench.format(seeding, "s"))")
        let client = host.client("bench")
        let local = LocalAgentHub(store: host.store, wiring: host.wiring)

        let remoteIdle = try await listTimes(client, expect: agents)
        let localIdle = try await listTimes(local, expect: agents)
        Bench.report("list(), \(agents) agents, 0 open, median", value: Bench.format(remoteIdle.median * 1e3, "ms"),
                     baseline: Bench.format(localIdle.median * 1e3, "ms (local)"), ratio: remoteIdle.median / max(localIdle.median, 1e-9), target: "-")

        trimHeap()
        let before = residentBytes() ?? 0
        var handles: [any AgentHandle] = []
        let opening = try await Bench.seconds {
            for id in ids.prefix(open) { handles.append(try await client.open(id, options: OpenOptions())) }
        }
        trimHeap()
        let after = residentBytes() ?? 0
        let live = try await client.list().filter { $0.live != nil }.count
        guard live == open else { throw ValidationError("the host lists \(live) agents open, expected \(open)") }
        let remoteOpen = try await listTimes(client, expect: agents)
        Bench.report("list(), \(agents) agents, \(open) open, median", value: Bench.format(remoteOpen.median * 1e3, "ms"),
                     baseline: Bench.format(localIdle.median * 1e3, "ms (local)"), ratio: remoteOpen.median / max(localIdle.median, 1e-9), target: "-")
        print("  list() p99: \(Bench.format(remoteIdle.p99 * 1e3, "ms")) none open, \(Bench.format(remoteOpen.p99 * 1e3, "ms")) with \(open) open; in-process \(Bench.format(localIdle.p99 * 1e3, "ms"))")
        let delta = Double(after - before)
        Bench.report("RSS growth, opening \(open) agents", value: Bench.format(delta / 1_048_576, "MiB"),
                     baseline: Bench.format(Double(before) / 1_048_576, "MiB (before)"), ratio: Double(after) / Double(max(before, 1)), target: "-")
        print("  \(Bench.format(delta / Double(open) / 1024, "KiB")) per open agent (freed heap trimmed before each reading); opened in \(Bench.format(opening * 1e3, "ms")) (\(Bench.format(opening / Double(open) * 1e3, "ms")) each)")

        for handle in handles { await handle.release(.leave) }
        await client.disconnect()
        await host.stop()
    }

    /// Times of 20 `list()` calls after one warm-up; each must see `expect` agents.
    private func listTimes(_ hub: any AgentHub, expect: Int) async throws -> Samples {
        var times: [Double] = []
        for round in 0..<21 {
            var count = 0
            let t = try await Bench.seconds { count = try await hub.list().count }
            guard count == expect else { throw ValidationError("list() returned \(count) agents, expected \(expect)") }
            if round > 0 { times.append(t) }
        }
        return Samples(times)
    }
}

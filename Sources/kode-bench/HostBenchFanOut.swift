import ArgumentParser
import Foundation
import KodeKernel

extension HostBench {
    /// Events/s delivered to each of three clients attached to one agent while it streams a long
    /// reply one character per chunk (one event each), every event to every client. The
    /// baseline: three subscribers of the same kind of agent on the in-process bus.
    func fanOut() async throws {
        let script = benchReplyScript(characters: fanOutChunks, turns: 1)
        let host = try await BenchHost(script: script)
        let clients = (0..<3).map { host.client("bench-\($0)") }
        let first = try await clients[0].create(host.config)
        var handles: [any AgentHandle] = [first]
        for client in clients.dropFirst() { handles.append(try await client.open(first.id, options: OpenOptions())) }
        let remote = try await fanOutRun(subscribeThrough: handles, sendThrough: first)
        for handle in handles { await handle.release(.leave) }
        for client in clients { await client.disconnect() }

        let localHub = try host.localHub()
        let agent = try await localHub.create(host.config)
        let local = try await fanOutRun(subscribeThrough: [agent, agent, agent], sendThrough: agent)
        await agent.release(.leave)
        await host.stop()

        Bench.report("fan-out: events/s to each of 3 clients", value: Bench.format(remote.perClient / 1e3, "k/s"),
                     baseline: Bench.format(local.perClient / 1e3, "k/s (bus)"), ratio: local.perClient / max(remote.perClient, 1e-9), target: "-")
        Bench.report("fan-out: events/s to 3 clients, all", value: Bench.format(remote.perClient * 3 / 1e3, "k/s"),
                     baseline: Bench.format(local.perClient * 3 / 1e3, "k/s (bus)"), ratio: local.perClient / max(remote.perClient, 1e-9), target: "≥ 500 k/s")
        let cpuPerEvent = remote.cpuSeconds / Double(remote.events * 3) * 1e6
        let localCPUPerEvent = local.cpuSeconds / Double(local.events * 3) * 1e6
        Bench.report("fan-out: CPU per event delivered", value: Bench.format(cpuPerEvent, "µs"),
                     baseline: Bench.format(localCPUPerEvent, "µs (bus)"), ratio: cpuPerEvent / max(localCPUPerEvent, 1e-9), target: "-")
        print("  \(remote.events) events to each client in \(Bench.format(remote.seconds * 1e3, "ms")) (bus: \(local.events) in \(Bench.format(local.seconds * 1e3, "ms")))")
    }

    struct FanOutResult {
        var events: Int
        var seconds: Double
        /// Process CPU over the run: on a shared machine, what the work cost rather than how
        /// long it waited for a core.
        var cpuSeconds: Double
        var perClient: Double { Double(events) / seconds }
    }

    /// One turn with a subscriber per handle; time from the input to the last subscriber's `done`.
    /// Every subscriber must see the same number of events.
    private func fanOutRun(subscribeThrough handles: [any AgentHandle], sendThrough sender: any AgentHandle) async throws -> FanOutResult {
        var consumers: [Task<Received, Never>] = []
        for handle in handles {
            let events = try await handle.subscribe()
            consumers.append(Task { await Self.consume(events, turns: 1, latency: false) })
        }
        let cpuBefore = Bench.cpuSeconds()
        let start = ContinuousClock.now
        _ = try await sender.send("go")
        var results: [Received] = []
        for consumer in consumers { results.append(await consumer.value) }
        let cpu = Bench.cpuSeconds() - cpuBefore
        let ends = results.compactMap(\.finished)
        guard ends.count == results.count, let last = ends.max() else { throw ValidationError("a fan-out subscriber ended before the turn did") }
        let counts = Set(results.map(\.events))
        guard counts.count == 1, let events = counts.first else { throw ValidationError("fan-out subscribers saw different event counts: \(results.map(\.events))") }
        let elapsed = last - start
        return FanOutResult(events: events, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, cpuSeconds: cpu)
    }
}

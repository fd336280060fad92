import ArgumentParser
import Foundation
import KodeKernel

extension HostBench {
    /// Time from the agent making an event to a subscriber's `for await` receiving it, through a
    /// host to one attached client and, as the baseline, straight off the in-process bus. Run
    /// twice: with a zero-delay model (the events queue behind each other, so this includes the
    /// wait for a busy consumer) and with 1 ms between chunks (each event alone on the way, as a
    /// real model's tokens are: the cost of the path itself).
    func latency() async throws {
        for delay in [0, 1] {
            // Zero delay streams the whole reply per turn; paced, a tenth of it keeps the run short.
            let chunks = delay == 0 ? latencyChunks : max(500, latencyChunks / 10)
            // Three turns: the first warms both ends (connection, code paths, allocations) and is
            // not counted.
            let script = benchReplyScript(characters: chunks, turns: 3, delayMs: delay)
            let host = try await BenchHost(script: script)
            let remote = host.client("bench")
            let (remoteSamples, remoteBusy) = try await latencySamples(hub: remote, config: host.config)
            await remote.disconnect()
            let (localSamples, localBusy) = try await latencySamples(hub: try host.localHub(), config: host.config)
            await host.stop()

            let label = delay == 0 ? "0-delay model" : "1 ms/chunk"
            let r = Samples(remoteSamples), l = Samples(localSamples)
            Bench.report("host→client latency median (\(label))", value: Bench.format(r.median * 1e6, "µs"),
                         baseline: Bench.format(l.median * 1e6, "µs (bus)"), ratio: r.median / max(l.median, 1e-9), target: "≤ 200 µs")
            Bench.report("host→client latency p99 (\(label))", value: Bench.format(r.p99 * 1e6, "µs"),
                         baseline: Bench.format(l.p99 * 1e6, "µs (bus)"), ratio: r.p99 / max(l.p99, 1e-9), target: "≤ 2 ms")
            print("  \(r.count) chunks measured through the host, \(l.count) on the bus; max \(Bench.format(r.quantile(1) * 1e3, "ms")) vs \(Bench.format(l.quantile(1) * 1e3, "ms"))")
            // Cores busy (process CPU ÷ wall time) while the measured turns ran: near the machine's
            // core count, events wait for a core, and latency is the scheduler's.
            print("  cores busy: \(Bench.format(remoteBusy, "", decimals: 2))through the host, \(Bench.format(localBusy, "", decimals: 2))on the bus (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        }
    }

    /// Latencies of the text chunks of turns 2 and 3 of a new agent in `hub`, and the cores the
    /// process kept busy meanwhile.
    private func latencySamples(hub: any AgentHub, config: AgentConfig) async throws -> ([Double], Double) {
        let agent = try await hub.create(config)
        var latencies: [Double] = []
        var cpu = 0.0, wall = 0.0
        for (turn, input) in ["warm up", "go", "again"].enumerated() {
            // One subscription per turn, in place before the input goes in, so no event of the
            // turn is missed; the next input waits for this turn's end (inputs sent during a turn
            // may join it, which would leave a consumer waiting for a second `done`).
            let events = try await agent.subscribe()
            let consumer = Task { await Self.consume(events, turns: 1, latency: turn > 0) }
            let cpuBefore = Bench.cpuSeconds()
            var received = Received()
            let seconds = try await Bench.seconds {
                _ = try await agent.send(input)
                received = await consumer.value
            }
            if turn > 0 {
                cpu += Bench.cpuSeconds() - cpuBefore
                wall += seconds
            }
            guard received.finished != nil else { throw ValidationError("the latency subscription ended before the turn did") }
            latencies += received.latencies
        }
        await agent.release(.leave)
        return (latencies, cpu / max(wall, 1e-9))
    }
}

import ArgumentParser
import Foundation
import KodeKernel

/// The host's cost over the in-process bus: event latency to an attached client, fan-out to
/// three clients, a host with many agents in its store, and attaching to an agent with a long
/// log. The host runs in this process on a file store in a temporary directory, the clients
/// reach it through its real Unix socket.
struct HostBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Host → client event latency, fan-out to 3 clients, 1,000 agents with 50 open, attaching to a 100 MB log."
    )

    @Option(help: "Characters (one event each) per turn in the latency runs.") var latencyChunks = 20_000
    @Option(help: "Characters (one event each) streamed in the fan-out run.") var fanOutChunks = 200_000
    @Option(help: "Agents in the store for the scale run.") var agents = 1_000
    @Option(help: "Agents opened through the host in the scale run.") var open = 50
    @Option(help: "Events in the attach run's log (about 100 bytes each on disk).") var attachEvents = 1_000_000
    @Option(help: "Attaches timed in the attach run (the first one cold).") var attaches = 7
    @Option(help: "Run one part only, e.g. under a profiler: latency, fanout, scale or attach.") var only: Part?

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case latency, fanout, scale, attach
    }

    func run() async throws {
        print("host benchmarks (latency \(latencyChunks) chunks/turn, fan-out \(fanOutChunks) chunks, \(agents) agents / \(open) open, attach \(attachEvents) events × \(attaches))")
        if only == nil || only == .latency { try await latency() }
        if only == nil || only == .fanout { try await fanOut() }
        if only == nil || only == .scale { try await scale() }
        if only == nil || only == .attach { try await attach() }
    }
}

extension HostBench {
    /// The first text chunk of a turn and every event up to its `done`: what a consumer of one
    /// subscription saw, in the order it saw it.
    struct Received: Sendable {
        var events = 0
        var latencies: [Double] = []
        var finished: ContinuousClock.Instant?
    }

    /// Consumes `events` until `turns` turns have ended; with `latency`, notes for each text chunk
    /// how long after its envelope was made it arrived.
    static func consume(_ events: AgentEvents, turns: Int, latency: Bool) async -> Received {
        var received = Received()
        if latency { received.latencies.reserveCapacity(1 << 16) }
        var left = turns
        for await envelope in events {
            received.events += 1
            switch envelope.event {
            case .textChunk:
                // The envelope's timestamp is the record's, taken when the agent made the event
                // (full Double precision on the wire); sender and receiver share this clock.
                if latency { received.latencies.append(Date().timeIntervalSince(envelope.timestamp)) }
            case .done:
                left -= 1
                if left == 0 {
                    received.finished = .now
                    events.cancel()
                    return received
                }
            default:
                break
            }
        }
        return received
    }
}

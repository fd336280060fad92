import ArgumentParser
import Foundation
import KodeHost
import KodeKernel

extension HostBench {
    /// Attaching the app to an agent whose log is about 100 MB (issue 10: first full frame
    /// ≤ 100 ms). Each attach starts from a client with no connection yet: `open` through the
    /// host, the view model from the agent's window, one 200×60 frame. The first attach also
    /// pays the host's open of the agent (cold); the later ones find it open (warm). Baseline:
    /// the same through an in-process `LocalAgentHub` on the same store, measured before the
    /// host opens the agent, because only one process may hold an agent's log.
    func attach() async throws {
        let host = try await BenchHost(script: benchReplyScript(characters: 100))
        var log: LargeLogFixture.Written?
        let writing = try await Bench.seconds { log = try await LargeLogFixture.write(into: host.store, events: attachEvents) }
        guard let log else { return }
        print("  wrote \(attachEvents) events, \(Bench.format(Double(log.bytes) / 1e6, "MB")) in \(log.segmentFiles.count) segments, snapshot of \(log.messages) messages, in \(Bench.format(writing, "s"))")

        // Keeps the agent open between attaches, as a host does, so only the first one opens it.
        let local = LocalAgentHub(store: host.store, wiring: host.wiring, retention: .keepOpen(maxOpen: 4))
        let inProcess = try await attachTimes(log, hosted: false) { local }
        await local.shutDown(grace: .seconds(5))
        let hosted = try await attachTimes(log, hosted: true) { host.client("bench-attach") }

        Bench.report("attach, 100 MB log, cold (host opens it)", value: Bench.format(hosted.cold * 1e3, "ms"),
                     baseline: Bench.format(inProcess.cold * 1e3, "ms (local)"), ratio: hosted.cold / max(inProcess.cold, 1e-9), target: "≤ 100 ms")
        Bench.report("attach, 100 MB log, warm, median", value: Bench.format(hosted.warm.median * 1e3, "ms"),
                     baseline: Bench.format(inProcess.warm.median * 1e3, "ms (local)"), ratio: hosted.warm.median / max(inProcess.warm.median, 1e-9), target: "≤ 100 ms")
        print("  warm attaches: \(hosted.warm.count), max \(Bench.format(hosted.warm.quantile(1) * 1e3, "ms")) through the host, \(Bench.format(inProcess.warm.quantile(1) * 1e3, "ms")) in-process")
        await host.stop()
    }

    /// Times `attaches` attaches to `log`'s agent, each through a hub fresh from `makeHub`
    /// (for a remote hub: a new connection), from the call to `open` to the first frame flushed;
    /// the handle is released (and a remote hub disconnected) before the next one.
    private func attachTimes(_ log: LargeLogFixture.Written, hosted: Bool, makeHub: () -> any AgentHub) async throws -> (cold: Double, warm: Samples) {
        var times: [Double] = []
        for _ in 0..<max(2, attaches) {
            let hub = makeHub()
            var handle: (any AgentHandle)?
            times.append(try await Bench.seconds {
                let opened = try await hub.open(log.id, options: OpenOptions())
                handle = opened
                try await TUIOpenBench.firstFrame(opened, hosted: hosted)
            })
            guard let handle else { continue }
            // Checked outside the clock: the frame was of the whole conversation's newest part.
            let shown = try await handle.window(messages: 1).messageCount
            guard shown >= log.messages else { throw ValidationError("the attached agent has \(shown) messages, expected at least \(log.messages)") }
            await handle.release(.leave)
            if let remote = hub as? RemoteAgentHub { await remote.disconnect() }
        }
        return (times[0], Samples(Array(times.dropFirst())))
    }
}

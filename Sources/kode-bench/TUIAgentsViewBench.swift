import Foundation
import KodeKernel
import KodeTUI

/// `kode-bench tui --agents-view-only`: the agents view's first frame with 1,000 agents in a
/// file store (issue 12: ≤ 100 ms): Ctrl+O on an open app, the hub's listing, the rows, one
/// frame. Baseline, same run: the hub's listing alone (what any view of the store pays).
enum TUIAgentsViewBench {
    static func run(agents: Int) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kode-agents-view-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try FileStore(root: dir)
        let config = AgentConfig(provider: ProviderConfig(name: "demo", model: "demo"), workDir: FileManager.default.temporaryDirectory.path)
        for _ in 0..<(agents - 1) { try await store.create(AgentManifest(id: AgentManifest.newID(), config: config)) }
        let hub = LocalAgentHub(store: store, wiring: AgentWiring(makeProvider: { _ in DemoProvider(chunkDelayMs: 0) }))
        let handle = try await hub.create(config)
        let (model, _) = try await SessionLoader.model(for: handle, width: 200, height: 60, unicode: true, keymap: Keymap())
        var frames: [Double] = []
        var lists: [Double] = []
        for _ in 0..<5 {
            let b0 = DispatchTime.now().uptimeNanoseconds
            _ = try await hub.list()
            lists.append(Double(DispatchTime.now().uptimeNanoseconds - b0) / 1e6)

            var m = model
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = Update.apply(.input(.key(.ctrl("o"))), to: &m)
            let rows = try await hub.list().map(AgentRow.init(listing:))
            _ = Update.apply(.agentsListed(rows), to: &m)
            var canvas = Canvas(width: 200, height: 60)
            let cursor = Renderer.render(m, into: &canvas)
            let backend = MemoryBackend(width: 200, height: 60)
            backend.flush(canvas, cursor: cursor)
            frames.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        let details = detailsLoading(model, rows: try await hub.list().map(AgentRow.init(listing:)))
        await handle.release(.leave)
        let frame = frames.sorted()[frames.count / 2]
        let list = lists.sorted()[lists.count / 2]
        print(String(format: "agents view, first frame with %d agents in a file store (Ctrl+O, list, rows, render): median of 5 %.1f ms (budget ≤ 100 ms) → %@; baseline the listing alone %.1f ms → %.2f× the listing",
                     agents, frame, frame <= 100 ? "OK" : "OVER", list, frame / max(list, 0.001)))
        for (query, d) in details {
            print(String(format: "  then every agent's details (title, state) into the open view%@: median of 5 %.2f ms, %.2f µs per detail; baseline the listing into the view %.2f ms → %.2f× the listing",
                         query.isEmpty ? "" : ", filtered by \"\(query)\"", d.details, d.details * 1000 / Double(agents), d.listing, d.details / max(d.listing, 0.0001)))
        }
    }

    /// The details of every row applied one at a time through `Update` (as the app's loop
    /// applies them), without and with a filter typed; each against applying the listing.
    static func detailsLoading(_ model: AppModel, rows: [AgentRow]) -> [(String, (details: Double, listing: Double))] {
        ["", "agt"].map { query in
            var runs: [Double] = []
            var listings: [Double] = []
            for _ in 0..<5 {
                var m = model
                _ = Update.apply(.input(.key(.ctrl("o"))), to: &m)
                let l0 = DispatchTime.now().uptimeNanoseconds
                _ = Update.apply(.agentsListed(rows), to: &m)
                listings.append(Double(DispatchTime.now().uptimeNanoseconds - l0) / 1e6)
                for c in query { _ = Update.apply(.input(.key(.char(c))), to: &m) }
                let t0 = DispatchTime.now().uptimeNanoseconds
                for (i, row) in rows.enumerated() {
                    _ = Update.apply(.agentDetail(row.id, title: "task \(i) of the bench", activity: .idle), to: &m)
                }
                runs.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            return (query, (runs.sorted()[runs.count / 2], listings.sorted()[listings.count / 2]))
        }
    }
}

import Foundation
import KodeKernel
import KodeTUI
import Testing
import KodeTestSupport

/// A sub-agent in the app: under its parent in the checkpoint tree (from the store's manifests
/// and, live, from the parent's `subagent_started`), and on the Monitor naming child and parent.
@Suite struct SubAgentTreeTests {
    static let config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "script"), workDir: "/tmp")

    func depth(of id: AgentID, in tree: CheckpointTree) -> Int? {
        tree.rows.first { $0.kind == .agent(id) }?.depth
    }

    @Test func storedSubAgentsNestUnderTheAgentThatSpawnedThem() {
        let parent = AgentManifest(id: "agt_parent", created: Fixtures.t0, config: Self.config)
        let child = AgentManifest(id: "agt_child", created: Fixtures.t0.addingTimeInterval(1), config: Self.config,
                                  spawnedBy: SpawnRef(agentId: "agt_parent", callId: "toolu_0_0", depth: 1))
        let grandchild = AgentManifest(id: "agt_grand", created: Fixtures.t0.addingTimeInterval(2), config: Self.config,
                                       spawnedBy: SpawnRef(agentId: "agt_child", callId: "toolu_0_0", depth: 2))
        var tree = CheckpointTree()
        tree.load([parent, child, grandchild].map(AgentNode.init(manifest:)))
        #expect(depth(of: "agt_parent", in: tree) == 0)
        #expect(depth(of: "agt_child", in: tree) == 1)
        #expect(depth(of: "agt_grand", in: tree) == 2)
    }

    @Test func aLiveSubAgentJoinsTheTreeAndTheMonitor() {
        var m = Fixtures.model(width: 140, height: 40)
        _ = Update.apply(.agentsLoaded([AgentNode(id: Fixtures.agentId, parent: nil, created: Fixtures.t0, model: "scripted/script", checkpoints: [])]), to: &m, now: Fixtures.t0)
        let c = Fixtures.Clock()
        let started = SubAgentStartedEvent(callId: "toolu_0_0", child: "agt_child", parent: Fixtures.agentId, template: "reviewer",
                                           model: "script", tools: ["fs_read"], depth: 1, reattached: false)
        _ = Update.apply(.event(c.env(.subagentStarted(started))), to: &m, now: c.time)
        #expect(depth(of: "agt_child", in: m.tree) == 1)
        #expect(m.tree.nodes["agt_child"]?.spawnedBy?.agentId == Fixtures.agentId)
        let finished = SubAgentFinishedEvent(callId: "toolu_0_0", child: "agt_child", parent: Fixtures.agentId, outcome: .completed, preview: "all good", durationMs: 12)
        _ = Update.apply(.event(c.env(.subagentFinished(finished))), to: &m, now: c.time)
        let lines = m.monitor.entries.map(\.text)
        #expect(lines.contains { $0.contains("sub-agent started agt_child by \(Fixtures.agentId)") && $0.contains("reviewer") })
        #expect(lines.contains { $0.contains("sub-agent agt_child completed") && $0.contains("all good") })
        #expect(Screen.text(m, now: c.time).contains("agt_child scripted/script sub-agent"))
    }

    @Test func aSubAgentsApprovalShowsInTheModalNamingTheChildAndIsDecidedByItsRoutedId() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 36)
        let shown = Date()
        let call = Fixtures.call("toolu_0_0", "fs_write", .object(["path": .string("out.txt"), "content": .string("hi")]))
        let relayed = PermissionRequiredEvent(callId: "agt_child/toolu_0_0", call: call, inputPreview: "out.txt (2 B)",
                                              reason: "writes need approval", alwaysPattern: "fs_write(out.txt)", agentId: "agt_child")
        m.apply(c.env(.permissionRequired(relayed)), now: shown)
        #expect(m.approvals.current?.agentId == "agt_child")
        #expect(Screen.text(m, now: shown).contains("agt_child (sub-agent of \(Fixtures.agentId))"))
        #expect(m.monitor.entries.contains { $0.text.contains("approval needed: sub-agent agt_child: fs_write") })
        #expect(!m.conversation.items.contains { if case .tool(let cell) = $0.kind { cell.callId.hasPrefix("agt_child/") } else { false } },
                "the child's call has no cell in the parent's transcript (it would never see its end)")
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: shown.addingTimeInterval(0.3))
                == [.decide(callId: "agt_child/toolu_0_0", decision: .allow, note: nil, scope: .once)])
    }

    @Test func theMonitorNamesAToolOnceWhenItsPreviewAlreadyDoes() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 36)
        let input: JSONValue = .object(["text": .string("hi")])
        m.apply(Fixtures.permission(c, "toolu_0_0", "mcp__t__echo", input, preview: ToolInputPreview.render(name: "mcp__t__echo", input: input)), now: Date())
        let line = m.monitor.entries.map(\.text).first { $0.contains("approval needed") }
        #expect(line?.contains("approval needed: mcp__t__echo {") == true, "\(line ?? "-")")
        let head = line?.components(separatedBy: " — ").first ?? ""
        #expect(head.components(separatedBy: "mcp__t__echo").count == 2, "\(line ?? "-")")
    }
}

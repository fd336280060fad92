import Foundation
import KodeKernel
import KodeTUI
import Testing
import KodeTestSupport

/// Every slash command through the update step, the popup and its completion, unknown commands.
@Suite struct SlashCommandTests {
    static func typed(_ text: String, _ m: inout AppModel) -> [Effect] {
        m.composer.setText(text)
        m.focus = .composer
        return Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0)
    }

    @Test func eachCommandDoesWhatItsHelpSays() throws {
        var m = Fixtures.model(width: 120, height: 30)
        #expect(Self.typed("/new", &m) == [.newAgent(prompt: nil)])
        #expect(Self.typed("/new write the tests", &m) == [.newAgent(prompt: "write the tests")])
        #expect(Self.typed("/agents", &m) == [.listAgents])
        guard case .agents? = m.overlays.last else { Issue.record("no agents view"); return }
        m.overlays.removeAll()
        #expect(Self.typed("/fork", &m) == [.fork(agent: Fixtures.agentId, checkpoint: nil, previous: nil, workspace: .copy)])
        #expect(Self.typed("/label before the refactor", &m) == [.checkpoint(label: "before the refactor", at: nil)])
        #expect(Self.typed("/compact", &m) == [.compact(instructions: nil)])
        #expect(Self.typed("/compact keep the API decisions", &m) == [.compact(instructions: "keep the API decisions")])
        #expect(Self.typed("/theme light", &m) == [.theme("light")])
        #expect(Self.typed("/export", &m) == [.export(path: nil)])
        #expect(Self.typed("/export /tmp/t.md", &m) == [.export(path: "/tmp/t.md")])
        #expect(Self.typed("/help", &m).isEmpty)
        guard case .help? = m.overlays.last else { Issue.record("no help"); return }
        m.overlays.removeAll()
        #expect(Self.typed("/quit", &m) == [.quit])
        #expect(m.quitting)
    }

    @Test func forkAtACheckpointByLabelOrIdAndBadArgumentsSayWhy() {
        var m = Fixtures.model(width: 120, height: 30)
        GoldenScreenTests.tree(&m)
        let points = m.tree.nodes[Fixtures.agentId]?.checkpoints ?? []
        let second = try! #require(points.dropFirst().first)
        #expect(Self.typed("/fork \(second.id)", &m) == [.fork(agent: Fixtures.agentId, checkpoint: second, previous: points.first, workspace: .copy)])
        #expect(Self.typed("/fork nope", &m).isEmpty)
        #expect(m.flash?.contains("no checkpoint 'nope'") == true)
        #expect(Self.typed("/label", &m).isEmpty)
        #expect(m.flash?.contains("/label needs a text") == true)
        #expect(Self.typed("/theme", &m).isEmpty)
        #expect(m.flash?.contains("/theme dark|light|mono") == true)
    }

    @Test func rulesAreListedAndRevokedByNumberOrId() {
        var m = Fixtures.model(width: 120, height: 30)
        #expect(Self.typed("/rules", &m).isEmpty)
        guard case .preview(_, let empty, _)? = m.overlays.last else { Issue.record("no list"); return }
        #expect(empty.first?.contains("No \"always\" rules") == true)
        m.overlays.removeAll()
        let rule = PermissionRule(id: "rule_abcdefgh", pattern: "bash_run(git status*)", decision: .allow, grantedBy: "user")
        m.apply(EventEnvelope(seq: 1, timestamp: Fixtures.t0, agentId: Fixtures.agentId,
                              event: .permissionRuleChanged(PermissionRuleChangedEvent(change: .granted, rule: rule))), now: Fixtures.t0)
        #expect(Self.typed("/rules", &m).isEmpty)
        guard case .preview(_, let lines, _)? = m.overlays.last else { Issue.record("no list"); return }
        #expect(lines.first == "1. allow bash_run(git status*)  — by user · rule_abcdefgh")
        m.overlays.removeAll()
        #expect(Self.typed("/rules revoke 1", &m) == [.revokeRule("rule_abcdefgh")])
        #expect(Self.typed("/rules revoke rule_abcdefgh", &m) == [.revokeRule("rule_abcdefgh")])
        #expect(Self.typed("/rules revoke 7", &m).isEmpty)
        #expect(m.flash?.contains("no rule 7") == true)
        m.apply(EventEnvelope(seq: 2, timestamp: Fixtures.t0, agentId: Fixtures.agentId,
                              event: .permissionRuleChanged(PermissionRuleChangedEvent(change: .revoked, rule: rule))), now: Fixtures.t0)
        #expect(m.rules.isEmpty)
    }

    @Test func unknownCommandsSayWhatToDoAndDoubleSlashSendsText() {
        var m = Fixtures.model(width: 120, height: 30)
        #expect(Self.typed("/frok", &m).isEmpty)
        #expect(m.flash?.hasPrefix("unknown command /frok (did you mean /fork?)") == true)
        #expect(m.composer.isBlank)
        #expect(Self.typed("//etc/hosts is odd", &m) == [.send("/etc/hosts is odd")])
    }

    @Test func thePopupCompletesWithTabAndEnterRunsTheSelectedRow() {
        var m = Fixtures.model(width: 120, height: 30)
        m.focus = .composer
        for c in "/f" { _ = Update.apply(.input(.key(.char(c))), to: &m, now: Fixtures.t0) }
        #expect(Update.slashPopup(m).map(\.name) == [.fork])
        _ = Update.apply(.input(.key(.tab)), to: &m, now: Fixtures.t0)
        #expect(m.composer.text == "/fork ")
        #expect(m.focus == .composer)
        // Down moves through the popup instead of the input history; Enter runs the row.
        m.composer.setText("/")
        _ = Update.apply(.input(.key(.down)), to: &m, now: Fixtures.t0)
        #expect(m.slashSelection == 1)
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.listAgents])
        // Without a popup Tab still moves the focus.
        m.overlays.removeAll()
        m.composer.setText("hello")
        _ = Update.apply(.input(.key(.tab)), to: &m, now: Fixtures.t0)
        #expect(m.focus == .conversation)
    }

    @Test func thePopupIsDrawnAboveTheComposer() {
        var m = Fixtures.model(width: 100, height: 30)
        m.focus = .composer
        m.composer.setText("/e")
        let screen = Renderer.frame(m, now: Fixtures.t0).canvas
        let text = Screen.rows(of: screen).joined(separator: "\n")
        #expect(text.contains("/export [path]"))
        #expect(text.contains("tab completes"))
        #expect(!text.contains("/fork"))
    }
}

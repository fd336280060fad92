import Foundation
import KodeKernel
import KodeTUI
import Testing
import KodeTestSupport

/// The checkpoint tree's workspace parts: file counts per step, `r` with its confirmation, the
/// fork prompt's workspace mode, and the work directory in the status line.
@Suite struct CheckpointWorkspaceTests {
    static func treeModel() -> AppModel {
        var m = Fixtures.model(width: 240, height: 30)
        GoldenScreenTests.tree(&m)
        m.focus = .tree
        m.tree.select(agent: Fixtures.agentId)
        m.tree.moveDown()  // cp_3
        return m
    }

    @Test func treeShowsHowManyFilesEachStepChanged() {
        var m = Self.treeModel()
        _ = Update.apply(.fileChangesLoaded(Fixtures.agentId, ["cp_9": 3, "cp_15": 1, "cp_3": 0]), to: &m, now: Fixtures.t0)
        let screen = Screen.lines(m, now: Fixtures.t0).joined(separator: "\n")
        #expect(screen.contains("[before-cleanup] 3 files fs_read answered"))
        #expect(screen.contains("1 file write the summary"))
        #expect(!screen.contains("0 files"))
    }

    @Test func rewindShowsWhatChangesAndNeedsY() throws {
        var m = Self.treeModel()
        let effects = Update.apply(.input(.key(.char("r"))), to: &m, now: Fixtures.t0)
        guard case .planRewind(let cp)? = effects.first else {
            Issue.record("r did not ask for a plan: \(effects)")
            return
        }
        #expect(cp.id == "cp_3")
        let plan = RewindPlan(
            checkpoint: cp, files: true, conversation: true,
            changes: [WorkspaceChange(path: "notes/\u{1b}[31mred.txt", action: .delete), WorkspaceChange(path: "a.txt", action: .modify)],
            messagesNow: 5, messagesAfter: 1, notCaptured: [])
        _ = Update.apply(.rewindPlanned(plan), to: &m, now: Fixtures.t0)
        guard case .confirmRewind(_, let lines, _)? = m.overlays.last else {
            Issue.record("no confirmation")
            return
        }
        #expect(lines.contains("files: 2 change(s)"))
        #expect(lines.contains("  modify  a.txt"))
        #expect(lines.contains("conversation: 5 → 1 message(s)"))
        // A path from the disk never reaches the terminal raw.
        #expect(!lines.joined().contains("\u{1b}"))
        let screen = Screen.lines(m, now: Fixtures.t0).joined(separator: "\n")
        #expect(screen.contains("Rewind to cp_3? y rewinds"))
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: Fixtures.t0) == [.rewind(cp)])
        #expect(m.overlays.isEmpty)

        // Any other key cancels; nothing is asked of the agent.
        _ = Update.apply(.rewindPlanned(plan), to: &m, now: Fixtures.t0)
        #expect(Update.apply(.input(.key(.char("n"))), to: &m, now: Fixtures.t0).isEmpty)
        #expect(m.overlays.isEmpty)
    }

    @Test func rewindOnlyForTheOpenAgentsCheckpoints() {
        var m = Self.treeModel()
        m.tree.collapseSelected()
        // An agent row, not a checkpoint.
        #expect(Update.apply(.input(.key(.char("r"))), to: &m, now: Fixtures.t0).isEmpty)
        #expect(m.flash?.contains("select a checkpoint") == true)
    }

    @Test func forkPromptPreselectsTheConfiguredModeAndLetsItChange() {
        var m = Self.treeModel()
        m.forkMode = .worktree
        _ = Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0)
        guard case .confirmFork(_, let cp, .worktree)? = m.overlays.last else {
            Issue.record("the configured mode is not preselected")
            return
        }
        #expect(Screen.lines(m, now: Fixtures.t0).last?.contains("workspace: worktree") == true)
        _ = Update.apply(.input(.key(.char("s"))), to: &m, now: Fixtures.t0)
        #expect(Screen.lines(m, now: Fixtures.t0).last?.contains("workspace: shared") == true)
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: Fixtures.t0) == [.fork(agent: Fixtures.agentId, checkpoint: cp, previous: m.tree.checkpoint(before: cp!, of: Fixtures.agentId), workspace: .shared)])
    }

    @Test func statusLineShowsAWorkDirectoryOtherThanTheLaunchDirectory() {
        var m = Fixtures.model(width: 140, height: 12)
        #expect(Screen.lines(m, now: Fixtures.t0).last?.contains(" dir ") == false)
        m.info.otherWorkDir = "/srv/project.fork-agt_x"
        #expect(Screen.lines(m, now: Fixtures.t0).last?.contains("dir /srv/project.fork-agt_x") == true)
    }

    @Test func previewListsTheFileChangesAfterTheTranscript() {
        var m = Self.treeModel()
        let diff = WorkspaceDiff(checkpoint: "cp_3", files: [
            WorkspaceDiff.File(path: "a.txt", action: .modify, lines: ["@@ line 1", "- old", "+ new"]),
        ])
        _ = Update.apply(.previewReady(title: "x", conversation: ConversationModel(), files: CheckpointActions.lines(of: diff)), to: &m, now: Fixtures.t0)
        guard case .preview(_, let lines, _)? = m.overlays.last else {
            Issue.record("no preview")
            return
        }
        #expect(Array(lines.suffix(6)) == ["", "── files changed since this checkpoint ──", "modify a.txt", "    @@ line 1", "    - old", "    + new"])
    }
}

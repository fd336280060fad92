import Foundation
import KodeKernel

/// The checkpoint tree's workspace keys: `r` (rewind, confirmed with `y`), the fork prompt's
/// workspace mode, and the file lines of `p`'s preview (docs/WORKSPACE.md).
package enum CheckpointActions {
    /// `r` on a checkpoint row of the open agent: work out what the rewind changes first.
    static func rewind(_ m: inout AppModel, _ now: Date) -> [Effect] {
        guard case .checkpoint(let id, let cp)? = m.tree.selected?.kind else {
            m.flash("select a checkpoint row to rewind to", now: now)
            return []
        }
        guard id == m.info.agentId else {
            m.flash("open that agent (o) to rewind it", now: now)
            return []
        }
        guard !m.isBusy else {
            m.flash("the agent is working: rewind once it is idle", now: now)
            return []
        }
        return [.planRewind(cp)]
    }

    /// Keys of the fork and rewind prompts.
    static func overlayKey(_ key: Key, _ top: Overlay, _ m: inout AppModel, _ km: Keymap, _ now: Date) -> [Effect] {
        let last = m.overlays.count - 1
        switch top {
        case .confirmFork(let agent, let cp, let mode):
            let modes: [Command: WorkspaceForkMode] = [.forkCopy: .copy, .forkShared: .shared, .forkWorktree: .worktree]
            if let command = km.contextCommand(for: key, in: .confirm), let chosen = modes[command] {
                m.overlays[last] = .confirmFork(agent: agent, checkpoint: cp, mode: chosen)
                return []
            }
            m.overlays.removeLast()
            if km.contextCommand(for: key, in: .confirm) == .confirm {
                let previous = cp.flatMap { m.tree.checkpoint(before: $0, of: agent) }
                return [.fork(agent: agent, checkpoint: cp, previous: previous, workspace: mode)]
            }
            m.flash("fork cancelled", now: now)
        case .confirmRewind(let cp, let lines, let scroll):
            // The list scrolls with the overlays' keys; confirming is the confirmation's.
            switch km.contextCommand(for: key, in: .confirm) ?? km.contextCommand(for: key, in: .overlay) {
            case .scrollDown: m.overlays[last] = .confirmRewind(checkpoint: cp, lines: lines, scroll: scroll + 1)
            case .scrollUp: m.overlays[last] = .confirmRewind(checkpoint: cp, lines: lines, scroll: max(scroll - 1, 0))
            case .confirm:
                m.overlays.removeLast()
                return [.rewind(cp)]
            default:
                m.overlays.removeLast()
                m.flash("rewind cancelled; nothing changed", now: now)
            }
        default:
            break
        }
        return []
    }

    /// What a rewind will change, one sanitized line each.
    static func summary(_ plan: RewindPlan) -> [String] {
        var lines: [String] = []
        if plan.files {
            lines.append(plan.changes.isEmpty ? "files: no changes" : "files: \(plan.changes.count) change(s)")
            for change in plan.changes.prefix(500) {
                lines.append("  " + change.action.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + " " + Sanitizer.oneLine(change.path))
            }
            if plan.changes.count > 500 { lines.append("  … and \(plan.changes.count - 500) more") }
            for skipped in plan.notCaptured.prefix(20) {
                lines.append("  left as is (not captured): " + Sanitizer.oneLine(skipped.path))
            }
        }
        if plan.conversation { lines.append("conversation: \(plan.messagesNow) → \(plan.messagesAfter) message(s)") }
        lines.append("the present is saved as a checkpoint first, so this can be undone")
        return lines
    }

    /// The preview's file section: a heading, then the diff lines as given (sanitized).
    static func fileLines(_ files: [String]) -> [String] {
        guard !files.isEmpty else { return [] }
        return ["", "── files changed since this checkpoint ──"] + files.map { Sanitizer.oneLine($0) }
    }

    /// A diff as preview lines: a header per path, then its line diff.
    package static func lines(of diff: WorkspaceDiff) -> [String] {
        if diff.files.isEmpty { return ["(no file changes)"] }
        var out: [String] = []
        for file in diff.files.prefix(200) {
            out.append(file.action.rawValue + " " + file.path)
            out += file.lines.prefix(200).map { "    " + $0 }
            if file.lines.count > 200 { out.append("    … \(file.lines.count - 200) more lines") }
        }
        if diff.files.count > 200 { out.append("… and \(diff.files.count - 200) more paths") }
        return out
    }
}

import Foundation
import KodeKernel

/// The update step: applies an action to the model and returns the effects to run.
package enum Update {
    /// Applies `action` at time `now`.
    package static func apply(_ action: AppAction, to model: inout AppModel, now: Date = Date()) -> [Effect] {
        switch action {
        case .input(.paste(let text)):
            return paste(text, &model, now)
        case .input(.key(let key)):
            return handle(key, &model, now)
        case .input(.mouse(let event)):
            return mouse(event, &model, now)
        case .event(let env):
            model.apply(env, now: now)
            let reads = EditPreview.reads(&model)
            switch env.event {
            // A turn takes input at its start and answers it by its end: moments when input
            // typed in another terminal may have joined the conversation.
            case .stateChanged(let e) where e.to == .working: return [.refreshInputs] + reads
            case .done(let e):
                var effects: [Effect] = [.refreshInputs]
                if let after = model.tree.fileChangesDue(for: env.agentId, through: env.seq) {
                    effects.append(.loadFileChanges(env.agentId, after: after))
                }
                if model.notifications.onTurnEnd {
                    effects.append(.notify(title: "kode: turn \(e.reason == .completed ? "ended" : e.reason.rawValue)", body: model.info.agentId))
                }
                return effects + reads
            case .subagentStarted(let e) where model.tree.nodes[e.child] == nil:
                let provider = model.tree.nodes[e.parent]?.model.split(separator: "/").first.map(String.init) ?? "?"
                model.tree.addAgent(AgentNode(subAgent: e, at: env.timestamp, provider: provider))
                return reads
            case .permissionRequired(let e) where model.notifications.onApproval:
                return [.notify(title: "kode: approval needed", body: "\(e.call.name) · \(model.info.agentId)")] + reads
            default: return reads
            }
        case .tick:
            if let until = model.flashUntil, until <= now {
                model.flash = nil
                model.flashUntil = nil
            }
            // Approvals pending when the agent was opened get their diffs too.
            return EditPreview.reads(&model)
        case .baseFileRead(let callId, let base):
            model.conversation.setBase(base, forCall: callId)
            return []
        case .resize(let w, let h):
            let wasHidden = LayoutPlan.isTooSmall(width: model.width, height: model.height)
            model.width = w
            model.height = h
            // A modal that comes back into view arms the activation guard again, as a new one does.
            if wasHidden, !LayoutPlan.isTooSmall(width: w, height: h), model.modalVisible { model.approvals.markShown(at: now) }
            return []
        case .agentsLoaded(let nodes):
            model.tree.load(nodes)
            if let cur = model.tree.current {
                model.tree.select(agent: cur)
                if model.tree.nodes[cur]?.checkpoints == nil { return [.loadCheckpoints(cur)] }
            }
            return []
        case .checkpointsLoaded(let id, let cps):
            model.tree.setCheckpoints(cps, for: id)
            return []
        case .fileChangesLoaded(let id, let counts):
            model.tree.setFileChanges(counts, for: id)
            return []
        case .rewindPlanned(let plan):
            model.overlays.append(.confirmRewind(checkpoint: plan.checkpoint, lines: CheckpointActions.summary(plan), scroll: 0))
            return []
        case .sent(let inputId, let text):
            model.conversation.assignInputId(inputId, toText: text)
            return []
        case .previewReady(let title, let conv, let files):
            var lines: [String] = []
            let width = max(model.width - 8, 10)
            for item in conv.items {
                for l in ItemLines.make(item, width: width, unicode: model.unicode, now: now) { lines.append(l.text) }
            }
            lines += CheckpointActions.fileLines(files)
            model.overlays.append(.preview(title: title, lines: lines, scroll: max(lines.count - (model.height - 4), 0)))
            return []
        case .editorClosed(let text):
            model.composer.setText(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            model.focus = .composer
            return []
        case .olderLoaded(let page):
            let shift = model.conversation.prepend(page)
            // The entries above moved everything down: keep the same lines on screen.
            if !model.scroll.follow { model.scroll.topItem += shift }
            if let s = model.scroll.selected { model.scroll.selected = s + shift }
            return []
        case .inputsSeen(let queued, let newest):
            model.conversation.merge(queued: queued, newest: newest, at: now)
            return []
        case .hostLost(let reason):
            model.lostHost = reason
            let text = "lost the host: \(reason); the agent's log is safe"
            model.conversation.addNotice(text + ". Ctrl+C twice quits.", role: .error, at: now)
            model.monitor.note(text, role: .error, at: now)
            model.flash(text, now: now, seconds: 10)
            return []
        case .failed(let message):
            model.conversation.loadingOlder = false
            model.flash(message, now: now, seconds: 5)
            model.monitor.note(message, role: .error, at: now)
            return []
        case .agentsListed(let rows):
            guard case .agents(var view)? = model.overlays.last else { return [] }
            view.load(rows)
            model.overlays[model.overlays.count - 1] = .agents(view)
            return view.missingDetails.isEmpty ? [] : [.agentDetails(view.missingDetails)]
        case .agentDetail(let id, let title, let activity):
            guard case .agents(var view)? = model.overlays.last else { return [] }
            // The overlay lets go of the view first, so the detail changes its rows in place
            // (while both held them, changing one row would copy all of them).
            model.overlays.removeLast()
            view.detail(id, title: title, activity: activity)
            model.overlays.append(.agents(view))
            return []
        case .renamed(let id, let title):
            for i in model.overlays.indices {
                guard case .agents(var view) = model.overlays[i] else { continue }
                view.renamed(id, title: title)
                model.overlays[i] = .agents(view)
            }
            let shown = title.map { "\"\($0)\"" } ?? "its first prompt"
            model.flash("\(id) is now named \(shown)", now: now, seconds: 4)
            return []
        case .done(let message):
            model.flash(message, now: now, seconds: 4)
            model.monitor.note(message, role: .success, category: .state, at: now)
            return []
        case .forked(let node):
            model.tree.addAgent(node)
            model.monitor.note("forked \(node.id)" + (node.parent.map { " from \($0.agentId)@\($0.seq)" } ?? ""), role: .accent, category: .lineage, at: now)
            return []
        }
    }
}

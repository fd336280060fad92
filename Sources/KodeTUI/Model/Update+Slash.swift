import Foundation
import KodeKernel

// Slash commands typed in the composer (`SlashCommand.all`): each does what a key or a prompt
// does elsewhere, or asks the loop for an effect.
extension Update {
    static func slash(_ line: String, _ m: inout AppModel, _ now: Date) -> [Effect] {
        guard let parsed = SlashLine(line) else { return [] }
        guard let command = SlashCommand.named(parsed.name.lowercased()) else {
            let near = SlashCommand.completions(String(parsed.name.prefix(1))).map { "/" + $0.name.rawValue }
            let hint = near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"
            m.flash("unknown command /\(parsed.name)\(hint): /help lists the commands; // sends a message starting with /", now: now, seconds: 6)
            return []
        }
        let arg = parsed.argument
        switch command.name {
        case .new:
            return [.newAgent(prompt: arg.isEmpty ? nil : arg)]
        case .agents:
            return openAgents(&m)
        case .rename:
            guard !arg.isEmpty else {
                m.overlays.append(.rename(agent: m.info.agentId, text: m.info.title ?? ""))
                return []
            }
            return [.rename(agent: m.info.agentId, title: arg)]
        case .compact:
            guard !m.isBusy else {
                m.flash("/compact: the agent is working; compact once it is idle", now: now, seconds: 5)
                return []
            }
            return [.compact(instructions: arg.isEmpty ? nil : arg)]
        case .model:
            guard !arg.isEmpty else {
                m.flash("model: \(m.info.provider.name)/\(m.info.provider.model) · /model [provider/]model switches from the next turn on", now: now, seconds: 6)
                return []
            }
            guard let provider = modelSpec(arg, current: m.info.provider) else {
                m.flash("/model: '\(arg)' is not [provider/]model (e.g. /model anthropic/claude-sonnet-4-5 or /model gpt-4.1)", now: now, seconds: 6)
                return []
            }
            return [.switchModel(provider)]
        case .fork:
            guard !arg.isEmpty else { return [.fork(agent: m.info.agentId, checkpoint: nil, previous: nil, workspace: m.forkMode)] }
            let points = m.tree.nodes[m.info.agentId]?.checkpoints ?? []
            guard let cp = points.last(where: { $0.id == arg || $0.label == arg }) else {
                m.flash("/fork: no checkpoint '\(arg)' on this agent (the tree, Ctrl+T, lists them)", now: now, seconds: 6)
                return []
            }
            return [.fork(agent: m.info.agentId, checkpoint: cp, previous: m.tree.checkpoint(before: cp, of: m.info.agentId), workspace: m.forkMode)]
        case .label:
            guard !arg.isEmpty else {
                m.flash("/label needs a text: /label before the refactor", now: now, seconds: 5)
                return []
            }
            return [.checkpoint(label: arg, at: nil)]
        case .rules:
            return rules(arg, &m, now)
        case .theme:
            guard !arg.isEmpty else {
                m.flash("/theme dark|light|mono or a path to a .toml theme", now: now, seconds: 5)
                return []
            }
            return [.theme(arg)]
        case .export:
            return [.export(path: arg.isEmpty ? nil : arg)]
        case .help:
            m.overlays.append(.help(scroll: 0))
            return []
        case .quit:
            m.quitting = true
            return [.quit]
        }
    }

    /// `/rules`: the list in an overlay; `/rules revoke N` (the list's number) or an id.
    static func rules(_ arg: String, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let words = arg.split(separator: " ").map(String.init)
        if words.first == "revoke" {
            guard words.count == 2 else {
                m.flash("/rules revoke N (a number from /rules) or a rule id", now: now, seconds: 5)
                return []
            }
            let target = words[1]
            if let n = Int(target), m.rules.indices.contains(n - 1) { return [.revokeRule(m.rules[n - 1].id)] }
            if m.rules.contains(where: { $0.id == target }) { return [.revokeRule(target)] }
            m.flash("/rules: no rule \(target) (this agent has \(m.rules.count))", now: now, seconds: 5)
            return []
        }
        guard arg.isEmpty else {
            m.flash("/rules lists the rules; /rules revoke N revokes one", now: now, seconds: 5)
            return []
        }
        var lines = m.rules.isEmpty ? ["No \"always\" rules: approving with 'a' (or denying with 'd') adds one."] : []
        for (i, rule) in m.rules.enumerated() {
            let decision = rule.decision == .allow ? "allow" : "deny"
            lines.append("\(i + 1). \(decision) \(Sanitizer.oneLine(rule.pattern))  — by \(Sanitizer.oneLine(rule.grantedBy)) · \(rule.id)")
        }
        if !m.rules.isEmpty { lines += ["", "/rules revoke N revokes rule N."] }
        m.overlays.append(.preview(title: "rules of \(m.info.agentId)", lines: lines, scroll: 0))
        return []
    }

    /// `provider/model`, or `model` alone (the current provider). Nil when it is not one word
    /// or a part is empty.
    static func modelSpec(_ text: String, current: ProviderInfo) -> ProviderConfig? {
        guard !text.contains(where: \.isWhitespace) else { return nil }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 { return parts[0].isEmpty ? nil : ProviderConfig(name: current.name, model: parts[0]) }
        guard !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return ProviderConfig(name: parts[0].lowercased(), model: parts[1])
    }
}

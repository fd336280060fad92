import ArgumentParser
import Foundation
import KodeKernel

/// `kode rules ID [--revoke RULE] [--json]`: an agent's permission rules and where each came from.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List an agent's permission rules and where each came from; revoke an \"always\" rule.",
        discussion: """
            The mode and the allow, deny and require_approval patterns come from the agent's \
            manifest (written when it was created, from the configuration files, its template \
            and the flags); "always" rules come from decisions recorded in its log. --revoke \
            takes a rule id (rule_…) or the pattern of an "always" rule; the revocation is \
            recorded in the log, and a project rule is also taken out of .kode/config.toml. \
            Patterns of the manifest cannot be revoked: edit the file named as their source, \
            which changes agents created from then on.
            """
    )

    @Argument(help: "The agent id.") var agentId: String
    @Option(help: ArgumentHelp("Revoke this \"always\" rule (an id or its pattern).", valueName: "rule")) var revoke: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Row: Encodable {
        var id: String?
        var kind: String
        var pattern: String
        var source: String
        var scope: String?
        var grantedBy: String?
        var created: Date?
        var note: String?
    }

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        if let revoke {
            try await revokeRule(revoke, access: access)
            return
        }
        let (manifest, state) = try await load(access)
        let rows = Self.rows(manifest: manifest, state: state)
        if json {
            try JSONOutput.print(rows)
            return
        }
        var out = "mode \(manifest.config.permission.mode.rawValue)  (\(manifest.config.permission.origin(of: manifest.config.permission.mode.rawValue, in: .mode) ?? "manifest"))\n"
        for row in rows where row.kind != "mode" {
            let id = row.id.map { "\($0)  " } ?? ""
            var line = "\(row.kind.padding(toLength: 16, withPad: " ", startingAt: 0)) \(id)\(TerminalText.safe(row.pattern))  (\(TerminalText.safe(row.source)))"
            if let note = row.note { line += "  note: \(TerminalText.safe(note))" }
            out += line + "\n"
        }
        if rows.count == 1 { out += "no patterns and no \"always\" rules\n" }
        Output.stdout(out)
    }

    private func load(_ access: StoreAccess) async throws -> (AgentManifest, AgentState) {
        do {
            let manifest = try await access.hub.manifest(of: agentId)
            let state = try await access.hub.state(of: agentId, at: nil).state
            return (manifest, state)
        } catch {
            throw ClientFailure.cliError(error)
        }
    }

    /// The mode, the manifest's patterns (deny, allow, require_approval) and the log's rules.
    static func rows(manifest: AgentManifest, state: AgentState) -> [Row] {
        let policy = manifest.config.permission
        var rows = [Row(kind: "mode", pattern: policy.mode.rawValue, source: policy.origin(of: policy.mode.rawValue, in: .mode) ?? "manifest")]
        for (kind, list, patterns) in [("deny", PolicyOrigin.List.deny, policy.deny), ("allow", .allow, policy.allow),
                                       ("require_approval", .requireApproval, policy.requireApproval)] {
            for pattern in patterns {
                rows.append(Row(kind: kind, pattern: pattern, source: policy.origin(of: pattern, in: list) ?? "manifest"))
            }
        }
        for rule in state.rules {
            let kind = rule.decision == .allow ? "always-allow" : "always-deny"
            let scope = rule.scope == .project ? "this project" : "this agent"
            rows.append(Row(id: rule.id, kind: kind, pattern: rule.pattern,
                            source: "granted by \(rule.grantedBy) for \(scope), \(ISO8601DateFormatter().string(from: rule.createdAt))",
                            scope: rule.scope.rawValue, grantedBy: rule.grantedBy, created: rule.createdAt, note: rule.note))
        }
        return rows
    }

    private func revokeRule(_ text: String, access: StoreAccess) async throws {
        let (manifest, state) = try await load(access)
        let matches = state.rules.filter { $0.id == text || $0.pattern == text }
        guard !matches.isEmpty else {
            let policy = manifest.config.permission
            let lists: [(String, PolicyOrigin.List, [String])] = [("deny", .deny, policy.deny), ("allow", .allow, policy.allow), ("require_approval", .requireApproval, policy.requireApproval)]
            if let (name, list, _) = lists.first(where: { $0.2.contains(text) }) {
                let source = policy.origin(of: text, in: list) ?? "the manifest"
                throw CLIError.usage("'\(text)' is in the \(name) list of \(agentId)'s configuration (from \(source)), not an \"always\" rule: it is fixed in the agent's manifest and cannot be revoked. Edit \(source) for agents created from now on.")
            }
            let ids = state.rules.map(\.id)
            throw CLIError.usage("no rule '\(text)' in \(agentId) (its \"always\" rules: \(ids.isEmpty ? "none" : ids.joined(separator: ", ")); see 'kode rules \(agentId)')")
        }
        guard matches.count == 1, let rule = matches.first else {
            throw CLIError.usage("'\(text)' matches several rules (\(matches.map(\.id).joined(separator: ", "))); give the id")
        }
        try await access.withAgent(agentId) { try await $0.revokeRule(rule.id) }
        Output.stdout("revoked \(rule.id) \(TerminalText.safe(rule.pattern))\(rule.scope == .project ? " (also removed from the project's .kode/config.toml)" : "")\n")
    }
}

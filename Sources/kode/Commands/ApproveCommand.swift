import ArgumentParser
import Foundation
import KodeKernel

/// `kode approve ID CALL_ID (--allow|--deny) [--always | --scope once|agent|project] [--note TEXT]`.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Answer a pending approval of a stored agent.",
        discussion: """
            The decision is durable; 'kode run --agent ID --continue' then proceeds. Deciding a             call twice fails: it is no longer pending. --scope agent (or --always) also allows             or denies every matching call of this agent from now on; --scope project does so for             every agent of the project, writing the rule into the project's .kode/config.toml.             'kode rules ID' lists the rules, 'kode rules ID --revoke RULE' revokes one.
            """
    )

    @Argument(help: "The agent id.") var agentId: String
    @Argument(help: "The tool call id (see 'kode run' output or 'kode events ID --kinds permission_required').") var callId: String
    @Flag(help: "Allow the call.") var allow = false
    @Flag(help: "Deny the call.") var deny = false
    @Flag(help: "Also allow (or deny) every matching call of this agent from now on (--scope agent).") var always = false
    @Option(help: ArgumentHelp("How far the decision reaches: once (default), agent or project.", valueName: "scope")) var scope: ApprovalScope?
    @Option(help: ArgumentHelp("A note for the agent.", valueName: "text")) var note: String?
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if allow == deny { throw ValidationError("give exactly one of --allow or --deny") }
        if always, let scope, scope != .agent { throw ValidationError("--always is --scope agent; it cannot be combined with --scope \(scope.rawValue)") }
    }

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let decision: DecisionKind = allow ? .allow : .deny
        let relayed = try await access.withAgent(agentId, failure: { .runtime("\($0)") }) { agent -> Bool in
            do {
                try await agent.decide(callId, decision, note: note, scope: decisionScope, by: "cli")
                return true
            } catch AgentError.unknownCall(_) where !access.hosted && callId.contains("/") {
                return false
            }
        }
        if !relayed {
            // `CHILD/CALL` (`CHILD/GRANDCHILD/CALL` deeper down) names a sub-agent's request. The
            // parent relays it while it runs the child (in a host, or a worker); here nothing
            // runs the child, so the decision goes into the log of the agent that made the
            // request, and the parent's next `--continue` re-attaches to a child whose call is
            // decided.
            let slash = callId.lastIndex(of: "/")!
            let path = callId[..<slash].split(separator: "/").map(String.init)
            let owner = path.last!
            try await Self.checkDescends(owner, from: agentId, in: access.hub)
            let call = String(callId[callId.index(after: slash)...])
            try await access.withAgent(owner, failure: { .runtime("\($0)") }) {
                try await $0.decide(call, decision, note: note, scope: decisionScope, by: "cli")
            }
        }
        let reach = decisionScope == .once ? "" : decisionScope == .always ? " (always, for this agent)" : " (always, for this project)"
        Output.stdout("\(allow ? "allowed" : "denied") \(callId)\(reach)\n")
    }

    /// `child` was spawned by `ancestor`, directly or through sub-agents of its own.
    static func checkDescends(_ child: AgentID, from ancestor: AgentID, in hub: any AgentHub) async throws {
        var current = child
        for _ in 0..<64 {
            let manifest: AgentManifest
            do {
                manifest = try await hub.manifest(of: current)
            } catch {
                throw ClientFailure.cliError(error)
            }
            guard let spawner = manifest.spawnedBy?.agentId else { break }
            if spawner == ancestor { return }
            current = spawner
        }
        throw CLIError.usage("agent \(child) is not a sub-agent of \(ancestor)")
    }

    private var decisionScope: DecisionScope {
        switch scope ?? (always ? .agent : .once) {
        case .once: .once
        case .agent: .always
        case .project: .project
        }
    }
}

/// `--scope once|agent|project`.
enum ApprovalScope: String, ExpressibleByArgument, CaseIterable {
    case once, agent, project
}

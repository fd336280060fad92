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
        try await access.withAgent(agentId, failure: { .runtime("\($0)") }) {
            try await $0.decide(callId, allow ? .allow : .deny, note: note, scope: decisionScope, by: "cli")
        }
        let reach = decisionScope == .once ? "" : decisionScope == .always ? " (always, for this agent)" : " (always, for this project)"
        Output.stdout("\(allow ? "allowed" : "denied") \(callId)\(reach)\n")
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

import ArgumentParser
import Foundation
import KodeKernel

/// `kode approve ID CALL_ID (--allow|--deny) [--note TEXT]`.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Answer a pending approval of a stored agent.",
        discussion: "The decision is durable; 'kode run --agent ID --continue' then proceeds. Deciding a call twice fails: it is no longer pending."
    )

    @Argument(help: "The agent id.") var agentId: String
    @Argument(help: "The tool call id (see 'kode run' output or 'kode events ID --kinds permission_required').") var callId: String
    @Flag(help: "Allow the call.") var allow = false
    @Flag(help: "Deny the call.") var deny = false
    @Flag(help: "Also allow (or deny) every matching call of this agent from now on.") var always = false
    @Option(help: ArgumentHelp("A note for the agent.", valueName: "text")) var note: String?
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if allow == deny { throw ValidationError("give exactly one of --allow or --deny") }
    }

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let agent: any AgentHandle
        do {
            agent = try await access.hub.open(agentId, options: OpenOptions())
        } catch {
            throw ClientFailure.cliError(error)
        }
        do {
            try await agent.decide(callId, allow ? .allow : .deny, note: note, scope: always ? .always : .once, by: "cli")
        } catch {
            await agent.release(.leave)
            throw CLIError.runtime("\(error)")
        }
        await agent.release(.leave)
        Output.stdout("\(allow ? "allowed" : "denied") \(callId)\n")
    }
}

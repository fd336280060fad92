import ArgumentParser
import Foundation
import KodeKernel

/// `kode run`: one headless turn.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one turn without the full-screen app and print its events.",
        discussion: """
            The agent's id is the first line on stderr ("agent: ID"). Exit status: 0 the turn \
            finished, 1 runtime failure, 2 bad usage or input, 3 stopped at an approval nobody \
            could answer (the request is durable: answer it with 'kode approve', then \
            'kode run --agent ID --continue').
            """
    )

    @OptionGroup var agentOptions: AgentOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Continue a stored agent instead of creating one.", valueName: "id"))
    var agent: String?

    @Flag(name: .customLong("continue"), help: "Continue an interrupted turn (after a crash, an interrupt or an approval).")
    var continueTurn = false

    @Option(help: ArgumentHelp("The prompt (default: read from standard input when it is not a terminal).", valueName: "text"))
    var prompt: String?

    @Option(help: ArgumentHelp("Answer approvals automatically: all or none.", valueName: "all|none"))
    var approve: AutoApproval?

    @Flag(help: "Print one JSON object per event envelope instead of a transcript.")
    var json = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let text = try resolvePrompt()
        let access = try await StoreAccess.connect(storeOptions, workDir: try agentOptions.resolvedWorkDir())
        let (agent, notice) = try await AgentLauncher.open(agentId: self.agent, options: agentOptions, access: access, environment: environment)
        Output.stderr("agent: \(agent.id)\n")
        if let notice { Output.stderr("note: \(notice)\n") }

        let printer = TranscriptPrinter(json: json)
        let responder = ApprovalResponder(agent: agent, policy: approve)
        let stream: AgentEvents
        let pending: [ToolCallRecord]
        do {
            stream = try await agent.subscribe()
            pending = try await agent.status().pendingApprovals
        } catch {
            await agent.release(.leave)
            throw ClientFailure.cliError(error)
        }
        let interrupts = InterruptSignal.install { Task { try? await agent.interrupt() } }
        defer { interrupts.cancel() }

        // Approvals left pending by an earlier run come first.
        for call in pending {
            if case .stop(let ids) = await responder.answer(callId: call.id, preview: ToolInputPreview.render(name: call.name, input: call.input)) {
                await stopForApproval(agent: agent, ids: ids)
            }
        }

        var inputId: String?
        do {
            if let text {
                inputId = try await agent.send(text)
            } else {
                // In a host the turn may have gone on (or ended) as soon as an approval was
                // answered; with nothing interrupted and nothing running there is nothing to wait for.
                let status = try await agent.status()
                if status.runtimeState == .ready && !status.turnInterrupted && status.queuedInputs.isEmpty {
                    await agent.release(.leave)
                    Output.stderr("nothing to continue: the agent's last turn has ended\n")
                    return
                }
                try await agent.continueTurn()
            }
        } catch {
            await agent.release(.leave)
            throw ClientFailure.cliError(error)
        }

        for await envelope in stream {
            printer.print(envelope)
            switch envelope.event {
            case .permissionRequired(let e):
                if case .stop(let ids) = await responder.answer(callId: e.callId, preview: e.inputPreview) {
                    await stopForApproval(agent: agent, ids: ids)
                }
            case .done(let e) where inputId == nil || e.inputIds.contains(inputId!):
                await agent.release(.leave)
                try finish(e.reason)
                return
            case .error(let e) where e.phase == .storage && e.severity == .fatal:
                // The agent is read-only now; no `done` will follow.
                await agent.release(.detach)
                throw CLIError.runtime("storage failed: \(e.detail ?? e.message)")
            default:
                break
            }
        }
        await agent.release(.leave)
        throw CLIError.runtime("the agent closed before the turn ended")
    }

    private func resolvePrompt() throws -> String? {
        if let prompt { return prompt }
        if continueTurn { return nil }
        if isatty(STDIN_FILENO) == 0 {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let text = String(decoding: data, as: UTF8.self)
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return text }
        }
        throw CLIError.usage("nothing to do: give --prompt TEXT, pipe a prompt on standard input, or pass --continue")
    }

    private func finish(_ reason: TurnEnd) throws {
        switch reason {
        case .completed: return
        case .interrupted: throw CLIError(message: "interrupted", code: 130)
        case .stepLimit: throw CLIError.runtime("the turn hit the step limit (--max-steps)")
        case .failed: throw CLIError.runtime("the turn failed (see the error above)")
        }
    }

    /// Leaves the request pending and durable: an agent run here is detached, one in a host
    /// simply keeps waiting there.
    private func stopForApproval(agent: any AgentHandle, ids: [String]) async -> Never {
        await agent.release(.detach)
        if !json {
            for id in ids { Output.stdout("pending \(id)\n") }
        }
        Output.stderr("approval needed and no terminal to ask: answer with 'kode approve \(agent.id) CALL_ID --allow|--deny', then 'kode run --agent \(agent.id) --continue' (pending: \(ids.joined(separator: ", ")))\n")
        Foundation.exit(CLIError.approvalCode)
    }
}

/// `--approve all|none`.
enum AutoApproval: String, ExpressibleByArgument, CaseIterable {
    case allowAll = "all"
    case denyAll = "none"
}

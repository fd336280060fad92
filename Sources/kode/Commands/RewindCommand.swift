import ArgumentParser
import Foundation
import KodeKernel

/// `kode rewind ID --to CHECKPOINT [--files] [--conversation] [--yes]`.
struct RewindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewind",
        abstract: "Put an agent's work directory and conversation back as they were at a checkpoint.",
        discussion: """
            Both the files and the conversation by default; --files or --conversation alone picks one. \
            The present is recorded as a checkpoint first (printed), so the rewind can be undone by \
            rewinding to it. Ignored and not-captured files are left as they are. Asks before \
            changing anything unless --yes.
            """
    )

    @Argument(help: "The agent id.") var agentId: String
    @Option(help: ArgumentHelp("Checkpoint id, label, or 'latest'.", valueName: "checkpoint")) var to: String
    @Flag(help: "Rewind the work directory's files.") var files = false
    @Flag(help: "Rewind the conversation.") var conversation = false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let both = !files && !conversation
        let rewindFiles = both || files
        let rewindConversation = both || conversation
        let store = try storeOptions.open()
        let faults = try RewindFaultInjector.onStep(environment: ProcessInfo.processInfo.environment)
        let agent = try await StoredAgent.openForWriting(agentId, store: store)
        do {
            let plan = try await agent.rewindPlan(to: to, files: rewindFiles, conversation: rewindConversation)
            Output.stdout(Self.summary(plan))
            if !yes {
                Output.stdout("Rewind? [y/N] ")
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
                guard answer == "y" || answer == "yes" else {
                    Output.stdout("cancelled; nothing changed\n")
                    await agent.close()
                    throw ExitCode(1)
                }
            }
            let outcome = try await agent.rewind(to: to, files: rewindFiles, conversation: rewindConversation, onStep: faults)
            var line = "rewound to \(outcome.plan.checkpoint.id); undo with: kode rewind \(agentId) --to \(outcome.before.id)\n"
            for kept in outcome.keptDirectories {
                line += "kept directory \(TerminalText.safe(kept, keepNewlines: false)): it holds files no snapshot captured\n"
            }
            Output.stdout(line)
            await agent.close()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            await agent.close()
            throw ClientFailure.cliError(error)
        }
    }

    /// What will change, one path per line (paths are untrusted: sanitized).
    static func summary(_ plan: RewindPlan) -> String {
        let point = plan.checkpoint
        var text = "rewind to \(point.id)" + (point.label.map { " \"\(TerminalText.safe($0, keepNewlines: false))\"" } ?? "")
            + ": \(TerminalText.safe(point.preview, keepNewlines: false))\n"
        if plan.files {
            text += plan.changes.isEmpty ? "files: no changes\n" : "files: \(plan.changes.count) change(s)\n"
            for change in plan.changes.prefix(200) {
                text += "  \(change.action.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(TerminalText.safe(change.path, keepNewlines: false))\n"
            }
            if plan.changes.count > 200 { text += "  … and \(plan.changes.count - 200) more\n" }
            for skipped in plan.notCaptured.prefix(20) {
                text += "  left as is (not captured): \(TerminalText.safe(skipped.path, keepNewlines: false)) — \(TerminalText.safe(skipped.reason, keepNewlines: false))\n"
            }
        }
        if plan.conversation {
            text += "conversation: \(plan.messagesNow) → \(plan.messagesAfter) message(s)\n"
        }
        return text
    }
}

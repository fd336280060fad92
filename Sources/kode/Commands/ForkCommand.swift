import ArgumentParser
import Foundation
import KodeKernel

/// `kode fork ID --at CHECKPOINT [--workspace copy|shared|worktree] [--dir PATH] [--json]`.
struct ForkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fork",
        abstract: "Create a child agent from a safe fork point.",
        discussion: """
            --workspace says where the child works: copy (default, or [workspace] fork_mode) writes \
            the checkpoint's files into a new directory (--dir, default <work dir>.fork-<child id>); \
            worktree makes a git worktree of the parent's repository and applies the checkpoint's \
            uncommitted state; shared keeps the parent's directory (constant time: nothing is copied).
            """
    )

    @Argument(help: "The parent agent id.") var agentId: String
    @Option(help: ArgumentHelp("Checkpoint id, label, or 'latest'.", valueName: "checkpoint")) var at: String
    @Option(help: ArgumentHelp("copy, shared or worktree (default: [workspace] fork_mode, else copy).", valueName: "mode"))
    var workspace: WorkspaceForkMode?
    @Option(help: ArgumentHelp("The child's work directory for copy and worktree (new or empty).", valueName: "path"))
    var dir: String?
    @Flag(help: "Print {\"id\",\"parent\":{\"agentId\",\"seq\"},\"workDir\"}.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Result: Encodable {
        var id: String
        var parent: ParentRef
        var workDir: String
    }

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let child: AgentID
        let manifest: AgentManifest
        do {
            var mode = try workspace ?? AgentOptions.configuration(environment: ProcessInfo.processInfo.environment, workDir: nil).forkMode
            // A PostgreSQL store keeps no blobs, so its agents have no workspace snapshots.
            if storeOptions.postgresURL != nil && mode != .shared {
                if let workspace { throw CLIError.usage("--workspace \(workspace.rawValue) needs a directory store: a PostgreSQL store keeps no workspace snapshots") }
                mode = .shared
            }
            if mode == .shared {
                child = try await access.hub.fork(agentId, at: at)
            } else {
                child = try await WorkspaceFork.fork(agentId, at: at, mode: mode, explicit: workspace != nil, directory: dir, storeOptions: storeOptions)
            }
            manifest = try await access.hub.manifest(of: child)
        } catch let error as AgentError {
            throw CLIError.usage(error.description)
        } catch let error as WorkspaceError {
            throw CLIError.runtime(error.description)
        } catch let ClientError.host(code, message) where code == "agent" {
            // A checkpoint that does not exist, reported by the host.
            throw CLIError.usage(message)
        } catch {
            throw ClientFailure.cliError(error)
        }
        if json, let parent = manifest.parent {
            try JSONOutput.print(Result(id: child, parent: parent, workDir: manifest.config.workDir))
        } else {
            Output.stdout("\(child)\n")
        }
    }
}

extension WorkspaceForkMode: ExpressibleByArgument {}

/// Forks with a workspace of the child's own, straight on the store (lock-free, so it works
/// whether or not a host runs the parent).
enum WorkspaceFork {
    static func fork(_ parent: AgentID, at checkpoint: String, mode: WorkspaceForkMode, explicit: Bool, directory: String?, storeOptions: StoreOptions) async throws -> AgentID {
        let store = try storeOptions.open()
        do {
            return try await Agent.fork(parent, at: checkpoint, store: store, workspace: mode, directory: directory)
        } catch WorkspaceError.noSnapshot(let point) where !explicit {
            // An agent from before workspace snapshots (or with them off) can still be forked.
            Output.stderr("note: checkpoint \(point) has no workspace snapshot; the child shares the parent's work directory\n")
            return try await Agent.fork(parent, at: checkpoint, store: store, workspace: .shared)
        } catch WorkspaceError.disabled where !explicit {
            Output.stderr("note: this agent records no workspace snapshots; the child shares the parent's work directory\n")
            return try await Agent.fork(parent, at: checkpoint, store: store, workspace: .shared)
        }
    }
}

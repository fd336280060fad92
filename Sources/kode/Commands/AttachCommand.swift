import ArgumentParser
import Foundation
import KodeHost
import KodeKernel
import KodeTUI

/// `kode attach [ID]`: the app on an agent running in the store's host.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Open the app on an agent running in the store's host (starting a host if none runs).",
        discussion: """
            With no ID, the agent used most recently in the host (or, with none open, the newest \
            in the store). The transcript, pending approvals and the live stream come back from \
            where the agent is; Ctrl+D detaches again and the agent keeps running.
            """
    )

    @Argument(help: "The agent id (default: the most recent).") var agentId: String?
    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var appOptions: AppOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try AgentOptions.configuration(environment: environment, workDir: nil)
        let policy = try appOptions.resolvedHangupPolicy(configuration: configuration)
        let root = StoreAccess.root(storeOptions).standardizedFileURL
        let paths = HostPaths(storeRoot: root)
        let hub: RemoteAgentHub
        if let running = try await HostProbe.reach(paths) {
            hub = running
        } else {
            hub = try await HostLauncher.start(root: root)
        }
        let access = StoreAccess(hub: hub, hosted: true, root: root, paths: paths)
        var id = agentId ?? ""
        if agentId == nil { id = try await mostRecent(hub) }
        let handle: any AgentHandle
        do {
            handle = try await hub.open(id, options: OpenOptions())
        } catch {
            throw ClientFailure.cliError(error)
        }
        try await AppSession.run(access: access, handle: handle, theme: appOptions.theme, configuration: configuration, notice: "attached to \(id) in the host", onHangup: policy)
    }

    private func mostRecent(_ hub: RemoteAgentHub) async throws -> AgentID {
        if let open = try await hub.hostStatus().open.first { return open.status.id }
        guard let newest = try await hub.list().max(by: { $0.manifest.created < $1.manifest.created }) else {
            throw CLIError.usage("no agents in the store to attach to")
        }
        return newest.manifest.id
    }
}

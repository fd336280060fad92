import Foundation
import KodeConfig
import KodeHost
import KodeKernel
import KodeTUI
#if canImport(Glibc)
import Glibc
#endif

/// Runs the full-screen app on an open agent and deals with how it ended: a quit lets go of the
/// agent, a detach (Ctrl+D) or a hang-up leaves it running in a host — starting one and
/// handing the agent over when it ran in this process.
enum AppSession {
    static func run(access: StoreAccess, handle: any AgentHandle, theme: String?, configuration: Configuration, notice: String?, onHangup: HangupPolicy) async throws {
        let outcome: TUIOutcome
        do {
            outcome = try await TUILauncher.run(hub: access.hub, handle: handle, theme: theme, configuration: configuration, notice: notice,
                                                warnings: access.warnings, hosted: access.hosted)
        } catch {
            await handle.release(.leave)
            throw CLIError.runtime("\(error)")
        }
        switch outcome.reason {
        case .quit:
            await outcome.handle.release(.leave)
            await stopBackground(access: access)
        case .detach:
            let pid = try await handOver(outcome.handle, access: access)
            Output.stdout("detached: \(outcome.handle.id) keeps running in the host (pid \(pid)); 'kode attach \(outcome.handle.id)' comes back to it\n")
            for id in try await handOverBackground(access: access) {
                Output.stdout("detached: \(id), left running in the background, keeps running in the host\n")
            }
        case .hangUp:
            if onHangup == .stop {
                await outcome.handle.release(.leave)
                await stopBackground(access: access)
            } else {
                _ = try? await handOver(outcome.handle, access: access)
                _ = try? await handOverBackground(access: access)
            }
            throw CLIError(message: "the terminal hung up", code: 129)
        case .signal(let sig):
            await outcome.handle.release(.leave)
            throw CLIError(message: "stopped by signal \(sig)", code: 128 + sig)
        }
    }

    /// Agents the app switched away from mid-turn run on in this process (a hosted agent is the
    /// host's already): quitting stops them as it stops the one shown (closed when idle,
    /// detached mid-turn, resumable).
    static func stopBackground(access: StoreAccess) async {
        guard let local = access.hub as? LocalAgentHub else { return }
        for id in await local.backgroundAgents() {
            guard let handle = try? await local.open(id, options: OpenOptions()) else { continue }
            await handle.release(.leave)
        }
    }

    /// Detaching or hanging up hands every agent still running in the background to the host,
    /// as it does the one shown. Returns their ids.
    static func handOverBackground(access: StoreAccess) async throws -> [AgentID] {
        guard let local = access.hub as? LocalAgentHub else { return [] }
        var moved: [AgentID] = []
        for id in await local.backgroundAgents() {
            let handle = try await local.open(id, options: OpenOptions())
            _ = try await handOver(handle, access: access)
            moved.append(id)
        }
        return moved
    }

    /// Leaves the agent running in the store's host. A hosted agent simply stays there. One
    /// running here is closed durably (after a running tool finishes, within the grace
    /// period), a host is started if none runs, and the host opens it and continues the
    /// interrupted turn. Returns the host's pid.
    static func handOver(_ handle: any AgentHandle, access: StoreAccess, grace: Duration = .seconds(10)) async throws -> Int32 {
        // A second hang-up signal must not end this process halfway through.
        signal(SIGHUP, SIG_IGN)
        if access.hosted, let remote = access.hub as? RemoteAgentHub {
            await handle.release(.leave)
            return try await remote.hostStatus().pid
        }
        let id = handle.id
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, let status = try? await handle.status(),
              status.breakpoint == .toolExecuting || status.breakpoint == .preTool {
            try await Task.sleep(for: .milliseconds(50))
        }
        await handle.release(.detach)
        let host = try await HostLauncher.start(root: access.root)
        let hosted = try await host.open(id, options: OpenOptions(continueTurn: true))
        await hosted.release(.leave)
        let pid = try await host.hostStatus().pid
        await host.disconnect()
        return pid
    }
}

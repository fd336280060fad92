import Foundation
import KodeConfig
import KodeHost
import KodeKernel

/// A room open in this process with the agents of its members, as the `kode room` commands use
/// it. Rooms drive their members' `Agent`s directly (delivery writes into each member's log),
/// so the agents run here: a store whose host (`kode serve`) has them open is refused.
final class RoomSession: Sendable {
    let store: FileStore
    let rooms: FileRoomStore
    let directory = RoomDirectory()
    let room: Room
    let wiring: RoomAgentWiring
    /// Members' open agents by member name (set once in `open`, read afterwards).
    let agents: [String: Agent]
    let approvals: RoomApprovals
    /// The room's newest seq when it was opened: what was posted later, this command saw.
    let startSeq: UInt64

    private init(store: FileStore, rooms: FileRoomStore, room: Room, wiring: RoomAgentWiring, agents: [String: Agent], approvals: RoomApprovals, startSeq: UInt64) {
        self.store = store
        self.rooms = rooms
        self.room = room
        self.wiring = wiring
        self.agents = agents
        self.approvals = approvals
        self.startSeq = startSeq
    }

    /// The store's room directory (`<store>/rooms`), refusing PostgreSQL stores and hosted ones.
    /// `runsAgents`: the command opens members' agents here, which a running host would have
    /// locked; creating, listing and showing rooms only touch the rooms' logs.
    static func stores(_ options: StoreOptions, runsAgents: Bool = true) async throws -> (FileStore, FileRoomStore) {
        if options.postgresURL != nil {
            throw CLIError.usage("rooms need a directory store: their log lives beside the agents (<store>/rooms)")
        }
        let store = try options.open()
        if runsAgents, try await HostProbe.reach(HostPaths(storeRoot: store.root)) != nil {
            throw CLIError.usage("a host ('kode serve') runs this store's agents; a room runs its members in its own process, so stop the host first")
        }
        return (store, FileRoomStore(directory: store.root.appendingPathComponent("rooms")))
    }

    /// Opens room `name`'s log, with the room's errors as the CLI's.
    static func openRoom(_ name: String, in rooms: FileRoomStore, directory: RoomDirectory) async throws -> Room {
        do {
            return try await Room.open(name, in: rooms, directory: directory)
        } catch {
            throw RoomPrinter.cliError(error)
        }
    }

    /// Opens room `name` and every member's agent, and attaches them (delivering what each
    /// member's log is missing). Pending approvals are answered by `approve`.
    static func open(_ name: String, options: StoreOptions, approve: RoomApproval) async throws -> RoomSession {
        let (store, rooms) = try await stores(options)
        let wiring = try await RoomAgentWiring.make()
        let directory = RoomDirectory()
        let room = try await openRoom(name, in: rooms, directory: directory)
        let startSeq = await room.snapshot().lastSeq
        var agents: [String: Agent] = [:]
        let approvals = RoomApprovals(policy: approve)
        do {
            for member in await room.members() {
                let agent = try await wiring.open(member.agent, store: store, directory: directory)
                agents[member.name] = agent
                approvals.watch(agent)
            }
            for member in await room.members() {
                if let agent = agents[member.name] { try await room.attach(agent, as: member.name) }
            }
        } catch {
            await room.close()
            for agent in agents.values { await agent.close() }
            approvals.stop()
            throw RoomPrinter.cliError(error)
        }
        return RoomSession(store: store, rooms: rooms, room: room, wiring: wiring, agents: agents, approvals: approvals, startSeq: startSeq)
    }

    /// Opens room `name`, runs `act` on it, waits until no member has work left and returns the
    /// room messages posted meanwhile. The session is closed however `act` ends.
    static func acting(
        on name: String, options: StoreOptions, approve: RoomApproval, _ act: (RoomSession) async throws -> Void
    ) async throws -> [RoomMessage] {
        let session = try await open(name, options: options, approve: approve)
        do {
            try await act(session)
        } catch {
            await session.close()
            throw error
        }
        await session.room.waitUntilQuiet()
        let posted = await session.room.messages().filter { $0.seq > session.startSeq }
        await session.close()
        return posted
    }

    /// Opens a fork of an agent with the room's tools (its own `room_send` finds nothing until it
    /// joins).
    func openFork(_ id: AgentID) async throws -> Agent {
        let agent = try await wiring.open(id, store: store, directory: directory)
        approvals.watch(agent)
        return agent
    }

    /// Closes the room, then the agents (durably, releasing their locks).
    func close(extra: [Agent] = []) async {
        await room.close()
        for agent in agents.values { await agent.close() }
        for agent in extra { await agent.close() }
        approvals.stop()
    }
}

/// How the room's agents are brought to life: the same providers, tools, hooks and context
/// settings as `kode run`, plus `room_send`.
struct RoomAgentWiring: Sendable {
    let environment: [String: String]
    let external: ExternalTools
    let context: ContextPolicy

    static func make() async throws -> RoomAgentWiring {
        let environment = ProcessInfo.processInfo.environment
        return RoomAgentWiring(
            environment: environment,
            external: try await ExternalTools.load(environment: environment),
            context: try ContextSettings.policy(environment: environment))
    }

    func dependencies(store: FileStore, provider: any ModelProvider, directory: RoomDirectory, agent: AgentID? = nil) throws -> AgentDependencies {
        var tools = external.registry
        tools.register(RoomSendTool(directory: directory))
        return AgentDependencies(
            store: store, provider: provider, tools: tools,
            hooks: try BreakpointFaultInjector.hooks(environment: environment, agent: agent),
            costEstimator: ProviderResolver.costEstimator, context: context,
            projectRules: ProjectRuleFile(environment: environment))
    }

    /// Opens a stored agent (recovering it) on the model its manifest names.
    func open(_ id: AgentID, store: FileStore, directory: RoomDirectory) async throws -> Agent {
        let manifest = try await store.manifest(of: id)
        let provider = try ProviderResolver.make(manifest.config.provider, environment: environment)
        return try await Agent.resume(id: id, dependencies: try dependencies(store: store, provider: provider, directory: directory, agent: id))
    }

    /// Creates an agent from a new config.
    func create(_ config: AgentConfig, store: FileStore, directory: RoomDirectory) async throws -> Agent {
        let provider = try ProviderResolver.make(config.provider, environment: environment)
        return try await Agent.create(config: config, dependencies: try dependencies(store: store, provider: provider, directory: directory))
    }
}

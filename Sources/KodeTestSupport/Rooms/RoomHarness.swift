import Foundation
import KodeKernel
import Synchronization

/// A room in a fresh file store whose members are real agents on scripted models, for tests.
/// ``reopen()`` closes the room and every agent and opens them again from disk, as a new
/// process would.
public final class RoomHarness: Sendable {
    public let directory: TemporaryDirectory
    public let store: FileStore
    public let rooms: FileRoomStore
    public let name: String
    /// Scripts by member name (an agent plays its member's script again when reopened).
    let scripts = Mutex<[String: String]>([:])
    let state = Mutex<(room: Room, seats: RoomDirectory, agents: [String: Agent])?>(nil)

    /// A store with a new empty room `name`.
    public init(room name: String = "design") async throws {
        directory = try TemporaryDirectory(prefix: "kode-room")
        store = try FileStore(root: directory.appending("store"))
        rooms = FileRoomStore(directory: directory.appending("store/rooms"))
        self.name = name
        try FileManager.default.createDirectory(at: directory.appending("work"), withIntermediateDirectories: true)
        let seats = RoomDirectory()
        let room = try await Room.create(name, in: rooms, directory: seats)
        state.withLock { $0 = (room, seats, [:]) }
    }

    /// The open room.
    public var room: Room { state.withLock { $0!.room } }

    /// Member `member`'s open agent.
    public func agent(_ member: String) -> Agent { state.withLock { $0!.agents[member]! } }

    /// The dependencies of an agent playing `script`, with `room_send` seated in this room.
    public func dependencies(script: String) throws -> AgentDependencies {
        let seats = state.withLock { $0!.seats }
        var tools = ToolRegistry.builtins()
        tools.register(RoomSendTool(directory: seats))
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "room test script"))
        return AgentDependencies(store: store, provider: provider, tools: tools)
    }

    /// Creates an agent playing `script` and joins it as `member`.
    @discardableResult
    public func join(_ member: String, script: String = #"{"turns":[]}"#) async throws -> Agent {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: directory.appending("work").path)
        config.workspace.enabled = false
        let agent = try await Agent.create(config: config, dependencies: try dependencies(script: script))
        try await room.join(member, agent: agent)
        scripts.withLock { $0[member] = script }
        state.withLock { $0!.agents[member] = agent }
        return agent
    }

    /// Closes the room and the agents without waiting for anything (as a stop would).
    public func close() async {
        guard let open = state.withLock({ $0 }) else { return }
        await open.room.close()
        for agent in open.agents.values { await agent.close() }
    }

    /// Closes everything, then opens the room and each member's agent from the store and
    /// attaches them. Returns how many messages attaching delivered per member.
    @discardableResult
    public func reopen() async throws -> [String: Int] {
        await close()
        let seats = RoomDirectory()
        let room = try await Room.open(name, in: rooms, directory: seats)
        state.withLock { $0 = (room, seats, [:]) }
        var delivered: [String: Int] = [:]
        for member in await room.members() {
            let script = scripts.withLock { $0[member.name] } ?? #"{"turns":[]}"#
            let agent = try await Agent.resume(id: member.agent, dependencies: try dependencies(script: script))
            state.withLock { $0!.agents[member.name] = agent }
            delivered[member.name] = try await room.attach(agent, as: member.name)
        }
        return delivered
    }

    /// The room seqs in `member`'s log (conversation and queued input), in log order.
    public func receivedSeqs(_ member: String) async -> [UInt64] {
        let state = await agent(member).snapshot()
        let prefix = "room:\(name):"
        return (state.messages.map(\.id) + state.queuedInputs.map(\.id)).filter { $0.hasPrefix(prefix) }.compactMap { UInt64($0.dropFirst(prefix.count)) }
    }
}

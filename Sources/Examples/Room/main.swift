// example-room: the KODE SDK's "room" example on Kode — a pool of agents, a room where they
// talk by @name or broadcast, and one member forked mid-way to explore on its own. Then the
// whole room is closed and reopened from the store, and continues where it was.
//
//   swift run example-room [--scripted] [--store DIR]
//
// With --scripted (or without ANTHROPIC_API_KEY) every agent runs on the kernel's
// ScriptedProvider with the scripts below, so the run is deterministic and offline.
import Foundation
import KodeExampleSupport
import KodeKernel
import KodeProviders

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        usage: example-room [--scripted] [--store DIR]
          A planner, a coder and a reviewer work in a room; the coder is forked mid-way; the room is
          then reopened from the store and goes on. The store is DIR, default a new directory
          under the temporary directory (a room of that name must not exist there yet); its path
          is printed at the end.
        """)
    exit(0)
}
for argument in arguments where argument.hasPrefix("-") && !["--scripted", "--store"].contains(argument) {
    if let i = arguments.firstIndex(of: "--store"), arguments.indices.contains(i + 1), arguments[i + 1] == argument { continue }
    FileHandle.standardError.write(Data("example-room: unknown option \(argument) (options: --scripted, --store DIR, --help)\n".utf8))
    exit(2)
}
let environment = ProcessInfo.processInfo.environment
let scripted = arguments.contains("--scripted") || (environment["ANTHROPIC_API_KEY"] ?? "").isEmpty
let storeDir: URL = {
    if let i = arguments.firstIndex(of: "--store"), i + 1 < arguments.count { return URL(fileURLWithPath: arguments[i + 1]) }
    return FileManager.default.temporaryDirectory.appendingPathComponent("example-room-\(ProcessInfo.processInfo.processIdentifier)")
}()

/// The roles of the pool, with what each says when run on the scripted model.
struct Role {
    let name: String
    let system: String
    let script: String
}

let roles = [
    Role(name: "planner", system: "You plan the work and hand tasks to @coder with room_send.", script: #"""
        {"turns":[
          {"tool_calls":[{"name":"room_send","input":{"text":"@coder please implement wc: count the words on standard input."}}]},
          {"text":"Asked @coder to implement it."},
          {"text":"Noted the review."},
          {"tool_calls":[{"name":"room_send","input":{"text":"Summary: @coder implemented wc and @reviewer approved it with a note on Unicode spaces."}}]},
          {"text":"Summary posted."}
        ]}
        """#),
    Role(name: "coder", system: "You implement what you are asked and send it to @reviewer with room_send.", script: #"""
        {"turns":[
          {"tool_calls":[{"name":"room_send","input":{"text":"@reviewer ready for review: split on whitespace and count the pieces."}}]},
          {"text":"Sent for review."},
          {"text":"I will treat Unicode spaces as separators."},
          {"text":"Thanks, done."}
        ]}
        """#),
    Role(name: "reviewer", system: "You review and tell everyone your verdict with room_send (no mention).", script: #"""
        {"turns":[
          {"tool_calls":[{"name":"room_send","input":{"text":"Looks good. Consider Unicode whitespace, not only ASCII spaces."}}]},
          {"text":"Reviewed."},
          {"text":"Agreed."}
        ]}
        """#),
]

/// The fork plays on from its parent's three answers, so its script starts at turn 4.
let explorerScript = #"""
    {"turns":[{"text":"-"},{"text":"-"},{"text":"-"},
      {"text":"Exploring alone: a streaming variant reads fixed-size chunks and counts at word boundaries, so memory stays flat on huge inputs."}]}
    """#

func provider(script: String) throws -> any ModelProvider {
    if scripted { return ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "example-room")) }
    return try ProviderFactory.make(ProviderConfig(name: "anthropic", model: "claude-sonnet-4-5"), environment: environment, client: nil)
}

func dependencies(_ store: FileStore, _ directory: RoomDirectory, script: String, system: String) throws -> AgentDependencies {
    var tools = ToolRegistry.builtins()
    tools.register(RoomSendTool(directory: directory))
    return AgentDependencies(store: store, provider: try provider(script: script), tools: tools)
}

func show(_ messages: [RoomMessage]) {
    for m in messages {
        let to = m.to.isEmpty ? "everyone" : m.to.map { "@" + $0 }.joined(separator: " ")
        print("#\(m.seq) @\(m.from) -> \(to): \(ExampleConsole.safe(m.text))")
    }
}

do {
    let store = try FileStore(root: storeDir)
    let rooms = FileRoomStore(directory: storeDir.appendingPathComponent("rooms"))
    let workDir = storeDir.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)

    // 1. A pool of agents and a room they join.
    var directory = RoomDirectory()
    var room = try await Room.create("design", in: rooms, directory: directory)
    var pool: [String: Agent] = [:]
    for role in roles {
        let config = AgentConfig(provider: ProviderConfig(name: scripted ? "scripted" : "anthropic", model: scripted ? "scripted" : "claude-sonnet-4-5"),
                                 systemPrompt: role.system, workDir: workDir.path)
        let agent = try await Agent.create(config: config, dependencies: try dependencies(store, directory, script: role.script, system: role.system))
        try await room.join(role.name, agent: agent)
        pool[role.name] = agent
    }
    print("room design: " + roles.map { "@" + $0.name }.joined(separator: " "))

    // 2. A person starts the conversation; the members carry it on with room_send.
    try await room.post("@planner we need a word-count tool", by: "user")
    await room.waitUntilQuiet()
    show(await room.messages())

    // 3. Mid-way, the coder is forked to explore an alternative on its own. The fork keeps the
    //    room's history up to here but does not join: it would answer as a second @coder.
    let seats = directory
    let explorer = try await room.fork("coder", open: { id in
        try await Agent.resume(id: id, dependencies: try dependencies(store, seats, script: explorerScript, system: ""))
    })
    let explored = try await explorer.chat("Explore a streaming variant, on your own.")
    let answer = await explorer.snapshot().messages.last { $0.role == .assistant }?.text ?? ""
    print("fork of @coder (\(explored.reason.rawValue)): \(ExampleConsole.safe(answer))")
    await explorer.close()

    // 4. Everything is closed, then reopened from the store: the room continues where it was.
    await room.close()
    for agent in pool.values { await agent.close() }
    directory = RoomDirectory()
    room = try await Room.open("design", in: rooms, directory: directory)
    let seen = await room.snapshot().lastSeq
    for member in await room.members() {
        let role = roles.first { $0.name == member.name }!
        let agent = try await Agent.resume(id: member.agent, dependencies: try dependencies(store, directory, script: role.script, system: role.system))
        try await room.attach(agent, as: member.name)
        pool[member.name] = agent
    }
    print("reopened: \(seen) message(s) so far")
    try await room.post("@planner please summarise for everyone", by: "user")
    await room.waitUntilQuiet()
    show(await room.messages().filter { $0.seq > seen })
    await room.close()
    for agent in pool.values { await agent.close() }
    print("store: \(storeDir.path)")
} catch {
    FileHandle.standardError.write(Data("example-room: \(error)\n".utf8))
    exit(1)
}

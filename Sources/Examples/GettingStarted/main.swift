import Foundation
import KodeExampleSupport
import KodeKernel

// getting-started: create an agent in a file store, send it a message and stream the reply as
// it arrives; run it again and the same agent is resumed from the store and continues.

let usage = """
    usage: example-getting-started [--scripted] [--store DIR] [MESSAGE]
      Creates an agent in DIR (default ./.kode-example-getting-started), or resumes the one
      already there, sends MESSAGE and streams the reply.
    """

await ExampleConsole.run {
    let arguments = try ExampleArguments.parse(Array(CommandLine.arguments.dropFirst()), usage: usage)
    let model = try ExampleModel(scripted: arguments.scripted, scriptJSON: gettingStartedScript, name: "example-getting-started")
    ExampleConsole.note(model.notice)
    let root = arguments.storeURL(default: ".kode-example-getting-started")
    let hub = LocalAgentHub(store: try FileStore(root: root), wiring: model.wiring())

    // One agent per store: the newest one there is resumed, otherwise a new one is made.
    let handle: any AgentHandle
    let resumed: Bool
    if let stored = try await hub.list().map(\.manifest).max(by: { $0.created < $1.created }) {
        handle = try await hub.open(stored.id, options: OpenOptions())
        let status = try await handle.status()
        ExampleConsole.line("resumed agent \(handle.id) from \(root.path) (\(status.messageCount) messages so far)")
        resumed = true
    } else {
        let config = AgentConfig(
            provider: model.provider,
            permission: PermissionPolicy(mode: .readonly),
            systemPrompt: "You are the agent of Kode's getting-started example. Answer in two sentences at most.",
            workDir: FileManager.default.currentDirectoryPath,
            tools: [])
        handle = try await hub.create(config)
        ExampleConsole.line("created agent \(handle.id) in \(root.path)")
        resumed = false
    }

    let message = arguments.positional.isEmpty
        ? (resumed ? "I am back. Do you remember what we talked about?" : "Hello! What are you, and what happens if I run you again?")
        : arguments.positional.joined(separator: " ")

    // Subscribe first: every event after `subscribe` returns is delivered, so none of the reply is missed.
    let events = try await handle.subscribe(channels: [.progress], since: nil, kinds: [.textChunk, .done])
    ExampleConsole.line("> \(ExampleConsole.safe(message))")
    _ = try await handle.send(message)
    for await envelope in events {
        switch envelope.event {
        case .textChunk(let chunk):
            ExampleConsole.write(untrusted: chunk.delta)
        case .done(let done):
            ExampleConsole.line("\n[turn \(done.reason.rawValue); bookmark seq \(done.bookmark.seq)]")
        default:
            continue
        }
        if case .done = envelope.event { break }
    }
    events.cancel()
    await handle.release(.leave)
    ExampleConsole.line("run again with the same store to resume agent \(handle.id)")
}

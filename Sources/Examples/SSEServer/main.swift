import Foundation
import Hummingbird
import KodeExampleSupport
import KodeKernel
import Logging

// sse-server: a small web backend on Hummingbird. `POST /agents/KEY/messages` resumes the agent
// of conversation KEY (or creates it) and starts a turn; `GET /agents/KEY/events?since=SEQ`
// streams its events as Server-Sent Events from that bookmark on, then live.

let usage = """
    usage: example-sse-server [--scripted] [--store DIR] [--port N] [--heartbeat SECONDS]
      Serves agents stored in DIR (default ./.kode-example-sse-server) on http://127.0.0.1:N
      (default 8080; 0 picks a free port). An idle event stream gets a comment every SECONDS
      (default 15).
      POST /agents/KEY/messages   {"text": "…"}  → 202 {"agent", "created", "since", "events"}
      GET  /agents/KEY/events?since=SEQ           → text/event-stream (Last-Event-ID works too)
    """

await ExampleConsole.run {
    let arguments = try ExampleArguments.parse(Array(CommandLine.arguments.dropFirst()), valueOptions: ["port", "heartbeat"], usage: usage)
    let port = try arguments.options["port"].map { text in
        guard let port = Int(text), (0...65535).contains(port) else { throw ExampleUsage(message: "--port needs a port number (0 to 65535), not '\(text)'\n\(usage)") }
        return port
    } ?? 8080
    let heartbeat = try arguments.options["heartbeat"].map { text in
        guard let seconds = Double(text), seconds > 0 else { throw ExampleUsage(message: "--heartbeat needs a number of seconds > 0, not '\(text)'\n\(usage)") }
        return Duration.milliseconds(Int64(seconds * 1000))
    } ?? .seconds(15)
    let model = try ExampleModel(scripted: arguments.scripted, scriptJSON: sseServerScript, name: "example-sse-server")
    ExampleConsole.note(model.notice)

    let root = arguments.storeURL(default: ".kode-example-sse-server")
    // A host's retention: agents stay open between requests and keep running with nobody
    // streaming; idle ones are closed past 32.
    let hub = LocalAgentHub(store: try FileStore(root: root), wiring: model.wiring(), retention: .keepOpen(maxOpen: 32))
    let recovered = await hub.recoverAll()
    for failure in recovered.failures { ExampleConsole.note("could not recover \(failure)") }
    if !recovered.opened.isEmpty { ExampleConsole.note("recovered \(recovered.opened.count) agents left mid-turn") }

    let routes = AgentRoutes(
        hub: hub, sessions: try SessionDirectory(storeRoot: root),
        newAgent: AgentConfig(
            provider: model.provider,
            permission: PermissionPolicy(mode: .readonly),
            systemPrompt: "You are the agent behind a small web backend. Answer briefly.",
            workDir: FileManager.default.currentDirectoryPath,
            tools: []),
        heartbeat: heartbeat)
    let router = Router()
    routes.register(on: router)
    var logger = Logger(label: "example-sse-server")
    logger.logLevel = .warning
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { channel in
            // Tests and scripts wait for this line (with the real port when 0 was asked for).
            ExampleConsole.line("listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)")
        },
        logger: logger)
    // Until SIGINT or SIGTERM; then open streams end, and agents finish their turn (or are
    // detached, to be recovered on the next start) before the process exits.
    try await app.runService()
    await hub.shutDown(grace: .seconds(10))
    ExampleConsole.line("stopped")
}

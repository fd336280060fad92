import Foundation
import KodeExampleSupport
import KodeKernel

// agent-inbox: an agent that plans with its todo list and reads several messages in one batch
// of read-only tool calls, which the kernel runs concurrently. Prints the todo list each time
// it changes, and how many calls were in flight at once.

let usage = """
    usage: example-agent-inbox [--scripted] [--store DIR] [--concurrency N]
      Triages a three-message inbox with an agent stored in DIR (default ./.kode-example-agent-inbox).
      N (default 4) is how many read-only tool calls may run at once.
    """

await ExampleConsole.run {
    let arguments = try ExampleArguments.parse(Array(CommandLine.arguments.dropFirst()), valueOptions: ["concurrency"], usage: usage)
    let concurrency = try arguments.options["concurrency"].map { text in
        guard let n = Int(text), n >= 1 else { throw ExampleUsage(message: "--concurrency needs a whole number ≥ 1, not '\(text)'\n\(usage)") }
        return n
    } ?? 4
    let model = try ExampleModel(scripted: arguments.scripted, scriptJSON: agentInboxScript, name: "example-agent-inbox")
    ExampleConsole.note(model.notice)

    // The scripted batch is known, so its calls wait until all are in flight together when the
    // limit lets them be; a real model's batches are not known in advance.
    let gathers = model.provider.name == "scripted" && concurrency >= scriptedReadBatch
    let inFlight = InFlight(gather: gathers ? scriptedReadBatch : nil)
    let inbox = Inbox()
    var tools = ToolRegistry.builtins()
    tools.register(InboxReadTool(inbox: inbox, inFlight: inFlight))
    let registry = tools
    let hub = LocalAgentHub(store: try FileStore(root: arguments.storeURL(default: ".kode-example-agent-inbox")),
                            wiring: model.wiring(tools: { registry }))
    let config = AgentConfig(
        provider: model.provider,
        permission: PermissionPolicy(mode: .approval),
        systemPrompt: """
            You triage an inbox of three messages with ids 1, 2 and 3. Plan with todo_write, read every \
            message with inbox_read (all of them in one reply), keep the todo list current, and finish \
            with a one-line digest ordered by urgency.
            """,
        workDir: FileManager.default.currentDirectoryPath,
        toolConcurrency: concurrency,
        tools: ["inbox_read", "todo_read", "todo_write"])
    let handle = try await hub.create(config)
    ExampleConsole.line("agent \(handle.id), tool concurrency \(concurrency)")

    let events = try await handle.subscribe(
        channels: [.progress, .monitor], since: nil,
        kinds: [.textChunk, .textChunkEnd, .toolStart, .toolEnd, .todoChanged, .todoReminder, .done])
    _ = try await handle.send("Please triage my inbox.")
    var todoVersion = 0
    loop: for await envelope in events {
        switch envelope.event {
        case .textChunk(let chunk):
            ExampleConsole.write(untrusted: chunk.delta)
        case .textChunkEnd:
            ExampleConsole.line("")
        case .toolStart(let start):
            ExampleConsole.line("  → \(start.name) \(ExampleConsole.safe(start.input.compactText))")
        case .toolEnd(let end):
            ExampleConsole.line("  ← \(end.name) \(end.state.rawValue.lowercased())")
        case .todoChanged(let change):
            todoVersion += 1
            ExampleConsole.line("todo list, version \(todoVersion):")
            for item in change.todos {
                ExampleConsole.line("  \(TodoMark.of(item.status)) \(ExampleConsole.safe(item.title))")
            }
        case .todoReminder(let reminder):
            ExampleConsole.line("reminder: \(reminder.open) todos still open")
        case .done(let done):
            ExampleConsole.line("[turn \(done.reason.rawValue)]")
            break loop
        default:
            continue
        }
    }
    events.cancel()
    let open = try await handle.state().todos.filter { $0.status != .completed }.count
    ExampleConsole.line("open todos: \(open)")
    ExampleConsole.line("most tool calls in flight at once: \(await inFlight.peak)")
    await handle.release(.leave)
}

/// How a todo's status is drawn in the list.
enum TodoMark {
    static func of(_ status: TodoItem.Status) -> String {
        switch status {
        case .pending: "[ ]"
        case .inProgress: "[>]"
        case .completed: "[x]"
        }
    }
}

import Foundation
import KodeExampleSupport
import KodeKernel

// approval: every way a tool call is decided. A preToolUse hook sees each call first, then the
// permission policy; what still needs a person arrives on the Control channel as
// `permission_required`, and code answers it with `decide` (one answer "always", which grants
// the agent a rule that lets a later call through without asking).

let usage = """
    usage: example-approval [--scripted] [--store DIR] [--workdir DIR]
      Runs an agent (stored in DIR, default ./.kode-example-approval/store) whose tool calls are
      decided by a hook, a permission policy and code answering approval requests. Its tools
      work in --workdir (default ./.kode-example-approval/work).
    """

await ExampleConsole.run {
    let arguments = try ExampleArguments.parse(Array(CommandLine.arguments.dropFirst()), valueOptions: ["workdir"], usage: usage)
    let model = try ExampleModel(scripted: arguments.scripted, scriptJSON: approvalScript, name: "example-approval")
    ExampleConsole.note(model.notice)
    let work = URL(fileURLWithPath: arguments.options["workdir"] ?? ".kode-example-approval/work").standardizedFileURL
    let secrets = work.appendingPathComponent("secrets")
    try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
    try Data("not for the model\n".utf8).write(to: secrets.appendingPathComponent("token.txt"))

    let hub = LocalAgentHub(store: try FileStore(root: arguments.storeURL(default: ".kode-example-approval/store")),
                            wiring: model.wiring(hooks: Gatekeeping.hooks))
    let config = AgentConfig(
        provider: model.provider,
        permission: Gatekeeping.policy,
        systemPrompt: "You are exploring what you are allowed to do here. Try commands and file operations and report what happened.",
        workDir: work.path,
        tools: ["bash_run", "fs_read", "fs_write"])
    let handle = try await hub.create(config)
    ExampleConsole.line("agent \(handle.id) working in \(work.path)")

    let events = try await handle.subscribe(
        channels: Set(EventChannel.allCases), since: nil,
        kinds: [.permissionRequired, .permissionDecided, .permissionRuleChanged, .textChunk, .textChunkEnd, .toolEnd, .done])
    _ = try await handle.send("See what you may do in this directory.")
    loop: for await envelope in events {
        switch envelope.event {
        case .permissionRequired(let request):
            ExampleConsole.line("approval asked: \(ExampleConsole.safe(request.inputPreview)) (\(ExampleConsole.safe(request.reason)))")
            let answer = Gatekeeping.answer(request)
            try await handle.decide(request.callId, answer.decision, note: answer.note, scope: answer.scope, by: "approval-example")
        case .permissionDecided(let decided):
            ExampleConsole.line("  decided: \(decided.decision.rawValue) (\(decided.scope.rawValue)) by \(decided.decidedBy): \(ExampleConsole.safe(decided.note ?? ""))")
        case .permissionRuleChanged(let change):
            ExampleConsole.line("  rule \(change.change.rawValue): \(change.rule.decision.rawValue) \(ExampleConsole.safe(change.rule.pattern))")
        case .textChunk(let chunk):
            ExampleConsole.write(untrusted: chunk.delta)
        case .textChunkEnd:
            ExampleConsole.line("")
        case .toolEnd(let end):
            let firstLine = end.outputPreview.split(separator: "\n").first.map(String.init) ?? ""
            ExampleConsole.line("  \(end.name) \(end.state.rawValue): \(ExampleConsole.safe(firstLine))")
        case .done(let done):
            ExampleConsole.line("[turn \(done.reason.rawValue)]")
            break loop
        default:
            continue
        }
    }
    events.cancel()

    // The record of every call: its final state and who decided it, as the log keeps it.
    let state = try await handle.state()
    ExampleConsole.line("how each call was decided:")
    for id in state.toolCallOrder {
        guard let call = state.toolCalls[id] else { continue }
        let subject = call.input["cmd"]?.stringValue ?? call.input["path"]?.stringValue ?? ""
        let decidedBy = call.decision?.decidedBy ?? "-"
        let note = call.decision?.note ?? call.reason ?? ""
        ExampleConsole.line("  \(call.name)(\(ExampleConsole.safe(subject))) \(call.state.rawValue) by \(decidedBy): \(ExampleConsole.safe(note))")
    }
    await handle.release(.leave)
}

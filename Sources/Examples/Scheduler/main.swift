// example-scheduler: long-running work with reminders and step triggers (docs/MULTI-AGENT.md,
// "Scheduler"). An agent works through a plan; every two model calls a step trigger reminds it to
// keep its todo list current, and a timed trigger asks it for a progress report every few
// seconds. A `TriggerTimer` fires the timed trigger, as `kode serve` does for a store.
//
//   swift run example-scheduler [--scripted] [--interval SECONDS] [--store DIR]
//
// Without --scripted it uses Anthropic when ANTHROPIC_API_KEY is set, else the scripted model.
import Foundation
import KodeExampleSupport
import KodeKernel
import KodeProviders

let arguments = Array(CommandLine.arguments.dropFirst())

func value(after flag: String) -> String? {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("example-scheduler: \(message)\n".utf8))
    exit(2)
}

/// Model and tool text is untrusted: sanitized (newlines kept), never sent raw.
func visible(_ text: String) -> String { ExampleConsole.visible(text) }

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

if arguments.contains("--help") || arguments.contains("-h") {
    say("""
        usage: example-scheduler [--scripted] [--interval SECONDS] [--store DIR]
          An agent works through a plan with a step trigger reminding it of its todos and a timed
          trigger (every SECONDS, default 3) asking for progress. It works in a new directory under
          the temporary directory; its store is DIR, default .kode inside that directory.
        """)
    exit(0)
}
for argument in arguments where argument.hasPrefix("--") && !["--scripted", "--interval", "--store"].contains(argument) {
    fail("unknown option \(argument) (options: --scripted, --interval SECONDS, --store DIR)")
}
guard let interval = Int(value(after: "--interval") ?? "3"), interval >= 1 else {
    fail("--interval takes a whole number of seconds, at least 1")
}

/// The scripted model's part: a plan in todos, some work, then an answer to each check-in.
let script = #"""
    {"turns":[
      {"text":"Planning.","tool_calls":[{"name":"todo_write","input":{"todos":[
        {"id":"1","title":"outline the report","status":"in_progress"},
        {"id":"2","title":"write the draft","status":"pending"},
        {"id":"3","title":"review it","status":"pending"}]}}]},
      {"text":"Writing the draft.","tool_calls":[{"name":"fs_write","input":{"path":"draft.md","content":"# Report\n\nDraft.\n"}}]},
      {"text":"Updating the plan.","tool_calls":[{"name":"todo_write","input":{"todos":[
        {"id":"1","title":"outline the report","status":"completed"},
        {"id":"2","title":"write the draft","status":"completed"},
        {"id":"3","title":"review it","status":"in_progress"}]}}]},
      {"text":"The draft is written; the review is next."},
      {"text":"Progress: outline and draft are done, the review is under way."}
    ]}
    """#

let environment = ProcessInfo.processInfo.environment
let scripted = arguments.contains("--scripted") || (environment["ANTHROPIC_API_KEY"] ?? "").isEmpty
let provider: any ModelProvider
let providerConfig: ProviderConfig
do {
    if scripted {
        providerConfig = ProviderConfig(name: "scripted", model: "scripted")
        provider = ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "example-scheduler"))
    } else {
        providerConfig = ProviderConfig(name: "anthropic", model: "")
        provider = try ProviderFactory.make(providerConfig, environment: environment, client: nil)
    }
} catch {
    fail("\(error)")
}

let workDir = FileManager.default.temporaryDirectory.appendingPathComponent("kode-example-scheduler-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
let storeRoot = value(after: "--store").map { URL(fileURLWithPath: $0) } ?? workDir.appendingPathComponent(".kode")

do {
    let store = try FileStore(root: storeRoot)
    var config = AgentConfig(provider: providerConfig, workDir: workDir.path)
    config.permission.mode = .auto
    let agent = try await Agent.create(config: config, dependencies: AgentDependencies(store: store, provider: provider))
    say("agent \(agent.id) on \(scripted ? "the scripted model" : "Anthropic"), store \(storeRoot.path)")

    let reminder = try await agent.addTrigger(TriggerSpec(
        schedule: .everySteps(2), action: .reminder("Keep your todo list current as you work."), name: "todos"))
    let checkIn = try await agent.addTrigger(TriggerSpec(
        schedule: .every(seconds: interval), action: .message("Progress check: in one sentence, what is done?"), name: "check-in"))
    say("trigger \(reminder.displayName): \(reminder.spec.schedule.summary), reminder")
    say("trigger \(checkIn.displayName): \(checkIn.spec.schedule.summary), message")

    // The timer fires the timed trigger on time; a host does the same for every agent of a store.
    let timer = TriggerTimer(clock: SystemClock()) { _ in try? await agent.fireDueTriggers() }
    await timer.update(agent.id, next: await agent.nextTriggerFire())

    let events = agent.subscribe(channels: [.monitor, .progress], kinds: [.schedulerTriggered, .done])
    _ = try await agent.send("Write a short report: plan it as todos, draft it, then review it.")

    var stepFires = 0
    var checkInInput: String?
    for await envelope in events {
        switch envelope.event {
        case .schedulerTriggered(let e):
            if e.atStep != nil { stepFires += 1 }
            if e.triggerId == checkIn.id { checkInInput = e.deliveryId }
            let when = e.atStep.map { "after model call \($0)" } ?? "on time" + (e.missed > 0 ? " (\(e.missed) missed)" : "")
            say("[scheduler] \(e.name ?? e.triggerId) fired \(when): \(e.action) \"\(visible(e.text))\"")
        case .done(let e):
            let answer = await agent.snapshot().messages.last { $0.role == .assistant }?.text ?? ""
            say("[agent] \(visible(answer))")
            if let checkInInput, e.inputIds.contains(checkInInput) {
                events.cancel()
            }
        default:
            break
        }
    }
    await timer.stop()
    try await agent.removeTrigger(checkIn.id)
    say("done: the step trigger fired \(stepFires) time(s); the check-in was answered")
    await agent.close()
} catch {
    fail("\(error)")
}

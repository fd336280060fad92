import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Example: scheduler")
struct SchedulerExampleTests {
    @Test func theExampleRemindsOnStepsAndIsCheckedOnByItsTimer() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-example-scheduler")
        let store = directory.url.appendingPathComponent("store").path
        let process = try RunningProcess(
            executable: KodeCLI.binary(named: "example-scheduler"), arguments: ["--scripted", "--interval", "1", "--store", store],
            stdin: nil, environment: [:])
        let result = try await process.finish(timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("[scheduler] todos fired after model call 2: reminder \"Keep your todo list current as you work.\""), "\(out)")
        #expect(out.contains("[scheduler] check-in fired on time"), "\(out)")
        #expect(out.contains("done: the step trigger fired"), "\(out)")

        // What the example printed is what its agent's log holds.
        let agents = try await KodeCLI.run(["agents", "--store", store])
        let id = try #require(out.split(separator: " ").dropFirst().first.map(String.init))
        #expect(agents.stdout.contains(id))
        let events = try await KodeCLI.run(["events", id, "--kinds", "scheduler_triggered", "--json", "--store", store])
        #expect(events.status == 0 && events.lines.count >= 2, "\(events.stdout) \(events.stderr)")
    }
}

import Foundation
import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Renaming over the socket")
struct RenameOverHostTests {
    @Test func aRenameInTheHostReachesEveryClientAndTheListing() async throws {
        let host = try await InProcessHost(script: #"{"turns":[{"text":"first"}]}"#)
        let hub = host.client(name: "one")
        let agent = try await hub.create(host.config())
        let watcher = try await host.client(name: "two").open(agent.id, options: OpenOptions())
        let events = try await watcher.subscribe(since: nil)
        #expect(try await agent.rename(to: " Login work ", by: "user") == "Login work")
        var seen: AgentRenamedEvent?
        for await e in events { if case .agentRenamed(let r) = e.event { seen = r; break } }
        events.cancel()
        #expect(seen == AgentRenamedEvent(title: "Login work", by: "user"))
        #expect(try await hub.list().first { $0.manifest.id == agent.id }?.live?.title == "Login work")
        #expect(try await watcher.state().title == "Login work", "the state crosses the socket with its title")
        #expect(try await watcher.window(messages: 5).state.title == "Login work")
        do {
            _ = try await agent.rename(to: "a\nb", by: "user")
            Issue.record("a two-line title was accepted")
        } catch let ClientError.host(code, message) {
            #expect(code == "agent" && message.contains("one line"))
        }
        #expect(try await agent.rename(to: "", by: "user") == nil)
        await watcher.release(.leave)
        await agent.release(.leave)
        await host.stop()
    }
}

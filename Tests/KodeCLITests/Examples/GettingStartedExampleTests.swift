import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("example-getting-started")
struct GettingStartedExampleTests {
    @Test("the first run creates an agent and streams its reply; the second resumes the same agent from the store and continues")
    func createThenResume() async throws {
        let dir = try TemporaryDirectory(prefix: "example-getting-started")
        let store = dir.appending("store").path

        let first = try await ExampleProgram.run("getting-started", ["--scripted", "--store", store])
        #expect(first.status == 0, "\(first.stderr)")
        let created = try #require(first.lines.first { $0.hasPrefix("created agent ") })
        let id = try #require(created.split(separator: " ").dropFirst(2).first.map(String.init))
        #expect(first.stdout.contains("Hello! I am an agent running on Kode. Everything we say is kept in a log"))
        #expect(first.stdout.contains("[turn completed; bookmark seq "))

        let second = try await ExampleProgram.run("getting-started", ["--scripted", "--store", store, "Still", "there?"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("resumed agent \(id) from "))
        #expect(second.stdout.contains("(2 messages so far)"))
        #expect(second.stdout.contains("> Still there?"))
        #expect(second.stdout.contains("Welcome back. I was resumed from the store"))
        #expect(!second.stdout.contains("created agent"))

        // One agent in the store, holding both exchanges.
        let fileStore = try FileStore(root: URL(fileURLWithPath: store))
        #expect(try await fileStore.list().map(\.id) == [id])
        let state = try AgentState.rebuild(from: try await fileStore.history(of: id))
        #expect(state.messages.map(\.role) == [.user, .assistant, .user, .assistant])
        #expect(state.messages[2].text == "Still there?")
    }

    @Test("control characters in what is shown become visible escapes, never reach the terminal")
    func sanitizedOutput() async throws {
        let dir = try TemporaryDirectory(prefix: "example-getting-started")
        let result = try await ExampleProgram.run("getting-started", ["--scripted", "--store", dir.appending("store").path, "\u{1B}]0;owned\u{07}hi"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{07}"))
        #expect(result.stdout.contains("> ␛]0;owned"))
    }

    @Test("an unknown option exits 2 naming it")
    func unknownOption() async throws {
        let result = try await ExampleProgram.run("getting-started", ["--scripted", "--bogus"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown option '--bogus'"))
    }
}

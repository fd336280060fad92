import Testing
import KodeKernel

@Suite struct TodoToolTests {
    @Test func writeThenRead() async throws {
        let harness = try ToolHarness()
        #expect(try await harness.run(TodoReadTool(), [:]).content == "(the todo list is empty)")
        let written = try await harness.run(TodoWriteTool(), ["todos": [
            ["id": "a", "title": "Read the code", "status": "completed"],
            ["id": "b", "title": "Fix the bug", "status": "in_progress"],
            ["id": "c", "title": "Write a test", "status": "pending"],
        ]])
        #expect(!written.isError)
        let expected = "1. [x] Read the code (id: a, completed)\n2. [>] Fix the bug (id: b, in_progress)\n3. [ ] Write a test (id: c, pending)"
        #expect(written.content == "todo list updated:\n" + expected)
        #expect(try await harness.run(TodoReadTool(), [:]).content == expected)
        #expect(await harness.board.todos().map(\.status) == [.completed, .inProgress, .pending])
    }

    @Test func atMostOneInProgressAndUniqueIds() async throws {
        let harness = try ToolHarness()
        let two = try await harness.run(TodoWriteTool(), ["todos": [
            ["id": "a", "title": "x", "status": "in_progress"],
            ["id": "b", "title": "y", "status": "in_progress"],
        ]])
        #expect(two.isError)
        #expect(two.content == "at most one todo may be in_progress, but 2 are: a, b; mark the others pending or completed")
        let duplicate = try await harness.run(TodoWriteTool(), ["todos": [
            ["id": "a", "title": "x", "status": "pending"],
            ["id": "a", "title": "y", "status": "pending"],
        ]])
        #expect(duplicate.isError && duplicate.content.contains("\"a\" is used more than once"))
        #expect(await harness.board.todos().isEmpty)
    }

    @Test func invalidStatusCalledDirectlyIsAClearFailure() async throws {
        let harness = try ToolHarness()
        let output = try await TodoWriteTool().run(["todos": [["id": "a", "title": "x", "status": "done"]]], context: harness.context)
        #expect(output.isError)
        #expect(output.content == "invalid input: input.todos[0].status: expected one of pending, in_progress, completed, got \"done\"")
    }
}

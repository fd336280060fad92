import Foundation
import Testing
@testable import KodeKernel

/// The demo model's tour in a directory with nothing in it: it does not take `fs_glob`'s
/// "no files match" answer for a file name, proposes its write once, then ends the tour.
@Suite struct DemoTourTests {
    static func assistant(_ plan: DemoProvider.Plan) -> Message {
        Message(role: .assistant, content: [.text(plan.text)] + plan.calls.enumerated().map { .toolUse(id: "c\($0.offset)", name: $0.element.name, input: $0.element.input) })
    }

    static func results(_ contents: [String]) -> Message {
        Message(role: .user, content: contents.enumerated().map { .toolResult(toolUseId: "c\($0.offset)", content: $0.element, isError: false) })
    }

    @Test func anEmptyDirectoryGoesStraightToTheWriteAndEndsAfterIt() throws {
        var messages = [Message(role: .user, content: [.text("show me around")])]
        let look = DemoProvider.plan(for: messages)
        #expect(look.calls.map(\.name) == ["fs_glob", "todo_write"])
        messages += [Self.assistant(look), Self.results(["no files match *", "ok"])]

        let write = DemoProvider.plan(for: messages)
        #expect(write.calls.map(\.name) == ["fs_write", "todo_write"], "it read \(write.calls.map(\.name))")
        #expect(write.text.contains("empty"))
        guard case .object(let input) = try #require(write.calls.first?.input), case .string(let content)? = input["content"] else {
            Issue.record("the write has no content")
            return
        }
        #expect(content.contains("The working directory was empty."))
        #expect(!content.contains("no files match"))
        messages += [Self.assistant(write), Self.results(["wrote KODE_DEMO.md", "ok"])]

        let end = DemoProvider.plan(for: messages)
        #expect(end.calls.isEmpty)
        #expect(end.text.contains(DemoProvider.tourEnd))
    }

    @Test func aListingNamesItsFilesAndNotItsDirectories() {
        #expect(DemoProvider.fileNames(in: "no files match *").isEmpty)
        #expect(DemoProvider.fileNames(in: "README.md\nSources/\nPackage.swift\n") == ["README.md", "Package.swift"])
    }
}

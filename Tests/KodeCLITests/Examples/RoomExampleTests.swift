import Foundation
import KodeTestSupport
import Testing

@Suite("Example: room")
struct RoomExampleTests {
    @Test("example-room: a pool in a room, a fork mid-way, and the room reopened from the store")
    func runs() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-example-room")
        let store = directory.appending("store").path
        let process = try RunningProcess(executable: KodeCLI.binary(named: "example-room"), arguments: ["--scripted", "--store", store], stdin: nil, environment: [:])
        let result = try await process.finish(timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == [
            "room design: @planner @coder @reviewer",
            "#1 @user -> @planner: @planner we need a word-count tool",
            "#2 @planner -> @coder: @coder please implement wc: count the words on standard input.",
            "#3 @coder -> @reviewer: @reviewer ready for review: split on whitespace and count the pieces.",
            "#4 @reviewer -> everyone: Looks good. Consider Unicode whitespace, not only ASCII spaces.",
            "fork of @coder (completed): Exploring alone: a streaming variant reads fixed-size chunks and counts at word boundaries, so memory stays flat on huge inputs.",
            "reopened: 4 message(s) so far",
            "#5 @user -> @planner: @planner please summarise for everyone",
            "#6 @planner -> @coder @reviewer: Summary: @coder implemented wc and @reviewer approved it with a note on Unicode spaces.",
            "store: \(store)",
        ])
        // The store it left is a real one: the CLI reads the same room.
        let shown = try await KodeCLI.run(["room", "show", "design", "--store", store])
        #expect(shown.lines.first == "room design: 3 member(s), 6 message(s)")
    }
}

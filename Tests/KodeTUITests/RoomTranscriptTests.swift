import Foundation
@testable import KodeTUI
import KodeKernel
import Testing

@Suite("Rooms in the app")
struct RoomTranscriptTests {
    @Test("a room message shows its sender, addressees and room instead of the header the model reads")
    func attributed() {
        let text = RoomMessage(seq: 3, from: "alice", to: ["bob"], text: "please \u{1B}[31mreview").rendered(room: "design", for: "bob")
        let item = ConversationItem(id: 1, kind: .user(text: text, inputId: "room:design:3", queued: false), timestamp: Date())
        let lines = ItemLines.make(item, width: 60, unicode: true, now: Date()).map(\.text)
        #expect(lines.first == "✉ @alice → @bob  (room design #3)")
        #expect(lines.dropFirst().first?.contains("please ␛[31mreview") == true, "the body is untrusted: sanitized")
        #expect(!lines.joined().contains("you are @bob"))
        let ascii = ItemLines.make(item, width: 60, unicode: false, now: Date()).map(\.text)
        #expect(ascii.first == "@ @alice -> @bob  (room design #3)")
    }

    @Test("the agents view names the rooms an agent is in, and titles a room member by the text it got")
    func membership() {
        var state = AgentState(id: "agt_x")
        let first = RoomMessage(seq: 1, from: "user", to: ["planner"], text: "@planner plan it").rendered(room: "design", for: "planner")
        state.messages = [Message(id: "room:design:1", role: .user, content: [.text(first)])]
        #expect(AgentRow.title(from: state) == "@planner plan it · @planner in design")
    }
}

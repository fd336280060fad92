import KodeKernel
import Testing

@Suite("Progress filter")
struct ProgressFilterTests {
    static let boundary = ChunkBoundary(messageId: "msg_1")
    static let delta = ChunkDelta(messageId: "msg_1", delta: "because")
    static let thinking: [AgentEvent] = [.thinkChunkStart(boundary), .thinkChunk(delta), .thinkChunkEnd(boundary)]
    static let others: [AgentEvent] = [
        .textChunkStart(boundary), .textChunk(delta), .textChunkEnd(boundary),
        .error(ErrorEvent(phase: .model, severity: .warning, message: "m")),
    ]

    @Test("with thinking not exposed, the three think_chunk events are held back and every other event passes")
    func unexposed() {
        let filter = ProgressFilter(ThinkingConfig(level: .high, expose: false))
        #expect(!filter.exposesThinking)
        #expect(Self.thinking.filter(filter.publishes).isEmpty)
        #expect(Self.others.filter(filter.publishes).map(\.type) == Self.others.map(\.type))
    }

    @Test("with thinking exposed (the default), everything passes")
    func exposed() {
        let filter = ProgressFilter(ThinkingConfig(level: .low))
        #expect(filter.exposesThinking)
        let all = Self.thinking + Self.others
        #expect(all.filter(filter.publishes).map(\.type) == all.map(\.type))
    }
}

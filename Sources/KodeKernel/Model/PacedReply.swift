/// A model reply known in full before it streams (scripted and demo models), played back with an
/// optional pause before each content chunk so streaming is visible or interruptible.
struct PacedReply: Sendable {
    struct Step: Sendable {
        var event: ModelStreamEvent
        /// A chunk of streamed content: the pause comes before it.
        var paced: Bool
    }

    var steps: [Step]
    /// Thrown after the last step; nil ends the stream normally.
    var failure: (any Error)?

    /// An empty reply with room for a typical one (start, a few chunks, end, usage, stop).
    init() {
        steps = []
        steps.reserveCapacity(8)
    }

    mutating func add(_ event: ModelStreamEvent) {
        steps.append(Step(event: event, paced: false))
    }

    /// Splits `text` into pieces of `size` characters, each a paced step.
    mutating func addChunks(of text: String, size: Int, as make: (String) -> ModelStreamEvent) {
        var rest = Substring(text)
        while !rest.isEmpty {
            let piece = rest.prefix(size)
            rest = rest.dropFirst(piece.count)
            steps.append(Step(event: make(String(piece)), paced: true))
        }
    }

    /// The reply as a stream. Without a pause the whole reply is handed over at once, with no
    /// task (a zero-latency model costs the agent nothing to schedule); with one, a task plays it
    /// and stops when the consumer goes away.
    func stream(pauseMs: Int) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        let reply = self
        return AsyncThrowingStream { continuation in
            guard pauseMs > 0 else {
                for step in reply.steps { continuation.yield(step.event) }
                continuation.finish(throwing: reply.failure)
                return
            }
            let task = Task {
                do {
                    for step in reply.steps {
                        if step.paced { try await Task.sleep(for: .milliseconds(pauseMs)) }
                        try Task.checkCancellation()
                        continuation.yield(step.event)
                    }
                    continuation.finish(throwing: reply.failure)
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

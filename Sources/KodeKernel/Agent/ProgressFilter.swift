/// Which Progress events of a reply an agent publishes (docs/AGENT.md, "Thinking").
///
/// With `expose` off the `think_chunk_*` events are dropped before they are recorded, so no
/// subscriber, screen or stored event stream sees the model's reasoning as it streams; that is
/// the point of the switch. The reasoning itself is not lost: it is committed with the reply as
/// its thinking block, which the vendors need back. Every other event passes.
package struct ProgressFilter: Sendable, Hashable {
    /// Whether thinking is streamed as `think_chunk_*` events (``ThinkingConfig/expose``).
    package var exposesThinking: Bool

    package init(_ thinking: ThinkingConfig) {
        exposesThinking = thinking.expose
    }

    /// Whether `event` is published.
    package func publishes(_ event: AgentEvent) -> Bool {
        if exposesThinking { return true }
        switch event {
        case .thinkChunkStart, .thinkChunk, .thinkChunkEnd: return false
        default: return true
        }
    }
}

extension Agent {
    /// Emits the events of a reply that ``ProgressFilter`` lets through.
    func publish(_ progress: [AgentEvent]) {
        let filter = ProgressFilter(manifest.config.thinking)
        for event in progress where filter.publishes(event) { emit(event) }
    }
}

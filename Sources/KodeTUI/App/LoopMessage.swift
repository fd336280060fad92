import KodeKernel

/// What the run loop receives: input, signals, redraw wake-ups, switches of agent.
package enum LoopMessage: Sendable {
    case action(AppAction)
    case signal(Int32)
    /// A coalesced redraw is due.
    case render
    /// The app now shows another agent (after a fork or `o`), opened through the hub.
    case switched(any AgentHandle, notice: String)
    /// The event stream of subscription `generation` ended by itself (not cancelled here).
    case streamEnded(generation: Int)
}

import KodeKernel

/// What the run loop receives: input, signals, redraw wake-ups, switches of agent.
package enum LoopMessage: Sendable {
    case action(AppAction)
    case signal(Int32)
    /// A coalesced redraw is due.
    case render
    /// The app now shows another agent (after a fork, `o`, the agents view, `/new`), opened
    /// through the hub; `draft` goes into its composer (edit-and-resend).
    case switched(any AgentHandle, notice: String, draft: String? = nil)
    /// The event stream of subscription `generation` ended by itself (not cancelled here).
    case streamEnded(generation: Int)
}

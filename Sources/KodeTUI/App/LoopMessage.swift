import KodeKernel

/// What arrives at the run loop: actions for `update`, plus the loop's own housekeeping.
enum LoopMessage: Sendable {
    case action(AppAction)
    case signal(Int32)
    /// A coalesced redraw is due.
    case render
    /// The app now shows another agent (after a fork or `o`).
    case switched(Agent, notice: String)
}

import Foundation

extension Agent {
    /// Makes the next record: folds it into the state now, stores it at the next commit.
    @discardableResult
    func record(_ body: RecordBody, at time: Date = Date()) -> LogRecord {
        let record = pipeline.make(body, at: time)
        state.apply(record)
        return record
    }

    /// Records an event.
    func emit(_ event: AgentEvent) {
        record(.event(event))
    }

    /// Changes the breakpoint (no-op when unchanged).
    func setBreakpoint(_ to: Breakpoint) {
        guard state.breakpoint != to else { return }
        hooks.breakpoint?(to)
        emit(.breakpointChanged(BreakpointChangedEvent(from: state.breakpoint, to: to)))
    }

    /// Changes the runtime state (no-op when unchanged).
    func setRuntimeState(_ to: RuntimeState) {
        guard state.runtimeState != to else { return }
        emit(.stateChanged(StateChangedEvent(from: state.runtimeState, to: to)))
    }
}

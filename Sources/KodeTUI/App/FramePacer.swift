import Foundation

/// When to draw: agent output is coalesced to at most 60 frames per second, while a key press
/// is drawn at once (after at most `inputInterval`), so typing stays immediate during a flood
/// of streamed text.
package struct FramePacer: Sendable {
    /// The shortest time between frames caused by agent output.
    package var outputInterval: TimeInterval = 1.0 / 60.0
    /// The shortest time between frames caused by input.
    package var inputInterval: TimeInterval = 0.004
    package private(set) var lastFrame: Date = .distantPast
    /// Something changed since the last frame.
    package private(set) var dirty = true
    private var inputPending = false

    /// A pacer with the default intervals.
    package init() {}

    /// Notes a change; `input` for key presses and pastes.
    package mutating func changed(byInput input: Bool) {
        dirty = true
        if input { inputPending = true }
    }

    /// How long to wait before drawing (0: draw now), or nil when nothing needs drawing.
    package func delay(now: Date) -> TimeInterval? {
        guard dirty else { return nil }
        let since = now.timeIntervalSince(lastFrame)
        let interval = inputPending ? inputInterval : outputInterval
        return max(interval - since, 0)
    }

    /// Records that a frame was drawn.
    package mutating func drew(at now: Date) {
        lastFrame = now
        dirty = false
        inputPending = false
    }
}

import Foundation
import KodeKernel

/// The approval modal's state: the calls waiting for a person, which one is shown, and the
/// note being typed after `n`.
package struct ApprovalQueue: Sendable {
    package internal(set) var pending: [PermissionRequiredEvent] = []
    /// The request shown (index into `pending`).
    package var index = 0
    /// `e` shows the full input.
    package var expanded = false {
        didSet { inputScroll = 0 }
    }
    /// First line of the full input shown when it is taller than the modal (↑/↓, PgUp/PgDn).
    package var inputScroll = 0
    /// Set after `n`: the note being typed before the deny is sent (Enter sends, Esc cancels).
    package var note: String?
    /// When the modal (or its current request) appeared: keys within the activation guard are ignored.
    package var shownAt: Date?

    /// An empty queue.
    package init() {}

    package var isEmpty: Bool { pending.isEmpty }
    /// The request shown.
    package var current: PermissionRequiredEvent? { pending.indices.contains(index) ? pending[index] : nil }

    /// Folds one event in.
    package mutating func apply(_ envelope: EventEnvelope) {
        switch envelope.event {
        case .permissionRequired(let e):
            guard !pending.contains(where: { $0.callId == e.callId }) else { return }
            if pending.isEmpty { shownAt = envelope.timestamp }
            pending.append(e)
        case .permissionDecided(let e):
            remove(e.callId)
        case .toolEnd(let e):
            remove(e.callId)
        case .done:
            break
        default:
            break
        }
    }

    /// Stamps the moment the modal became visible (the app's clock, not the event's).
    package mutating func markShown(at time: Date) { shownAt = time }

    /// Removes a request (decided here or elsewhere).
    package mutating func remove(_ callId: String) {
        guard let i = pending.firstIndex(where: { $0.callId == callId }) else { return }
        pending.remove(at: i)
        if index >= pending.count { index = max(pending.count - 1, 0) }
        if i <= index { expanded = false }
        note = nil
    }

    /// `]`.
    package mutating func next() {
        guard !pending.isEmpty else { return }
        index = (index + 1) % pending.count
        expanded = false
    }

    /// `[`.
    package mutating func previous() {
        guard !pending.isEmpty else { return }
        index = (index + pending.count - 1) % pending.count
        expanded = false
    }
}

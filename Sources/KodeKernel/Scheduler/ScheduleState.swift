import Foundation

/// The scheduler's part of ``AgentState``: a fold over `schedule_changed` and
/// `scheduler_triggered` events and the assistant messages (docs/MULTI-AGENT.md, "Scheduler").
public struct ScheduleState: Sendable, Hashable {
    /// The agent's triggers, oldest first.
    public var triggers: [ScheduledTrigger] = []
    /// Reminders a timed trigger enqueued, waiting for the next model call.
    public var pendingReminders: [PendingReminder] = []
    /// Ids of the queued inputs timed messages enqueued that are not yet in the conversation: a
    /// process that stopped between the fire and the turn leaves them here, and the next
    /// scheduler to see the agent starts its turn.
    public var unansweredMessages: [String] = []
    /// Model calls completed over the agent's life (assistant messages recorded): what step
    /// triggers count.
    public var modelSteps = 0

    /// A reminder waiting for the next model call.
    public struct PendingReminder: Sendable, Hashable, Codable {
        /// The id its message gets.
        public var id: String
        public var text: String
        public var triggerId: String

        public init(id: String, text: String, triggerId: String) {
            self.id = id
            self.text = text
            self.triggerId = triggerId
        }
    }

    public init() {}

    /// The earliest fire time of the timed triggers.
    public var nextFire: Date? {
        triggers.compactMap(\.nextFire).min()
    }

    /// When a scheduler should next look at the agent: now when a fired message waits for its
    /// turn, else the earliest fire time.
    public var wakeTime: Date? {
        unansweredMessages.isEmpty ? nextFire : .distantPast
    }

    mutating func apply(_ event: ScheduleChangedEvent) {
        switch event.change {
        case .added:
            triggers.removeAll { $0.id == event.trigger.id }
            triggers.append(event.trigger)
        case .removed:
            triggers.removeAll { $0.id == event.trigger.id }
        }
    }

    mutating func apply(_ event: SchedulerTriggeredEvent) {
        if let index = triggers.firstIndex(where: { $0.id == event.triggerId }) {
            triggers[index].fires += 1
            triggers[index].nextFire = event.nextFire
            if let step = event.atStep { triggers[index].anchorStep = step }
        }
        // A timed reminder waits for the next model call; a step trigger's message is recorded
        // with its fire, and a timed message is a queued input recorded next to it.
        if event.atStep == nil {
            if event.action == "reminder" {
                pendingReminders.append(PendingReminder(id: event.deliveryId, text: event.text, triggerId: event.triggerId))
            } else {
                unansweredMessages.append(event.deliveryId)
            }
        }
    }

    /// A message was recorded: it may complete a model call or deliver a pending reminder.
    mutating func noteMessage(_ message: Message) {
        if message.role == .assistant { modelSteps += 1 }
        if message.role == .user, !pendingReminders.isEmpty {
            pendingReminders.removeAll { $0.id == message.id }
        }
        if message.role == .user, !unansweredMessages.isEmpty {
            unansweredMessages.removeAll { $0 == message.id }
        }
    }
}

extension ScheduleState: Codable {
    private enum Key: String, CodingKey { case triggers, pendingReminders, unansweredMessages, modelSteps }

    // Every key may be missing: JSON states written before the scheduler have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        triggers = try c.decodeIfPresent([ScheduledTrigger].self, forKey: .triggers) ?? []
        pendingReminders = try c.decodeIfPresent([PendingReminder].self, forKey: .pendingReminders) ?? []
        unansweredMessages = try c.decodeIfPresent([String].self, forKey: .unansweredMessages) ?? []
        modelSteps = try c.decodeIfPresent(Int.self, forKey: .modelSteps) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(triggers, forKey: .triggers)
        try c.encode(pendingReminders, forKey: .pendingReminders)
        try c.encode(unansweredMessages, forKey: .unansweredMessages)
        try c.encode(modelSteps, forKey: .modelSteps)
    }
}

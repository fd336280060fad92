import Foundation

/// `schedule_changed` (Monitor): a trigger was added or removed. Durable; folded into
/// ``AgentState/schedule``.
public struct ScheduleChangedEvent: Sendable, Hashable, Codable {
    public enum Change: String, Sendable, Hashable, Codable { case added, removed }
    public var change: Change
    /// The trigger as it was added, or as it stood when removed.
    public var trigger: ScheduledTrigger
    /// Who asked (`user`, `cli`, `config`, a program's name).
    public var by: String

    public init(change: Change, trigger: ScheduledTrigger, by: String) {
        self.change = change
        self.trigger = trigger
        self.by = by
    }
}

/// `scheduler_triggered` (Monitor): a trigger fired. This record *is* the fire: it carries the
/// trigger's next fire time, and is committed in one batch with what the fire enqueued (the
/// queued message, or the reminder itself, which waits in ``ScheduleState/pendingReminders``
/// until the next model call). A restart therefore sees either both or neither.
public struct SchedulerTriggeredEvent: Sendable, Hashable, Codable {
    public var triggerId: String
    public var name: String?
    /// `every 3 steps`, `every 15m`, `cron …`.
    public var schedule: String
    /// `reminder` or `message`.
    public var action: String
    public var text: String
    /// The fire time that was due (timed triggers) — earlier than the event's timestamp after
    /// downtime.
    public var dueAt: Date?
    /// The agent's model-call count when it fired (step triggers).
    public var atStep: Int?
    /// Fire times that passed while nothing ran and were folded into this one fire.
    public var missed: Int
    /// When it fires next (timed triggers).
    public var nextFire: Date?
    /// The id of the queued input (a message) or of the reminder message the model is sent.
    public var deliveryId: String

    public init(triggerId: String, name: String?, schedule: String, action: String, text: String, dueAt: Date?,
                atStep: Int?, missed: Int, nextFire: Date?, deliveryId: String) {
        self.triggerId = triggerId
        self.name = name
        self.schedule = schedule
        self.action = action
        self.text = text
        self.dueAt = dueAt
        self.atStep = atStep
        self.missed = missed
        self.nextFire = nextFire
        self.deliveryId = deliveryId
    }
}

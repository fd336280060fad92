import Foundation

/// The scheduler's kernel API (docs/MULTI-AGENT.md, "Scheduler"). Triggers live in the agent's
/// log: `schedule_changed` adds or removes one, `scheduler_triggered` is a fire and carries the
/// trigger's next fire time. A fire is recorded in the same durable commit as what it enqueues
/// and before anything acts on it, so after a crash either both are in the log or neither is:
/// a restart neither loses a fire (it is still due) nor repeats one (its next fire time moved).
extension Agent {
    /// Adds a trigger; durable before this returns. Timed triggers are measured from now by the
    /// agent's clock; step triggers from the agent's current model-call count.
    @discardableResult
    public func addTrigger(_ spec: TriggerSpec, by who: String = "user") async throws -> ScheduledTrigger {
        try ensureWritable()
        try spec.validate()
        if let name = spec.name, state.schedule.triggers.contains(where: { $0.spec.name == name || $0.id == name }) {
            throw ScheduleError.invalid("this agent already has a trigger named '\(name)'")
        }
        let now = clock.now()
        let next = spec.schedule.nextFire(after: now, anchor: now)
        if spec.schedule.isTimed, next == nil { throw ScheduleError.invalid("\(spec.schedule.summary) never fires") }
        let trigger = ScheduledTrigger(id: "trg_" + ShortID.make(length: 10), spec: spec, created: now,
                                       nextFire: next, anchorStep: state.schedule.modelSteps)
        emit(.scheduleChanged(ScheduleChangedEvent(change: .added, trigger: trigger, by: who)))
        try await commit(.durable)
        return trigger
    }

    /// Removes a trigger by id or name; durable before this returns. Returns it as it stood.
    @discardableResult
    public func removeTrigger(_ idOrName: String, by who: String = "user") async throws -> ScheduledTrigger {
        try ensureWritable()
        guard let trigger = state.schedule.triggers.first(where: { $0.id == idOrName || $0.spec.name == idOrName }) else {
            throw ScheduleError.notFound(idOrName)
        }
        emit(.scheduleChanged(ScheduleChangedEvent(change: .removed, trigger: trigger, by: who)))
        try await commit(.durable)
        return trigger
    }

    /// The agent's triggers, oldest first.
    public func triggers() -> [ScheduledTrigger] { state.schedule.triggers }

    /// When a scheduler should next call ``fireDueTriggers()``: the earliest timed trigger's
    /// fire time, or `distantPast` while a fired message waits for a turn that a stopped
    /// process never ran.
    public func nextTriggerFire() -> Date? { state.schedule.wakeTime }

    /// Fires every timed trigger that is due by the agent's clock, once each however many fire
    /// times passed (the event counts the others as `missed`), and returns when the next one is
    /// due. A fired message is queued input, so an idle agent starts a turn; a fired reminder
    /// waits for the next model call. A fired message whose turn never ran (the process stopped
    /// first) gets its turn now.
    @discardableResult
    public func fireDueTriggers() async throws -> Date? {
        try ensureWritable()
        let now = clock.now()
        var fired = false
        var queued = false
        for trigger in state.schedule.triggers {
            guard trigger.spec.schedule.isTimed, let due = trigger.nextFire, due <= now else { continue }
            let schedule = trigger.spec.schedule
            let next = schedule.nextFire(after: now, anchor: due)
            let deliveryId: String
            switch trigger.spec.action {
            case .message: deliveryId = "in_" + ShortID.make()
            case .reminder: deliveryId = "rem_" + ShortID.make()
            }
            emit(.schedulerTriggered(SchedulerTriggeredEvent(
                triggerId: trigger.id, name: trigger.spec.name, schedule: schedule.summary, action: trigger.spec.action.kind,
                text: trigger.spec.action.text, dueAt: due, atStep: nil, missed: Self.missedFires(schedule, due: due, now: now),
                nextFire: next, deliveryId: deliveryId)))
            if case .message(let text) = trigger.spec.action {
                record(.inputQueued(QueuedInput(id: deliveryId, text: text)))
                queued = true
            }
            fired = true
        }
        if fired { try await commit(.durable) }
        if queued || !state.schedule.unansweredMessages.isEmpty, state.pendingApprovals.isEmpty { startTurnIfIdle() }
        return state.schedule.nextFire
    }

    /// Before a model call: the reminders timed triggers left waiting, then the step triggers
    /// that are due. Recorded into the batch the model call's durable commit writes.
    func sendScheduledReminders() {
        for pending in state.schedule.pendingReminders {
            remind(kind: "scheduled", id: pending.id, pending.text)
        }
        let steps = state.schedule.modelSteps
        for trigger in state.schedule.triggers {
            guard case .everySteps(let every) = trigger.spec.schedule, steps - trigger.anchorStep >= every else { continue }
            let deliveryId = (trigger.spec.action.kind == "message" ? "msg_" : "rem_") + ShortID.make()
            emit(.schedulerTriggered(SchedulerTriggeredEvent(
                triggerId: trigger.id, name: trigger.spec.name, schedule: trigger.spec.schedule.summary, action: trigger.spec.action.kind,
                text: trigger.spec.action.text, dueAt: nil, atStep: steps, missed: (steps - trigger.anchorStep) / every - 1,
                nextFire: nil, deliveryId: deliveryId)))
            switch trigger.spec.action {
            case .reminder(let text): remind(kind: "scheduled", id: deliveryId, text)
            case .message(let text): record(.message(Message(id: deliveryId, role: .user, content: [.text(text)])))
            }
        }
    }

    /// Fire times after `due` up to `now` that one catch-up fire stands for (counted up to 1,000).
    static func missedFires(_ schedule: TriggerSchedule, due: Date, now: Date) -> Int {
        switch schedule {
        case .everySteps:
            return 0
        case .every(let seconds):
            return min(Int((now.timeIntervalSince(due) / Double(seconds)).rounded(.down)), 1_000)
        case .cron:
            var count = 0
            var cursor = due
            while count < 1_000, let next = schedule.nextFire(after: cursor, anchor: due), next <= now {
                count += 1
                cursor = next
            }
            return count
        }
    }
}

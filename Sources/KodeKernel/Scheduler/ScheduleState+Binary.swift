import Foundation

/// The `schedule` section of a snapshot (version 3, docs/STORE-FORMAT.md "Snapshot state"):
/// the triggers, the reminders waiting for a model call, the fired messages waiting for their
/// turn, and the model-call count.
extension ByteWriter {
    mutating func schedule(_ schedule: ScheduleState) {
        list(schedule.triggers) { w, trigger in
            w.string(trigger.id)
            switch trigger.spec.schedule {
            case .everySteps(let n):
                w.u8(1)
                w.int(n)
            case .every(let seconds):
                w.u8(2)
                w.int(seconds)
            case .cron(let expression, let zone):
                w.u8(3)
                w.string(expression.text)
                w.string(zone)
            }
            w.string(trigger.spec.action.kind)
            w.string(trigger.spec.action.text)
            w.optionalString(trigger.spec.name)
            w.date(trigger.created)
            w.optionalDate(trigger.nextFire)
            w.int(trigger.anchorStep)
            w.int(trigger.fires)
        }
        list(schedule.pendingReminders) { w, reminder in
            w.string(reminder.id)
            w.string(reminder.text)
            w.string(reminder.triggerId)
        }
        list(schedule.unansweredMessages) { $0.string($1) }
        int(schedule.modelSteps)
    }
}

extension ByteReader {
    mutating func schedule() throws(BinaryDecodingFailure) -> ScheduleState {
        var schedule = ScheduleState()
        schedule.triggers = try list(minimumSize: 40) { r throws(BinaryDecodingFailure) in
            let id = try r.string()
            let at = r.position
            let when: TriggerSchedule
            switch try r.u8() {
            case 1: when = .everySteps(try r.int())
            case 2: when = .every(seconds: try r.int())
            case 3:
                let text = try r.string()
                let zone = try r.string()
                do throws(CronError) {
                    when = .cron(try CronExpression(text), timeZone: zone)
                } catch {
                    throw r.failure("trigger \(id): \(error.description)", at: at)
                }
            case let other: throw r.failure("unknown trigger schedule kind \(other)", at: at)
            }
            let kindAt = r.position
            let kind = try r.string()
            let text = try r.string()
            let action: TriggerAction
            switch kind {
            case "reminder": action = .reminder(text)
            case "message": action = .message(text)
            default: throw r.failure("unknown trigger action '\(kind)'", at: kindAt)
            }
            let name = try r.optionalString()
            return ScheduledTrigger(
                id: id, spec: TriggerSpec(schedule: when, action: action, name: name), created: try r.date(),
                nextFire: try r.optionalDate(), anchorStep: try r.int(), fires: try r.int())
        }
        schedule.pendingReminders = try list(minimumSize: 12) { r throws(BinaryDecodingFailure) in
            ScheduleState.PendingReminder(id: try r.string(), text: try r.string(), triggerId: try r.string())
        }
        schedule.unansweredMessages = try list(minimumSize: 4) { r throws(BinaryDecodingFailure) in try r.string() }
        schedule.modelSteps = try int()
        return schedule
    }
}

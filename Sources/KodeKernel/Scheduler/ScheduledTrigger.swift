import Foundation

/// What a person or program asks for: a schedule, an action and an optional name.
public struct TriggerSpec: Sendable, Hashable, Codable {
    public var schedule: TriggerSchedule
    public var action: TriggerAction
    /// A name to show and to remove it by; the id is used when nil.
    public var name: String?

    public init(schedule: TriggerSchedule, action: TriggerAction, name: String? = nil) {
        self.schedule = schedule
        self.action = action
        self.name = name
    }

    /// Refuses what could never work, with a message saying what.
    func validate() throws(ScheduleError) {
        switch schedule {
        case .everySteps(let n) where n < 1: throw .invalid("a step trigger needs at least 1 step, not \(n)")
        case .every(let seconds) where seconds < 1: throw .invalid("an interval trigger needs at least 1 second, not \(seconds)")
        case .cron(_, let zone) where TimeZone(identifier: zone) == nil: throw .invalid("unknown time zone '\(zone)' (an IANA name such as Europe/Paris or UTC)")
        default: break
        }
        if action.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .invalid("the trigger's \(action.kind) text is empty") }
        if let name, name.isEmpty || name.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw .invalid("trigger name '\(name)': use a non-empty name without spaces")
        }
    }
}

/// A trigger of one agent, as its log records it: the spec plus where it stands.
public struct ScheduledTrigger: Sendable, Hashable, Codable, Identifiable {
    /// `trg_…`, unique within the agent.
    public var id: String
    public var spec: TriggerSpec
    public var created: Date
    /// For a timed trigger, when it fires next (the durable part that makes a restart neither
    /// lose nor repeat a fire); nil for a step trigger.
    public var nextFire: Date?
    /// For a step trigger, the agent's model-call count when it last fired (or was added).
    public var anchorStep: Int
    /// How many times it has fired.
    public var fires: Int

    public init(id: String, spec: TriggerSpec, created: Date, nextFire: Date?, anchorStep: Int, fires: Int = 0) {
        self.id = id
        self.spec = spec
        self.created = created
        self.nextFire = nextFire
        self.anchorStep = anchorStep
        self.fires = fires
    }

    /// The name, or the id when it has none.
    public var displayName: String { spec.name ?? id }
}

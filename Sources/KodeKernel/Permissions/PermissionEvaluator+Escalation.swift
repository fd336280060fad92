extension PermissionEvaluator {
    /// `verdict` for a call that asks for more than the sandbox gives (`escalation`, in words):
    /// an allow, from the mode, a rule or a hook, becomes a question to a person, because only a
    /// person may widen the sandbox; a deny stays a deny; a question says what is asked for.
    package static func escalated(_ verdict: PermissionVerdict, _ escalation: String?) -> PermissionVerdict {
        guard let escalation else { return verdict }
        switch verdict {
        case .deny:
            return verdict
        case .allow(let reason):
            return .ask(reason: "\(escalation). Wider rights than the sandbox always need a person's approval (it would otherwise be allowed: \(reason))")
        case .ask(let reason):
            return .ask(reason: "\(escalation). Wider rights than the sandbox always need a person's approval (\(reason))")
        }
    }
}

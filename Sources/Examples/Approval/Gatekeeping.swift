import KodeKernel

/// The three layers that decide a tool call in this example, in the order the kernel asks them.
enum Gatekeeping {
    /// 1. A preToolUse hook: code that sees every call first. It refuses network commands and
    /// answers `date` itself (nothing runs), and leaves everything else to the policy.
    static let hooks = Hooks(preToolUse: { call in
        guard call.name == "bash_run", let command = call.input["cmd"]?.stringValue else { return .proceed }
        let program = command.split(separator: " ").first.map(String.init) ?? ""
        if ["curl", "wget"].contains(program) {
            return .deny("this example's hook refuses network commands")
        }
        if command == "date" {
            return .answer(ToolOutput(content: "Tue Dec  1 12:00:00 UTC 2026 (answered by the hook; nothing ran)"))
        }
        return .proceed
    })

    /// 2. The permission policy: `approval` mode (read-only tools run, others ask), with an allow,
    /// a deny and a require-approval list. Precedence: deny > allow > requireApproval > mode.
    static let policy = PermissionPolicy(
        mode: .approval,
        allow: ["bash_run(echo *)"],
        deny: ["bash_run(rm *)"],
        requireApproval: ["fs_read(secrets/**)"])

    /// 3. What is left reaches the Control channel as `permission_required`; this code answers
    /// it as a person would. Listing is approved "always", which adds a rule to the agent.
    static func answer(_ request: PermissionRequiredEvent) -> (decision: DecisionKind, scope: DecisionScope, note: String) {
        let call = request.call
        let path = call.input["path"]?.stringValue ?? ""
        let command = call.input["cmd"]?.stringValue ?? ""
        switch call.name {
        case "fs_write" where path.hasPrefix("notes/"):
            return (.allow, .once, "notes/ is the agent's scratch space")
        case "fs_write":
            return (.deny, .once, "only notes/ may be written")
        case "fs_read" where path.hasPrefix("secrets/"):
            return (.deny, .once, "secrets stay secret")
        case "bash_run" where command.hasPrefix("ls"):
            return (.allow, .always, "listing is harmless: always allowed from now on")
        default:
            return (.deny, .once, "not something this example approves")
        }
    }
}

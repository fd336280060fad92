import Foundation
import KodeKernel

/// Crash injection for the crash-at-every-breakpoint tests: with
/// `KODE_FAULT_KILL_AT_BREAKPOINT=TOOL_EXECUTING` (or `TOOL_EXECUTING:2` for the second time it
/// is entered) the process kills itself with SIGKILL the moment the agent enters that breakpoint,
/// before the change is durable. Off unless the variable is set. Where one process runs several
/// agents (a room), `KODE_FAULT_KILL_AGENT=ID` arms only that agent's hooks, so which agent's
/// breakpoint kills the process does not depend on how far the others got.
enum BreakpointFaultInjector {
    static func hooks(environment: [String: String], agent: AgentID? = nil) throws -> Hooks {
        guard let spec = environment["KODE_FAULT_KILL_AT_BREAKPOINT"] else { return Hooks() }
        if let only = environment["KODE_FAULT_KILL_AGENT"], only != agent { return Hooks() }
        let parts = spec.split(separator: ":")
        guard let name = parts.first, let target = Breakpoint(rawValue: String(name)),
              parts.count <= 2, let occurrence = parts.count == 2 ? Int(parts[1]) : 1, occurrence > 0
        else {
            throw CLIError.usage("KODE_FAULT_KILL_AT_BREAKPOINT must name a breakpoint (\(Breakpoint.allCases.map(\.rawValue).joined(separator: ", "))), optionally with :N")
        }
        let counter = AtomicCounter()
        return Hooks(breakpoint: { entered in
            guard entered == target else { return }
            if counter.increment() == occurrence { kill(getpid(), SIGKILL) }
        })
    }
}

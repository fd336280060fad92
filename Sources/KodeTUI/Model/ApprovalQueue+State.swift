import Foundation
import KodeKernel

// Pending approvals from the agent's state, for a view opened (or attached) while calls wait:
// the kernel re-publishes `permission_required` only when it resumes an agent, not when a
// second client attaches to one already running.
extension ApprovalQueue {
    /// Adds a request for each call waiting for a person that the queue does not hold yet.
    package mutating func load(_ calls: [ToolCallRecord]) {
        let tools = ToolRegistry.builtins()
        for call in calls where call.state == .approvalRequired && !pending.contains(where: { $0.callId == call.id }) {
            // The same rendering the agent uses; a tool this process does not know (a host
            // with extra tools) offers the bare tool name as its "always" rule.
            let subject = tools.tool(named: call.name)?.permissionSubject(for: call.input)
            pending.append(PermissionRequiredEvent(
                callId: call.id, call: call,
                inputPreview: ToolInputPreview.render(name: call.name, input: call.input),
                reason: call.reason ?? "approval required",
                alwaysPattern: PermissionEvaluator.alwaysPattern(toolName: call.name, subject: subject)))
        }
    }

    /// Drops the requests the agent no longer waits for (a resume may have sealed some).
    package mutating func keep(only ids: Set<String>) {
        for request in pending where !ids.contains(request.callId) { remove(request.callId) }
    }
}

import Foundation
import KodeKernel
import Testing
import KodeTUI
import KodeTestSupport

/// The status line names the sandbox, and an unconfined one survives the narrowest screen.
@Suite struct StatusLineSandboxTests {
    static func statusRow(_ sandbox: CommandConfinement, width: Int) -> String {
        var m = Fixtures.model(width: width, height: 12)
        m.info.sandbox = sandbox
        return Screen.lines(m, now: Fixtures.t0).last ?? ""
    }

    @Test func showsTheMode() {
        #expect(Self.statusRow(.confined(mode: .workspaceWrite, network: false), width: 120).contains("sandbox workspace-write"))
        #expect(Self.statusRow(.confined(mode: .readOnly, network: true), width: 120).contains("sandbox read-only +net"))
    }

    @Test func unconfinedIsNeverDropped() {
        let row = Self.statusRow(.unconfined(mode: .workspaceWrite, reason: "no Landlock"), width: 50)
        #expect(row.contains("sandbox unconfined"), "\(row)")
    }
}

import Foundation
import Testing
import KodeKernel

@Suite struct BashRunToolTests {
    @Test func runsInWorkDirWithInterleavedOutputAndExitCode() async throws {
        let harness = try ToolHarness()
        let output = try await harness.run(BashRunTool(), ["cmd": "pwd; echo out; echo err >&2; echo out2"])
        #expect(!output.isError)
        #expect(output.content == "\(harness.dir.path)\nout\nerr\nout2\n[exit code 0]")
    }

    @Test func nonZeroExitIsAnErrorResult() async throws {
        let harness = try ToolHarness()
        let output = try await harness.run(BashRunTool(), ["cmd": "echo failing; exit 3"])
        #expect(output.isError)
        #expect(output.content == "failing\n[exit code 3]")
        let silent = try await harness.run(BashRunTool(), ["cmd": "true"])
        #expect(silent.content == "(no output)\n[exit code 0]")
    }

    @Test func stdinIsEmptyAndTheCommandCannotHang() async throws {
        let harness = try ToolHarness()
        let output = try await harness.run(BashRunTool(), ["cmd": "cat; echo done"])
        #expect(output.content == "done\n[exit code 0]")
    }

    @Test func largeOutputIsCappedWithANoticeAndDoesNotDeadlock() async throws {
        let harness = try ToolHarness()
        let total = 5_000_000
        let output = try await harness.run(BashRunTool(), ["cmd": .string("head -c \(total) /dev/zero | tr '\\0' 'a'")])
        let notice = "\n[output truncated: \(total - BashRunTool.outputLimit) more bytes]\n[exit code 0]"
        // Compare the parts, so a failure does not print 30,000 characters.
        #expect(String(output.content.prefix(BashRunTool.outputLimit)) == String(repeating: "a", count: BashRunTool.outputLimit))
        #expect(String(output.content.dropFirst(BashRunTool.outputLimit)) == notice)
    }

    @Test func timeoutKillsTheWholeGroupAndSaysSo() async throws {
        let harness = try ToolHarness()
        let started = Date()
        // The grandchild would create `late` after two seconds unless the group is killed.
        let output = try await harness.run(BashRunTool(), ["cmd": "echo begun; (sleep 2; touch late) & sleep 30 & wait", "timeout_ms": 300])
        // Well under the 30 s the commands would take: they were killed, not awaited.
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(output.isError)
        #expect(output.content.hasPrefix("begun\n"))
        #expect(output.content.contains("[timed out after 0.3 s; process group killed]"))
        #expect(output.content.hasSuffix("[exit code 137]"))
        try await Task.sleep(for: .milliseconds(2_300))
        #expect(!harness.dir.exists("late"))
    }

    @Test func leftoverBackgroundChildrenDoNotHoldTheCallOpen() async throws {
        let harness = try ToolHarness()
        let started = Date()
        let output = try await harness.run(BashRunTool(), ["cmd": "sleep 30 & echo quick"])
        // Well under the 30 s the commands would take: they were killed, not awaited.
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(output.content == "quick\n[exit code 0]")
    }

    @Test func cancellationKillsTheProcessGroupPromptly() async throws {
        let harness = try ToolHarness()
        let task = Task {
            try await harness.run(BashRunTool(), ["cmd": "(sleep 2; touch late) & sleep 30"])
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = Date()
        task.cancel()
        let result = await task.result
        #expect(Date().timeIntervalSince(cancelledAt) < 20)
        #expect(throws: CancellationError.self) { try result.get() }
        try await Task.sleep(for: .milliseconds(2_300))
        #expect(!harness.dir.exists("late"))
    }

    @Test func deniedCommandIsRefusedWithoutRunning() async throws {
        let harness = try ToolHarness()
        let output = try await harness.run(BashRunTool(), ["cmd": "touch ran; rm -rf /"])
        #expect(output.isError)
        #expect(output.content.hasPrefix("refused to run \"touch ran; rm -rf /\": recursive rm of / would delete the filesystem root."))
        #expect(!harness.dir.exists("ran"))
    }

    @Test func limits() {
        #expect(BashRunTool.defaultTimeoutMs == 120_000)
        #expect(BashRunTool.maxTimeoutMs == 600_000)
        #expect(BashRunTool().permissionSubject(for: ["cmd": "git status"]) == "git status")
    }
}

@Suite struct BackgroundShellTests {
    @Test func backgroundLogsThenExitStatus() async throws {
        let harness = try ToolHarness()
        // The shell waits for a `go` file, so the test decides when it moves on, not a timer.
        let started = try await harness.run(BashRunTool(), ["cmd": "echo first; while [ ! -e go ]; do sleep 0.02; done; echo second", "background": true])
        #expect(started.content.hasPrefix("started background shell sh_1 (pid "))

        var early = ""
        for _ in 0..<500 where !early.contains("first") {
            early += try await harness.run(BashLogsTool(), ["shell_id": "sh_1"]).content
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(early.hasPrefix("[sh_1 running, pid "))
        #expect(early.hasSuffix("\nfirst\n"))

        try harness.dir.write("go", "")
        let shell = try harness.sandbox.backgroundShells.shell(id: "sh_1")
        await shell.waitUntilFinished()
        let late = try await harness.run(BashLogsTool(), ["shell_id": "sh_1"])
        #expect(late.content == "[sh_1 exited: exit code 0]\nsecond\n")
        let again = try await harness.run(BashLogsTool(), ["shell_id": "sh_1"])
        #expect(again.content == "[sh_1 exited: exit code 0]\n(no new output)")
    }

    @Test func killStopsTheGroupForReal() async throws {
        let harness = try ToolHarness()
        _ = try await harness.run(BashRunTool(), ["cmd": "echo up; touch started; (sleep 60; touch late) & sleep 60; touch late2", "background": true])
        try await waitForFile("started", in: harness)
        let group = try harness.sandbox.backgroundShells.shell(id: "sh_1").pid
        let killed = try await harness.run(BashKillTool(), ["shell_id": "sh_1"])
        #expect(killed.content.hasPrefix("killed sh_1 (pid "))
        #expect(killed.content.contains("killed by signal 9"))
        #expect(killed.content.hasSuffix("unread output:\nup\n"))
        // Every process of the group, the backgrounded grandchild included, is gone.
        var alive = true
        for _ in 0..<500 where alive {
            alive = !(kill(-group, 0) == -1 && errno == ESRCH)
            if alive { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(!alive, "process group \(group) survived bash_kill")

        let gone = try await harness.run(BashLogsTool(), ["shell_id": "sh_1"])
        #expect(gone.isError && gone.content == "no background shell with id \"sh_1\" (there are no background shells)")
    }

    @Test func logsKeepTheNewestMebibyteAndPageTheRest() async throws {
        let harness = try ToolHarness()
        let total = 1_200_000
        _ = try await harness.run(BashRunTool(), ["cmd": .string("head -c \(total) /dev/zero | tr '\\0' z"), "background": true])
        try await harness.sandbox.backgroundShells.shell(id: "sh_1").waitUntilFinished()
        let first = try await harness.run(BashLogsTool(), ["shell_id": "sh_1"])
        let dropped = total - BackgroundShells.retainedOutputLimit
        let lines = first.content.split(separator: "\n")
        #expect(lines.first == "[sh_1 exited: exit code 0]")
        #expect(lines.dropFirst().first == "[\(dropped) earlier bytes dropped: only the last 1 MiB of unread output is kept]")
        #expect(lines.last == "[\(BackgroundShells.retainedOutputLimit - BashRunTool.outputLimit) more bytes not shown yet; call bash_logs again]")
        let second = try await harness.run(BashLogsTool(), ["shell_id": "sh_1"])
        #expect(second.content.split(separator: "\n").first == "[sh_1 exited: exit code 0]")
        #expect(second.content.filter { $0 == "z" }.count == BashRunTool.outputLimit)
    }

    @Test func unknownIdsAndShutdown() async throws {
        let harness = try ToolHarness()
        let unknown = try await harness.run(BashKillTool(), ["shell_id": "sh_9"])
        #expect(unknown.isError && unknown.content.hasPrefix("no background shell with id \"sh_9\""))

        // Commands that would outlive any test run: only the shutdown can end them, so the
        // result does not depend on how fast a busy machine gets to the kill.
        _ = try await harness.run(BashRunTool(), ["cmd": "touch started; sleep 600; touch late", "background": true])
        _ = try await harness.run(BashRunTool(), ["cmd": "sleep 600", "background": true])
        #expect(harness.sandbox.backgroundShells.ids == ["sh_1", "sh_2"])
        try await waitForFile("started", in: harness)
        await harness.sandbox.terminateAll()
        for id in ["sh_1", "sh_2"] {
            #expect(try harness.sandbox.backgroundShells.shell(id: id).status == .signaled(9))
        }
        #expect(!harness.dir.exists("late"))
    }

    /// Polls until the shell under test has created `name` (it is then surely running).
    private func waitForFile(_ name: String, in harness: ToolHarness) async throws {
        for _ in 0..<1_000 where !harness.dir.exists(name) {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(harness.dir.exists(name))
    }
}

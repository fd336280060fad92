import Foundation
import KodeConfig
import KodeKernel
import Testing

@Suite("configuration: [context]")
struct ContextSettingsTests {
    @Test("defaults: compaction at 80%, 20% kept, todo reminders every 10 calls, the built-in windows")
    func defaults() throws {
        let policy = try ConfigFiles().load().contextPolicy()
        #expect(policy.compactionThreshold == 0.8)
        #expect(policy.keepRecentFraction == 0.2)
        #expect(policy.todoReminderEverySteps == 10)
        #expect(policy.window(for: "claude-sonnet-4-5") == 200_000)
        #expect(policy.window(for: "gpt-4o-mini") == 128_000)
        #expect(policy.window(for: "gpt-4.1") == 1_047_576)
        #expect(policy.window(for: "something-new") == ContextWindows.fallback)
    }

    @Test("the files set the threshold, turn compaction off and override a model's window")
    func fromFiles() throws {
        let files = try ConfigFiles(
            user: "[context]\ncompaction_threshold = 60\ntodo_reminder_every = 0\n\n[context_windows]\n\"gpt-4.1\" = 500000\nlocal-llama = 8192\n",
            project: "[context]\nkeep_recent = 30\n")
        let policy = try files.load().contextPolicy()
        #expect(policy.compactionThreshold == 0.6)
        #expect(policy.keepRecentFraction == 0.3)
        #expect(policy.todoReminderEverySteps == 0)
        #expect(policy.window(for: "gpt-4.1") == 500_000)
        #expect(policy.window(for: "local-llama") == 8_192)
        let off = try ConfigFiles(user: "[context]\ncompaction = false\n").load().contextPolicy()
        #expect(off.compactionThreshold == nil)
    }

    @Test("a percentage over 100, or a window that is not a positive integer, names the file, the line and the key")
    func errors() throws {
        let files = try ConfigFiles(project: "[context]\n\ncompaction_threshold = 150\n")
        do {
            _ = try files.load().contextPolicy()
            Issue.record("150% was accepted")
        } catch {
            #expect(error.line == 3 && error.key == "context.compaction_threshold")
            #expect(error.file.hasSuffix(".kode/config.toml"))
            #expect(error.message.contains("at most 100"))
        }
        let window = try ConfigFiles(user: "[context_windows]\nscripted = \"big\"\n")
        #expect(window.error()?.message.contains("'scripted' in [context_windows] must be an integer of at least 1") == true)
    }
}

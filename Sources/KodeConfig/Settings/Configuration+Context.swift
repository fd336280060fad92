import KodeKernel

extension Configuration {
    /// `[context]` and `[context_windows]` as the agents' ``ContextPolicy``. A percentage over
    /// 100 is an error naming where it was set.
    public func contextPolicy() throws(ConfigError) -> ContextPolicy {
        func percent(_ key: String, default value: Int) throws(ConfigError) -> Double {
            guard let entry = self["context", key], let number = entry.value.integer else { return Double(value) / 100 }
            guard number <= 100 else {
                var file = "config", line = 0
                if case .file(let path, let at) = entry.source { (file, line) = (path, at) }
                throw ConfigError(file: file, line: line, key: "context.\(key)",
                                  message: "'\(key)' in [context] is a percentage of the context window: at most 100, not \(number)")
            }
            return Double(number) / 100
        }
        var policy = ContextPolicy()
        let enabled = self["context", "compaction"]?.value.bool ?? true
        let threshold = try percent("compaction_threshold", default: 80)
        policy.compactionThreshold = enabled ? threshold : nil
        policy.keepRecentFraction = try percent("keep_recent", default: 20)
        policy.todoReminderEverySteps = self["context", "todo_reminder_every"]?.value.integer ?? 10
        for (model, entry) in entries(in: "context_windows") {
            if let tokens = entry.value.integer { policy.windowOverrides[model] = tokens }
        }
        return policy
    }
}

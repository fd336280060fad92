import KodeKernel

extension Configuration {
    /// `[workspace] fork_mode`: where a forked agent works unless `--workspace` says.
    public var forkMode: WorkspaceForkMode {
        self["workspace", "fork_mode"]?.value.string.flatMap(WorkspaceForkMode.init(rawValue:)) ?? .copy
    }

    /// `[workspace]` as a new agent's snapshot settings.
    public var workspace: WorkspaceConfig {
        var config = WorkspaceConfig()
        if let megabytes = self["workspace", "max_file_size_mb"]?.value.integer { config.maxFileSize = Int64(megabytes) * 1024 * 1024 }
        config.exclude = self["workspace", "exclude"]?.value.strings ?? []
        config.include = self["workspace", "include"]?.value.strings ?? []
        return config
    }
}

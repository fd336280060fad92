extension ToolRegistry {
    /// Only the tools named in `enabled` (a template's or config's `tools`), in registration
    /// order; names that are not registered are left out. The model is offered these alone, and
    /// a call of any other tool fails as an unknown tool.
    public func restricted(to enabled: [String]) -> ToolRegistry {
        ToolRegistry(names.filter(enabled.contains).compactMap { tool(named: $0) })
    }
}

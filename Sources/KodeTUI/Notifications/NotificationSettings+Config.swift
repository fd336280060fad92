import KodeConfig

extension NotificationSettings {
    /// `[notifications]` of the configuration (the schema has checked the types and choices).
    package init(_ configuration: Configuration) {
        self.init()
        if let v = configuration["notifications", "approval"]?.value.bool { onApproval = v }
        if let v = configuration["notifications", "turn_end"]?.value.bool { onTurnEnd = v }
        if let v = configuration["notifications", "bell"]?.value.bool { bell = v }
        if let v = configuration["notifications", "desktop"]?.value.string, let style = Desktop(rawValue: v) { desktop = style }
    }
}

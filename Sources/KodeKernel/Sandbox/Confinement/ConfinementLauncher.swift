import Foundation

/// Finds `kode-confine`, the launcher that confines a command and then execs it.
package enum ConfinementLauncher {
    /// The executable's file name.
    package static let name = "kode-confine"

    /// `explicit` when given, else `$KODE_CONFINE`, else `kode-confine` beside the running
    /// executable (where `swift build` and an install put it; tests run from the build directory
    /// too). Nil when none of them is an executable file.
    package static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let explicit { return executable(explicit) }
        if let fromEnvironment = environment["KODE_CONFINE"], !fromEnvironment.isEmpty { return executable(fromEnvironment) }
        guard let running = runningExecutable() else { return nil }
        return executable(running.deletingLastPathComponent().appendingPathComponent(name).path)
    }

    private static func executable(_ path: String) -> URL? {
        FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }

    /// `/proc/self/exe` on Linux: `argv[0]` may be a bare name or a symlink elsewhere.
    private static func runningExecutable() -> URL? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        #endif
        return Bundle.main.executableURL
    }
}

import Foundation
import Synchronization

/// What this machine can enforce, as `kode-confine --probe` found it (once per launcher path).
public struct ConfinementSupport: Sendable, Hashable, Codable {
    /// How commands are kept off the network.
    public enum NetworkIsolation: String, Sendable, Hashable, Codable {
        /// A network namespace of their own: no TCP, no UDP, no loopback.
        case namespace
        /// Only Landlock's TCP rules (no namespaces allowed): UDP, and so DNS, still work.
        case landlockTCP = "landlock-tcp"
        /// Not at all.
        case none
    }

    /// The Landlock ABI version the kernel reports; 0 when it has none.
    public var landlockABI: Int
    /// How the network is turned off for commands.
    public var network: NetworkIsolation
    /// Whether a private mount namespace can be made (directly as root, else in a user
    /// namespace): what keeps the store read-only and the host's socket hidden from commands.
    public var mountNamespace: Bool
    /// The launcher found, if any.
    public var launcher: String?
    /// Why commands cannot be confined, when they cannot (nil when they can).
    public var problem: String?

    /// What a machine can enforce, as given (the probe below finds it; tests and other hosts may say it).
    public init(landlockABI: Int, network: NetworkIsolation, mountNamespace: Bool = false, launcher: String? = nil, problem: String? = nil) {
        self.landlockABI = landlockABI
        self.network = network
        self.mountNamespace = mountNamespace
        self.launcher = launcher
        self.problem = problem
    }

    /// True when commands can be confined: a launcher and Landlock.
    public var isAvailable: Bool { problem == nil }

    /// Probes with the launcher `SandboxConfig.launcherPath` (or the default one) names.
    /// `KODE_SANDBOX_UNAVAILABLE=1` in the environment, or `simulateUnavailable`, reports
    /// confinement as unavailable without probing.
    public static func probe(_ config: SandboxConfig = SandboxConfig(), environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfinementSupport {
        if config.simulateUnavailable || environment["KODE_SANDBOX_UNAVAILABLE"] == "1" {
            return ConfinementSupport(landlockABI: 0, network: .none, launcher: nil,
                                      problem: "confinement is switched off for testing (simulated unavailable)")
        }
        guard let launcher = ConfinementLauncher.locate(explicit: config.launcherPath, environment: environment) else {
            let looked = config.launcherPath ?? environment["KODE_CONFINE"] ?? "beside the kode executable"
            return ConfinementSupport(landlockABI: 0, network: .none, launcher: nil,
                                      problem: "the launcher \(ConfinementLauncher.name) was not found (\(looked))")
        }
        return cache.withLock { known in
            if let found = known[launcher.path] { return found }
            let found = run(launcher)
            known[launcher.path] = found
            return found
        }
    }

    private static let cache = Mutex<[String: ConfinementSupport]>([:])

    private static func run(_ launcher: URL) -> ConfinementSupport {
        // CapturedRun, not Foundation's Process: this runs under `cache`'s lock, and a pipe end a
        // concurrently spawned child inherited would keep the read waiting, and with it every
        // agent being created (ConfinementSupport is probed when an agent is made).
        let data: Data
        do {
            data = try CapturedRun.run(launcher.path, ["--probe"]).stdout
        } catch {
            return ConfinementSupport(landlockABI: 0, network: .none, launcher: launcher.path, problem: "\(launcher.path) --probe could not start: \(error)")
        }
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        let abi = values["landlock"].flatMap { Int($0) } ?? 0
        let network = values["network"].flatMap(NetworkIsolation.init(rawValue:)) ?? .none
        let problem: String? = abi > 0 ? nil : "the kernel has no Landlock (needs Linux 5.13 or later with Landlock enabled)"
        return ConfinementSupport(landlockABI: abi, network: network, mountNamespace: values["mount"] == "namespace", launcher: launcher.path, problem: problem)
    }
}

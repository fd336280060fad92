// swift-tools-version: 6.2
import PackageDescription

/// Kode: a stateful agent runtime kernel with a full-screen terminal front end.
///
/// Dependencies point down only: `kode` → `KodeTUI`, `KodeProviders` → `KodeConfig` → `KodeKernel`.
/// `KodeKernel` imports neither HTTP nor ncurses; only `KodeTUI`'s ncurses backend imports
/// `CNcursesShim`.
let package = Package(
    name: "Kode",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KodeKernel", targets: ["KodeKernel"]),
        .library(name: "KodeConfig", targets: ["KodeConfig"]),
        .library(name: "KodeProviders", targets: ["KodeProviders"]),
        .library(name: "KodeTUI", targets: ["KodeTUI"]),
        .library(name: "KodeHost", targets: ["KodeHost"]),
        .library(name: "KodePostgres", targets: ["KodePostgres"]),
        .library(name: "KodeMCP", targets: ["KodeMCP"]),
        .executable(name: "kode", targets: ["kode"]),
        .executable(name: "kode-bench", targets: ["kode-bench"]),
        .executable(name: "kode-confine", targets: ["kode-confine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        // Only the SSE server example uses it; no traits, so swift-configuration is not built.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        // Hummingbird's own dependencies, named for the SSE example's graceful shutdown and back-pressure.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
    ],
    targets: [
        .target(
            name: "KodeKernel",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // The one configuration system (docs/CONFIG.md): TOML files read with TOMLKit, merged key by
        // key, every value with its source. It depends on the kernel (to build SandboxConfig), never
        // the other way, so the kernel stays free of TOMLKit.
        .target(
            name: "KodeConfig",
            dependencies: ["KodeKernel", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "KodeProviders",
            dependencies: [
                "KodeKernel", "KodeConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // No `pkgConfig`: its `-D_XOPEN_SOURCE` cflags are "prohibited flags" to SwiftPM and the
        // Clang importer ignores them anyway. The shim header defines NCURSES_WIDECHAR itself and
        // KodeTUI links the library: a modulemap has no platform conditions.
        .systemLibrary(
            name: "CNcursesShim",
            providers: [.apt(["libncurses-dev"])]
        ),
        // accept4 and SO_PEERCRED need _GNU_SOURCE, which Swift's Glibc module is not built with.
        .target(name: "CHostSupport"),
        .target(
            name: "KodeHost",
            dependencies: ["KodeKernel", "CHostSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // The PostgreSQL store (docs/POSTGRES.md): an `AgentStore` many workers share, with one
        // owner per agent. The kernel never imports it; the CLI picks it from a `postgres://` URL.
        .target(
            name: "KodePostgres",
            dependencies: [
                "KodeKernel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Tools from MCP servers (docs/MCP-AND-SKILLS.md): the MCP Swift SDK's client behind the
        // kernel's Tool protocol, so the kernel itself never imports the SDK.
        .target(
            name: "KodeMCP",
            dependencies: [
                "KodeKernel", "KodeConfig",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KodeTUI",
            dependencies: ["KodeKernel", "KodeConfig", "CNcursesShim"],
            resources: [.copy("Resources/themes")],
            // Linux ships the wide-character build as ncursesw with terminfo split out as tinfo;
            // macOS has one libncurses with the wide API.
            linkerSettings: [
                .linkedLibrary("ncursesw", .when(platforms: [.linux])),
                .linkedLibrary("tinfo", .when(platforms: [.linux])),
                .linkedLibrary("ncurses", .when(platforms: [.macOS])),
            ]
        ),
        .executableTarget(
            name: "kode",
            dependencies: [
                "KodeKernel", "KodeConfig", "KodeProviders", "KodeTUI", "KodeHost", "KodePostgres", "KodeMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The launcher bash_run confines commands through: C, so nothing but a few syscalls run
        // between spawn and exec (docs/PERMISSIONS-AND-TOOLS.md, "The sandbox").
        .executableTarget(name: "kode-confine"),
        .executableTarget(name: "example-scheduler", dependencies: ["KodeKernel", "KodeProviders", "KodeExampleSupport"], path: "Sources/Examples/Scheduler"),
        .executableTarget(
            name: "kode-bench",
            dependencies: [
                "KodeKernel", "KodeProviders", "KodeTUI", "KodeHost", "KodePostgres", "KodeMCP", .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The KODE SDK's "room" example (docs/MULTI-AGENT.md, "Rooms").
        .executableTarget(name: "example-room", dependencies: ["KodeKernel", "KodeProviders", "KodeExampleSupport"], path: "Sources/Examples/Room"),
        // The example programs (README "Examples"): each runs offline on its own canned script
        // with `--scripted`. What they share (model choice, arguments, safe output) is a library.
        .target(
            name: "KodeExampleSupport",
            dependencies: ["KodeKernel", "KodeProviders", "KodeTUI"],
            path: "Sources/Examples/Support"
        ),
        .executableTarget(name: "example-getting-started", dependencies: ["KodeKernel", "KodeExampleSupport"], path: "Sources/Examples/GettingStarted"),
        .executableTarget(name: "example-agent-inbox", dependencies: ["KodeKernel", "KodeExampleSupport"], path: "Sources/Examples/AgentInbox"),
        .executableTarget(name: "example-approval", dependencies: ["KodeKernel", "KodeExampleSupport"], path: "Sources/Examples/Approval"),
        .executableTarget(
            name: "example-sse-server",
            dependencies: [
                "KodeKernel", "KodeExampleSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Examples/SSEServer"
        ),
        .target(
            name: "KodeTestSupport",
            dependencies: [
                "KodeKernel", "KodeHost", "KodePostgres",
                "KodeTUI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "KodeConfigTests", dependencies: ["KodeConfig", "KodeKernel", "KodeTestSupport"]),
        .testTarget(name: "KodeKernelTests", dependencies: ["KodeKernel", "KodeTestSupport"]),
        .testTarget(name: "KodeStoreTests", dependencies: ["KodeKernel", "KodeTestSupport"]),
        .testTarget(
            name: "KodeProvidersTests",
            dependencies: ["KodeProviders", "KodeConfig", "KodeKernel", "KodeTestSupport"]
        ),
        .testTarget(name: "KodeTUITests", dependencies: ["KodeTUI", "KodeConfig", "KodeKernel", "KodeHost", "KodeTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "KodeHostTests", dependencies: ["KodeHost", "KodeKernel", "KodeTestSupport"]),
        .testTarget(name: "KodeMCPTests", dependencies: ["KodeMCP", "KodeKernel", "KodeConfig", "KodeTestSupport"]),
        .testTarget(name: "KodeCLITests", dependencies: ["KodeKernel", "KodeTestSupport", "KodeProviders", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "KodePostgresTests", dependencies: ["KodePostgres", "KodeKernel", "KodeHost", "KodeTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

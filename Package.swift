// swift-tools-version: 6.0
import PackageDescription

// BEGIN GENERATED report plugins: `make plugins` rewrites this list from the folders in plugins/.
// Do not edit by hand; a build whose list disagrees with plugins/ fails and names the command.
let reportPlugins: [String] = [
    "Anniversaries",
    "FundingSummary",
]
// END GENERATED report plugins

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Release executables on Linux link with lld, pack their relative relocations (DT_RELR) and export no
// dynamic symbols: the loader then reads 20 KB of relocations instead of 2.3 MB and no symbol table of
// ours, which keeps a static build's idle RSS down (BENCHMARKS.md). Debug builds and tests link as before.
let executableLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
        .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .executable(name: "herald-plugins", targets: ["herald-plugins"]),
        .library(name: "ReportKit", targets: ["ReportKit"]),
        .library(name: "ReportKitTestKit", targets: ["ReportKitTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The plugin SDK: what operators program against. Foundation only.
        .target(name: "ReportKit", swiftSettings: swiftSettings),
        // Helpers for plugin authors' tests: build snapshots and contexts without a daemon.
        .target(name: "ReportKitTestKit", dependencies: ["ReportKit"], swiftSettings: swiftSettings),
        // Cron, zones, DST, catch-up: pure, no I/O.
        .target(name: "Scheduling", swiftSettings: swiftSettings),
        // Linux timer facilities (timerfd, eventfd) for a scheduler that sleeps until the next fire.
        .systemLibrary(name: "CHeraldSystem"),
        // libcurl, and a small async API over one multi loop for HTTP and SMTP.
        // Not linked: its shim loads libcurl.so.4 with dlopen when the first transfer starts (idle RSS, BENCHMARKS.md).
        .systemLibrary(name: "CCurl"),
        .target(name: "CurlKit", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // Persistence: runs (and later the outbox) in SQLite.
        .target(
            name: "Store",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The snapshot as rows over one string table: what gathering builds and the plugin host reads.
        .target(name: "SnapshotArchive", dependencies: ["ReportKit"], swiftSettings: swiftSettings),
        // Source adapters: CSV, JSON, YAML and 360Giving, local or over HTTP, into a Snapshot, with quarantine.
        .target(
            name: "Gathering",
            dependencies: ["ReportKit", "SnapshotArchive", "CurlKit", "Yams"],
            swiftSettings: swiftSettings
        ),
        // Rendering a Digest for each destination type.
        .target(
            name: "Channels",
            dependencies: [
                "ReportKit", "CurlKit", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // The plugin host's side of the wire protocol, linked into herald-plugins and read by HeraldCore.
        .target(name: "PluginHost", dependencies: ["ReportKit", "SnapshotArchive"], swiftSettings: swiftSettings),
        .target(
            name: "HeraldCore",
            dependencies: [
                "ReportKit", "Scheduling", "Store", "Gathering", "Channels", "PluginHost", "Yams", "CHeraldSystem", "CurlKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The delivery benchmark's ceiling: signed webhooks straight through CurlKit (`make bench` only).
        .executableTarget(
            name: "herald-bench",
            dependencies: ["CurlKit", "Channels", "ReportKit"],
            path: "bench/HeraldBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "herald",
            dependencies: [
                "HeraldCore", "PluginHost", "Scheduling", "Gathering", "Channels", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: executableLinkerSettings
        ),
        .executableTarget(
            name: "herald-plugins",
            dependencies: ["PluginHost", "ReportKit"] + reportPlugins.map { .target(name: $0) },
            swiftSettings: swiftSettings,
            linkerSettings: executableLinkerSettings,
            plugins: ["PluginRegistry"]
        ),
        // Writes the plugin registry of herald-plugins and fails the build when plugins/ and the list above differ.
        .executableTarget(name: "plugin-registry", path: "Sources/PluginRegistryTool", swiftSettings: swiftSettings),
        .plugin(name: "PluginRegistry", capability: .buildTool(), dependencies: ["plugin-registry"]),

        // A plugin host holding misbehaving plugins, for the crash-isolation tests only; never shipped.
        .target(
            name: "MisbehavingPlugins",
            dependencies: ["ReportKit"],
            path: "Tests/Fixtures/MisbehavingPlugins",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "herald-test-plugins",
            dependencies: ["PluginHost", "MisbehavingPlugins"],
            path: "Tests/Fixtures/TestPluginHost",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "ReportKitTests", dependencies: ["ReportKit", "ReportKitTestKit"], swiftSettings: swiftSettings),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        // Helpers the loopback-server tests share (reading a child process's output line by line).
        .target(name: "LoopbackSupport", path: "Tests/LoopbackSupport", swiftSettings: swiftSettings),
        .testTarget(name: "CurlKitTests", dependencies: ["CurlKit", "LoopbackSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ChannelsTests", dependencies: ["Channels", "ReportKit", "CurlKit"], swiftSettings: swiftSettings),
        // Email channels against real servers on loopback: aiosmtpd (STARTTLS, AUTH) and fake email APIs.
        .testTarget(
            name: "EmailTests",
            dependencies: ["Channels", "ReportKit", "CurlKit", "LoopbackSupport", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Servers"],
            swiftSettings: swiftSettings
        ),
        // Mastodon, Bluesky and X against loopback servers that enforce what the real services enforce.
        .testTarget(
            name: "SocialTests",
            dependencies: ["Channels", "ReportKit", "CurlKit", "LoopbackSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StoreTests", dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .testTarget(name: "GatheringTests", dependencies: ["Gathering", "ReportKit", "SnapshotArchive", "CurlKit"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PluginsTests",
            dependencies: ["ReportKit", "ReportKitTestKit", "Gathering"] + reportPlugins.map { .target(name: $0) },
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HeraldCoreTests",
            dependencies: ["HeraldCore", "herald-test-plugins", "herald-plugins", "herald", "LoopbackSupport"],
            swiftSettings: swiftSettings
        ),
    ] + reportPlugins.map {
        .target(name: $0, dependencies: ["ReportKit"], path: "plugins/\($0)", exclude: ["README.md"], swiftSettings: swiftSettings)
    }
)

// swift-tools-version: 6.0
import PackageDescription

// Dependency direction (one way):
// CYAML → WFCYAML → WFCCompiler → WFCIR ← WFCRuntime ← WFCLedger ← WFCStore ← WFCService ← WFCDriver, WFCServer ← wfc;
// WFCScenarios → WFCDriver, WFCLanguageServer.
// WFCLedger (the engine over a CaseRepository: hash chain, idempotency, replay) knows no
// database; WFCStore is the SQLite CaseRepository (GRDB), WFCPostgres the PostgreSQL one (postgres-nio);
// WFCService.StoreLocation opens either from --store. RepositoryConformance is the suite
// every CaseRepository must pass (run against SQLite in WFCStoreTests, PostgreSQL in WFCPostgresTests). WFCService is the typed
// async API the CLI and the HTTP server share.
// WFCDiagnostics and CEL depend on nothing and are used by every phase.
// Release builds let the optimiser inline across our own modules (the compiler's hot paths
// call small accessors of the YAML tree and the diagnostics types).
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "wfc",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wfc", targets: ["wfc"]),
        .library(name: "WFCDiagnostics", targets: ["WFCDiagnostics"]),
        .library(name: "WFCYAML", targets: ["WFCYAML"]),
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "WFCIR", targets: ["WFCIR"]),
        .library(name: "WFCCompiler", targets: ["WFCCompiler"]),
        .library(name: "WFCLedger", targets: ["WFCLedger"]),
        .library(name: "RepositoryConformance", targets: ["RepositoryConformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The HTTP server (`wfc serve`) and its identities, logs, metrics and lifecycle.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The webhook deliverer's HTTP client (on the same SwiftNIO as the server).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The PostgreSQL CaseRepository (WFCPostgres): PostgresClient and its connection pool.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The web task inbox's templates (WFCWeb): logic-less Mustache files, escaped by default.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // multipart/form-data for the draft page's file upload (WFCWeb).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "WFCDiagnostics", swiftSettings: crossModule),
        .target(name: "WFCYAML", dependencies: ["CYAML", "WFCDiagnostics"], swiftSettings: crossModule),
        // The typed state graph: what the compiler emits and the runtime executes. No YAML.
        .target(name: "WFCIR", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: crossModule),
        // Google's Common Expression Language: a standalone library.
        .target(name: "CEL", swiftSettings: crossModule),
        // The case schema as a CEL environment: shared by the compiler and the runtime.
        .target(name: "WFCExpressions", dependencies: ["WFCIR", "CEL", "WFCCalendar"], swiftSettings: crossModule),
        .target(name: "WFCCompiler", dependencies: ["WFCDiagnostics", "WFCYAML", "WFCIR", "CEL", "WFCExpressions", "WFCCalendar"], swiftSettings: crossModule),
        // Executes compiled workflows; depends on the IR, never on YAML.
        .target(name: "WFCRuntime", dependencies: ["WFCIR", "CEL", "WFCExpressions", "WFCCalendar", "WFCDiagnostics"]),
        // Working days: weekends, statutory holidays and make-up working days.
        .target(name: "WFCCalendar", dependencies: ["WFCIR", "WFCDiagnostics"], swiftSettings: crossModule),
        // The case ledger, database-independent: pinned definitions, snapshots, a hash-chained
        // audit log, the task index and the outbox, over the async CaseRepository protocol.
        .target(name: "WFCLedger", dependencies: ["WFCRuntime", "WFCIR", .product(name: "Crypto", package: "swift-crypto")]),
        // The SQLite CaseRepository (GRDB): schema, migrations, transactions, leases.
        .target(
            name: "WFCStore",
            dependencies: ["WFCLedger", "WFCRuntime", "WFCIR", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The PostgreSQL CaseRepository (postgres-nio): versioned migrations, SKIP LOCKED leases.
        .target(
            name: "WFCPostgres",
            dependencies: ["WFCLedger", "WFCRuntime", "WFCIR", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        // `wfc test`'s scenario language: parses scenario files and runs them in memory on the engine.
        .target(name: "WFCScenarios", dependencies: ["WFCDiagnostics", "WFCYAML", "WFCCompiler", "WFCIR", "WFCRuntime", "WFCCalendar"], swiftSettings: crossModule),
        // The conformance suite a CaseRepository backend must pass; a plain library of throwing checks.
        .target(name: "RepositoryConformance", dependencies: ["WFCLedger", "WFCRuntime", "WFCIR"]),
        // The typed async service API shared by the CLI and the HTTP server: no printing, no exit codes, no HTTP.
        .target(
            name: "WFCService",
            dependencies: ["WFCDiagnostics", "WFCYAML", "WFCCompiler", "WFCRuntime", "WFCLedger", "WFCStore", "WFCPostgres", "WFCIR", "WFCCalendar", "WFCMigration"]
        ),
        // `wfc diff`: the semantic difference of two compiled versions of a policy, with each
        // change's impact on running cases.
        .target(name: "WFCDiff", dependencies: ["WFCIR", "WFCDiagnostics"]),
        // Migration plans (`*.migrate.yaml`): read and proved against two compiled versions
        // into a MigrationPlanIR that the runtime applies.
        .target(name: "WFCMigration", dependencies: ["WFCCompiler", "WFCDiff", "WFCYAML", "WFCExpressions", "CEL", "WFCIR", "WFCDiagnostics"]),
        .target(name: "WFCDriver", dependencies: ["WFCDiff", "WFCMigration", "WFCScenarios", "WFCDiagnostics", "WFCYAML", "WFCCompiler", "WFCRuntime", "WFCStore", "WFCCalendar", "WFCService"], swiftSettings: crossModule),
        // `wfc lsp`: the language server, reading and writing through an injected transport.
        .target(name: "WFCLanguageServer", dependencies: ["WFCCompiler", "WFCDiagnostics", "WFCYAML", "WFCScenarios"]),
        // The HTTP front end of WFCService (Hummingbird 2), with bearer-JWT identities.
        .target(
            name: "WFCServer",
            dependencies: [
                "WFCService", "WFCDiagnostics", "WFCLedger", "WFCStore", "WFCIR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The web task inbox served by `wfc serve` (docs/web.md): server-rendered HTML from
        // Mustache templates in files, over WFCService, with session cookies and CSRF tokens.
        .target(
            name: "WFCWeb",
            dependencies: [
                "WFCServer", "WFCService", "WFCLedger", "WFCIR", "WFCRuntime", "WFCCalendar", "WFCDiagnostics", "WFCCompiler",
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates"), .copy("Static")]
        ),
        .executableTarget(
            name: "wfc",
            dependencies: [
                "WFCWeb", "WFCDriver", "WFCScenarios", "WFCDiagnostics", "WFCCompiler", "CEL", "WFCExpressions", "WFCCalendar", "WFCStore", "WFCRuntime",
                "WFCLanguageServer", "WFCService", "WFCServer", "WFCDiff",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "wfc-bench",
            dependencies: ["WFCYAML", "WFCDiagnostics", "WFCDriver", "WFCCompiler", "WFCDiff", "WFCIR", "BenchSupport"],
            path: "Benchmarks/wfc-bench"
        ),
        // Timing, an optimisation barrier and a malloc counter for the benchmark programs.
        .target(name: "BenchSupport", path: "Benchmarks/BenchSupport"),
        .executableTarget(name: "cel-bench", dependencies: ["CEL", "BenchSupport"], path: "Benchmarks/cel-bench"),
        // The rows a ledger wrote, written again by raw SQLite: the same-rows baseline.
        .target(name: "SameRows", dependencies: ["WFCStore", "WFCLedger", "WFCRuntime", .product(name: "GRDB", package: "GRDB.swift")], path: "Benchmarks/SameRows"),
        .executableTarget(
            name: "store-bench",
            dependencies: ["WFCStore", "WFCLedger", "WFCRuntime", "WFCIR", "WFCCompiler", "WFCDiagnostics", "WFCMigration", "SameRows", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/store-bench"
        ),
        // A writer the crash test SIGKILLs; a separate program so that wfc has no test-only command.
        .executableTarget(name: "store-crash-writer", dependencies: ["WFCStore", "WFCRuntime", "WFCIR"], path: "Tests/store-crash-writer"),
        // Paths of the package and of ../shared, for every test target.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "WFCStoreTests",
            dependencies: ["WFCStore", "WFCLedger", "RepositoryConformance", "WFCRuntime", "WFCIR", "store-crash-writer", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Transitions/s and latency through a release `wfc serve` against raw SQLite, same run.
        .executableTarget(
            name: "serve-bench",
            dependencies: ["WFCLedger", "WFCStore", "WFCRuntime", "SameRows", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Benchmarks/serve-bench"
        ),
        // `wfc lsp` latency over pipes against a `wfc check` process on the same text.
        // The PostgreSQL store's figures: transitions against raw PostgreSQL, and reads at scale.
        .executableTarget(
            name: "pg-bench",
            dependencies: ["WFCPostgres", "WFCLedger", "WFCRuntime", "WFCIR", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/pg-bench"
        ),
        .executableTarget(name: "lsp-bench", path: "Benchmarks/lsp-bench"),
        .executableTarget(name: "runtime-bench", dependencies: ["WFCRuntime", "WFCIR", "WFCCalendar", "BenchSupport"], path: "Benchmarks/runtime-bench"),
        .testTarget(
            name: "WFCPostgresTests",
            dependencies: [
                "WFCPostgres", "WFCLedger", "RepositoryConformance", "WFCRuntime", "WFCIR", "WFCService", "TestSupport", "wfc",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "WFCDiagnosticsTests", dependencies: ["WFCDiagnostics"]),
        // Migrations of cases of the real policies, through the SQLite ledger, verified by replay.
        .testTarget(name: "WFCMigrationTests", dependencies: ["WFCMigration", "WFCDiff", "WFCCompiler", "WFCRuntime", "WFCLedger", "WFCStore", "WFCIR", "WFCDiagnostics", "TestSupport"]),
        .testTarget(name: "CELTests", dependencies: ["CEL", "TestSupport"], exclude: ["expected-failures.tsv"]),
        .testTarget(name: "WFCCalendarTests", dependencies: ["WFCCalendar", "WFCIR", "TestSupport"]),
        .testTarget(
            name: "WFCRuntimeTests", dependencies: ["WFCRuntime", "WFCIR", "WFCCalendar", "CEL"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "WFCYAMLTests", dependencies: ["WFCYAML", "WFCDiagnostics", "TestSupport"]),
        .testTarget(name: "WFCCompilerTests", dependencies: ["WFCCompiler", "WFCYAML", "WFCDiagnostics"]),
        .testTarget(
            name: "GoldenTests",
            dependencies: ["WFCMigration", "WFCDriver", "WFCScenarios", "WFCService", "WFCYAML", "WFCDiagnostics", "WFCCompiler", "WFCStore", "WFCRuntime", "WFCDiff", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["yaml", "workflow", "scenario", "store", "config", "ignore", "diff", "migrate"]
        ),
        .testTarget(name: "WFCLanguageServerTests", dependencies: ["WFCLanguageServer", "WFCDiagnostics", "wfc", "TestSupport"]),
        .testTarget(
            name: "WFCServerTests",
            dependencies: [
                "WFCServer", "WFCService", "WFCLedger", "WFCDiagnostics", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WFCWebTests",
            dependencies: [
                "WFCWeb", "WFCServer", "WFCService", "WFCLedger", "WFCIR", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "WFCCLITests",
            dependencies: [
                "wfc", "WFCDriver", "WFCScenarios", "WFCRuntime", "WFCService", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: []
        ),
    ]
)

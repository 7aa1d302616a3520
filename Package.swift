// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "backoffice",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "backoffice", targets: ["backoffice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // property tests of the parsers and the masking rule (tests only)
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C interop, kept in one place: poppler-glib (and cairo, which it brings) for reading menu PDFs.
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev", "libcairo2-dev"])]
        ),
        // libcurl's declarations for the LLM structurer's HTTP; the library is opened with dlopen
        // when a request is made, so no command pays for loading it at start-up (no link line).
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Money, time, errors with exit codes: the vocabulary every module shares.
        .target(name: "BackofficeCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The live service's SQLite file: safe opening, typed read models, the batch_* tables.
        .target(
            name: "LiveDatabase",
            dependencies: [
                "BackofficeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // What every output for people shares: CSV writing with formula defusing, HTML escaping,
        // phone-number masking. Reports and the menu review both use it.
        .target(
            name: "Output",
            dependencies: [
                "BackofficeCore",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The accountant's reports: CSV files and the HTML page of a run.
        .target(
            name: "Reports",
            dependencies: [
                "BackofficeCore", "LiveDatabase", "Output",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Provider exports in, matches and exceptions out.
        .target(
            name: "Reconcile",
            dependencies: [
                "BackofficeCore", "LiveDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Menu PDFs in, structured items out; staging, review, publish.
        .target(
            name: "MenuImport",
            dependencies: [
                "BackofficeCore", "LiveDatabase", "Output", "CPoppler", "CCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The sample generator: a consistent live database, provider exports and menu PDFs.
        .target(
            name: "Samples",
            dependencies: [
                "BackofficeCore", "LiveDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command: argument parsing and printing only.
        .executableTarget(
            name: "backoffice",
            dependencies: [
                "BackofficeCore", "LiveDatabase", "Output", "Reconcile", "Reports", "MenuImport", "Samples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What every test target that runs a program shares: the built command, a process runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BackofficeCoreTests", dependencies: ["TestSupport", "BackofficeCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "LiveDatabaseTests", dependencies: ["TestSupport", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SamplesTests", dependencies: ["TestSupport", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ReconcileTests", dependencies: ["TestSupport", "Reconcile", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Snapshots/ and Labels/ are fixtures the tests read by path, not resources
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Output", "Reports", "Reconcile", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Snapshots"]),
        .testTarget(name: "OutputTests", dependencies: ["TestSupport", "Output", "BackofficeCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "MenuImportTests", dependencies: ["TestSupport", "MenuImport", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Labels"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "BackofficeCore", "LiveDatabase"]),
    ]
)

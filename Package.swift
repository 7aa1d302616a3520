// swift-tools-version:6.0
import PackageDescription

// `menu extract` runs once per menu, so what a process pays before its first page counts. By
// default the compiler names concrete generic types (an array of our structs, a dictionary keyed by
// String) by their mangled names, and the runtime demangles each one, searching every conformance
// in the binary, the first time a process meets it. Direct metadata accessors skip that: about 2.5
// million instructions less per run (scripts/count-menu-instructions), the output the same.
let startUpSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]

// The static Swift runtime's link line exports every symbol of our own modules (`-export-dynamic`),
// about 10,000 names nothing looks up: each library's symbol look-ups at start-up pass through
// that table first. Not exporting them saves about 0.4 ms of every run, measured on `menu extract`.
let startUpLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(configuration: .release)),
]

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
    ],
    targets: [
        // C interop, kept in one place: poppler-glib (and cairo, which it brings) for reading menu PDFs.
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev", "libcairo2-dev"])]
        ),
        // poppler-glib makes a new text device for every page, so a menu filled in an ICC colour
        // space had its lcms transforms built again on every page (a third of an 8-page menu's
        // work). This defines the four lcms entry points poppler calls for that and keeps what lcms
        // built for the process; the executable exports them so libpoppler binds to them first.
        .target(
            name: "CColourCache",
            linkerSettings: [
                .unsafeFlags(["cmsOpenProfileFromMem", "cmsCloseProfile", "cmsCreateTransform", "cmsDeleteTransform"]
                    .flatMap { ["-Xlinker", "--export-dynamic-symbol=\($0)"] }),
            ]
        ),
        // SHA-256 blocks with the x86 SHA extensions: our own C, since Swift cannot reach them.
        .target(name: "CSHA256"),
        // libcurl's declarations for the LLM structurer's HTTP; the library is opened with dlopen
        // when a request is made, so no command pays for loading it at start-up (no link line).
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Money, time, errors with exit codes: the vocabulary every module shares.
        .target(name: "BackofficeCore", dependencies: ["CSHA256"], swiftSettings: startUpSettings),
        // The live service's SQLite file: safe opening, typed read models, the batch_* tables.
        .target(
            name: "LiveDatabase",
            dependencies: [
                "BackofficeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // CSV and HTML primitives (escaping, formula defusing) and the accountant's reports.
        .target(
            name: "Reports",
            dependencies: [
                "BackofficeCore", "LiveDatabase",
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
                "BackofficeCore", "LiveDatabase", "Reports", "CPoppler", "CColourCache", "CCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: startUpSettings
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
                "BackofficeCore", "LiveDatabase", "Reconcile", "Reports", "MenuImport", "Samples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: startUpSettings,
            linkerSettings: startUpLinkerSettings
        ),
        // What every test target that runs a program shares: the built command, a process runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BackofficeCoreTests", dependencies: ["TestSupport", "BackofficeCore"]),
        .testTarget(name: "LiveDatabaseTests", dependencies: ["TestSupport", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SamplesTests", dependencies: ["TestSupport", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ReconcileTests", dependencies: ["TestSupport", "Reconcile", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Snapshots/ and Labels/ are fixtures the tests read by path, not resources
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "Reconcile", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Snapshots"]),
        .testTarget(name: "MenuImportTests", dependencies: ["TestSupport", "MenuImport", "Samples", "LiveDatabase", "BackofficeCore", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Labels"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "BackofficeCore"]),
    ]
)

// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "MeshLineage",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "LineageCore", targets: ["LineageCore"]),
    .library(name: "LineageLoaders", targets: ["LineageLoaders"]),
    .library(name: "LineageReports", targets: ["LineageReports"]),
    .library(name: "LineageRender", targets: ["LineageRender"]),
    .library(name: "LineageSQL", targets: ["LineageSQL"]),
    .library(name: "LineageExplorer", targets: ["LineageExplorer"]),
    .executable(name: "lineage", targets: ["lineage"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
  ],
  targets: [
    // The model, the graph engine and the analyses. No I/O, no Foundation: only Dispatch
    // (two-thread blast radius), Synchronization, the C library and a prefetch hint, all
    // internal imports.
    .target(name: "LineageCore", dependencies: ["CSupport"], swiftSettings: strict),
    // Loaders: mesh spec directories (YAML), graph JSON, dbt manifests (with column lineage
    // from each model's SQL), OpenLineage events, ODCS/ODPS documents and .sql files,
    // producing the model; LoadError when an input cannot be read.
    .target(
      name: "LineageLoaders",
      dependencies: ["LineageCore", "LineageSQL", "CSupport", .product(name: "Yams", package: "Yams")],
      swiftSettings: strict),
    // The SQL front end: tokenizer, parser and column lineage per dialect. Knows
    // nothing of dbt or of files; depends on the core for the lineage vocabulary only.
    .target(name: "LineageSQL", dependencies: ["LineageCore"], swiftSettings: strict),
    // Report formatters: text, JSON, Markdown, SARIF, JUnit XML, SQL lineage, and a mesh as
    // mesh spec files. No I/O.
    .target(
      name: "LineageReports", dependencies: ["LineageCore", "LineageSQL"], swiftSettings: strict),
    // C helpers for what Swift cannot express or reach: a prefetch hint
    // (__builtin_prefetch) for scattered reads in the engine and the report writers
    // (LineageCore's prefetch(at:)), and fallocate's FALLOC_FL_KEEP_SIZE (FileIO.reserve).
    .target(name: "CSupport"),
    // Graphviz (libgvc, libcgraph) as a system library.
    .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
    // Diagrams: views of the model as DOT and Mermaid, laid out and rendered by Graphviz.
    .target(name: "LineageRender", dependencies: ["LineageCore", "CGraphviz"], swiftSettings: strict),
    // The web explorer: one page (HTML, CSS and JavaScript kept as files in Resources/,
    // embedded at build time) over the model's data and Graphviz's SVG, as one offline file
    // or as the page the server serves. SHA-256 (swift-crypto) for its Content-Security-
    // Policy hashes, gzip (compress-nio) for large data.
    .target(
      name: "LineageExplorer",
      dependencies: [
        "LineageCore", "LineageRender", "LineageReports",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "CompressNIO", package: "compress-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      resources: [
        .embedInCode("Resources/explorer.html"), .embedInCode("Resources/explorer.css"),
        .embedInCode("Resources/explorer.js"),
      ],
      swiftSettings: strict),
    // The lineage server (`lineage serve`): OpenLineage events over HTTP (Hummingbird), kept
    // in an event store (SQLite through GRDB, or PostgreSQL through postgres-nio), and the
    // command line's questions answered over HTTP with its JSON; Prometheus metrics.
    .target(
      name: "LineageServer",
      dependencies: [
        "LineageCore", "LineageLoaders", "LineageReports", "LineageRender", "LineageExplorer",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "CompressNIO", package: "compress-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: strict),
    // The `lineage` command: argument parsing and wiring only.
    .executableTarget(
      name: "lineage",
      dependencies: [
        "LineageCore", "LineageLoaders", "LineageReports", "LineageRender", "LineageSQL", "LineageServer",
        "LineageExplorer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    // Seeded generators and property checks for the tests (Tests/Support/PropertyBased):
    // a target of this package, in no product, so that a client resolves no test-only
    // dependency.
    .target(name: "PropertyBased", path: "Tests/Support/PropertyBased", swiftSettings: strict),
    .testTarget(name: "LineageCoreTests", dependencies: ["LineageCore", "PropertyBased"]),
    .testTarget(
      name: "LineageLoadersTests", dependencies: ["LineageLoaders", "LineageCore", "LineageReports", "PropertyBased"],
      exclude: ["Corpus", "DCSPairs"]),
    .testTarget(
      name: "LineageSQLTests",
      dependencies: ["LineageSQL", "LineageCore", "PropertyBased"]),
    .testTarget(name: "LineageReportsTests", dependencies: ["LineageReports", "LineageCore", "PropertyBased"]),
    .testTarget(
      name: "LineageRenderTests", dependencies: ["LineageRender", "LineageCore", "LineageLoaders"],
      exclude: ["Snapshots"]),
    .testTarget(name: "LineageExplorerTests", dependencies: ["LineageExplorer", "LineageCore", "LineageLoaders"]),
    .testTarget(name: "LineageServerTests", dependencies: ["LineageServer", "LineageCore"]),
    .testTarget(
      name: "EndToEndTests", dependencies: ["lineage"], exclude: ["Golden", "Drift"]),
  ],
  swiftLanguageModes: [.v6]
)

// The benchmark driver (Benchmarks/Package.swift) and the fuzz harness
// (Fuzz/Package.swift) are packages of their own that use this one by path, so a client
// of the library resolves neither them nor their dependencies.

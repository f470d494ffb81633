// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

// The benchmark driver in a package of its own, as swift-nio keeps its benchmarks, so
// that a client of the library resolves neither it nor its dependencies. It uses the
// library at the repository's root by path.
let package = Package(
  name: "LineageBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "MeshLineage", path: ".."),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
  ],
  targets: [
    // `make bench`: times the engine on generated inputs and checks every answer.
    .executableTarget(
      name: "lineage-bench",
      dependencies: [
        .product(name: "LineageCore", package: "MeshLineage"),
        .product(name: "LineageLoaders", package: "MeshLineage"),
        .product(name: "LineageSQL", package: "MeshLineage"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "lineage-bench",
      swiftSettings: strict),
    // Smoke runs of the benchmark at its smallest sizes, every answer checked
    // (`make test-tools`); the workflow case runs the root package's `lineage`.
    .testTarget(name: "LineageBenchTests", dependencies: ["lineage-bench"], path: "Tests"),
  ],
  swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

// The fuzz harness in a package of its own, so that a client of the library does not
// resolve it. It uses the library at the repository's root by path.
let package = Package(
  name: "LineageFuzz",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "MeshLineage", path: "..")
  ],
  targets: [
    // `make fuzz` builds it with libFuzzer (-DFUZZING); built normally it replays the
    // inputs of the folders it is given (Fuzz/regressions).
    .executableTarget(
      name: "lineage-fuzz",
      dependencies: [
        .product(name: "LineageCore", package: "MeshLineage"),
        .product(name: "LineageLoaders", package: "MeshLineage"),
        .product(name: "LineageSQL", package: "MeshLineage"),
      ],
      path: "lineage-fuzz",
      swiftSettings: strict),
    // Replays Fuzz/regressions through the harness (`make test-tools`).
    .testTarget(name: "LineageFuzzTests", dependencies: ["lineage-fuzz"], path: "Tests"),
  ],
  swiftLanguageModes: [.v6]
)

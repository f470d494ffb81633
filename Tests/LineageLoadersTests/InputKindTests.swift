import Foundation
import LineageCore
import LineageLoaders
import Testing

/// Every loader says what kind of input it read, so callers branch on a type, not on
/// the wording of `LineageModel.source`.
@Suite struct InputKindTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  @Test func eachLoaderSetsItsKind() throws {
    let corpus = Self.root + "/Tests/LineageLoadersTests/Corpus"
    let cases: [(String, LineageModel.InputKind)] = [
      (Self.root + "/samples/demo", .meshDirectory),
      (Self.root + "/samples/demo/mesh.yaml", .meshDirectory),
      (corpus + "/dbt_jaffle_shop_classic/target/manifest.json", .dbtManifest),
      (corpus + "/dbt_jaffle_shop_classic/target", .dbtManifest),
      (corpus + "/marquez/seed", .openLineage),
      (Self.root + "/samples/sql", .sqlFiles),
      (Self.root + "/samples/sql/marts.sql", .sqlFiles),
    ]
    for (path, kind) in cases {
      let m = try ModelLoader.load(path: path)
      #expect(m.input == kind, "\(path): \(m.input)")
    }
    let merged = try ModelLoader.load(paths: [
      Self.root + "/samples/sql", corpus + "/dbt_jaffle_shop_classic/target/manifest.json",
    ])
    #expect(merged.input == .merged)
  }
}

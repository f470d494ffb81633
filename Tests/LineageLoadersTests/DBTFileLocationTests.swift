import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// Imported dbt nodes are located at their own files (the YAML that documents them,
/// else their SQL), under the project directory the manifest belongs to, so that
/// findings on them name a file.
@Suite struct DBTFileLocationTests {
  /// A manifest with a documented model, an undocumented one, a source, and a model
  /// of an installed package.
  static let manifest = """
    {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "project_name": "shop"},
     "nodes": {
       "model.shop.orders": {"resource_type": "model", "name": "orders", "package_name": "shop",
         "original_file_path": "models/orders.sql", "patch_path": "shop://models/schema.yml",
         "depends_on": {"nodes": ["source.shop.raw.orders"]}},
       "model.shop.plain": {"resource_type": "model", "name": "plain", "package_name": "shop",
         "original_file_path": "models\\\\marts\\\\plain.sql", "depends_on": {"nodes": ["model.shop.orders"]}},
       "model.utils.dates": {"resource_type": "model", "name": "dates", "package_name": "utils",
         "original_file_path": "models/dates.sql"}},
     "sources": {
       "source.shop.raw.orders": {"resource_type": "source", "name": "orders", "source_name": "raw",
         "package_name": "shop", "original_file_path": "models/sources.yml"}}}
    """

  static let schemaYAML = """
    version: 2
    models:
      - name: customers
        columns:
          - name: orders
      - name: "orders"   # the model
        description: One row per order.
    """

  /// Writes a project: `dbt_project.yml` (when asked), `models/schema.yml` and
  /// `target/manifest.json`; returns its directory.
  static func project(withProjectFile: Bool = true) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dbt-files-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/models", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: dir + "/target", withIntermediateDirectories: true)
    if withProjectFile { try Data("name: shop\n".utf8).write(to: URL(fileURLWithPath: dir + "/dbt_project.yml")) }
    try Data(schemaYAML.utf8).write(to: URL(fileURLWithPath: dir + "/models/schema.yml"))
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: dir + "/target/manifest.json"))
    return dir
  }

  static func load(_ file: String) throws -> Mesh {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    return try bytes.withUnsafeBufferPointer { (p) throws(LoadError) in
      try DBTManifestImporter.load(bytes: p, file: file).0
    }
  }

  @Test func nodesAreLocatedAtTheirYAMLOrSQLFile() throws {
    let dir = try Self.project()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let mesh = try Self.load(dir + "/target/manifest.json")
    func node(_ id: String) throws -> MeshNode { try #require(mesh.nodes.first { $0.id == id }) }
    // The YAML that documents it, at the least indented `name: orders` (not the column).
    #expect(
      try node("model.shop.orders").location == SourceLocation(file: dir + "/models/schema.yml", line: 6, column: 5))
    // Undocumented: its SQL file (Windows separators made '/'), line 1.
    #expect(
      try node("model.shop.plain").location == SourceLocation(file: dir + "/models/marts/plain.sql", line: 1, column: 1)
    )
    // A source's own file is YAML; it is not on disk here, so line 1.
    #expect(
      try node("source.shop.raw.orders").location
        == SourceLocation(file: dir + "/models/sources.yml", line: 1, column: 1))
    // An installed package's files are under dbt_packages/.
    #expect(try node("model.utils.dates").location?.file == dir + "/dbt_packages/utils/models/dates.sql")
    // Its reads are in its SQL.
    #expect(try node("model.shop.plain").inputs.map(\.location?.file) == [dir + "/models/marts/plain.sql"])
    // The selector's path stays relative to the project.
    #expect(try node("model.shop.plain").resource?.path == "models/marts/plain.sql")
  }

  @Test func withoutAProjectFileTheManifestsParentIsTheProject() throws {
    let dir = try Self.project(withProjectFile: false)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let mesh = try Self.load(dir + "/target/manifest.json")
    #expect(mesh.nodes.first { $0.id == "model.shop.orders" }?.location?.file == dir + "/models/schema.yml")
    // A manifest beside dbt_project.yml: that directory is the project.
    try Data("name: shop\n".utf8).write(to: URL(fileURLWithPath: dir + "/target/dbt_project.yml"))
    let beside = try Self.load(dir + "/target/manifest.json")
    #expect(
      beside.nodes.first { $0.id == "model.shop.plain" }?.location?.file == dir + "/target/models/marts/plain.sql")
  }

  @Test func theSampleManifestsNodesNameTheirFiles() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let model = try ModelLoader.load(path: root + "/samples/jaffle_shop/target/manifest.json")
    for n in model.mesh.nodes {
      #expect(
        n.location?.file.hasPrefix(root + "/samples/jaffle_shop/") == true, "\(n.id): \(String(describing: n.location))"
      )
    }
    #expect(
      model.mesh.nodes.first { $0.id == "model.jaffle_shop.customers" }?.location?.file
        == root + "/samples/jaffle_shop/models/schema.yml")
    #expect(
      model.mesh.nodes.first { $0.id == "seed.jaffle_shop.raw_orders" }?.location?.file
        == root + "/samples/jaffle_shop/seeds/raw_orders.csv")
  }
}

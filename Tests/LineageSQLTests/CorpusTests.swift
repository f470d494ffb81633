import Foundation
import LineageCore
import Testing
@testable import LineageSQL

/// The shared corpus of real dbt projects, next to the checkout (../shared/corpus).
enum Corpus {
  static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

  static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

  struct Model {
    var id: String
    var resourceType: String
    var sql: String
  }

  /// Every node of a manifest with compiled SQL (`compiled_code`, or `compiled_sql` before v7).
  static func models(_ relative: String) throws -> (adapter: String, models: [Model]) {
    let data = try Data(contentsOf: root.appendingPathComponent(relative))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    let meta = json["metadata"] as? [String: Any] ?? [:]
    let adapter = meta["adapter_type"] as? String ?? "generic"
    var out: [Model] = []
    for (id, value) in json["nodes"] as? [String: Any] ?? [:] {
      guard let node = value as? [String: Any],
            let sql = (node["compiled_code"] as? String) ?? (node["compiled_sql"] as? String) else { continue }
      out.append(Model(id: id, resourceType: node["resource_type"] as? String ?? "", sql: sql))
    }
    out.sort { $0.id < $1.id }
    return (adapter, out)
  }

  /// An SQLSchema from a dbt catalog.json (nodes and sources, columns by index).
  static func schema(_ relative: String) throws -> SQLSchema {
    let data = try Data(contentsOf: root.appendingPathComponent(relative))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    var schema = SQLSchema()
    for section in ["nodes", "sources"] {
      for (_, value) in json[section] as? [String: Any] ?? [:] {
        guard let node = value as? [String: Any], let meta = node["metadata"] as? [String: Any],
              let cols = node["columns"] as? [String: Any] else { continue }
        let parts = [meta["database"] as? String, meta["schema"] as? String, meta["name"] as? String].compactMap { $0 }
        let ordered = cols.values.compactMap { $0 as? [String: Any] }
          .sorted { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }
          .map { SQLSchema.Column(name: $0["name"] as? String ?? "", type: $0["type"] as? String) }
        schema.addTable(parts, columns: ordered)
      }
    }
    return schema
  }
}

@Suite struct CorpusTests {
  static let manifests = [
    "dbt_jaffle_shop_classic/target/manifest.json",
    "dbt_flipside_ethereum_models_2022/docs/manifest.json",
    "dbt_flipside_crosschain_models_2022/docs/manifest.json",
  ]

  @Test(.enabled(if: Corpus.available, "../shared/corpus is absent"), arguments: manifests)
  func everyCompiledModelParses(_ manifest: String) throws {
    let (adapter, models) = try Corpus.models(manifest)
    let dialect = SQLDialect(adapterType: adapter) ?? .generic
    var failed: [String] = []
    var statements = 0
    for m in models {
      let a = SQLLineage.analyze(m.sql, dialect: dialect)
      statements += a.statements.count
      if let e = a.findings.first(where: { $0.rule == "sql-parse" }) {
        failed.append("\(m.id): \(e)")
      }
    }
    print("corpus \(manifest) [\(dialect)]: \(models.count - failed.count) of \(models.count) parse without sql-parse errors, \(statements) statements")
    for f in failed.prefix(30) { print("  \(f)") }
    #expect(failed.isEmpty, "\(failed.count) of \(models.count) models have parse errors")
  }
}

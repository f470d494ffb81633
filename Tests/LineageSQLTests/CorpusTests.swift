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
        let sql = (node["compiled_code"] as? String) ?? (node["compiled_sql"] as? String)
      else { continue }
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
          let cols = node["columns"] as? [String: Any]
        else { continue }
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
    print(
      "corpus \(manifest) [\(dialect)]: \(models.count - failed.count) of \(models.count) parse without sql-parse errors, \(statements) statements"
    )
    for f in failed.prefix(30) { print("  \(f)") }
    #expect(failed.isEmpty, "\(failed.count) of \(models.count) models have parse errors")
  }
}

@Suite struct JaffleShopTests {
  static func customers() throws -> SQLAnalysis {
    let (_, models) = try Corpus.models("dbt_jaffle_shop_classic/target/manifest.json")
    let schema = try Corpus.schema("dbt_jaffle_shop_classic/target/catalog.json")
    let sql = try #require(models.first { $0.id == "model.jaffle_shop.customers" }).sql
    return SQLLineage.analyze(sql, dialect: .duckdb, schema: schema)
  }

  @Test(.enabled(if: Corpus.available, "../shared/corpus is absent"))
  func customersLineageFromTheCatalog() throws {
    let a = try JaffleShopTests.customers()
    #expect(a.findings.isEmpty, "\(a.findings)")
    let s = try #require(a.statements.first)
    #expect(
      s.reads == [
        ["jaffle_shop", "main", "stg_customers"], ["jaffle_shop", "main", "stg_orders"],
        ["jaffle_shop", "main", "stg_payments"],
      ])
    #expect(
      s.columns.map(\.name) == [
        "customer_id", "first_name", "last_name", "first_order", "most_recent_order",
        "number_of_orders", "customer_lifetime_value",
      ])
    #expect(sources(a, "customer_id") == ["jaffle_shop.main.stg_customers.customer_id:identity"])
    #expect(sources(a, "number_of_orders") == ["jaffle_shop.main.stg_orders.order_id:aggregation"])
    #expect(sources(a, "first_order") == ["jaffle_shop.main.stg_orders.order_date:aggregation"])
    #expect(sources(a, "customer_lifetime_value") == ["jaffle_shop.main.stg_payments.amount:aggregation"])
    #expect(
      s.indirect.map(short) == [
        "jaffle_shop.main.stg_customers.customer_id:join", "jaffle_shop.main.stg_orders.customer_id:join",
        "jaffle_shop.main.stg_orders.customer_id:group_by", "jaffle_shop.main.stg_orders.order_id:join",
        "jaffle_shop.main.stg_payments.order_id:join",
      ])
  }

  @Test(.enabled(if: Corpus.available, "../shared/corpus is absent"))
  func everyJaffleModelResolvesAgainstTheCatalog() throws {
    let (_, models) = try Corpus.models("dbt_jaffle_shop_classic/target/manifest.json")
    let schema = try Corpus.schema("dbt_jaffle_shop_classic/target/catalog.json")
    for m in models where m.resourceType == "model" {
      let a = SQLLineage.analyze(m.sql, dialect: .duckdb, schema: schema)
      #expect(a.findings.isEmpty, "\(m.id): \(a.findings)")
      #expect(a.statements.first?.columns.contains { $0.isUnexpandedStar } == false, "\(m.id)")
    }
  }
}

@Suite struct FlipsideCatalogTests {
  /// Every Flipside model resolves against its own catalog.json: no column is
  /// unresolved, and only columns of two joined tables missing from the catalog are
  /// ambiguous.
  @Test(
    .enabled(if: Corpus.available, "../shared/corpus is absent"),
    arguments: [
      (
        "dbt_flipside_ethereum_models_2022/docs/manifest.json", "dbt_flipside_ethereum_models_2022/docs/catalog.json", 0
      ),
      (
        "dbt_flipside_crosschain_models_2022/docs/manifest.json",
        "dbt_flipside_crosschain_models_2022/docs/catalog.json", 7
      ),
    ])
  func modelsResolveAgainstTheirCatalog(_ manifest: String, _ catalog: String, _ ambiguous: Int) throws {
    let (_, models) = try Corpus.models(manifest)
    let schema = try Corpus.schema(catalog)
    var counts: [String: Int] = [:]
    var columns = 0
    for m in models where m.resourceType == "model" {
      let a = SQLLineage.analyze(m.sql, dialect: .snowflake, schema: schema)
      for f in a.findings { counts[f.rule, default: 0] += 1 }
      columns += a.statements.reduce(0) { $0 + $1.columns.count }
    }
    print("catalog \(manifest): \(columns) output columns, findings \(counts)")
    #expect(counts["sql-parse"] == nil && counts["sql-unresolved-column"] == nil)
    #expect(counts["sql-ambiguous-column", default: 0] == ambiguous)
  }
}

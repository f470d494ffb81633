import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// The third-party corpus: `../shared/corpus` beside the checkout when present, else
/// the subset kept in `Tests/LineageLoadersTests/Corpus` (jaffle_shop, Marquez's seed,
/// OpenLineage, ODCS and ODPS examples).
enum Corpus {
  static let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Corpus"
  static let shared: String? = {
    let root =
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().path + "/shared/corpus"
    return FileManager.default.fileExists(atPath: root) ? root : nil
  }()

  /// A corpus folder, from the shared corpus or the bundled subset.
  static func folder(_ name: String) -> String? {
    if let s = shared, FileManager.default.fileExists(atPath: s + "/" + name) { return s + "/" + name }
    let b = bundled + "/" + name
    return FileManager.default.fileExists(atPath: b) ? b : nil
  }

  static var sharedAbsent: Bool { shared == nil }

  /// True when `name` is in the bundled subset, so a test of it always runs.
  static func isBundled(_ name: String) -> Bool { FileManager.default.fileExists(atPath: bundled + "/" + name) }

  /// Why a test of folders only the shared corpus has is skipped.
  static let sharedOnly: Comment = "these corpus folders are only in ../shared/corpus, which is absent"
}

/// One `dbt ls` result: the selector, the indirect selection mode and the ids.
struct Oracle {
  var file: String
  var select: String
  var eager: Bool
  var ids: [String]

  static func all(in folder: String) throws -> [Oracle] {
    let dir = folder + "/oracle"
    return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted().map {
      name in
      let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
      let lines = text.split(separator: "\n").map(String.init)
      let header = lines.first ?? ""
      // "# dbt ls --select '+orders' --indirect-selection empty ..."
      let select =
        header.components(separatedBy: "--select '").dropFirst().first?.components(separatedBy: "'").first ?? ""
      let eager = header.contains("--indirect-selection eager")
      return Oracle(file: name, select: select, eager: eager, ids: lines.dropFirst().filter { !$0.isEmpty })
    }
  }
}

@Suite struct DBTImporterTests {
  static let projects: [(folder: String, manifest: String, nodes: Int)] = [
    ("dbt_jaffle_shop_classic", "target/manifest.json", 28),
    ("dbt_flipside_ethereum_models_2022", "docs/manifest.json", 683),
    ("dbt_flipside_crosschain_models_2022", "docs/manifest.json", 527),
  ]

  func load(_ folder: String, _ manifest: String) throws -> LineageModel {
    try ModelLoader.load(path: folder + "/" + manifest)
  }

  static let bundledProjects = projects.filter { Corpus.isBundled($0.folder) }
  static let sharedProjects = projects.filter { !Corpus.isBundled($0.folder) }

  /// Every oracle of the bundled dbt project: the same ids as `dbt ls`.
  @Test(arguments: bundledProjects.map(\.folder))
  func selectionEqualsDBTLs(_ name: String) throws { try checkSelection(name) }

  /// Every oracle of the dbt projects only the shared corpus has.
  @Test(.enabled(if: !Corpus.sharedAbsent, Corpus.sharedOnly), arguments: sharedProjects.map(\.folder))
  func selectionEqualsDBTLsOnTheSharedCorpus(_ name: String) throws { try checkSelection(name) }

  func checkSelection(_ name: String) throws {
    let folder = try #require(Corpus.folder(name), "\(name) missing although the shared corpus is present")
    let manifest = Self.projects.first { $0.folder == name }!.manifest
    let model = try load(folder, manifest)
    let g = model.graph
    let oracles = try Oracle.all(in: folder)
    #expect(oracles.count == 50)
    for o in oracles {
      let sel = try Selector.parse([o.select], in: g)
      let got = g.listed(g.select(sel), eagerTests: o.eager).nodes.map { g.id($0) }
      #expect(got == o.ids, "\(name)/\(o.file): \(o.select)")
    }
  }

  @Test func jaffleShopModel() throws {
    let folder = try #require(Corpus.folder("dbt_jaffle_shop_classic"))
    let model = try load(folder, "target/manifest.json")
    #expect(model.graph.nodeCount == 28)
    #expect(model.graph.edgeCount == 29)
    #expect(!model.hasLoadErrors)
    let orders = try #require(model.mesh.nodes.first { $0.id == "model.jaffle_shop.orders" })
    #expect(orders.kind == "model")
    #expect(orders.resource?.fqn == ["jaffle_shop", "orders"])
    #expect(orders.resource?.path == "models/orders.sql")
    #expect(
      orders.inputs.map(\.product).sorted() == ["model.jaffle_shop.stg_orders", "model.jaffle_shop.stg_payments"])
    // Types come from catalog.json; the documented columns come first.
    #expect(orders.schema.first?.name == "order_id")
    #expect(orders.schema.allSatisfy { $0.type != nil })
    #expect(orders.provenance.first?.detail == "dbt manifest v12, dbt 1.10.23")
    let seed = try #require(model.mesh.nodes.first { $0.id == "seed.jaffle_shop.raw_orders" })
    #expect(seed.inputs.isEmpty)
  }

  @Test func everyBundledManifestLoads() throws {
    for p in Self.bundledProjects { try checkLoads(p) }
  }

  @Test(.enabled(if: !Corpus.sharedAbsent, Corpus.sharedOnly))
  func everySharedManifestLoads() throws {
    for p in Self.sharedProjects { try checkLoads(p) }
  }

  func checkLoads(_ p: (folder: String, manifest: String, nodes: Int)) throws {
    let folder = try #require(Corpus.folder(p.folder), "\(p.folder) missing")
    let model = try load(folder, p.manifest)
    #expect(model.graph.nodeCount == p.nodes, "\(p.folder)")
    #expect(!model.hasLoadErrors, "\(p.folder): \(model.findings.prefix(3))")
  }

  @Test func selectorMethods() throws {
    let folder = try #require(Corpus.folder("dbt_jaffle_shop_classic"))
    let g = try load(folder, "target/manifest.json").graph
    func ids(_ s: String) throws -> [String] {
      g.listed(g.select(try Selector.parse([s], in: g)), eagerTests: false).nodes.map { g.id($0) }
    }
    #expect(
      try ids("staging") == [
        "model.jaffle_shop.stg_customers", "model.jaffle_shop.stg_orders",
        "model.jaffle_shop.stg_payments",
      ] + (try ids("staging")).filter { $0.hasPrefix("test.") })
    #expect(try ids("path:models/staging").count == (try ids("staging")).count)
    #expect(try ids("jaffle_shop.staging.stg_*") == (try ids("fqn:staging.stg_*")))
    #expect(try ids("jaffle_shop.staging.stg_*").count == 3)
    #expect(try ids("resource_type:seed").count == 3)
    #expect(try ids("package:jaffle_shop").count == 28)
    #expect(try ids("models/orders.sql") == ["model.jaffle_shop.orders"])
    #expect(try ids("orders") == ["model.jaffle_shop.orders"])
  }

  @Test func badManifests() throws {
    func error(_ json: String) -> String {
      let bytes = Array(json.utf8)
      do {
        _ = try bytes.withUnsafeBufferPointer { (p) throws(LoadError) in
          try DBTManifestImporter.load(bytes: p, file: "m.json")
        }
        return "no error"
      } catch {
        return error.description
      }
    }
    #expect(
      error(#"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v3.json"}}"#)
        .contains("older than v4"))
    #expect(error(#"{"metadata": {"dbt_schema_version": "https://example.com/v12"}}"#).contains("unrecognised"))
    #expect(error(#"{"metadata": {}}"#).contains("not a dbt manifest"))
    #expect(
      error(#"{"metadata": {"dbt_schema_version": "x/manifest/v12.json"}, "nodes": {"a": 1"#)
        .contains("m.json:1:"))
    #expect(error("[1, 2]").contains("not an array"))
    // A newer schema loads, with a warning; a resource of the wrong type is a load error.
    let newer = Array(
      #"{"metadata": {"dbt_schema_version": "x/manifest/v13.json"}, "nodes": {"model.p.a": {"resource_type": "model", "name": "a"}, "model.p.b": 7}}"#
        .utf8)
    let (mesh, findings) = try newer.withUnsafeBufferPointer { (p) throws(LoadError) in
      try DBTManifestImporter.load(bytes: p, file: "m.json")
    }
    #expect(mesh.nodes.map(\.id) == ["model.p.a"])
    #expect(findings.map(\.rule) == ["newer-schema", "invalid-type"])
    #expect(
      findings[1].message == #"nodes["model.p.b"] must be an object, got a number"# && findings[1].severity == .error)
    #expect(findings[1].location?.description == "m.json:1:138")
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
    let bytes = Array(deep.utf8)
    #expect(throws: JSONSyntaxError.self) {
      try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in try JSONParser.parse(p) }
    }
  }
}

/// A hand-written v12 manifest with what the corpus lacks: groups with owners,
/// meta, access, deprecation, exposures, metrics, semantic models, saved queries,
/// unit tests, analyses, hooks and disabled nodes.
@Suite struct DBTManifestFeatureTests {
  static let manifest = #"""
    {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "dbt_version": "1.9.0", "project_name": "shop"},
     "groups": {"group.shop.sales": {"name": "sales", "package_name": "shop", "owner": {"name": "Sales Analytics", "email": "sales@x.example"}}},
     "nodes": {
      "model.shop.orders": {"resource_type": "model", "name": "orders", "package_name": "shop", "fqn": ["shop", "marts", "orders"],
        "original_file_path": "models/marts/orders.sql", "group": "sales", "access": "private", "deprecation_date": "2025-01-31T00:00:00Z",
        "config": {"enabled": true, "contract": {"enforced": true}}, "tags": ["finance"],
        "columns": {"id": {"name": "id", "data_type": "bigint", "constraints": [{"type": "primary_key"}]}, "email": {"name": "email", "data_type": "varchar", "meta": {"classification": "PII"}}},
        "depends_on": {"nodes": ["source.shop.raw.orders", "source.shop.raw.orders"]}},
      "model.shop.customers": {"resource_type": "model", "name": "customers", "package_name": "shop", "fqn": ["shop", "marts", "customers"],
        "original_file_path": "models/marts/customers.sql", "config": {"enabled": true, "meta": {"owner": "team-crm", "domain": "crm"}},
        "depends_on": {"nodes": ["model.shop.orders"]}},
      "model.shop.old": {"resource_type": "model", "name": "old", "package_name": "shop", "fqn": ["shop", "old"], "config": {"enabled": false}, "depends_on": {"nodes": []}},
      "analysis.shop.adhoc": {"resource_type": "analysis", "name": "adhoc", "package_name": "shop", "fqn": ["shop", "analysis", "adhoc"], "config": {"enabled": true}, "depends_on": {"nodes": ["model.shop.orders"]}},
      "operation.shop.shop-on-run-start-0": {"resource_type": "operation", "name": "shop-on-run-start-0", "package_name": "shop", "fqn": ["shop", "hooks", "shop-on-run-start-0"], "config": {"enabled": true}, "depends_on": {"nodes": []}}
     },
     "sources": {"source.shop.raw.orders": {"resource_type": "source", "name": "orders", "source_name": "raw", "package_name": "shop",
        "fqn": ["shop", "raw", "orders"], "original_file_path": "models\\sources.yml", "config": {"enabled": true}}},
     "exposures": {"exposure.shop.weekly": {"name": "weekly", "package_name": "shop", "fqn": ["shop", "weekly"], "owner": {"name": "BI", "email": "bi@x.example"},
        "maturity": "high", "url": "https://bi.example/weekly", "depends_on": {"nodes": ["model.shop.customers"]}}},
     "metrics": {"metric.shop.orders": {"name": "orders", "package_name": "shop", "fqn": ["shop", "orders"], "depends_on": {"nodes": ["semantic_model.shop.orders"]}}},
     "semantic_models": {"semantic_model.shop.orders": {"name": "orders", "package_name": "shop", "fqn": ["shop", "orders"], "depends_on": {"nodes": ["model.shop.orders"]}}},
     "saved_queries": {"saved_query.shop.weekly_orders": {"name": "weekly_orders", "package_name": "shop", "fqn": ["shop", "weekly_orders"], "depends_on": {"nodes": ["metric.shop.orders"]}}},
     "unit_tests": {"unit_test.shop.orders.t1": {"name": "t1", "package_name": "shop", "fqn": ["shop", "marts", "orders", "t1"], "depends_on": {"nodes": ["model.shop.orders"]}}}
    }
    """#

  func model() throws -> LineageModel {
    let bytes = Array(Self.manifest.utf8)
    let (mesh, findings) = try bytes.withUnsafeBufferPointer { (p) throws(LoadError) in
      try DBTManifestImporter.load(bytes: p, file: "manifest.json")
    }
    return LineageModel(mesh: mesh, loadFindings: findings, source: "test")
  }

  @Test func resourcesAndAttributes() throws {
    let m = try model()
    #expect(
      m.mesh.nodes.map(\.id).sorted() == [
        "analysis.shop.adhoc", "exposure.shop.weekly", "metric.shop.orders", "model.shop.customers",
        "model.shop.orders",
        "saved_query.shop.weekly_orders", "semantic_model.shop.orders", "source.shop.raw.orders",
        "unit_test.shop.orders.t1",
      ])
    let orders = try #require(m.mesh.nodes.first { $0.id == "model.shop.orders" })
    #expect(orders.domain == "sales" && orders.owner == "Sales Analytics")
    #expect(orders.access == .domain)
    #expect(orders.status == .deprecated && orders.deprecation?.sunset == "2025-01-31")
    #expect(orders.resource?.contractEnforced == true)
    #expect(orders.inputs.map(\.product) == ["source.shop.raw.orders"])  // duplicates collapse
    #expect(orders.schema.first { $0.name == "id" }?.primaryKey == true)
    #expect(orders.schema.first { $0.name == "email" }?.classification == "pii")
    let customers = try #require(m.mesh.nodes.first { $0.id == "model.shop.customers" })
    #expect(customers.domain == "crm" && customers.owner == "team-crm")
    let exposure = try #require(m.mesh.nodes.first { $0.id == "exposure.shop.weekly" })
    #expect(exposure.kind == "exposure" && exposure.owner == "BI" && exposure.criticality == .high)
    #expect(m.mesh.team("Sales Analytics")?.contact == "sales@x.example")
    #expect(m.mesh.nodes.first { $0.id == "source.shop.raw.orders" }?.resource?.path == "models/sources.yml")
    #expect(!m.hasLoadErrors, "\(m.findings)")
  }

  @Test func selectionMethods() throws {
    let g = try model().graph
    func ids(_ s: String) throws -> [String] {
      g.listed(g.select(try Selector.parse([s], in: g)), eagerTests: false).nodes.map { g.id($0) }
    }
    // A bare name matches every resource of that name but sources: the model, the
    // semantic model and the metric called orders.
    #expect(try ids("orders") == ["metric.shop.orders", "model.shop.orders", "semantic_model.shop.orders"])
    #expect(try ids("source:raw") == ["source.shop.raw.orders"])
    #expect(try ids("source:raw.orders+1") == ["model.shop.orders", "source.shop.raw.orders"])
    #expect(try ids("source:shop.raw.*") == ["source.shop.raw.orders"])
    #expect(try ids("exposure:weekly") == ["exposure.shop.weekly"])
    #expect(try ids("metric:orders") == ["metric.shop.orders"])
    #expect(try ids("semantic_model:orders") == ["semantic_model.shop.orders"])
    #expect(try ids("saved_query:weekly_*") == ["saved_query.shop.weekly_orders"])
    #expect(try ids("tag:finance") == ["model.shop.orders"])
    #expect(try ids("path:models/marts") == ["model.shop.customers", "model.shop.orders"])
    #expect(try ids("fqn:shop.marts.*") == ["model.shop.customers", "model.shop.orders", "unit_test.shop.orders.t1"])
    #expect(try ids("resource_type:analysis").isEmpty)  // selected, but dbt ls does not list analyses
    #expect(
      try ids("model.shop.orders+1") == [
        "model.shop.customers", "model.shop.orders", "semantic_model.shop.orders", "unit_test.shop.orders.t1",
      ])
    let eager = g.listed(g.select(try Selector.parse(["customers"], in: g)), eagerTests: true).nodes.map { g.id($0) }
    #expect(eager == ["model.shop.customers"])
    let eagerOrders = g.listed(g.select(try Selector.parse(["+customers"], in: g)), eagerTests: true).nodes.map {
      g.id($0)
    }
    #expect(eagerOrders.contains("unit_test.shop.orders.t1"))
  }
}

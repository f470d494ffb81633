import Foundation
import LineageCore
import Testing

@testable import LineageLoaders

/// Wrong-shaped dbt manifests and catalogs are load errors named by the path of the
/// value and located at it; detection does not depend on key order; tests that name
/// a column read it; dbt's config/access/group/test/version methods select as dbt does.
@Suite struct DBTShapeTests {
  static let head = #"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "#

  func load(_ json: String, file: String = "manifest.json") throws -> (Mesh, [Finding]) {
    let bytes = Array(json.utf8)
    return try bytes.withUnsafeBufferPointer { (p) throws(LoadError) in
      try DBTManifestImporter.load(bytes: p, file: file)
    }
  }

  static let wrongShapes: [(json: String, message: String, at: String)] = [
    (#""nodes": 5}"#, #""nodes" must be an object, got a number"#, "5}"),
    (#""nodes": {"model.p.a": []}}"#, #"nodes["model.p.a"] must be an object, got an array"#, "[]}"),
    (#""nodes": {"model.p.a": {"name": "a"}}}"#, #"nodes["model.p.a"].resource_type is missing"#, #"{"name""#),
    (
      #""nodes": {"model.p.a": {"resource_type": "model", "tags": "x"}}}"#,
      #"nodes["model.p.a"].tags must be an array, got a string"#, #""x"}"#
    ),
    (
      #""nodes": {"model.p.a": {"resource_type": "model", "tags": ["x", 2]}}}"#,
      #"nodes["model.p.a"].tags[1] must be a string, got a number"#, "2]"
    ),
    (
      #""nodes": {"model.p.a": {"resource_type": "model", "depends_on": {"nodes": "model.p.b"}}}}"#,
      #"nodes["model.p.a"].depends_on.nodes must be an array, got a string"#, #""model.p.b"}"#
    ),
    (
      #""nodes": {"model.p.a": {"resource_type": "model", "config": {"enabled": "yes"}}}}"#,
      #"nodes["model.p.a"].config.enabled must be a boolean, got a string"#, #""yes"}"#
    ),
    (
      #""nodes": {"model.p.a": {"resource_type": "model", "columns": {"id": {"name": "id", "data_type": 5}}}}}"#,
      #"nodes["model.p.a"].columns.id.data_type must be a string, got a number"#, "5}"
    ),
    (
      #""nodes": {"model.p.a": {"resource_type": "model", "version": [2]}}}"#,
      #"nodes["model.p.a"].version must be a string or a number, got an array"#, #"{"resource_type""#
    ),
    (#""sources": []}"#, #""sources" must be an object, got an array"#, "[]}"),
    (
      #""groups": {"group.p.g": {"name": "g", "owner": "me"}}}"#,
      #"groups["group.p.g"].owner must be an object, got a string"#, #""me"}"#
    ),
  ]

  @Test(arguments: 0..<wrongShapes.count)
  func wrongShapesAreLocatedLoadErrors(_ i: Int) throws {
    let c = Self.wrongShapes[i]
    let json = Self.head + c.json
    let (_, findings) = try load(json)
    let errors = findings.filter(\.isLoadError)
    #expect(errors.map(\.message) == [c.message], "\(findings)")
    // Located at the offending value (or, for a check of the whole resource, at it).
    let want = json.utf8.count - json.components(separatedBy: c.at).last!.utf8.count - c.at.utf8.count + 1
    #expect(errors.first?.location == SourceLocation(file: "manifest.json", line: 1, column: want), "\(errors)")
  }

  static let manifests = [
    ("dbt_jaffle_shop_classic", "target/manifest.json"),
    ("dbt_flipside_ethereum_models_2022", "docs/manifest.json"),
    ("dbt_flipside_crosschain_models_2022", "docs/manifest.json"),
  ]

  @Test func theBundledCorpusHasNoShapeErrors() throws {
    for (folder, manifest) in Self.manifests where Corpus.isBundled(folder) { try checkNoShapeErrors(folder, manifest) }
  }

  @Test(.enabled(if: !Corpus.sharedAbsent, Corpus.sharedOnly))
  func theSharedCorpusHasNoShapeErrors() throws {
    for (folder, manifest) in Self.manifests where !Corpus.isBundled(folder) {
      try checkNoShapeErrors(folder, manifest)
    }
  }

  func checkNoShapeErrors(_ folder: String, _ manifest: String) throws {
    let dir = try #require(Corpus.folder(folder), "\(folder) missing")
    let model = try ModelLoader.load(path: dir + "/" + manifest)
    #expect(model.findings.loadErrors.isEmpty, "\(folder): \(model.findings.loadErrors.prefix(3))")
  }

  @Test func catalogsAreShapeChecked() throws {
    let dir = NSTemporaryDirectory() + "lineage-catalog-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data((Self.head + #""nodes": {"model.p.a": {"resource_type": "model", "name": "a"}}}"#).utf8)
      .write(to: URL(fileURLWithPath: dir + "/manifest.json"))
    try Data(#"{"nodes": {"model.p.a": {"columns": {"ID": {"name": "ID", "type": 3, "index": 1}}}}}"#.utf8)
      .write(to: URL(fileURLWithPath: dir + "/catalog.json"))
    let model = try ModelLoader.load(path: dir + "/manifest.json")
    let e = try #require(model.findings.loadErrors.first)
    #expect(e.message == #"catalog: nodes["model.p.a"].columns.ID.type must be a string, got a number"#)
    #expect(e.location == SourceLocation(file: dir + "/catalog.json", line: 1, column: 67))
    try Data("{\"nodes\": ".utf8).write(to: URL(fileURLWithPath: dir + "/catalog.json"))
    let truncated = try ModelLoader.load(path: dir + "/manifest.json")
    #expect(truncated.findings.loadErrors.map(\.rule) == ["invalid-catalog"])
  }

  /// `jq -S` and `json.dump(sort_keys=True)` put `metadata` near the end, far past
  /// the first 64 KiB; the manifest is still a manifest.
  @Test func sortedKeysAreStillAManifest() throws {
    let folder = try #require(Corpus.folder("dbt_jaffle_shop_classic"))
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/target/manifest.json"))
    let object = try JSONSerialization.jsonObject(with: data)
    let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    #expect(sorted.count > 1 << 16)
    let path = NSTemporaryDirectory() + "sorted-manifest-" + UUID().uuidString + ".json"
    try sorted.write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = try ModelLoader.load(path: path)
    #expect(model.source.hasPrefix("dbt manifest"))
    #expect(model.graph.nodeCount == 28 && model.findings.loadErrors.isEmpty)
    // A v3 manifest with sorted keys gets the version error, not a graph JSON one.
    var old = try #require(object as? [String: Any])
    var meta = try #require(old["metadata"] as? [String: Any])
    meta["dbt_schema_version"] = "https://schemas.getdbt.com/dbt/manifest/v3.json"
    old["metadata"] = meta
    try JSONSerialization.data(withJSONObject: old, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
    #expect(throws: LoadError.self) { try ModelLoader.load(path: path) }
    do {
      _ = try ModelLoader.load(path: path)
    } catch {
      #expect(error.message.contains("older than v4"))
    }
  }

  /// Graph JSON and events are not taken for manifests by the key scan.
  @Test func detectionLooksAtTopLevelKeysOnly() {
    func isManifest(_ s: String) -> Bool {
      Array(s.utf8).withUnsafeBufferPointer { ModelLoader.isDBTManifest($0) }
    }
    #expect(
      isManifest(#"{"a": {"metadata": 1}, "z": [1, {"x": "}"}], "metadata": {"b": 1, "dbt_schema_version": "v"}}"#))
    #expect(!isManifest(#"{"nodes": [{"id": "metadata"}], "metadata": {"dbt_schema_version": "v"}}"#))
    #expect(!isManifest(#"{"a": {"metadata": {"dbt_schema_version": "v"}}}"#))
    #expect(!isManifest(#"{"metadata": {"dbt_schema_version": 12}}"#))
    #expect(!isManifest(#"{"metadata": "#))
  }

  /// Data tests that name a column read it: dropping it breaks them.
  @Test func testsThatNameAColumnBreakWhenItGoes() throws {
    let folder = try #require(Corpus.folder("dbt_jaffle_shop_classic"))
    let model = try ModelLoader.load(path: folder + "/target/manifest.json")
    let v = try #require(model.graph.index(of: "model.jaffle_shop.stg_customers"))
    let r = try ImpactAnalysis.analyze(model, product: v, column: "customer_id", change: .drop)
    let breaks = r.affected.filter { $0.verdict == .breaks }.map { model.graph.id($0.node) }
    // The tests on the column itself, and (from customers' SQL: an identity and the
    // join key of two CTEs) customers and the tests on its customer_id.
    #expect(
      breaks == [
        "model.jaffle_shop.customers",
        "test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d",
        "test.jaffle_shop.not_null_stg_customers_customer_id.e2cfb1f9aa",
        "test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2",
        "test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1",
        "test.jaffle_shop.unique_stg_customers_customer_id.c7614daada",
      ])
    #expect(r.affected.allSatisfy { $0.verdict == .breaks })
    // relationships(orders.customer_id -> customers.customer_id) reads both columns.
    let rel = try #require(
      model.mesh.nodes.first { $0.id.hasPrefix("test.jaffle_shop.relationships_orders_customer_id") })
    #expect(
      rel.inputs.map { "\($0.product).\($0.columns?.joined() ?? "*")" }.sorted()
        == ["model.jaffle_shop.customers.customer_id", "model.jaffle_shop.orders.customer_id"])
    // A test of an expression is not a column read.
    #expect(DBTManifestImporter.plainColumn("lower(email)") == nil)
    #expect(DBTManifestImporter.plainColumn("\"Order Id\"") == "Order Id")
  }
}

/// dbt's selection methods beyond names and paths, checked against dbt-core's
/// `selector_methods.py` semantics on a manifest that has every case.
@Suite struct DBTMethodTests {
  static let manifest =
    DBTShapeTests.head + #"""
      "nodes": {
        "model.p.a": {"resource_type": "model", "name": "a", "package_name": "p", "fqn": ["p", "a"], "access": "public", "group": "g1",
          "original_file_path": "models/a.sql",
          "config": {"enabled": true, "materialized": "view", "tags": ["nightly", "pii"], "meta": {"owner": "finance"}, "persist_docs": {"relation": true}, "group": "g1"}},
        "model.p.b_v1": {"resource_type": "model", "name": "b", "package_name": "p", "fqn": ["p", "b", "v1"], "version": 1, "latest_version": 2,
          "access": "protected", "original_file_path": "models/b_v1.sql", "config": {"materialized": "table", "threads": 4}},
        "model.p.b_v2": {"resource_type": "model", "name": "b", "package_name": "p", "fqn": ["p", "b", "v2"], "version": 2, "latest_version": 2,
          "access": "private", "original_file_path": "models/b_v2.sql", "config": {"materialized": "table"}},
        "model.p.b_v3": {"resource_type": "model", "name": "b", "package_name": "p", "fqn": ["p", "b", "v3"], "version": "3", "latest_version": 2,
          "original_file_path": "models/b_v3.sql", "config": {"materialized": "table"}},
        "test.p.unique_a_id.1": {"resource_type": "test", "name": "unique_a_id", "package_name": "p", "fqn": ["p", "unique_a_id"],
          "config": {"severity": "ERROR", "group": "g1"}, "test_metadata": {"name": "unique", "kwargs": {"column_name": "id"}},
          "column_name": "id", "attached_node": "model.p.a", "depends_on": {"nodes": ["model.p.a"]}},
        "test.p.assert_positive": {"resource_type": "test", "name": "assert_positive", "package_name": "p", "fqn": ["p", "assert_positive"],
          "config": {"severity": "warn"}, "depends_on": {"nodes": ["model.p.a"]}}
      },
      "sources": {"source.p.raw.t": {"resource_type": "source", "name": "t", "source_name": "raw", "package_name": "p", "fqn": ["p", "raw", "t"],
        "config": {"enabled": true}}},
      "metrics": {"metric.p.m": {"name": "m", "package_name": "p", "fqn": ["p", "m"], "group": "g1", "config": {"group": "g1", "enabled": true}}},
      "unit_tests": {"unit_test.p.a.t_valid": {"name": "t_valid", "package_name": "p", "fqn": ["p", "a", "t_valid"], "depends_on": {"nodes": ["model.p.a"]}}}
      }
      """#

  func ids(_ s: String) throws -> [String] {
    let bytes = Array(Self.manifest.utf8)
    let (mesh, findings) = try bytes.withUnsafeBufferPointer { (p) throws(LoadError) in
      try DBTManifestImporter.load(bytes: p, file: "manifest.json")
    }
    #expect(findings.loadErrors.isEmpty, "\(findings)")
    let g = LineageModel(mesh: mesh, loadFindings: findings, source: "t").graph
    return g.listed(g.select(try Selector.parse([s], in: g)), eagerTests: false).nodes.map { g.id($0) }
  }

  @Test func config() throws {
    #expect(try ids("config.materialized:view") == ["model.p.a"])
    #expect(try ids("config.materialized:table") == ["model.p.b_v1", "model.p.b_v2", "model.p.b_v3"])
    #expect(try ids("config.tags:pii") == ["model.p.a"])  // an element of a list
    #expect(try ids("config.meta.owner:finance") == ["model.p.a"])  // nested keys
    #expect(try ids("config.persist_docs.relation:TRUE") == ["model.p.a"])  // booleans without case
    #expect(try ids("config.enabled:true") == ["model.p.a", "source.p.raw.t"])  // nodes and sources, not metrics
    #expect(try ids("config.threads:4").isEmpty)  // numbers never equal a selector string in dbt
    #expect(try ids("config.severity:error") == ["test.p.unique_a_id.1"])  // severity without case
    #expect(try ids("config.severity:WARN") == ["test.p.assert_positive"])
    #expect(throws: SelectorError.self) { try ids("config:view") }
    #expect(throws: SelectorError.self) { try ids("config..x:view") }
  }

  @Test func accessGroupTestsVersionsUnitTestsFiles() throws {
    #expect(try ids("access:public") == ["model.p.a"])
    #expect(try ids("access:protected") == ["model.p.b_v1"])
    #expect(try ids("access:private") == ["model.p.b_v2"])
    #expect(try ids("group:g1") == ["metric.p.m", "model.p.a", "test.p.unique_a_id.1"])
    #expect(try ids("test_name:unique") == ["test.p.unique_a_id.1"])
    #expect(try ids("test_name:uni*") == ["test.p.unique_a_id.1"])
    #expect(try ids("test_type:generic") == ["test.p.unique_a_id.1"])
    #expect(try ids("test_type:singular") == ["test.p.assert_positive"])
    #expect(try ids("test_type:data") == ["test.p.assert_positive", "test.p.unique_a_id.1"])
    #expect(try ids("test_type:unit") == ["unit_test.p.a.t_valid"])
    #expect(throws: SelectorError.self) { try ids("test_type:integration") }
    #expect(try ids("version:latest") == ["model.p.b_v2"])
    #expect(try ids("version:old") == ["model.p.b_v1"])
    #expect(try ids("version:prerelease") == ["model.p.b_v3"])
    #expect(try ids("version:none") == ["model.p.a"])
    #expect(throws: SelectorError.self) { try ids("version:newest") }
    #expect(try ids("unit_test:t_valid") == ["unit_test.p.a.t_valid"])
    #expect(try ids("unit_test:p.a.*") == ["unit_test.p.a.t_valid"])
    #expect(try ids("file:b_v*.sql") == ["model.p.b_v1", "model.p.b_v2", "model.p.b_v3"])
  }
}

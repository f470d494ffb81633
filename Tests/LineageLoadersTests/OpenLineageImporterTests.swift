import Foundation
import Testing
@testable import LineageCore
@testable import LineageLoaders

@Suite struct OpenLineageImporterTests {
  func edges(_ model: LineageModel) -> [String] {
    let g = model.graph
    var out: [String] = []
    for v in 0..<Int32(g.nodeCount) { for w in g.forward.neighbors(v) { out.append("\(g.id(v)) -> \(g.id(w))") } }
    return out.sorted()
  }

  func load(_ files: [String], _ importer: OpenLineageImporter = OpenLineageImporter()) throws -> LineageModel {
    let (mesh, findings) = try importer.load(files: files)
    return LineageModel(mesh: mesh, loadFindings: findings, source: "test")
  }

  /// Marquez's seed: 13 datasets and the 13 edges its jobs' completed runs give.
  @Test func marquezSeed() throws {
    let folder = try #require(Corpus.folder("marquez"))
    let model = try ModelLoader.load(path: folder + "/seed/metadata.json")
    let ns = "food_delivery:public."
    #expect(model.graph.nodeCount == 13)
    #expect(model.mesh.nodes.allSatisfy { $0.kind == "dataset" && $0.id.hasPrefix(ns) })
    let expected = [
      ("categories", "orders_7_days"), ("menu_items", "orders_7_days"), ("menus", "orders_7_days"),
      ("orders", "orders_7_days"), ("customers", "delivery_7_days"), ("drivers", "delivery_7_days"),
      ("order_status", "delivery_7_days"), ("orders_7_days", "delivery_7_days"), ("restaurants", "delivery_7_days"),
      ("delivery_7_days", "top_delivery_times"), ("delivery_7_days", "discounts"),
      ("customers", "popular_orders_day_of_week"), ("top_delivery_times", "popular_orders_day_of_week"),
    ].map { "\(ns)\($0.0) -> \(ns)\($0.1)" }.sorted()
    #expect(edges(model) == expected)
    // Column lineage and schemas.
    let delivery = try #require(model.mesh.nodes.first { $0.id == ns + "delivery_7_days" })
    #expect(delivery.schema.first { $0.name == "customer_email" }?.from.map { "\($0.product).\($0.column)" } == [ns + "customers.email"])
    #expect(model.findings.contains { $0.rule == "dangling-column-lineage" && $0.message.contains("menu_item_id") })
    #expect(model.findings.contains { $0.rule == "missing-field" && $0.message.contains("schemaURL") })
    #expect(!model.findings.contains { $0.severity == .error && $0.rule != "require-owner" })
    // Each edge names the job and run it was seen in.
    let input = try #require(delivery.inputs.first { $0.product == ns + "customers" })
    #expect(input.provenance.first?.detail?.hasPrefix("job food_delivery:etl_delivery_7_days, run ") == true)
  }

  @Test func legacyColumnLineageAndJobsAsNodes() throws {
    let folder = try #require(Corpus.folder("marquez"))
    let file = folder + "/seed/column-lineage.json"
    let model = try load([file])
    #expect(edges(model) == ["namespace:dataset_a -> namespace:dataset_b", "namespace:dataset_b -> namespace:dataset_c"])
    let b = try #require(model.mesh.nodes.first { $0.id == "namespace:dataset_b" })
    #expect(b.schema.first?.from.first == ColumnRef(product: "namespace:dataset_a", column: "col_a", transform: .identity))
    let jobs = try load([file], OpenLineageImporter(jobsAsNodes: true))
    #expect(edges(jobs) == [
      "job:namespace:job1 -> namespace:dataset_b", "job:namespace:job2 -> namespace:dataset_c",
      "namespace:dataset_a -> job:namespace:job1", "namespace:dataset_b -> job:namespace:job2",
    ])
  }

  /// The apples scenario: jobs that ran twice; the latest run replaces the first
  /// unless history is cumulative.
  @Test func latestRunReplacesEarlierOnes() throws {
    let folder = try #require(Corpus.folder("marquez"))
    let files = OpenLineageImporter.files(at: folder + "/api_test_resources/apples")
    let latest = try load(files)
    #expect(latest.graph.nodeCount == 9)
    #expect(edges(latest).count == 8)
    #expect(edges(latest).contains("backyard:crab.apples -> grandmas.kitchen:apples"))
    #expect(!edges(latest).contains("laurents-orchard:red.delicious -> grandmas.kitchen:apples"))
    let all = try load(files, OpenLineageImporter(history: .cumulative))
    #expect(edges(all).contains("laurents-orchard:red.delicious -> grandmas.kitchen:apples"))
    #expect(Set(edges(all)).isSuperset(of: edges(latest)))
  }

  @Test func runEventsOfOneRunAreMerged() throws {
    let folder = try #require(Corpus.folder("marquez"))
    let files = OpenLineageImporter.files(at: folder + "/api_test_resources/open_lineage/listener")
    #expect(edges(try load(files)).count == 6)
  }

  @Test func everyCorpusEventFileLoads() throws {
    for name in ["marquez", "openlineage"] {
      guard let folder = Corpus.folder(name) else { continue }
      for file in OpenLineageImporter.files(at: folder) where !file.contains("/web_mock_api_data/")
        && !file.contains("/lineage/") && !file.contains("/column_lineage/") && !file.contains("metadata.template")
        && !file.contains("/spec/") || file.hasSuffix("example_full_event.json")
      {
        let model = try ModelLoader.load(path: file)
        #expect(model.source.hasPrefix("OpenLineage events"), "\(file)")
      }
    }
  }

  @Test func eventKindsAndOptionalFields() throws {
    let events = """
      {"eventType": "COMPLETE", "run": {"runId": "r1"}, "job": {"namespace": "n", "name": "j"}, "inputs": [{"namespace": "n", "name": "a", "facets": {"symlinks": {"identifiers": [{"namespace": "hive", "name": "db.a", "type": "TABLE"}]}}}], "outputs": [{"namespace": "n", "name": "b", "facets": {"ownership": {"owners": [{"name": "team:data"}]}, "schema": {"fields": [{"name": "s", "type": "struct", "fields": [{"name": "x", "type": "int"}]}]}}}]}
      {"eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "u", "dataset": {"namespace": "n", "name": "c", "facets": {"documentation": {"description": "C"}}}}
      {"eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "u", "job": {"namespace": "n", "name": "k"}, "inputs": [{"namespace": "hive", "name": "db.a"}], "outputs": [{"namespace": "n", "name": "c"}]}
      {"eventType": "START", "eventTime": "2024-01-02T00:00:00Z", "run": {"runId": "r2"}, "job": {"namespace": "n", "name": "j2"}, "inputs": [{"namespace": "n", "name": "a"}], "outputs": [{"namespace": "n", "name": "z"}]}
      """
    let path = NSTemporaryDirectory() + "ol-\(UUID().uuidString).jsonl"
    try Data(events.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = try ModelLoader.load(path: path)
    // The symlink makes hive:db.a the same dataset as n:a; the job event declares a -> c;
    // the START-only run of j2 does not count, so z has no input.
    #expect(edges(model) == ["n:a -> n:b", "n:a -> n:c"])
    let b = try #require(model.mesh.nodes.first { $0.id == "n:b" })
    #expect(b.owner == "data")
    #expect(b.schema.map(\.name) == ["s", "s.x"])
    #expect(model.mesh.nodes.first { $0.id == "n:c" }?.description == "C")
    let warning = try #require(model.findings.first { $0.rule == "missing-field" })
    #expect(warning.message.contains("eventTime (1 event)") && warning.message.contains("schemaURL (2 events)"))
    #expect(warning.location?.file == path)
  }

  @Test func badInput() throws {
    let dir = NSTemporaryDirectory() + "ol-bad-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let truncated = dir + "/truncated.json"
    try Data("[{\"eventType\": \"COMPLETE\", \"run\": {\"runId\": \"x\"},\n  \"job\": {\"namespace\": ".utf8)
      .write(to: URL(fileURLWithPath: truncated))
    #expect(throws: LoadError.self) { try ModelLoader.load(path: truncated) }
    do {
      _ = try ModelLoader.load(path: truncated)
    } catch {
      #expect(error.description.contains("truncated.json:2:"))
    }
    // Wrong shapes are warnings, and the rest loads.
    let odd = dir + "/odd.json"
    try Data(#"[{"eventType": "COMPLETE", "run": {"runId": 5}, "job": {"namespace": "n"}}, 7, {"eventTime": "x", "dataset": {"namespace": "n", "name": "d"}, "producer": "p"}]"#.utf8)
      .write(to: URL(fileURLWithPath: odd))
    let model = try ModelLoader.load(path: odd)
    #expect(model.mesh.nodes.map(\.id) == ["n:d"])
    #expect(model.findings.filter { $0.rule == "invalid-event" }.count == 3)
  }

  @Test func columnLineageTransformationsMaskingAndDatasetLevelEntries() throws {
    let event = #"""
      {"eventType": "COMPLETE", "eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "u",
       "run": {"runId": "r"}, "job": {"namespace": "n", "name": "j"},
       "inputs": [{"namespace": "n", "name": "people", "facets": {"schema": {"fields": [{"name": "id"}, {"name": "email"}, {"name": "age"}, {"name": "last_name"}]}}}],
       "outputs": [{"namespace": "n", "name": "out", "facets": {"columnLineage": {
         "fields": {
           "id": {"inputFields": [{"namespace": "n", "name": "people", "field": "id", "transformations": [{"type": "DIRECT", "subtype": "IDENTITY"}]}]},
           "email_hash": {"inputFields": [{"namespace": "n", "name": "people", "field": "email", "transformations": [{"type": "DIRECT", "subtype": "TRANSFORMATION", "masking": true}]}]},
           "n": {"inputFields": [{"namespace": "n", "name": "people", "field": "id", "transformations": [{"type": "DIRECT", "subtype": "AGGREGATION"}, {"type": "INDIRECT", "subtype": "GROUP_BY"}]}]}
         },
         "dataset": [{"namespace": "n", "name": "people", "field": "age", "transformations": [{"type": "INDIRECT", "subtype": "FILTER"}]},
                     {"namespace": "n", "name": "people", "field": "last_name", "transformations": [{"type": "INDIRECT", "subtype": "SORT"}]}]
       }}}]}
      """#
    let path = NSTemporaryDirectory() + "ol-cl-\(UUID().uuidString).json"
    try Data(event.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = try ModelLoader.load(path: path)
    let out = try #require(model.mesh.nodes.first { $0.id == "n:out" })
    func refs(_ c: String) -> [String] {
      (out.schema.first { $0.name == c }?.from ?? []).map { "\($0.column):\($0.transform.rawValue)\($0.masked ? ":masked" : "")" }
    }
    #expect(refs("id") == ["id:identity", "age:filter", "last_name:sort"])
    #expect(refs("email_hash") == ["email:transformation:masked", "age:filter", "last_name:sort"])
    #expect(refs("n") == ["id:aggregation", "age:filter", "last_name:sort"])
    #expect(out.schema.first { $0.name == "email_hash" }?.masked == true)
    #expect(!model.hasLoadErrors, "\(model.findings)")
  }

  @Test func instants() {
    #expect(OpenLineageImporter.instant("1970-01-01T00:00:00Z") == 0)
    #expect(OpenLineageImporter.instant("2020-02-22T22:42:42.000Z") == 1_582_411_362)
    #expect(OpenLineageImporter.instant("2020-02-23T08:42:42+10:00") == 1_582_411_362)
    #expect(OpenLineageImporter.instant("2020-02-22T22:42:42.5") == 1_582_411_362.5)
    #expect(OpenLineageImporter.instant("2020-02-22") == 1_582_329_600)
    for bad in ["", "yesterday", "2020-13-01T00:00:00Z", "2020-02-22T22:42:42Zjunk"] {
      #expect(OpenLineageImporter.instant(bad) == nil, "\(bad)")
    }
  }
}

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
    #expect(
      delivery.schema.first { $0.name == "customer_email" }?.from.map { "\($0.product).\($0.column)" } == [
        ns + "customers.email"
      ])
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
    #expect(
      edges(model) == ["namespace:dataset_a -> namespace:dataset_b", "namespace:dataset_b -> namespace:dataset_c"])
    let b = try #require(model.mesh.nodes.first { $0.id == "namespace:dataset_b" })
    // Located at the event whose columnLineage facet it comes from (the second element).
    #expect(
      b.schema.first?.from.first
        == ColumnRef(
          product: "namespace:dataset_a", column: "col_a", transform: .identity,
          location: LineageCore.SourceLocation(file: file, line: 2, column: 5)))
    let jobs = try load([file], OpenLineageImporter(jobsAsNodes: true))
    #expect(
      edges(jobs) == [
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

  /// Every event file of the Marquez and OpenLineage corpora (the bundled subset and
  /// ../shared/corpus) loads as OpenLineage events, and every one the spec considers
  /// valid loads with no load error. Left out: Marquez's API response mocks and lineage
  /// graph nodes (not events), its seed template (`{{RUN_START_TIME}}` placeholders),
  /// and the spec's JSON Schemas and facet fragments.
  @Test func everyValidCorpusEventFileLoadsWithoutLoadErrors() throws {
    // The fluentd proxy's deliberately invalid events (its tests expect them rejected):
    // these break fields the importer reads.
    let invalid = [
      "event_no_run_id.json": "event 1: run.runId is missing",
      "event_invalid_dataset_facet.json": "event 1: outputs[0].facets.ownership.owners[0].name is missing",
      "event_invalid_job_facet.json": "event 1: job.facets.ownership.owners[0].name is missing",
    ]
    // These break facets the importer does not read (parent, dataQualityMetrics,
    // outputStatistics): they load.
    let unreadFacets = [
      "event_invalid_run_facet.json", "event_invalid_input_dataset_facet.json",
      "event_invalid_output_dataset_facet.json",
    ]
    var folders = ["marquez", "openlineage"].map { Corpus.bundled + "/" + $0 }
    if let shared = Corpus.shared { folders += ["marquez", "openlineage"].map { shared + "/" + $0 } }
    var checked = 0, rejected = 0, unread = 0
    for folder in folders where FileManager.default.fileExists(atPath: folder) {
      for file in OpenLineageImporter.files(at: folder)
      where !file.contains("/web_mock_api_data/")
        && !file.contains("/lineage/") && !file.contains("/column_lineage/") && !file.contains("metadata.template")
        && !file.contains("/spec/") || file.hasSuffix("example_full_event.json")
      {
        let model = try ModelLoader.load(path: file)
        #expect(model.source.hasPrefix("OpenLineage events"), "\(file)")
        let name = (file as NSString).lastPathComponent
        if let message = invalid[name] {
          #expect(model.findings.loadErrors.map(\.message) == [message], "\(file)")
          #expect(
            model.findings.loadErrors.allSatisfy {
              $0.location == LineageCore.SourceLocation(file: file, line: 1, column: 1)
            })
          rejected += 1
        } else {
          #expect(model.findings.loadErrors.isEmpty, "\(file): \(model.findings.loadErrors)")
          #expect(!model.hasLoadErrors, "\(file): \(model.findings.filter { $0.severity == .error })")
          if unreadFacets.contains(name) { unread += 1 }
          checked += 1
        }
      }
    }
    #expect(checked >= 25 && rejected >= 3 && unread >= 3, "\(checked) \(rejected) \(unread)")
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
    // Wrong shapes are load errors, each located at its event; the rest is still read,
    // so that validate lists them all.
    let odd = dir + "/odd.json"
    try Data(
      #"[{"eventType": "COMPLETE", "run": {"runId": 5}, "job": {"namespace": "n"}}, 7, {"eventTime": "x", "dataset": {"namespace": "n", "name": "d"}, "producer": "p"}]"#
        .utf8
    )
    .write(to: URL(fileURLWithPath: odd))
    let model = try ModelLoader.load(path: odd)
    #expect(model.mesh.nodes.map(\.id) == ["n:d"])
    let errors = model.findings.loadErrors.map { "\($0.location?.description ?? "-") \($0.rule) \($0.message)" }
    #expect(
      errors == [
        "\(odd):1:2 invalid-event event 1: job.name is missing",
        "\(odd):1:2 invalid-type event 1: run.runId must be a string, got a number",
        "\(odd):1:77 invalid-type event 2: an event must be an object, got a number",
        "\(odd):1:80 invalid-value event 3: \"eventTime\" must be an ISO 8601 date-time, got 'x'",
      ])
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
      (out.schema.first { $0.name == c }?.from ?? []).map {
        "\($0.column):\($0.transform.rawValue)\($0.masked ? ":masked" : "")"
      }
    }
    #expect(refs("id") == ["id:identity", "age:filter", "last_name:sort"])
    #expect(refs("email_hash") == ["email:transformation:masked", "age:filter", "last_name:sort"])
    #expect(refs("n") == ["id:aggregation", "age:filter", "last_name:sort"])
    #expect(out.schema.first { $0.name == "email_hash" }?.masked == true)
    #expect(!model.hasLoadErrors, "\(model.findings)")
  }

  // MARK: wrong shapes are load errors

  /// A file of `lines` (NDJSON), loaded; the file is removed afterwards.
  func loadLines(_ lines: [String], name: String = "events.jsonl") throws -> (LineageModel, String) {
    let dir = NSTemporaryDirectory() + "ol-shape-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/" + name
    try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    return (try ModelLoader.load(path: path), path)
  }

  static let head = #""eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "u""#
  static let good =
    #"{"eventType": "COMPLETE", \#(head), "run": {"runId": "r0"}, "job": {"namespace": "n", "name": "j0"}, "inputs": [{"namespace": "n", "name": "a"}], "outputs": [{"namespace": "n", "name": "b"}]}"#

  /// A RunEvent of job `j` with `inputs` and `outputs` as given (JSON text).
  static func run(
    _ inputs: String = #"[{"namespace": "n", "name": "a"}]"#, _ outputs: String = #"[{"namespace": "n", "name": "c"}]"#,
    job: String = #"{"namespace": "n", "name": "j"}"#, run: String = #"{"runId": "r1"}"#,
    type: String = #""COMPLETE""#
  ) -> String {
    #"{"eventType": \#(type), \#(head), "run": \#(run), "job": \#(job), "inputs": \#(inputs), "outputs": \#(outputs)}"#
  }

  /// A RunEvent whose output `n:c` has `facets` (JSON text).
  static func output(_ facets: String) -> String {
    run(#"[{"namespace": "n", "name": "a"}]"#, #"[{"namespace": "n", "name": "c", "facets": \#(facets)}]"#)
  }

  static func lineage(_ inputField: String) -> String {
    output(#"{"columnLineage": {"fields": {"x": {"inputFields": [\#(inputField)]}}}}"#)
  }

  /// One wrong-shaped event per case: its rule and message, without the `event 2: ` prefix.
  static let shapes: [(String, String, String)] = [
    // The event and its parts.
    (#""run""#, "invalid-type", "an event must be an object, got a string"),
    (
      #"{"eventType": 5, \#(head), "run": {"runId": "r"}, "job": {"namespace": "n", "name": "j"}}"#, "invalid-type",
      #""eventType" must be a string, got a number"#
    ),
    (
      run(type: #""COMPLETED""#), "invalid-value",
      #""eventType" must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER, got 'COMPLETED'"#
    ),
    (
      #"{"eventType": "COMPLETE", "eventTime": true, "run": {"runId": "r"}, "job": {"namespace": "n", "name": "j"}}"#,
      "invalid-type", #""eventTime" must be a string, got a boolean"#
    ),
    (
      #"{"eventType": "COMPLETE", "eventTime": "yesterday", "run": {"runId": "r"}, "job": {"namespace": "n", "name": "j"}}"#,
      "invalid-value", #""eventTime" must be an ISO 8601 date-time, got 'yesterday'"#
    ),
    (run(run: #""r1""#), "invalid-type", #""run" must be an object, got a string"#),
    (run(run: #"{"runId": 7}"#), "invalid-type", "run.runId must be a string, got a number"),
    (run(run: #"{"facets": {}}"#), "invalid-event", "run.runId is missing"),
    (run(job: "[]"), "invalid-type", #""job" must be an object, got an array"#),
    (
      #"{"eventType": "COMPLETE", \#(head), "run": {"runId": "r"}, "inputs": []}"#, "invalid-event",
      #""job" is missing"#
    ),
    (run(job: #"{"namespace": 1, "name": "j"}"#), "invalid-type", "job.namespace must be a string, got a number"),
    (run(job: #"{"namespace": "n"}"#), "invalid-event", "job.name is missing"),
    (run(job: #"{"namespace": "n", "name": ""}"#), "invalid-value", "job.name must not be empty"),
    (
      run(job: #"{"namespace": "n", "name": "j", "facets": []}"#), "invalid-type",
      "job.facets must be an object, got an array"
    ),
    (
      run(job: #"{"namespace": "n", "name": "j", "facets": {"ownership": {"owners": 1}}}"#), "invalid-type",
      "job.facets.ownership.owners must be an array, got a number"
    ),
    (
      run(job: #"{"namespace": "n", "name": "j", "facets": {"documentation": {"description": ["d"]}}}"#),
      "invalid-type", "job.facets.documentation.description must be a string, got an array"
    ),
    // Datasets.
    (run(#""x""#), "invalid-type", #""inputs" must be an array, got a string"#),
    (run(#"[{"namespace": "n", "name": "a"}]"#, "{}"), "invalid-type", #""outputs" must be an array, got an object"#),
    (run("[3]"), "invalid-type", "inputs[0] must be an object, got a number"),
    (run(#"[{"namespace": "n", "name": 3}]"#), "invalid-type", "inputs[0].name must be a string, got a number"),
    (run(#"[{"namespace": "n"}]"#), "invalid-event", "inputs[0].name is missing"),
    (run(#"[{"name": "a"}]"#), "invalid-event", "inputs[0].namespace is missing"),
    (run(#"[{"namespace": "n", "name": ""}]"#), "invalid-value", "inputs[0].name must not be empty"),
    (
      run(#"[{"namespace": "n", "name": "a", "facets": []}]"#), "invalid-type",
      "inputs[0].facets must be an object, got an array"
    ),
    (#"{\#(head), "dataset": "n:d"}"#, "invalid-type", #""dataset" must be an object, got a string"#),
    (#"{\#(head), "dataset": {"name": "d"}}"#, "invalid-event", "dataset.namespace is missing"),
    (
      #"{\#(head), "dataset": {"namespace": "n", "name": "d", "facets": {"schema": {"fields": 1}}}}"#, "invalid-type",
      "dataset.facets.schema.fields must be an array, got a number"
    ),
    (
      #"{\#(head), "job": {"namespace": "n", "name": "k"}, "inputs": "x"}"#, "invalid-type",
      #""inputs" must be an array, got a string"#
    ),
    (#"{\#(head), "job": {"namespace": "n"}, "inputs": []}"#, "invalid-event", "job.name is missing"),
    (
      #"{\#(head), "producer": "p"}"#, "invalid-event",
      #"an object with neither "run", "dataset" nor "job" is not an OpenLineage event"#
    ),
    // Facets.
    (output(#"{"schema": "x"}"#), "invalid-type", "outputs[0].facets.schema must be an object, got a string"),
    (
      output(#"{"schema": {"_deleted": "yes", "fields": []}}"#), "invalid-type",
      "outputs[0].facets.schema._deleted must be a boolean, got a string"
    ),
    (
      output(#"{"schema": {"fields": {}}}"#), "invalid-type",
      "outputs[0].facets.schema.fields must be an array, got an object"
    ),
    (
      output(#"{"schema": {"fields": ["id"]}}"#), "invalid-type",
      "outputs[0].facets.schema.fields[0] must be an object, got a string"
    ),
    (
      output(#"{"schema": {"fields": [{"name": 1}]}}"#), "invalid-type",
      "outputs[0].facets.schema.fields[0].name must be a string, got a number"
    ),
    (
      output(#"{"schema": {"fields": [{"type": "int"}]}}"#), "invalid-event",
      "outputs[0].facets.schema.fields[0].name is missing"
    ),
    (
      output(#"{"schema": {"fields": [{"name": "a"}, {"name": "s", "fields": [{"name": "x", "type": 4}]}]}}"#),
      "invalid-type", "outputs[0].facets.schema.fields[1].fields[0].type must be a string, got a number"
    ),
    (
      output(#"{"schema": {"fields": [{"name": "s", "fields": {"name": "x"}}]}}"#), "invalid-type",
      "outputs[0].facets.schema.fields[0].fields must be an array, got an object"
    ),
    (
      output(#"{"schema": {"fields": [{"name": "s", "description": false}]}}"#), "invalid-type",
      "outputs[0].facets.schema.fields[0].description must be a string, got a boolean"
    ),
    (
      output(#"{"columnLineage": {"fields": []}}"#), "invalid-type",
      "outputs[0].facets.columnLineage.fields must be an object, got an array"
    ),
    (
      output(#"{"columnLineage": {"fields": {"a.b": 1}}}"#), "invalid-type",
      #"outputs[0].facets.columnLineage.fields["a.b"] must be an object, got a number"#
    ),
    (
      output(#"{"columnLineage": {"fields": {"x": {"inputFields": {}}}}}"#), "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.inputFields must be an array, got an object"
    ),
    (
      output(#"{"columnLineage": {"fields": {"x": {"transformationType": "IDENTITY"}}}}"#), "invalid-event",
      "outputs[0].facets.columnLineage.fields.x.inputFields is missing"
    ),
    (
      output(#"{"columnLineage": {"fields": {"x": {"inputFields": [], "transformationType": 1}}}}"#), "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.transformationType must be a string, got a number"
    ),
    (
      lineage(#""n:a.id""#), "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0] must be an object, got a string"
    ),
    (
      lineage(#"{"namespace": "n", "name": "a", "field": 1}"#), "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0].field must be a string, got a number"
    ),
    (
      lineage(#"{"namespace": "n", "name": "a"}"#), "invalid-event",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0].field is missing"
    ),
    (
      lineage(#"{"namespace": "n", "field": "id"}"#), "invalid-event",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0].name is missing"
    ),
    (
      lineage(#"{"namespace": "n", "name": "a", "field": "id", "transformations": "DIRECT"}"#), "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0].transformations must be an array, got a string"
    ),
    (
      lineage(
        #"{"namespace": "n", "name": "a", "field": "id", "transformations": [{"type": "DIRECT", "masking": "yes"}]}"#),
      "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0].transformations[0].masking must be a boolean, got a string"
    ),
    (
      lineage(#"{"namespace": "n", "name": "a", "field": "id", "transformations": [{"type": ["DIRECT"]}]}"#),
      "invalid-type",
      "outputs[0].facets.columnLineage.fields.x.inputFields[0].transformations[0].type must be a string, got an array"
    ),
    (
      output(#"{"columnLineage": {"fields": {}, "dataset": {}}}"#), "invalid-type",
      "outputs[0].facets.columnLineage.dataset must be an array, got an object"
    ),
    (
      output(#"{"columnLineage": {"fields": {}, "dataset": [{"namespace": "n", "name": "a", "field": 2}]}}"#),
      "invalid-type", "outputs[0].facets.columnLineage.dataset[0].field must be a string, got a number"
    ),
    (
      output(#"{"ownership": {"owners": "team:crm"}}"#), "invalid-type",
      "outputs[0].facets.ownership.owners must be an array, got a string"
    ),
    (
      output(#"{"ownership": {"owners": [{"name": 1}]}}"#), "invalid-type",
      "outputs[0].facets.ownership.owners[0].name must be a string, got a number"
    ),
    (
      output(#"{"ownership": {"owners": [{"type": "MAINTAINER"}]}}"#), "invalid-event",
      "outputs[0].facets.ownership.owners[0].name is missing"
    ),
    (
      output(#"{"documentation": {"description": 1}}"#), "invalid-type",
      "outputs[0].facets.documentation.description must be a string, got a number"
    ),
    (
      output(#"{"symlinks": {"identifiers": {}}}"#), "invalid-type",
      "outputs[0].facets.symlinks.identifiers must be an array, got an object"
    ),
    (
      output(#"{"symlinks": {"identifiers": [{"namespace": "hive", "name": 1, "type": "TABLE"}]}}"#), "invalid-type",
      "outputs[0].facets.symlinks.identifiers[0].name must be a string, got a number"
    ),
    (
      output(#"{"symlinks": {"identifiers": [{"name": "db.c", "type": "TABLE"}]}}"#), "invalid-event",
      "outputs[0].facets.symlinks.identifiers[0].namespace is missing"
    ),
    (
      output(#"{"lifecycleStateChange": {"lifecycleStateChange": 1}}"#), "invalid-type",
      "outputs[0].facets.lifecycleStateChange.lifecycleStateChange must be a string, got a number"
    ),
    (
      output(#"{"lifecycleStateChange": {"lifecycleStateChange": "DROPPED"}}"#), "invalid-value",
      "outputs[0].facets.lifecycleStateChange.lifecycleStateChange must be one of ALTER, CREATE, DROP, OVERWRITE, RENAME, TRUNCATE, got 'DROPPED'"
    ),
  ]

  /// Each wrong-shaped field is one load error, with its rule, its path and what was
  /// found, located at the line of its event; the good event before it still loads.
  @Test(arguments: shapes)
  func wrongShapesAreLoadErrors(_ event: String, _ rule: String, _ message: String) throws {
    let (model, path) = try loadLines([Self.good, event])
    let errors = model.findings.loadErrors
    #expect(errors.count == 1, "\(event): \(errors)")
    let e = try #require(errors.first)
    #expect(e.rule.rawValue == rule && e.severity == .error)
    #expect(e.message == "event 2: " + message)
    #expect(e.location == LineageCore.SourceLocation(file: path, line: 2, column: 1))
    #expect(edges(model).contains("n:a -> n:b"))
  }

  /// `null` stands for a missing optional value; other fields of other types, and fields
  /// the importer does not read, are not checked.
  @Test func nullAndUnreadFieldsAreFine() throws {
    let (model, _) = try loadLines([
      Self.run(job: #"{"namespace": "n", "name": "j", "facets": null}"#),
      Self.output(
        #"{"schema": {"fields": [{"name": "a", "type": null, "ordinal_position": "one"}]}, "dataSource": 5, "ownership": null}"#
      ),
      #"{"eventType": "COMPLETE", \#(Self.head), "run": {"runId": "r9", "facets": {"parent": 1}}, "job": {"namespace": "n", "name": "k"}, "inputs": null, "outputs": [{"namespace": "n", "name": "d", "inputFacets": 3, "outputFacets": []}]}"#,
    ])
    #expect(model.findings.loadErrors.isEmpty, "\(model.findings.loadErrors)")
  }

  /// Events of a JSON array are located at their own element, with its column.
  @Test func eventsOfAnArrayAreLocatedAtTheirElement() throws {
    let text = """
      [
        \(Self.good),
        {"eventType": "COMPLETE", \(Self.head),
         "run": {"runId": "r1"}, "job": {"namespace": "n", "name": "j"}, "inputs": "x"},   {"eventType": "COMPLETE",
         "run": {"runId": "r2"}, "job": {"namespace": "n"}}
      ]
      """
    let dir = NSTemporaryDirectory() + "ol-array-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/events.json"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let model = try ModelLoader.load(path: path)
    let errors = model.findings.loadErrors.map { "\($0.location!): \($0.message)" }
    let second = position(of: "{\"eventType\": \"COMPLETE\", \"eventTime\"", in: text, occurrence: 2)
    let third = position(of: "{\"eventType\": \"COMPLETE\"", in: text, occurrence: 3)
    #expect(second == (3, 3))
    #expect(third.line == 4)
    #expect(
      errors == [
        "\(path):3:3: event 2: \"inputs\" must be an array, got a string",
        "\(path):4:\(third.column): event 3: job.name is missing",
      ])
  }

  // MARK: a job that reads and writes its output (Spark MERGE INTO)

  /// Three Spark runs, in the shape openlineage-spark gives them (a Delta
  /// `MERGE INTO` plan: the target is both read and written, and its column lineage
  /// names the target's own `event_id`): an ingest writes `updates`, the MERGE folds
  /// `updates` into `events` (START and COMPLETE), and a daily job reads `events`.
  static let sparkMerge = #"""
    [
    {"eventTime": "2025-03-04T10:00:05.112Z", "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.28.0/integration/spark",
     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", "eventType": "COMPLETE",
     "run": {"runId": "01956a2e-2c10-7d61-9d3e-5a4c2b0e0001",
             "facets": {"processing_engine": {"_producer": "https://github.com/OpenLineage/OpenLineage/tree/1.28.0/integration/spark",
                                              "_schemaURL": "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet",
                                              "version": "3.5.4", "name": "spark", "openlineageAdapterVersion": "1.28.0"}}},
     "job": {"namespace": "spark_jobs", "name": "events_pipeline.execute_insert_into_hadoop_fs_relation_command.tmp_delta_updates",
             "facets": {"jobType": {"processingType": "BATCH", "integration": "SPARK", "jobType": "SQL_JOB"}}},
     "inputs": [{"namespace": "file", "name": "/data/raw/updates.csv",
                 "facets": {"dataSource": {"name": "file", "uri": "file"},
                            "schema": {"fields": [{"name": "event_id", "type": "long"}, {"name": "updated_at", "type": "long"}]}}}],
     "outputs": [{"namespace": "file", "name": "/tmp/delta/updates",
                  "facets": {"dataSource": {"name": "file", "uri": "file"},
                             "schema": {"fields": [{"name": "event_id", "type": "long"}, {"name": "updated_at", "type": "long"}]},
                             "columnLineage": {"fields": {
                               "event_id": {"inputFields": [{"namespace": "file", "name": "/data/raw/updates.csv", "field": "event_id",
                                                             "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false}]}]},
                               "updated_at": {"inputFields": [{"namespace": "file", "name": "/data/raw/updates.csv", "field": "updated_at",
                                                               "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false}]}]}}}},
                  "outputFacets": {"outputStatistics": {"rowCount": 3, "size": 1204}}}]},
    {"eventTime": "2025-03-04T10:01:00.210Z", "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.28.0/integration/spark",
     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", "eventType": "START",
     "run": {"runId": "01956a2e-2c10-7d61-9d3e-5a4c2b0e0002"},
     "job": {"namespace": "spark_jobs", "name": "events_pipeline.execute_merge_into_command_edge.tmp_delta_events",
             "facets": {"jobType": {"processingType": "BATCH", "integration": "SPARK", "jobType": "SQL_JOB"},
                        "sql": {"query": "MERGE INTO delta.`/tmp/delta/events` AS target USING delta.`/tmp/delta/updates` AS source ON target.event_id = source.event_id WHEN MATCHED THEN UPDATE SET target.last_updated_at = source.updated_at WHEN NOT MATCHED THEN INSERT (event_id, last_updated_at) VALUES (source.event_id, source.updated_at)"}}},
     "inputs": [], "outputs": []},
    {"eventTime": "2025-03-04T10:01:04.872Z", "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.28.0/integration/spark",
     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", "eventType": "COMPLETE",
     "run": {"runId": "01956a2e-2c10-7d61-9d3e-5a4c2b0e0002",
             "facets": {"spark_properties": {"properties": {"spark.master": "local[*]", "spark.app.name": "events_pipeline"}}}},
     "job": {"namespace": "spark_jobs", "name": "events_pipeline.execute_merge_into_command_edge.tmp_delta_events",
             "facets": {"jobType": {"processingType": "BATCH", "integration": "SPARK", "jobType": "SQL_JOB"}}},
     "inputs": [{"namespace": "file", "name": "/tmp/delta/updates",
                 "facets": {"dataSource": {"name": "file", "uri": "file"},
                            "schema": {"fields": [{"name": "event_id", "type": "long"}, {"name": "updated_at", "type": "long"}]}}},
                {"namespace": "file", "name": "/tmp/delta/events",
                 "facets": {"dataSource": {"name": "file", "uri": "file"}, "version": {"datasetVersion": "1"},
                            "schema": {"fields": [{"name": "event_id", "type": "long"}, {"name": "last_updated_at", "type": "long"}]}}}],
     "outputs": [{"namespace": "file", "name": "/tmp/delta/events",
                  "facets": {"dataSource": {"name": "file", "uri": "file"}, "version": {"datasetVersion": "2"},
                             "schema": {"fields": [{"name": "event_id", "type": "long"}, {"name": "last_updated_at", "type": "long"}]},
                             "columnLineage": {
                               "fields": {
                                 "event_id": {"inputFields": [
                                   {"namespace": "file", "name": "/tmp/delta/events", "field": "event_id",
                                    "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false}]},
                                   {"namespace": "file", "name": "/tmp/delta/updates", "field": "event_id",
                                    "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false}]}]},
                                 "last_updated_at": {"inputFields": [
                                   {"namespace": "file", "name": "/tmp/delta/updates", "field": "updated_at",
                                    "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false},
                                                        {"type": "INDIRECT", "subtype": "CONDITIONAL", "description": "", "masking": false}]},
                                   {"namespace": "file", "name": "/tmp/delta/events", "field": "last_updated_at",
                                    "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "description": "", "masking": false}]}]}},
                               "dataset": [
                                 {"namespace": "file", "name": "/tmp/delta/events", "field": "event_id",
                                  "transformations": [{"type": "INDIRECT", "subtype": "JOIN", "description": "", "masking": false}]},
                                 {"namespace": "file", "name": "/tmp/delta/updates", "field": "event_id",
                                  "transformations": [{"type": "INDIRECT", "subtype": "JOIN", "description": "", "masking": false}]}]}},
                  "outputFacets": {"outputStatistics": {"rowCount": 5, "size": 1720}}}]},
    {"eventTime": "2025-03-04T10:05:12.004Z", "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.28.0/integration/spark",
     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", "eventType": "COMPLETE",
     "run": {"runId": "01956a2e-2c10-7d61-9d3e-5a4c2b0e0003"},
     "job": {"namespace": "spark_jobs", "name": "events_pipeline.execute_insert_into_hadoop_fs_relation_command.tmp_delta_events_daily"},
     "inputs": [{"namespace": "file", "name": "/tmp/delta/events",
                 "facets": {"schema": {"fields": [{"name": "event_id", "type": "long"}, {"name": "last_updated_at", "type": "long"}]}}}],
     "outputs": [{"namespace": "file", "name": "/tmp/delta/events_daily",
                  "facets": {"schema": {"fields": [{"name": "day", "type": "date"}, {"name": "events", "type": "long"}]},
                             "columnLineage": {"fields": {
                               "day": {"inputFields": [{"namespace": "file", "name": "/tmp/delta/events", "field": "last_updated_at",
                                                        "transformations": [{"type": "DIRECT", "subtype": "TRANSFORMATION"}]}]},
                               "events": {"inputFields": [{"namespace": "file", "name": "/tmp/delta/events", "field": "event_id",
                                                           "transformations": [{"type": "DIRECT", "subtype": "AGGREGATION"}]}]}}}}}]}
    ]
    """#

  /// A MERGE INTO reads and writes its target: the self-edge and the column lineage
  /// from the target's own columns are left out with one note, located at the event;
  /// nothing else is reported, and lineage through the target is intact.
  @Test func sparkMergeIntoReadsAndWritesItsTarget() throws {
    let dir = NSTemporaryDirectory() + "ol-merge-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/merge_into.json"
    try Data(Self.sparkMerge.utf8).write(to: URL(fileURLWithPath: path))
    let model = try ModelLoader.load(path: path)
    #expect(model.findings.allSatisfy { $0.severity == .info }, "\(model.findings)")
    #expect(!model.hasLoadErrors)
    let note = try #require(model.findings.first)
    #expect(model.findings.count == 1)
    #expect(note.rule == "self-loop" && note.subjects == ["file:/tmp/delta/events"])
    #expect(
      note.message
        == "a job reads and writes 'file:/tmp/delta/events' (an incremental update or a MERGE); that edge and the 3 column lineage references from its own columns are left out"
    )
    let merge = position(of: "{\"eventTime\": \"2025-03-04T10:01:04.872Z\"", in: Self.sparkMerge)
    #expect(note.location == LineageCore.SourceLocation(file: path, line: merge.line, column: merge.column))

    #expect(
      edges(model) == [
        "file:/data/raw/updates.csv -> file:/tmp/delta/updates",
        "file:/tmp/delta/events -> file:/tmp/delta/events_daily",
        "file:/tmp/delta/updates -> file:/tmp/delta/events",
      ])
    let g = model.graph
    func reach(_ id: String, _ d: Direction) throws -> [String] {
      let v = try #require(g.index(of: id))
      return g.reach(from: [v], direction: d).nodes.dropFirst().map { g.id($0) }.sorted()
    }
    #expect(
      try reach("file:/data/raw/updates.csv", .downstream)
        == ["file:/tmp/delta/events", "file:/tmp/delta/events_daily", "file:/tmp/delta/updates"])
    #expect(
      try reach("file:/tmp/delta/events_daily", .upstream)
        == ["file:/data/raw/updates.csv", "file:/tmp/delta/events", "file:/tmp/delta/updates"])
    #expect(CycleFinder.cycles(in: g).isEmpty)

    // Column lineage from the source of the MERGE is kept; from the target itself it is not.
    let events = try #require(model.mesh.nodes.first { $0.id == "file:/tmp/delta/events" })
    func from(_ c: String) -> [String] {
      (events.schema.first { $0.name == c }?.from ?? []).map { "\($0.product).\($0.column):\($0.transform.rawValue)" }
    }
    #expect(from("event_id") == ["file:/tmp/delta/updates.event_id:identity", "file:/tmp/delta/updates.event_id:join"])
    #expect(
      from("last_updated_at") == [
        "file:/tmp/delta/updates.updated_at:identity", "file:/tmp/delta/updates.event_id:join",
      ])
    #expect(events.inputs.map(\.product) == ["file:/tmp/delta/updates"])
    let cg = model.columns
    var columns: [String] = []
    for c in 0..<Int32(cg.count) {
      for u in cg.reverse.neighbors(c) {
        columns.append(cg.qualifiedName(u, in: g) + " -> " + cg.qualifiedName(c, in: g))
      }
    }
    #expect(!columns.contains { $0.hasPrefix("file:/tmp/delta/events.") && $0.contains("-> file:/tmp/delta/events.") })
    #expect(columns.contains("file:/tmp/delta/updates.updated_at -> file:/tmp/delta/events.last_updated_at"))
    #expect(columns.contains("file:/tmp/delta/events.last_updated_at -> file:/tmp/delta/events_daily.day"))

    // With jobs as nodes, the target stays the job's output only: no cycle either.
    let jobs = try load([path], OpenLineageImporter(jobsAsNodes: true))
    #expect(CycleFinder.cycles(in: jobs.graph).isEmpty)
    #expect(!jobs.findings.contains { $0.severity > .info })
  }

  // MARK: findings are located

  /// The importer's findings, and the resolver's and the cycle check's about imported
  /// nodes, name the event they come from.
  @Test func findingsAboutEventsAreLocated() throws {
    let (model, path) = try loadLines([
      Self.good,
      Self.output(
        #"{"columnLineage": {"fields": {"x": {"inputFields": [{"namespace": "n", "name": "nowhere", "field": "id"}]}}}}"#
      ),
      Self.run(
        #"[{"namespace": "n", "name": "b"}, {"namespace": "n", "name": "c"}]"#, #"[{"namespace": "n", "name": "c"}]"#,
        job: #"{"namespace": "n", "name": "j"}"#, run: #"{"runId": "r1"}"#),
      #"{"eventType": "COMPLETE", \#(Self.head), "run": {"runId": "r2"}, "job": {"namespace": "n", "name": "back"}, "inputs": [{"namespace": "n", "name": "c"}], "outputs": [{"namespace": "n", "name": "a"}]}"#,
    ])
    func at(_ line: Int) -> LineageCore.SourceLocation { LineageCore.SourceLocation(file: path, line: line, column: 1) }
    // Lines 2 and 3 are two events of one run of job j.
    let dangling = try #require(model.findings.first { $0.rule == "dangling-column-lineage" })
    #expect(dangling.location == at(2))
    let loop = try #require(model.findings.first { $0.rule == "self-loop" })
    #expect(loop.location == at(3))
    #expect(model.mesh.nodes.first { $0.id == "n:a" }?.location == at(1))
    // c's inputs: a, named by the run's event on line 2, and b, by the one on line 3.
    #expect(model.mesh.nodes.first { $0.id == "n:c" }?.inputs.map(\.location) == [at(2), at(3)])
    // a -> b -> c -> a: the cycle is located at one of its edges' events.
    let cycles = Resolver.cycleFindings(CycleFinder.cycles(in: model.graph), graph: model.graph, mesh: model.mesh)
    #expect(cycles.count == 1)
    #expect(cycles.allSatisfy { $0.location?.file == path && ($0.location?.line ?? 0) > 0 }, "\(cycles)")
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

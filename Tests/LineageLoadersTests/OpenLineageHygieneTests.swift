import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// OpenLineage input as it comes from real producers and test fixtures: recognised by
/// its structure, run ids that are not UUIDs kept to their file and job, findings at
/// the event's own line, in numeric order.
@Suite struct OpenLineageHygieneTests {
  static let head = #""eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "s""#

  /// A scratch directory with `files` (name to text) written into it.
  static func directory(_ files: [String: String]) throws -> String {
    let dir = NSTemporaryDirectory() + "ol-hygiene-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
    return dir
  }

  static func complete(_ job: String, run: String, _ inputs: [String], _ outputs: [String], type: String = "COMPLETE")
    -> String
  {
    let ds = { (names: [String]) in names.map { #"{"namespace": "n", "name": "\#($0)"}"# }.joined(separator: ", ") }
    return
      #"{"eventType": "\#(type)", \#(head), "run": {"runId": "\#(run)"}, "job": {"namespace": "n", "name": "\#(job)"}, "inputs": [\#(ds(inputs))], "outputs": [\#(ds(outputs))]}"#
  }

  static func edges(_ m: LineageModel) -> [String] {
    m.mesh.nodes.flatMap { n in n.inputs.map { "\($0.product) -> \(n.id)" } }.sorted()
  }

  // MARK: detection by structure

  @Test func anEventWhoseKeysComeLateIsStillAnEvent() throws {
    // A run facet of 80 KB (a Spark logical plan) before "job" and "eventTime": the
    // first 64 KiB name neither.
    let plan = String(repeating: "x", count: 80_000)
    let event =
      #"{"run": {"runId": "01956a2e-2c10-7d61-9d3e-5a4c2b0e0001", "facets": {"spark.logicalPlan": {"plan": "\#(plan)"}}}, "job": {"namespace": "n", "name": "j"}, "eventType": "COMPLETE", "eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "s", "inputs": [{"namespace": "n", "name": "a"}], "outputs": [{"namespace": "n", "name": "b"}]}"#
    let dir = try Self.directory(["late.json": event, "late.ndjson": event + "\n" + event + "\n"])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for name in ["late.json", "late.ndjson"] {
      let model = try ModelLoader.load(path: dir + "/" + name)
      #expect(model.input == .openLineage, "\(name)")
      #expect(Self.edges(model) == ["n:a -> n:b"], "\(name)")
    }
    #expect(OpenLineageImporter.files(at: dir).count == 2)
  }

  @Test func graphJSONNamingEventKeysIsGraphJSON() throws {
    // Node ids that read like an event's keys, within the first bytes.
    let graph =
      #"{"name": "g", "nodes": [{"id": "job"}, {"id": "run"}, {"id": "eventTime"}, {"id": "eventType"}], "edges": [["job", "run"], ["eventTime", "eventType"]]}"#
    let meta =
      #"{"meta": {"eventTime": "x", "eventType": "y", "job": 1, "run": 2}, "nodes": [{"id": "a"}], "edges": []}"#
    let dir = try Self.directory(["graph.json": graph, "meta.json": meta])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let model = try ModelLoader.load(path: dir + "/graph.json")
    #expect(model.input == .graphJSON)
    #expect(model.graph.nodeCount == 4)
    #expect(try ModelLoader.load(path: dir + "/meta.json").input == .graphJSON)
    #expect(OpenLineageImporter.files(at: dir).isEmpty)
  }

  @Test func recognitionLooksAtStructure() {
    func recognize(_ text: String) -> OpenLineageImporter.Recognition {
      Array(text.utf8).withUnsafeBufferPointer { OpenLineageImporter.recognize($0) }
    }
    #expect(recognize(#"{"run": {"runId": "x"}, "job": {"namespace": "n", "name": "j"}}"#) == .events)
    #expect(recognize(#"[{"job": {"namespace": "n", "name": "j"}, "inputs": []}]"#) == .events)
    #expect(recognize(#"{"dataset": {"namespace": "n", "name": "d"}, "producer": "p"}"#) == .events)
    #expect(recognize(#"{"eventTime": "t", "eventType": "COMPLETE"}"#) == .events)
    #expect(recognize(#"{"nodes": [{"id": "eventTime"}], "edges": []}"#) == .other)
    #expect(recognize(#"{"metadata": {"dbt_schema_version": "v12"}, "run": {}, "job": {}}"#) == .other)
    #expect(recognize(#"{"run": "text", "job": "text"}"#) == .other)
    #expect(recognize("[]") == .other)
    #expect(recognize(#"[1, 2]"#) == .other)
    #expect(recognize(#"{"run": {"runId": "x"}, "#) == .unreadable)
  }

  // MARK: run ids that are not UUIDs

  @Test func templatedRunIdsAreNotMergedAcrossFiles() throws {
    // The same placeholder in two files: a START of one run, the COMPLETE of another.
    // Merged, they would make a -> d and c -> b, which no event holds.
    let dir = try Self.directory([
      "1.json": Self.complete("j", run: "{{RUN_ID}}", ["a"], ["b"], type: "START"),
      "2.json": "\n\n" + Self.complete("j", run: "{{RUN_ID}}", ["c"], ["d"]),
    ])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let model = try ModelLoader.load(path: dir)
    #expect(Self.edges(model) == ["n:c -> n:d"])
    let warnings = model.findings.filter { $0.rule == .runIdNotUUID }
    #expect(
      warnings.map { "\($0.location!) \($0.message)" } == [
        "\(dir)/1.json:1:1 1 event in \(dir)/1.json carries a run id that is not a UUID (1 run id such as '{{RUN_ID}}'); their runs are matched within this file and their job only, never with another file's",
        "\(dir)/2.json:3:1 1 event in \(dir)/2.json carries a run id that is not a UUID (1 run id such as '{{RUN_ID}}'); their runs are matched within this file and their job only, never with another file's",
      ])
    #expect(warnings.allSatisfy { $0.severity == .warning })
  }

  @Test func templatedRunIdsAreNotMergedAcrossJobs() throws {
    let lines = [
      Self.complete("j1", run: "run-1", ["a"], ["b"]),
      Self.complete("j2", run: "run-1", ["c"], ["d"]),
      Self.complete("j2", run: "run-1", ["c"], ["d"]),
    ]
    let dir = try Self.directory(["events.jsonl": lines.joined(separator: "\n")])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let model = try ModelLoader.load(path: dir + "/events.jsonl")
    #expect(Self.edges(model) == ["n:a -> n:b", "n:c -> n:d"])
    let warnings = model.findings.filter { $0.rule == .runIdNotUUID }
    #expect(warnings.count == 1)
    #expect(warnings.first?.message.hasPrefix("3 events in ") == true)
    #expect(warnings.first?.message.contains("(1 run id such as 'run-1')") == true)
  }

  @Test func uuidRunsStillJoinAcrossFiles() throws {
    let id = "01956a2e-2c10-7d61-9d3e-5a4c2b0e0009"
    let dir = try Self.directory([
      "1.json": Self.complete("j", run: id, ["a"], ["b"], type: "START"),
      "2.json": Self.complete("j", run: id, [], []),
    ])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let model = try ModelLoader.load(path: dir)
    #expect(Self.edges(model) == ["n:a -> n:b"])
    #expect(!model.findings.contains { $0.rule == .runIdNotUUID })
  }

  @Test func uuidsAreRecognised() {
    #expect(OpenLineageImporter.isUUID("01956a2e-2c10-7d61-9d3e-5a4c2b0e0009"))
    #expect(OpenLineageImporter.isUUID("01956A2E-2C10-7D61-9D3E-5A4C2B0E0009"))
    for s in ["", "{{RUN_ID}}", "r1", "01956a2e2c107d619d3e5a4c2b0e0009", "01956a2e-2c10-7d61-9d3e-5a4c2b0e000g"] {
      #expect(!OpenLineageImporter.isUUID(s), "\(s)")
    }
  }

  // MARK: located and ordered findings

  @Test func findingsOfOneEventAreInNumericOrder() throws {
    // Twelve inputs without names: inputs[0] ... inputs[11], not [0], [10], [11], [1].
    let inputs = (0..<12).map { _ in #"{"namespace": "n"}"# }.joined(separator: ", ")
    let event =
      #"{"eventType": "COMPLETE", \#(Self.head), "run": {"runId": "01956a2e-2c10-7d61-9d3e-5a4c2b0e0001"}, "job": {"namespace": "n", "name": "j"}, "inputs": [\#(inputs)]}"#
    let events = (0..<11).map { _ in Self.complete("j", run: "01956a2e-2c10-7d61-9d3e-5a4c2b0e0002", ["a"], ["b"]) }
    let dir = try Self.directory(["events.jsonl": (events + [event]).joined(separator: "\n")])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let model = try ModelLoader.load(path: dir + "/events.jsonl")
    let errors = model.findings.sorted(by: Finding.reportOrder).filter(\.isLoadError)
    #expect(errors.count == 12)
    #expect(errors.allSatisfy { $0.location?.line == 12 })
    #expect(errors.map(\.message) == (0..<12).map { "event 12: inputs[\($0)].name is missing" })
  }

  @Test func naturalOrder() {
    let sorted = ["event 10", "event 2", "event 1", "[11]", "[1]", "[0]", "[10]", "a01", "a1", "a"].sorted {
      $0.naturallyPrecedes($1)
    }
    #expect(sorted == ["[0]", "[1]", "[10]", "[11]", "a", "a01", "a1", "event 1", "event 2", "event 10"])
  }
}

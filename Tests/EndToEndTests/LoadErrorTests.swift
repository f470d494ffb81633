import Foundation
import Testing

/// Issue 14's rule through the real binary: a load error (a file that cannot be read or
/// parsed, a document of the wrong shape) stops every command that answers from the
/// input with exit status 2, names the file, line and column, and writes no output
/// file; `--allow-load-errors` answers and marks the output partial; `diff` never
/// passes its gate on a half-read side.
@Suite(.serialized) struct LoadErrorTests {
  /// A copy of samples/demo with a YAML syntax error appended to one of its 50 files.
  static func brokenDemo() throws -> (dir: String, broken: String) {
    let dir = NSTemporaryDirectory() + "lineage-broken-" + UUID().uuidString
    try FileManager.default.copyItem(atPath: CLI.root + "/samples/demo", toPath: dir + "/demo")
    let file = dir + "/demo/domains/crm/churn.yaml"
    let h = try #require(FileHandle(forWritingAtPath: file))
    h.seekToEndOfFile()
    h.write(Data("  - [broken\n".utf8))
    try h.close()
    return (dir + "/demo", "demo/domains/crm/churn.yaml")
  }

  static let commands: [[String]] = [
    ["upstream", "sales.orders"], ["downstream", "crm.customers"], ["select", "*"], ["cycles"], ["stats"],
    ["impact", "crm.customers.email", "--change", "drop"], ["owners"],
  ]

  @Test func everyAnsweringCommandStopsOnAYAMLSyntaxError() throws {
    let (mesh, broken) = try Self.brokenDemo()
    defer { try? FileManager.default.removeItem(atPath: (mesh as NSString).deletingLastPathComponent) }
    for command in Self.commands {
      for format in ["text", "json"] {
        let out = NSTemporaryDirectory() + "lineage-out-" + UUID().uuidString
        let r = try CLI.run(command + ["--mesh", mesh, "--format", format, "-o", out])
        #expect(r.status == 2, "\(command) \(format): \(r.stderr)")
        #expect(r.stderr.contains(broken + ":86:1: error: YAML syntax error"), "\(command): \(r.stderr)")
        #expect(r.stderr.contains("could not be read completely"), "\(command): \(r.stderr)")
        #expect(r.stdout.isEmpty, "\(command): \(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out), "\(command) wrote \(out)")
      }
    }
    // render writes no diagram; validate lists the load error with every finding (exit 2).
    let svg = NSTemporaryDirectory() + "lineage-" + UUID().uuidString + ".svg"
    let render = try CLI.run(["render", "--mesh", mesh, "-o", svg])
    #expect(render.status == 2 && !FileManager.default.fileExists(atPath: svg), "\(render.stderr)")
    let validate = try CLI.run(["validate", "--mesh", mesh])
    #expect(validate.status == 2, "\(validate.stdout)")
    #expect(validate.stdout.contains(broken + ":86:1: error: YAML syntax error"), "\(validate.stdout)")
  }

  @Test func allowLoadErrorsAnswersAndSaysPartial() throws {
    let (mesh, _) = try Self.brokenDemo()
    defer { try? FileManager.default.removeItem(atPath: (mesh as NSString).deletingLastPathComponent) }
    let text = try CLI.run(["downstream", "crm.customers", "--mesh", mesh, "--allow-load-errors"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.hasPrefix("partial: "), "\(text.stdout)")
    let json = try CLI.run(["select", "*", "--mesh", mesh, "--allow-load-errors", "--format", "json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["partial"] as? Bool == true)
    #expect((object["loadErrors"] as? [[String: Any]])?.first?["rule"] as? String == "yaml-syntax")
  }

  /// A syntax error on either side of a diff: exit 2, the file named, and no format
  /// says the gate passed.
  @Test(arguments: ["base", "head"])
  func diffNeverPassesOnAHalfReadSide(_ side: String) throws {
    let (broken, file) = try Self.brokenDemo()
    defer { try? FileManager.default.removeItem(atPath: (broken as NSString).deletingLastPathComponent) }
    let good = CLI.root + "/samples/demo"
    let args = side == "base" ? [broken, good] : [good, broken]
    let text = try CLI.run(["diff"] + args)
    #expect(text.status == 2, "\(text.stdout)\(text.stderr)")
    #expect((text.stdout + text.stderr).contains(file + ":86:1"), "\(text.stdout)\(text.stderr)")
    #expect(!text.stdout.contains("gate passed"), "\(text.stdout)")
    #expect(!text.stdout.contains("product-removed"), "\(text.stdout)")  // the half-read file is no removal
    for format in ["markdown", "sarif", "junit", "json"] {
      let r = try CLI.run(["diff"] + args + ["--format", format])
      #expect(r.status == 2, "\(format): \(r.stderr)")
      #expect(!r.stdout.lowercased().contains("gate passed"), "\(format): \(r.stdout)")
      if format == "sarif" { #expect(r.stdout.contains("\"executionSuccessful\": false"), "\(r.stdout)") }
    }
  }

  /// Wrong-shaped third-party inputs, one per importer: exit 2, the path of the value.
  @Test(arguments: [
    (
      "manifest.json",
      #"{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": 5}"#,
      #"manifest.json:1:99: error: "nodes" must be an object, got a number"#
    ),
    (
      "events.json",
      #"[{"eventType": "COMPLETE", "eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "u", "run": {"runId": "r"}, "job": {"namespace": "n", "name": "j"}, "inputs": "x"}]"#,
      #"events.json:1:2: error: event 1: "inputs" must be an array, got a string"#
    ),
    (
      "graph.json", #"{"nodes": [{"id": "a", "domain": 5}], "edges": []}"#,
      #"graph.json:1:34: error: nodes[0].domain must be a string, got a number"#
    ),
  ])
  func wrongShapesStopTheCommand(_ name: String, _ body: String, _ message: String) throws {
    let dir = NSTemporaryDirectory() + "lineage-shape-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(body.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
    for command in [["select", "*"], ["stats"], ["cycles"]] {
      let r = try CLI.run(command + ["--mesh", name], cwd: dir)
      #expect(r.status == 2, "\(command): \(r.stdout) \(r.stderr)")
      #expect(r.stderr.contains(message), "\(command): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(r.stdout)")
    }
  }

  /// Two Data Contract Specification contracts are compared: a dropped field is a
  /// breaking change that fails --fail-on any.
  @Test func dataContractSpecificationsAreCompared() throws {
    let dir = NSTemporaryDirectory() + "lineage-dcs-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let dcs =
      "dataContractSpecification: 1.1.0\nid: orders\ninfo:\n  title: Orders\n  version: 1.0.0\nmodels:\n  orders:\n    fields:\n      id:\n        type: string\n"
    try Data(dcs.utf8).write(to: URL(fileURLWithPath: dir + "/a/datacontract.yaml"))
    try Data(dcs.replacingOccurrences(of: "id:\n        type: string", with: "key:\n        type: int").utf8)
      .write(to: URL(fileURLWithPath: dir + "/b/datacontract.yaml"))
    let r = try CLI.run(["diff", "a", "b", "--fail-on", "any"], cwd: dir)
    #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("orders.orders  column-dropped  column id dropped"), "\(r.stdout)")
    #expect(r.stdout.contains("column-added"), "\(r.stdout)")
  }
}

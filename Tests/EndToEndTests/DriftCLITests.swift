import Foundation
import Testing

/// `lineage drift` end to end: the demo against events with planted drift (goldens in
/// every format), Marquez's seed against a declared mesh written for it, events
/// generated from the demo mesh by Benchmarks/gen_events.py, and the exit statuses.
@Suite(.serialized) struct DriftCLITests {
  static let demoEvents = "samples/drift/demo-events.jsonl"
  static let marquezMesh = "Tests/EndToEndTests/Drift/marquez"

  /// Marquez's seed: the shared corpus's copy when it is there, else the sample's.
  static var marquezSeed: String {
    let shared =
      URL(fileURLWithPath: CLI.root).deletingLastPathComponent().path + "/shared/corpus/marquez/seed/metadata.json"
    return FileManager.default.fileExists(atPath: shared) ? shared : "samples/events/marquez-seed.json"
  }

  func rules(_ json: String) throws -> [String: Int] {
    let findings = try CLI.json(json)["findings"] as? [[String: Any]] ?? []
    return findings.reduce(into: [:]) { $0[$1["rule"] as? String ?? "", default: 0] += 1 }
  }

  @Test(
    arguments: [
      ("drift-demo.txt", ["--format", "text"]), ("drift-demo.json", ["--format", "json"]),
      ("drift-demo.md", ["--format", "markdown"]), ("drift-demo.sarif", ["--format", "sarif"]),
      ("drift-demo.junit.xml", ["--format", "junit"]),
    ])
  func demoGoldens(_ golden: String, _ format: [String]) throws {
    let r = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", Self.demoEvents] + format)
    #expect(r.status == 1, "\(r.stderr)")
    try CLI.expectGolden(r.stdout, golden)
  }

  @Test func demoFindingsPerRule() throws {
    let r = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", Self.demoEvents, "--format", "json"])
    #expect(
      try rules(r.stdout) == [
        "undeclared-read": 1, "observed-private-access": 1, "stale-input": 1, "schema-drift": 1,
        "unknown-producer": 1,
      ])
  }

  @Test func mapFileMatchesWhatLocationsDoNot() throws {
    let dir = NSTemporaryDirectory() + "drift-map-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "# observed -> declared\n\"snowflake://acme:scratch.tmp.*\": sales.daily_sales\n".write(
      toFile: dir + "/map.yaml", atomically: true, encoding: .utf8)
    let r = try CLI.run([
      "drift", "--mesh", "samples/demo", "--observed", Self.demoEvents, "--map", dir + "/map.yaml", "--format", "json",
    ])
    let counts = try rules(r.stdout)
    #expect(counts["unknown-producer"] == nil)
    #expect(counts["undeclared-read"] == 1)
    // A map entry naming no node is an error at its line.
    try "\"x:*\": sales.nope\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
    let bad = try CLI.run([
      "drift", "--mesh", "samples/demo", "--observed", Self.demoEvents, "--map", dir + "/bad.yaml",
    ])
    #expect(bad.status == 1)
    #expect(bad.stdout.contains("bad.yaml:1:1: error: map entry 'x:*' names node 'sales.nope', which is not declared"))
  }

  @Test func marquezSeedAgainstItsDeclaredMesh() throws {
    let r = try CLI.run(["drift", "--mesh", Self.marquezMesh, "--observed", Self.marquezSeed, "--format", "json"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(
      try rules(r.stdout) == [
        "undeclared-read": 1, "observed-private-access": 2, "observed-domain-only-access": 1, "stale-input": 1,
        "schema-drift": 2, "unknown-producer": 1,
      ])
    // The golden reads the sample's copy of the seed (the same bytes), so that its
    // paths and their order do not depend on where the corpus is.
    let text = try CLI.run(["drift", "--mesh", Self.marquezMesh, "--observed", "samples/events/marquez-seed.json"])
    try CLI.expectGolden(text.stdout, "drift-marquez.txt")
  }

  @Test func eventsGeneratedFromTheDemoWithPlantedDrift() throws {
    let dir = NSTemporaryDirectory() + "drift-gen-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let gen = try CLI.run(
      [
        "python3", CLI.root + "/Benchmarks/gen_events.py", "--mesh", "samples/demo", "--events", "2000", "--plant",
        "2", "--files", "3", "--out", dir,
      ], executable: "/usr/bin/env")
    #expect(gen.status == 0, "\(gen.stderr)")
    let counts = try CLI.json(gen.stdout)
    let want = (counts["findings"] as? [String: Int] ?? [:]).filter { $0.value > 0 }
    let window = counts["window"] as? String ?? "24d"
    let r = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", dir, "--window", window, "--format", "json"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(try rules(r.stdout) == want)
    #expect(want["stale-input"] == 2 && want["schema-drift"] == 6 && want["unknown-producer"] == 2)
  }

  /// `--until` answers as of that time: the schema written at 05:00 and the unknown
  /// producer seen at 06:00 are after it; every finding's evidence is at or before it.
  @Test func untilLeavesLaterEventsOut() throws {
    let all = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", Self.demoEvents, "--format", "json"])
    let r = try CLI.run([
      "drift", "--mesh", "samples/demo", "--observed", Self.demoEvents, "--until", "2026-11-20T04:30:00Z", "--format",
      "json",
    ])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(try rules(all.stdout)["schema-drift"] == 1 && rules(all.stdout)["unknown-producer"] == 1)
    #expect(try rules(r.stdout) == ["undeclared-read": 1, "observed-private-access": 1, "stale-input": 1])
    let findings = try CLI.json(r.stdout)["findings"] as? [[String: Any]] ?? []
    let times = findings.compactMap { ($0["evidence"] as? [String: Any])?["eventTime"] as? String }
    #expect(!times.isEmpty && times.allSatisfy { $0 <= "2026-11-20T04:30:00Z" }, "\(times)")
    // The evidence as structured fields: the event's job, run, time and place.
    let evidence = try #require(
      findings.first { $0["rule"] as? String == "undeclared-read" }?["evidence"] as? [String: Any])
    #expect(evidence["job"] as? String == "acme-airflow:marketing.build_audience_segments")
    #expect(evidence["runId"] as? String == "0f6a3c2e-1b7d-4c11-9a55-2d0e8f6b1a03")
    #expect(evidence["file"] as? String == Self.demoEvents)
    #expect(evidence["line"] as? Int == 3)
    // Before every event: nothing to compare with.
    let early = try CLI.run([
      "drift", "--mesh", "samples/demo", "--observed", Self.demoEvents, "--until", "2026-11-01",
    ])
    #expect(early.status == 2)
    #expect(early.stdout.contains("is at or before 2026-11-01T00:00:00Z"), "\(early.stdout)")
  }

  @Test func failOnWarning() throws {
    let r = try CLI.run([
      "drift", "--mesh", "samples/demo", "--observed", "samples/events/marquez-seed.json", "--format", "json",
    ])
    // Nothing of the demo runs in Marquez's seed: only notes, which never fail.
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(try rules(r.stdout).keys.sorted() == ["unknown-producer"])
    let w = try CLI.run([
      "drift", "--mesh", "samples/demo", "--observed", "samples/events/marquez-seed.json", "--fail-on", "warning",
    ])
    #expect(w.status == 1)
  }

  @Test(
    arguments: [
      (
        ["--window", "30x"],
        "--window '30x' is not a duration: write a whole number and a unit (w, d, h, m or s), as in 30d, 12h, 90m, 45s or 2w"
      ),
      (["--until", "yesterday"], "--until 'yesterday' is not a date or date-time"),
    ])
  func badOptionsAreUsageErrors(_ extra: [String], _ message: String) throws {
    let r = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", Self.demoEvents] + extra)
    #expect(r.status == 2)
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }

  @Test func unreadableEventsStopTheCommand() throws {
    let dir = NSTemporaryDirectory() + "drift-bad-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let good = try String(contentsOfFile: CLI.root + "/" + Self.demoEvents, encoding: .utf8)
    try (good + "{\"eventTime\": \"2026-11-21T00:00:00Z\", \"run\": {\"runId\": \"x\"}, \"job\": \n").write(
      toFile: dir + "/broken.jsonl", atomically: true, encoding: .utf8)
    let r = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", dir + "/broken.jsonl"])
    #expect(r.status == 2, "\(r.stdout)")
    #expect(r.stdout.contains("broken.jsonl:7:1: error: invalid JSON"), "\(r.stdout)")
    #expect(!r.stdout.contains("[undeclared-read]"), "no answer from half-read events")
    // A wrong-shaped field is a load error at its event.
    try "{\"eventTime\": 5, \"run\": {\"runId\": \"x\"}, \"job\": {\"namespace\": \"n\", \"name\": \"j\"}}\n".write(
      toFile: dir + "/shape.json", atomically: true, encoding: .utf8)
    let s = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", dir + "/shape.json"])
    #expect(s.status == 2)
    #expect(s.stdout.contains("shape.json:1:1: error: event 1:"), "\(s.stdout)")
    // No events at all is no comparison: not a pass.
    try "".write(toFile: dir + "/empty.json", atomically: true, encoding: .utf8)
    let e = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", dir + "/empty.json"])
    #expect(e.status == 2, "\(e.stdout)")
    // And neither is a missing input.
    let m = try CLI.run(["drift", "--mesh", "samples/demo", "--observed", dir + "/absent.json"])
    #expect(m.status == 2)
    let noEvents = try CLI.run(["drift", "--mesh", "samples/demo"])
    #expect(noEvents.status == 2)
    #expect(noEvents.stderr.contains("--observed"))
  }

  @Test func brokenMeshStopsTheCommand() throws {
    let dir = NSTemporaryDirectory() + "drift-mesh-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "apiVersion: lineage/v1\nkind: Mesh\nname: broken\ndomains: [\n".write(
      toFile: dir + "/mesh.yaml", atomically: true, encoding: .utf8)
    let r = try CLI.run(["drift", "--mesh", dir, "--observed", Self.demoEvents])
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(r.stderr.contains("yaml-syntax") || r.stdout.contains("yaml-syntax"), "\(r.stderr)")
  }
}

import Foundation
import Testing

/// Runs the built `lineage-bench` at its smallest sizes: every answer checked, no timing.
@Suite struct BenchmarkSmokeTests {
  /// The repository's root (this file is Benchmarks/Tests/BenchmarkSmokeTests.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// `lineage-bench`, built beside this test bundle.
  static let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/lineage-bench"

  /// The root package's `lineage`: `LINEAGE_BIN` when set (`make test-tools` sets it),
  /// else the root's debug build.
  static var lineage: String {
    ProcessInfo.processInfo.environment["LINEAGE_BIN"] ?? root + "/.build/debug/lineage"
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ executable: String, _ args: [String]) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: root)
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  static func python(_ args: [String]) throws -> Result { try run("/usr/bin/env", ["python3"] + args) }

  /// The shared/bench graph operations at 1k nodes, each answer checked.
  @Test func graphBenchmark() throws {
    let dir = NSTemporaryDirectory() + "lineage-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let gen = try Self.python([
      Self.root + "/Benchmarks/gen_lineage.py", "--sizes", "1k", "--cycles", "0,5", "--out-dir", dir,
    ])
    #expect(gen.status == 0, "\(gen.stderr)")
    let r = try Self.run(Self.bench, ["graph", "--data-dir", dir, "--sizes", "1k", "--repeats", "1"])
    let text = r.stdout
    #expect(r.status == 0, "\(text)\(r.stderr)")
    #expect(text.split(separator: "\n").count == 9)
    #expect(!text.contains("\"ok\":false"))
  }

  /// The server benchmark at 300 datasets: ingest from 8 producers, every question's
  /// answer checked (no timing asserted).
  @Test func serverBenchmark() throws {
    #expect(
      FileManager.default.isExecutableFile(atPath: Self.lineage),
      "no lineage at \(Self.lineage): build the root package first or set LINEAGE_BIN")
    let r = try Self.python([
      Self.root + "/Benchmarks/server/server_bench.py", "--lineage", Self.lineage, "--datasets", "300", "--queries",
      "10",
    ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let cases = r.stdout.split(separator: "\n").compactMap { line -> String? in
      let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return object?["case"] as? String
    }
    #expect(cases.count == 7, "\(r.stdout)")
    #expect(!r.stdout.contains("\"ok\": false"))
  }

  /// The workflow benchmark at small sizes: the bundled dbt project and its dbt ls
  /// oracles, validate of a generated 300-node mesh directory, drift of that mesh
  /// against 20,000 generated events, and the demo rendered.
  @Test func workflowBenchmark() throws {
    #expect(
      FileManager.default.isExecutableFile(atPath: Self.lineage),
      "no lineage at \(Self.lineage): build the root package first or set LINEAGE_BIN")
    let dir = NSTemporaryDirectory() + "lineage-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let gen = try Self.python([Self.root + "/Benchmarks/gen_mesh.py", "--nodes", "300", "--out", dir + "/mesh"])
    #expect(gen.status == 0, "\(gen.stderr)")
    try gen.stdout.write(toFile: dir + "/mesh.json", atomically: true, encoding: .utf8)
    let events = try Self.python([
      Self.root + "/Benchmarks/gen_events.py", "--mesh", dir + "/mesh", "--events", "20000", "--plant", "3",
      "--files", "4", "--out", dir + "/events-1m",
    ])
    #expect(events.status == 0, "\(events.stderr)")
    try events.stdout.write(toFile: dir + "/events-1m.json", atomically: true, encoding: .utf8)
    let r = try Self.run(
      Self.bench,
      [
        "workflows", "--corpus", Self.root + "/Tests/LineageLoadersTests/Corpus", "--data-dir", dir,
        "--mesh-dir", dir + "/mesh", "--lineage", Self.lineage, "--repeats", "1",
      ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let cases = r.stdout.split(separator: "\n").compactMap { line -> String? in
      let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return object?["case"] as? String
    }
    #expect(
      cases == [
        "dbt load dbt_jaffle_shop_classic", "dbt select dbt_jaffle_shop_classic", "mesh-dir load",
        "lineage validate", "lineage drift", "render demo",
      ])
    #expect(!r.stdout.contains("\"ok\":false"))
  }
}

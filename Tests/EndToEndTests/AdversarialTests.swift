import Foundation
import Testing

/// Hostile inputs through the real binary: each ends with exit status 1 (findings) or
/// 2 (input error), names the file, and finishes quickly. Nothing may crash or hang.
@Suite(.serialized) struct AdversarialTests {
  /// Writes `files` into a fresh directory and returns its path.
  func directory(_ files: [String: [UInt8]]) throws -> String {
    let dir = NSTemporaryDirectory() + "lineage-adv-\(UUID().uuidString)"
    for (name, bytes) in files {
      let path = dir + "/" + name
      try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                              withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    return dir
  }

  static let head = Array("apiVersion: lineage/v1\nkind: Mesh\nname: m\ndomains:\n  - id: d\n".utf8)

  static let cases: [(name: String, files: [String: [UInt8]], input: String, status: Int32, mentions: String)] = [
    ("empty mesh.yaml", ["mesh.yaml": []], "", 1, "mesh.yaml"),
    ("tabs for indentation", ["mesh.yaml": Array("apiVersion: lineage/v1\nkind: Mesh\n\tname: m\n".utf8)], "", 1, "mesh.yaml:3"),
    ("duplicate keys", ["mesh.yaml": Array("apiVersion: lineage/v1\nkind: Mesh\nname: a\nname: b\n".utf8)], "", 1, "duplicate key 'name'"),
    ("invalid UTF-8", ["mesh.yaml": head + [0xFF, 0xFE, 0x0A]], "", 1, "mesh.yaml"),
    ("NUL in a name", ["mesh.yaml": head, "p.yaml": Array("apiVersion: lineage/v1\nkind: DataProduct\nid: \"a\\0b\"\ndomain: d\n".utf8)], "", 1, "p.yaml:3"),
    // Unknown fields are skipped without being walked: the bomb never expands.
    ("YAML alias bomb in mesh.yaml", ["mesh.yaml": head + Array(aliasBomb.utf8)], "", 0, "unknown field 'a0'"),
    ("100,000 levels of YAML nesting", ["mesh.yaml": head + Array(("x: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n").utf8)], "", 1, "mesh.yaml"),
    ("byte-order mark and CRLF line ends", ["mesh.yaml": [0xEF, 0xBB, 0xBF] + Array("apiVersion: lineage/v1\r\nkind: Mesh\r\nname: m\r\n".utf8)], "", 0, "ok:"),
    ("a 10 MB scalar", ["mesh.yaml": Array(("apiVersion: lineage/v1\nkind: Mesh\nname: m\ndescription: " + String(repeating: "x", count: 10_000_000) + "\n").utf8)], "", 0, "ok:"),
    ("truncated graph JSON", ["g.json": Array("{\"nodes\": [{\"id\": \"a\"},\n {\"id\": ".utf8)], "g.json", 2, "g.json:2"),
    ("huge number in graph JSON", ["g.json": Array("{\"nodes\": [{\"id\": \"a\", \"domain\": 1e99999}]}".utf8)], "g.json", 2, "g.json:1"),
    ("JSON nested 200,000 deep", ["g.json": Array(("{\"nodes\": " + String(repeating: "[", count: 200_000)).utf8)], "g.json", 2, "g.json"),
    ("truncated OpenLineage events", ["e.json": Array("[{\"eventType\": \"COMPLETE\", \"run\": {\"runId\": \"x\"}, \"job\": {".utf8)], "e.json", 2, "e.json:1"),
    ("dbt manifest of the wrong shape", ["manifest.json": Array("{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\"}, \"nodes\": [1, 2]}".utf8)], "manifest.json", 0, ""),
    ("ODCS alias bomb", ["c.odcs.yaml": Array(("apiVersion: v3.0.0\nkind: DataContract\nid: c\nstatus: active\n" + aliasBomb + "schema: *a8\n").utf8)], "c.odcs.yaml", 2, "c.odcs.yaml"),
  ]

  static var aliasBomb: String {
    var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in 1..<9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test(arguments: cases.indices)
  func hostileInputEndsCleanly(_ i: Int) throws {
    let c = Self.cases[i]
    let dir = try directory(c.files)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let start = Date()
    let r = try CLI.run(["validate", "--mesh", c.input.isEmpty ? dir : dir + "/" + c.input])
    let seconds = Date().timeIntervalSince(start)
    #expect(r.status == c.status, "\(c.name): status \(r.status), stderr \(r.stderr.prefix(300)), stdout \(r.stdout.prefix(300))")
    #expect(seconds < 30, "\(c.name) took \(seconds) s")
    if !c.mentions.isEmpty {
      #expect((r.stdout + r.stderr).contains(c.mentions), "\(c.name): \((r.stdout + r.stderr).prefix(400))")
    }
    // Messages stay short even when the input is not.
    for line in (r.stdout + r.stderr).split(separator: "\n") { #expect(line.count < 2000, "\(c.name): a line of \(line.count) characters") }
  }

  @Test func outputIntoAMissingDirectoryLeavesNothing() throws {
    let dir = try directory([:])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["stats", "--mesh", "samples/demo", "-o", dir + "/missing/out.txt"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("does not exist"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
    let s = try CLI.run(["select", "+frob:x", "--mesh", "samples/demo"])
    #expect(s.status == 2)
    #expect(s.stderr.contains("unknown selector method 'frob'"))
  }
}

import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `GET /api/mesh/drift`: the real `lineage serve` with a declared mesh, events sent
/// over HTTP, and the answer compared with `lineage drift --format json` on the same
/// events as a file.
@Suite(.serialized) struct ServerDriftTests {
  typealias Server = ServerTests.Server

  /// A drift report's findings without where events are (a file's line for the
  /// command line, an event's label for the server), each as canonical JSON, sorted;
  /// and its summary and source.
  static func comparable(_ json: String) throws -> [String] {
    let o = try CLI.json(json)
    var out: [String] = []
    for var f in o["findings"] as? [[String: Any]] ?? [] {
      f["related"] = nil
      if var e = f["evidence"] as? [String: Any] {
        #expect(e["file"] != nil, "the evidence names its event's place")
        for k in ["file", "line", "column"] { e[k] = nil }
        f["evidence"] = e
      }
      if let file = f["file"] as? String, file.hasSuffix(".jsonl") || file.hasPrefix("event at ") {
        for k in ["file", "line", "column"] { f[k] = nil }
      }
      let data = try JSONSerialization.data(withJSONObject: f, options: [.sortedKeys])
      out.append(String(decoding: data, as: UTF8.self))
    }
    let summary = try JSONSerialization.data(withJSONObject: o["summary"] ?? [:], options: [.sortedKeys])
    return out.sorted() + [String(decoding: summary, as: UTF8.self), "\(o["source"] ?? "")"]
  }

  @Test func driftOverHTTPAnswersAsTheCommandLineDoes() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let dir = try ServerTests.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let mesh = CLI.root + "/samples/demo"
    let events = CLI.root + "/samples/drift/demo-events.jsonl"
    let map = dir + "/map.yaml"
    try "\"snowflake://acme:scratch.tmp.*\": sales.daily_sales\n".write(toFile: map, atomically: true, encoding: .utf8)
    let server = try Server(store: "sqlite:" + dir + "/events.db", arguments: ["--mesh", mesh, "--drift-map", map])
    // No events yet: nothing to compare with, a load error as the command line says.
    let none = try await ServerTests.request(server.port, "GET", "/api/mesh/drift")
    #expect(none.status == 200)
    #expect((try CLI.json(none.body)["summary"] as? [String: Any])?["loadErrors"] as? Int == 1, "\(none.body)")
    // The events, as an array, one batch.
    let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
    let batch = Data(("[" + lines.joined(separator: ",") + "]").utf8)
    #expect(try await ServerTests.request(server.port, "POST", "/api/v1/lineage/batch", body: batch).status == 201)
    for (query, options) in [
      ("", [String]()), ("?window=1d", ["--window", "1d"]),
      ("?window=1d&until=2026-11-20T12:00:00Z", ["--window", "1d", "--until", "2026-11-20T12:00:00Z"]),
      ("?failOn=warning", ["--fail-on", "warning"]),
    ] {
      let served = try await ServerTests.request(server.port, "GET", "/api/mesh/drift" + query)
      #expect(served.status == 200, "\(served.body)")
      let cli = try CLI.run(
        ["drift", "--mesh", mesh, "--observed", events, "--map", map, "--format", "json"] + options)
      #expect(cli.status == 1, "\(cli.stderr)")
      let got = try Self.comparable(served.body), want = try Self.comparable(cli.stdout)
      #expect(got == want, "\(query)")
      #expect(want.count > 3, "findings to compare")
    }
    // asOf leaves out later events, as --until does for the command line.
    let asOf = try await ServerTests.request(server.port, "GET", "/api/mesh/drift?asOf=2026-11-20T04:30:00Z")
    let until = try CLI.run([
      "drift", "--mesh", mesh, "--observed", events, "--map", map, "--until", "2026-11-20T04:30:00Z", "--format",
      "json",
    ])
    var asOfFindings = try Self.comparable(asOf.body)
    var untilFindings = try Self.comparable(until.stdout)
    // The window's end: the latest event read for the server, --until for the command line.
    asOfFindings.removeAll { $0.contains("stale-input") }
    untilFindings.removeAll { $0.contains("stale-input") }
    #expect(asOfFindings == untilFindings)
    #expect(
      try Self.comparable(asOf.body)
        != Self.comparable((try await ServerTests.request(server.port, "GET", "/api/mesh/drift")).body))
    for path in [
      "/api/mesh/drift?window=3x", "/api/mesh/drift?until=yesterday", "/api/mesh/drift?asOf=soon",
      "/api/mesh/drift?failOn=info",
    ] {
      #expect(try await ServerTests.request(server.port, "GET", path).status == 400, "\(path)")
    }
    #expect(server.stop() == 0)
    // Without declared inputs there is nothing to compare the events with.
    let bare = try Server(store: "sqlite:" + dir + "/bare.db")
    let conflict = try await ServerTests.request(bare.port, "GET", "/api/mesh/drift")
    #expect(conflict.status == 409)
    #expect(conflict.body.contains("without declared inputs"))
    #expect(bare.stop() == 0)
  }
}

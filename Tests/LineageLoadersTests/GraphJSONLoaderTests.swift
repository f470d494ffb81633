import Foundation
import Testing

@testable import LineageCore
@testable @_spi(Testing) import LineageLoaders

/// The graph JSON loader reads the edges of a large input on a second core while the
/// first reads the nodes. Both ways must give the same graph, the same errors, and
/// fall back cleanly on inputs the fast scan does not take.
@Suite struct GraphJSONLoaderTests {
  /// A graph JSON document: `n` nodes in a chain with skips, optionally edges first,
  /// and `tail` appended inside the edges array.
  static func document(_ n: Int, edgesFirst: Bool = false, tail: String = "") -> String {
    let nodes = (0..<n).map { "{\"id\": \"int.domain.\($0)\", \"domain\": \"d\($0 % 7)\", \"layer\": \"int\"}" }
    var edges = (1..<n).map { "[\"int.domain.\($0 - 1)\", \"int.domain.\($0)\"]" }
    edges += stride(from: 3, to: n, by: 5).map { "[\"int.domain.\($0 - 3)\", \"int.domain.\($0)\"]" }
    let e = "\"edges\": [" + edges.joined(separator: ",\n") + tail + "]"
    let v = "\"nodes\": [" + nodes.joined(separator: ",\n") + "]"
    return "{" + (edgesFirst ? e + ",\n" + v : v + ",\n" + e) + "}"
  }

  func load(_ text: String, ahead: Bool) throws(LoadError) -> LineageModel {
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBufferPointer { (p) throws(LoadError) -> LineageModel in
      try GraphJSONLoader.load(bytes: UnsafeBufferPointer(p), file: "g.json", scanEdgesAhead: ahead)
    }
  }

  func edges(_ m: LineageModel) -> [String] {
    let g = m.graph
    var out: [String] = []
    for v in 0..<Int32(g.nodeCount) { for w in g.forward.neighbors(v) { out.append(g.id(v) + ">" + g.id(w)) } }
    return out.sorted()
  }

  @Test(
    arguments: [
      ("nodes first", false, ""),
      ("edges first", true, ""),
      ("an escaped id forces the ordinary pass", false, ",\n[\"int.domain.1\", \"int.d\\u006fmain.5\"]"),
      (
        "an edge object forces the ordinary pass", false,
        ",\n{\"source\": \"int.domain.2\", \"target\": \"int.domain.9\"}"
      ),
      ("ids only in edges", false, ",\n[\"int.domain.1\", \"new.node\"]"),
    ] as [(String, Bool, String)])
  func bothWaysGiveTheSameGraph(_ name: String, _ edgesFirst: Bool, _ tail: String) throws {
    // Small enough for a quick test: the scan is forced on and off, whatever the size.
    let text = Self.document(5_000, edgesFirst: edgesFirst, tail: tail)
    let a = try load(text, ahead: true), b = try load(text, ahead: false)
    #expect(a.graph.nodeCount == b.graph.nodeCount, "\(name)")
    #expect(a.graph.edgeCount == b.graph.edgeCount, "\(name)")
    #expect(edges(a) == edges(b), "\(name)")
    #expect(a.findings.map(\.message) == b.findings.map(\.message), "\(name)")
  }

  @Test(arguments: [
    ("a syntax error among the edges", ",\n[\"int.domain.1\" \"int.domain.2\"]"),
    ("a truncated last edge", ",\n[\"int.domain.1\", "),
    ("a number for an id", ",\n[\"int.domain.1\", 42]"),
  ])
  func bothWaysReportTheSameError(_ name: String, _ tail: String) {
    let text = Self.document(5_000, tail: tail)
    var messages: [String] = []
    for ahead in [true, false] {
      do {
        _ = try load(text, ahead: ahead)
        Issue.record("\(name): loaded")
      } catch {
        messages.append("\(error.location?.line ?? 0):\(error.location?.column ?? 0) \(error.message)")
      }
    }
    #expect(messages.count == 2 && messages[0] == messages[1], "\(name): \(messages)")
  }

  /// An error among the nodes ends the load while the edge scan may still be running;
  /// the loader waits for it, so the input can be freed at once.
  @Test func anErrorAmongTheNodesStopsTheScan() {
    let text = Self.document(5_000).replacingOccurrences(of: "{\"id\": \"int.domain.5\",", with: "{\"id\": 5,")
    for _ in 0..<5 {
      #expect(throws: LoadError.self) { try load(text, ahead: true) }
    }
  }

  /// Every field the loader reads must have its type: each wrong one stops the load
  /// with its path, what was found, and the line and column of the value, whether
  /// the edges are scanned ahead or not. `marker` is where the error points.
  static let shapes: [(String, String, String)] = [
    ("{\"nodes\": {\"id\": \"a\"}}", "{\"id\"", #""nodes" must be an array, got an object"#),
    ("{\"nodes\": [{\"id\": \"a\"},\n  \"b\"]}", "\"b\"", "nodes[1] must be an object, got a string"),
    ("{\"nodes\": [{\"id\": \"a\"},\n  {\"id\": 5}]}", "5", "nodes[1].id must be a string, got a number"),
    ("{\"nodes\": [{\"id\": \"a\", \"domain\": 7}]}", "7", "nodes[0].domain must be a string, got a number"),
    ("{\"nodes\": [{\"id\": \"a\", \"domain\": 1e99999}]}", "1e9", "nodes[0].domain must be a string, got a number"),
    ("{\"nodes\": [{\"id\": \"a\", \"owner\": true}]}", "true", "nodes[0].owner must be a string, got a boolean"),
    (
      "{\"nodes\": [{\"id\": \"a\", \"kind\": [\"source\"]}]}", "[\"source\"]",
      "nodes[0].kind must be a string, got an array"
    ),
    ("{\"nodes\": [{\"id\": \"a\", \"layer\": {}}]}", "{}", "nodes[0].layer must be a string, got an object"),
    ("{\"nodes\": [{\"id\": \"a\", \"status\": 1}]}", "1}", "nodes[0].status must be a string, got a number"),
    (
      "{\"nodes\": [{\"id\": \"a\", \"status\": \"gone\"}]}", "\"gone\"",
      "nodes[0].status must be draft, active, deprecated or retired, got 'gone'"
    ),
    ("{\"nodes\": [{\"id\": \"a\", \"tags\": \"pii\"}]}", "\"pii\"", "nodes[0].tags must be an array, got a string"),
    ("{\"nodes\": [{\"id\": \"a\", \"tags\": [\"pii\", 1]}]}", "1]", "nodes[0].tags[1] must be a string, got a number"),
    ("{\"nodes\": [{\"id\": \"a\"}, {\"domain\": \"d\"}]}", "{\"domain\"", "nodes[1] has no \"id\""),
    ("{\"nodes\": [{\"id\": \"\"}]}", "\"\"", "nodes[0].id is empty"),
    ("{\"nodes\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}", "\"a\"}]", "duplicate node id 'a'"),
    ("{\"edges\": {\"a\": \"b\"}}", "{\"a\"", #""edges" must be an array, got an object"#),
    (
      "{\"edges\": [[\"a\", \"b\"],\n  5]}", "5",
      "edges[1] must be a pair [src, dst] or an object {\"source\": src, \"target\": dst}, got a number"
    ),
    ("{\"edges\": [[\"a\", 5]]}", "5", "edges[0][1] must be a string, got a number"),
    ("{\"edges\": [[null, \"b\"]]}", "null", "edges[0][0] must be a string, got null"),
    ("{\"edges\": [[\"a\"]]}", "[\"a\"]", "edges[0] must be a pair [src, dst], got 1 element"),
    ("{\"edges\": [[\"a\", \"b\", \"c\"]]}", "[\"a\"", "edges[0] must be a pair [src, dst], got 3 elements"),
    ("{\"edges\": [[]]}", "[]", "edges[0] must be a pair [src, dst], got 0 elements"),
    ("{\"edges\": [{\"source\": \"a\", \"target\": 1}]}", "1}", "edges[0].target must be a string, got a number"),
    ("{\"edges\": [{\"source\": \"a\"}]}", "{\"source\"", "edges[0] needs \"source\" and \"target\""),
  ]

  @Test(arguments: shapes)
  func wrongShapesStopTheLoadWithTheirPlace(_ text: String, _ marker: String, _ message: String) {
    let (line, column) = position(of: marker, in: text)
    for ahead in [true, false] {
      do {
        _ = try load(text, ahead: ahead)
        Issue.record("\(message): loaded")
      } catch {
        #expect(error.message == message)
        #expect(error.location == LineageCore.SourceLocation(file: "g.json", line: line, column: column), "\(message)")
      }
    }
  }

  /// The same errors at the end of a large document, where the edge scan runs ahead
  /// and gives up: the ordinary pass reports them the same way.
  @Test func wrongShapesAfterTheScannedEdges() {
    for (tail, message) in [
      (",\n[\"int.domain.1\", 42]", "edges[5999][1] must be a string, got a number"),
      (",\n[\"int.domain.1\"]", "edges[5999] must be a pair [src, dst], got 1 element"),
      (",\n7", "edges[5999] must be a pair [src, dst] or an object {\"source\": src, \"target\": dst}, got a number"),
    ] {
      let text = Self.document(5_000, tail: tail)
      for ahead in [true, false] {
        do {
          _ = try load(text, ahead: ahead)
          Issue.record("\(message): loaded")
        } catch {
          #expect(error.message == message)
          #expect(error.location?.line == text.split(separator: "\n", omittingEmptySubsequences: false).count)
        }
      }
    }
  }

  /// `null` is an absent value; keys the loader does not read may hold anything.
  @Test func nullAndUnreadFieldsLoad() throws {
    let text =
      #"{"nodes": [{"id": "a", "domain": null, "owner": null, "tags": null, "status": null, "x": [1, {"y": true}]}, {"id": "b", "name": 5}], "edges": [["a", "b"], {"from": "b", "to": "c", "weight": 2}], "meta": 1}"#
    for ahead in [true, false] {
      let m = try load(text, ahead: ahead)
      #expect(edges(m) == ["a>b", "b>c"])
    }
  }
}

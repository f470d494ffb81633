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

  @Test(arguments: [
    ("nodes first", false, ""),
    ("edges first", true, ""),
    ("an escaped id forces the ordinary pass", false, ",\n[\"int.domain.1\", \"int.d\\u006fmain.5\"]"),
    ("an edge object forces the ordinary pass", false, ",\n{\"source\": \"int.domain.2\", \"target\": \"int.domain.9\"}"),
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
}

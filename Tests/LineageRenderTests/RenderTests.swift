import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders
@testable import LineageRender

#if canImport(FoundationXML)
  import FoundationXML
#endif

enum Fixture {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let snapshots = root + "/Tests/LineageRenderTests/Snapshots"

  static func model(_ sample: String) throws -> LineageModel {
    try ModelLoader.load(path: root + "/samples/" + sample)
  }

  static func graphJSON(_ text: String) throws -> LineageModel {
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBufferPointer { p in
      try GraphJSONLoader.load(bytes: UnsafeBufferPointer(p), file: "test.json")
    }
  }

  /// Compares with a snapshot file, or records it under LINEAGE_RECORD=1.
  static func expectSnapshot(_ text: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    throws
  {
    let path = snapshots + "/" + name
    if ProcessInfo.processInfo.environment["LINEAGE_RECORD"] != nil {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return
    }
    let old = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    #expect(
      old == text, "differs from snapshot \(name) (re-record with LINEAGE_RECORD=1)", sourceLocation: sourceLocation)
  }
}

/// Collects the text content and the `class`/`id` attributes of an SVG.
final class SVGProbe: NSObject, XMLParserDelegate {
  var texts: [String] = []
  var classes: [String] = []
  var titles: [String] = []
  var tooltips: [String] = []
  var current = ""
  var inText = false, inTitle = false

  static func parse(_ bytes: [UInt8]) -> SVGProbe? {
    let probe = SVGProbe()
    let parser = XMLParser(data: Data(bytes))
    parser.delegate = probe
    return parser.parse() ? probe : nil
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    if let c = attributes["class"] { classes.append(c) }
    if let t = attributes["xlink:title"] { tooltips.append(t) }
    if name == "text" || name == "title" {
      inText = name == "text"
      inTitle = name == "title"
      current = ""
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { if inText || inTitle { current += string } }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    if name == "text" { texts.append(current) }
    if name == "title" { titles.append(current) }
    inText = false
    inTitle = false
  }
}

@Suite(.serialized) struct RenderTests {
  @Test(
    arguments: [
      ("demo-product", "demo", ViewLevel.product, nil, 0),
      ("demo-domain", "demo", .domain, nil, 0),
      ("demo-focus-orders", "demo", .product, "sales.orders", 1),
      ("demo-column-customers", "demo", .column, "crm.customers", 1),
      ("faulty-product", "faulty", .product, nil, 0),
    ] as [(String, String, ViewLevel, String?, Int)])
  func dotAndMermaidSnapshots(_ name: String, _ sample: String, _ level: ViewLevel, _ focus: String?, _ hops: Int)
    throws
  {
    let model = try Fixture.model(sample)
    let r = ViewRequest(
      level: level, focus: focus.map { [model.graph.index(of: $0)!] }, upstream: hops,
      downstream: hops)
    let plan = Views.plan(model, r)
    let dot = DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout)
    try Fixture.expectSnapshot(dot, name + ".dot")
    try Fixture.expectSnapshot(MermaidWriter.write(plan.diagram), name + ".mmd")
    // Deterministic: a second build gives the same bytes.
    let again = Views.plan(try Fixture.model(sample), r)
    #expect(DOTWriter.write(again.diagram, engine: again.engine, layout: again.layout) == dot)
  }

  @Test func svgIsWellFormedWithTitlesClassesAndTooltips() throws {
    let plan = Views.plan(try Fixture.model("faulty"), ViewRequest())
    let svg = try Graphviz.render(
      dot: DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout),
      engine: plan.engine, format: "svg")
    let probe = try #require(SVGProbe.parse(svg))
    #expect(probe.titles.contains("n0"))
    #expect(!probe.titles.contains { $0.contains("crm.customers") })  // ids are synthetic
    #expect(probe.texts.contains("sales.orders"))
    #expect(
      probe.classes.contains { $0.contains("kind-product") && $0.contains("domain-sales") && $0.contains("cycle") })
    #expect(probe.tooltips.contains { $0.hasPrefix("product sales.orders\ndomain: sales\nowner: team-sales\n") })
  }

  @Test func pngAndPdfHaveTheirMagicBytes() throws {
    let plan = Views.plan(try Fixture.model("faulty"), ViewRequest(level: .domain))
    let dot = DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout)
    let png = try Graphviz.render(dot: dot, engine: "dot", format: "png")
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    #expect(png.count > 2_000)
    let pdf = try Graphviz.render(dot: dot, engine: "dot", format: "pdf")
    #expect(pdf.starts(with: Array("%PDF-".utf8)))
    #expect(pdf.count > 1_000)
  }

  static let hostile = [
    #"quote"inside"#, #"back\slash"#, #"\N \G \E \T \H \L"#, "<tag>&amp;</tag>", "a|b{c}d", "brace}{",
    "non-ascii é 日本 🙂", "trailing\\", #"\"escaped\""#, "'single'", "dollar $x %y", "tab\there",
  ]

  @Test func hostileNamesRenderExactly() throws {
    func json(_ s: String) -> String {
      var out = "\""
      for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(u)
        }
      }
      return out + "\""
    }
    let nodes = Self.hostile.map { "{\"id\":\(json($0)),\"domain\":\(json("d " + $0))}" }.joined(separator: ",")
    let model = try Fixture.graphJSON("{\"nodes\":[\(nodes)],\"edges\":[]}")
    let plan = Views.plan(model, ViewRequest())
    let dot = DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout)
    let svg = try Graphviz.render(dot: dot, engine: plan.engine, format: "svg")
    let probe = try #require(SVGProbe.parse(svg))
    for name in Self.hostile {
      let shown = name.replacingOccurrences(of: "\t", with: " ")
      #expect(probe.texts.contains(shown), "\(name) not rendered exactly; texts: \(probe.texts)")
      #expect(probe.texts.contains("d " + shown), "cluster label of \(name)")
      #expect(probe.tooltips.contains { $0.hasPrefix("product \(shown)\n") }, "tooltip of \(name): \(probe.tooltips)")
    }
    // Mermaid: no raw quote, bracket or pipe from a name reaches the text.
    let mermaid = MermaidWriter.write(plan.diagram)
    for line in mermaid.split(separator: "\n") where line.contains("[\"") {
      let inner = line.drop { $0 != "\"" }.dropFirst().reversed().drop { $0 != "\"" }.dropFirst()
      #expect(!inner.contains("\"") && !inner.contains("|") && !inner.contains("]"), "\(line)")
    }
  }

  @Test func controlCharactersNeverReachGraphviz() throws {
    #expect(Escape.clean("a\u{0}b\u{1B}c\u{7}d") == "a b c d")
    #expect(Escape.dotText("x\u{0}y") == "\"x y\"")
    #expect(throws: RenderError.self) { try Graphviz.render(dot: "digraph { a\u{0} }", engine: "dot", format: "svg") }
  }

  @Test func graphvizErrorsBecomeSwiftErrors() throws {
    #expect(throws: RenderError.self) { try Graphviz.render(dot: "digraph { a -> }", engine: "dot", format: "svg") }
    #expect(throws: RenderError.self) { try Graphviz.render(dot: "digraph { a }", engine: "nosuch", format: "svg") }
    #expect(throws: RenderError.self) { try Graphviz.render(dot: "digraph { a }", engine: "dot", format: "nosuch") }
    #expect(throws: RenderError.self) { try Graphviz.render(dot: "", engine: "dot", format: "svg") }
    // A failure does not poison the next render.
    #expect(try Graphviz.render(dot: "digraph { a -> b }", engine: "dot", format: "svg").count > 100)
    let plugins = try Graphviz.plugins()
    #expect(plugins.layouts.contains("dot") && plugins.layouts.contains("sfdp"))
    #expect(plugins.formats.contains("svg") && plugins.formats.contains("png"))
  }

  @Test func parallelRendersAreSafe() async throws {
    let plan = Views.plan(try Fixture.model("faulty"), ViewRequest())
    let dot = DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout)
    let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
      for i in 0..<32 {
        group.addTask { try Graphviz.render(dot: dot, engine: i % 2 == 0 ? "dot" : "sfdp", format: "svg").count }
      }
      var out: [Int] = []
      for try await s in group { out.append(s) }
      return out
    }
    #expect(sizes.count == 32 && sizes.allSatisfy { $0 > 1_000 })
  }

  @Test func largeViewsDegrade() throws {
    // 5,000 nodes in 10 domains, a chain per domain.
    var nodes: [String] = [], edges: [String] = []
    for i in 0..<5_000 {
      nodes.append("{\"id\":\"n\(i)\",\"domain\":\"d\(i % 10)\"}")
      if i >= 10 { edges.append("[\"n\(i - 10)\",\"n\(i)\"]") }
    }
    let model = try Fixture.graphJSON(
      "{\"nodes\":[\(nodes.joined(separator: ","))],\"edges\":[\(edges.joined(separator: ","))]}")
    let plan = Views.plan(model, ViewRequest())
    #expect(plan.level == .domain)
    #expect(plan.diagram.nodes.count == 10)
    #expect(plan.diagram.notes.first?.contains("showing the domain level") == true)
    let mid = Views.plan(model, ViewRequest(focus: [0, 1, 2], upstream: 0, downstream: 2_000))
    #expect(mid.level == .product && mid.engine == "sfdp")
    let small = Views.plan(model, ViewRequest(focus: [0], upstream: 0, downstream: 40))
    #expect(small.engine == "dot" && small.layout["nslimit"] == nil)
    #expect(small.diagram.nodes.contains { $0.label == .lines(["+1 more downstream"]) })
    let forced = Views.plan(model, ViewRequest(focus: [0], upstream: 0, downstream: 40, engine: "neato"))
    #expect(forced.engine == "neato" && forced.diagram.notes.contains("layout engine neato chosen by the request"))
    // The notes name no front end's option; a front end gives its own words.
    #expect(!plan.diagram.notes.contains { $0.contains("--") })
    let worded = Views.plan(
      model,
      ViewRequest(
        focus: [0], upstream: 0, downstream: 40, engine: "neato",
        wording: .init(engineChosen: "chosen with --engine")))
    #expect(worded.diagram.notes.contains("layout engine neato chosen with --engine"))
  }
}

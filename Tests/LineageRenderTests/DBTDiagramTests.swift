import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders
@testable import LineageRender

/// Diagrams of dbt projects: tests left out unless asked for, dbt's names as labels,
/// clusters by package and folder, and a domain level that stays readable.
@Suite struct DBTDiagramTests {
  static func jaffle() throws -> LineageModel {
    try ModelLoader.load(path: Fixture.root + "/samples/jaffle_shop/target/manifest.json")
  }

  static func dot(_ plan: PlannedView) -> String {
    DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout)
  }

  @Test func snapshots() throws {
    let m = try Self.jaffle()
    try Fixture.expectSnapshot(Self.dot(Views.plan(m, ViewRequest())), "jaffle-product.dot")
    try Fixture.expectSnapshot(Self.dot(Views.plan(m, ViewRequest(showChecks: true))), "jaffle-product-tests.dot")
    try Fixture.expectSnapshot(Self.dot(Views.plan(m, ViewRequest(level: .domain))), "jaffle-domain.dot")
    try Fixture.expectSnapshot(MermaidWriter.write(Views.plan(m, ViewRequest()).diagram), "jaffle-product.mmd")
  }

  @Test func testsAreLeftOutWithANote() throws {
    let m = try Self.jaffle()
    let plan = Views.plan(m, ViewRequest())
    #expect(plan.diagram.nodes.count == 8)
    #expect(plan.diagram.notes.first == "20 tests left out (ask for checks to see them)")
    #expect(!plan.diagram.nodes.contains { $0.classes.contains("kind-test") })
    let all = Views.plan(m, ViewRequest(showChecks: true))
    #expect(all.diagram.nodes.count == 28)
    #expect(!all.diagram.notes.contains { $0.contains("left out") })
  }

  @Test func stubsDoNotCountHiddenTestsAndAFocusedTestStays() throws {
    let m = try Self.jaffle()
    let g = m.graph
    let stg = try #require(g.index(of: "model.jaffle_shop.stg_orders"))
    let plan = Views.plan(m, ViewRequest(focus: [stg], upstream: 0, downstream: 0))
    // stg_orders is read by orders, customers and three tests: two readers are cut.
    let stubs = plan.diagram.nodes.filter { $0.classes == ["stub"] }.map(\.label)
    #expect(stubs == [.lines(["+1 more upstream"]), .lines(["+2 more downstream"])])
    let test = try #require(g.index(of: "test.jaffle_shop.unique_stg_orders_order_id.e3b841c71a"))
    let focused = Views.plan(m, ViewRequest(focus: [test], upstream: 1, downstream: 0))
    #expect(focused.diagram.nodes.contains { $0.label == .lines(["unique_stg_orders_order_id"]) })
  }

  @Test func aBlastRadiusKeepsTheTestsItBreaks() throws {
    let m = try Self.jaffle()
    let impact = try ImpactAnalysis.analyze(m, target: "model.jaffle_shop.stg_customers.customer_id", change: .drop)
    let plan = Views.plan(m, ViewRequest(impact: impact))
    let tests = plan.diagram.nodes.filter { $0.classes.contains("kind-test") }
    #expect(!tests.isEmpty)
    #expect(tests.allSatisfy { $0.classes.contains("verdict-breaks") || $0.classes.contains("verdict-may-break") })
  }

  /// Nodes named alike are told apart by package, version and kind, else by id.
  @Test func sharedNamesAreToldApart() throws {
    func node(_ id: String, _ type: String, name: String, package: String?, version: String? = nil) -> MeshNode {
      var n = MeshNode(id: id, kind: NodeKind(rawValue: type))
      n.resource = ImportedResource(
        type: type, name: name, package: package, path: "models/x/\(name).sql",
        sourceName: type == "source" ? "raw" : nil,
        version: version)
      n.provenance = [Provenance(.imported, file: "m.json", detail: "dbt manifest v12")]
      return n
    }
    var mesh = Mesh(name: "m")
    mesh.nodes = [
      node("model.a.orders", "model", name: "orders", package: "a"),
      node("model.b.orders", "model", name: "orders", package: "b"),
      node("model.a.dim.v1", "model", name: "dim", package: "a", version: "1"),
      node("model.a.dim.v2", "model", name: "dim", package: "a", version: "2"),
      node("semantic_model.a.dim", "semantic_model", name: "dim", package: "a"),
      node("source.a.raw.events", "source", name: "events", package: "a"),
      node("model.a.same", "model", name: "same", package: "a"),
      node("snapshot.a.same", "model", name: "same", package: "a"),
      MeshNode(id: "sales.orders", kind: .product),
    ]
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "test")
    let g = model.graph
    let labels = Views.labels(model, Array(0..<Int32(g.nodeCount)))
    let byID = Dictionary(uniqueKeysWithValues: labels.map { (g.id($0.key), $0.value) })
    #expect(byID["model.a.orders"] == "orders (a)")
    #expect(byID["model.b.orders"] == "orders (b)")
    #expect(byID["model.a.dim.v1"] == "dim (v1 model)")
    #expect(byID["model.a.dim.v2"] == "dim (v2 model)")
    #expect(byID["semantic_model.a.dim"] == "dim (semantic_model)")
    #expect(byID["source.a.raw.events"] == "raw.events")
    #expect(byID["model.a.same"] == "model.a.same")
    #expect(byID["snapshot.a.same"] == "snapshot.a.same")
    #expect(byID["sales.orders"] == "sales.orders")
    // Clusters: package and folder, after the domains; the mesh node is in none.
    let (clusters, of) = Views.clusters(model, Array(0..<Int32(g.nodeCount)))
    #expect(clusters.map(\.label) == ["a · models/x", "b · models/x"])
    #expect(of[try #require(g.index(of: "sales.orders"))] == nil)
  }

  /// A domain level past 60 edges between domains draws each domain's heaviest in and
  /// out edge and then the heaviest, with a note.
  @Test func aDenseDomainLevelDrawsItsHeaviestEdges() throws {
    var nodes: [String] = [], edges: [String] = []
    let domains = 16
    for d in 0..<domains {
      nodes.append(#"{"id":"d\#(d).a","domain":"d\#(d)"}"#)
      for e in 0..<domains where e != d {
        // d -> e with (d + e) % 7 + 1 product edges.
        for k in 0..<((d + e) % 7 + 1) {
          nodes.append(#"{"id":"d\#(e).r\#(d)_\#(k)","domain":"d\#(e)"}"#)
          edges.append(#"["d\#(d).a","d\#(e).r\#(d)_\#(k)"]"#)
        }
      }
    }
    let model = try Fixture.graphJSON(
      #"{"nodes":[\#(nodes.joined(separator: ","))],"edges":[\#(edges.joined(separator: ","))]}"#)
    let plan = Views.plan(model, ViewRequest(level: .domain))
    #expect(plan.diagram.edges.count == Views.domainEdgeLimit)
    let from = Set(plan.diagram.edges.map(\.from)), to = Set(plan.diagram.edges.map(\.to))
    #expect(from.count == domains && to.count == domains)
    #expect(plan.diagram.edges.allSatisfy { Int($0.attributes["penwidth"] ?? "") ?? 0 >= 1 })
    #expect(
      plan.diagram.notes.contains {
        $0.hasPrefix("60 of the 240 edges between domains drawn: each domain's heaviest in and out, then the heaviest")
      })
    // Under the limit: every edge, absolute widths, no note.
    let small = Views.plan(try Fixture.model("demo"), ViewRequest(level: .domain))
    #expect(!small.diagram.notes.contains { $0.contains("edges between domains drawn") })
  }
}

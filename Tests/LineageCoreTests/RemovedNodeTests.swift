import Testing

@testable import LineageCore

/// A removed node's readers in HEAD are its blast radius: those that still name it
/// break, and what reads them in turn; those updated in HEAD no longer count.
@Suite struct RemovedNodeTests {
  func model(_ nodes: [MeshNode]) -> LineageModel {
    LineageModel(
      mesh: Mesh(
        name: "t", domains: [Domain(id: "x", owner: "tx"), Domain(id: "y", owner: "ty")],
        teams: [Team(id: "tx"), Team(id: "ty")], nodes: nodes),
      loadFindings: [], source: "t")
  }

  /// x.src (team tx) is read by x.mid (by name and lineage), y.lineage_only (lineage
  /// alone), y.updated (by name); y.far reads x.mid without columns and y.named reads
  /// x.mid.v by name.
  var base: [MeshNode] {
    [
      MeshNode(id: "x.src", kind: .source, domain: "x", schema: [Column(name: "id"), Column(name: "v")]),
      MeshNode(
        id: "x.mid", kind: .product, domain: "x", inputs: [Input(product: "x.src", columns: ["id", "v"])],
        schema: [
          Column(name: "id", from: [ColumnRef(product: "x.src", column: "id")]),
          Column(name: "v", from: [ColumnRef(product: "x.src", column: "v")]),
        ]),
      MeshNode(id: "x.other", kind: .product, domain: "x", schema: [Column(name: "id")]),
      MeshNode(id: "y.far", kind: .product, domain: "y", inputs: [Input(product: "x.mid")]),
      MeshNode(id: "y.named", kind: .consumer, domain: "y", inputs: [Input(product: "x.mid", columns: ["v"])]),
      MeshNode(
        id: "y.lineage_only", kind: .product, domain: "y",
        schema: [Column(name: "w", from: [ColumnRef(product: "x.src", column: "v", transform: .aggregation)])]),
      MeshNode(id: "y.updated", kind: .consumer, domain: "y", inputs: [Input(product: "x.src", columns: ["id"])]),
    ]
  }

  func removed(_ changes: [MeshChange], _ id: String) throws -> MeshChange {
    try #require(changes.first { $0.kind == .productRemoved && $0.product == id })
  }

  func verdicts(_ c: MeshChange) -> [String: String] {
    guard let r = c.impact, let m = c.impactModel else { return [:] }
    return Dictionary(uniqueKeysWithValues: r.affected.map { (m.graph.id($0.node), $0.verdict.rawValue) })
  }

  @Test func readersThatStillNameItBreakAndUpdatedOnesDoNot() throws {
    var head = base.filter { $0.id != "x.src" }
    // y.updated moved to x.other in HEAD.
    head[head.firstIndex { $0.id == "y.updated" }!].inputs = [Input(product: "x.other", columns: ["id"])]
    let (changes, _) = MeshDiff.compare(base: model(base), head: model(head))
    let c = try removed(changes, "x.src")
    #expect(c.breaking && c.schemaChange == .retire)
    #expect(verdicts(c) == ["x.mid": "breaks", "y.lineage_only": "breaks", "y.named": "breaks", "y.far": "may-break"])
    let r = try #require(c.impact), m = try #require(c.impactModel)
    let named = try #require(r.affected.first { m.graph.id($0.node) == "y.named" })
    #expect(named.reason == "reads x.mid.v by name")
    #expect(named.path.map { m.graph.id($0) } == ["x.src", "x.mid", "y.named"])
    // The gate: team ty breaks, so the change fails at 'breaks'.
    let decision = DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-01-01")
    #expect(decision.failing.map { changes[$0].key } == ["product-removed x.src"])
  }

  @Test func aDirectReaderSaysTheProductIsRemoved() throws {
    let base = [
      MeshNode(id: "x.gone", kind: .product, domain: "x", schema: [Column(name: "a")]),
      MeshNode(id: "y.reader", kind: .consumer, domain: "y", inputs: [Input(product: "x.gone")]),
    ]
    let (changes, _) = MeshDiff.compare(base: model(base), head: model([base[1]]))
    let c = try removed(changes, "x.gone")
    let a = try #require(c.impact?.affected.first)
    #expect(a.verdict == .breaks && a.reason == "reads x.gone, which is removed")
    #expect(!DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-01-01").passed)
  }

  @Test func noReaderLeftMeansNothingBreaks() throws {
    // Every reader updated: the removal is breaking, but it reaches nothing.
    let head = base.filter { !["x.src", "y.lineage_only", "y.updated"].contains($0.id) }.map { n -> MeshNode in
      var n = n
      if n.id == "x.mid" {
        n.inputs = []
        n.schema = [Column(name: "id"), Column(name: "v")]
      }
      return n
    }
    let (changes, _) = MeshDiff.compare(base: model(base), head: model(head))
    let c = try removed(changes, "x.src")
    #expect(c.breaking && c.impact?.affected.isEmpty == true)
    let decision = DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-01-01")
    #expect(!decision.failing.contains { changes[$0].key == "product-removed x.src" })
    #expect(
      DiffGate.decide(changes, threshold: .any, ignores: [], today: "2026-01-01").failing
        .contains { changes[$0].key == "product-removed x.src" })
  }

  @Test func readersInsideTheChangingTeamDoNotFailTheGate() throws {
    // Only x.mid (team tx, like x.src) still reads x.src; y's readers moved away.
    let head = base.filter { !["x.src", "y.lineage_only", "y.updated", "y.named", "y.far"].contains($0.id) }
    let (changes, _) = MeshDiff.compare(base: model(base), head: model(head))
    let c = try removed(changes, "x.src")
    #expect(verdicts(c) == ["x.mid": "breaks"])
    #expect(DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-01-01").passed)
    #expect(!DiffGate.decide(changes, threshold: .any, ignores: [], today: "2026-01-01").passed)
  }
}

import Testing

@testable import LineageCore

@Suite struct DiffTests {
  func model(_ nodes: [MeshNode]) -> LineageModel {
    LineageModel(
      mesh: Mesh(
        name: "t", domains: [Domain(id: "x", owner: "tx"), Domain(id: "y", owner: "ty")],
        teams: [Team(id: "tx"), Team(id: "ty")], nodes: nodes),
      loadFindings: [], source: "t")
  }

  func product(
    _ id: String, _ domain: String, version: String = "1.0.0", columns: [Column],
    inputs: [Input] = []
  ) -> MeshNode {
    MeshNode(id: id, kind: .product, domain: domain, version: version, inputs: inputs, schema: columns)
  }

  var base: [MeshNode] {
    [
      product(
        "a", "x",
        columns: [
          Column(name: "id", type: "int", nullable: false), Column(name: "name", type: "varchar(10)"),
          Column(name: "old", type: "date"),
        ]),
      product(
        "b", "y",
        columns: [
          Column(name: "id", type: "int", nullable: false, from: [ColumnRef(product: "a", column: "id")]),
          Column(name: "name", type: "varchar(10)", from: [ColumnRef(product: "a", column: "name")]),
        ], inputs: [Input(product: "a", columns: ["id", "name"])]),
      product("gone", "x", columns: []),
    ]
  }

  @Test func classifiesEveryKindOfChange() {
    var head = base
    head[0].schema = [
      Column(name: "id", type: "bigint", nullable: true),
      Column(name: "label", type: "varchar(3)", renamedFrom: "name"),
      Column(name: "added", type: "int"),
    ]
    head[0].version = "1.1.0"
    head[0].access = .private
    head[1].owner = "ty"
    head.remove(at: 2)
    head.append(product("new", "y", columns: []))
    let (changes, versions) = MeshDiff.compare(base: model(base), head: model(head))
    let summary = changes.map { "\($0.kind.rawValue) \($0.product)\($0.column.map { "." + $0 } ?? "") \($0.breaking)" }
    #expect(
      summary == [
        "access-narrowed a true", "version-changed a false", "column-added a.added false",
        "column-retyped a.id false", "column-nullable a.id true", "column-renamed a.label true",
        "column-retyped a.label true", "column-dropped a.old true", "owner-changed b false",
        "product-removed gone true", "product-added new false",
      ])
    // a is private now: b, owned by team ty, may no longer read it.
    let narrowed = changes.first { $0.kind == .accessNarrowed }
    #expect(narrowed?.impact?.affected.map { narrowed?.impactModel?.graph.id($0.node) } == ["b"])
    // The rename breaks b, which still reads a.name; b is owned by another team.
    let rename = changes.first { $0.kind == .columnRenamed }
    let hit = rename?.impact?.affected.map { rename?.impactModel?.graph.id($0.node) }
    #expect(hit == ["b"])
    #expect(
      versions.first { $0.product == "a" }.map { ($0.suggested, $0.actual, $0.insufficient) } ?? (.none, .none, false)
        == (.major, .minor, true))
  }

  @Test func updatedReadersDoNotCount() {
    var head = base
    head[0].schema.remove(at: 1)  // drop a.name
    head[1].schema.remove(at: 1)  // ... and b stops reading it
    head[1].inputs = [Input(product: "a", columns: ["id"])]
    let (changes, _) = MeshDiff.compare(base: model(base), head: model(head))
    let drop = changes.first { $0.kind == .columnDropped && $0.product == "a" }
    #expect(drop?.breaking == true)
    #expect(drop?.impact?.affected.isEmpty == true)
  }

  @Test func gateThresholdsAndIgnores() {
    var head = base
    head[0].schema.remove(at: 1)
    let (changes, _) = MeshDiff.compare(base: model(base), head: model(head))
    let key = "column-dropped a.name"
    #expect(changes.map(\.key).contains(key))
    #expect(!DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-11-23").passed)
    let live = IgnoreEntry(change: key, reason: "agreed", expires: "2026-12-31")
    let ok = DiffGate.decide(changes, threshold: .breaks, ignores: [live], today: "2026-11-23")
    #expect(ok.passed && ok.suppressed.count == 1)
    let expired = DiffGate.decide(changes, threshold: .breaks, ignores: [live], today: "2027-01-01")
    #expect(!expired.passed && expired.expired == [live])
    let stale = IgnoreEntry(change: "column-dropped a.zzz", reason: "x", expires: "2099-01-01")
    #expect(DiffGate.decide(changes, threshold: .breaks, ignores: [stale], today: "2026-11-23").unused == [stale])
    // A change that only hurts its own team passes "breaks" but not "any".
    var own = base
    own[1].domain = "x"
    var ownHead = own
    ownHead[0].schema.remove(at: 1)
    let (c2, _) = MeshDiff.compare(base: model(own), head: model(ownHead))
    #expect(DiffGate.decide(c2, threshold: .breaks, ignores: [], today: "2026-11-23").passed)
    #expect(!DiffGate.decide(c2, threshold: .any, ignores: [], today: "2026-11-23").passed)
  }

  @Test(
    arguments: [
      ("1.2.3", "2.0.0", VersionAdvice.Bump.major), ("1.2.3", "1.3.0", .minor), ("1.2.3", "1.2.4", .patch),
      ("1.2.3", "1.2.3", .none), ("1", "1.1", .minor), ("2.0.0", "1.9.0", .none), (nil, "1.0.0", .patch),
    ] as [(String?, String?, VersionAdvice.Bump)])
  func semverBumps(_ a: String?, _ b: String?, _ expected: VersionAdvice.Bump) {
    #expect(MeshDiff.bump(a, b) == expected)
  }
}

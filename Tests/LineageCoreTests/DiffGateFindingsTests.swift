import Testing

@testable import LineageCore

/// The core diff decides severities and makes the findings (`DiffGate.findings`), and
/// says where each change stands; reports only format them.
@Suite struct DiffGateFindingsTests {
  func model(_ nodes: [MeshNode]) -> LineageModel {
    LineageModel(
      mesh: Mesh(
        name: "t", domains: [Domain(id: "x", owner: "tx"), Domain(id: "y", owner: "ty")],
        teams: [Team(id: "tx"), Team(id: "ty")], nodes: nodes),
      loadFindings: [], source: "t")
  }

  var base: [MeshNode] {
    [
      MeshNode(
        id: "a", kind: .product, domain: "x", version: "1.0.0",
        schema: [Column(name: "id", type: "int"), Column(name: "name", type: "varchar(10)")]),
      MeshNode(
        id: "b", kind: .product, domain: "y", version: "1.0.0",
        inputs: [Input(product: "a", columns: ["id", "name"])],
        schema: [Column(name: "name", from: [ColumnRef(product: "a", column: "name")])]),
    ]
  }

  @Test func severitiesFollowTheGate() throws {
    var head = base
    head[0].schema.remove(at: 1)  // drop a.name: b (team ty) breaks
    head[0].schema.append(Column(name: "added", type: "int"))
    let old = model(base), new = model(head)
    let (changes, versions) = MeshDiff.compare(base: old, head: new)
    let dropped = try #require(changes.firstIndex { $0.kind == .columnDropped })
    let added = try #require(changes.firstIndex { $0.kind == .columnAdded })
    let dangling = MeshDiff.danglingReferences(base: old, head: new)

    let failing = DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-01-01")
    var f = DiffGate.findings(changes, versions: versions, decision: failing, dangling: dangling)
    #expect(f.changes.count == changes.count)
    #expect(f.changes[dropped].severity == .error && f.changes[added].severity == .info)
    #expect(f.changes[dropped].message.hasSuffix("; 1 break, 0 may break downstream"))
    #expect(changes[dropped].affectedCounts == (1, 0))
    #expect(failing.status(of: dropped, in: changes) == .fails && failing.status(of: added, in: changes) == .ok)
    // a 1.0.0 -> 1.0.0 with a dropped column: a semver warning.
    #expect(f.versions.map(\.rule) == ["semver"] && f.versions[0].severity == .warning)
    #expect(f.all.count == f.changes.count + f.versions.count + f.ignoreEntries.count + dangling.all.count)

    // Ignored until a date: a warning that says so, status "ignored".
    let entry = IgnoreEntry(change: changes[dropped].key, reason: "agreed", expires: "2026-12-31")
    let stale = IgnoreEntry(change: "column-dropped a.zzz", reason: "x", expires: "2026-12-31")
    let expired = IgnoreEntry(change: "column-dropped a.old", reason: "x", expires: "2025-01-01")
    let ignored = DiffGate.decide(changes, threshold: .breaks, ignores: [entry, stale, expired], today: "2026-01-01")
    f = DiffGate.findings(changes, versions: versions, decision: ignored, dangling: dangling)
    #expect(ignored.status(of: dropped, in: changes) == .ignored && ignored.suppression(of: dropped) == entry)
    #expect(f.changes[dropped].severity == .warning)
    #expect(f.changes[dropped].message.hasSuffix("; ignored until 2026-12-31: agreed"))
    #expect(f.ignoreEntries.map(\.rule) == ["ignore-expired", "ignore-unused"])
    #expect(f.ignoreEntries.map(\.severity) == [.warning, .info])

    // A breaking change that reaches only its own team: "breaking", a warning.
    var own = base
    own[1].domain = "x"
    var ownHead = own
    ownHead[0].schema.remove(at: 1)
    let (c2, v2) = MeshDiff.compare(base: model(own), head: model(ownHead))
    let i2 = try #require(c2.firstIndex { $0.kind == .columnDropped })
    let passing = DiffGate.decide(c2, threshold: .breaks, ignores: [], today: "2026-01-01")
    #expect(passing.passed && passing.status(of: i2, in: c2) == .breaking)
    let f2 = DiffGate.findings(c2, versions: v2, decision: passing, dangling: .init())
    #expect(f2.changes[i2].severity == .warning)
  }

  @Test func danglingReferencesAreSplitByKind() {
    var head = base
    head.remove(at: 0)  // b still reads a, and a.name's lineage
    let d = MeshDiff.danglingReferences(base: model(base), head: model(head))
    #expect(!d.unresolved.isEmpty)
    #expect(d.unresolved.allSatisfy { $0.rule == "unresolved-reference" })
    #expect(d.columnsNotRead.allSatisfy { $0.rule == "lineage-column-not-read" })
    #expect(d.all.count == d.unresolved.count + d.columnsNotRead.count)
    // Nothing new dangles when nothing changed.
    #expect(MeshDiff.danglingReferences(base: model(base), head: model(base)).all.isEmpty)
  }
}

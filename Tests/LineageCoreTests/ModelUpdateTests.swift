import PropertyBased
import Testing

@testable import LineageCore

/// A model brought up to date from the previous one (``LineageModel/init(updating:mesh:change:loadFindings:source:)``)
/// is the model built whole, array for array and finding for finding, over chains of
/// random changes: nodes changed, put in anywhere, moved, ids that were named before
/// they had a node, and the changes an update cannot take (a node taken away, an id
/// repeated, new teams), which build the model whole.
@Suite struct ModelUpdateTests {
  /// A random node `id`: inputs among `ids` and ids with no node yet ("ghost"s),
  /// lineage to their columns (declared or not), tags, kinds, owners, deprecations.
  static func node(
    _ id: String, among ids: [String], implicit: Bool = true, _ random: inout SeededRandom
  ) -> MeshNode {
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
    var inputs: [Input] = []
    for _ in 0..<pick(4) {
      let product = pick(8) == 0 || ids.isEmpty ? "ghost\(pick(6))" : ids[pick(ids.count)]
      inputs.append(Input(product: product, columns: pick(4) == 0 ? [implicit ? "c\(pick(4))" : "c0"] : nil))
    }
    var schema: [Column] = []
    // Now and then a wide node (more columns than are found by a scan: they are hashed).
    let wide = pick(8) == 0 ? ColumnGraph.scanned + 1 : 0
    for c in 0..<(wide + (implicit ? pick(4) : 1 + pick(3))) {
      // Lineage to the inputs' columns, declared or not (then implicit); or, for
      // meshes without implicit columns, to their first column when they have one.
      // Now and then from a product that is not an input; with any transform.
      let transforms: [Transform] = [.identity, .transformation, .aggregation, .join, .filter]
      var products = inputs.prefix(pick(3)).map(\.product)
      if pick(6) == 0, !ids.isEmpty { products.append(ids[pick(ids.count)]) }
      let from = products.map {
        ColumnRef(
          product: $0, column: implicit ? "c\(pick(5))" : "c0", transform: transforms[pick(transforms.count)])
      }
      schema.append(Column(name: "c\(c)", type: "INT", from: pick(2) == 0 ? from : []))
    }
    if pick(25) == 0 { schema.append(Column(name: "c0")) }
    var n = MeshNode(
      id: id, kind: pick(15) == 0 ? .consumer : (pick(3) == 0 ? .source : .product),
      domain: pick(4) == 0 ? nil : "d\(pick(3))", owner: pick(3) == 0 ? nil : "t\(pick(3))", inputs: inputs,
      schema: schema)
    let tags = ["pii", "gold", "core", "raw", "tag\(pick(4))"]
    n.tags = (0..<pick(3)).map { _ in tags[pick(tags.count)] }
    n.status = [.active, .active, .draft, .deprecated][pick(4)]
    if pick(12) == 0 { n.deprecation = Deprecation(replacedBy: pick(2) == 0 ? "ghost\(pick(6))" : "p\(pick(40))") }
    if pick(10) == 0 { n.resource = ImportedResource(type: "model", name: id, fqn: pick(2) == 0 ? [] : ["pkg", id]) }
    return n
  }

  /// Asserts that `updated` is `whole`, part for part.
  static func expectSame(_ updated: LineageModel, _ whole: LineageModel, _ what: String) {
    let (a, b) = (updated.graph, whole.graph)
    #expect(a.nodeCount == b.nodeCount, "\(what): nodes")
    guard a.nodeCount == b.nodeCount else { return }
    #expect(a.ids.strings == b.ids.strings, "\(what): ids")
    #expect(a.kindNames.strings == b.kindNames.strings, "\(what): kind names")
    #expect(a.domainNames.strings == b.domainNames.strings, "\(what): domain names")
    #expect(a.ownerNames.strings == b.ownerNames.strings, "\(what): owner names")
    #expect(a.tagNames.strings == b.tagNames.strings, "\(what): tag names")
    #expect(Array(a.kind) == Array(b.kind) && Array(a.domain) == Array(b.domain), "\(what): kinds, domains")
    #expect(Array(a.owner) == Array(b.owner) && a.status == b.status, "\(what): owners, statuses")
    #expect(a.tags == b.tags && a.declared == b.declared, "\(what): tags")
    #expect(a.forward == b.forward && a.reverse == b.reverse, "\(what): edges")
    #expect(a.resources == b.resources && a.usesDBTSelection == b.usesDBTSelection, "\(what): resources")
    for v in 0..<Int32(a.nodeCount) { #expect(a.index(of: a.id(v)) == v, "\(what): lookup") }
    #expect(a.index(of: "no such id") == nil)
    let (c, d) = (updated.columns, whole.columns)
    #expect(c.node == d.node && c.declared == d.declared, "\(what): columns")
    #expect((0..<Int32(c.count)).map(c.name) == (0..<Int32(d.count)).map(d.name), "\(what): column names")
    #expect(c.forward == d.forward && c.transform == d.transform && c.reads == d.reads, "\(what): column edges")
    #expect(c.hashed == d.hashed, "\(what): hashed columns")
    #expect(updated.findings == whole.findings, "\(what): findings")
    #expect(updated.declarationIndex == whole.declarationIndex, "\(what): declarations")
    #expect(updated.mesh.nodes == whole.mesh.nodes)
  }

  @Test(arguments: 0..<16)
  func anUpdateIsTheModelBuiltWhole(seed: Int) {
    // Odd seeds: lineage only to declared columns (most column graphs are then
    // brought up to date; ghost inputs still make implicit ones now and then).
    let implicit = seed % 2 == 0
    var random = SeededRandom(seed: UInt64(seed) &* 104_729 &+ 17)
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
    var mesh = Mesh(name: "m")
    mesh.domains = [Domain(id: "d0", owner: "t0"), Domain(id: "d1")]
    mesh.teams = [Team(id: "t0"), Team(id: "t1")]
    var fresh = 0
    for i in 0..<(10 + pick(40)) {
      let ids = mesh.nodes.map(\.id)
      mesh.nodes.append(Self.node("p\(i)", among: ids, implicit: implicit, &random))
    }
    var model = LineageModel(mesh: mesh, loadFindings: [], source: "test")
    var updates = 0
    var columnUpdates = 0
    for step in 0..<30 {
      // The next mesh, with each node's origin.
      var nodes = mesh.nodes.enumerated().map { (node: $0.element, origin: Int32($0.offset)) }
      let ids = mesh.nodes.map(\.id)
      let kind = pick(20)
      var unfit = false
      for _ in 0..<(1 + pick(4)) {
        switch pick(6) {
        case 0, 1:
          // A node changes.
          guard !nodes.isEmpty else { continue }
          let k = pick(nodes.count)
          nodes[k] = (Self.node(nodes[k].node.id, among: ids, implicit: implicit, &random), -1)
        case 2, 3:
          // A new node, anywhere: now and then with an id named before it had a node.
          fresh += 1
          let id = pick(3) == 0 ? "ghost\(pick(6))" : "n\(seed)_\(fresh)"
          guard !nodes.contains(where: { $0.node.id == id }) else { continue }
          nodes.insert((Self.node(id, among: ids + [id], implicit: implicit, &random), -1), at: pick(nodes.count + 1))
        case 4:
          // Two unchanged nodes change places.
          guard nodes.count > 1 else { continue }
          nodes.swapAt(pick(nodes.count), pick(nodes.count))
        default:
          // A node keeps its value but is said to be made anew.
          guard !nodes.isEmpty else { continue }
          nodes[pick(nodes.count)].origin = -1
        }
      }
      var next = mesh
      if kind == 0, !nodes.isEmpty {
        // Taken away: built whole (unless it was put in by this step).
        let gone = nodes.remove(at: pick(nodes.count)).node.id
        unfit = mesh.nodes.contains { $0.id == gone }
      } else if kind == 1, !nodes.isEmpty {
        // An id repeated: built whole.
        nodes.append((nodes[pick(nodes.count)].node, -1))
        unfit = true
      } else if kind == 2 {
        // Teams changed: built whole.
        next.teams.append(Team(id: "t\(3 + step)"))
        unfit = true
      }
      next.nodes = nodes.map(\.node)
      let change = MeshUpdate(origin: nodes.map(\.origin), previousCount: mesh.nodes.count)
      let loadFindings = [Finding(rule: .unresolvedReference, severity: .info, message: "step \(step)")]
      let updated = LineageModel(
        updating: model.base, mesh: next, change: change, loadFindings: loadFindings, source: "test")
      let whole = LineageModel(mesh: next, loadFindings: loadFindings, source: "test")
      Self.expectSame(updated, whole, "seed \(seed), step \(step)")
      if updated.isUpdate { updates += 1 }
      if updated.columnsUpdated { columnUpdates += 1 }
      #expect(updated.isUpdate == (!unfit && model.base != nil), "seed \(seed), step \(step)")
      // A repeated id is not carried on (its model has no base: none would follow).
      if kind != 1 { (mesh, model) = (next, updated) }
    }
    // Most steps were updates, not builds.
    #expect(updates >= 15)
    if !implicit { #expect(columnUpdates >= 5, "\(columnUpdates) column graphs brought up to date") }
  }

  /// A merge of a declared mesh that stays and a mesh that changes (the server with
  /// `--mesh` inputs): the merge's update (``MeshUpdate/ofMerge(firstCount:previousPlaces:places:previousCount:count:change:)``)
  /// brings the merged model up to date, equal to the model built whole; nodes of
  /// both merge into one, and that node changes when its changing half does.
  @Test(arguments: 0..<8)
  func aMergeWithADeclaredMeshIsBroughtUpToDate(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &* 7_919 &+ 5)
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
    var declared = Mesh(name: "declared")
    declared.teams = [Team(id: "t0"), Team(id: "t1"), Team(id: "t2")]
    for i in 0..<(5 + pick(15)) {
      // Declared nodes, some with ids the events use.
      let id = pick(2) == 0 ? "o\(pick(30))" : "d\(i)"
      guard !declared.nodes.contains(where: { $0.id == id }) else { continue }
      declared.nodes.append(Self.node(id, among: declared.nodes.map(\.id), implicit: false, &random))
    }
    var observed = Mesh(name: "events")
    observed.teams = declared.teams
    for i in 0..<(10 + pick(20)) {
      observed.nodes.append(Self.node("o\(i)", among: observed.nodes.map(\.id), implicit: false, &random))
    }
    let parts = { (o: Mesh) in [Mesh.Part(mesh: declared, source: "mesh"), Mesh.Part(mesh: o, source: "events")] }
    var merged = Mesh.mergingWithPlaces(parts(observed))
    var model = LineageModel(mesh: merged.mesh, loadFindings: merged.findings, source: "both")
    var updates = 0
    for step in 0..<20 {
      var nodes = observed.nodes.enumerated().map { (node: $0.element, origin: Int32($0.offset)) }
      let ids = observed.nodes.map(\.id)
      for _ in 0..<(1 + pick(3)) {
        if pick(2) == 0, !nodes.isEmpty {
          let k = pick(nodes.count)
          nodes[k] = (Self.node(nodes[k].node.id, among: ids, implicit: false, &random), -1)
        } else {
          let id = "o\(30 + step * 4 + pick(4))"
          guard !nodes.contains(where: { $0.node.id == id }) else { continue }
          nodes.insert((Self.node(id, among: ids, implicit: false, &random), -1), at: pick(nodes.count + 1))
        }
      }
      var next = observed
      next.nodes = nodes.map(\.node)
      let change = MeshUpdate(origin: nodes.map(\.origin), previousCount: observed.nodes.count)
      let now = Mesh.mergingWithPlaces(parts(next))
      let first = Int(now.places[0].max() ?? -1) + 1
      let mergedChange = MeshUpdate.ofMerge(
        firstCount: first, previousPlaces: merged.places[1], places: now.places[1],
        previousCount: merged.mesh.nodes.count, count: now.mesh.nodes.count, change: change)
      #expect(mergedChange != nil)
      // Each node said to be unchanged is.
      for (i, o) in (mergedChange?.origin ?? []).enumerated() where o >= 0 {
        #expect(now.mesh.nodes[i] == merged.mesh.nodes[Int(o)], "seed \(seed), step \(step), node \(i)")
      }
      let updated = LineageModel(
        updating: model.base, mesh: now.mesh, change: mergedChange, loadFindings: now.findings, source: "both")
      Self.expectSame(
        updated, LineageModel(mesh: now.mesh, loadFindings: now.findings, source: "both"),
        "seed \(seed), step \(step)")
      if updated.isUpdate { updates += 1 }
      (observed, merged, model) = (next, now, updated)
    }
    #expect(updates >= 15, "\(updates) updates")
  }

  /// A column's lineage from a product that is not among the node's inputs (the
  /// resolver reports it; the column graph has the edge) follows that product when it
  /// changes, though no product edge leads from it to the node.
  @Test func lineageFromAProductNotReadFollowsItsChange() {
    var mesh = Mesh(name: "m")
    mesh.nodes = [
      MeshNode(id: "a", kind: .product, schema: [Column(name: "x"), Column(name: "y")]),
      MeshNode(
        id: "b", kind: .product, schema: [Column(name: "z", from: [ColumnRef(product: "a", column: "y")])]),
    ]
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "test")
    var next = mesh
    next.nodes[0].schema = [Column(name: "w"), Column(name: "y")]
    next.nodes.insert(MeshNode(id: "c", kind: .product, schema: [Column(name: "v")]), at: 0)
    let updated = LineageModel(
      updating: model.base, mesh: next, change: MeshUpdate(origin: [-1, -1, 1], previousCount: 2),
      loadFindings: [], source: "test")
    #expect(updated.isUpdate && updated.columnsUpdated)
    Self.expectSame(updated, LineageModel(mesh: next, loadFindings: [], source: "test"), "not an input")
  }

  /// A change that does not fit the meshes (a wrong count, an origin out of range or
  /// named twice) builds the model whole.
  @Test func aChangeThatDoesNotFitBuildsWhole() {
    var random = SeededRandom(seed: 5)
    var mesh = Mesh(name: "m")
    for i in 0..<20 { mesh.nodes.append(Self.node("p\(i)", among: mesh.nodes.map(\.id), &random)) }
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "test")
    let n = Int32(mesh.nodes.count)
    for change in [
      MeshUpdate(origin: Array(0..<n), previousCount: 19),
      MeshUpdate(origin: Array(0..<n - 1) + [n], previousCount: Int(n)),
      MeshUpdate(origin: Array(0..<n - 1) + [0], previousCount: Int(n)),
      MeshUpdate(origin: Array(0..<n - 1), previousCount: Int(n)),
    ] {
      let updated = LineageModel(updating: model.base, mesh: mesh, change: change, loadFindings: [], source: "test")
      #expect(!updated.isUpdate)
      Self.expectSame(updated, LineageModel(mesh: mesh, loadFindings: [], source: "test"), "\(change.origin)")
    }
    let same = LineageModel(
      updating: model.base, mesh: mesh, change: MeshUpdate(origin: Array(0..<n), previousCount: Int(n)),
      loadFindings: [], source: "test")
    #expect(same.isUpdate)
  }

  /// The interner renumbered with strings put in finds every string at its new index.
  @Test func anInternerRenumberedFindsEveryString() {
    var random = SeededRandom(seed: 9)
    for round in 0..<40 {
      var t = Interner()
      let count = Int(random.next() % 60)
      for i in 0..<count { t.intern("s\(i)") }
      var newToOld = (0..<Int32(count)).shuffled(using: &random)
      let added = (0..<Int(random.next() % 70)).map { "new\(round)_\($0)" }
      for _ in added { newToOld.insert(-1, at: Int(random.next() % UInt64(newToOld.count + 1))) }
      guard let r = t.renumbered(newToOld, adding: added) else {
        Issue.record("round \(round): not renumbered")
        continue
      }
      var next = added.makeIterator()
      for (i, o) in newToOld.enumerated() {
        let s = o >= 0 ? "s\(o)" : next.next()!
        #expect(r[Int32(i)] == s && r.lookup(s) == Int32(i))
      }
      #expect(r.lookup("absent") == nil)
      // A string added twice, or one there already, is refused.
      #expect(t.renumbered(Array(0..<Int32(count)) + [-1], adding: [count > 0 ? "s0" : "x"]) == nil || count == 0)
      #expect(t.renumbered(Array(0..<Int32(count)) + [-1, -1], adding: ["y", "y"]) == nil)
    }
  }
}

extension ModelUpdateTests {
  /// A kept merge brought up to date (``Mesh/KeptMerge/update(second:change:)``) is the
  /// merge made whole, node for node, finding for finding, place for place: random
  /// declared and observed meshes (ids in both, conflicting kinds and domains), and
  /// changes of the observed one (nodes changed, new anywhere, taken away, and now and
  /// then two unchanged ones swapped, which the update refuses).
  @Test(arguments: 0..<12)
  func aKeptMergeBroughtUpToDateIsTheMergeMadeWhole(seed: Int) throws {
    var random = SeededRandom(seed: UInt64(seed) &* 6_113 &+ 3)
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
    var declared = Mesh(name: "declared")
    declared.teams = [Team(id: "t0"), Team(id: "t1")]
    declared.domains = [Domain(id: "d0", owner: "t0")]
    for i in 0..<(5 + pick(15)) {
      let id = pick(2) == 0 ? "o\(pick(30))" : "d\(i)"
      // Now and then an id twice in the declared part (merged within it).
      guard pick(10) == 0 || !declared.nodes.contains(where: { $0.id == id }) else { continue }
      declared.nodes.append(Self.node(id, among: declared.nodes.map(\.id), implicit: false, &random))
    }
    var observed = Mesh(name: "events")
    for i in 0..<(10 + pick(20)) {
      observed.nodes.append(Self.node("o\(i)", among: observed.nodes.map(\.id), implicit: false, &random))
    }
    observed.teams = [Team(id: "t1"), Team(id: "t9")]
    func parts(_ o: Mesh) -> [Mesh.Part] {
      [Mesh.Part(mesh: declared, source: "mesh"), Mesh.Part(mesh: o, source: "events")]
    }
    var kept = try #require(Mesh.KeptMerge(first: parts(observed)[0], second: parts(observed)[1]))
    var (updates, refusals) = (0, 0)
    for step in 0..<25 {
      var nodes = observed.nodes.enumerated().map { (node: $0.element, origin: Int32($0.offset)) }
      let ids = observed.nodes.map(\.id)
      for _ in 0..<(1 + pick(3)) {
        switch pick(7) {
        case 0, 1, 2:
          guard !nodes.isEmpty else { continue }
          let k = pick(nodes.count)
          nodes[k] = (Self.node(nodes[k].node.id, among: ids, implicit: false, &random), -1)
        case 3, 4:
          let id = "o\(30 + step * 4 + pick(4))"
          guard !nodes.contains(where: { $0.node.id == id }) else { continue }
          nodes.insert((Self.node(id, among: ids, implicit: false, &random), -1), at: pick(nodes.count + 1))
        case 5:
          guard !nodes.isEmpty else { continue }
          nodes.remove(at: pick(nodes.count))
        default:
          guard nodes.count > 1, pick(3) == 0 else { continue }
          nodes.swapAt(pick(nodes.count), pick(nodes.count))
        }
      }
      var next = observed
      next.nodes = nodes.map(\.node)
      if pick(5) == 0 { next.teams.append(Team(id: "t\(10 + step)")) }
      let change = MeshUpdate(origin: nodes.map(\.origin), previousCount: observed.nodes.count)
      let whole = Mesh.mergingWithPlaces(parts(next))
      if kept.update(second: next, change: change) {
        updates += 1
      } else {
        refusals += 1
        kept = try #require(Mesh.KeptMerge(first: parts(next)[0], second: parts(next)[1]))
      }
      let what = "seed \(seed), step \(step)"
      #expect(kept.mesh.nodes == whole.mesh.nodes, "\(what): nodes")
      #expect(kept.findings == whole.findings, "\(what): findings")
      #expect(kept.places == whole.places[1], "\(what): places")
      #expect(kept.mesh.teams == whole.mesh.teams && kept.mesh.domains == whole.mesh.domains, "\(what): teams")
      #expect(kept.mesh.name == whole.mesh.name && kept.mesh.policies == whole.mesh.policies, "\(what): header")
      #expect(kept.firstCount == Int(whole.places[0].max() ?? -1) + 1)
      observed = next
    }
    #expect(updates >= 15, "\(updates) updates, \(refusals) refusals")
  }
}

extension ModelUpdateTests {
  /// A new node of the second part with the id of another of its own would be merged
  /// into it by the whole merge: the update refuses it, and a kept merge of parts that
  /// repeat an id is not made.
  @Test func aKeptMergeRefusesARepeatedIDOfTheSecondPart() throws {
    var declared = Mesh(name: "declared")
    declared.nodes = [MeshNode(id: "d", kind: .product)]
    var observed = Mesh(name: "events")
    observed.nodes = [MeshNode(id: "a", kind: .product), MeshNode(id: "b", kind: .product)]
    let first = Mesh.Part(mesh: declared, source: "mesh")
    var kept = try #require(Mesh.KeptMerge(first: first, second: Mesh.Part(mesh: observed, source: "events")))
    var next = observed
    next.nodes.append(MeshNode(id: "a", kind: "dataset"))
    let before = kept.mesh.nodes
    let repeated = kept.update(second: next, change: MeshUpdate(origin: [0, 1, -1], previousCount: 2))
    #expect(!repeated)
    #expect(kept.mesh.nodes == before)
    #expect(Mesh.KeptMerge(first: first, second: Mesh.Part(mesh: next, source: "events")) == nil)
    // A node remade with its own id, and one taken away and put back, are no repeats.
    var again = observed
    again.nodes = [MeshNode(id: "a", kind: "dataset"), MeshNode(id: "c", kind: .product)]
    let remade = kept.update(second: again, change: MeshUpdate(origin: [-1, -1], previousCount: 2))
    #expect(remade)
    #expect(kept.mesh.nodes == Mesh.mergingWithPlaces([first, Mesh.Part(mesh: again, source: "events")]).mesh.nodes)
  }
}

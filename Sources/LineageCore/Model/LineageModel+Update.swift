extension LineageModel {
  /// What bringing a model up to date needs of it: its graph, where its mesh's
  /// declarations and inputs landed there, and what resolving its references found, by
  /// node. It holds no mesh, so that keeping it does not keep a mesh that its producer
  /// goes on changing in place (which would then be copied whole).
  public struct Base: Sendable {
    let graph: LineageGraph
    let columns: ColumnGraph
    let places: MeshPlaces
    let references: Resolver.Checked
    let domains: [Domain]
    let teams: [Team]

    /// The references found for old node `j`.
    func references(of j: Int) -> ArraySlice<Finding> {
      let lo = j == 0 ? references.domainCount : Int(references.ends[j - 1])
      return references.findings[lo..<Int(references.ends[j])]
    }
  }

  /// The model of `mesh`, brought up to date from the model of the mesh `change` is
  /// from, or built whole when it cannot be.
  ///
  /// The result is what ``init(mesh:loadFindings:source:)`` builds, finding for
  /// finding and node for node. An update renumbers the unchanged nodes and moves their
  /// rows; it reads from their declarations only the nodes that `change` says were made
  /// anew, checks the references of those, of the nodes that read them and, when ids
  /// came, of the nodes with an unresolved reference (whose hint may name one).
  ///
  /// It is built whole when there is no `base` or `change`, when the domains or the
  /// teams changed, when either mesh repeats an id, or when a node was taken away.
  ///
  /// - Parameters:
  ///   - base: The previous model's ``base``.
  ///   - mesh: The new mesh.
  ///   - change: How `mesh` came from the previous model's mesh.
  ///   - loadFindings: The findings of reading the new mesh.
  ///   - source: What was loaded, for reports.
  /// - Complexity: O(V + I + C) moves of integers for V nodes, I inputs and C columns,
  ///   plus the work on the nodes read again (the column graph is built whole when
  ///   columns named only by lineage could move: see ``ColumnGraph``).
  public init(updating base: Base?, mesh: Mesh, change: MeshUpdate?, loadFindings: [Finding], source: String) {
    if let base, let change, mesh.domains == base.domains, mesh.teams == base.teams,
      let updated = Self.updated(base, mesh: mesh, change: change, loadFindings: loadFindings, source: source)
    {
      self = updated
    } else {
      self.init(mesh: mesh, loadFindings: loadFindings, source: source)
    }
  }

  /// The update of ``init(updating:mesh:change:loadFindings:source:)``; nil when the
  /// graph cannot be updated.
  static func updated(
    _ base: Base, mesh: Mesh, change: MeshUpdate, loadFindings: [Finding], source: String
  ) -> LineageModel? {
    var places = MeshPlaces()
    var u = GraphUpdate()
    guard
      let g = LineageGraph(
        updating: base.graph, places: base.places, mesh: mesh, change: change, places: &places, update: &u)
    else { return nil }
    let n = g.nodeCount
    // The nodes whose reference findings can differ: those made anew, those reading
    // them (a reader checks its inputs' kinds and columns), those whose inputs were
    // looked up again, and, when ids came, those with an unresolved reference.
    var again = [Bool](repeating: false, count: n)
    for i in u.remade {
      again[Int(i)] = true
      for r in g.forward.neighbors(i) { again[Int(r)] = true }
    }
    for i in u.relinked { again[Int(i)] = true }
    if u.addedIDs {
      for j in 0..<base.graph.nodeCount
      where base.references(of: j).contains(where: { $0.rule == .unresolvedReference }) {
        again[Int(u.oldToNew[j])] = true
      }
    }
    var only: [Int32] = []
    for i in 0..<n where again[i] { only.append(Int32(i)) }
    let declarations = Array(0..<n)
    let ids = g.ids
    let checked = Resolver.check(
      mesh, places: places, declarations: declarations, declaration: { ids.lookup($0).map { Int($0) } }, only: only)
    var found = Array(checked.findings[0..<checked.domainCount])
    var ends: [Int32] = []
    ends.reserveCapacity(n)
    var k = 0
    for i in 0..<n {
      if again[i] {
        let lo = k == 0 ? checked.domainCount : Int(checked.ends[k - 1])
        found += checked.findings[lo..<Int(checked.ends[k])]
        k += 1
      } else {
        found += base.references(of: Int(u.newToOld[i]))
      }
      ends.append(Int32(found.count))
    }
    let references = Resolver.Checked(findings: found, domainCount: checked.domainCount, ends: ends)

    // The column graph brought up to date too, unless the columns named only by lineage
    // could move.
    let updatedColumns = ColumnGraph(
      updating: base.columns, mesh: mesh, graph: g, places: places, update: u, again: again)
    let columns = updatedColumns ?? ColumnGraph(mesh: mesh, graph: g, places: places)
    var m = LineageModel(
      mesh: mesh, graph: g, columns: columns,
      findings: (loadFindings + found).sorted(by: Finding.reportOrder), loadFindings: loadFindings, source: source,
      declarationIndex: declarations)
    m.base = Base(
      graph: g, columns: columns, places: places, references: references, domains: mesh.domains, teams: mesh.teams)
    m.isUpdate = true
    m.columnsUpdated = updatedColumns != nil
    return m
  }
}

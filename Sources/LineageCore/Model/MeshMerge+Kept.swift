extension Mesh {
  /// The merge of a first part that stays the same (declared inputs) with a second part
  /// that changes (the events' mesh), kept between versions of the second: the next
  /// merge is the last one patched where the second part changed (``update(second:change:)``),
  /// not made again from every node.
  ///
  /// Its ``mesh``, ``findings`` and ``places`` are those of
  /// ``mergingWithPlaces(_:)`` for the two parts, node for node.
  public struct KeptMerge: Sendable {
    /// The first part merged alone (its nodes filled and its repeated ids merged).
    let first: MergeState
    let secondSource: String
    /// The merge of both parts.
    public private(set) var mesh: Mesh
    /// The merge-conflict findings, in the order the merge makes them.
    public private(set) var findings: [Finding]
    /// Where each node of the second part landed in ``mesh``.
    public private(set) var places: [Int32]
    /// The findings of merging each node of the second part that merged into a node of
    /// the first, by that node's index in the second part.
    var conflicts: [Int32: [Finding]]
    /// The ids of the second part's nodes of their own (merged into none of the first):
    /// a new node of one of these ids would repeat it.
    var aloneIDs: Set<String>

    /// How many merged nodes the first part makes (its distinct ids).
    public var firstCount: Int { first.out.nodes.count }

    /// The merge of `first` and `second`, made whole.
    ///
    /// - Returns: Nil when the second part repeats an id (its nodes would merge into one
    ///   another, which an update cannot follow).
    public init?(first: Part, second: Part) {
      var state = MergeState(name: first.mesh.name + " + " + second.mesh.name)
      state.absorb(first)
      self.first = state
      secondSource = second.source
      var conflicts: [Int32: [Finding]] = [:]
      state.absorb(second) { j, found in conflicts[Int32(j)] = found }
      let places = state.places[1]
      var seen = [Bool](repeating: false, count: state.out.nodes.count)
      for p in places {
        guard !seen[Int(p)] else { return nil }
        seen[Int(p)] = true
      }
      (mesh, findings, self.places, self.conflicts) = (state.out, state.findings, places, conflicts)
      aloneIDs = Set(state.out.nodes[self.first.out.nodes.count...].map(\.id))
    }

    /// Brings the merge up to date with the second part's new mesh, which came from the
    /// one merged last by `change`: the nodes of the first part that a changed node of
    /// the second merges into (or merged into before) are merged again, the new nodes of
    /// the second part alone are put in, and the others are moved, not copied.
    ///
    /// - Parameters:
    ///   - second: The second part's new mesh.
    ///   - change: How it came from the second part's mesh merged last.
    /// - Returns: False, changing nothing, when the update cannot be followed (the
    ///   change does not fit, the second part repeats an id, or its unchanged nodes
    ///   changed order): merge whole instead.
    /// - Complexity: O(nodes) integer work; nodes merged or copied only where changed.
    public mutating func update(second: Mesh, change: MeshUpdate) -> Bool {
      let firstCount = self.firstCount
      let (n0, n1) = (places.count, second.nodes.count)
      guard change.previousCount == n0, change.origin.count == n1 else { return false }
      // Where each new node of the second part lands: the first part's node of its id,
      // or a place of its own after them, in order.
      var now = [Int32](repeating: -1, count: n1)
      var partner = [Int32](repeating: -1, count: firstCount)
      var alone = 0
      for j in 0..<n1 {
        let o = Int(change.origin[j])
        guard o < n0 else { return false }
        let d: Int? =
          o >= 0
          ? (Int(places[o]) < firstCount ? Int(places[o]) : nil)
          : first.nodeIndex[second.nodes[j].id]
        if let d {
          guard partner[d] < 0 else { return false }
          partner[d] = Int32(j)
          now[j] = Int32(d)
        } else {
          now[j] = Int32(firstCount + alone)
          alone += 1
        }
      }
      var before = [Int32](repeating: -1, count: firstCount)
      for (o, p) in places.enumerated() where Int(p) < firstCount { before[Int(p)] = Int32(o) }
      // The nodes of the second part alone: each kept one goes from its old place to its
      // new one, in the same order (else the update cannot move them).
      var target = [Int](repeating: -1, count: mesh.nodes.count - firstCount)
      var last = -1
      for j in 0..<n1 where Int(now[j]) >= firstCount {
        let o = Int(change.origin[j])
        guard o >= 0 else { continue }
        let from = Int(places[o]) - firstCount
        guard from > last else { return false }
        last = from
        target[from] = Int(now[j]) - firstCount
      }

      // No new node of its own may repeat the id of another (the whole merge would merge
      // them into one).
      var removed = Set<String>()
      for p in target.indices where target[p] < 0 { removed.insert(mesh.nodes[firstCount + p].id) }
      var added: [String] = []
      var seen = Set<String>()
      for j in 0..<n1 where Int(now[j]) >= firstCount && change.origin[j] < 0 {
        let id = second.nodes[j].id
        guard seen.insert(id).inserted, !aloneIDs.contains(id) || removed.contains(id) else { return false }
        added.append(id)
      }
      aloneIDs.subtract(removed)
      aloneIDs.formUnion(added)

      var nodes = mesh.nodes
      mesh.nodes = []
      var conflicts: [Int32: [Finding]] = [:]
      // The first part's nodes: merged again where their counterpart changed, came or went.
      for d in 0..<firstCount {
        let (a, b) = (before[d], partner[d])
        if b >= 0, a >= 0, change.origin[Int(b)] == a {
          if let found = self.conflicts[a] { conflicts[b] = found }
          continue
        }
        guard a >= 0 || b >= 0 else { continue }
        nodes[d] = first.out.nodes[d]
        if b >= 0 {
          let n = Mesh.filled(second.nodes[Int(b)], source: secondSource)
          conflicts[b] = Mesh.merge(n, into: &nodes[d], source: secondSource)
        }
      }
      // The second part's own nodes moved (not copied), then the new ones put in.
      let total = firstCount + alone
      nodes.moveNodes(from: firstCount, to: target, count: alone, blank: MeshNode(id: "", kind: .product))
      for j in 0..<n1 where Int(now[j]) >= firstCount && change.origin[j] < 0 {
        nodes[Int(now[j])] = Mesh.filled(second.nodes[j], source: secondSource)
      }
      if nodes.count > total { nodes.removeSubrange(total...) }

      // The header (domains, teams, policies) merged again: a few entries.
      var state = first
      state.absorbHeader(second)
      mesh = state.out
      mesh.nodes = nodes
      findings = first.findings
      for j in 0..<n1 where Int(now[j]) < firstCount {
        if let found = conflicts[Int32(j)] { findings += found }
      }
      places = now
      self.conflicts = conflicts
      return true
    }
  }
}

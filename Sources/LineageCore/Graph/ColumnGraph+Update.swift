extension ColumnGraph {
  /// The column graph of `mesh` over `g` (what ``init(mesh:graph:places:)`` builds),
  /// made from `old`, the column graph of the mesh the update is from: the columns of
  /// unchanged nodes are renumbered and their edges moved, not looked up again; only
  /// the nodes in `again` (made anew, reading them, or whose references resolve
  /// differently) and the nodes whose lineage names a remade node's columns have their
  /// lineage read from their declarations.
  ///
  /// The result equals the column graph built whole, array for array. Columns named
  /// only by lineage (implicit ones) are numbered in the order a whole build meets
  /// them; an update keeps that order only when no node read again names one, no
  /// remade node has one, and the unchanged nodes keep their order. Otherwise it fails.
  ///
  /// - Parameters:
  ///   - old: The column graph of the previous mesh.
  ///   - mesh: The new mesh (each id once).
  ///   - g: Its graph, brought up to date with `update`.
  ///   - places: Where the new mesh's inputs landed in `g`.
  ///   - u: How the graph's nodes were renumbered.
  ///   - again: The nodes whose references are read again, by new node.
  /// - Complexity: O(V + C + E) moves of integers for V nodes, C columns and E lineage
  ///   edges, plus the lookups of the columns read again.
  init?(
    updating old: ColumnGraph, mesh: Mesh, graph g: LineageGraph, places: MeshPlaces, update u: GraphUpdate,
    again: [Bool]
  ) {
    let nodes = mesh.nodes
    let n1 = g.nodeCount
    let n0 = u.oldToNew.count
    guard nodes.count == n1, again.count == n1, !nodes.isEmpty else { return nil }
    // The unchanged nodes keep their order (so do the implicit columns' first readers).
    var last: Int32 = -1
    var isRemade = [Bool](repeating: false, count: n1)
    for i in u.remade { isRemade[Int(i)] = true }
    for i in 0..<n1 where !isRemade[i] {
      guard u.newToOld[i] > last else { return nil }
      last = u.newToOld[i]
    }
    // Each old node's columns, and the implicit ones: their nodes, and the nodes whose
    // lineage or reads name one.
    func oldColumns(_ j: Int) -> Slice<FlatArray<Int32>> {
      j < old.byNode.nodeCount ? old.byNode.neighbors(Int32(j)) : old.byNode.targets[0..<0]
    }
    var ownsImplicit = [Bool](repeating: false, count: n0)
    var namesImplicit = [Bool](repeating: false, count: n0)
    var implicit: [Int32] = []
    for c in 0..<old.count where !old.declared[c] {
      implicit.append(Int32(c))
      ownsImplicit[Int(old.node[c])] = true
      for d in old.forward.neighbors(Int32(c)) { namesImplicit[Int(old.node[Int(d)])] = true }
      for v in old.reads.neighbors(Int32(c)) { namesImplicit[Int(v)] = true }
    }
    // Read again: the nodes given, and those whose lineage or reads name a column of
    // a remade node.
    var redo = again
    for i in u.remade where u.newToOld[Int(i)] >= 0 {
      let j = Int(u.newToOld[Int(i)])
      guard !ownsImplicit[j] else { return nil }
      for c in oldColumns(j) {
        for d in old.forward.neighbors(c) { redo[Int(u.oldToNew[Int(old.node[Int(d)])])] = true }
        for v in old.reads.neighbors(c) { redo[Int(u.oldToNew[Int(v)])] = true }
      }
    }
    for i in 0..<n1 where redo[i] && u.newToOld[i] >= 0 && namesImplicit[Int(u.newToOld[i])] { return nil }

    // Declared columns, node by node; names numbered in the order first met.
    var names = Interner()
    var nameMap = [Int32](repeating: -1, count: old.names.count)
    func renamed(_ s: Int32) -> Int32 {
      if nameMap[Int(s)] < 0 { nameMap[Int(s)] = names.intern(old.names[s]) }
      return nameMap[Int(s)]
    }
    var node: [Int32] = []
    var nameOf: [Int32] = []
    var declared: [Bool] = []
    node.reserveCapacity(old.count + 16)
    nameOf.reserveCapacity(old.count + 16)
    var first = [Int32](repeating: 0, count: n1)
    var end = [Int32](repeating: 0, count: n1)
    var hashed: [Int64: Int32] = [:]
    var oldToNewColumn = [Int32](repeating: -1, count: old.count)
    for i in 0..<n1 {
      let v = Int32(i)
      first[i] = Int32(node.count)
      if isRemade[i] {
        Self.appendDeclared(nodes[i].schema, of: v, names: &names, node: &node, nameOf: &nameOf, hashed: &hashed)
      } else {
        // The node is not read (its schema's array is elsewhere in memory: reading its
        // length for each node was most of this update's time); a wide node's columns
        // are hashed below, from the old hashes.
        for c in oldColumns(Int(u.newToOld[i])) where old.declared[Int(c)] {
          let s = renamed(old.nameOf[Int(c)])
          oldToNewColumn[Int(c)] = Int32(node.count)
          node.append(v)
          nameOf.append(s)
        }
      }
      end[i] = Int32(node.count)
    }
    // The declared columns of unchanged wide nodes (the only declared ones hashed):
    // renumbered from the old hashes.
    for c in old.hashed.values where old.declared[Int(c)] && oldToNewColumn[Int(c)] >= 0 {
      let v = u.oldToNew[Int(old.node[Int(c)])]
      hashed[Self.key(v, nameMap[Int(old.nameOf[Int(c)])])] = oldToNewColumn[Int(c)]
    }
    declared = [Bool](repeating: true, count: node.count)
    // The implicit columns, in their order, after the declared ones.
    for c in implicit {
      let v = u.oldToNew[Int(old.node[Int(c)])]
      let s = renamed(old.nameOf[Int(c)])
      oldToNewColumn[Int(c)] = Int32(node.count)
      hashed[Self.key(v, s)] = Int32(node.count)
      node.append(v)
      nameOf.append(s)
      declared.append(false)
    }
    // A declared column of node v by name (nil: none, and a read again that names it
    // would make an implicit column: the update fails).
    func find(_ v: Int32, _ s: Int32) -> Int32? {
      let lo = first[Int(v)]
      if end[Int(v)] - lo <= Int32(Self.scanned) {
        var c = lo
        while c < end[Int(v)] {
          if nameOf[Int(c)] == s { return c }
          c += 1
        }
        return nil
      }
      return hashed[Self.key(v, s)].flatMap { declared[Int($0)] ? $0 : nil }
    }

    // Lineage edges: those into unchanged nodes moved, row by row of the old edges
    // with their transforms (each such pair of columns is one edge: the order of
    // repeated pairs, which picks a transform, matters only among a node's own reads);
    // the others read again, node by node.
    var edges: [(Int32, Int32, Transform)] = []
    edges.reserveCapacity(old.forward.edgeCount + 16)
    var readCols: [Int32] = []
    var readNodes: [Int32] = []
    var failed = false
    old.forward.offsets.withUnsafeBufferPointer { offsets in
      old.forward.targets.withUnsafeBufferPointer { targets in
        for s in 0..<old.count {
          for e in Int(offsets[s])..<Int(offsets[s + 1]) {
            let d = Int(targets[e])
            guard !redo[Int(u.oldToNew[Int(old.node[d])])] else { continue }
            // (A column of a remade node: its readers are read again. Never here.)
            guard oldToNewColumn[s] >= 0, oldToNewColumn[d] >= 0 else {
              failed = true
              return
            }
            edges.append((oldToNewColumn[s], oldToNewColumn[d], old.transform[e]))
          }
        }
      }
    }
    for i in 0..<n1 where !failed && redo[i] {
      let v = Int32(i)
      func product(_ id: String) -> Int32? {
        if nodes[i].inputs.count <= 8 {
          for k in nodes[i].inputs.indices where nodes[i].inputs[k].product == id { return places.input(i, k) }
        }
        return g.index(of: id)
      }
      for k in nodes[i].schema.indices where !nodes[i].schema[k].from.isEmpty {
        guard let s = names.lookup(nodes[i].schema[k].name), let dst = find(v, s) else { continue }
        for f in nodes[i].schema[k].from.indices {
          let ref = nodes[i].schema[k].from[f]
          guard let p = product(ref.product) else { continue }
          guard let name = names.lookup(ref.column), let src = find(p, name) else {
            failed = true
            break
          }
          edges.append((src, dst, ref.transform))
        }
      }
      for k in nodes[i].inputs.indices {
        guard let cols = nodes[i].inputs[k].columns, let p = places.input(i, k) else { continue }
        for name in cols {
          guard let s = names.lookup(name), let c = find(p, s) else {
            failed = true
            break
          }
          readCols.append(c)
          readNodes.append(v)
        }
      }
    }
    guard !failed else { return nil }
    // The unchanged nodes' reads, renumbered.
    for c in 0..<old.count where oldToNewColumn[c] >= 0 {
      for w in old.reads.neighbors(Int32(c)) {
        let v = u.oldToNew[Int(w)]
        guard !redo[Int(v)] else { continue }
        readCols.append(oldToNewColumn[c])
        readNodes.append(v)
      }
    }
    self.init(
      node: node, names: names, nameOf: nameOf, declared: declared, hashed: hashed, edges: edges,
      reads: (readCols, readNodes))
  }
}

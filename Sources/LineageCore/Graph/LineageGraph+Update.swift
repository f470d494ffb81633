/// What ``LineageGraph/init(updating:places:mesh:change:places:update:)`` found while
/// bringing a graph up to date: how the nodes were renumbered and which were made again.
struct GraphUpdate: Sendable {
  /// The old node of each new node, -1 for a node of a new id.
  var newToOld: [Int32] = []
  /// The new node of each old node (every old node has one: none is taken away).
  var oldToNew: [Int32] = []
  /// The nodes made again from their declarations (changed or new), ascending.
  var remade: [Int32] = []
  /// Unchanged nodes whose inputs were looked up again, because they name an id that
  /// had no node and ids came, ascending.
  var relinked: [Int32] = []
  /// True when some node has an id that had no node before.
  var addedIDs = false
}

extension LineageGraph {
  /// The graph of `mesh` (what ``init(mesh:places:)`` builds), made from `old`, the
  /// graph of the mesh that `change` is from: unchanged nodes are renumbered and their
  /// rows moved, not looked up again; only the nodes made anew, and the few that name
  /// an id that had no node, are read from their declarations.
  ///
  /// The result equals the graph built whole, array for array: nodes numbered in mesh
  /// order, names numbered in the order first met.
  ///
  /// - Parameters:
  ///   - old: The graph of the previous mesh.
  ///   - oldPlaces: Where the previous mesh's declarations and inputs landed in `old`.
  ///   - mesh: The new mesh; it must have the previous mesh's domains.
  ///   - change: How `mesh` came from the previous mesh.
  ///   - places: Set to where the new mesh's declarations and inputs land.
  ///   - update: Set to the renumbering and the nodes made again.
  ///
  /// Fails (nil) when the graph must be built whole: either mesh repeats an id, a node
  /// was taken away, or `change` does not fit the meshes.
  /// - Complexity: O(V + I) moves of integers for V nodes and I inputs, plus the
  ///   lookups of the remade nodes' ids and inputs.
  init?(
    updating old: LineageGraph, places oldPlaces: MeshPlaces, mesh: Mesh, change: MeshUpdate,
    places: inout MeshPlaces, update: inout GraphUpdate
  ) {
    let nodes = mesh.nodes
    let n0 = old.nodeCount
    let n1 = nodes.count
    // Every id once in the old mesh: its nodes are its graph's, in order.
    guard oldPlaces.node.count == n0, change.previousCount == n0, change.origin.count == n1 else { return nil }
    var u = GraphUpdate()
    u.oldToNew = [Int32](repeating: -1, count: n0)
    u.newToOld = [Int32](repeating: -1, count: n1)
    for i in 0..<n1 {
      let o = Int(change.origin[i])
      if o >= 0 {
        guard o < n0, u.oldToNew[o] < 0 else { return nil }
        u.oldToNew[o] = Int32(i)
        u.newToOld[i] = Int32(o)
      } else {
        u.remade.append(Int32(i))
      }
    }
    // A remade node of an old id takes its old node; the others are new ids.
    var added: [String] = []
    for i in u.remade {
      if let j = old.ids.lookup(nodes[Int(i)].id) {
        guard u.oldToNew[Int(j)] < 0 else { return nil }
        u.oldToNew[Int(j)] = i
        u.newToOld[Int(i)] = j
      } else {
        added.append(nodes[Int(i)].id)
      }
    }
    // Each old node is one new node at most, so this many means none was taken away.
    guard n1 == n0 + added.count, let ids = old.ids.renumbered(u.newToOld, adding: added) else { return nil }
    u.addedIDs = !added.isEmpty
    var isRemade = [Bool](repeating: false, count: n1)
    for i in u.remade { isRemade[Int(i)] = true }

    // Names numbered as a whole build numbers them: in the order first met. An
    // unchanged node's old name is renamed through a table (looked up once per name).
    // (The kinds start with the kind of undeclared nodes, as a builder's do.)
    var kindNames = Interner()
    kindNames.intern(NodeKind.product.rawValue)
    var domainNames = Interner()
    var ownerNames = Interner()
    var tagNames = Interner()
    var kindMap = [Int32](repeating: -1, count: old.kindNames.count)
    var domainMap = [Int32](repeating: -1, count: old.domainNames.count)
    var ownerMap = [Int32](repeating: -1, count: old.ownerNames.count)
    func renamed(_ s: Int32, _ map: inout [Int32], _ from: Interner, _ to: inout Interner) -> Int32 {
      guard s >= 0 else { return -1 }
      if map[Int(s)] < 0 { map[Int(s)] = to.intern(from[s]) }
      return map[Int(s)]
    }
    let owners = mesh.domainOwners
    var kind = [Int32](repeating: 0, count: n1)
    var domain = [Int32](repeating: -1, count: n1)
    var owner = [Int32](repeating: -1, count: n1)
    var status = [ProductStatus](repeating: .active, count: n1)
    var tagNodes: [Int32] = []
    var tagValues: [Int32] = []
    for i in 0..<n1 {
      if isRemade[i] {
        kind[i] = kindNames.intern(nodes[i].kind.rawValue)
        domain[i] = nodes[i].domain.map { domainNames.intern($0) } ?? -1
        owner[i] = (nodes[i].owner ?? nodes[i].domain.flatMap { owners[$0] }).map { ownerNames.intern($0) } ?? -1
        status[i] = nodes[i].status
      } else {
        let o = Int(u.newToOld[i])
        kind[i] = renamed(old.kind[o], &kindMap, old.kindNames, &kindNames)
        domain[i] = renamed(old.domain[o], &domainMap, old.domainNames, &domainNames)
        owner[i] = renamed(old.owner[o], &ownerMap, old.ownerNames, &ownerNames)
        status[i] = old.status[o]
      }
      // Tags from the declarations (a row keeps the tags sorted by number, not in the
      // order written, which numbers them). An unchanged node without tags before has
      // none now: it is not read (each node read is a cache miss or two).
      if isRemade[i] || !old.tags.neighbors(u.newToOld[i]).isEmpty, !nodes[i].tags.isEmpty {
        for tag in nodes[i].tags {
          tagNodes.append(Int32(i))
          tagValues.append(tagNames.intern(tag))
        }
      }
    }

    // Inputs: an unchanged node's are its old ones renumbered, unless it names an id
    // that had no node and ids came; the others' are looked up.
    var relink = [Bool](repeating: false, count: n1)
    if u.addedIDs {
      for j in 0..<n0 {
        let lo = Int(oldPlaces.inputStart[j])
        let hi = Int(oldPlaces.inputStart[j + 1])
        if lo < hi, oldPlaces.inputNode[lo..<hi].contains(-1) {
          let i = Int(u.oldToNew[j])
          if !isRemade[i] {
            relink[i] = true
            u.relinked.append(Int32(i))
          }
        }
      }
      u.relinked.sort()
    }
    var start = [Int32](repeating: 0, count: n1 + 1)
    var read: [Int32] = []
    read.reserveCapacity(oldPlaces.inputNode.count + 16)
    var sources: [Int32] = []
    sources.reserveCapacity(oldPlaces.inputNode.count + 16)
    var rowStart = [Int32](repeating: 0, count: n1 + 1)
    var row: [Int32] = []
    for i in 0..<n1 {
      let first = read.count
      if isRemade[i] || relink[i] {
        for k in nodes[i].inputs.indices { read.append(ids.lookup(nodes[i].inputs[k].product) ?? -1) }
      } else {
        let o = Int(u.newToOld[i])
        for x in oldPlaces.inputNode[Int(oldPlaces.inputStart[o])..<Int(oldPlaces.inputStart[o + 1])] {
          read.append(x < 0 ? -1 : u.oldToNew[Int(x)])
        }
      }
      start[i + 1] = Int32(read.count)
      // The row of what node i reads: its resolved inputs, sorted, each once.
      row.removeAll(keepingCapacity: true)
      for x in read[first...] where x >= 0 { row.append(x) }
      if row.count > 1 { row.sort() }
      var last: Int32 = -1
      for x in row where x != last {
        sources.append(x)
        last = x
      }
      rowStart[i + 1] = Int32(sources.count)
    }
    places = MeshPlaces(node: Array(0..<Int32(n1)), inputStart: start, inputNode: read)
    let reverse = CSR(offsets: rowStart, targets: sources)
    let tags = CSR(nodeCount: n1, sources: tagNodes, targets: tagValues)
    self.init(
      ids: ids, kindNames: kindNames, domainNames: domainNames, ownerNames: ownerNames, tagNames: tagNames,
      kind: FlatArray(kind), domain: FlatArray(domain), owner: FlatArray(owner), status: status, tags: tags,
      forward: reverse.transposed(), reverse: reverse, declared: [Bool](repeating: true, count: n1))
    // Resources as a whole build keeps them: only when some node has one. The boxes of
    // unchanged nodes are moved (a word each), and the count of those with a dbt name
    // follows the remade nodes.
    if !old.resources.isEmpty || u.remade.contains(where: { nodes[Int($0)].resourceBox != nil }) {
      var r = [ResourceBox?](repeating: nil, count: n1)
      var qualified = old.resources.qualified
      if !old.resources.isEmpty {
        for i in 0..<n1 where !isRemade[i] { r[i] = old.resources.boxes[Int(u.newToOld[i])] }
      }
      for i in u.remade {
        let o = Int(u.newToOld[Int(i)])
        if o >= 0, !old.resources.isEmpty, ResourceTable.isQualified(old.resources.boxes[o]) { qualified -= 1 }
        r[Int(i)] = nodes[Int(i)].resourceBox
        if ResourceTable.isQualified(r[Int(i)]) { qualified += 1 }
      }
      if r.contains(where: { $0 != nil }) {
        resources = ResourceTable(r, qualified: qualified)
        usesDBTSelection = qualified > 0
      }
    }
    update = u
  }
}

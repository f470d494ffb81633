/// Finds every cycle of the graph.
public enum CycleFinder {
  /// Components up to this many (nodes × edges) get the exact shortest cycle over all
  /// start nodes; larger ones get the shortest cycle through their smallest id.
  public static let exactBudget = 4_000_000

  /// Every strongly connected component with a cycle (size > 1, or a self-loop),
  /// sorted by its smallest id, each with one concrete shortest cycle and its culprit.
  ///
  /// - Parameters:
  ///   - g: The product graph.
  ///   - components: Its strongly connected components, when already computed.
  /// - Returns: One ``Cycle`` per cyclic component.
  /// - Complexity: O(V + E) plus, per cyclic component of `k` nodes and `m` edges,
  ///   O(k · m) when that is within ``exactBudget`` and O(k + m) beyond.
  public static func cycles(in g: LineageGraph, components: StronglyConnectedComponents? = nil) -> [Cycle] {
    var local = [Int32](repeating: -1, count: g.nodeCount)
    // The components with a cycle, as lists of node indices: from the components when
    // given; else from those of the graph's cyclic core only (most of a lineage graph
    // is on no cycle, and peeling it off costs less than finding its components).
    var cyclic: [[Int32]] = []
    if let scc = components {
      for c in 0..<Int32(scc.count) where scc.isCyclic(c) {
        cyclic.append(Array(scc.members.neighbors(c)))
      }
    } else {
      let core = cyclicCore(g)
      if !core.isEmpty {
        for (i, v) in core.enumerated() { local[Int(v)] = Int32(i) }
        var offsets = [Int32](repeating: 0, count: core.count + 1)
        var targets: [Int32] = []
        for (i, v) in core.enumerated() {
          for w in g.forward.neighbors(v) where local[Int(w)] >= 0 { targets.append(local[Int(w)]) }
          offsets[i + 1] = Int32(targets.count)
        }
        for v in core { local[Int(v)] = -1 }
        let sub = CSR(offsets: offsets, targets: targets)
        let scc = StronglyConnectedComponents(sub)
        for c in 0..<Int32(scc.count) where scc.isCyclic(c) {
          cyclic.append(scc.members.neighbors(c).map { core[Int($0)] })
        }
      }
    }
    guard !cyclic.isEmpty else { return [] }
    // Counted only when there is a cycle to blame (one pass over every edge).
    let flows = DomainFlows(g)
    var result: [Cycle] = []
    for var members in cyclic {
      g.sortByID(&members)
      let path = shortestCycle(g, members: members, local: &local)
      let (culprit, reason) = blame(g, path: path, flows: flows)
      result.append(Cycle(nodes: members, path: path, culprit: culprit, reason: reason))
    }
    result.sort { g.ids.precedes($0.nodes[0], $1.nodes[0]) }
    return result
  }

  /// The nodes that lie on a cycle or on a path from one cycle to another, ascending:
  /// what is left after peeling off, again and again, every node with no edge in from
  /// the rest, then every node with no edge out to the rest. Every strongly connected
  /// component with a cycle lies inside, and keeps its members there.
  ///
  /// - Parameter g: The graph.
  /// - Returns: The core's node indices, ascending.
  /// - Complexity: O(V + E), no recursion.
  static func cyclicCore(_ g: LineageGraph) -> [Int32] {
    let n = g.nodeCount
    var removed = [Bool](repeating: false, count: n)
    var degree = [Int32](repeating: 0, count: n)
    // No edge in: sources first, then what only they reached (Kahn's order stops
    // where every node left has an edge in from the rest).
    for v in g.forward.kahnOrder() { removed[Int(v)] = true }
    // No edge out to what is left: sinks, then what only reached them.
    var queue: [Int32] = []
    for v in 0..<n where !removed[v] {
      var out: Int32 = 0
      for w in g.forward.neighbors(Int32(v)) where !removed[Int(w)] { out += 1 }
      degree[v] = out
      if out == 0 { queue.append(Int32(v)) }
    }
    var head = 0
    while head < queue.count {
      let v = queue[head]
      head += 1
      removed[Int(v)] = true
      for p in g.reverse.neighbors(v) where !removed[Int(p)] {
        degree[Int(p)] -= 1
        if degree[Int(p)] == 0 { queue.append(p) }
      }
    }
    var core: [Int32] = []
    for v in 0..<n where !removed[v] { core.append(Int32(v)) }
    return core
  }

  /// Shortest cycle inside one component; `members` sorted by id.
  static func shortestCycle(_ g: LineageGraph, members: [Int32], local: inout [Int32]) -> [Int32] {
    let k = members.count
    if k == 1 { return members }
    // A self-loop is the shortest cycle there is.
    if let v = members.first(where: { g.forward.hasEdge(from: $0, to: $0) }) { return [v] }
    for (i, v) in members.enumerated() { local[Int(v)] = Int32(i) }
    defer { for v in members { local[Int(v)] = -1 } }
    var edges = 0
    for v in members { edges += g.forward.degree(v) }
    let starts = k * edges <= exactBudget ? k : 1
    var best: [Int32] = []
    var parent = [Int32](repeating: -1, count: k)
    var depth = [Int32](repeating: -1, count: k)
    var queue = [Int32]()
    queue.reserveCapacity(k)
    for si in 0..<starts {
      // BFS inside the component from members[si]; the first edge back to it closes
      // the shortest cycle through it.
      for i in 0..<k { depth[i] = -1 }
      queue.removeAll(keepingCapacity: true)
      queue.append(Int32(si))
      depth[si] = 0
      var head = 0
      var closing: Int32 = -1
      search: while head < queue.count {
        let lv = queue[head]
        head += 1
        if !best.isEmpty, Int(depth[Int(lv)]) + 1 >= best.count { break }
        for w in g.forward.neighbors(members[Int(lv)]) {
          let lw = local[Int(w)]
          if lw < 0 { continue }
          if Int(lw) == si {
            closing = lv
            break search
          }
          if depth[Int(lw)] < 0 {
            depth[Int(lw)] = depth[Int(lv)] + 1
            parent[Int(lw)] = lv
            queue.append(lw)
          }
        }
      }
      if closing < 0 { continue }
      var path: [Int32] = []
      var x = closing
      while Int(x) != si {
        path.append(members[Int(x)])
        x = parent[Int(x)]
      }
      path.append(members[si])
      path.reverse()
      if best.isEmpty || path.count < best.count { best = path }
      if best.count == 2 { break }
    }
    // Rotate so the cycle starts at its smallest id.
    var start = 0
    for i in 1..<best.count where g.ids.precedes(best[i], best[start]) { start = i }
    return Array(best[start...] + best[..<start])
  }

  static func blame(_ g: LineageGraph, path: [Int32], flows: DomainFlows) -> (Edge?, String) {
    if path.count == 1 { return (nil, "\(g.id(path[0])) reads itself") }
    let sourceKind = g.kindNames.lookup(NodeKind.source.rawValue) ?? -1
    let consumerKind = g.kindNames.lookup(NodeKind.consumer.rawValue) ?? -1
    struct Candidate {
      var edge: Edge
      var score: Int
      var reason: String
    }
    var best: Candidate?
    var crossCount = 0
    for i in 0..<path.count {
      let u = path[i], v = path[(i + 1) % path.count]
      if g.domain[Int(u)] != g.domain[Int(v)] { crossCount += 1 }
    }
    for i in 0..<path.count {
      let u = path[i], v = path[(i + 1) % path.count]
      let from = g.id(u), to = g.id(v)
      var score = 0
      var reason = ""
      if g.kind[Int(v)] == sourceKind {
        score = 10_000
        reason = "\(to) is a source, and sources read nothing: its input \(from) closes the cycle"
      } else if g.kind[Int(u)] == consumerKind {
        score = 10_000
        reason = "\(from) is a consumer, and consumers feed nothing: its reader \(to) closes the cycle"
      } else if g.domain[Int(u)] != g.domain[Int(v)] {
        let du = g.domain[Int(u)], dv = g.domain[Int(v)]
        let along = flows.count(du, dv), against = flows.count(dv, du)
        score = 1_000 + max(-500, min(500, against - along))
        let df = g.domainName(u) ?? "(no domain)", dt = g.domainName(v) ?? "(no domain)"
        if crossCount == 1 {
          reason = "\(to) reading \(from) is the only edge of the cycle that crosses domains (\(df) -> \(dt))"
        } else {
          reason =
            "\(to) reading \(from) runs against the usual flow: \(against) edge(s) go \(dt) -> \(df), \(along) go \(df) -> \(dt)"
        }
      } else {
        continue
      }
      if let b = best {
        if score < b.score { continue }
        if score == b.score {
          // Deterministic tie-break: the smaller (from, to) by id.
          let bf = b.edge.from, bt = b.edge.to
          if g.ids.precedes(bf, u) || (bf == u && !g.ids.precedes(v, bt)) { continue }
        }
      }
      best = Candidate(edge: Edge(u, v), score: score, reason: reason)
    }
    guard let b = best else {
      let d = g.domainName(path[0]) ?? "(no domain)"
      return (nil, "every node of the cycle is in domain \(d); no cross-domain edge to blame")
    }
    return (b.edge, b.reason)
  }
}

/// Size and shape of a lineage graph: what `lineage stats` reports.
public struct GraphStats: Sendable {
  /// A count under a name, for the per-kind and per-domain tables.
  public struct Count: Sendable, Equatable {
    /// The kind or domain.
    public var name: String
    /// How many nodes have it.
    public var count: Int
  }

  /// A node with a degree, for the hub tables.
  public struct Hub: Sendable, Equatable {
    /// The node's graph index.
    public var node: Int32
    /// Its degree (or count, as the table says).
    public var degree: Int
  }

  /// Nodes in the graph.
  public var nodes: Int
  /// Edges in the graph.
  public var edges: Int
  /// Edges whose ends are in different domains.
  public var crossDomainEdges: Int
  /// Node counts by kind, sorted by name.
  public var byKind: [Count]
  /// Node counts by domain, sorted by name; nodes without a domain under "".
  public var byDomain: [Count]
  /// Nodes with no inputs / with no readers / with neither.
  public var roots: Int
  /// Nodes with no readers.
  public var leaves: Int
  /// Nodes with neither inputs nor readers.
  public var isolated: Int
  /// Weakly connected components.
  public var components: Int
  /// Strongly connected components holding a cycle.
  public var cyclicComponents: Int
  /// Nodes inside cycles.
  public var nodesInCycles: Int
  /// Topological layers (of the condensation).
  public var layers: Int
  /// One longest path, by node.
  public var longestPath: [Int32]
  /// The most inputs of one node.
  public var maxFanIn: Int
  /// The most readers of one node.
  public var maxFanOut: Int
  /// Edges per node.
  public var meanDegree: Double
  /// Nodes with the most readers, then the most inputs (ties by id).
  public var topReaders: [Hub]
  /// Nodes with the most inputs, ties by id.
  public var topInputs: [Hub]
  /// How the blast radius was counted, nil when it was not.
  public var blastMethod: BlastMethod?
  /// Nodes with the most nodes downstream (`degree` is that count), ties by id.
  public var topBlast: [Hub] = []

  /// How to count every node's blast radius.
  public enum BlastMethod: String, Sendable, CaseIterable {
    /// Exact, by a bitset DP: O(V·E/64).
    case exact
    /// HyperLogLog sketches with 1024 registers: O(E·1024) bytes, about 3 % error.
    case approximate
  }

  /// Graphs up to this many nodes get the exact blast radius when none is asked for.
  public static let exactBlastLimit = 200_000

  /// Computes the statistics; `top` bounds the hub lists.
  ///
  /// - Parameters:
  ///   - g: The graph.
  ///   - top: The length of the hub lists.
  ///   - blast: How to count blast radii; nil picks exact up to ``exactBlastLimit`` nodes.
  /// - Complexity: O(V + E + V log V).
  public init(_ g: LineageGraph, top: Int = 10, blast: BlastMethod? = nil) {
    nodes = g.nodeCount
    edges = g.edgeCount
    var cross = 0
    var kindCounts = [Int](repeating: 0, count: g.kindNames.count)
    var domainCounts = [Int](repeating: 0, count: g.domainNames.count)
    var noDomain = 0
    var roots = 0, leaves = 0, isolated = 0, maxIn = 0, maxOut = 0
    for v in 0..<Int32(g.nodeCount) {
      kindCounts[Int(g.kind[Int(v)])] += 1
      let d = g.domain[Int(v)]
      if d >= 0 { domainCounts[Int(d)] += 1 } else { noDomain += 1 }
      for w in g.forward.neighbors(v) where g.domain[Int(w)] != d { cross += 1 }
      let fin = g.reverse.degree(v), fout = g.forward.degree(v)
      if fin == 0 { roots += 1 }
      if fout == 0 { leaves += 1 }
      if fin == 0 && fout == 0 { isolated += 1 }
      maxIn = max(maxIn, fin)
      maxOut = max(maxOut, fout)
    }
    crossDomainEdges = cross
    byKind = (0..<Int32(g.kindNames.count)).map { Count(name: g.kindNames[$0], count: kindCounts[Int($0)]) }
      .filter { $0.count > 0 }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    var domains = (0..<Int32(g.domainNames.count)).map { Count(name: g.domainNames[$0], count: domainCounts[Int($0)]) }
      .filter { $0.count > 0 }
    if noDomain > 0 { domains.append(Count(name: "", count: noDomain)) }
    byDomain = domains.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    self.roots = roots
    self.leaves = leaves
    self.isolated = isolated
    components = weaklyConnectedComponentCount(g.forward)
    let scc = StronglyConnectedComponents(g.forward)
    var cyclic = 0, inCycles = 0
    for c in 0..<Int32(scc.count) where scc.isCyclic(c) {
      cyclic += 1
      inCycles += scc.members.degree(c)
    }
    cyclicComponents = cyclic
    nodesInCycles = inCycles
    let layering = TopologicalLayers(g.forward, components: scc)
    layers = layering.count
    longestPath = layering.longestPath
    maxFanIn = maxIn
    maxFanOut = maxOut
    meanDegree = g.nodeCount == 0 ? 0 : Double(g.edgeCount) / Double(g.nodeCount)
    topReaders = Self.top(g, count: top) { g.forward.degree($0) }
    topInputs = Self.top(g, count: top) { g.reverse.degree($0) }
    if let blast, top > 0 {
      blastMethod = blast
      let counts =
        blast == .exact
        ? BlastRadius.exact(g.forward, components: scc)
        : BlastRadius.approximate(g.forward, registers: 1024, components: scc)
      topBlast = Self.top(g, count: top) { Int(counts[Int($0)]) }
    }
  }

  /// The `count` nodes of largest `degree` (ties by id), nodes of degree 0 left out,
  /// largest first: one pass keeping the best so far in order (a new one is put in its
  /// place), with no sort of every node and no copy of the graph per comparison.
  static func top(_ g: LineageGraph, count: Int, degree: (Int32) -> Int) -> [Hub] {
    let ids = g.ids
    func before(_ a: Hub, _ b: Hub) -> Bool {
      a.degree != b.degree ? a.degree > b.degree : ids.precedes(a.node, b.node)
    }
    var best: [Hub] = []
    best.reserveCapacity(count + 1)
    for v in 0..<Int32(g.nodeCount) {
      let d = degree(v)
      if d == 0 { continue }
      let hub = Hub(node: v, degree: d)
      if best.count == count, let last = best.last, !before(hub, last) { continue }
      var at = best.count
      while at > 0 && before(hub, best[at - 1]) { at -= 1 }
      best.insert(hub, at: at)
      if best.count > count { best.removeLast() }
    }
    return best
  }
}

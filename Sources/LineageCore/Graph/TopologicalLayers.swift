/// Topological layers of a graph that may have cycles: every node's layer is the
/// length of the longest path reaching it in the condensation (nodes of one strongly
/// connected component share a layer), so each edge between components climbs at
/// least one layer.
public struct TopologicalLayers: Sendable {
  /// `layer[v]` for every node; sources are layer 0.
  public let layer: [Int32]
  /// Number of layers (`max(layer) + 1`, 0 for an empty graph).
  public let count: Int
  /// Node indices along one longest path of the condensation, from its start. In an
  /// acyclic graph consecutive nodes are joined by an edge; where the path passes
  /// through a cycle, consecutive nodes belong to one strongly connected component.
  public let longestPath: [Int32]

  /// Computes the layers from the graph and its components.
  ///
  /// - Parameters:
  ///   - g: The graph.
  ///   - scc: Its strongly connected components.
  /// - Complexity: O(V + E).
  public init(_ g: CSR, components scc: StronglyConnectedComponents) {
    let n = g.nodeCount
    let c = scc.count
    var compLayer = [Int32](repeating: 0, count: c)
    var via = [Int32](repeating: -1, count: c)  // predecessor node on the longest path into c
    var entry = [Int32](repeating: -1, count: c)  // node of c where that path enters
    // Components are numbered in reverse topological order: walk from the highest.
    var ci = c - 1
    while ci >= 0 {
      for v in scc.members.neighbors(Int32(ci)) {
        for w in g.neighbors(v) {
          let cw = Int(scc.component[Int(w)])
          if cw == ci { continue }
          if compLayer[ci] + 1 > compLayer[cw] || (compLayer[ci] + 1 == compLayer[cw] && via[cw] < 0) {
            compLayer[cw] = compLayer[ci] + 1
            via[cw] = v
            entry[cw] = w
          }
        }
      }
      ci -= 1
    }
    var layer = [Int32](repeating: 0, count: n)
    var best: Int32 = -1
    var bestComp = -1
    for v in 0..<n {
      let l = compLayer[Int(scc.component[v])]
      layer[v] = l
      if l > best {
        best = l
        bestComp = Int(scc.component[v])
      }
    }
    self.layer = layer
    self.count = n == 0 ? 0 : Int(best) + 1
    var path: [Int32] = []
    if bestComp >= 0 {
      var cur = bestComp
      var node = entry[cur] >= 0 ? entry[cur] : scc.members.targets[Int(scc.members.offsets[cur])]
      path.append(node)
      while via[cur] >= 0 {
        node = via[cur]
        path.append(node)
        cur = Int(scc.component[Int(node)])
      }
      path.reverse()
    }
    self.longestPath = path
  }
}

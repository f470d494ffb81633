@testable import LineageCore

/// Builds a graph from `(src, dst)` pairs over nodes `n0 ... n{count-1}`, with
/// optional domains and kinds.
func makeGraph(_ count: Int, _ edges: [(Int, Int)], domains: [String]? = nil, kinds: [NodeKind]? = nil) -> LineageGraph
{
  var b = GraphBuilder()
  for i in 0..<count {
    let v = b.node("n\(i)")
    b.declare(v, kind: kinds?[i] ?? .product, domain: domains?[i], owner: nil)
  }
  for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
  return b.build()
}

/// Builds a graph from edges written as "a>b" with named nodes; every node gets
/// the domain before the first dot.
func namedGraph(_ spec: [String], extra: [String] = []) -> LineageGraph {
  var b = GraphBuilder()
  func node(_ id: String) -> Int32 {
    let v = b.node(id)
    if !b.isDeclared(v) {
      let domain = id.split(separator: ".").first.map(String.init)
      b.declare(v, kind: .product, domain: domain, owner: domain.map { "team-" + $0 })
    }
    return v
  }
  for id in extra { _ = node(id) }
  for e in spec {
    let parts = e.split(separator: ">").map(String.init)
    b.addEdge(node(parts[0]), node(parts[1]))
  }
  return b.build()
}

/// A small deterministic PRNG (SplitMix64) for tests that build large inputs.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Reference implementations: plain dictionaries and sets, obviously right.
enum Reference {
  static func adjacency(_ n: Int, _ edges: [(Int, Int)], reversed: Bool = false) -> [[Int]] {
    var adj = [[Int]](repeating: [], count: n)
    for (s, d) in edges { if reversed { adj[d].append(s) } else { adj[s].append(d) } }
    return adj
  }

  /// Shortest hop count from any root to every reachable node.
  static func bfs(_ adj: [[Int]], roots: [Int], maxDepth: Int?) -> [Int: Int] {
    var depth: [Int: Int] = [:]
    var frontier = Set(roots)
    for r in roots { depth[r] = 0 }
    var d = 0
    while !frontier.isEmpty {
      if let m = maxDepth, d >= m { break }
      d += 1
      var next = Set<Int>()
      for v in frontier { for w in adj[v] where depth[w] == nil { depth[w] = d; next.insert(w) } }
      frontier = next
    }
    return depth
  }

  /// Reachability matrix by repeated BFS.
  static func reachable(_ adj: [[Int]]) -> [[Bool]] {
    let n = adj.count
    var r = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
    for s in 0..<n { for (v, _) in bfs(adj, roots: [s], maxDepth: nil) { r[s][v] = true } }
    return r
  }

  /// Components as sets of mutually reachable nodes.
  static func scc(_ adj: [[Int]]) -> Set<Set<Int>> {
    let r = reachable(adj)
    var out = Set<Set<Int>>()
    for v in 0..<adj.count { out.insert(Set((0..<adj.count).filter { r[v][$0] && r[$0][v] })) }
    return out
  }

  /// Length of the shortest cycle through `s` (nil when none).
  static func shortestCycle(_ adj: [[Int]], through s: Int) -> Int? {
    let d = bfs(adj, roots: [s], maxDepth: nil)
    var best: Int?
    for (v, dv) in d where adj[v].contains(s) { best = min(best ?? Int.max, dv + 1) }
    return best
  }
}

/// Strongly connected components of a graph.
public struct StronglyConnectedComponents: Sendable {
  /// `component[v]` is the component index of node `v`. Components are numbered in
  /// reverse topological order of the condensation: every edge between two
  /// components goes from a higher index to a lower (or equal) one.
  public let component: [Int32]
  /// Members of each component: `members.neighbors(c)` (ascending node index).
  public let members: CSR
  /// Per component, whether it holds a cycle (more than one node, or a self-loop),
  /// noted while the edges are scanned.
  let cyclic: [Bool]

  /// Number of components.
  public var count: Int { members.nodeCount }

  /// Computes the components with an iterative version of Tarjan's algorithm.
  ///
  /// - Parameter g: The graph.
  /// - Complexity: O(V + E) time, O(V) extra memory, no recursion.
  public init(_ g: CSR) {
    let n = g.nodeCount
    // Scratch in raw buffers (no bounds or uniqueness checks in the inner loop):
    // discovery index and low link per node; the Tarjan stack; the DFS frames (node and
    // next edge). A node is on the Tarjan stack while it has an index and no component.
    let index = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    let low = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    let stack = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    let frameNode = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    let frameEdge = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    defer {
      index.deallocate()
      low.deallocate()
      stack.deallocate()
      frameNode.deallocate()
      frameEdge.deallocate()
    }
    index.initialize(repeating: -1, count: n)
    var comp = [Int32](repeating: -1, count: n)
    var counter: Int32 = 0
    var compCount: Int32 = 0
    var sp = 0, fp = 0
    // Nodes with an edge to themselves, seen in the edge scan (a self-loop is a cycle
    // of one node; finding them here spares a search of each node's edges later).
    var loops: [Int32] = []
    comp.withUnsafeMutableBufferPointer { comp in
      g.offsets.withUnsafeBufferPointer { off in
        g.targets.withUnsafeBufferPointer { tgt in
          // Discovers `v`: gives it an index, pushes it on the Tarjan stack and opens
          // its frame.
          func discover(_ v: Int) {
            index[v] = counter
            low[v] = counter
            counter += 1
            stack[sp] = Int32(v)
            sp += 1
            frameNode[fp] = Int32(v)
            frameEdge[fp] = off[v]
            fp += 1
          }
          for s in 0..<n where index[s] < 0 {
            discover(s)
            while fp > 0 {
              let v = Int(frameNode[fp - 1])
              let e = frameEdge[fp - 1]
              if e < off[v + 1] {
                let w = Int(tgt[Int(e)])
                frameEdge[fp - 1] = e + 1
                if w == v { loops.append(Int32(v)) }
                if index[w] < 0 {
                  discover(w)
                } else if comp[w] < 0, index[w] < low[v] {
                  low[v] = index[w]
                }
              } else {
                fp -= 1
                if low[v] == index[v] {
                  while true {
                    sp -= 1
                    let w = Int(stack[sp])
                    comp[w] = compCount
                    if w == v { break }
                  }
                  compCount += 1
                }
                if fp > 0 {
                  let parent = Int(frameNode[fp - 1])
                  if low[v] < low[parent] { low[parent] = low[v] }
                }
              }
            }
          }
        }
      }
    }
    component = comp
    // Members by counting sort: rows are already ascending.
    let c = Int(compCount)
    var offsets = [Int32](repeating: 0, count: c + 1)
    for x in comp { offsets[Int(x) + 1] += 1 }
    for i in 0..<c { offsets[i + 1] += offsets[i] }
    var fill = offsets
    var targets = [Int32](repeating: 0, count: n)
    for v in 0..<n {
      let x = Int(comp[v])
      targets[Int(fill[x])] = Int32(v)
      fill[x] += 1
    }
    members = CSR(offsets: offsets, targets: targets)
    var cyclic = [Bool](repeating: false, count: c)
    for x in 0..<c where offsets[x + 1] - offsets[x] > 1 { cyclic[x] = true }
    for v in loops { cyclic[Int(comp[Int(v)])] = true }
    self.cyclic = cyclic
  }

  /// True when component `c` holds a cycle: more than one node, or a self-loop (noted
  /// when the components were computed).
  ///
  /// - Parameter c: A component index.
  /// - Returns: Whether the component's nodes lie on a cycle.
  /// - Complexity: O(1).
  public func isCyclic(_ c: Int32) -> Bool { cyclic[Int(c)] }
}

extension CSR {
  /// A topological order of all nodes (Kahn's algorithm, smallest index first among
  /// ready nodes is not guaranteed; the order is deterministic), or nil when the
  /// graph has a cycle.
  ///
  /// - Returns: Every node once, each before the nodes it points to; nil on a cycle.
  /// - Complexity: O(V + E).
  public func topologicalOrder() -> [Int32]? {
    let order = kahnOrder()
    return order.count == nodeCount ? order : nil
  }

}

/// Weakly connected components by union–find (path halving, union by size).
///
/// - Parameter g: The graph; edge directions are ignored.
/// - Returns: The number of weakly connected components.
/// - Complexity: O(V + E α(V)).
public func weaklyConnectedComponentCount(_ g: CSR) -> Int {
  let n = g.nodeCount
  var parent = Array(0..<Int32(n))
  var size = [Int32](repeating: 1, count: n)
  func find(_ x: Int32) -> Int32 {
    var x = x
    while parent[Int(x)] != x {
      parent[Int(x)] = parent[Int(parent[Int(x)])]
      x = parent[Int(x)]
    }
    return x
  }
  var count = n
  for v in 0..<Int32(n) {
    for w in g.neighbors(v) {
      var a = find(v), b = find(w)
      if a == b { continue }
      if size[Int(a)] < size[Int(b)] { swap(&a, &b) }
      parent[Int(b)] = a
      size[Int(a)] += size[Int(b)]
      count -= 1
    }
  }
  return count
}

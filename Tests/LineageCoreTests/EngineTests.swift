import PropertyBased
import Testing

@testable import LineageCore

@Suite struct InternerTests {
  @Test func internsAndLooksUp() {
    var t = Interner()
    let a = t.intern("alpha"), b = t.intern("beta"), a2 = t.intern("alpha")
    #expect(a == a2)
    #expect(a != b)
    #expect(t.count == 2)
    #expect(t[a] == "alpha")
    #expect(t.lookup("beta") == b)
    #expect(t.lookup("gamma") == nil)
    #expect(t.intern("") == 2)
    #expect(t[2] == "")
  }

  @Test func growsAndKeepsEveryString() {
    var t = Interner(capacity: 1)
    for i in 0..<20_000 { #expect(t.intern("id-\(i)") == Int32(i)) }
    for i in stride(from: 0, to: 20_000, by: 997) { #expect(t.lookup("id-\(i)") == Int32(i)) }
    #expect(t.count == 20_000)
  }

  /// The grouped lookup agrees with one-at-a-time lookups, across word-boundary
  /// lengths (0, 7, 8, 9, 16, 17 bytes), absent strings, a group's last partial batch,
  /// and strings that differ only past their first word.
  @Test func groupedLookupMatchesSingleLookups() {
    var t = Interner(capacity: 4)
    var queries: [String] = []
    for len in [0, 1, 7, 8, 9, 15, 16, 17, 40] {
      for k in 0..<30 {
        let s = len == 0 ? "" : String(repeating: "x", count: len - 1) + String(UnicodeScalar(UInt8(65 + k)))
        if k % 3 != 0 { t.intern(s) }
        queries.append(s)
      }
    }
    queries.append("not.here.at.all")
    // All queries in one buffer, as the loader passes ranges of its input.
    let flat = Array(queries.joined().utf8)
    var starts = [0]
    for q in queries { starts.append(starts.last! + q.utf8.count) }
    var out = [Int32](repeating: 7, count: queries.count)
    flat.withUnsafeBufferPointer { f in
      out.withUnsafeMutableBufferPointer { o in
        t.lookupAll(queries.count, into: o) { i in UnsafeBufferPointer(rebasing: f[starts[i]..<starts[i + 1]]) }
      }
    }
    for (i, q) in queries.enumerated() {
      #expect(out[i] == t.lookup(q) ?? -1, "query \(i) (\(q.utf8.count) bytes)")
    }
    #expect(out.contains(-1) && out.filter { $0 >= 0 }.count > 100)
  }

  @Test func sortsByteWise() {
    var t = Interner()
    for s in ["b", "a", "ab", "", "é", "Z"] { t.intern(s) }
    #expect(t.sortedIndices().map { t[$0] } == ["", "Z", "a", "ab", "b", "é"])
  }
}

@Suite struct CSRTests {
  @Test func sortsAndDeduplicatesRows() {
    let c = CSR(nodeCount: 3, sources: [0, 0, 0, 2, 0], targets: [2, 1, 2, 0, 1])
    #expect(Array(c.neighbors(0)) == [1, 2])
    #expect(c.neighbors(1).isEmpty)
    #expect(Array(c.neighbors(2)) == [0])
    #expect(c.edgeCount == 3)
    let t = c.transposed()
    #expect(Array(t.neighbors(0)) == [2])
    #expect(Array(t.neighbors(1)) == [0])
    #expect(Array(t.neighbors(2)) == [0])
  }

  @Test func emptyGraph() {
    let c = CSR(nodeCount: 0, sources: [], targets: [])
    #expect(c.nodeCount == 0)
    #expect(c.topologicalOrder() == [])
    #expect(StronglyConnectedComponents(c).count == 0)
    #expect(TopologicalLayers(c, components: StronglyConnectedComponents(c)).count == 0)
  }
}

@Suite struct TraversalTests {
  @Test func diamondGetsShortestDepth() {
    // 0 -> 1 -> 3, 0 -> 2 -> 3, 3 -> 4, and a long way 0 -> 5 -> 6 -> 4
    let g = makeGraph(7, [(0, 1), (1, 3), (0, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 4)])
    let r = g.reach(from: [0], direction: .downstream)
    let depth = Dictionary(uniqueKeysWithValues: zip(r.nodes, r.depths))
    #expect(depth == [0: 0, 1: 1, 2: 1, 5: 1, 3: 2, 6: 2, 4: 3])
    let up = g.reach(from: [4], direction: .upstream, maxDepth: 1)
    #expect(Set(up.nodes) == [4, 3, 6])
  }

  @Test func depthZeroIsTheRootsOnly() {
    let g = makeGraph(3, [(0, 1), (1, 2)])
    #expect(g.reach(from: [0], direction: .downstream, maxDepth: 0).nodes == [0])
  }

  @Test func cyclesAndSelfLoopsTerminate() {
    let g = makeGraph(3, [(0, 1), (1, 2), (2, 0), (1, 1)])
    #expect(Set(g.reach(from: [1], direction: .downstream).nodes) == [0, 1, 2])
    #expect(g.forward.shortestPath(from: [0], to: 2) == [0, 1, 2])
    #expect(g.forward.shortestPath(from: [0], to: 0) == [0])
  }

  @Test func millionNodeChainDoesNotRecurse() {
    let n = 1_000_000
    let g = makeGraph(n, (0..<(n - 1)).map { ($0, $0 + 1) })
    let down = g.reach(from: [0], direction: .downstream)
    #expect(down.count == n)
    #expect(down.depths.last == Int32(n - 1))
    let scc = StronglyConnectedComponents(g.forward)
    #expect(scc.count == n)
    let layers = TopologicalLayers(g.forward, components: scc)
    #expect(layers.count == n)
    #expect(layers.longestPath.count == n)
    #expect(g.forward.topologicalOrder()?.count == n)
    #expect(CycleFinder.cycles(in: g, components: scc).isEmpty)
  }

  @Test func ringOfTwoHundredThousand() {
    let n = 200_000
    let g = makeGraph(n, (0..<n).map { ($0, ($0 + 1) % n) })
    let scc = StronglyConnectedComponents(g.forward)
    #expect(scc.count == 1)
    #expect(g.forward.topologicalOrder() == nil)
    let cycles = CycleFinder.cycles(in: g, components: scc)
    #expect(cycles.count == 1)
    #expect(cycles[0].path.count == n)
    #expect(cycles[0].nodes.count == n)
  }

  @Test func hubWithHundredThousandReaders() {
    let n = 100_001
    let g = makeGraph(n, (1..<n).map { (0, $0) })
    #expect(g.reach(from: [0], direction: .downstream).count == n)
    #expect(g.reach(from: [5], direction: .upstream).nodes == [5, 0])
    let s = GraphStats(g, top: 3)
    #expect(s.maxFanOut == n - 1)
    #expect(s.topReaders.first?.node == 0)
    #expect(s.layers == 2)
  }
}

@Suite struct ComponentTests {
  @Test func tarjanFindsComponentsInReverseTopologicalOrder() {
    // {0,1,2} cycle -> 3 -> {4,5} cycle; 6 isolated with self-loop
    let g = makeGraph(7, [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 4), (6, 6)])
    let scc = StronglyConnectedComponents(g.forward)
    #expect(scc.count == 4)
    #expect(scc.component[0] == scc.component[1])
    #expect(scc.component[4] == scc.component[5])
    // Edges between components go from higher to lower index.
    for v in 0..<Int32(7) {
      for w in g.forward.neighbors(v) { #expect(scc.component[Int(v)] >= scc.component[Int(w)]) }
    }
    let cyclic = (0..<Int32(scc.count)).filter { scc.isCyclic($0) }
    #expect(cyclic.count == 3)
    let layers = TopologicalLayers(g.forward, components: scc)
    #expect(layers.layer[0] == 0 && layers.layer[3] == 1 && layers.layer[4] == 2 && layers.layer[6] == 0)
  }

  @Test func weakComponents() {
    let g = makeGraph(6, [(0, 1), (2, 1), (3, 4)])
    #expect(weaklyConnectedComponentCount(g.forward) == 3)
  }
}

@Suite struct CycleTests {
  @Test func shortestCycleAndCrossDomainCulprit() {
    // sales.orders -> finance.revenue -> finance.margin -> sales.orders is the cycle; the
    // usual flow is sales -> finance (three edges), so finance.margin -> sales.orders is wrong.
    let g = namedGraph([
      "sales.orders>finance.revenue", "finance.revenue>finance.margin", "finance.margin>sales.orders",
      "sales.returns>finance.refunds", "sales.orders>finance.tax",
    ])
    let cycles = CycleFinder.cycles(in: g)
    #expect(cycles.count == 1)
    let c = cycles[0]
    #expect(c.path.map { g.id($0) } == ["finance.margin", "sales.orders", "finance.revenue"])
    #expect(c.nodes.map { g.id($0) } == ["finance.margin", "finance.revenue", "sales.orders"])
    #expect(c.culprit.map { [g.id($0.from), g.id($0.to)] } == ["finance.margin", "sales.orders"])
    #expect(c.reason.contains("against the usual flow"))
  }

  @Test func singleDomainCycleHasNoCulpritAndSelfLoopIsReported() {
    let g = namedGraph(["a.x>a.y", "a.y>a.x", "b.z>b.z"])
    let cycles = CycleFinder.cycles(in: g)
    #expect(cycles.count == 2)
    #expect(cycles[0].culprit == nil)
    #expect(cycles[0].reason.contains("domain a"))
    #expect(cycles[1].path.map { g.id($0) } == ["b.z"])
    #expect(cycles[1].reason.contains("reads itself"))
  }

  @Test func edgeIntoASourceIsTheCulprit() {
    var b = GraphBuilder()
    let s = b.node("src"), m = b.node("mid"), t = b.node("top")
    b.declare(s, kind: .source, domain: "d", owner: nil)
    b.declare(m, kind: .product, domain: "d", owner: nil)
    b.declare(t, kind: .product, domain: "d", owner: nil)
    b.addEdge(s, m)
    b.addEdge(m, t)
    b.addEdge(t, s)
    let g = b.build()
    let c = CycleFinder.cycles(in: g)[0]
    #expect(c.culprit == Edge(t, s))
  }
}

@Suite struct StatsTests {
  @Test func countsAndLongestPath() {
    let g = namedGraph(["a.1>a.2", "a.2>b.3", "b.3>b.4", "a.1>b.4"], extra: ["c.5"])
    let s = GraphStats(g)
    #expect(s.nodes == 5 && s.edges == 4)
    #expect(s.crossDomainEdges == 2)
    #expect(s.byDomain.map(\.name) == ["a", "b", "c"])
    #expect(s.isolated == 1 && s.roots == 2 && s.leaves == 2)
    #expect(s.components == 2)
    #expect(s.longestPath.map { g.id($0) } == ["a.1", "a.2", "b.3", "b.4"])
    #expect(s.layers == 4)
    #expect(s.cyclicComponents == 0)
  }
}

@Suite struct SuggestTests {
  @Test(
    arguments: [
      ("crm.customer", "crm.customers"), ("team-sale", "team-sales"), ("descripton", "description"),
      ("DataProdcut", "DataProduct"), ("zzz", nil),
    ] as [(String, String?)])
  func suggests(_ word: String, _ expected: String?) {
    let candidates = ["crm.customers", "team-sales", "description", "DataProduct", "domain"]
    #expect(Suggest.closest(to: word, in: candidates) == expected)
  }

  /// The bounded search (length bounds, early exit, best-so-far bound) picks what an
  /// unbounded scan of every candidate picks, on random words over a tiny alphabet
  /// (so that near misses, transpositions and ties are common), non-ASCII included.
  @Test func boundedSearchMatchesPlainScan() async {
    let alphabet: [Character] = ["a", "b", "c", "é", "."]
    let word = Gen.int(in: 0...4).array(of: 0...9).map { String($0.map { alphabet[$0] }) }
    await propertyCheck(count: 1500, input: word, word.array(of: 0...25)) { w, candidates in
      func osa(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        if !a.isEmpty && !b.isEmpty {
          for i in 1...a.count {
            for j in 1...b.count {
              d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
              if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
              }
            }
          }
        }
        return d[a.count][b.count]
      }
      let ws = Array(w.unicodeScalars)
      let limit = min(3, max(1, ws.count / 3))
      var expected: (Int, String)?
      for c in candidates where c != w {
        let d = osa(ws, Array(c.unicodeScalars))
        guard d <= limit else { continue }
        if let e = expected, d > e.0 || (d == e.0 && !(c < e.1)) { continue }
        expected = (d, c)
      }
      #expect(Suggest.closest(to: w, in: candidates) == expected?.1, "\(w) in \(candidates)")
    }
  }

  @Test(arguments: [
    ("sales.*", "sales.orders", true), ("sales.*", "crm.sales", false), ("*", "", true), ("a?c", "abc", true),
    ("a?c", "ac", false), ("*.orders", "sales.orders", true), ("s*s*s", "sales.orders.s", true), ("é?", "éa", true),
  ])
  func globs(_ pattern: String, _ text: String, _ expected: Bool) {
    #expect(Glob.matches(pattern, text) == expected)
  }
}

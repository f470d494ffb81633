import PropertyBased
import Testing

@testable import LineageCore

/// Random graphs with cycles, self-loops, duplicate edges and disconnected parts,
/// compared against the obviously-right reference implementations.
@Suite struct PropertyTests {
  static let graphs = zip(
    Gen.int(in: 1...24),
    zip(Gen.int(in: 0...23), Gen.int(in: 0...23)).array(of: 0...60)
  )

  static func clamp(_ n: Int, _ edges: [(Int, Int)]) -> [(Int, Int)] { edges.map { ($0.0 % n, $0.1 % n) } }

  @Test func traversalMatchesReference() async {
    await propertyCheck(count: 1500, input: Self.graphs, Gen.int(in: 0...4)) { input, depthCode in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      let g = makeGraph(n, edges)
      let maxDepth: Int? = depthCode == 4 ? nil : depthCode
      let root = n / 2
      for direction in [Direction.downstream, .upstream] {
        let reach = g.reach(from: [Int32(root)], direction: direction, maxDepth: maxDepth)
        let adj = Reference.adjacency(n, edges, reversed: direction == .upstream)
        let expected = Reference.bfs(adj, roots: [root], maxDepth: maxDepth)
        let got = Dictionary(uniqueKeysWithValues: zip(reach.nodes.map(Int.init), reach.depths.map(Int.init)))
        #expect(got == expected)
      }
    }
  }

  @Test func componentsMatchReference() async {
    await propertyCheck(count: 1500, input: Self.graphs) { n, raw in
      let edges = Self.clamp(n, raw)
      let g = makeGraph(n, edges)
      let scc = StronglyConnectedComponents(g.forward)
      var got = Set<Set<Int>>()
      for c in 0..<Int32(scc.count) { got.insert(Set(scc.members.neighbors(c).map(Int.init))) }
      #expect(got == Reference.scc(Reference.adjacency(n, edges)))
      for (s, d) in edges { #expect(scc.component[s] >= scc.component[d]) }
    }
  }

  @Test func topologicalOrderAndLayersAreValid() async {
    await propertyCheck(count: 1500, input: Self.graphs) { n, raw in
      // Keep only forward edges to get a DAG half of the time.
      let all = Self.clamp(n, raw)
      let dag = all.filter { $0.0 < $0.1 }
      for edges in [dag, all] {
        let g = makeGraph(n, edges)
        let scc = StronglyConnectedComponents(g.forward)
        let acyclic = scc.count == n && !edges.contains { $0.0 == $0.1 }
        if let order = g.forward.topologicalOrder() {
          #expect(acyclic)
          var position = [Int](repeating: 0, count: n)
          for (i, v) in order.enumerated() { position[Int(v)] = i }
          for (s, d) in edges { #expect(position[s] < position[d]) }
        } else {
          #expect(!acyclic)
        }
        let layers = TopologicalLayers(g.forward, components: scc)
        for (s, d) in edges where scc.component[s] != scc.component[d] {
          #expect(layers.layer[s] < layers.layer[d])
        }
      }
    }
  }

  /// Retiring a node of a bare graph (cycles, self-loops and diamonds included)
  /// affects exactly what it reaches; each affected node gets one shortest path from
  /// it (against a breadth-first reference), made of edges, whose last step is the
  /// node its reason names; direct readers break and the rest may break.
  @Test func retireGivesEachReaderAShortestPath() async {
    await propertyCheck(count: 800, input: Self.graphs, Gen.int(in: 0...23)) { input, pick in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      for renumber in [false, true] {
        var b = GraphBuilder()
        b.renumberForLocality = renumber
        for i in 0..<n { _ = b.node("n\((i * 7) % 11).\(i)") }
        for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
        let m = LineageModel(graph: b.build(), findings: [], source: "test", name: "t")
        let g = m.graph
        let product = try #require(g.index(of: "n\((pick % n * 7) % 11).\(pick % n)"))
        // Breadth-first distances from the product.
        var distance = [Int](repeating: -1, count: n)
        distance[Int(product)] = 0
        var queue = [product], head = 0
        while head < queue.count {
          let v = queue[head]
          head += 1
          for w in g.forward.neighbors(v) where distance[Int(w)] < 0 {
            distance[Int(w)] = distance[Int(v)] + 1
            queue.append(w)
          }
        }
        let r = try ImpactAnalysis.analyze(m, product: product, column: nil, change: .retire)
        let reached = (0..<Int32(n)).filter { $0 != product && distance[Int($0)] > 0 }
        #expect(Set(r.nodes) == Set(reached))
        for i in 0..<r.count {
          let v = r.nodes[i], path = r.path(at: i)
          #expect(path.first == product && path.last == v)
          #expect(path.count - 1 == distance[Int(v)], "a shortest path to \(g.id(v))")
          for k in 1..<path.count { #expect(g.forward.neighbors(path[k - 1]).contains(path[k])) }
          let parent = path[path.count - 2]
          switch r.reasonData(at: i) {
          case .readsColumnsUnknown(let p): #expect(p == parent)
          default: Issue.record("a bare graph's reader is read without columns: \(r.reasonData(at: i))")
          }
          #expect(r.verdicts[i] == (distance[Int(v)] == 1 ? .breaks : .mayBreak))
        }
      }
    }
  }

  /// The bare walk's buckets read on two cores (``ImpactAnalysis/ReaderClaims``, then
  /// ``ImpactAnalysis/hitClaimed(_:onTwoCores:steps:order:kept:verdict:slot:buckets:)``) and
  /// the rows gathered on two cores give the sequential walk's blast radius: the same
  /// rows, verdicts, reasons and paths (of several shortest paths, the same one), on
  /// graphs with cycles, self-loops, diamonds and repeated edges, with the parts on two
  /// cores from one, two and three nodes on.
  @Test func theBareWalkOnTwoCoresIsTheSequentialOne() async {
    await propertyCheck(count: 800, input: Self.graphs, Gen.int(in: 0...23)) { input, pick in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      var b = GraphBuilder()
      for i in 0..<n { _ = b.node("n\((i * 7) % 11).\(i)") }
      for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
      let m = LineageModel(graph: b.build(), findings: [], source: "test", name: "t")
      let product = Int32(pick % n)
      let one = try ImpactAnalysis.analyze(
        m, product: product, column: nil, change: .retire, gone: "retired", parallelFrom: Int.max)
      // From one node on, every bucket's readers are found and hit on two cores; from
      // two or three, small buckets stay sequential, and a bucket found on two cores
      // with fewer new readers has them hit on one.
      for from in 1...3 {
        let two = try ImpactAnalysis.analyze(
          m, product: product, column: nil, change: .retire, gone: "retired", parallelFrom: from)
        #expect(two.nodes == one.nodes)
        #expect(two.verdicts == one.verdicts)
        for i in 0..<min(one.count, two.count) {
          #expect(two.path(at: i) == one.path(at: i), "the path to \(m.graph.id(one.nodes[i])), from \(from)")
          #expect(two.reasonData(at: i) == one.reasonData(at: i))
        }
      }
    }
  }

  /// Ids ranked on a second core while the graph is built (and renumbered) are the
  /// ranks of the built graph's ids, sorted afterwards.
  @Test func idsRankedWhileBuildingAreTheirByteOrder() async {
    await propertyCheck(count: 300, input: Self.graphs, Gen.int(in: 0...3)) { input, shape in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      for renumber in [false, true] {
        var b = GraphBuilder()
        b.renumberForLocality = renumber
        b.rankIDs = true
        // Ids whose order is not their order of arrival, some sharing long prefixes.
        for i in 0..<n { _ = b.node(shape == 0 ? "n\((i * 7) % 11).\(i)" : "shared.prefix.of.ids.\(n - i)") }
        for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
        let g = b.build()
        #expect(g.idRank.count == (n >= 2 ? n : 0))
        if n >= 2 { #expect(Array(g.idRank) == g.ids.byteOrderRanks()) }
      }
    }
  }

  /// The top hubs (``GraphStats``) are the first of every node sorted by degree, then
  /// id, the nodes of degree 0 left out; for every count, ties included.
  @Test func topHubsAreTheFirstOfAllSorted() async {
    await propertyCheck(count: 300, input: Self.graphs, Gen.int(in: 0...6)) { input, count in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      var b = GraphBuilder()
      // Ids whose byte order is not their index order.
      for i in 0..<n { _ = b.node("n\((i * 5) % 7).\(n - i)") }
      for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
      let g = b.build()
      for csr in [g.forward, g.reverse] {
        let all = (0..<Int32(g.nodeCount)).filter { csr.degree($0) > 0 }.sorted {
          csr.degree($0) != csr.degree($1)
            ? csr.degree($0) > csr.degree($1) : g.id($0).utf8.lexicographicallyPrecedes(g.id($1).utf8)
        }
        let top = GraphStats.top(g, count: count) { csr.degree($0) }
        #expect(top.map(\.node) == Array(all.prefix(count)))
        #expect(top.map(\.degree) == all.prefix(count).map { csr.degree($0) })
      }
    }
  }

  @Test func edgeTestsAndDomainFlowsMatchReference() async {
    await propertyCheck(count: 800, input: Self.graphs, Gen.int(in: 1...5)) { input, domainCount in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      // Some nodes without a domain (-1).
      let domains: [String?] = (0..<n).map {
        $0 % (domainCount + 1) == domainCount ? nil : "d\($0 % (domainCount + 1))"
      }
      var b = GraphBuilder()
      for i in 0..<n { b.declare(b.node("n\(i)"), kind: .product, domain: domains[i], owner: nil) }
      for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
      let g = b.build()
      let adj = Reference.adjacency(n, edges)
      for u in 0..<n {
        for v in 0..<n { #expect(g.forward.hasEdge(from: Int32(u), to: Int32(v)) == adj[u].contains(v)) }
      }
      // Distinct edges between each ordered pair of distinct domains.
      var expected: [Int64: Int] = [:]
      for (s, d) in Set(edges.map { [$0.0, $0.1] }).map({ ($0[0], $0[1]) }) {
        let ds = g.domain[s], dd = g.domain[d]
        if ds != dd { expected[DomainFlows.key(ds, dd), default: 0] += 1 }
      }
      for flows in [DomainFlows(g), DomainFlows(g, denseLimit: 0)] {
        for a in -1..<Int32(g.domainNames.count) {
          for c in -1..<Int32(g.domainNames.count) {
            #expect(flows.count(a, c) == expected[DomainFlows.key(a, c)] ?? 0)
          }
        }
      }
    }
  }

  @Test func cyclesAreRealAndShortest() async {
    await propertyCheck(count: 1500, input: Self.graphs) { n, raw in
      let edges = Self.clamp(n, raw)
      let g = makeGraph(n, edges, domains: (0..<n).map { "d\($0 % 3)" })
      let adj = Reference.adjacency(n, edges)
      let cycles = CycleFinder.cycles(in: g)
      let cyclicRef = Reference.scc(adj).filter { c in c.count > 1 || adj[c.first!].contains(c.first!) }
      #expect(cycles.count == cyclicRef.count)
      for c in cycles {
        let members = Set(c.nodes.map(Int.init))
        #expect(cyclicRef.contains(members))
        // Every step of the path is an edge, and the path stays in its component.
        for i in 0..<c.path.count {
          let u = Int(c.path[i]), v = Int(c.path[(i + 1) % c.path.count])
          #expect(adj[u].contains(v))
          #expect(members.contains(u))
        }
        #expect(Set(c.path).count == c.path.count)
        // No shorter cycle exists anywhere in the component.
        let shortest = members.compactMap { Reference.shortestCycle(adj, through: $0) }.min()
        #expect(c.path.count == shortest)
        if let e = c.culprit {
          #expect(g.domain[Int(e.from)] != g.domain[Int(e.to)])
          #expect(adj[Int(e.from)].contains(Int(e.to)))
        }
      }
    }
  }

  @Test func selectorOperatorsMatchReference() async {
    await propertyCheck(count: 500, input: Self.graphs, Gen.int(in: 0...3), Gen.int(in: 0...3)) { input, up, down in
      let (n, raw) = input
      let edges = Self.clamp(n, raw)
      let g = makeGraph(n, edges)
      let root = n - 1
      let text = "\(up)+n\(root)+\(down)"
      guard let sel = try? Selector.parse([text], in: g) else {
        Issue.record("\(text) did not parse")
        return
      }
      let got = Set(g.select(sel).nodes.map(Int.init))
      let ups = Reference.bfs(Reference.adjacency(n, edges, reversed: true), roots: [root], maxDepth: up)
      let downs = Reference.bfs(Reference.adjacency(n, edges), roots: [root], maxDepth: down)
      #expect(got == Set(ups.keys).union(downs.keys))
    }
  }

  @Test func childrensParentsMatchesReference() async {
    await propertyCheck(count: 800, input: Self.graphs) { n, raw in
      let edges = Self.clamp(n, raw)
      let g = makeGraph(n, edges)
      let root = 0
      guard let sel = try? Selector.parse(["@n\(root)"], in: g) else { return }
      let r = g.select(sel)
      let got = Dictionary(uniqueKeysWithValues: zip(r.nodes.map(Int.init), r.depths.map(Int.init)))
      let down = Reference.bfs(Reference.adjacency(n, edges), roots: [root], maxDepth: nil)
      let upAdj = Reference.adjacency(n, edges, reversed: true)
      var expected = down
      for (y, dy) in down {
        for (a, da) in Reference.bfs(upAdj, roots: [y], maxDepth: nil) where expected[a].map({ dy + da < $0 }) ?? true {
          expected[a] = dy + da
        }
      }
      #expect(got == expected)
    }
  }
}

/// All-nodes blast radius: exact against one BFS per node; approximate within its
/// error bound.
@Suite struct BlastRadiusTests {
  @Test func exactMatchesReference() async {
    await propertyCheck(count: 800, input: PropertyTests.graphs) { n, raw in
      let edges = PropertyTests.clamp(n, raw)
      let g = makeGraph(n, edges)
      let got = BlastRadius.exact(g.forward)
      let adj = Reference.adjacency(n, edges)
      for v in 0..<n {
        let reach = Reference.bfs(adj, roots: [v], maxDepth: nil)
        #expect(got[v] == Int64(reach.count - 1), "node \(v)")
      }
    }
  }

  @Test func approximateIsCloseOnALargerGraph() {
    var rng = SplitMix(seed: 3)
    let n = 6000
    var edges: [(Int, Int)] = []
    for v in 1..<n { for _ in 0..<3 { edges.append((Int.random(in: 0..<v, using: &rng), v)) } }
    edges.append((n - 1, 10))  // one cycle
    let g = makeGraph(n, edges)
    let exact = BlastRadius.exact(g.forward)
    // The same answer as a BFS from each of a sample of nodes.
    let adj = Reference.adjacency(n, edges)
    for v in stride(from: 0, to: n, by: 97) {
      #expect(exact[v] == Int64(Reference.bfs(adj, roots: [v], maxDepth: nil).count - 1))
    }
    let approx = BlastRadius.approximate(g.forward, registers: 1024)
    #expect(BlastRadius.approximate(g.forward, registers: 1024, threads: 1) == approx)
    var errors: [Double] = []
    for v in 0..<n where exact[v] >= 100 { errors.append(abs(Double(approx[v] - exact[v])) / Double(exact[v])) }
    let mean = errors.reduce(0, +) / Double(errors.count)
    #expect(errors.count > 1000)
    #expect(mean < 0.04, "mean relative error \(mean)")
    // Small sets are counted exactly by linear counting, near enough.
    for v in 0..<n where exact[v] < 10 { #expect(abs(approx[v] - exact[v]) <= 1) }
  }
}

/// Renumbering for locality changes indices, never the graph.
@Suite struct RenumberingTests {
  @Test func renumberedGraphsAreTheSameGraph() async {
    await propertyCheck(count: 600, input: PropertyTests.graphs) { n, raw in
      let edges = PropertyTests.clamp(n, raw)
      func build(_ renumber: Bool) -> LineageGraph {
        var b = GraphBuilder()
        b.renumberForLocality = renumber
        for i in 0..<n {
          let v = b.node("n\(i)")
          b.declare(
            v, kind: i % 3 == 0 ? .source : .product, domain: "d\(i % 4)", owner: i % 2 == 0 ? "t" : nil,
            tags: i % 5 == 0 ? ["x", "y\(i)"] : [])
        }
        for (s, d) in edges { b.addEdge(Int32(s), Int32(d)) }
        return b.build()
      }
      let a = build(false), r = build(true)
      func describe(_ g: LineageGraph) -> [String] {
        (0..<Int32(g.nodeCount)).map { v in
          let out = g.forward.neighbors(v).map { g.id($0) }.sorted().joined(separator: ",")
          let inn = g.reverse.neighbors(v).map { g.id($0) }.sorted().joined(separator: ",")
          return
            "\(g.id(v)) \(g.kindName(v)) \(g.domainName(v) ?? "-") \(g.ownerName(v) ?? "-") [\(g.tagList(v).sorted())] -> \(out) <- \(inn)"
        }.sorted()
      }
      #expect(describe(a) == describe(r))
      for i in 0..<n { #expect(r.index(of: "n\(i)").map { r.id($0) } == "n\(i)") }
      // Acyclic graphs come out topologically numbered.
      if r.forward.topologicalOrder() != nil {
        for v in 0..<Int32(n) { for w in r.forward.neighbors(v) { #expect(w > v) } }
      }
    }
  }
}

import PropertyBased
import Testing

@testable import LineageCore

@Suite struct ColumnReachTests {
  func ids(_ m: LineageModel, _ r: ColumnReach) -> [String: String] {
    Dictionary(uniqueKeysWithValues: r.nodes.map { (m.graph.id($0.node), "\($0.depth) \($0.via.rawValue)") })
  }

  func columns(_ m: LineageModel, _ r: ColumnReach) -> [String] {
    r.columns.map { "\(m.columns.qualifiedName($0.column, in: m.graph)) \($0.depth)" }
  }

  @Test func downstreamListsDerivedColumnsTheirOwnersAndEveryKindOfReader() throws {
    let m = impactMesh()
    let c = try ColumnReach.column(m, of: m.graph.index(of: "a")!, named: "amount")
    let r = ColumnReach(m, column: c, direction: .downstream)
    #expect(columns(m, r) == ["a.amount 0", "b.amount 1", "b.total 1", "c.amount2 2"])
    // b derives b.amount (and also reads a.amount by name: lineage wins the tie);
    // d reads c.amount2 by name; e reads c without declaring columns; f reads only b.id.
    #expect(ids(m, r) == ["b": "1 lineage", "c": "2 lineage", "d": "3 by-name", "e": "3 columns-not-declared"])
    let e = try #require(r.nodes.first { m.graph.id($0.node) == "e" })
    #expect(e.throughNode.map { m.graph.id($0) } == "c" && e.throughColumn == nil)
    let d = try #require(r.nodes.first { m.graph.id($0.node) == "d" })
    #expect(d.throughColumn.map { m.columns.qualifiedName($0, in: m.graph) } == "c.amount2")
    // Depth limits cut columns and nodes alike.
    let one = ColumnReach(m, column: c, direction: .downstream, maxDepth: 1)
    #expect(columns(m, one) == ["a.amount 0", "b.amount 1", "b.total 1"])
    #expect(ids(m, one) == ["b": "1 lineage"])
    let zero = ColumnReach(m, column: c, direction: .downstream, maxDepth: 0)
    #expect(columns(m, zero) == ["a.amount 0"] && zero.nodes.isEmpty)
  }

  @Test func upstreamListsSourceColumnsAndTheirOwners() throws {
    let m = impactMesh()
    let c = try ColumnReach.column(m, of: m.graph.index(of: "c")!, named: "amount2")
    let r = ColumnReach(m, column: c, direction: .upstream)
    #expect(columns(m, r) == ["a.amount 2", "b.amount 1", "c.amount2 0"])
    #expect(ids(m, r) == ["a": "2 lineage", "b": "1 lineage"])
  }

  @Test func oneRuleForWhichColumnsExist() throws {
    var mesh = impactMesh().mesh
    // g declares no schema; h's lineage names g.x, so g.x exists; a.note2 exists nowhere.
    mesh.nodes.append(MeshNode(id: "g", kind: .source))
    mesh.nodes.append(
      MeshNode(
        id: "h", kind: .product, inputs: [Input(product: "g")],
        schema: [Column(name: "y", from: [ColumnRef(product: "g", column: "x")])]))
    let m = LineageModel(mesh: mesh, loadFindings: [], source: "t")
    let g = try #require(m.graph.index(of: "g")), a = try #require(m.graph.index(of: "a"))
    #expect(throws: Never.self) { try ColumnReach.column(m, of: g, named: "x") }
    #expect(throws: ImpactError.self) { try ColumnReach.column(m, of: g, named: "z") }
    do {
      _ = try ColumnReach.column(m, of: a, named: "amout")
      Issue.record("a.amout should not exist")
    } catch {
      #expect(error.description == "'a' has no column 'amout' (did you mean 'amount'?)")
    }
    // b's schema is declared: a column named only by a reader's inputs[].columns is not one of b's.
    mesh.nodes.append(MeshNode(id: "k", kind: .consumer, inputs: [Input(product: "b", columns: ["nope"])]))
    let m2 = LineageModel(mesh: mesh, loadFindings: [], source: "t")
    #expect(throws: ImpactError.self) { try ColumnReach.column(m2, of: m2.graph.index(of: "b")!, named: "nope") }
    // Impact asks the same question.
    #expect(throws: ImpactError.self) {
      try ImpactAnalysis.analyze(m2, product: m2.graph.index(of: "b")!, column: "nope", change: .drop)
    }
  }

  /// A random mesh: nodes p0... with columns c0...c2 (one node may declare none), and
  /// links that are lineage with an input without columns, lineage with an input naming
  /// the column, lineage alone, an input naming a column, or an input without columns.
  /// Cycles are allowed.
  static let meshes = zip(
    Gen.int(in: 2...9),
    zip(zip(Gen.int(in: 0...8), Gen.int(in: 0...8)), zip(Gen.int(in: 0...8), Gen.int(in: 0...4))).array(of: 0...28),
    Gen.int(in: 0...9),
    zip(Gen.int(in: 0...8), Gen.int(in: 0...2)))

  static func build(_ n: Int, _ links: [((Int, Int), (Int, Int))], _ noSchema: Int) -> LineageModel {
    var nodes = (0..<n).map { i in
      MeshNode(
        id: "p\(i)", kind: i % 3 == 2 ? .consumer : .product, domain: "d\(i % 2)",
        schema: i == noSchema ? [] : (0..<3).map { Column(name: "c\($0)") })
    }
    let transforms: [Transform] = [.identity, .transformation, .aggregation, .join, .filter]
    for ((a, b), (kc, mode)) in links {
      let i = a % n, j = b % n
      if i == j { continue }
      let src = "c\(kc % 3)", dst = kc / 3
      let lineage = mode <= 2 && j != noSchema
      if lineage {
        nodes[j].schema[dst].from.append(ColumnRef(product: "p\(i)", column: src, transform: transforms[(a + b) % 5]))
      }
      switch mode {
      case 0, 4: nodes[j].inputs.append(Input(product: "p\(i)"))
      case 1, 3: nodes[j].inputs.append(Input(product: "p\(i)", columns: [src]))
      default: break
      }
    }
    return LineageModel(mesh: Mesh(name: "r", nodes: nodes), loadFindings: [], source: "r")
  }

  /// The reference: shortest depths by relaxation to a fixed point over plain
  /// dictionaries, read from the mesh declarations.
  static func reference(_ m: LineageModel, start: (String, String), direction: Direction, maxDepth: Int?)
    -> (columns: [String: Int], nodes: [String: Int])
  {
    struct Edge { var from: String, to: String, weight: Int }
    var edges: [Edge] = []
    let declared = Set(m.mesh.nodes.map(\.id))
    for n in m.mesh.nodes {
      for col in n.schema {
        for ref in col.from where declared.contains(ref.product) {
          let (u, v) = ("c:\(ref.product).\(ref.column)", "c:\(n.id).\(col.name)")
          edges.append(direction == .downstream ? Edge(from: u, to: v, weight: 1) : Edge(from: v, to: u, weight: 1))
        }
      }
      guard direction == .downstream else { continue }
      for input in n.inputs where declared.contains(input.product) {
        if let cols = input.columns {
          for c in cols { edges.append(Edge(from: "c:\(input.product).\(c)", to: "n:\(n.id)", weight: 1)) }
        } else {
          edges.append(Edge(from: "n:\(input.product)", to: "n:\(n.id)", weight: 1))
        }
      }
    }
    var dist: [String: Int] = ["c:\(start.0).\(start.1)": 0]
    if direction == .downstream { dist["n:\(start.0)"] = 0 }
    var changed = true
    while changed {
      changed = false
      // A reached column's owner, at its depth.
      for (k, d) in dist where k.hasPrefix("c:") {
        let owner = "n:" + String(k.dropFirst(2).split(separator: ".").first!)
        if dist[owner].map({ d < $0 }) ?? true {
          dist[owner] = d
          changed = true
        }
      }
      for e in edges {
        guard let d = dist[e.from] else { continue }
        let nd = d + e.weight
        if maxDepth.map({ nd > $0 }) ?? false { continue }
        if dist[e.to].map({ nd < $0 }) ?? true {
          dist[e.to] = nd
          changed = true
        }
      }
    }
    var columns: [String: Int] = [:], nodes: [String: Int] = [:]
    for (k, d) in dist {
      if k.hasPrefix("c:") {
        columns[String(k.dropFirst(2))] = d
      } else if k != "n:\(start.0)" {
        nodes[String(k.dropFirst(2))] = d
      }
    }
    return (columns, nodes)
  }

  /// `downstream` of a column and `impact --change drop` of it name the same nodes;
  /// depths are the shortest (against the reference), limits are respected, and a
  /// limited reach is the unlimited one cut at the limit.
  @Test func downstreamIsDropImpactOnRandomMeshes() async {
    await propertyCheck(count: 700, input: Self.meshes, Gen.int(in: 0...4)) { input, limit in
      let (n, links, noSchema, (s, t)) = input
      let m = Self.build(n, links, noSchema)
      let product = Int32(s % n)
      let name = "c\(t)"
      let column: Int32
      do {
        column = try ColumnReach.column(m, of: product, named: name)
      } catch {
        // No such column: impact refuses it for the same reason.
        #expect(throws: ImpactError.self) {
          try ImpactAnalysis.analyze(m, product: product, column: name, change: .drop)
        }
        return
      }
      let reach = ColumnReach(m, column: column, direction: .downstream)
      guard let impact = try? ImpactAnalysis.analyze(m, product: product, column: name, change: .drop) else {
        Issue.record("impact refused a column that exists")
        return
      }
      #expect(Set(reach.nodes.map(\.node)) == Set(impact.affected.map(\.node)))
      #expect(!reach.nodes.contains { $0.node == product })
      let ref = Self.reference(m, start: (m.graph.id(product), name), direction: .downstream, maxDepth: nil)
      #expect(
        Dictionary(
          uniqueKeysWithValues: reach.columns.map { (m.columns.qualifiedName($0.column, in: m.graph), $0.depth) })
          == ref.columns)
      #expect(Dictionary(uniqueKeysWithValues: reach.nodes.map { (m.graph.id($0.node), $0.depth) }) == ref.nodes)
      // Depth limits.
      let cut = ColumnReach(m, column: column, direction: .downstream, maxDepth: limit)
      #expect(cut.columns.allSatisfy { $0.depth <= limit } && cut.nodes.allSatisfy { $0.depth <= limit })
      #expect(cut.columns == reach.columns.filter { $0.depth <= limit })
      #expect(cut.nodes == reach.nodes.filter { $0.depth <= limit })
      // Sorted and deterministic.
      #expect(ColumnReach(m, column: column, direction: .downstream) == reach)
      let names = reach.nodes.map { m.graph.id($0.node) }
      #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
  }

  @Test func upstreamMatchesReferenceOnRandomMeshes() async {
    await propertyCheck(count: 500, input: Self.meshes, Gen.int(in: 0...3)) { input, limit in
      let (n, links, noSchema, (s, t)) = input
      let m = Self.build(n, links, noSchema)
      let product = Int32(s % n)
      guard let column = try? ColumnReach.column(m, of: product, named: "c\(t)") else { return }
      let reach = ColumnReach(m, column: column, direction: .upstream, maxDepth: limit)
      let ref = Self.reference(m, start: (m.graph.id(product), "c\(t)"), direction: .upstream, maxDepth: limit)
      #expect(
        Dictionary(
          uniqueKeysWithValues: reach.columns.map { (m.columns.qualifiedName($0.column, in: m.graph), $0.depth) })
          == ref.columns)
      #expect(Dictionary(uniqueKeysWithValues: reach.nodes.map { (m.graph.id($0.node), $0.depth) }) == ref.nodes)
      #expect(reach.nodes.allSatisfy { $0.via == .lineage })
    }
  }
}

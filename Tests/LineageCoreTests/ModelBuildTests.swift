import PropertyBased
import Testing

@testable import LineageCore

/// A large model's column graph and reference checks are built on two cores: they are
/// what the one-core build of each gives.
@Suite struct ModelBuildTests {
  /// A mesh of `count` products over random inputs and column lineage, with unknown
  /// products, columns, domains and owners here and there.
  static func mesh(_ count: Int, seed: UInt64) -> Mesh {
    var random = SeededRandom(seed: seed)
    var mesh = Mesh(name: "m")
    mesh.domains = [Domain(id: "d0"), Domain(id: "d1")]
    mesh.teams = [Team(id: "t0")]
    for i in 0..<count {
      var inputs: [Input] = []
      var schema: [Column] = []
      if i > 0 {
        // Now and then a node with many inputs (past the lists searched in place).
        for _ in 0..<(random.next() % 40 == 0 ? 12 : 1 + random.next() % 3) {
          let j = random.next() % 50 == 0 ? "missing\(i)" : "p\(random.next() % UInt64(i))"
          inputs.append(Input(product: j, columns: random.next() % 4 == 0 ? ["c0", "c9"] : nil))
        }
      }
      for c in 0..<3 {
        // Mostly an input's columns; now and then a product the node does not read.
        let from =
          random.next() % 30 == 0 && i > 1
          ? [ColumnRef(product: "p\(random.next() % UInt64(i))", column: "c1")]
          : inputs.suffix(random.next() % 2 == 0 ? 1 : 2).map {
            ColumnRef(product: $0.product, column: "c\(random.next() % 4)")
          }
        schema.append(Column(name: "c\(c)", type: "INT", from: random.next() % 2 == 0 ? from : []))
      }
      // Now and then an id declared twice (the first declaration is the node's).
      mesh.nodes.append(
        MeshNode(
          id: random.next() % 200 == 0 && i > 0 ? "p\(i - 1)" : "p\(i)", kind: i % 97 == 5 ? .consumer : .product,
          domain: "d\(random.next() % 3)",
          owner: random.next() % 10 == 0 ? "nobody" : "t0", inputs: inputs, schema: schema))
    }
    return mesh
  }

  @Test(arguments: [UInt64(1), 2])
  func twoCoresBuildWhatOneBuilds(seed: UInt64) {
    let mesh = Self.mesh(LineageModel.parallelBuild + 500, seed: seed)
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "test")
    let columns = ColumnGraph(mesh: mesh, graph: model.graph)
    #expect(model.columns.count == columns.count)
    #expect(model.columns.forward.targets == columns.forward.targets)
    #expect(model.columns.forward.offsets == columns.forward.offsets)
    #expect((0..<Int32(columns.count)).allSatisfy { model.columns.name($0) == columns.name($0) })
    let references = Resolver.findings(for: mesh).sorted(by: Finding.reportOrder)
    #expect(references.count > 100)
    #expect(model.findings == references)
  }

  /// The column graph as a dictionary of (node, name) builds it, the plain way: the
  /// reference for ``ColumnGraph/init(mesh:graph:)``.
  struct ReferenceColumns {
    var columns: [(node: Int32, name: String, declared: Bool)] = []
    var edges: [String: String] = [:]
    var reads: Set<String> = []

    init(mesh: Mesh, graph g: LineageGraph) {
      var index: [String: Int] = [:]
      func column(_ v: Int32, _ name: String, declare: Bool) -> Int {
        if let c = index["\(v)/\(name)"] { return c }
        columns.append((v, name, declare))
        index["\(v)/\(name)"] = columns.count - 1
        return columns.count - 1
      }
      var seen = Set<Int32>()
      for n in mesh.nodes {
        guard let v = g.index(of: n.id), seen.insert(v).inserted else { continue }
        for c in n.schema { _ = column(v, c.name, declare: true) }
      }
      seen.removeAll()
      var strongest: [String: Transform] = [:]
      for n in mesh.nodes {
        guard let v = g.index(of: n.id), seen.insert(v).inserted else { continue }
        for c in n.schema {
          let dst = index["\(v)/\(c.name)"]!
          for r in c.from {
            guard let u = g.index(of: r.product), g.declared[Int(u)] else { continue }
            let key = "\(column(u, r.column, declare: false))>\(dst)"
            if let old = strongest[key], ColumnGraph.strength(old) >= ColumnGraph.strength(r.transform) { continue }
            strongest[key] = r.transform
          }
        }
        for i in n.inputs {
          guard let cols = i.columns, let u = g.index(of: i.product), g.declared[Int(u)] else { continue }
          for name in cols { reads.insert("\(column(u, name, declare: false))>\(v)") }
        }
      }
      for (k, t) in strongest { edges[k] = "\(t)" }
    }
  }

  /// Random meshes where names meet: ids declared twice, a column declared twice,
  /// lineage from undeclared products and undeclared columns (implicit ones), the
  /// same edge with several transforms, columns read without lineage.
  @Test func theColumnGraphIsTheColumnGraphBuiltThePlainWay() {
    let transforms: [Transform] = [.identity, .transformation, .aggregation, .join, .filter, .identity]
    for seed in 0..<60 {
      var random = SeededRandom(seed: UInt64(seed) &* 7919 &+ 3)
      func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
      var mesh = Mesh(name: "m")
      for _ in 0..<(5 + pick(30)) {
        var schema: [Column] = []
        // Now and then a wide node (its columns hashed, not scanned).
        let wide = pick(4) == 0
        for _ in 0..<pick(wide ? 40 : 5) {
          let from = (0..<pick(5)).map { _ in
            ColumnRef(
              product: "p\(pick(pick(2) == 0 ? 4 : 12))", column: "c\(pick([2, 6, 50][pick(3)]))",
              transform: transforms[pick(transforms.count)])
          }
          schema.append(Column(name: "c\(pick(wide ? 50 : 6))", from: from))
        }
        let inputs = (0..<pick(3)).map { _ in
          Input(product: "p\(pick(14))", columns: pick(2) == 0 ? nil : (0..<pick(3)).map { _ in "c\(pick(7))" })
        }
        mesh.nodes.append(MeshNode(id: "p\(pick(10))", kind: .product, inputs: inputs, schema: schema))
      }
      let g = LineageGraph(mesh: mesh)
      let columns = ColumnGraph(mesh: mesh, graph: g)
      let reference = ReferenceColumns(mesh: mesh, graph: g)
      #expect(columns.count == reference.columns.count, "seed \(seed)")
      guard columns.count == reference.columns.count else { continue }
      for c in 0..<columns.count {
        #expect(columns.node[c] == reference.columns[c].node && columns.name(Int32(c)) == reference.columns[c].name)
        #expect(columns.declared[c] == reference.columns[c].declared)
        #expect(columns.column(of: columns.node[c], named: columns.name(Int32(c))) == Int32(c))
      }
      var edges: [String: String] = [:]
      for c in 0..<Int32(columns.count) {
        for (k, d) in columns.forward.neighbors(c).enumerated() {
          let t = columns.transform[Int(columns.forward.offsets[Int(c)]) + k]
          edges["\(c)>\(d)"] = "\(t)"
        }
      }
      #expect(edges == reference.edges, "seed \(seed)")
      var reads = Set<String>()
      for c in 0..<Int32(columns.count) { for v in columns.reads.neighbors(c) { reads.insert("\(c)>\(v)") } }
      #expect(reads == reference.reads, "seed \(seed)")
      #expect(columns.column(of: 0, named: "no such column") == nil)
    }
  }

  /// Repeated inputs and columns are found whether a node has a few (searched in a
  /// list) or many (hashed), with the repeated input's columns joined for the
  /// lineage checks.
  @Test(arguments: [3, 12, 40])
  func repeatedInputsAndColumnsAreFoundAtAnySize(width: Int) {
    var mesh = Mesh(name: "m")
    for i in 0..<width {
      mesh.nodes.append(MeshNode(id: "in\(i)", kind: .product, schema: [Column(name: "a"), Column(name: "b")]))
    }
    var inputs = (0..<width).map { Input(product: "in\($0)", columns: ["a"]) }
    inputs.append(Input(product: "in1", columns: ["b"]))
    var schema = (0..<width).map { Column(name: "x\($0)") }
    schema.append(Column(name: "x2"))
    // Reads in1.b (listed by the repeated input only) and in0.b (not listed).
    schema.append(Column(name: "y", from: [ColumnRef(product: "in1", column: "b")]))
    schema.append(Column(name: "z", from: [ColumnRef(product: "in0", column: "b")]))
    mesh.nodes.append(MeshNode(id: "out", kind: .product, inputs: inputs, schema: schema))
    let findings = Resolver.findings(for: mesh)
    #expect(findings.filter { $0.rule == .duplicateInput }.map(\.message) == ["'out' lists input 'in1' more than once"])
    #expect(
      findings.filter { $0.rule == .duplicateColumn }.map(\.message) == ["column 'x2' is declared twice in 'out'"])
    #expect(findings.filter { $0.rule == .lineageColumnNotRead }.count == 1)
    #expect(findings.filter { $0.rule == .lineageColumnNotRead }.first?.message.contains("in0.b") == true)
    #expect(findings.count == 3)
  }
}

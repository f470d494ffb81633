import PropertyBased
import Testing

@testable import LineageCore

@Suite struct SQLTypeTests {
  @Test(
    arguments: [
      ("varchar(10)", "varchar(3)", SQLType.Change.narrowing), ("varchar(3)", "varchar(10)", .widening),
      ("varchar(10)", "string", .widening), ("text", "varchar(100)", .narrowing), ("int", "bigint", .widening),
      ("bigint", "int", .narrowing), ("smallint", "integer", .widening), ("decimal(18,2)", "decimal(10,2)", .narrowing),
      ("decimal(10,2)", "decimal(18,4)", .widening), ("decimal(18,2)", "decimal(18,4)", .narrowing),
      ("int", "decimal(18,2)", .widening), ("bigint", "decimal(10,0)", .narrowing), ("float", "double", .widening),
      ("double", "float", .narrowing), ("int", "double", .widening), ("decimal(18,2)", "double", .narrowing),
      ("date", "timestamp", .widening), ("timestamp", "date", .narrowing), ("timestamp(3)", "timestamp(6)", .widening),
      ("timestamp", "timestamp with time zone", .incompatible), ("timestamptz", "timestamp(6) with time zone", .same),
      ("boolean", "date", .incompatible), ("string", "int", .incompatible), ("int", "string", .widening),
      ("int", "varchar(5)", .narrowing), ("BIGINT", "bigint", .same), ("geography", "geometry", .unknown),
      ("geography", "GEOGRAPHY", .same), ("int", "json", .widening), ("array<string>", "string", .widening),
      ("bytes", "string", .widening), ("time", "time(3)", .narrowing),
    ] as [(String, String, SQLType.Change)])
  func classifies(_ old: String, _ new: String, _ expected: SQLType.Change) {
    #expect(SQLType(old).change(to: SQLType(new)) == expected, "\(old) -> \(new)")
  }
}

/// A mesh built in code: `a` (source) -> `b` -> `c`, consumer `d`, reader `e` without columns.
func impactMesh() -> LineageModel {
  var mesh = Mesh(
    name: "t", domains: [Domain(id: "x", owner: "tx"), Domain(id: "y", owner: "ty")],
    teams: [Team(id: "tx", contact: "x@t"), Team(id: "ty")])
  mesh.nodes = [
    MeshNode(
      id: "a", kind: .source, domain: "x",
      schema: [
        Column(name: "id", type: "bigint", nullable: false, primaryKey: true),
        Column(name: "amount", type: "decimal(18,2)"), Column(name: "note", type: "varchar(10)"),
      ]),
    MeshNode(
      id: "b", kind: .product, domain: "x", inputs: [Input(product: "a", columns: ["id", "amount", "note"])],
      schema: [
        Column(name: "id", type: "bigint", nullable: false, from: [ColumnRef(product: "a", column: "id")]),
        Column(name: "amount", type: "decimal(18,2)", from: [ColumnRef(product: "a", column: "amount")]),
        Column(
          name: "total", type: "decimal(38,2)",
          from: [ColumnRef(product: "a", column: "amount", transform: .aggregation)]),
        Column(name: "note_copy", from: [ColumnRef(product: "a", column: "note")]),
        Column(name: "filtered", type: "int", from: [ColumnRef(product: "a", column: "note", transform: .filter)]),
      ]),
    MeshNode(
      id: "c", kind: .product, domain: "y", inputs: [Input(product: "b", columns: ["amount", "note_copy"])],
      schema: [
        Column(name: "amount2", type: "decimal(18,2)", from: [ColumnRef(product: "b", column: "amount")]),
        Column(name: "n", type: "varchar(5)", from: [ColumnRef(product: "b", column: "note_copy")]),
      ]),
    MeshNode(id: "d", kind: .consumer, domain: "y", inputs: [Input(product: "c", columns: ["amount2"])]),
    MeshNode(id: "e", kind: .product, domain: "y", inputs: [Input(product: "c")]),
    MeshNode(id: "f", kind: .consumer, domain: "y", inputs: [Input(product: "b", columns: ["id"])]),
  ]
  return LineageModel(mesh: mesh, loadFindings: [], source: "test")
}

@Suite struct ImpactTests {
  func verdicts(_ target: String, _ column: String?, _ change: SchemaChange) throws -> [String: String] {
    let m = impactMesh()
    let r = try ImpactAnalysis.analyze(m, product: m.graph.index(of: target)!, column: column, change: change)
    return Dictionary(uniqueKeysWithValues: r.affected.map { (m.graph.id($0.node), $0.verdict.rawValue) })
  }

  @Test func dropPropagatesThroughEveryHop() throws {
    #expect(try verdicts("a", "amount", .drop) == ["b": "breaks", "c": "breaks", "d": "breaks", "e": "may-break"])
    #expect(try verdicts("a", "note", .drop) == ["b": "breaks", "c": "breaks", "e": "may-break"])
  }

  @Test func renameBreaksOnlyDirectReferences() throws {
    #expect(try verdicts("a", "amount", .rename("amt")) == ["b": "breaks"])
    #expect(try verdicts("b", "id", .rename(nil)) == ["f": "breaks"])
  }

  @Test func retypeFollowsDeclaredTypes() throws {
    // Widening decimal(18,2) -> decimal(38,6): b.amount (declared 18,2) cannot hold it.
    #expect(try verdicts("a", "amount", .retype("decimal(38,6)"))["b"] == "breaks")
    // Narrowing: copies hold the values, which may lose precision.
    let narrow = try verdicts("a", "amount", .retype("decimal(10,2)"))
    #expect(narrow["b"] == "may-break" && narrow["c"] == nil)
    // An undeclared copy inherits the new type and passes it on: c.n is varchar(5).
    #expect(try verdicts("a", "note", .retype("varchar(50)"))["c"] == "breaks")
    // Incompatible: the filter use breaks too.
    let incompatible = try verdicts("a", "note", .retype("boolean"))
    #expect(incompatible["b"] == "breaks")
    #expect(try verdicts("a", "amount", .retype("decimal(18,2)")).isEmpty)
  }

  @Test func nullableBreaksNonNullReaders() throws {
    let v = try verdicts("a", "id", .nullable)
    #expect(v["b"] == "breaks")
    #expect(try verdicts("a", "amount", .nullable).isEmpty)  // already nullable
  }

  @Test func retireBreaksEveryReader() throws {
    #expect(try verdicts("b", nil, .retire) == ["c": "breaks", "d": "breaks", "e": "may-break", "f": "breaks"])
  }

  @Test func pathsSummaryAndErrors() throws {
    let m = impactMesh()
    let r = try ImpactAnalysis.analyze(m, product: m.graph.index(of: "a")!, column: "amount", change: .drop)
    let d = try #require(r.affected.first { m.graph.id($0.node) == "d" })
    #expect(d.path.map { m.graph.id($0) } == ["a", "b", "c", "d"])
    #expect(r.affected.first { m.graph.id($0.node) == "b" }?.columns == ["amount", "total"])
    #expect(throws: ImpactError.self) {
      try ImpactAnalysis.analyze(m, product: m.graph.index(of: "a")!, column: "amout", change: .drop)
    }
    #expect(throws: ImpactError.self) {
      try ImpactAnalysis.analyze(m, product: m.graph.index(of: "a")!, column: nil, change: .drop)
    }
    #expect(SchemaChange(parsing: "retype:varchar(3)") == .retype("varchar(3)"))
    #expect(SchemaChange(parsing: "rename:x") == .rename("x"))
    #expect(SchemaChange(parsing: "explode") == nil)
  }

  /// Random meshes with full column lineage: a drop breaks exactly the nodes whose
  /// columns are reachable from the dropped column, plus the named readers of those
  /// columns; readers without column lists may break.
  @Test func dropMatchesReferenceOnRandomMeshes() async {
    let gen = zip(
      Gen.int(in: 2...10), zip(Gen.int(in: 0...9), Gen.int(in: 0...9), Gen.int(in: 0...2)).array(of: 0...30),
      Gen.int(in: 0...3))
    await propertyCheck(count: 600, input: gen) { n, links, noColumns in
      // Node i has columns c0..c2; a link (i, j, k) with i < j makes j.c{k} derive from i.c{k}.
      var nodes = (0..<n).map { i in
        MeshNode(id: "p\(i)", kind: .product, domain: "d\(i % 2)", schema: (0..<3).map { Column(name: "c\($0)") })
      }
      var edges = Set<[Int]>()
      for (a, b, k) in links {
        let i = min(a, b) % n, j = max(a, b) % n
        if i == j { continue }
        edges.insert([i, j, k])
      }
      for e in edges.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        let (i, j, k) = (e[0], e[1], e[2])
        if !nodes[j].inputs.contains(where: { $0.product == "p\(i)" }) {
          nodes[j].inputs.append(Input(product: "p\(i)", columns: j % 4 == noColumns ? nil : ["c0", "c1", "c2"]))
        }
        nodes[j].schema[k].from.append(ColumnRef(product: "p\(i)", column: "c\(k)"))
      }
      let model = LineageModel(mesh: Mesh(name: "r", nodes: nodes), loadFindings: [], source: "r")
      guard let r = try? ImpactAnalysis.analyze(model, product: 0, column: "c0", change: .drop) else {
        Issue.record("analysis failed")
        return
      }
      // Reference: column reachability over (i, c0) along the declared lineage.
      var broken = Set([0])
      var changed = true
      while changed {
        changed = false
        for e in edges where e[2] == 0 && broken.contains(e[0]) && !broken.contains(e[1]) {
          broken.insert(e[1])
          changed = true
        }
      }
      var expected: [String: String] = [:]
      for b in broken where b != 0 { expected["p\(b)"] = "breaks" }
      // Named readers (all inputs with column lists list c0) of a broken node break.
      for (j, node) in nodes.enumerated() where j != 0 {
        for input in node.inputs where input.columns != nil {
          if let i = Int(input.product.dropFirst()), broken.contains(i) { expected["p\(j)"] = "breaks" }
        }
      }
      // Readers without column lists of anything affected may break, transitively.
      var grew = true
      while grew {
        grew = false
        for (j, node) in nodes.enumerated() where j != 0 && expected["p\(j)"] == nil {
          if node.inputs.contains(where: { $0.columns == nil && ($0.product == "p0" || expected[$0.product] != nil) }) {
            expected["p\(j)"] = "may-break"
            grew = true
          }
        }
      }
      let got = Dictionary(uniqueKeysWithValues: r.affected.map { (model.graph.id($0.node), $0.verdict.rawValue) })
      #expect(got == expected)
      for a in r.affected {
        // Every path starts at the change, follows edges, and ends at the node.
        #expect(a.path.first == 0 && a.path.last == a.node)
        for (x, y) in zip(a.path, a.path.dropFirst()) { #expect(model.graph.forward.neighbors(x).contains(y)) }
      }
    }
  }
}

/// Paths kept as shared steps (``PathSteps``) are the paths kept as arrays: a path
/// extended by a node it does not end at grows by that node, by the node it ends at
/// stays, and a path taken never changes when others are made from it.
@Suite struct PathStepsTests {
  @Test func stepsAreThePathsTheyExtend() async {
    let ops = zip(Gen.int(in: -1...40), Gen.int(in: 0...6)).array(of: 1...60)
    await propertyCheck(count: 400, input: ops) { ops in
      var steps = PathSteps()
      var made: [(end: Int32, path: [Int32])] = []
      for (from, node) in ops {
        // Extend a path made before (or start one), by node, which may be its last.
        let base = from < 0 || made.isEmpty ? nil : made[from % made.count]
        let v = Int32(node)
        let end = steps.append(v, after: base?.end ?? -1)
        var path = base?.path ?? []
        if path.last != v { path.append(v) }
        made.append((end, path))
      }
      var scratch: [Int32] = [9, 9, 9]
      for m in made {
        #expect(steps.path(ending: m.end) == m.path)
        steps.collect(ending: m.end, into: &scratch)
        #expect(scratch == m.path)
      }
    }
  }

  /// A blast radius made from values keeps their paths exactly, a node repeated in a
  /// row included.
  @Test func pathsGivenAsValuesAreKept() {
    let given = [
      ImpactResult.Affected(node: 3, verdict: .breaks, columns: ["b", "a"], reason: "r", path: [3, 3]),
      ImpactResult.Affected(node: 4, verdict: .mayBreak, columns: [], reason: "", path: []),
      ImpactResult.Affected(node: 5, verdict: .mayBreak, columns: [], reason: "s", path: [1, 5, 1, 5]),
    ]
    let r = ImpactResult(
      product: 1, column: nil, change: .retire, typeChange: nil, affected: given, columnVerdicts: [:])
    #expect(r.affected == given)
  }

  /// The affected nodes of a blast radius, as values and by row, agree; so do its
  /// counts.
  @Test func rowsAndValuesAgree() throws {
    let m = impactMesh()
    for (target, change) in [("a", SchemaChange.retire), ("a.amount", .drop), ("a.note", .retype("int"))] {
      let r = try ImpactAnalysis.analyze(m, target: target, change: change)
      let values = r.affected
      #expect(values.count == r.count && r.count > 0)
      #expect(values.map(\.node) == r.nodes && values.map(\.verdict) == r.verdicts)
      #expect(r.breaksCount == values.count { $0.verdict == .breaks })
      for (i, a) in values.enumerated() {
        #expect(a.reason == r.reason(at: i) && a.path == r.path(at: i) && a.columns == Array(r.columns(at: i)))
        #expect(a.path.first == r.product && a.path.last == a.node)
      }
    }
  }
}

/// The reference checks of column lineage: a product that is an input but not
/// declared, one that is declared but not an input, one that is neither, a column the
/// product does not have, and a column the input does not list; the same findings
/// from the mesh alone and from a model (which looks ids up in its graph).
@Suite struct ColumnLineageReferenceTests {
  @Test func everyKindOfBadReferenceIsFound() {
    var mesh = Mesh(name: "t", domains: [Domain(id: "x")])
    mesh.nodes = [
      MeshNode(id: "a", kind: .source, domain: "x", schema: [Column(name: "x"), Column(name: "w")]),
      MeshNode(id: "c", kind: .source, domain: "x", schema: [Column(name: "z")]),
      MeshNode(
        id: "b", kind: .product, domain: "x",
        inputs: [Input(product: "a", columns: ["x"]), Input(product: "ghost")],
        schema: [
          Column(name: "ok", from: [ColumnRef(product: "a", column: "x")]),
          Column(name: "fromGhost", from: [ColumnRef(product: "ghost", column: "y")]),
          Column(name: "notInput", from: [ColumnRef(product: "c", column: "z")]),
          Column(name: "nowhere", from: [ColumnRef(product: "nope", column: "q")]),
          Column(name: "noColumn", from: [ColumnRef(product: "a", column: "missing")]),
          Column(name: "notListed", from: [ColumnRef(product: "a", column: "w")]),
        ]),
    ]
    let expected: Set<String> = [
      "unresolved-reference: unknown input product 'ghost'",
      "unresolved-reference: unknown product 'ghost' in the lineage of column 'fromGhost'",
      "lineage-not-an-input: column 'notInput' derives from 'c', which is not among the inputs of 'b'",
      "unresolved-reference: unknown product 'nope' in the lineage of column 'nowhere'",
      "unresolved-reference: unknown column 'missing' in 'a'",
      "lineage-column-not-read: column 'notListed' derives from 'a.w', but the input lists only 'x'",
    ]
    func said(_ findings: [Finding]) -> Set<String> { Set(findings.map { "\($0.rule.rawValue): \($0.message)" }) }
    #expect(said(Resolver.findings(for: mesh)) == expected)
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "test")
    #expect(said(model.findings).isSuperset(of: expected))
    #expect(said(model.findings.filter { $0.subjects == ["b"] }) == expected)
  }
}

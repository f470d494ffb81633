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
        for _ in 0..<(1 + random.next() % 3) {
          let j = random.next() % 50 == 0 ? "missing\(i)" : "p\(random.next() % UInt64(i))"
          inputs.append(Input(product: j, columns: random.next() % 4 == 0 ? ["c0", "c9"] : nil))
        }
      }
      for c in 0..<3 {
        let from = inputs.prefix(1).map { ColumnRef(product: $0.product, column: "c\(random.next() % 4)") }
        schema.append(Column(name: "c\(c)", type: "INT", from: random.next() % 2 == 0 ? from : []))
      }
      mesh.nodes.append(
        MeshNode(
          id: "p\(i)", kind: i % 97 == 5 ? .consumer : .product, domain: "d\(random.next() % 3)",
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
}

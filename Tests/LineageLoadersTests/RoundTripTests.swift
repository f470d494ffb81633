import Foundation
import LineageReports
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// `lineage import` writes a mesh directory that loads back into the same graph.
@Suite struct RoundTripTests {
  struct Shape: Equatable {
    var nodes: [String]
    var edges: [String]
    var columns: [String]
  }

  func shape(_ m: LineageModel) -> Shape {
    let g = m.graph
    var nodes: [String] = [], edges: [String] = []
    for v in 0..<Int32(g.nodeCount) {
      nodes.append(
        [
          g.id(v), g.kindName(v), g.domainName(v) ?? "-", g.ownerName(v) ?? "-", g.status[Int(v)].rawValue,
          g.tagList(v).sorted().joined(separator: ","),
        ].joined(separator: " | "))
      for w in g.forward.neighbors(v) { edges.append(g.id(v) + " -> " + g.id(w)) }
    }
    let cg = m.columns
    var columns: [String] = []
    for c in 0..<Int32(cg.count) {
      let up = cg.reverse.neighbors(c).map { cg.qualifiedName($0, in: g) }.sorted()
      columns.append(cg.qualifiedName(c, in: g) + " <- " + up.joined(separator: ","))
    }
    return Shape(nodes: nodes.sorted(), edges: edges.sorted(), columns: columns.sorted())
  }

  func roundTrip(_ model: LineageModel, fallback: String) throws -> (LineageModel, LineageModel) {
    let mesh = model.mesh.completed { _ in fallback }
    let dir = NSTemporaryDirectory() + "roundtrip-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for f in MeshSpecWriter.files(mesh) {
      let path = dir + "/" + f.path
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(f.text.utf8).write(to: URL(fileURLWithPath: path))
    }
    let before = LineageModel(mesh: mesh, loadFindings: [], source: "before")
    return (before, try ModelLoader.load(path: dir))
  }

  static let corpusInputs = [
    ("dbt_jaffle_shop_classic", "target/manifest.json"),
    ("dbt_flipside_ethereum_models_2022", "docs/manifest.json"),
    ("marquez", "seed/metadata.json"),
    ("odcs_bitol", "repo_files/docs/examples/all/full-example.odcs.yaml"),
    ("odps_bitol", "repo_files/docs/examples"),
  ]

  @Test(arguments: corpusInputs.filter { Corpus.isBundled($0.0) })
  func importedMeshesLoadBackTheSame(_ folder: String, _ file: String) throws { try checkRoundTrip(folder, file) }

  @Test(
    .enabled(if: !Corpus.sharedAbsent, Corpus.sharedOnly), arguments: corpusInputs.filter { !Corpus.isBundled($0.0) })
  func sharedCorpusMeshesLoadBackTheSame(_ folder: String, _ file: String) throws { try checkRoundTrip(folder, file) }

  func checkRoundTrip(_ folder: String, _ file: String) throws {
    let root = try #require(Corpus.folder(folder), "\(folder) missing")
    let original = try ModelLoader.load(path: root + "/" + file)
    let (before, after) = try roundTrip(original, fallback: "imported")
    #expect(shape(after) == shape(before))
    // The written directory is valid: no load or reference errors.
    #expect(
      after.findings.filter { $0.severity == .error }.isEmpty,
      "\(after.findings.filter { $0.severity == .error }.prefix(3))")
    // dbt selection still works on the spec directory.
    if folder == "dbt_jaffle_shop_classic" {
      let g = after.graph
      let s = g.listed(g.select(try Selector.parse(["+customers"], in: g)), eagerTests: false)
      #expect(s.nodes.count == 7)
    }
  }

  @Test func hostileNamesSurviveTheWriter() throws {
    var mesh = Mesh(name: "m\": x", domains: [Domain(id: "d: {x}")], teams: [Team(id: "t#1")])
    mesh.nodes = [
      MeshNode(
        id: "a\"b\\c - evil: 1 # x", kind: .source, domain: "d: {x}", owner: "t#1",
        description: "line1\nline2\t\u{1B}[31m\u{2028}", schema: [Column(name: "c: [1]", type: "varchar(10)")]),
      MeshNode(
        id: "&anchor *alias !tag %dir @x `y", kind: .product, domain: "d: {x}",
        inputs: [Input(product: "a\"b\\c - evil: 1 # x", columns: ["c: [1]"])],
        schema: [Column(name: "'q'", from: [ColumnRef(product: "a\"b\\c - evil: 1 # x", column: "c: [1]")])]),
    ]
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "t")
    let (before, after) = try roundTrip(model, fallback: "x")
    #expect(shape(after) == shape(before))
    #expect(after.mesh.nodes.first?.description == "line1\nline2\t[31m\u{2028}")  // control characters dropped
    #expect(after.findings.filter { $0.severity == .error }.isEmpty, "\(after.findings)")
  }
}

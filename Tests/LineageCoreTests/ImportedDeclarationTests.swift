import Testing

@testable import LineageCore

/// `require-owner` and `require-description` on nodes only an importer made: one
/// `imported-undeclared` note per input, unless a mesh sets the policy or the format
/// has the field.
@Suite struct ImportedDeclarationTests {
  static let dbt = Provenance(.imported, file: "proj/target/manifest.json", detail: "dbt manifest v12, dbt 1.10.23")

  /// An imported dbt node without an owner or a description, located at its YAML.
  static func imported(_ id: String, _ kind: String = "model", provenance: Provenance = dbt) -> MeshNode {
    var n = MeshNode(
      id: id, kind: NodeKind(rawValue: kind),
      location: SourceLocation(file: "proj/models/schema.yml", line: 4, column: 5))
    n.resource = ImportedResource(type: kind, name: String(id.split(separator: ".").last ?? ""))
    n.provenance = [provenance]
    return n
  }

  static func model(_ nodes: [MeshNode], policies: [PolicySetting] = []) -> LineageModel {
    var mesh = Mesh(name: "m", policies: policies)
    mesh.nodes = nodes
    return LineageModel(mesh: mesh, loadFindings: [], source: "test")
  }

  static func findings(_ model: LineageModel) -> [Finding] {
    Governance.findings(model, context: .init(today: "2026-11-23"))
  }

  @Test func importedNodesAreSummarisedOncePerInput() throws {
    var tested = Self.imported("test.p.not_null_a_id", "test")
    tested.inputs = [Input(product: "model.p.a")]
    let m = Self.model([
      Self.imported("model.p.a"), Self.imported("model.p.b"), Self.imported("seed.p.s", "seed"), tested,
    ])
    let f = Self.findings(m)
    #expect(!f.contains { $0.rule == .requireOwner || $0.rule == .requireDescription }, "\(f)")
    let notes = f.filter { $0.rule == .importedUndeclared }
    #expect(notes.count == 2)
    let owner = try #require(notes.first { $0.message.contains("no owner") })
    #expect(owner.severity == .info)
    #expect(owner.message.hasPrefix("3 nodes imported from proj/target/manifest.json have no owner (2 models, 1 seed)"))
    #expect(owner.subjects == ["model.p.a", "model.p.b", "seed.p.s"])
    #expect(owner.location == SourceLocation(file: "proj/target/manifest.json"))
    #expect(owner.hint?.contains("'meta: {owner: TEAM}'") == true)
    #expect(owner.hint?.contains("set 'require-owner' under 'policies:'") == true)
    let description = try #require(notes.first { $0.message.contains("no description") })
    #expect(description.hint?.contains("add 'description:' to each model") == true)
  }

  /// Many inputs (a directory of event files, the events a server received: each its
  /// own input) get one note per format, not one per input; a few get one each.
  @Test(arguments: [3, Governance.summarisedInputs - 1, Governance.summarisedInputs, 40])
  func manyInputsAreSummarisedOncePerFormat(inputs: Int) throws {
    var nodes: [MeshNode] = []
    for i in 0..<inputs {
      let observed = Provenance(.observed, file: "event at 2024-01-01T00:00:\(i < 10 ? "0" : "")\(i)Z", detail: "job j")
      nodes.append(Self.imported("n:o\(i)", "dataset", provenance: observed))
    }
    nodes.append(Self.imported("model.p.a"))
    let notes = Self.findings(Self.model(nodes)).filter {
      $0.rule == .importedUndeclared && $0.message.contains("no owner")
    }
    // The events' inputs and the manifest.
    if inputs + 1 <= Governance.summarisedInputs {
      #expect(notes.count == inputs + 1)
      #expect(
        notes.contains { $0.message.hasPrefix("1 node imported from event at 2024-01-01T00:00:00Z has no owner") })
    } else {
      #expect(notes.count == 2, "\(notes.map(\.message))")
      let observed = try #require(notes.first { $0.subjects.count == inputs })
      let last = inputs - 1 < 10 ? "0\(inputs - 1)" : "\(inputs - 1)"
      #expect(
        observed.message.hasPrefix(
          "\(inputs) nodes imported from \(inputs) inputs (event at 2024-01-01T00:00:00Z to event at 2024-01-01T00:00:\(last)Z) have no owner (\(inputs) datasets)"
        ), "\(observed.message)")
      #expect(observed.location == SourceLocation(file: "event at 2024-01-01T00:00:00Z"))
      #expect(observed.hint?.contains("'ownership' dataset facet") == true)
      #expect(notes.contains { $0.subjects == ["model.p.a"] && $0.message.contains("from proj/target/manifest.json") })
    }
  }

  @Test func aMeshThatSetsThePolicyGetsOneFindingPerNodeAtItsFile() {
    let m = Self.model(
      [Self.imported("model.p.a"), Self.imported("model.p.b")],
      policies: [PolicySetting(rule: "require-owner", level: .error)])
    let f = Self.findings(m)
    let owners = f.filter { $0.rule == .requireOwner }
    #expect(owners.count == 2)
    #expect(owners.allSatisfy { $0.severity == .error && $0.location?.file == "proj/models/schema.yml" })
    #expect(owners.first?.hint?.hasPrefix("give 'a' 'meta: {owner: TEAM}' in its YAML") == true)
    // require-description is still at its default level: summarised.
    #expect(!f.contains { $0.rule == .requireDescription })
    #expect(f.filter { $0.rule == .importedUndeclared }.count == 1)
  }

  @Test func offMeansNeitherFindingsNorSummary() {
    let m = Self.model(
      [Self.imported("model.p.a")],
      policies: [
        PolicySetting(rule: "require-owner", level: .off), PolicySetting(rule: "require-description", level: .off),
      ])
    #expect(Self.findings(m).isEmpty)
  }

  @Test func declaredNodesAndFormatsWithTheFieldKeepTheirFindings() {
    // A node of a mesh spec (no provenance: a single mesh), and one merged from a spec.
    var declared = MeshNode(id: "x.a", kind: .product, location: SourceLocation(file: "x.yaml", line: 1, column: 1))
    declared.description = "d"
    var merged = Self.imported("model.p.b")
    merged.provenance.append(Provenance(.declared, file: "overlay/b.yaml"))
    // ODPS declares owners: per node.
    let odps = Self.imported(
      "p1", "product", provenance: Provenance(.imported, file: "p.odps.yaml", detail: "ODPS v1.0.0"))
    // Graph JSON has owners but no descriptions.
    let graph = Self.imported("g1", "product", provenance: Provenance(.imported, file: "g.json", detail: "graph JSON"))
    let f = Self.findings(Self.model([declared, merged, odps, graph]))
    #expect(f.filter { $0.rule == .requireOwner }.flatMap(\.subjects).sorted() == ["g1", "model.p.b", "p1", "x.a"])
    #expect(f.filter { $0.rule == .requireDescription }.flatMap(\.subjects).sorted() == ["model.p.b", "p1"])
    let notes = f.filter { $0.rule == .importedUndeclared }
    #expect(notes.map(\.subjects) == [["g1"]])
    #expect(notes.first?.message.contains("have no description") == false)
    #expect(notes.first?.message.hasPrefix("1 node imported from g.json has no description (1 product)") == true)
  }

  @Test func eachInputHasItsOwnSummaryInFileOrder() {
    let other = Provenance(.observed, file: "events.json")
    let m = Self.model([
      Self.imported("model.p.a"), Self.imported("ns:ds", "dataset", provenance: other),
    ])
    let notes = Self.findings(m).filter { $0.rule == .importedUndeclared && $0.message.contains("no owner") }
    #expect(notes.map { $0.location?.file } == ["events.json", "proj/target/manifest.json"])
    #expect(notes.first?.hint?.contains("'ownership' dataset facet") == true)
  }
}

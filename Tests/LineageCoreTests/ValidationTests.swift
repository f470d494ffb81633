import Testing

@testable import LineageCore

/// `Validation.findings`: what `validate` reports, defined once in the core.
@Suite struct ValidationTests {
  @Test func everyKindOfFindingIsIncluded() {
    var mesh = Mesh(
      name: "t", domains: [Domain(id: "x", owner: "tx"), Domain(id: "y", owner: "ty")],
      teams: [Team(id: "tx"), Team(id: "ty")])
    mesh.nodes = [
      MeshNode(id: "x.a", kind: .product, domain: "x", entities: ["customer"]),
      MeshNode(id: "y.b", kind: .product, domain: "y", entities: ["customer"], inputs: [Input(product: "x.gone")]),
    ]
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "t")
    let findings = Validation.findings(model, today: "2026-01-01")
    let rules = Set(findings.map(\.rule))
    #expect(rules.contains("unresolved-reference"))  // the model's own
    #expect(rules.contains("entity-overlap"))  // an ownership claim
    // The model's findings come first, then the claims, then the policies.
    #expect(Array(findings.prefix(model.findings.count)).map(\.message) == model.findings.map(\.message))
    let claims = Ownership.entityClaims(mesh) + Ownership.locationClaims(mesh)
    #expect(
      findings.count == model.findings.count + claims.count
        + Governance.findings(model, context: .init(today: "2026-01-01")).count)
  }
}

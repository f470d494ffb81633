import PropertyBased
import Testing

@testable import LineageCore

/// A small mesh for the policies: domains `x` (team tx) and `y` (team ty).
func governanceMesh(_ nodes: [MeshNode], policies: [PolicySetting] = []) -> LineageModel {
  var mesh = Mesh(
    name: "g", domains: [Domain(id: "x", owner: "tx"), Domain(id: "y", owner: "ty")],
    teams: [Team(id: "tx"), Team(id: "ty")], policies: policies)
  mesh.nodes = nodes
  return LineageModel(mesh: mesh, loadFindings: [], source: "test")
}

func node(
  _ id: String, _ kind: NodeKind = .product, domain: String? = "x", owner: String? = nil,
  description: String? = "d", access: Access = .public, sensitivity: Sensitivity? = .confidential,
  status: ProductStatus = .active, deprecation: Deprecation? = nil, sla: String? = nil,
  inputs: [String] = [], schema: [Column] = [], location: String? = nil, entities: [String] = []
) -> MeshNode {
  MeshNode(
    id: id, kind: kind, domain: domain, owner: owner, description: description, status: status,
    deprecation: deprecation, access: access, sensitivity: sensitivity, entities: entities,
    physicalLocation: location, serviceLevel: sla.map { ServiceLevel(freshness: $0) },
    inputs: inputs.map { Input(product: $0) }, schema: schema)
}

func col(_ name: String, pii: Bool = false, masked: Bool = false, from: [ColumnRef] = []) -> Column {
  Column(name: name, classification: pii ? "pii" : nil, masked: masked, from: from)
}

func ref(_ product: String, _ column: String, _ t: Transform = .identity, masked: Bool = false) -> ColumnRef {
  ColumnRef(product: product, column: column, transform: t, masked: masked)
}

@Suite struct GovernanceTests {
  func findings(_ model: LineageModel, _ rule: Finding.Rule, today: String = "2026-11-23") -> [Finding] {
    Governance.findings(model, context: .init(today: today)).filter { $0.rule == rule }
  }

  func on(_ rules: String...) -> [PolicySetting] { rules.map { PolicySetting(rule: $0, level: .warning) } }

  @Test func requireOwnerFallsBackToTheDomain() {
    var mesh = Mesh(name: "g", domains: [Domain(id: "x", owner: "tx"), Domain(id: "z")], teams: [Team(id: "tx")])
    mesh.nodes = [
      node("a"), node("b", domain: "z"), node("c", domain: "z", owner: "tx"), node("d", .consumer, domain: nil),
    ]
    let f = findings(LineageModel(mesh: mesh, loadFindings: [], source: "t"), "require-owner")
    #expect(f.map(\.subjects) == [["b"], ["d"]])
    #expect(f.allSatisfy { $0.severity == .error && $0.hint != nil })
  }

  @Test func requireDescriptionSLAAndSchema() {
    let m = governanceMesh(
      [
        node("a", description: nil, sla: "1h", schema: [col("id")]),
        node("b", description: "  ", schema: [col("id")]),
        node("c", .consumer, inputs: ["a"]),
        node("s", .source, description: "raw"),
      ], policies: on("require-sla", "require-schema"))
    #expect(findings(m, "require-description").map(\.subjects) == [["a"], ["b"]])
    #expect(findings(m, "require-sla").map(\.subjects) == [["b"]])
    #expect(findings(m, "require-schema").map(\.subjects) == [["s"]])
    // Off by default.
    let quiet = governanceMesh([node("b")])
    #expect(findings(quiet, "require-sla").isEmpty && findings(quiet, "require-schema").isEmpty)
  }

  @Test func levelsFollowMeshYAML() {
    let nodes = [node("a", description: nil)]
    #expect(findings(governanceMesh(nodes), "require-description").first?.severity == .warning)
    let strict = governanceMesh(nodes, policies: [PolicySetting(rule: "require-description", level: .error)])
    #expect(findings(strict, "require-description").first?.severity == .error)
    let off = governanceMesh(nodes, policies: [PolicySetting(rule: "require-description", level: .off)])
    #expect(findings(off, "require-description").isEmpty)
  }

  @Test func privateAndDomainAccess() {
    let m = governanceMesh([
      node("dom", access: .domain), node("priv", access: .private),
      node("same-domain", inputs: ["dom", "priv"]),  // same domain, same team: fine
      node("other-team", owner: "ty", inputs: ["priv"]),  // same domain, other team: private is not
      node("other-domain", domain: "y", inputs: ["dom"]),
      node("pub-reader", domain: "y", inputs: ["same-domain"]),
    ])
    let f = findings(m, "cross-domain-private-access")
    #expect(f.map(\.subjects) == [["other-domain", "dom"].sorted(), ["other-team", "priv"].sorted()])
    #expect(f.allSatisfy { $0.severity == .error })
  }

  @Test func deprecatedInputsBySunset() {
    let m = governanceMesh([
      node("old", status: .deprecated, deprecation: Deprecation(sunset: "2026-01-31", replacedBy: "new")),
      node("soon", deprecation: Deprecation(sunset: "2027-01-31")),
      node("gone", status: .retired),
      node("new"),
      node("r1", inputs: ["old"]), node("r2", inputs: ["soon"]), node("r3", inputs: ["gone"]),
      node("r4", inputs: ["new"]),
      node("r5", status: .retired, inputs: ["old"]),
    ])
    let f = findings(m, "deprecated-input")
    #expect(
      f.map { "\($0.subjects.sorted().first!)=\($0.severity)" }.sorted()
        == ["old=error", "gone=error", "r2=warning"].sorted())
    #expect(f.first { $0.message.contains("'old'") }?.hint == "read 'new' instead")
    // Before the sunset, a warning.
    #expect(
      findings(m, "deprecated-input", today: "2025-12-01").filter { $0.message.contains("'old'") }.first?.severity
        == .warning)
  }

  @Test func personalDataFlowsUntilMaskedOrAggregated() {
    let m = governanceMesh([
      node("src", .source, sensitivity: .restricted, schema: [col("email", pii: true), col("id")]),
      node(
        "a", sensitivity: .confidential, inputs: ["src"],
        schema: [
          col("email", from: [ref("src", "email")]),
          col("email_hash", masked: true, from: [ref("src", "email")]),
          col("n", from: [ref("src", "email", .aggregation)]),
          col("masked_ref", from: [ref("src", "email", masked: true)]),
          col("by_email", from: [ref("src", "email", .filter)]),
          col("upper", from: [ref("src", "email", .transformation)]),
        ]),
      node(
        "b", sensitivity: .internal, inputs: ["a"],
        schema: [
          col("email", from: [ref("a", "email")]), col("h", from: [ref("a", "email_hash")]),
          col("n", from: [ref("a", "n")]), col("m", from: [ref("a", "masked_ref")]),
          col("f", from: [ref("a", "by_email")]),
        ]),
      node("c", sensitivity: nil, inputs: ["b"], schema: [col("e2", from: [ref("b", "email")])]),
      node("d", sensitivity: .public, inputs: ["a"], schema: [col("u", from: [ref("a", "upper")])]),
      node("ok", sensitivity: .restricted, inputs: ["b"], schema: [col("e3", from: [ref("b", "email")])]),
      node("leak", sensitivity: .public, schema: [col("phone", pii: true)]),
      node("safe", sensitivity: .public, schema: [col("phone", pii: true, masked: true)]),
    ])
    let f = findings(m, "pii-propagation")
    let cols = f.map { $0.message.split(separator: "'")[1] }
    #expect(cols == ["b.email", "c.e2", "d.u", "leak.phone"])
    #expect(f[1].message.contains("src.email -> a.email -> b.email -> c.e2"))
    #expect(f[1].message.contains("no declared sensitivity"))
    #expect(f.allSatisfy { $0.severity == .error && $0.hint != nil })
  }

  @Test func freshnessFollowsInputsThroughUndeclaredNodes() {
    let m = governanceMesh([
      node("daily", sla: "1d"), node("mid", inputs: ["daily"]), node("hourly", sla: "PT1H", inputs: ["mid"]),
      node("fine", sla: "2d", inputs: ["mid"]), node("fast", sla: "15m"),
      node("fast-reader", sla: "30m", inputs: ["fast"]),
    ])
    let f = findings(m, "sla-freshness")
    #expect(f.map(\.subjects) == [["hourly", "mid"]])
    #expect(f.first?.message.contains("through 'daily', which promises 1d") == true)
  }

  @Test func freshnessParsing() {
    #expect(Freshness.seconds("15m") == 900)
    #expect(Freshness.seconds("1.5h") == 5400)
    #expect(Freshness.seconds(" 2 days ") == 172_800)
    #expect(Freshness.seconds("1w") == 604_800)
    #expect(Freshness.seconds("PT15M") == 900)
    #expect(Freshness.seconds("P1DT2H") == 93600)
    for bad in ["", "h", "15", "15 parsecs", "-1h", "P", "PT", "P1H", "1h30"] {
      #expect(Freshness.seconds(bad) == nil, "\(bad)")
    }
  }

  @Test func maxDepthNamesTheChain() {
    let m = governanceMesh(
      [node("a"), node("b", inputs: ["a"]), node("c", inputs: ["b"]), node("d", inputs: ["c", "a"])],
      policies: [PolicySetting(rule: "max-depth", level: .warning, limit: 2)])
    let f = findings(m, "max-depth")
    #expect(f.map(\.subjects) == [["d"]])
    #expect(f.first?.message.hasSuffix("a -> b -> c -> d") == true)
    #expect(findings(governanceMesh(m.mesh.nodes), "max-depth").isEmpty)  // off by default
  }

  @Test func cyclesUseThePolicyLevel() {
    let nodes = [node("a", inputs: ["b"]), node("b", inputs: ["a"])]
    #expect(findings(governanceMesh(nodes), "no-cycles").first?.severity == .error)
    let warn = governanceMesh(nodes, policies: [PolicySetting(rule: "no-cycles", level: .warning)])
    #expect(findings(warn, "no-cycles").first?.severity == .warning)
  }

  /// PII reach against a reference: a fixpoint over the declared columns.
  @Test func personalDataMatchesReferenceOnRandomChains() async {
    let gen = zip(Gen.int(in: 2...8), zip(Gen.int(in: 0...7), Gen.int(in: 0...5)).array(of: 1...20))
    await propertyCheck(count: 400, input: gen) { n, raw in
      // Node i has columns c0...c2; an edge (j, t) from node i-1... makes ci of node k derive from node k-1.
      var nodes: [MeshNode] = [
        node("p0", .source, sensitivity: .restricted, schema: [col("c0", pii: true), col("c1"), col("c2")])
      ]
      var carries: [String: Bool] = ["p0.c0": true]
      for k in 1..<n {
        var schema: [Column] = []
        for c in 0..<3 {
          let pick = raw[(k * 3 + c) % raw.count]
          let transforms: [Transform] = [.identity, .transformation, .aggregation, .join, .identity, .identity]
          let t = transforms[pick.1]
          let masked = pick.0 == 7
          let source = pick.0 % 3
          schema.append(
            col("c\(c)", masked: masked && c == 2, from: [ref("p\(k - 1)", "c\(source)", t, masked: masked && c != 2)]))
          let up = carries["p\(k - 1).c\(source)"] ?? false
          carries["p\(k).c\(c)"] = up && !masked && (t == .identity || t == .transformation)
        }
        nodes.append(node("p\(k)", sensitivity: .internal, inputs: ["p\(k - 1)"], schema: schema))
      }
      let m = governanceMesh(nodes)
      let got = Set(findings(m, "pii-propagation").map { String($0.message.split(separator: "'")[1]) })
      let expected = Set(carries.filter { $0.value && !$0.key.hasPrefix("p0.") }.map(\.key))
      #expect(got == expected)
    }
  }
}

@Suite struct OwnershipTests {
  @Test func claimsOnEntitiesAndLocations() {
    let m = governanceMesh([
      node("a", entities: ["order"]), node("b", domain: "y", entities: ["order"]), node("c", entities: ["customer"]),
      node("d", entities: ["customer"]), node("t1", location: "wh.sales.\"Orders\""),
      node("t2", domain: "y", location: "WH.SALES.ORDERS"),
      node("t3", location: "wh.sales.other"),
    ])
    let f = Ownership.audit(m)
    #expect(f.filter { $0.rule == "entity-overlap" }.map(\.subjects) == [["a", "b"]])
    #expect(f.filter { $0.rule == "entity-overlap-in-domain" }.map(\.severity) == [.warning])
    #expect(f.filter { $0.rule == "location-overlap" }.map(\.subjects) == [["t1", "t2"]])
  }

  @Test func teamsAndForeignOwners() {
    let m = governanceMesh([
      node("a"), node("b", owner: "tx", entities: []), node("c", domain: "y", owner: "tx"),
      node("d", domain: "y"), node("e", domain: "y", owner: "nobody"),
    ])
    let f = Ownership.audit(m)
    #expect(f.filter { $0.rule == "team-spans-domains" }.map(\.subjects) == [["c"]])
    #expect(f.filter { $0.rule == "owner-not-domain-team" }.map(\.subjects) == [["c"]])
    #expect(f.filter { $0.severity == .info }.count == 2)
  }

  @Test func plantedNearDuplicatesAreFound() {
    var rng = SplitMix(seed: 7)
    var nodes: [MeshNode] = []
    // 2,000 products over 10 domains with random 6-10 column schemas from a 5,000-name vocabulary.
    for i in 0..<2000 {
      let cols = (0..<Int.random(in: 6...10, using: &rng)).map { _ in col("w\(Int.random(in: 0..<5000, using: &rng))") }
      nodes.append(node("p\(i)", domain: "d\(i % 10)", schema: cols))
    }
    // Planted: p0's schema copied into another domain with one extra column (similarity >= 6/7... 10/11),
    // and an identical copy in the same domain (not reported).
    var dup = node("dup", domain: "other", schema: nodes[0].schema + [col("extra")])
    dup.schema[0].name = dup.schema[0].name.uppercased()  // names compare case-insensitively
    nodes.append(dup)
    nodes.append(node("same-domain-copy", domain: "d0", schema: nodes[0].schema))
    var mesh = Mesh(name: "n")
    mesh.nodes = nodes
    let model = LineageModel(mesh: mesh, loadFindings: [], source: "t")
    let f = Ownership.schemaOverlaps(model.mesh, options: .init(similarity: 0.8, minColumns: 4))
    #expect(f.map(\.subjects) == [["dup", "p0"], ["dup", "same-domain-copy"]])
    #expect(f.first?.message.contains("similarity 0.") == true)
  }

  @Test func similarPairsAreExactAndFindIdenticalSets() async {
    let gen = zip(Gen.int(in: 0...9), Gen.int(in: 0...2)).array(of: 1...9).array(of: 2...40)
    await propertyCheck(count: 300, input: gen) { raw in
      let items = raw.enumerated().map { i, cols in
        SchemaSimilarity.Item(group: "g\(i % 3)", columns: cols.map { "c\($0.0)" })
      }
      let pairs = SchemaSimilarity.similarPairs(items, threshold: 0.6, maxPerItem: 1000)
      var truth: [String: Double] = [:]
      for i in items.indices {
        for j in items.indices where i < j && items[i].group != items[j].group {
          let a = Set(items[i].columns), b = Set(items[j].columns)
          truth["\(i)-\(j)"] = Double(a.intersection(b).count) / Double(a.union(b).count)
        }
      }
      for p in pairs {
        #expect(p.first < p.second && items[p.first].group != items[p.second].group)
        #expect(abs((truth["\(p.first)-\(p.second)"] ?? -1) - p.similarity) < 1e-9)
        #expect(p.similarity >= 0.6 - 1e-9)
      }
      let found = Set(pairs.map { "\($0.first)-\($0.second)" })
      for (k, s) in truth where s == 1 { #expect(found.contains(k), "identical sets \(k) missed") }
    }
  }
}

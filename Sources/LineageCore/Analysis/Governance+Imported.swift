extension Governance {
  /// The policies that look for declarations an imported format may not have: dbt
  /// has no owner field (only `meta`), OpenLineage carries owners and descriptions
  /// only in optional facets.
  static let declarationRules: Set<String> = ["require-owner", "require-description"]

  /// True when a node is known only from an importer: no mesh spec declares it.
  ///
  /// - Parameter n: A node of the merged mesh.
  /// - Returns: Whether every input that has it is an importer's.
  static func isImported(_ n: MeshNode) -> Bool {
    !n.provenance.isEmpty && !n.provenance.contains { $0.kind == .declared }
  }

  /// The findings of a declaration rule (`require-owner`, `require-description`) as
  /// they are reported: per node when a mesh's `policies:` sets the rule, when the node
  /// is declared in a mesh spec, or when its format has a field for it (ODCS, ODPS);
  /// otherwise, for the nodes an importer made, one `imported-undeclared` note per
  /// input that counts them and says how that format declares the field.
  ///
  /// - Parameters:
  ///   - findings: The rule's per-node findings.
  ///   - rule: The policy id.
  ///   - mesh: The merged mesh.
  ///   - index: The first declaration of each id.
  /// - Returns: The findings to report.
  static func summarisingImported(
    _ findings: [Finding], rule: String, mesh: Mesh, index: NodeIndex
  ) -> [Finding] {
    guard declarationRules.contains(rule), !mesh.policies.contains(where: { $0.rule == rule }) else {
      return findings
    }
    var out: [Finding] = []
    // Input file -> the imported nodes of the rule's findings, in finding order.
    var byInput: [String: [MeshNode]] = [:]
    var provenanceOf: [String: Provenance] = [:]
    for f in findings {
      guard f.subjects.count == 1, let n = index[f.subjects[0]], isImported(n), let p = n.provenance.first,
        Format(p).lacks(rule)
      else {
        out.append(f)
        continue
      }
      byInput[p.file, default: []].append(n)
      if provenanceOf[p.file] == nil { provenanceOf[p.file] = p }
    }
    for file in byInput.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      guard let nodes = byInput[file], let provenance = provenanceOf[file] else { continue }
      out.append(summary(nodes, rule: rule, provenance: provenance))
    }
    return out
  }

  /// One note for the nodes of one input that lack what `rule` looks for.
  static func summary(_ nodes: [MeshNode], rule: String, provenance: Provenance) -> Finding {
    var kinds: [String: Int] = [:]
    for n in nodes { kinds[n.kind.rawValue, default: 0] += 1 }
    let counts = kinds.sorted { $0.key < $1.key }.map { "\($0.value) \(plural($0.key, $0.value))" }
    let owner = rule == "require-owner"
    let what = owner ? "an owner" : "a description"
    let format = Format(provenance)
    let message =
      "\(nodes.count) \(nodes.count == 1 ? "node" : "nodes") imported from \(provenance.file) "
      + "\(nodes.count == 1 ? "has" : "have") no \(owner ? "owner" : "description") (\(counts.joined(separator: ", "))); "
      + "\(rule) is summarised for imported nodes, as the mesh does not set it"
    let how: String
    switch (format, owner) {
    case (.dbt, true):
      how =
        "in dbt, give each model, seed and source an owner with 'meta: {owner: TEAM}' in its YAML (or 'config: {meta: {owner: TEAM}}'), or put it in a group with an owner"
    case (.dbt, false): how = "in dbt, add 'description:' to each model, seed and source in its YAML"
    case (.openLineage, true): how = "emit the 'ownership' dataset facet with each dataset's owners"
    case (.openLineage, false): how = "emit the 'documentation' dataset facet with each dataset's description"
    case (.sql, _): how = "SQL files declare no \(owner ? "owners" : "descriptions")"
    case (.graphJSON, _): how = "graph JSON has an 'owner' field on each node but no description"
    case (.other, _): how = "declare \(what) for each in the input"
    }
    let hint =
      how
      + ", or declare the nodes with '\(owner ? "owner" : "description"):' in a mesh directory merged with this input; "
      + "set '\(rule)' under 'policies:' in its mesh.yaml to list every node without \(what)"
    return Finding(
      rule: .importedUndeclared, severity: .info, message: message, subjects: nodes.map(\.id),
      location: SourceLocation(file: provenance.file), hint: hint)
  }

  /// The format an input is in: which declarations it has, and the hint of a summary.
  enum Format {
    case dbt, openLineage, sql, graphJSON, other

    init(_ p: Provenance) {
      if p.detail?.hasPrefix("dbt manifest") == true {
        self = .dbt
      } else if p.kind == .observed {
        self = .openLineage
      } else if p.kind == .derived {
        self = .sql
      } else if p.detail == "graph JSON" {
        self = .graphJSON
      } else {
        self = .other
      }
    }

    /// True when the format has no field of its own for what `rule` looks for: dbt
    /// keeps owners only in free-form `meta` (and descriptions are optional
    /// documentation), OpenLineage both only in optional facets, SQL files neither,
    /// graph JSON no description. ODCS and ODPS declare both.
    func lacks(_ rule: String) -> Bool {
      switch self {
      case .dbt, .openLineage, .sql: true
      case .graphJSON: rule == "require-description"
      case .other: false
      }
    }
  }

  static func plural(_ kind: String, _ n: Int) -> String {
    guard n != 1 else { return kind }
    if kind.hasSuffix("y") && !kind.hasSuffix("ey") { return kind.dropLast() + "ies" }
    if kind.hasSuffix("s") { return kind + "es" }
    return kind + "s"
  }
}

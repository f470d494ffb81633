extension Governance {
  /// The policies that look for declarations an imported format may not have: dbt
  /// has no owner field (only `meta`), OpenLineage carries owners and descriptions
  /// only in optional facets.
  static let declarationRules: Set<String> = ["require-owner", "require-description"]

  /// True when a node is known only from an importer: no mesh spec declares it.
  ///
  /// - Parameter n: A node of the merged mesh.
  /// - Returns: Whether every input that has it is an importer's.
  static func isImported(_ n: MeshNode) -> Bool { isImported(n.provenance) }

  /// True for a node of this provenance: known only from an importer.
  static func isImported(_ provenance: [Provenance]) -> Bool {
    !provenance.isEmpty && !provenance.contains { $0.kind == .declared }
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
    // The imported nodes of the rule's findings, in finding order, with their inputs
    // (read in place: a copy of a node retains every field).
    var picked: [(node: Picked, provenance: Provenance)] = []
    for f in findings {
      guard f.subjects.count == 1, let i = index.byID[f.subjects[0]], isImported(index.nodes[i].provenance),
        let p = index.nodes[i].provenance.first, Format(p).lacks(rule)
      else {
        out.append(f)
        continue
      }
      picked.append((Picked(id: index.nodes[i].id, kind: index.nodes[i].kind), p))
    }
    let files = Set(picked.map(\.provenance.file))
    guard files.count > summarisedInputs else {
      // One note per input.
      for file in files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
        let mine = picked.filter { $0.provenance.file == file }
        out.append(summary(mine.map(\.node), rule: rule, provenance: mine[0].provenance))
      }
      return out
    }
    // Many inputs (a directory of event files, the events a server received, each
    // its own input): one note per format, not one per input.
    for format in Format.allCases {
      let mine = picked.filter { Format($0.provenance) == format }
      guard let firstPicked = mine.first else { continue }
      var (first, last) = (firstPicked.provenance, firstPicked.provenance)
      var inputs = Set<String>()
      for m in mine {
        inputs.insert(m.provenance.file)
        if m.provenance.file.utf8.lexicographicallyPrecedes(first.file.utf8) { first = m.provenance }
        if last.file.utf8.lexicographicallyPrecedes(m.provenance.file.utf8) { last = m.provenance }
      }
      let from =
        inputs.count == 1 ? first.file : "\(inputs.count) inputs (\(first.file) to \(last.file))"
      out.append(summary(mine.map(\.node), rule: rule, provenance: first, from: from))
    }
    return out
  }

  /// Past this many inputs with imported nodes lacking what a rule looks for, their
  /// notes are one per format instead of one per input.
  static let summarisedInputs = 8

  /// A node a summary counts: its id and kind.
  struct Picked {
    var id: String
    var kind: NodeKind
  }

  /// One note for the nodes of one input that lack what `rule` looks for.
  ///
  /// - Parameters:
  ///   - nodes: The nodes, in report order.
  ///   - rule: `require-owner` or `require-description`.
  ///   - provenance: The input's (the first input's, for several).
  ///   - from: What the nodes were imported from, as the message names it (the input's
  ///     file by default).
  /// - Returns: The `imported-undeclared` note.
  static func summary(_ nodes: [Picked], rule: String, provenance: Provenance, from: String? = nil) -> Finding {
    var kinds: [String: Int] = [:]
    for n in nodes { kinds[n.kind.rawValue, default: 0] += 1 }
    let counts = kinds.sorted { $0.key < $1.key }.map { "\($0.value) \(plural($0.key, $0.value))" }
    let owner = rule == "require-owner"
    let what = owner ? "an owner" : "a description"
    let format = Format(provenance)
    let message =
      "\(nodes.count) \(nodes.count == 1 ? "node" : "nodes") imported from \(from ?? provenance.file) "
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
  enum Format: CaseIterable {
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

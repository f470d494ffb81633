/// The ownership audit behind `lineage owners`: who claims what, and where claims
/// overlap (the "overlapping domains" anti-pattern of a data mesh).
///
/// Rules and their severities:
/// - `entity-overlap` (error): two domains claim one business entity as its source of
///   truth; `entity-overlap-in-domain` (warning): several products of one domain do.
/// - `duplicate-id` (error): one id declared twice (reported by the loader, naming both files).
/// - `location-overlap` (error): two nodes served from one physical table or topic.
/// - `team-spans-domains` (info): a team owns products in several domains.
/// - `owner-not-domain-team` (info): a product's owner is not its domain's team.
/// - `require-owner`: nodes without an owner, at the policy's level (info when it is off).
/// - `schema-overlap` (warning): products in different domains with heavily
///   overlapping schemas, with their similarity (see ``SchemaSimilarity``).
public enum Ownership {
  /// Settings of the audit.
  public struct Options: Sendable {
    /// Lowest Jaccard similarity of two schemas' column names that is reported.
    public var similarity: Double = 0.8
    /// Schemas with fewer columns are not compared.
    public var minColumns: Int = 4
    /// Creates the options.
    ///
    /// - Parameters:
    ///   - similarity: The Jaccard similarity from which two schemas overlap.
    ///   - minColumns: Schemas with fewer columns are not compared.
    public init(similarity: Double = 0.8, minColumns: Int = 4) {
      self.similarity = similarity
      self.minColumns = minColumns
    }
  }

  /// Every ownership finding, in report order. The model's findings supply the loader's
  /// `duplicate-id` findings (the mesh keeps only the first declaration).
  ///
  /// - Parameters:
  ///   - model: The loaded model.
  ///   - options: The schema-overlap thresholds.
  /// - Returns: The findings of every ownership rule.
  public static func audit(_ model: LineageModel, options: Options = Options()) -> [Finding] {
    let mesh = model.mesh
    var out = model.findings.filter { $0.rule == "duplicate-id" }
    out += entityClaims(mesh)
    out += locationClaims(mesh)
    out += teamsAcrossDomains(mesh)
    out += foreignOwners(mesh)
    let level = mesh.policyLevel("require-owner")
    out += Governance.requireOwner(mesh, severity: level == .error ? .error : level == .warning ? .warning : .info)
    out += schemaOverlaps(mesh, options: options)
    return out.sorted(by: Finding.reportOrder)
  }

  /// Entities claimed as source of truth by more than one domain (an error) or by
  /// several products of one domain (a warning). One finding per entity and extra
  /// claim, located at that claim, naming the first.
  ///
  /// - Parameter mesh: The declared mesh.
  /// - Returns: `entity-overlap` and `entity-overlap-in-domain` findings.
  public static func entityClaims(_ mesh: Mesh) -> [Finding] {
    var claims: [String: [MeshNode]] = [:]
    var order: [String] = []
    for n in mesh.nodes {
      for e in Set(n.entities).sorted() {
        if claims[e] == nil { order.append(e) }
        claims[e, default: []].append(n)
      }
    }
    var out: [Finding] = []
    for e in order {
      guard let nodes = claims[e], nodes.count > 1 else { continue }
      let domains = Array(Set(nodes.map { $0.domain ?? "" })).sorted()
      let ids = nodes.map(\.id)
      let crossDomain = domains.count > 1
      let first = nodes[0]
      for other in nodes.dropFirst() {
        out.append(
          Finding(
            rule: crossDomain ? "entity-overlap" : "entity-overlap-in-domain",
            severity: crossDomain ? .error : .warning,
            message: crossDomain
              ? "entity '\(e)' is claimed as source of truth by \(domains.count) domains (\(domains.joined(separator: ", "))): \(ids.joined(separator: ", "))"
              : "entity '\(e)' is claimed by \(ids.count) products of domain '\(domains[0])': \(ids.joined(separator: ", "))",
            subjects: ids, location: other.fieldLocations["entities"] ?? other.location,
            hint: "keep one source of truth for '\(e)' (declared first by '\(first.id)') and have the others read it",
            related: [first.fieldLocations["entities"] ?? first.location].compactMap { $0 }))
      }
    }
    return out
  }

  /// A physical location as compared: case-insensitive, without identifier quotes.
  ///
  /// - Parameter text: A table or topic name as declared.
  /// - Returns: The form in which locations are compared.
  public static func normalizedLocation(_ text: String) -> String {
    String(text.lowercased().unicodeScalars.filter { !"\"`[]' ".unicodeScalars.contains($0) }.map(Character.init))
  }

  /// Nodes (sources and products) served from one physical location.
  ///
  /// - Parameter mesh: The declared mesh.
  /// - Returns: One `location-overlap` finding per extra claim.
  public static func locationClaims(_ mesh: Mesh) -> [Finding] {
    var claims: [String: [MeshNode]] = [:]
    var order: [String] = []
    for n in mesh.nodes where n.kind != .consumer {
      guard let l = n.physicalLocation, !l.isEmpty else { continue }
      let key = normalizedLocation(l)
      if claims[key] == nil { order.append(key) }
      claims[key, default: []].append(n)
    }
    var out: [Finding] = []
    for key in order {
      guard let nodes = claims[key], nodes.count > 1 else { continue }
      let first = nodes[0]
      let ids = nodes.map(\.id)
      for other in nodes.dropFirst() {
        out.append(
          Finding(
            rule: .locationOverlap, severity: .error,
            message: "'\(other.id)' and '\(first.id)' both claim location '\(other.physicalLocation ?? key)'"
              + (nodes.count > 2 ? " (claimed by \(nodes.count) nodes: \(ids.joined(separator: ", ")))" : ""),
            subjects: [first.id, other.id], location: other.fieldLocations["location"] ?? other.location,
            hint:
              "one table has one owner: keep '\(first.id)' as its product and have '\(other.id)' read it, or point it at its own table",
            related: [first.fieldLocations["location"] ?? first.location].compactMap { $0 }))
      }
    }
    return out
  }

  /// Teams whose products span several domains: one finding per team.
  ///
  /// - Parameter mesh: The declared mesh.
  /// - Returns: `team-spans-domains` findings.
  public static func teamsAcrossDomains(_ mesh: Mesh) -> [Finding] {
    var byTeam: [String: [String: [String]]] = [:]  // team -> domain -> product ids
    for n in mesh.nodes where n.kind != .consumer {
      guard let t = mesh.effectiveOwner(of: n), let d = n.domain else { continue }
      byTeam[t, default: [:]][d, default: []].append(n.id)
    }
    var out: [Finding] = []
    for team in byTeam.keys.sorted() {
      guard let domains = byTeam[team], domains.count > 1 else { continue }
      let parts = domains.sorted(by: { $0.key < $1.key }).map { "\($0.key) (\($0.value.count))" }
      let owned = Set(mesh.domains.filter { $0.owner == team }.map(\.id))
      let foreign = domains.keys.filter { !owned.contains($0) }.sorted()
      out.append(
        Finding(
          rule: .teamSpansDomains, severity: .info,
          message: "team '\(team)' owns products in \(domains.count) domains: \(parts.joined(separator: ", "))",
          subjects: foreign.flatMap { domains[$0] ?? [] }, location: mesh.team(team)?.location,
          hint: foreign.isEmpty
            ? "check that one team is meant to serve all of these domains"
            : "hand the products in \(foreign.joined(separator: ", ")) to that domain's team, or make the split of ownership explicit"
        ))
    }
    return out
  }

  /// Products whose declared owner is not their domain's team.
  ///
  /// - Parameter mesh: The declared mesh.
  /// - Returns: `owner-not-domain-team` findings.
  public static func foreignOwners(_ mesh: Mesh) -> [Finding] {
    mesh.nodes.compactMap { n in
      // An owner that names no team is an unresolved reference, reported by validate.
      guard n.kind != .consumer, let o = n.owner, mesh.team(o) != nil, let d = n.domain,
        let domainOwner = mesh.domain(d)?.owner, o != domainOwner
      else { return nil }
      return Finding(
        rule: .ownerNotDomainTeam, severity: .info,
        message: "'\(n.id)' is owned by '\(o)', but its domain '\(d)' is owned by '\(domainOwner)'",
        subjects: [n.id], location: n.fieldLocations["owner"] ?? n.location,
        hint: "move it to a domain '\(o)' owns, or hand it to '\(domainOwner)'")
    }
  }

  /// Pairs of products in different domains with similar schemas.
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - options: The similarity threshold and minimum schema size.
  /// - Returns: `schema-overlap` findings, best pairs first.
  public static func schemaOverlaps(_ mesh: Mesh, options: Options) -> [Finding] {
    var items: [SchemaSimilarity.Item] = []
    var nodes: [MeshNode] = []
    var seen = Set<String>()
    for n in mesh.nodes where n.kind != .consumer && seen.insert(n.id).inserted {
      guard n.schema.count >= options.minColumns else { continue }
      items.append(SchemaSimilarity.Item(group: n.domain ?? "", columns: n.schema.map(\.name)))
      nodes.append(n)
    }
    let pairs = SchemaSimilarity.similarPairs(items, threshold: options.similarity)
    return pairs.map { p in
      let a = nodes[p.first], b = nodes[p.second]
      let shared = Set(a.schema.map { SchemaSimilarity.normalize($0.name) })
        .intersection(b.schema.map { SchemaSimilarity.normalize($0.name) }).count
      let score = (p.similarity * 100).rounded() / 100
      return Finding(
        rule: .schemaOverlap, severity: .warning,
        message:
          "'\(a.id)' (domain \(a.domain ?? "none")) and '\(b.id)' (domain \(b.domain ?? "none")) share \(shared) column names, similarity \(score): possible duplication",
        subjects: [a.id, b.id], location: b.fieldLocations["schema"] ?? b.location,
        hint: "if they hold the same data, keep one as the source of truth and have the other domain read it",
        related: [a.fieldLocations["schema"] ?? a.location].compactMap { $0 })
    }
  }
}

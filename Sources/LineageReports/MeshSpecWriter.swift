public import LineageCore

/// Writes a mesh as a mesh spec directory (`lineage import`): `mesh.yaml` with the
/// domains, teams and policies, and one file per domain under `domains/` holding its
/// nodes as YAML documents. Loading the directory gives the same graph: imported
/// kinds are kept in `type:`, a dbt resource's identity in `resource:`.
///
/// Every string is written double-quoted with YAML escapes, so no name can break
/// the document.
public enum MeshSpecWriter {
  /// The files to write, by path relative to the directory, in a stable order.
  public static func files(_ mesh: Mesh) -> [(path: String, text: String)] {
    var out: [(String, String)] = []
    var m = "apiVersion: lineage/v1\nkind: Mesh\nname: \(q(mesh.name))\n"
    if !mesh.domains.isEmpty {
      m += "domains:\n"
      for d in mesh.domains {
        m += "  - id: \(q(d.id))\n"
        if let v = d.name { m += "    name: \(q(v))\n" }
        if let v = d.owner { m += "    owner: \(q(v))\n" }
        if let v = d.description { m += "    description: \(q(text(v)))\n" }
      }
    }
    if !mesh.teams.isEmpty {
      m += "teams:\n"
      for t in mesh.teams {
        m += "  - id: \(q(t.id))\n"
        if let v = t.name { m += "    name: \(q(v))\n" }
        if let v = t.contact { m += "    contact: \(q(v))\n" }
      }
    }
    if !mesh.policies.isEmpty {
      m += "policies:\n"
      var seen = Set<String>()
      for p in mesh.policies.reversed() where seen.insert(p.rule).inserted {
        if let limit = p.limit {
          m += "  \(p.rule): { severity: \(p.level.rawValue), limit: \(limit) }\n"
        } else {
          m += "  \(p.rule): \(p.level.rawValue)\n"
        }
      }
    }
    out.append(("mesh.yaml", m))
    // One file per domain; file names made safe and unique.
    var byDomain: [String: [MeshNode]] = [:]
    var seenIDs = Set<String>()
    for n in mesh.nodes where seenIDs.insert(n.id).inserted { byDomain[n.domain ?? "", default: []].append(n) }
    var used = Set<String>()
    for domain in byDomain.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      var base = fileName(domain.isEmpty ? "no-domain" : domain)
      var k = 2
      while !used.insert(base).inserted {
        base = fileName(domain) + "-\(k)"
        k += 1
      }
      let docs = (byDomain[domain] ?? []).map(document)
      out.append(("domains/\(base).yaml", docs.joined(separator: "---\n")))
    }
    return out
  }

  /// One node as a YAML document.
  static func document(_ n: MeshNode) -> String {
    let docKind: String
    switch n.kind.rawValue {
    case "source", "external": docKind = n.inputs.isEmpty ? "Source" : "DataProduct"
    case "consumer", "exposure": docKind = "Consumer"
    default: docKind = "DataProduct"
    }
    var s = "apiVersion: lineage/v1\nkind: \(docKind)\n"
    let natural = ["Source": "source", "Consumer": "consumer", "DataProduct": "product"][docKind, default: "product"]
    if n.kind.rawValue != natural { s += "type: \(q(n.kind.rawValue))\n" }
    s += "id: \(q(n.id))\n"
    if let v = n.name { s += "name: \(q(v))\n" }
    if let v = n.domain { s += "domain: \(q(v))\n" }
    if let v = n.owner { s += "owner: \(q(v))\n" }
    if let v = n.description { s += "description: \(q(text(v)))\n" }
    if let v = n.version { s += "version: \(q(v))\n" }
    if n.status != .active { s += "status: \(n.status.rawValue)\n" }
    if !n.tags.isEmpty { s += "tags: \(list(n.tags))\n" }
    if docKind == "Consumer" {
      if let c = n.criticality { s += "criticality: \(c.rawValue)\n" }
      if let u = n.physicalLocation { s += "url: \(q(u))\n" }
    } else {
      if let d = n.deprecation {
        var parts: [String] = []
        if let v = d.sunset { parts.append("sunset: \(q(v.description))") }
        if let v = d.replacedBy { parts.append("replacedBy: \(q(v))") }
        s += "deprecation: { \(parts.joined(separator: ", ")) }\n"
      }
      if n.access != .public { s += "access: \(n.access.rawValue)\n" }
      if let v = n.sensitivity { s += "sensitivity: \(v.rawValue)\n" }
      if !n.entities.isEmpty { s += "entities: \(list(n.entities))\n" }
      if let v = n.physicalLocation { s += "location: \(q(v))\n" }
      if let sla = n.serviceLevel {
        var parts: [String] = []
        if let f = sla.freshness { parts.append("freshness: \(q(f))") }
        if let a = sla.availability { parts.append("availability: \(a)") }
        if !parts.isEmpty { s += "sla: { \(parts.joined(separator: ", ")) }\n" }
      }
    }
    if let r = n.resource {
      s += "resource:\n  name: \(q(r.name))\n"
      if !r.fqn.isEmpty { s += "  fqn: \(list(r.fqn))\n" }
      if let v = r.package { s += "  package: \(q(v))\n" }
      if let v = r.path { s += "  path: \(q(v))\n" }
      if let v = r.patchPath { s += "  patchPath: \(q(v))\n" }
      if let v = r.sourceName { s += "  sourceName: \(q(v))\n" }
      if let v = r.version { s += "  version: \(q(v))\n" }
      if r.contractEnforced { s += "  contractEnforced: true\n" }
    }
    if !n.inputs.isEmpty {
      s += "inputs:\n"
      for i in n.inputs {
        s += "  - product: \(q(i.product))\n"
        if let cols = i.columns { s += "    columns: \(list(cols))\n" }
      }
    }
    if docKind != "Consumer", !n.schema.isEmpty {
      s += "schema:\n"
      for c in n.schema {
        s += "  - name: \(q(c.name))\n"
        if let v = c.type { s += "    type: \(q(v))\n" }
        if !c.nullable || c.primaryKey { s += "    nullable: \(c.nullable)\n" }
        if c.primaryKey { s += "    primaryKey: true\n" }
        if let v = c.classification { s += "    classification: \(q(v))\n" }
        if c.masked { s += "    masked: true\n" }
        if let v = c.description { s += "    description: \(q(text(v)))\n" }
        if !c.from.isEmpty {
          s += "    from:\n"
          for r in c.from {
            var parts = ["product: \(q(r.product))", "column: \(q(r.column))"]
            if r.transform != .identity { parts.append("transform: \(r.transform.rawValue)") }
            if r.masked { parts.append("masked: true") }
            s += "      - { \(parts.joined(separator: ", ")) }\n"
          }
        }
      }
    }
    return s
  }

  /// Free text without the control characters the spec loader rejects (line breaks
  /// and tabs stay).
  static func text(_ s: String) -> String {
    String(
      String.UnicodeScalarView(
        s.unicodeScalars.filter {
          $0 == "\n" || $0 == "\t" || !($0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value))
        }))
  }

  /// A flow sequence of quoted strings.
  static func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ", ") + "]" }

  /// A double-quoted YAML scalar.
  public static func q(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u == "\u{2028}" || u == "\u{2029}"
          || u == "\u{FEFF}"
        {
          out +=
            "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  /// A file name for a domain: letters, digits, `-`, `_` and `.` kept, the rest `_`.
  static func fileName(_ s: String) -> String {
    let kept = s.unicodeScalars.map { u -> Character in
      (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_" || u == ".") && u.isASCII
        ? Character(u) : "_"
    }
    var name = String(kept.prefix(80))
    while name.hasPrefix(".") { name = "_" + name.dropFirst() }
    return name.isEmpty ? "_" : name
  }
}

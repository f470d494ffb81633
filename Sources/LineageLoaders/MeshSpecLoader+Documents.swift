import LineageCore
internal import Yams

/// Documents: one lineage/v1 document of a file into the mesh or a node.
extension MeshSpecLoader {
  static let nodeKinds: [String: NodeKind] = ["DataProduct": .product, "Source": .source, "Consumer": .consumer]

  func loadDocument(_ doc: Node, index: Int, isRootFile: Bool, diag: FileDiagnostics, state: inout LoadState) {
    if case .scalar(let s) = doc, doc.null != nil || s.string.isEmpty { return }  // empty document
    guard case .mapping = doc else {
      if diag.mentionsLineage {
        diag.report(
          "invalid-document", .error,
          "document \(index) must be a mapping with apiVersion and kind, found \(describe(doc))", at: doc)
      } else {
        diag.report(
          "skipped-document", .info, "document \(index) is \(describe(doc)), not a lineage document; skipped",
          at: doc)
      }
      return
    }
    guard let f = Fields(doc, context: "document \(index)", diag: diag) else { return }
    let api = f.value("apiVersion").flatMap { f.text($0, key: "apiVersion") }
    let kind = f.value("kind").flatMap { f.text($0, key: "kind") }
    let isOurKind = kind.map { $0 == "Mesh" || Self.nodeKinds[$0] != nil } ?? false
    guard let api else {
      if isOurKind {
        f.missing("apiVersion", hint: "add 'apiVersion: \(Self.apiVersion)'")
      } else {
        diag.report(
          "skipped-document", .info, "document \(index) has no apiVersion: \(Self.apiVersion); skipped", at: doc)
      }
      return
    }
    guard api.hasPrefix("lineage/") else {
      diag.report(
        "skipped-document", .info, "document \(index) has apiVersion '\(api)', not \(Self.apiVersion); skipped", at: doc
      )
      return
    }
    guard api == Self.apiVersion else {
      diag.report(
        "unknown-api-version", .error, "unsupported apiVersion '\(api)'", at: f.value("apiVersion"),
        hint: "this version of lineage reads \(Self.apiVersion)")
      return
    }
    guard let kind else {
      f.missing("kind", hint: "one of Mesh, DataProduct, Source, Consumer")
      return
    }
    if kind == "Mesh" {
      if !isRootFile {
        diag.report(
          "misplaced-mesh", .error, "a document of kind Mesh may only appear in the root mesh.yaml",
          at: f.value("kind"), hint: "move its settings into \(displayPrefix)mesh.yaml")
      } else if state.mesh != nil {
        diag.report(
          "misplaced-mesh", .error, "mesh.yaml holds a second document of kind Mesh", at: f.value("kind"),
          hint: "merge the two")
      } else {
        state.mesh = loadMesh(f)
      }
      return
    }
    guard let nodeKind = Self.nodeKinds[kind] else {
      diag.report(
        "unknown-kind", .error, "unknown kind '\(kind)'", at: f.value("kind"),
        hint: Suggest.hint(for: kind, in: ["Mesh"] + Self.nodeKinds.keys.sorted())
          ?? "kinds are Mesh, DataProduct, Source, Consumer")
      return
    }
    guard let node = loadNode(f, kind: nodeKind, kindName: kind) else { return }
    if let first = state.firstDeclaration[node.id] {
      diag.report(
        "duplicate-id", .error, "duplicate id '\(node.id)': already declared at \(first)",
        at: f.value("id"), subjects: [node.id], hint: "ids must be unique in the mesh; rename one of them",
        related: [first])
      return
    }
    state.firstDeclaration[node.id] = node.fieldLocations["id"] ?? node.location
    state.nodes.append(node)
  }

  func loadMesh(_ f: Fields) -> Mesh {
    let name = f.identifier("name", required: true) ?? "unnamed"
    f.context = "Mesh '\(name)'"
    var mesh = Mesh(name: name, location: f.location)
    _ = f.string("description")
    var domainIDs = Set<String>()
    for item in f.sequence("domains") ?? [] {
      guard let d = Fields(item, context: "a domain of Mesh '\(name)'", diag: f.diag) else { continue }
      guard let id = d.identifier("id", required: true) else { continue }
      d.context = "domain '\(id)'"
      if !domainIDs.insert(id).inserted {
        d.diag.report("duplicate-id", .error, "domain '\(id)' is declared twice", at: d.value("id"))
        continue
      }
      let owner = d.identifier("owner")
      mesh.domains.append(
        Domain(
          id: id, name: d.string("name"), owner: owner, description: d.string("description"),
          location: d.location, ownerLocation: owner == nil ? nil : d.location(of: "owner")))
      d.finish(allowed: ["id", "name", "owner", "description"])
    }
    var teamIDs = Set<String>()
    for item in f.sequence("teams") ?? [] {
      guard let t = Fields(item, context: "a team of Mesh '\(name)'", diag: f.diag) else { continue }
      guard let id = t.identifier("id", required: true) else { continue }
      t.context = "team '\(id)'"
      if !teamIDs.insert(id).inserted {
        t.diag.report("duplicate-id", .error, "team '\(id)' is declared twice", at: t.value("id"))
        continue
      }
      mesh.teams.append(Team(id: id, name: t.string("name"), contact: t.string("contact"), location: t.location))
      _ = t.strings("members")
      _ = t.string("description")
      t.finish(allowed: ["id", "name", "contact", "members", "description"])
    }
    if let p = f.mapping("policies", context: "policies of Mesh '\(name)'") {
      for i in p.keys.indices {
        let key = p.keys[i], keyNode = p.keyNodes[i], value = p.values[i]
        p.used[i] = true
        guard PolicyCatalog.rules.contains(key) else {
          p.diag.report(
            "unknown-policy", .warning, "unknown policy '\(key)'; it is ignored", at: keyNode,
            hint: Suggest.hint(for: key, in: PolicyCatalog.rules)
              ?? "policies are \(PolicyCatalog.rules.joined(separator: ", "))")
          continue
        }
        var levelText: String?
        var limit: Int?
        var levelNode = value
        if case .mapping = value, let sub = Fields(value, context: "policy '\(key)'", diag: p.diag) {
          levelText = sub.string("severity", required: true)
          levelNode = sub.value("severity") ?? value
          if sub.value("limit") != nil, key != "max-depth" {
            p.diag.report(
              "invalid-field", .warning, "only policy 'max-depth' takes a limit; it is ignored here",
              at: sub.value("limit"))
          } else if let l = sub.number("limit") {
            if l >= 1, l <= 1_000_000, l == l.rounded() {
              limit = Int(l)
            } else {
              p.diag.report(
                "invalid-value", .error, "limit of policy '\(key)' must be a whole number from 1",
                at: sub.value("limit"))
            }
          }
          sub.finish(allowed: ["severity", "limit"])
        } else {
          levelText = p.text(value, key: key)
        }
        guard let levelText else { continue }
        guard let level = PolicyLevel(rawValue: levelText) else {
          p.diag.report(
            "invalid-value", .error, "policy '\(key)' is '\(levelText)'; expected error, warning or off",
            at: levelNode, hint: Suggest.hint(for: levelText, in: PolicyLevel.allCases.map(\.rawValue)))
          continue
        }
        mesh.policies.append(PolicySetting(rule: key, level: level, limit: limit, location: p.diag.location(keyNode)))
      }
    }
    f.finish(allowed: ["apiVersion", "kind", "name", "description", "domains", "teams", "policies"])
    return mesh
  }

  static let commonFields = [
    "apiVersion", "kind", "id", "name", "domain", "owner", "description", "version", "status",
    "tags", "type", "resource",
  ]
  static let fieldsByKind: [NodeKind: [String]] = [
    .product: commonFields + [
      "deprecation", "access", "sensitivity", "entities", "location", "sla", "inputs", "schema",
    ],
    .source: commonFields + ["deprecation", "access", "sensitivity", "entities", "location", "sla", "schema"],
    .consumer: commonFields + ["criticality", "inputs", "location", "url"],
  ]

  func loadNode(_ f: Fields, kind: NodeKind, kindName: String) -> MeshNode? {
    guard let id = f.identifier("id", required: true, hint: "for example 'id: sales.orders'") else { return nil }
    f.context = "\(kindName) '\(id)'"
    f.subject = [id]
    var n = MeshNode(id: id, kind: kind, location: f.location)
    n.fieldLocations["id"] = f.location(of: "id")
    // An imported node keeps its tool's kind (`model`, `dataset`, ...) and identity.
    if let type = f.identifier("type") { n.kind = NodeKind(rawValue: type) }
    if let r = f.mapping("resource", context: "resource of '\(id)'") {
      var res = ImportedResource(type: n.kind.rawValue, name: r.string("name") ?? id)
      res.fqn = (r.strings("fqn") ?? []).map(\.0)
      res.package = r.string("package")
      res.path = r.string("path")
      res.patchPath = r.string("patchPath")
      res.sourceName = r.string("sourceName")
      res.version = r.string("version")
      res.contractEnforced = r.bool("contractEnforced") ?? false
      r.finish(allowed: ["name", "fqn", "package", "path", "patchPath", "sourceName", "version", "contractEnforced"])
      n.resource = res
    }
    n.name = f.string("name")
    n.domain = f.identifier("domain", required: kind != .consumer, hint: "name one of the mesh's domains")
    if n.domain != nil { n.fieldLocations["domain"] = f.location(of: "domain") }
    n.owner = f.identifier("owner")
    if n.owner != nil { n.fieldLocations["owner"] = f.location(of: "owner") }
    n.description = f.string("description")
    for key in ["description", "access", "sensitivity", "sla", "status"] where f.value(key) != nil {
      n.fieldLocations[key] = f.location(of: key)
    }
    n.version = f.string("version")
    n.status = f.choice("status", ProductStatus.self) ?? .active
    n.tags = (f.strings("tags") ?? []).map(\.0)
    if kind == .consumer {
      n.criticality = f.choice("criticality", Criticality.self)
      n.physicalLocation = f.string("url")
    } else {
      n.access = f.choice("access", Access.self) ?? .public
      n.sensitivity = f.choice("sensitivity", Sensitivity.self)
      n.entities = (f.strings("entities") ?? []).map(\.0)
      if !n.entities.isEmpty { n.fieldLocations["entities"] = f.location(of: "entities") }
      if let d = f.mapping("deprecation", context: "deprecation of '\(id)'") {
        var dep = Deprecation(location: d.location)
        if let sunset = d.string("sunset") {
          if let date = CalendarDate(sunset) {
            dep.sunset = date
          } else {
            d.diag.report(
              "invalid-value", .error, "sunset '\(sunset)' is not a date", at: d.value("sunset"),
              subjects: [id], hint: "write it as YYYY-MM-DD")
          }
        }
        dep.replacedBy = d.identifier("replacedBy")
        d.finish(allowed: ["sunset", "replacedBy"])
        n.deprecation = dep
      }
      if let s = f.mapping("sla", context: "sla of '\(id)'") {
        n.serviceLevel = ServiceLevel(freshness: s.string("freshness"), availability: s.number("availability"))
        if let text = n.serviceLevel?.freshness, Freshness.seconds(text) == nil {
          s.diag.report(
            "invalid-value", .error, "freshness '\(text)' is not a duration", at: s.value("freshness"),
            subjects: [id], hint: "write a number and a unit, such as 15m, 1h or 1d (or ISO 8601: PT15M)")
        }
        if let a = n.serviceLevel?.availability, !(0...100).contains(a) {
          s.diag.report(
            "invalid-value", .error,
            "availability \(a == a.rounded() ? String(Int(a)) : String(a)) is not a percentage",
            at: s.value("availability"),
            subjects: [id], hint: "write a number from 0 to 100, such as 99.9")
        }
        s.finish(allowed: ["freshness", "availability"])
      }
    }
    if let loc = f.string("location") { n.physicalLocation = loc }
    if f.value("location") != nil { n.fieldLocations["location"] = f.location(of: "location") }
    if kind == .source {
      if let inputs = f.value("inputs") {
        f.diag.report(
          "invalid-field", .error, "a Source has no inputs; '\(id)' declares some", at: inputs,
          subjects: [id], hint: "declare it as kind: DataProduct if it is derived from other nodes")
      }
    } else {
      n.inputs = loadInputs(f)
    }
    if kind != .consumer {
      n.schema = loadSchema(f, owner: id)
      if f.value("schema") != nil { n.fieldLocations["schema"] = f.location(of: "schema") }
    }
    f.finish(allowed: Self.fieldsByKind[kind] ?? [])
    return n
  }

  func loadInputs(_ f: Fields) -> [Input] {
    var inputs: [Input] = []
    for item in f.sequence("inputs") ?? [] {
      if case .scalar = item {
        if let p = f.text(item, key: "inputs"), let p = f.checkIdentifier(p, key: "inputs", at: item) {
          inputs.append(Input(product: p, location: f.diag.location(item)))
        }
        continue
      }
      guard let i = Fields(item, context: "an input of \(f.context)", diag: f.diag) else { continue }
      i.subject = f.subject
      guard let product = i.identifier("product", required: true) else { continue }
      var input = Input(product: product, location: i.location(of: "product"))
      if let cols = i.strings("columns") {
        input.columns = cols.map(\.0)
        input.columnLocations = cols.map(\.1)
      }
      i.finish(allowed: ["product", "columns"])
      inputs.append(input)
    }
    return inputs
  }

  func loadSchema(_ f: Fields, owner: String) -> [Column] {
    var columns: [Column] = []
    for item in f.sequence("schema") ?? [] {
      guard let c = Fields(item, context: "a column of '\(owner)'", diag: f.diag) else { continue }
      c.subject = f.subject
      guard let name = c.identifier("name", required: true) else { continue }
      c.context = "column '\(owner).\(name)'"
      var col = Column(name: name, location: c.location(of: "name"))
      col.type = c.string("type")
      col.nullable = c.bool("nullable") ?? true
      col.primaryKey = c.bool("primaryKey") ?? false
      if col.primaryKey, c.value("nullable") == nil { col.nullable = false }
      col.classification = c.identifier("classification")
      col.masked = c.bool("masked") ?? false
      col.renamedFrom = c.identifier("renamedFrom")
      col.description = c.string("description")
      for ref in c.sequence("from") ?? [] {
        if let r = loadColumnRef(ref, c) { col.from.append(r) }
      }
      c.finish(allowed: [
        "name", "type", "nullable", "primaryKey", "classification", "masked", "renamedFrom",
        "description", "from",
      ])
      columns.append(col)
    }
    return columns
  }

  func loadColumnRef(_ node: Node, _ c: Fields) -> ColumnRef? {
    if case .scalar = node {
      guard let text = c.text(node, key: "from"), let text = c.checkIdentifier(text, key: "from", at: node) else {
        return nil
      }
      guard let dot = text.lastIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
        c.diag.report(
          "invalid-value", .error, "lineage '\(text)' of \(c.context) must be PRODUCT.COLUMN", at: node,
          subjects: c.subject, hint: "for example 'crm.customers.segment', or { product: ..., column: ... }")
        return nil
      }
      return ColumnRef(
        product: String(text[..<dot]), column: String(text[text.index(after: dot)...]),
        location: c.diag.location(node))
    }
    guard let r = Fields(node, context: "the lineage of \(c.context)", diag: c.diag) else { return nil }
    r.subject = c.subject
    let product = r.identifier("product", required: true)
    let column = r.identifier("column", required: true)
    let transform = r.choice("transform", Transform.self) ?? .identity
    let masked = r.bool("masked") ?? false
    r.finish(allowed: ["product", "column", "transform", "masked"])
    guard let product, let column else { return nil }
    return ColumnRef(
      product: product, column: column, transform: transform, masked: masked,
      location: r.location(of: "product"))
  }
}

internal import Foundation
public import LineageCore
internal import LineageSQL

/// Reads a dbt `manifest.json` (schema v4 to v12, and later versions of v12's
/// shape), with the `catalog.json` beside it for column types when present.
///
/// Every enabled resource becomes a node whose id is dbt's `unique_id` and whose
/// kind is its resource type (`model`, `seed`, `snapshot`, `test`, `source`,
/// `exposure`, `analysis`, `metric`, `semantic_model`, `saved_query`, `unit_test`);
/// `depends_on.nodes` gives the edges. Hooks (`operation`) and disabled resources
/// are left out. The domain is `meta.domain` or the resource's group; the owner is
/// `meta.owner`, or the group's owner, or an exposure's owner.
public enum DBTManifestImporter {
  /// Keys whose values no importer reads; skipped without building them.
  static let skipped: Set<String> = [
    "macros", "docs", "parent_map", "child_map", "group_map",
    "checksum", "unrendered_config", "config_call_dict", "extra_ctes", "injected_sql", "root_path",
    "build_path", "selectors", "doc_blocks", "unrendered_config_call_dict", "refs", "sources_used",
  ]

  /// The sections holding resources, in the order they are read.
  static let sections = [
    "nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests",
    "functions",
  ]

  /// Imports a manifest file.
  ///
  /// - Throws: ``LoadError`` when the file is not JSON, not a dbt manifest, or of a
  ///   schema version older than v4. Problems with single resources are findings.
  public static func load(bytes: UnsafeBufferPointer<UInt8>, file: String, catalog: String? = nil) throws(LoadError)
    -> (Mesh, [Finding])
  {
    var shapes: [String: SQLShape] = [:]
    return try load(bytes: bytes, file: file, catalog: catalog, shapes: &shapes)
  }

  /// Imports a manifest file, and the shape of each model's SQL (``SQLShape``, by node
  /// id) into `shapes`.
  ///
  /// - Throws: ``LoadError`` as ``load(bytes:file:catalog:)``.
  public static func load(
    bytes: UnsafeBufferPointer<UInt8>, file: String, catalog: String? = nil, shapes: inout [String: SQLShape]
  ) throws(LoadError) -> (Mesh, [Finding]) {
    let root: JSONValue
    do {
      root = try JSONParser.parse(bytes, skipping: skipped)
    } catch {
      throw LoadError(
        message: "invalid JSON: \(error.message)",
        location: SourceLocation(file: file, line: error.line, column: error.column))
    }
    guard let top = root.object else {
      throw LoadError(
        message: "a dbt manifest is a JSON object, not \(root.typeName)",
        location: SourceLocation(file: file, line: 1, column: 1))
    }
    var findings: [Finding] = []
    let at = SourceLocation(file: file)
    func warn(_ rule: String, _ message: String, _ hint: String? = nil) {
      findings.append(Finding(rule: rule, severity: .warning, message: message, location: at, hint: hint))
    }
    guard let schema = top["metadata"]?["dbt_schema_version"]?.string else {
      throw LoadError(
        message: "not a dbt manifest: metadata.dbt_schema_version is missing",
        location: SourceLocation(file: file, line: 1, column: 1),
        hint: "generate it with 'dbt parse' or 'dbt compile'; it is target/manifest.json")
    }
    let version = schemaVersion(schema)
    switch version {
    case nil:
      throw LoadError(
        message: "unrecognised dbt_schema_version '\(schema)'", location: at,
        hint: "expected https://schemas.getdbt.com/dbt/manifest/vN.json with N from 4 to 12")
    case let v? where v < 4:
      throw LoadError(
        message: "dbt manifest schema v\(v) is older than v4 (dbt 1.0), which is the oldest read",
        location: at, hint: "regenerate it with dbt 1.0 or later")
    case let v? where v > 12:
      warn("newer-schema", "dbt manifest schema v\(v) is newer than v12; read with v12's shape")
    default: break
    }
    // Every wrong-shaped field the importer reads is a load error, located at its value.
    for (problem, path) in DBTManifestShape.check(manifest: root) {
      let at = JSONShape.locate(path, in: bytes).map { SourceLocation(file: file, line: $0.line, column: $0.column) }
      findings.append(
        Finding(
          rule: problem.rule, severity: .error, message: problem.message,
          location: at ?? SourceLocation(file: file, line: 1, column: 1), hint: problem.hint))
    }
    let dbtVersion = top["metadata"]?["dbt_version"]?.string
    let detail = "dbt manifest v\(version ?? 0)" + (dbtVersion.map { ", dbt \($0)" } ?? "")
    let provenance = Provenance(.imported, file: file, detail: detail)

    // Groups: name -> owner.
    var groupOwner: [String: (name: String?, email: String?)] = [:]
    for (_, g) in top["groups"]?.object?.entries ?? JSONObject().entries {
      guard let name = g["name"]?.string else { continue }
      groupOwner[name] = (g["owner"]?["name"]?.string, g["owner"]?["email"]?.string)
    }
    let catalogColumns = catalog.map { loadCatalog($0, findings: &findings) } ?? [:]

    var mesh = Mesh(name: top["metadata"]?["project_name"]?.string ?? (file as NSString).lastPathComponent)
    var files = DBTProjectFiles(manifest: file, rootPackage: rootPackage(top))
    var domains: [String: String?] = [:]  // domain -> owner
    var teams: [String: String?] = [:]  // team -> contact
    var seen = Set<String>()
    /// Resources left out on purpose (hooks, disabled nodes): edges to them go too.
    var leftOut = Set<String>()
    for (uid, _) in top["disabled"]?.object?.entries ?? JSONObject().entries { leftOut.insert(uid) }
    // SQL of models and snapshots, and every node's relation name, for column lineage.
    var codes: [String: DBTSQLLineage.Code] = [:]
    var rawCodes: [(uid: String, raw: String, file: String, package: String?)] = []
    var relations: [String: [String]] = [:]
    for section in sections {
      guard let value = top[section] else { continue }
      guard let resources = value.object else { continue }  // a shape error, reported above
      for (uid, res) in resources.entries {
        // Resources of the wrong shape are load errors, reported above.
        guard let r = res.object, let type = r["resource_type"]?.string ?? defaultType(section) else { continue }
        if type == "operation" || type == "sql_operation" || type == "rpc" {
          leftOut.insert(uid)
          continue
        }
        let config = r["config"]?.object
        if config?["enabled"]?.bool == false {
          leftOut.insert(uid)
          continue
        }
        guard seen.insert(uid).inserted else {
          warn("duplicate-id", "\(uid) appears twice; the first is kept")
          continue
        }
        let name = r["name"]?.string ?? String(uid.split(separator: ".").last ?? "")
        let meta = mergedMeta(r)
        let group = r["group"]?.string ?? config?["group"]?.string
        var node = MeshNode(id: uid, kind: NodeKind(rawValue: type))
        node.name = name
        node.description = r["description"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        node.tags = Array(Set(r["tags"]?.strings ?? [])).sorted()
        node.domain = meta["domain"] ?? group
        var owner = meta["owner"]
        var contact: String?
        if owner == nil, let g = group, let o = groupOwner[g] {
          owner = o.name ?? o.email
          contact = o.email
        }
        if owner == nil, type == "exposure", let o = r["owner"] {
          owner = o["name"]?.string ?? o["email"]?.string
          contact = o["email"]?.string
        }
        node.owner = owner
        if let o = owner, (teams[o] ?? nil) == nil { teams[o] = contact }
        if let d = node.domain, domains[d] == nil {
          domains[d] = group == d ? groupOwner[d].flatMap { $0.name ?? $0.email } : nil
        }
        switch r["access"]?.string ?? config?["access"]?.string {
        case "private": node.access = .domain  // only models of the same group may ref it
        default: node.access = .public
        }
        if let date = r["deprecation_date"]?.string, date.count >= 10 {
          node.status = .deprecated
          node.deprecation = Deprecation(sunset: CalendarDate(String(date.prefix(10))))
        }
        if type == "exposure" {
          node.physicalLocation = r["url"]?.string
          switch r["maturity"]?.string {
          case "high": node.criticality = .high
          case "medium": node.criticality = .medium
          case "low": node.criticality = .low
          default: break
          }
        } else if type != "test" && type != "unit_test" {
          let relation = [r["database"]?.string, r["schema"]?.string, r["alias"]?.string ?? r["identifier"]?.string]
          if relation[2] != nil {
            node.physicalLocation = relation.compactMap { $0 }.joined(separator: ".")
            relations[uid] = relation.compactMap { $0 }
          }
        }
        if type == "model" || type == "snapshot" {
          let package = r["package_name"]?.string
          let path = r["original_file_path"]?.string.map { files.path(normalizedPath($0), package: package) } ?? file
          let raw = r["raw_code"]?.string ?? r["raw_sql"]?.string
          if let compiled = r["compiled_code"]?.string ?? r["compiled_sql"]?.string, !compiled.isEmpty {
            codes[uid] = DBTSQLLineage.Code(
              uid: uid, sql: compiled, compiled: true,
              file: r["compiled_path"]?.string.map { files.directory + normalizedPath($0) } ?? path,
              modelText: raw)
            node.fieldLocations["sql"] = SourceLocation(file: path, line: 1, column: 1)
          } else if let raw, !raw.isEmpty {
            rawCodes.append((uid, raw, path, r["package_name"]?.string))
            node.fieldLocations["sql"] = SourceLocation(file: path, line: 1, column: 1)
          }
        }
        var enforced = false
        if let c = config?["contract"]?["enforced"]?.bool { enforced = c }
        if let c = r["contract"]?["enforced"]?.bool { enforced = enforced || c }
        node.resource = ImportedResource(
          type: type, name: name, fqn: r["fqn"]?.strings ?? [], package: r["package_name"]?.string,
          path: r["original_file_path"]?.string.map(normalizedPath),
          patchPath: r["patch_path"]?.string.map { normalizedPath(stripScheme($0)) },
          sourceName: r["source_name"]?.string, version: versionText(r["version"]), contractEnforced: enforced,
          access: r["access"]?.string ?? config?["access"]?.string, group: group,
          testName: type == "test" ? r["test_metadata"]?["name"]?.string : nil,
          latestVersion: versionText(r["latest_version"]), config: flattenedConfig(config))
        node.schema = columns(r["columns"]?.object, catalog: catalogColumns[uid])
        // Findings on the node name its YAML or SQL file; its reads are in its own file.
        if let resource = node.resource {
          node.location = files.location(of: resource, name: type == "source" ? name : (r["name"]?.string ?? name))
        }
        let readsAt = node.resource?.path.map {
          SourceLocation(file: files.path($0, package: node.resource?.package), line: 1, column: 1)
        }
        var inputs = Set<String>()
        let deps = r["depends_on"]?["nodes"]?.strings ?? []
        for dep in deps where inputs.insert(dep).inserted {
          node.inputs.append(Input(product: dep, location: readsAt))
        }
        if type == "test" { testedColumns(r, deps: deps, into: &node.inputs) }
        node.provenance = [provenance]
        mesh.nodes.append(node)
      }
    }
    // Edges to resources that were left out (hooks, disabled nodes) are dropped, as dbt
    // does. A reference to an id the manifest does not hold at all stays: it is an
    // unresolved reference (a removed model that others still read), never dropped
    // without a word.
    for i in mesh.nodes.indices {
      mesh.nodes[i].inputs.removeAll { !seen.contains($0.product) && leftOut.contains($0.product) }
    }
    spellTestedColumns(&mesh)
    // Column lineage from the SQL, in the adapter's dialect.
    let adapter = top["metadata"]?["adapter_type"]?.string
    let dialect = adapter.flatMap(SQLDialect.init(adapterType:)) ?? .generic
    if let adapter, SQLDialect(adapterType: adapter) == nil, !(codes.isEmpty && rawCodes.isEmpty) {
      findings.append(
        Finding(
          rule: "sql-dialect", severity: .info,
          message: "adapter '\(adapter)' has no SQL dialect of its own here; its SQL is read as generic SQL",
          location: SourceLocation(file: file, line: 1, column: 1)))
    }
    findings += renderRawCode(rawCodes, into: &codes, mesh: mesh, relations: relations, dialect: dialect)
    findings += DBTSQLLineage.derive(
      mesh: &mesh, codes: codes, relations: relations, dialect: dialect, shapes: &shapes)
    mesh.domains = domains.keys.sorted().map { Domain(id: $0, owner: domains[$0] ?? nil) }
    mesh.teams = teams.keys.sorted().map { Team(id: $0, contact: teams[$0] ?? nil) }
    if mesh.nodes.isEmpty { warn("empty-input", "the manifest holds no enabled resources") }
    return (mesh, findings)
  }

  /// Renders the raw code of models without compiled code (see ``DBTJinja``): refs
  /// and sources become their relation names; a model whose Jinja cannot be rendered
  /// keeps product-level lineage, with a note that says to run `dbt compile`.
  static func renderRawCode(
    _ raw: [(uid: String, raw: String, file: String, package: String?)],
    into codes: inout [String: DBTSQLLineage.Code], mesh: Mesh, relations: [String: [String]],
    dialect: SQLDialect
  ) -> [Finding] {
    guard !raw.isEmpty else { return [] }
    func quoted(_ uid: String) -> String? {
      guard let parts = relations[uid] else { return nil }
      let q: Character = dialect == .bigquery || dialect == .databricks ? "`" : "\""
      return parts.map { String(q) + $0.replacingOccurrences(of: String(q), with: String(q) + String(q)) + String(q) }
        .joined(separator: ".")
    }
    // name -> (package, version, uid) of refable resources; source.table -> uid.
    var refable: [String: [(package: String?, version: String?, uid: String)]] = [:]
    var sources: [String: String] = [:]
    for n in mesh.nodes {
      guard let r = n.resource else { continue }
      switch r.type {
      case "model", "seed", "snapshot": refable[r.name, default: []].append((r.package, r.version, n.id))
      case "source": if let s = r.sourceName { sources[s + "." + r.name] = n.id }
      default: break
      }
    }
    var findings: [Finding] = []
    for (uid, text, file, package) in raw {
      let context = DBTJinja.Context(
        ref: { pkg, name, version in
          var c = refable[name] ?? []
          if let pkg { c = c.filter { $0.package == pkg } }
          if let version {
            c = c.filter { $0.version == version }
          } else if c.count > 1 {
            // Unpinned: the latest version, as dbt resolves it; else the own package's.
            let own = c.filter { $0.package == package }
            if own.count == 1 { c = own }
            let latest = c.compactMap { e in e.version.flatMap(Double.init).map { (e, $0) } }.max { $0.1 < $1.1 }
            if c.count > 1, let latest { c = [latest.0] }
          }
          return c.count == 1 ? quoted(c[0].uid) : nil
        },
        source: { s, t in sources[s + "." + t].flatMap(quoted) },
        this: quoted(uid))
      switch DBTJinja.render(text, context) {
      case .sql(let sql):
        codes[uid] = DBTSQLLineage.Code(
          uid: uid, sql: sql, compiled: false, file: file, modelText: text)
      case .unsupported(let what, let line):
        findings.append(
          Finding(
            rule: "sql-jinja", severity: .info,
            message:
              "\(uid): its raw code uses Jinja that lineage does not render (\(what)); it keeps product-level lineage",
            subjects: [uid], location: SourceLocation(file: file, line: line, column: 1),
            hint: "run 'dbt compile' so the manifest carries compiled code, for column lineage from the SQL"))
      }
    }
    return findings
  }

  /// A data test that names a column reads that column of the node it is attached to
  /// (`attached_node`; in older manifests the dependency named by `file_key_name` or
  /// the only one), and a `relationships` test also reads `field` of the node it
  /// points to: dropping either column breaks the test.
  static func testedColumns(_ r: JSONObject, deps: [String], into inputs: inout [Input]) {
    let kwargs = r["test_metadata"]?["kwargs"]
    guard let column = plainColumn(r["column_name"]?.string ?? kwargs?["column_name"]?.string) else { return }
    var attached = r["attached_node"]?.string
    if attached == nil {
      let unique = Array(Set(deps))
      if unique.count == 1 {
        attached = unique[0]
      } else if let key = r["file_key_name"]?.string, let name = key.split(separator: ".").last {
        let named = unique.filter { $0.split(separator: ".").dropFirst(2).first.map(String.init) == String(name) }
        if named.count == 1 { attached = named[0] }
      }
    }
    guard let attached, let i = inputs.firstIndex(where: { $0.product == attached }) else { return }
    inputs[i].columns = [column]
    // relationships: `to` is the other dependency, `field` its column.
    if r["test_metadata"]?["name"]?.string == "relationships", let field = plainColumn(kwargs?["field"]?.string) {
      let others = inputs.indices.filter { inputs[$0].product != attached }
      if others.count == 1 { inputs[others[0]].columns = [field] }
    }
  }

  /// A column name as a test writes it, when it is a plain or quoted identifier (not
  /// an expression such as `lower(email)`).
  static func plainColumn(_ s: String?) -> String? {
    guard var s, !s.isEmpty else { return nil }
    if s.count >= 2, let f = s.first, f == s.last, f == "\"" || f == "`" || f == "[" {
      s = String(s.dropFirst().dropLast())
      return s.isEmpty ? nil : s
    }
    let ok = s.unicodeScalars.allSatisfy {
      $0 == "_" || $0 == "$" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
    }
    return ok ? s : nil
  }

  /// Tested columns take the spelling of the column the tested node declares
  /// (documented or in the catalog), compared without case as the warehouse does.
  static func spellTestedColumns(_ mesh: inout Mesh) {
    var index: [String: Int] = [:]
    for (i, n) in mesh.nodes.enumerated() where index[n.id] == nil { index[n.id] = i }
    for i in mesh.nodes.indices where mesh.nodes[i].kind.rawValue == "test" {
      for j in mesh.nodes[i].inputs.indices {
        guard let cols = mesh.nodes[i].inputs[j].columns, let t = index[mesh.nodes[i].inputs[j].product] else {
          continue
        }
        let schema = mesh.nodes[t].schema
        mesh.nodes[i].inputs[j].columns = cols.map { c in
          schema.first { $0.name == c }?.name ?? schema.first { $0.name.lowercased() == c.lowercased() }?.name ?? c
        }
      }
    }
  }

  /// A resource's `config` as dotted key paths to string values, for dbt's `config.`
  /// selector method (see ``ImportedResource/config``). Iterative; nesting past 32
  /// levels is not followed.
  static func flattenedConfig(_ config: JSONObject?) -> [String: [String]] {
    guard let config else { return [:] }
    var out: [String: [String]] = [:]
    var stack: [(prefix: String, object: JSONObject, depth: Int)] = [("", config, 0)]
    while let (prefix, object, depth) = stack.popLast() {
      for (key, value) in object.entries {
        let path = prefix.isEmpty ? key : prefix + "." + key
        switch value {
        case .string(let s): out[path, default: []].append(s)
        case .bool(let b): out[path, default: []].append(b ? ImportedResource.configTrue : ImportedResource.configFalse)
        case .array(let items):
          for item in items {
            switch item {
            case .string(let s): out[path, default: []].append(s)
            case .bool(let b):
              out[path, default: []].append(b ? ImportedResource.configTrue : ImportedResource.configFalse)
            default: break
            }
          }
          if out[path] == nil { out[path] = [] }
        case .object(let o): if depth < 32 { stack.append((path, o, depth + 1)) }
        case .number, .null: break
        }
      }
    }
    return out
  }

  /// The root project's package: `metadata.project_name`, else the package most
  /// resources belong to (older manifests do not name the project).
  static func rootPackage(_ top: JSONObject) -> String? {
    if let name = top["metadata"]?["project_name"]?.string { return name }
    var counts: [String: Int] = [:]
    for section in ["nodes", "sources"] {
      for (_, r) in top[section]?.object?.entries ?? JSONObject().entries {
        if let p = r["package_name"]?.string { counts[p, default: 0] += 1 }
      }
    }
    return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
  }

  /// `https://schemas.getdbt.com/dbt/manifest/v12.json` -> 12.
  static func schemaVersion(_ url: String) -> Int? {
    guard let r = url.range(of: "manifest/v") else { return nil }
    return Int(url[r.upperBound...].prefix { $0.isNumber })
  }

  static func defaultType(_ section: String) -> String? {
    switch section {
    case "sources": "source"
    case "exposures": "exposure"
    case "metrics": "metric"
    case "semantic_models": "semantic_model"
    case "saved_queries": "saved_query"
    case "unit_tests": "unit_test"
    case "functions": "function"
    default: nil
    }
  }

  /// `config.meta` over `meta`, as strings.
  static func mergedMeta(_ r: JSONObject) -> [String: String] {
    var out: [String: String] = [:]
    for source in [r["meta"]?.object, r["config"]?["meta"]?.object] {
      for (k, v) in source?.entries ?? JSONObject().entries {
        if let s = v.string { out[k] = s } else if let o = v["name"]?.string { out[k] = o }
      }
    }
    return out
  }

  static func versionText(_ v: JSONValue?) -> String? {
    switch v {
    case .string(let s)?: s
    case .number(let n)?: n == n.rounded() ? String(Int(n)) : String(n)
    default: nil
    }
  }

  static func normalizedPath(_ p: String) -> String { p.replacingOccurrences(of: "\\", with: "/") }

  static func stripScheme(_ p: String) -> String {
    guard let r = p.range(of: "://") else { return p }
    return String(p[r.upperBound...])
  }

  /// The manifest's documented columns, with types from the catalog (matched
  /// case-insensitively), followed by the catalog's undocumented columns in order.
  static func columns(_ documented: JSONObject?, catalog: [(name: String, type: String?)]?) -> [Column] {
    var out: [Column] = []
    var index: [String: Int] = [:]
    for (key, c) in documented?.entries ?? JSONObject().entries {
      let name = c["name"]?.string ?? key
      guard index[name.lowercased()] == nil else { continue }
      var col = Column(name: name, type: c["data_type"]?.string)
      col.description = c["description"]?.string.flatMap { $0.isEmpty ? nil : $0 }
      let meta = mergedMeta(c.object ?? JSONObject())
      if let cls = meta["classification"] ?? meta["sensitivity"] { col.classification = cls.lowercased() }
      if (c["tags"]?.strings ?? []).contains(where: { $0.lowercased() == "pii" }) { col.classification = "pii" }
      for constraint in c["constraints"]?.array ?? [] {
        switch constraint["type"]?.string {
        case "not_null": col.nullable = false
        case "primary_key": col.primaryKey = true; col.nullable = false
        default: break
        }
      }
      index[name.lowercased()] = out.count
      out.append(col)
    }
    for c in catalog ?? [] {
      if let i = index[c.name.lowercased()] {
        if out[i].type == nil { out[i].type = c.type }
      } else {
        index[c.name.lowercased()] = out.count
        out.append(Column(name: c.name, type: c.type))
      }
    }
    return out
  }

  /// `catalog.json`: unique id -> columns in table order.
  static func loadCatalog(_ path: String, findings: inout [Finding]) -> [String: [(name: String, type: String?)]] {
    guard let data = FileManager.default.contents(atPath: path) else { return [:] }
    let bytes = [UInt8](data)
    let root: JSONValue
    do {
      root = try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in try JSONParser.parse(p) }
    } catch {
      findings.append(
        Finding(
          rule: "invalid-catalog", severity: .error,
          message: "catalog is not valid JSON: \(error.message)",
          location: SourceLocation(file: path, line: error.line, column: error.column),
          hint: "regenerate it with 'dbt docs generate', or move it away to read the manifest alone"))
      return [:]
    }
    let problems = bytes.withUnsafeBufferPointer { p in
      DBTManifestShape.check(catalog: root).map { problem, path in
        (problem, JSONShape.locate(path, in: p))
      }
    }
    for (problem, at) in problems {
      findings.append(
        Finding(
          rule: problem.rule, severity: .error, message: "catalog: " + problem.message,
          location: SourceLocation(file: path, line: at?.line ?? 1, column: at?.column ?? 1),
          hint: problem.hint ?? "regenerate it with 'dbt docs generate', or move it away to read the manifest alone"))
    }
    var out: [String: [(name: String, type: String?)]] = [:]
    for section in ["nodes", "sources"] {
      for (uid, entry) in root[section]?.object?.entries ?? JSONObject().entries {
        var cols: [(Int, String, String?)] = []
        for (key, c) in entry["columns"]?.object?.entries ?? JSONObject().entries {
          cols.append((Int(c["index"]?.number ?? Double(cols.count)), c["name"]?.string ?? key, c["type"]?.string))
        }
        cols.sort { $0.0 < $1.0 }
        out[uid] = cols.map { ($0.1, $0.2) }
      }
    }
    return out
  }
}

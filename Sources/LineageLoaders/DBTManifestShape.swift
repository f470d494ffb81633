/// The shape of a dbt `manifest.json` and `catalog.json`, as ``DBTManifestImporter``
/// reads them.
///
/// Every field the importer reads must have, when present, the JSON type dbt's schema
/// gives it (`"nodes"` an object of resource objects, `tags` an array of strings,
/// `depends_on.nodes` an array of strings, ...). A problem means the manifest was not
/// read completely: it becomes a load error named by the path of the offending value
/// and located at it. Fields the importer ignores are not checked; `null` counts as
/// absent. Nothing recurses: resources and columns are two fixed levels deep.
enum DBTManifestShape {
  typealias Segment = JSONShape.Segment

  /// The problems of a manifest, each with the path of its value, in document order.
  static func check(manifest top: JSONValue) -> [(JSONShape.Problem, [Segment])] {
    var c = JSONShape.Checker(
      missingRule: "invalid-document",
      missingHint: "dbt writes it in every manifest; regenerate target/manifest.json with 'dbt parse'")
    if let meta = c.get(top, "metadata", [], .object, required: true) {
      let p: [Segment] = [.key("metadata")]
      _ = c.get(meta, "dbt_version", p, .string)
      _ = c.get(meta, "project_name", p, .string)
      _ = c.get(meta, "adapter_type", p, .string)
    }
    for (_, g, p) in c.objects(top, "groups", []) {
      _ = c.get(g, "name", p, .string)
      if let o = c.get(g, "owner", p, .object) {
        _ = c.get(o, "name", p + [.key("owner")], .string)
        _ = c.get(o, "email", p + [.key("owner")], .string)
      }
    }
    for section in DBTManifestImporter.sections {
      for (_, r, p) in c.objects(top, section, []) {
        if section == "nodes" { _ = c.get(r, "resource_type", p, .string, required: true) }
        resource(&c, r, p)
      }
    }
    return c.problems.map { ($0, $0.path ?? []) }
  }

  /// One resource's fields.
  static func resource(_ c: inout JSONShape.Checker, _ r: JSONValue, _ p: [Segment]) {
    for key in [
      "resource_type", "name", "description", "group", "access", "deprecation_date", "url", "maturity",
      "database", "schema", "alias", "identifier", "package_name", "original_file_path", "patch_path",
      "source_name", "column_name", "attached_node", "compiled_code", "compiled_sql", "raw_code",
      "raw_sql", "relation_name",
    ] {
      _ = c.get(r, key, p, .string)
    }
    strings(&c, r, "tags", p)
    strings(&c, r, "fqn", p)
    _ = c.get(r, "meta", p, .object)
    for key in ["version", "latest_version"] {
      if let v = JSONShape.present(r[key]), v.string == nil, v.number == nil {
        c.add(
          "invalid-type", "\(JSONShape.text(p + [.key(key)])) must be a string or a number, got \(v.typeName)", at: p)
      }
    }
    if let o = c.get(r, "owner", p, .object) {
      _ = c.get(o, "name", p + [.key("owner")], .string)
      _ = c.get(o, "email", p + [.key("owner")], .string)
    }
    if let contract = c.get(r, "contract", p, .object) {
      _ = c.get(contract, "enforced", p + [.key("contract")], .bool)
    }
    if let config = c.get(r, "config", p, .object) {
      let cp = p + [.key("config")]
      _ = c.get(config, "enabled", cp, .bool)
      _ = c.get(config, "group", cp, .string)
      _ = c.get(config, "access", cp, .string)
      _ = c.get(config, "materialized", cp, .string)
      _ = c.get(config, "meta", cp, .object)
      if let contract = c.get(config, "contract", cp, .object) {
        _ = c.get(contract, "enforced", cp + [.key("contract")], .bool)
      }
    }
    if let deps = c.get(r, "depends_on", p, .object) { strings(&c, deps, "nodes", p + [.key("depends_on")]) }
    if let tm = c.get(r, "test_metadata", p, .object) {
      _ = c.get(tm, "name", p + [.key("test_metadata")], .string)
      _ = c.get(tm, "namespace", p + [.key("test_metadata")], .string)
      _ = c.get(tm, "kwargs", p + [.key("test_metadata")], .object)
    }
    for (_, col, colp) in c.objects(r, "columns", p) {
      _ = c.get(col, "name", colp, .string)
      _ = c.get(col, "data_type", colp, .string)
      _ = c.get(col, "description", colp, .string)
      _ = c.get(col, "meta", colp, .object)
      strings(&c, col, "tags", colp)
      for (constraint, kp) in c.list(col, "constraints", colp, .object) { _ = c.get(constraint, "type", kp, .string) }
    }
  }

  /// `parent[key]`, when present, is an array of strings.
  static func strings(_ c: inout JSONShape.Checker, _ parent: JSONValue, _ key: String, _ p: [Segment]) {
    _ = c.list(parent, key, p, .string)
  }

  /// The problems of a `catalog.json`, each with the path of its value.
  static func check(catalog root: JSONValue) -> [(JSONShape.Problem, [Segment])] {
    guard root.object != nil else {
      return [
        (JSONShape.Problem(rule: "invalid-type", message: "a dbt catalog is a JSON object, got \(root.typeName)"), [])
      ]
    }
    var c = JSONShape.Checker(missingRule: "invalid-catalog", missingHint: "regenerate it with 'dbt docs generate'")
    for section in ["nodes", "sources"] {
      for (_, entry, p) in c.objects(root, section, []) {
        for (_, col, colp) in c.objects(entry, "columns", p) {
          _ = c.get(col, "name", colp, .string)
          _ = c.get(col, "type", colp, .string)
          if let i = JSONShape.present(col["index"]), i.number == nil {
            c.add(
              "invalid-type", "\(JSONShape.text(colp + [.key("index")])) must be a number, got \(i.typeName)", at: p)
          }
        }
      }
    }
    return c.problems.map { ($0, $0.path ?? []) }
  }
}

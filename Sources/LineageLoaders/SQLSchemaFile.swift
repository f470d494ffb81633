internal import LineageCore
public import LineageSQL

/// The schema file of `lineage sql --schema`: a dbt `catalog.json`, or a JSON object
/// from a table name (dotted as the SQL writes it) to its columns, either a list of
/// names or an object of name to type:
/// `{"shop.orders": ["id", "amount"], "shop.customers": {"id": "int"}}`.
public enum SQLSchemaFile {
  /// Reads a schema file.
  ///
  /// - Parameter path: The file.
  /// - Returns: Every table with its columns in order.
  /// - Throws: ``LoadError`` naming the file, line and column when it cannot be read,
  ///   is not JSON, or has another shape.
  public static func load(path: String) throws(LoadError) -> SQLSchema {
    let file = try MappedFile(path)
    defer { withExtendedLifetime(file) {} }
    let root: JSONValue
    do {
      root = try JSONParser.parse(file.bytes)
    } catch {
      throw LoadError(
        message: "invalid JSON: \(error.message)",
        location: SourceLocation(file: path, line: error.line, column: error.column))
    }
    func shape(_ message: String, _ at: [JSONShape.Segment]) -> LoadError {
      let lc = JSONShape.locate(at, in: file.bytes)
      return LoadError(
        message: message, location: SourceLocation(file: path, line: lc?.line ?? 1, column: lc?.column ?? 1),
        hint:
          "a schema is a dbt catalog.json, or {\"db.table\": [\"column\", ...]} or {\"db.table\": {\"column\": \"type\"}}"
      )
    }
    guard let top = root.object else { throw shape("a schema file is a JSON object, got \(root.typeName)", []) }
    var schema = SQLSchema()
    // A dbt catalog: nodes and sources with metadata and columns.
    if top["metadata"] != nil, top["nodes"]?.object != nil || top["sources"]?.object != nil {
      let problems = DBTManifestShape.check(catalog: root)
      if let (p, at) = problems.first {
        let lc = JSONShape.locate(at, in: file.bytes)
        throw LoadError(
          message: p.message, location: SourceLocation(file: path, line: lc?.line ?? 1, column: lc?.column ?? 1),
          hint: p.hint ?? "regenerate it with 'dbt docs generate'")
      }
      for section in ["nodes", "sources"] {
        for (_, entry) in top[section]?.object?.entries ?? JSONObject().entries {
          let meta = entry["metadata"]
          let parts = [meta?["database"]?.string, meta?["schema"]?.string, meta?["name"]?.string].compactMap { $0 }
          guard !parts.isEmpty else { continue }
          var cols: [(Double, SQLSchema.Column)] = []
          for (key, c) in entry["columns"]?.object?.entries ?? JSONObject().entries {
            cols.append(
              (
                c["index"]?.number ?? Double(cols.count),
                SQLSchema.Column(name: c["name"]?.string ?? key, type: c["type"]?.string)
              ))
          }
          cols.sort { $0.0 < $1.0 }
          schema.addTable(parts, columns: cols.map(\.1))
        }
      }
      return schema
    }
    for (table, value) in top.entries {
      let parts = table.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      guard !parts.contains(where: \.isEmpty) else {
        throw shape("table name \(JSONShape.quoted(table)) has an empty part", [.key(table)])
      }
      switch value {
      case .array(let names):
        var cols: [SQLSchema.Column] = []
        for (i, n) in names.enumerated() {
          guard let s = n.string else {
            throw shape(
              "\(JSONShape.text([.key(table), .index(i)])) must be a string, got \(n.typeName)",
              [.key(table), .index(i)])
          }
          cols.append(SQLSchema.Column(name: s))
        }
        schema.addTable(parts, columns: cols)
      case .object(let o):
        var cols: [SQLSchema.Column] = []
        for (name, type) in o.entries {
          guard type.string != nil || type.isNull else {
            throw shape(
              "\(JSONShape.text([.key(table), .key(name)])) must be a type name, got \(type.typeName)",
              [.key(table), .key(name)])
          }
          cols.append(SQLSchema.Column(name: name, type: type.string))
        }
        schema.addTable(parts, columns: cols)
      default:
        throw shape(
          "\(JSONShape.text([.key(table)])) must be a list of column names or an object of name to type, got \(value.typeName)",
          [.key(table)])
      }
    }
    return schema
  }
}

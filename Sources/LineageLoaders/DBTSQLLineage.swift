import LineageCore
import LineageSQL

/// Column lineage of a dbt project, read from its models' SQL.
///
/// Each model's and snapshot's compiled SQL (or its raw code with the Jinja that
/// lineage needs rendered, see ``DBTJinja``) is parsed in the adapter's dialect, in
/// topological order, against a schema of every relation whose columns are known
/// (documented, in `catalog.json`, or derived from an upstream model's own SQL). The
/// tables it reads are mapped back to node ids by relation name (`database.schema.alias`,
/// compared without case, a unique suffix of it sufficing). Each output column gets its
/// sources as column lineage (`from`), with OpenLineage's transformation types; the
/// statement's join, filter, group-by and sort columns steer every output column, so
/// they are added to each as indirect sources. Each input the SQL reads lists the
/// columns it reads, so impact knows that a reader does not use a dropped column. A
/// model reading itself (`{{ this }}` in an incremental model) is not an edge. A model
/// whose SQL cannot be parsed keeps product-level lineage, with a located `sql-parse`
/// warning.
enum DBTSQLLineage {
  /// One resource's SQL as the importer found it.
  struct Code {
    var uid: String
    var sql: String
    /// True for `compiled_code`/`compiled_sql`; false for rendered raw code.
    var compiled: Bool
    /// Where line numbers point: the compiled file, or the model's own file.
    var file: String
    /// The model's own file as written (its raw code), to point at lines of it.
    var modelText: String?
  }

  /// The lines of the model's own file (`model`) that hold lines `lines` of the SQL
  /// read from it (`sql`, compiled or rendered), 0 where that is not clear: a line
  /// whose text, without surrounding blanks, is on exactly one line of the model's file
  /// is on that line (Jinja moves lines, it rarely rewrites a column's); otherwise, when
  /// both have as many lines, the same line.
  static func modelLines(_ lines: [Int], sql: String, model: String?) -> [Int] {
    guard let model, lines.contains(where: { $0 > 0 }) else { return [] }
    func split(_ s: String) -> [Substring] { s.split(separator: "\n", omittingEmptySubsequences: false) }
    let sqlLines = split(sql)
    let modelLines = split(model)
    var lineOf: [Substring: Int] = [:]
    for (k, l) in modelLines.enumerated() {
      let t = l.trimmingCharacters(in: .whitespaces)
      guard !t.isEmpty else { continue }
      lineOf[Substring(t)] = lineOf[Substring(t)] == nil ? k + 1 : -1
    }
    let sameCount = sqlLines.count == modelLines.count
    return lines.map { line in
      guard line > 0, line <= sqlLines.count else { return 0 }
      let t = sqlLines[line - 1].trimmingCharacters(in: .whitespaces)
      if let k = lineOf[Substring(t)], k > 0 { return k }
      return sameCount ? line : 0
    }
  }

  /// Derives column lineage into `mesh` for every resource in `codes`.
  ///
  /// - Parameters:
  ///   - mesh: The imported mesh; its nodes gain column lineage and the inputs the
  ///     columns they read.
  ///   - codes: Each resource's SQL, by node id.
  ///   - relations: Each node's relation name parts (database, schema, identifier).
  ///   - dialect: The adapter's SQL dialect.
  /// - Returns: The findings: `sql-parse` warnings, and notes of what could not be
  ///   resolved (an unknown schema, an ambiguous column).
  static func derive(mesh: inout Mesh, codes: [String: Code], relations: [String: [String]], dialect: SQLDialect)
    -> [Finding]
  {
    var shapes: [String: SQLShape] = [:]
    return derive(mesh: &mesh, codes: codes, relations: relations, dialect: dialect, shapes: &shapes)
  }

  /// As ``derive(mesh:codes:relations:dialect:)``, and the shape of each resource's SQL
  /// (``SQLShape``, for `diff`) into `shapes`: relations are named by node id (so the
  /// environment's database and schema names do not count), a model reading itself as
  /// `this`; SQL that cannot be parsed gets an unparsed shape with its text's digest.
  static func derive(
    mesh: inout Mesh, codes: [String: Code], relations: [String: [String]], dialect: SQLDialect,
    shapes: inout [String: SQLShape]
  ) -> [Finding] {
    guard !codes.isEmpty else { return [] }
    var index: [String: Int] = [:]
    for (i, n) in mesh.nodes.enumerated() where index[n.id] == nil { index[n.id] = i }
    let resolver = RelationIndex(relations)
    var schema = SQLSchema()
    for (uid, parts) in relations.sorted(by: { $0.key < $1.key }) {
      guard let i = index[uid], !mesh.nodes[i].schema.isEmpty else { continue }
      schema.addTable(parts, columns: mesh.nodes[i].schema.map { SQLSchema.Column(name: $0.name, type: $0.type) })
    }
    var findings: [Finding] = []
    for uid in order(codes: codes, mesh: mesh, index: index) {
      guard let code = codes[uid], let i = index[uid] else { continue }
      let analysis = SQLLineage.analyze(code.sql, dialect: dialect, schema: schema)
      for d in analysis.findings {
        findings.append(
          Finding(
            rule: d.rule, severity: d.rule == "sql-parse" ? .warning : .info,
            message: "\(uid): \(d.message)" + (d.rule == "sql-parse" ? "; it keeps product-level lineage" : ""),
            subjects: [uid], location: SourceLocation(file: code.file, line: d.line, column: d.column),
            hint: d.hint.isEmpty ? nil : d.hint))
      }
      let chosen = analysis.statements.lastIndex(where: { !$0.columns.isEmpty })
      var sqlShape = shape(
        of: code.sql, uid: uid, analysis: analysis, chosen: chosen, dialect: dialect, resolver: resolver)
      // Column lines point into the model's own file, or nowhere.
      sqlShape.columnLines = modelLines(sqlShape.columnLines, sql: code.sql, model: code.modelText)
      shapes[uid] = sqlShape
      guard !analysis.hasParseErrors, let chosen else { continue }
      let statement = analysis.statements[chosen]
      let missing = apply(
        statement, to: &mesh.nodes[i], uid: uid, code: code, resolver: resolver, mesh: mesh,
        index: index)
      // Columns the SQL reads that the upstream node's documented or catalogued columns
      // lack (a Snowflake stage's METADATA$FILENAME, a catalog older than the model):
      // the compiled SQL ran, so they exist; they join the upstream schema, with a note.
      for (u, names) in missing.sorted(by: { $0.key < $1.key }) {
        guard let j = index[u] else { continue }
        for name in names.sorted() where !mesh.nodes[j].schema.contains(where: { $0.name == name }) {
          var column = Column(name: name)
          column.description = "read by the SQL of \(uid); not in the catalog or the documentation"
          mesh.nodes[j].schema.append(column)
          findings.append(
            Finding(
              rule: Finding.Rule.sqlColumnNotInCatalog.rawValue, severity: .info,
              message:
                "\(uid) reads column '\(name)' of \(u), which neither catalog.json nor its documentation lists; it is added to \(u)",
              subjects: [u, uid],
              location: SourceLocation(file: code.file, line: statement.line, column: statement.column),
              hint: "regenerate catalog.json with 'dbt docs generate' if the column is new"))
        }
      }
      if let parts = relations[uid], !mesh.nodes[i].schema.isEmpty {
        schema.addTable(parts, columns: mesh.nodes[i].schema.map { SQLSchema.Column(name: $0.name, type: $0.type) })
      }
    }
    return findings
  }

  /// The shape of one resource's SQL: of the statement its lineage comes from, with
  /// relations named by node id (`this` for the resource itself, the folded name for a
  /// relation that is no node).
  static func shape(
    of sql: String, uid: String, analysis: SQLAnalysis, chosen: Int?, dialect: SQLDialect, resolver: RelationIndex
  ) -> SQLShape {
    let shapes = SQLFingerprint.shapes(sql, dialect: dialect, analysis: analysis) { table in
      guard let u = resolver.node(table) else { return table.map { $0.lowercased() }.joined(separator: ".") }
      return u == uid ? "this" : u
    }
    guard let chosen, chosen < shapes.count, shapes[chosen].parsed else {
      return shapes.first { !$0.parsed } ?? .unparsed(textDigest: SQLShape.digest(sql.utf8))
    }
    return shapes[chosen]
  }

  /// Models after the models they read (Kahn's order over `depends_on`, ties by id);
  /// what a cycle leaves is appended in id order.
  static func order(codes: [String: Code], mesh: Mesh, index: [String: Int]) -> [String] {
    let ids = codes.keys.sorted()
    let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0)) })
    var sources: [Int32] = [], targets: [Int32] = []
    for (k, uid) in ids.enumerated() {
      guard let i = index[uid] else { continue }
      for input in Set(mesh.nodes[i].inputs.map(\.product)) where input != uid {
        guard let u = position[input] else { continue }
        sources.append(u)
        targets.append(Int32(k))
      }
    }
    return CSR(nodeCount: ids.count, sources: sources, targets: targets).localityOrder().map { ids[Int($0)] }
  }

  /// Sets the columns, their lineage and the columns read of each input of one node.
  /// - Returns: For each upstream node with a known schema, the columns read from it
  ///   that its schema lacks.
  static func apply(
    _ s: StatementLineage, to node: inout MeshNode, uid: String, code: Code, resolver: RelationIndex,
    mesh: Mesh, index: [String: Int]
  ) -> [String: Set<String>] {
    let at = SourceLocation(file: code.file, line: s.line, column: s.column)
    let provenance = Provenance(.derived, file: code.file)
    /// The node a table of the SQL is, or nil (a table that is no node, or itself).
    var nodeOf: [[String]: String?] = [:]
    func resolve(_ table: [String]) -> String? {
      if let known = nodeOf[table] { return known }
      var u = resolver.node(table)
      if u == uid { u = nil }
      nodeOf[table] = u
      return u
    }
    /// The column's spelling in the upstream node's schema, compared without case.
    var missing: [String: Set<String>] = [:]
    func spelled(_ column: String, in u: String) -> String {
      guard let j = index[u] else { return column }
      let schema = mesh.nodes[j].schema
      if let c = schema.first(where: { $0.name == column }) { return c.name }
      let lower = column.lowercased()
      if let c = schema.first(where: { $0.name.lowercased() == lower }) { return c.name }
      if !schema.isEmpty { missing[u, default: []].insert(column) }
      return column
    }
    var columnsRead: [String: Set<String>] = [:]
    var unexpanded = false
    func ref(_ src: ColumnSource) -> ColumnRef? {
      guard let u = resolve(src.table) else { return nil }
      let name = spelled(src.column, in: u)
      columnsRead[u, default: []].insert(name)
      return ColumnRef(product: u, column: name, transform: src.transform, masked: src.masking, location: at)
    }
    let shared = s.indirect.compactMap(ref)
    var position: [String: Int] = [:]
    for (k, c) in node.schema.enumerated() where position[c.name.lowercased()] == nil {
      position[c.name.lowercased()] = k
    }
    for out in s.columns {
      if out.isUnexpandedStar {
        unexpanded = true
        continue
      }
      var refs: [ColumnRef] = []
      var seen = Set<String>()
      for r in out.sources.compactMap(ref) + shared {
        let key = r.product + "\u{0}" + r.column + "\u{0}" + r.transform.rawValue
        if seen.insert(key).inserted { refs.append(r) }
      }
      refs.sort { ($0.product, $0.column, $0.transform.rawValue) < ($1.product, $1.column, $1.transform.rawValue) }
      if let k = position[out.name.lowercased()] {
        node.schema[k].from = refs
      } else {
        position[out.name.lowercased()] = node.schema.count
        node.schema.append(Column(name: out.name, from: refs, location: at))
      }
    }
    // Tables the SQL reads that dbt's depends_on does not name (a hard-coded relation).
    var listed = Set(node.inputs.map(\.product))
    for table in s.reads {
      guard let u = resolve(table), listed.insert(u).inserted else { continue }
      var input = Input(product: u, location: at)
      input.provenance = [provenance]
      node.inputs.append(input)
    }
    // Each input the SQL reads lists the columns it reads, unless a star over an
    // unknown schema hides some.
    guard !unexpanded else { return missing }
    let read = Set(s.reads.compactMap(resolve))
    for k in node.inputs.indices where read.contains(node.inputs[k].product) && node.inputs[k].columns == nil {
      node.inputs[k].columns = (columnsRead[node.inputs[k].product] ?? []).sorted()
    }
    return missing
  }
}

/// Relation names to node ids: by the full name without case, else by a unique
/// suffix (`schema.table`, `table`), as SQL may leave the database or schema out.
struct RelationIndex {
  var full: [String: String] = [:]
  var byLast: [String: [(parts: [String], uid: String)]] = [:]

  init(_ relations: [String: [String]]) {
    for (uid, parts) in relations.sorted(by: { $0.key < $1.key }) {
      let lower = parts.map { $0.lowercased() }
      let key = lower.joined(separator: ".")
      if full[key] == nil { full[key] = uid }
      if let last = lower.last { byLast[last, default: []].append((lower, uid)) }
    }
  }

  func node(_ table: [String]) -> String? {
    let lower = table.map { $0.lowercased() }
    if let uid = full[lower.joined(separator: ".")] { return uid }
    guard let last = lower.last, let candidates = byLast[last] else { return nil }
    let hits = candidates.filter { $0.parts.count >= lower.count && Array($0.parts.suffix(lower.count)) == lower }
    let uids = Set(hits.map(\.uid))
    return uids.count == 1 ? uids.first : nil
  }
}

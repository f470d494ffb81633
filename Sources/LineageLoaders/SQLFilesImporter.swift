internal import Foundation
public import LineageCore
public import LineageSQL

/// Reads `.sql` files (a file, or every `.sql` file under a directory) into a mesh:
/// each table or view a statement writes (`CREATE [OR REPLACE] TABLE|VIEW ... AS`,
/// `INSERT INTO ... SELECT`, `MERGE INTO`, `UPDATE ... FROM`) is a node, each table it
/// reads an edge, and each output column carries its sources as column lineage.
///
/// Node ids are the table names as the dialect folds them (`analytics.orders` in
/// DuckDB, `ANALYTICS.ORDERS` in Snowflake), the parts joined by dots. A table that is
/// read but never written is a `table` node of its own, with the columns the SQL reads
/// from it. Statements are analysed twice: once to learn what each writes, then in
/// dependency order against the columns of what came before, so `*` over an upstream
/// view expands. Several statements writing one table add up. A statement that cannot
/// be parsed is a located `sql-parse` warning and adds nothing.
public enum SQLFilesImporter {
  /// The `.sql` files under `path` (itself when it is a file), sorted; hidden
  /// directories and dbt's `target/` are skipped.
  public static func files(at path: String) -> [String] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return [] }
    if !isDir.boolValue { return path.hasSuffix(".sql") ? [path] : [] }
    var out: [String] = []
    guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
    while let rel = walker.nextObject() as? String {
      let name = (rel as NSString).lastPathComponent
      if name.hasPrefix(".") || name == "target" || name == "dbt_packages" {
        walker.skipDescendants()
        continue
      }
      if rel.hasSuffix(".sql") { out.append(path + "/" + rel) }
    }
    return out.sorted()
  }

  /// One statement with lineage, and where it came from.
  struct Unit {
    var file: String
    var text: String
    var statement: Int
  }

  /// Imports the files.
  ///
  /// - Parameters:
  ///   - files: `.sql` files.
  ///   - dialect: Their dialect.
  /// - Returns: The mesh and the findings (`sql-parse` warnings, notes).
  /// - Throws: ``LoadError`` when a file cannot be read.
  public static func load(files: [String], dialect: SQLDialect) throws(LoadError) -> (Mesh, [Finding]) {
    var shapes: [String: SQLShape] = [:]
    return try load(files: files, dialect: dialect, shapes: &shapes)
  }

  /// Imports the files, and the shape of the SQL that writes each table or view
  /// (``SQLShape``, by node id) into `shapes`. Several statements writing one table
  /// give one shape: a column's fingerprint digests every statement's expression for
  /// it, and each clause kind every statement's clauses.
  ///
  /// - Parameters:
  ///   - files: `.sql` files.
  ///   - dialect: Their dialect.
  ///   - shapes: Receives the shapes.
  /// - Returns: The mesh and the findings (`sql-parse` warnings, notes).
  /// - Throws: ``LoadError`` when a file cannot be read.
  public static func load(files: [String], dialect: SQLDialect, shapes: inout [String: SQLShape]) throws(LoadError)
    -> (Mesh, [Finding])
  {
    var texts: [(file: String, text: String)] = []
    var unreadable: [Finding] = []
    for f in files {
      let m = try MappedFile(f)
      // A file that is not UTF-8 is not read at all: a load error, never a guess.
      if let bad = invalidUTF8(m.bytes, file: f, severity: .error) {
        unreadable.append(bad)
        continue
      }
      texts.append((f, String(decoding: m.bytes, as: UTF8.self)))
    }
    func id(_ parts: [String]) -> String { parts.joined(separator: ".") }
    // Pass 1: what each file's statements write and read. A name read is matched to
    // a table written the way the second pass will match it (SQLSchema: without case,
    // a unique suffix sufficing), so the order does not depend on the files' names.
    var written = SQLSchema()
    var readParts: [[[String]]] = []
    var writtenBy: [(target: [String], file: Int)] = []
    for (i, t) in texts.enumerated() {
      let a = SQLLineage.analyze(t.text, dialect: dialect)
      var r: [[String]] = []
      for s in a.statements {
        guard let target = s.target else { continue }
        written.addTable(target, columns: [])
        writtenBy.append((target, i))
        r += s.reads
      }
      readParts.append(r)
    }
    var writers: [String: [Int]] = [:]
    func canonical(_ parts: [String]) -> String {
      if case .found(let t) = written.lookup(parts) { return id(t.parts) }
      return id(parts)
    }
    for (target, i) in writtenBy { writers[canonical(target), default: []].append(i) }
    let reads = readParts.map { $0.map(canonical) }
    // Files in dependency order (a cycle leaves the rest in path order).
    var sources: [Int32] = [], targets: [Int32] = []
    for (i, r) in reads.enumerated() {
      for w in Set(r.flatMap { writers[$0] ?? [] }) where w != i {
        sources.append(Int32(w))
        targets.append(Int32(i))
      }
    }
    let queue = CSR(nodeCount: texts.count, sources: sources, targets: targets).localityOrder().map { Int($0) }
    // Pass 2: lineage against the columns of what was written before.
    var schema = SQLSchema()
    var nodes: [String: MeshNode] = [:]
    var order: [String] = []
    var findings = unreadable
    func node(_ key: String, kind: NodeKind, file: String) -> String {
      if nodes[key] == nil {
        var n = MeshNode(id: key, kind: kind)
        n.provenance = [Provenance(.derived, file: file)]
        nodes[key] = n
        order.append(key)
      } else if kind != "table", nodes[key]?.kind == "table" {
        nodes[key]?.kind = kind
      }
      return key
    }
    for i in queue {
      let (file, text) = texts[i]
      let a = SQLLineage.analyze(text, dialect: dialect, schema: schema)
      for d in a.findings {
        findings.append(
          Finding(
            rule: d.rule, severity: d.rule == "sql-parse" ? .warning : .info,
            message: d.message + (d.rule == "sql-parse" ? "; the statement adds no lineage" : ""),
            location: SourceLocation(file: file, line: d.line, column: d.column),
            hint: d.hint.isEmpty ? nil : d.hint))
      }
      let fingerprints = SQLFingerprint.shapes(text, dialect: dialect, analysis: a) { parts in
        parts.map { $0.lowercased() }.joined(separator: ".")
      }
      for (k, s) in a.statements.enumerated() {
        guard let target = s.target else { continue }
        let shapeKey = id(target)
        if k < fingerprints.count, fingerprints[k].parsed {
          shapes[shapeKey] = shapes[shapeKey].map { combined($0, fingerprints[k]) } ?? fingerprints[k]
        } else {
          // Part of the file could not be parsed: what the table computes is not known.
          shapes[shapeKey] = .unparsed(textDigest: SQLShape.digest(text.utf8))
        }
        let at = SourceLocation(file: file, line: s.line, column: s.column)
        let key = node(id(target), kind: s.kind == .createView ? "view" : "table", file: file)
        // The target is changed as a copy and stored back at the end; the tables it
        // reads are other entries (a statement reading its own target is no edge).
        guard var written = nodes[key] else { continue }
        if written.location == nil { written.location = at }
        if written.fieldLocations["sql"] == nil {
          written.fieldLocations["sql"] = SourceLocation(file: file, line: 1, column: 1)
        }
        var columnsRead: [String: Set<String>] = [:]
        func ref(_ src: ColumnSource) -> ColumnRef? {
          let u = id(src.table)
          guard u != key else { return nil }  // MERGE and UPDATE read their own target
          columnsRead[u, default: []].insert(src.column)
          return ColumnRef(product: u, column: src.column, transform: src.transform, masked: src.masking, location: at)
        }
        let shared = s.indirect.compactMap(ref)
        var unexpanded = false
        for out in s.columns {
          if out.isUnexpandedStar {
            unexpanded = true
            continue
          }
          let refs = out.sources.compactMap(ref) + shared
          if let k = written.schema.firstIndex(where: { $0.name.lowercased() == out.name.lowercased() }) {
            for r in refs where !written.schema[k].from.contains(r) { written.schema[k].from.append(r) }
          } else {
            written.schema.append(Column(name: out.name, from: refs, location: at))
          }
        }
        for table in s.reads {
          let u = id(table)
          guard u != key else { continue }
          _ = node(u, kind: "table", file: file)
          // A table only read gets the columns the SQL reads from it.
          if writers[u] == nil, var read = nodes[u] {
            for c in (columnsRead[u] ?? []).sorted() where !read.schema.contains(where: { $0.name == c }) {
              read.schema.append(Column(name: c))
            }
            nodes[u] = read
          }
          if let k = written.inputs.firstIndex(where: { $0.product == u }) {
            if unexpanded {
              written.inputs[k].columns = nil
            } else if let had = written.inputs[k].columns {
              written.inputs[k].columns = Array(Set(had).union(columnsRead[u] ?? [])).sorted()
            }
          } else {
            var input = Input(product: u, columns: unexpanded ? nil : (columnsRead[u] ?? []).sorted(), location: at)
            input.provenance = [Provenance(.derived, file: file)]
            written.inputs.append(input)
          }
        }
        nodes[key] = written
        schema.addTable(target, columns: written.schema.map { SQLSchema.Column(name: $0.name, type: $0.type) })
      }
    }
    var mesh = Mesh(name: files.count == 1 ? (files[0] as NSString).lastPathComponent : "sql")
    mesh.nodes = order.compactMap { nodes[$0] }
    if mesh.nodes.isEmpty {
      findings.append(
        Finding(
          rule: "empty-input", severity: .warning,
          message: "no statement writes a table or view (CREATE ... AS, INSERT INTO ... SELECT, MERGE, UPDATE)",
          location: files.first.map { SourceLocation(file: $0) }))
    }
    return (mesh, findings)
  }

  /// One shape of two statements writing the same table: columns by name (case
  /// ignored), each fingerprint digesting both; each clause kind digesting both.
  static func combined(_ a: SQLShape, _ b: SQLShape) -> SQLShape {
    func mix(_ x: UInt64, _ y: UInt64) -> UInt64 {
      var bytes: [UInt8] = []
      for v in [x, y] { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
      return SQLShape.digest(bytes)
    }
    var out = a
    for c in b.columns {
      if let k = out.columns.firstIndex(where: { $0.name.lowercased() == c.name.lowercased() }) {
        out.columns[k].fingerprint = mix(out.columns[k].fingerprint, c.fingerprint)
      } else {
        out.columns.append(c)
      }
    }
    for (clause, f) in b.clauses { out.clauses[clause] = out.clauses[clause].map { mix($0, f) } ?? f }
    out.textDigest = mix(a.textDigest, b.textDigest)
    // Several statements write the table: where a column is defined is not one line.
    out.columnLines = []
    return out
  }
}

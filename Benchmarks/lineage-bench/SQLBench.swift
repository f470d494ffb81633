import ArgumentParser
import Foundation
import LineageCore
import LineageSQL

/// The SQL front end (`LineageSQL`) on the compiled SQL of the corpus's dbt manifests,
/// with each project's catalog.json as the schema, and on a generated 10 MB input of
/// CTE-heavy statements whose output columns and sources are known. Every answer is
/// checked; `--dump` writes our column lineage per model for the cross-check with the
/// peers (Benchmarks/sql/peers_sql.py).
struct SQLBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sql",
    abstract: "Column lineage of the corpus's compiled dbt SQL and of a generated 10 MB input; answers checked.")

  @Option(help: "The shared corpus (its dbt_* projects); a project that is absent is skipped.")
  var corpus = "../shared/corpus"
  @Option(help: "Runs over each manifest's models; the median counts.") var repeats = 21
  @Option(help: "Runs over the generated input; the median counts.") var generatedRepeats = 5
  @Option(help: "Size of the generated input in MB (0: skip it).") var generatedMb = 10
  @Option(help: "Where the generated input is written (and read back, timed).") var dataDir = "/tmp/lineage-bench-data"
  @Option(help: "Write our column lineage per model as JSON to this file.") var dump: String?
  @Option(
    help: "Print the lineage of the SQL in this file (with --dialect and --catalog) and stop; for reproducing a case.")
  var explain: String?
  @Option(help: "The dialect of --explain.") var dialect = "snowflake"
  @Option(help: "A catalog.json used as the schema of --explain.") var catalog: String?

  /// The dbt projects of the corpus: manifest (catalog.json beside it) and the key of
  /// the compiled SQL in that manifest version.
  static let projects: [(folder: String, manifest: String, sqlKey: String)] = [
    ("dbt_jaffle_shop_classic", "target/manifest.json", "compiled_code"),
    ("dbt_flipside_ethereum_models_2022", "docs/manifest.json", "compiled_sql"),
    ("dbt_flipside_crosschain_models_2022", "docs/manifest.json", "compiled_sql"),
  ]

  struct Model {
    var id: String
    var sql: String
  }

  func run() throws {
    if let explain {
      let schema = try catalog.map { try Self.schema(catalogPath: $0) } ?? SQLSchema()
      let a = SQLLineage.analyze(
        try String(contentsOfFile: explain, encoding: .utf8),
        dialect: SQLDialect(adapterType: dialect) ?? .generic, schema: schema)
      for s in a.statements {
        print("\(s.kind.rawValue) \((s.target ?? []).joined(separator: ".")) at \(s.line):\(s.column)")
        for c in s.columns { print("  \(c.name) <- \(c.sources.map(\.description).joined(separator: ", "))") }
        if !s.indirect.isEmpty { print("  (statement) <- \(s.indirect.map(\.description).joined(separator: ", "))") }
      }
      for f in a.findings { print(f) }
      return
    }
    var failed = false
    var dumped: [[String: Any]] = []

    for p in Self.projects {
      let folder = corpus + "/" + p.folder
      let manifestPath = folder + "/" + p.manifest
      guard FileManager.default.fileExists(atPath: manifestPath) else {
        FileHandle.standardError.write(Data("skipped: \(manifestPath) is absent\n".utf8))
        continue
      }
      let catalogPath = URL(fileURLWithPath: manifestPath).deletingLastPathComponent().appendingPathComponent(
        "catalog.json"
      ).path
      let manifest =
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any]
        ?? [:]
      let adapter = (manifest["metadata"] as? [String: Any])?["adapter_type"] as? String ?? "generic"
      let dialect = SQLDialect(adapterType: adapter) ?? .generic
      var models: [Model] = []
      for (id, value) in manifest["nodes"] as? [String: Any] ?? [:] {
        guard let node = value as? [String: Any], let kind = node["resource_type"] as? String,
          kind == "model" || kind == "snapshot"
        else { continue }
        let sql = node[p.sqlKey] as? String ?? node["compiled_code"] as? String ?? node["compiled_sql"] as? String ?? ""
        models.append(Model(id: id, sql: sql))
      }
      models.sort { $0.id < $1.id }
      let schema = try Self.schema(catalogPath: catalogPath)

      // Untimed warm-up, then the median of `repeats` passes over every model.
      var results = models.map { SQLLineage.analyze($0.sql, dialect: dialect, schema: schema) }
      let (seconds, last) = median(repeats) {
        models.map { SQLLineage.analyze($0.sql, dialect: dialect, schema: schema) }
      }
      results = last
      let bytes = models.reduce(0) { $0 + $1.sql.utf8.count }

      // Checks: every model has a statement with output columns; parse errors counted.
      var withColumns = 0, parseErrors = 0, modelsWithParseErrors = 0, outputColumns = 0, unexpandedStars = 0
      var emptySQL = 0
      for (m, a) in zip(models, results) {
        if m.sql.isEmpty { emptySQL += 1 }
        if a.statements.contains(where: { !$0.columns.isEmpty }) {
          withColumns += 1
        } else {
          FileHandle.standardError.write(Data("  no output columns: \(m.id)\n".utf8))
        }
        let errs = a.findings.filter { $0.rule == "sql-parse" }
        parseErrors += errs.count
        if !errs.isEmpty {
          modelsWithParseErrors += 1
          for e in errs.prefix(3) { FileHandle.standardError.write(Data("  parse error: \(m.id): \(e)\n".utf8)) }
        }
        if let s = Self.mainStatement(a) {
          outputColumns += s.columns.count
          unexpandedStars += s.columns.filter(\.isUnexpandedStar).count
        }
        if dump != nil { dumped.append(Self.dumpEntry(project: p.folder, model: m, dialect: dialect, analysis: a)) }
      }
      let ok = withColumns == models.count && parseErrors == 0
      if !ok { failed = true }
      let perModelMs = models.isEmpty ? 0 : seconds * 1000 / Double(models.count)
      report(
        "sql \(p.folder)", size: models.count, seconds: seconds,
        check:
          "\(withColumns)/\(models.count) models with columns, \(parseErrors) parse errors in \(modelsWithParseErrors) models, "
          + "\(outputColumns) output columns, \(unexpandedStars) unexpanded stars", ok: ok,
        extra: [
          "ms_per_model": String(format: "%.4f", perModelMs), "bytes": String(bytes), "dialect": dialect.rawValue,
          "catalog_tables": String(schema.count), "parse_errors": String(parseErrors),
          "models_with_columns": String(withColumns), "output_columns": String(outputColumns),
          "unexpanded_stars": String(unexpandedStars), "project": p.folder,
        ])
    }

    if let dump {
      let data = try JSONSerialization.data(withJSONObject: ["tool": "ours", "models": dumped], options: [.sortedKeys])
      try data.write(to: URL(fileURLWithPath: dump))
    }

    if generatedMb > 0 && !runGenerated() { failed = true }
    if failed { throw ExitCode(1) }
  }

  /// The schema of a catalog.json: its nodes and sources, named by the catalog's
  /// metadata (database, schema, name), columns in `index` order.
  static func schema(catalogPath: String) throws -> SQLSchema {
    var schema = SQLSchema()
    guard FileManager.default.fileExists(atPath: catalogPath) else { return schema }
    let catalog =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: catalogPath))) as? [String: Any]
      ?? [:]
    for section in ["nodes", "sources"] {
      for (_, value) in (catalog[section] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
        guard let entry = value as? [String: Any], let meta = entry["metadata"] as? [String: Any],
          let name = meta["name"] as? String
        else { continue }
        let parts = [meta["database"] as? String, meta["schema"] as? String, name].compactMap { $0 }
        let cols = (entry["columns"] as? [String: Any] ?? [:]).values.compactMap { $0 as? [String: Any] }
          .sorted { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }
          .compactMap { c -> SQLSchema.Column? in
            guard let n = c["name"] as? String else { return nil }
            return SQLSchema.Column(name: n, type: c["type"] as? String)
          }
        schema.addTable(parts, columns: cols)
      }
    }
    return schema
  }

  /// The statement that defines the model: the last one with output columns.
  static func mainStatement(_ a: SQLAnalysis) -> StatementLineage? {
    a.statements.last(where: { !$0.columns.isEmpty }) ?? a.statements.last
  }

  /// One model's lineage in the cross-check's shape: per output column, its direct
  /// sources (`table.column`, identity/transformation/aggregation) and every source
  /// with its transform.
  static func dumpEntry(project: String, model: Model, dialect: SQLDialect, analysis a: SQLAnalysis) -> [String: Any] {
    var columns: [[String: Any]] = []
    if let s = mainStatement(a) {
      for c in s.columns {
        let direct = Set(
          c.sources.filter { !$0.transform.isIndirect }.map { ($0.table + [$0.column]).joined(separator: ".") })
        let all = Set(
          c.sources.map {
            ($0.table + [$0.column]).joined(separator: ".") + ":" + $0.transform.rawValue
              + ($0.masking ? ":masked" : "")
          })
        columns.append([
          "name": c.name, "direct": direct.sorted(), "transforms": all.sorted(), "star": c.isUnexpandedStar,
        ])
      }
    }
    return [
      "project": project, "model": model.id, "dialect": dialect.rawValue, "columns": columns,
      "statements": a.statements.count,
      "parse_errors": a.findings.filter { $0.rule == "sql-parse" }.map(\.description),
      "warnings": a.findings.filter { $0.rule != "sql-parse" }.map(\.description),
    ]
  }

  // MARK: - The generated input

  /// A deterministic text of CTE-heavy statements over `tables` source tables, with the
  /// expected output columns (name and direct sources) of every statement.
  struct Generated {
    var text: String
    var expected: [[(name: String, sources: Set<String>)]]
    var schema: SQLSchema
  }

  static func generate(bytes target: Int) -> Generated {
    let tables = 64, width = 10
    var schema = SQLSchema()
    func col(_ t: Int, _ j: Int) -> String { "v\(t)_\(j)" }
    func src(_ t: Int, _ j: Int) -> String { "RAW.SRC.T\(t).V\(t)_\(j)" }
    for t in 0..<tables {
      schema.addTable(["RAW", "SRC", "T\(t)"], columnNames: ["ID"] + (0..<width).map { "V\(t)_\($0)" })
    }
    var rng = BenchRNG(state: 7)
    var text = ""
    text.reserveCapacity(target + 4096)
    var expected: [[(name: String, sources: Set<String>)]] = []
    var i = 0
    while text.utf8.count < target {
      let a = Int.random(in: 0..<tables, using: &rng)
      var b = Int.random(in: 0..<tables, using: &rng)
      if b == a { b = (a + 1) % tables }
      let j = Int.random(in: 0..<(width - 4), using: &rng)
      let idA = "RAW.SRC.T\(a).ID"
      switch i % 3 {
      case 0:
        // Star through a CTE, a join, an aggregate, CASE, and a CTE read twice.
        text += """
          create table mart.out_\(i) as
          with base as (
            select * from raw.src.t\(a)
          ), enriched as (
            select b.id, b.\(col(a, j)) + b.\(col(a, j + 1)) as s01, upper(b.\(col(a, j + 2))) as up2, o.\(col(b, j + 3)) as other3
            from base as b join raw.src.t\(b) as o on b.id = o.id
            where o.\(col(b, 0)) > 0
          ), agg as (
            select id, sum(s01) as total, max(other3) as mx, count(*) as n
            from enriched group by id
          )
          select a.id, a.total, a.mx, a.n, e.up2,
            case when a.total > 10 then e.s01 else 0 end as flag
          from agg as a join enriched as e on a.id = e.id;

          """
        let s01: Set = [src(a, j), src(a, j + 1)]
        expected.append([
          ("id", [idA]), ("total", s01), ("mx", [src(b, j + 3)]), ("n", []), ("up2", [src(a, j + 2)]),
          ("flag", s01),
        ])
      case 1:
        // Nested CTEs, a subquery in FROM, UNION ALL branches, coalesce.
        text += """
          with l as (
            select id, \(col(a, j)) as x, \(col(a, j + 1)) as y from raw.src.t\(a)
          ), r as (
            select id, \(col(b, j)) as x, \(col(b, j + 2)) as y from raw.src.t\(b)
          ), u as (
            select id, x, y from l
            union all
            select id, x, y from r
          )
          select q.id, q.x, coalesce(q.y, q.x) as yx, q.x * 2 as x2
          from (select id, x, y from u where id is not null) as q;

          """
        let x: Set = [src(a, j), src(b, j)], y: Set = [src(a, j + 1), src(b, j + 2)]
        expected.append([("id", [idA, "RAW.SRC.T\(b).ID"]), ("x", x), ("yx", x.union(y)), ("x2", x)])
      default:
        // A chain of five CTEs, each renaming and combining the previous one's columns.
        var body =
          "insert into mart.out_\(i)\nwith c0 as (select id, \(col(a, 0)) as p, \(col(a, 1)) as q, \(col(a, 2)) as r from raw.src.t\(a))"
        for k in 1..<5 {
          body += ",\nc\(k) as (select id, p + q as p, q, r || '\(k)' as r from c\(k - 1))"
        }
        body +=
          "\nselect c4.id, c4.p, c4.q, c4.r, t.\(col(b, j)) as w from c4 left join raw.src.t\(b) as t on t.id = c4.id;\n\n"
        text += body
        expected.append([
          ("id", [idA]), ("p", [src(a, 0), src(a, 1)]), ("q", [src(a, 1)]), ("r", [src(a, 2)]),
          ("w", [src(b, j)]),
        ])
      }
      i += 1
    }
    return Generated(text: text, expected: expected, schema: schema)
  }

  func runGenerated() -> Bool {
    let gen = Self.generate(bytes: generatedMb * 1_000_000)
    let path = dataDir + "/sql-\(generatedMb)mb.sql"
    try? FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
    do { try Data(gen.text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
      FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
      return false
    }
    // End to end: the file's bytes from disk (cached) to every statement's lineage.
    let (seconds, analysis) = median(generatedRepeats) { () -> SQLAnalysis in
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      return SQLLineage.analyze(text, dialect: .snowflake, schema: gen.schema)
    }
    // The read alone, to tell it from the analysis in the report.
    let (readSeconds, _) = median(generatedRepeats) {
      (try? String(contentsOfFile: path, encoding: .utf8))?.utf8.count ?? 0
    }
    var wrongStatements = 0, wrongColumns = 0, shown = 0
    let statements = analysis.statements
    for (k, want) in gen.expected.enumerated() {
      guard k < statements.count else { wrongStatements += 1; continue }
      let got = statements[k].columns
      var bad = got.count != want.count
      for (c, w) in zip(got, want) {
        let direct = Set(
          c.sources.filter { !$0.transform.isIndirect }.map { ($0.table + [$0.column]).joined(separator: ".") })
        if c.name.lowercased() != w.name || direct != w.sources {
          bad = true
          wrongColumns += 1
          if shown < 5 {
            shown += 1
            FileHandle.standardError.write(
              Data(
                "  generated statement \(k) column \(c.name): \(direct.sorted()) (expected \(w.name): \(w.sources.sorted()))\n"
                  .utf8))
          }
        }
      }
      if bad { wrongStatements += 1 }
    }
    let parseErrors = analysis.findings.filter { $0.rule == "sql-parse" }.count
    let ok = statements.count == gen.expected.count && wrongStatements == 0 && parseErrors == 0
    let columns = gen.expected.reduce(0) { $0 + $1.count }
    report(
      "sql generated \(generatedMb) MB", size: gen.expected.count, seconds: seconds,
      check:
        "\(statements.count)/\(gen.expected.count) statements, \(wrongStatements) wrong (\(wrongColumns) columns of \(columns)), "
        + "\(parseErrors) parse errors", ok: ok,
      extra: [
        "bytes": String(gen.text.utf8.count), "target_seconds": "1.0", "target_met": String(seconds < 1.0),
        "read_seconds": String(format: "%.6f", readSeconds), "columns": String(columns),
        "mb_per_second": String(format: "%.2f", Double(gen.text.utf8.count) / 1e6 / max(seconds, 1e-9)),
      ])
    return ok
  }
}

import Foundation
import Testing

/// SQL through the real binary: `lineage sql` prints a statement set's column lineage
/// (text, and the JSON of PRODUCT.md), a directory of `.sql` files is a mesh every
/// command answers from, `import sql` writes a mesh that loads back, and a dbt
/// project's compiled SQL gives column-precise impact.
@Suite struct SQLCommandTests {
  static let sample = CLI.root + "/samples/sql"

  func tempDir() throws -> String {
    let dir = NSTemporaryDirectory() + "lineage-sql-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func sqlCommandJSON() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(
      "select o.customer_id, sum(o.amount) as order_total from shop.orders o join shop.customers c on c.id = o.customer_id where c.active group by 1"
        .utf8
    ).write(to: URL(fileURLWithPath: dir + "/q.sql"))
    try Data(
      #"{"shop.orders": ["id", "customer_id", "amount"], "shop.customers": {"id": "int", "active": "boolean"}}"#.utf8
    )
    .write(to: URL(fileURLWithPath: dir + "/schema.json"))
    let r = try CLI.run(
      ["sql", "q.sql", "--dialect", "snowflake", "--schema", "schema.json", "--format", "json"], cwd: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let json = try CLI.json(r.stdout)
    #expect(json["command"] as? String == "sql" && json["dialect"] as? String == "snowflake")
    let statements = try #require(json["statements"] as? [[String: Any]])
    let columns = try #require(statements.first?["columns"] as? [[String: Any]])
    #expect(columns.compactMap { $0["name"] as? String }.map { $0.lowercased() } == ["customer_id", "order_total"])
    let total = try #require(columns[1]["sources"] as? [[String: Any]])
    #expect(total.count == 1)
    #expect(
      (total[0]["table"] as? String)?.lowercased() == "shop.orders"
        && (total[0]["column"] as? String)?.lowercased() == "amount")
    #expect(total[0]["type"] as? String == "DIRECT" && total[0]["subtype"] as? String == "AGGREGATION")
    #expect(total[0]["masking"] as? Bool == false)
    let indirect = (statements[0]["indirect"] as? [[String: Any]] ?? []).compactMap { $0["subtype"] as? String }
    #expect(Set(indirect) == ["JOIN", "FILTER", "GROUP_BY"])
    #expect((json["findings"] as? [Any])?.isEmpty == true)
  }

  @Test func sqlCommandErrors() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data("select a from t;\nselect (b from u;\n".utf8).write(to: URL(fileURLWithPath: dir + "/bad.sql"))
    let bad = try CLI.run(["sql", "bad.sql"], cwd: dir)
    #expect(bad.status == 1, "\(bad.stdout)")
    #expect(bad.stdout.contains("bad.sql:2:"), "\(bad.stdout)")
    #expect(bad.stdout.contains("[sql-parse]"), "\(bad.stdout)")
    let dialect = try CLI.run(["sql", "bad.sql", "--dialect", "oracle"], cwd: dir)
    #expect(dialect.status == 2)
    let missing = try CLI.run(["sql", "nope.sql"], cwd: dir)
    #expect(missing.status == 2 && missing.stderr.contains("nope.sql"), "\(missing.stderr)")
    try Data(#"{"t": 5}"#.utf8).write(to: URL(fileURLWithPath: dir + "/schema.json"))
    let schema = try CLI.run(["sql", "bad.sql", "--schema", "schema.json"], cwd: dir)
    #expect(schema.status == 2 && schema.stderr.contains("schema.json:1:7"), "\(schema.stderr)")
    // Standard input.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = ["sql", "-", "--format", "json"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    input.fileHandleForWriting.write(Data("select x as y from t".utf8))
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    #expect(String(decoding: out, as: UTF8.self).contains(#""name": "y""#))
  }

  /// Bad SQL inputs: a file that is not UTF-8 stops `sql`, a SQL mesh and `import sql`
  /// (exit 2, file:line:column, no directory written); bad schema files are located.
  @Test func badSQLInputsAreLocatedErrors() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/sql", withIntermediateDirectories: true)
    try Data("create view v as select a from t;\n".utf8).write(to: URL(fileURLWithPath: dir + "/sql/a.sql"))
    try Data(Array("create view w as\nselect x".utf8) + [0xFF, 0xFE] + Array(" from t".utf8))
      .write(to: URL(fileURLWithPath: dir + "/sql/b.sql"))
    let sql = try CLI.run(["sql", "sql/b.sql"], cwd: dir)
    #expect(sql.status == 2 && sql.stdout.isEmpty, "\(sql.stdout)")
    #expect(sql.stderr.contains("sql/b.sql:2:9") && sql.stderr.contains("not valid UTF-8"), "\(sql.stderr)")
    let mesh = try CLI.run(["select", "*", "--mesh", "sql"], cwd: dir)
    #expect(mesh.status == 2 && mesh.stderr.contains("sql/b.sql:2:9"), "\(mesh.stderr)")
    let imp = try CLI.run(["import", "sql", "sql", "-o", "out"], cwd: dir)
    #expect(imp.status == 2 && !FileManager.default.fileExists(atPath: dir + "/out"), "\(imp.stderr)")
    for (body, message) in [
      ("{\"a\": ", "invalid JSON"),
      ("[1]", "a schema file is a JSON object, got an array"),
      (#"{"a..b": ["x"]}"#, "table name 'a..b' has an empty part"),
      (#"{"a": ["x", 2]}"#, "a[1] must be a string, got a number"),
      (#"{"metadata": {}, "nodes": {"model.p.a": {"columns": {"x": {"type": 1}}}}}"#, "must be a string, got a number"),
    ] {
      try Data(body.utf8).write(to: URL(fileURLWithPath: dir + "/schema.json"))
      let r = try CLI.run(["sql", "sql/a.sql", "--schema", "schema.json"], cwd: dir)
      #expect(
        r.status == 2 && r.stderr.contains("schema.json:1:") && r.stderr.contains(message), "\(body): \(r.stderr)")
    }
  }

  /// A name read is matched to the table written the same way whatever the files are
  /// called: `orders` finds `analytics.orders` written by a file that sorts after it.
  @Test func fileNamesDoNotChangeTheGraph() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (reader, writer) in [("a.sql", "b.sql"), ("z.sql", "b.sql")] {
      let d = dir + "/" + reader
      try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
      try Data("create view rep as select * from orders;".utf8).write(to: URL(fileURLWithPath: d + "/" + reader))
      try Data("create table analytics.orders as select 1 as id, 2 as amt;".utf8).write(
        to: URL(fileURLWithPath: d + "/" + writer))
      let r = try CLI.run(["upstream", "rep.amt", "--mesh", d, "--format", "json"])
      let ids = (try CLI.json(r.stdout)["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      #expect(ids == ["analytics.orders", "analytics.orders.amt", "rep.amt"], "\(reader): \(ids) \(r.stderr)")
    }
  }

  /// samples/sql: every command answers from a directory of .sql files.
  @Test func sqlFilesAreAMesh() throws {
    let impact = try CLI.run([
      "impact", "raw.customers.email", "--change", "drop", "--mesh", Self.sample, "--dialect", "duckdb",
      "--format", "json",
    ])
    #expect(impact.status == 1, "\(impact.stderr)")
    let affected = (try CLI.json(impact.stdout)["affected"] as? [[String: Any]] ?? [])
    #expect(
      affected.compactMap { $0["id"] as? String } == ["crm.contact_export", "marts.customers", "staging.stg_customers"])
    #expect(affected.allSatisfy { $0["verdict"] as? String == "breaks" })
    // revenue depends on amount, order_date (group by) and status (filter), not on customers.
    let up = try CLI.run([
      "upstream", "finance.revenue_by_month.revenue", "--mesh", Self.sample, "--dialect", "duckdb",
      "--format", "json",
    ])
    #expect(up.status == 0, "\(up.stderr)")
    let ids = Set((try CLI.json(up.stdout)["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    #expect(
      ids.isSuperset(of: [
        "marts.orders.amount", "marts.orders.order_date", "marts.orders.status", "raw.payments.amount",
      ]))
    #expect(!ids.contains("marts.orders.customer_id") && !ids.contains("raw.customers"))
    // Dropping a column nobody reads breaks nothing: readers list the columns they read.
    let unused = try CLI.run([
      "impact", "raw.customers.last_name", "--change", "drop", "--mesh", Self.sample, "--dialect", "duckdb",
    ])
    #expect(unused.status == 1, "\(unused.stdout)")  // marts.customers copies it
    let nothing = try CLI.run([
      "impact", "marts.customers.first_order", "--change", "drop", "--mesh", Self.sample, "--dialect", "duckdb",
    ])
    #expect(nothing.status == 0, "\(nothing.stdout)")
  }

  @Test func importSQLLoadsBack() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let imp = try CLI.run(["import", "sql", Self.sample, "-o", dir + "/mesh", "--dialect", "duckdb"])
    #expect(imp.status == 0, "\(imp.stderr)")
    let a = try CLI.run([
      "downstream", "raw.customers.email", "--mesh", Self.sample, "--dialect", "duckdb", "--format", "json",
    ])
    let b = try CLI.run(["downstream", "raw.customers.email", "--mesh", dir + "/mesh", "--format", "json"])
    func ids(_ s: String) throws -> [String] {
      (try CLI.json(s)["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
    #expect(try ids(a.stdout) == ids(b.stdout))
    #expect(try ids(a.stdout).count > 5)
  }

  /// jaffle_shop's compiled SQL: dropping stg_customers.customer_id names the columns
  /// and tests that break, and no reader "without declaring which columns" is left.
  @Test(
    .enabled(
      if: FileManager.default.fileExists(
        atPath: CLI.root + "/../shared/corpus/dbt_jaffle_shop_classic/target/manifest.json"),
      "../shared/corpus is absent"))
  func dbtImpactIsColumnPrecise() throws {
    let manifest = CLI.root + "/../shared/corpus/dbt_jaffle_shop_classic/target/manifest.json"
    let r = try CLI.run([
      "impact", "model.jaffle_shop.stg_customers.customer_id", "--change", "drop", "--mesh", manifest,
    ])
    #expect(r.status == 1)
    #expect(!r.stdout.contains("without declaring which columns"), "\(r.stdout)")
    #expect(
      r.stdout.contains(
        "customer_id: derived (identity of model.jaffle_shop.stg_customers.customer_id), which is gone"), "\(r.stdout)")
    // A column no model reads: only its own tests break.
    let name = try CLI.run([
      "impact", "model.jaffle_shop.stg_payments.payment_method", "--change", "drop", "--mesh", manifest,
      "--format", "json",
    ])
    let affected = (try CLI.json(name.stdout)["affected"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(affected.contains("model.jaffle_shop.orders"), "\(affected)")  // pivoted into *_amount columns
  }
}

import LineageCore
import Testing

@testable import LineageSQL

func tokenize(_ sql: String, _ dialect: SQLDialect) -> (
  kinds: [TokenKind], texts: [String], errors: [LexError], tokens: [Token]
) {
  var copy = sql
  return copy.withUTF8 { buf in
    var t = Tokenizer(bytes: buf, dialect: dialect)
    t.run()
    let texts = t.tokens.map {
      String(decoding: UnsafeBufferPointer(rebasing: buf[Int($0.start)..<Int($0.end)]), as: UTF8.self)
    }
    return (t.tokens.map(\.kind), texts, t.errors, t.tokens)
  }
}

@Suite struct DialectTests {
  @Test func adapterTypes() {
    #expect(SQLDialect(adapterType: "snowflake") == .snowflake)
    #expect(SQLDialect(adapterType: "BigQuery") == .bigquery)
    #expect(SQLDialect(adapterType: "spark") == .databricks)
    #expect(SQLDialect(adapterType: "databricks") == .databricks)
    #expect(SQLDialect(adapterType: "athena") == .trino)
    #expect(SQLDialect(adapterType: "trino") == .trino)
    #expect(SQLDialect(adapterType: "postgres") == .postgres)
    #expect(SQLDialect(adapterType: "redshift") == .redshift)
    #expect(SQLDialect(adapterType: "duckdb") == .duckdb)
    #expect(SQLDialect(adapterType: "oracle") == nil)
  }

  @Test func identifierQuoting() {
    let pg = tokenize("select \"a\"\"b\" from `x`", .postgres)
    #expect(pg.kinds.prefix(2) == [.ident, .quotedIdent])
    #expect(pg.kinds.contains(.op))  // a backtick is no quote in PostgreSQL
    let bq = tokenize("select `a b`, \"str\" from t", .bigquery)
    #expect(bq.kinds.prefix(4) == [.ident, .quotedIdent, .comma, .string])
    let dbx = tokenize("select `a`, \"s\"", .databricks)
    #expect(dbx.kinds.prefix(4) == [.ident, .quotedIdent, .comma, .string])
  }

  @Test func stringsPerDialect() {
    // Backslash escapes: Snowflake yes, PostgreSQL standard strings no.
    #expect(tokenize(#"select 'it\'s'"#, .snowflake).errors.isEmpty)
    #expect(!tokenize(#"select 'it\'s'"#, .postgres).errors.isEmpty)
    #expect(tokenize(#"select E'it\'s'"#, .postgres).kinds.prefix(2) == [.ident, .string])
    #expect(tokenize("select 'it''s'", .trino).kinds.prefix(2) == [.ident, .string])
    // Dollar quoting.
    let sf = tokenize("select $$ a 'b' ; $$ as x", .snowflake)
    #expect(sf.kinds.prefix(3) == [.ident, .string, .ident])
    let pg = tokenize("select $fn$ body; $fn$", .postgres)
    #expect(pg.kinds.prefix(2) == [.ident, .string])
    #expect(tokenize("select $1", .postgres).kinds.prefix(2) == [.ident, .param])
    // BigQuery raw, bytes and triple-quoted strings.
    let bq = tokenize(#"select r'\d+', b"x", '''multi 'line' ''', """x""" "#, .bigquery)
    #expect(bq.kinds.filter { $0 == .string }.count == 4)
    #expect(bq.errors.isEmpty)
  }

  @Test func comments() {
    #expect(tokenize("select 1 -- x\n, 2", .generic).kinds == [.ident, .number, .comma, .number, .eof])
    #expect(tokenize("select /* a /* b */ c */ 1", .postgres).kinds == [.ident, .number, .eof])
    #expect(tokenize("select /* a /* b */ 1", .snowflake).kinds == [.ident, .number, .eof])
    #expect(tokenize("select 1 # c\n", .bigquery).kinds == [.ident, .number, .eof])
    #expect(tokenize("select 1 // c\n", .snowflake).kinds == [.ident, .number, .eof])
    #expect(tokenize("select a #> b", .postgres).kinds == [.ident, .ident, .hashArrow, .ident, .eof])
  }

  @Test func keywordsAreRecognisedWithoutRegardToCase() {
    let t = tokenize("SeLeCt x FROM y", .generic)
    #expect(t.tokens[0].keyword == .select && t.tokens[2].keyword == .from && t.tokens[1].keyword == .none)
    let q = tokenize("\"select\"", .generic)
    #expect(q.tokens[0].keyword == .none)
  }

  @Test func locationsCountScalars() {
    let t = tokenize("select 'é', ü\n  x", .generic)
    #expect(t.tokens.map(\.column) == [1, 8, 11, 13, 3, 4])
    #expect(t.tokens.map(\.line) == [1, 1, 1, 1, 2, 2])
  }

  @Test func caseFolding() {
    let sf = SQLLineage.analyze("select Amount, \"Mixed\" from Db.Sch.Orders", dialect: .snowflake)
    #expect(sf.statements[0].reads == [["DB", "SCH", "ORDERS"]])
    #expect(sources(sf, "Amount") == ["DB.SCH.ORDERS.AMOUNT:identity"])
    #expect(sources(sf, "Mixed") == ["DB.SCH.ORDERS.Mixed:identity"])
    let pg = SQLLineage.analyze("select Amount from Sch.Orders", dialect: .postgres)
    #expect(pg.statements[0].reads == [["sch", "orders"]])
    #expect(sources(pg, "Amount") == ["sch.orders.amount:identity"])
    for d in [SQLDialect.bigquery, .databricks, .duckdb, .trino, .redshift] {
      let a = SQLLineage.analyze("select Amount from Sch.Orders", dialect: d)
      #expect(sources(a, "Amount") == ["sch.orders.amount:identity"], "\(d)")
    }
  }

  @Test func schemaLookupBySuffixAndCase() {
    var s = SQLSchema()
    s.addTable(["DB", "PUBLIC", "ORDERS"], columnNames: ["ID", "AMOUNT"])
    s.addTable(["DB", "OTHER", "ORDERS"], columnNames: ["ID"])
    s.addTable(["DB", "PUBLIC", "ITEMS"], columnNames: ["ID", "ORDER_ID"])
    if case .found(let t) = s.lookup(["items"]) {
      #expect(t.parts == ["DB", "PUBLIC", "ITEMS"])
    } else {
      Issue.record("items")
    }
    if case .found(let t) = s.lookup(["public", "orders"]) {
      #expect(t.columns.count == 2)
    } else {
      Issue.record("public.orders")
    }
    #expect(s.lookup(["orders"]) == .ambiguous([["DB", "PUBLIC", "ORDERS"], ["DB", "OTHER", "ORDERS"]]))
    #expect(s.lookup(["nope"]) == .none)
    let a = SQLLineage.analyze("select * from public.orders", dialect: .snowflake, schema: s)
    #expect(a.statements[0].columns.map(\.name) == ["ID", "AMOUNT"])
    #expect(sources(a, "AMOUNT") == ["DB.PUBLIC.ORDERS.AMOUNT:identity"])
    let b = SQLLineage.analyze("select id from orders", dialect: .snowflake, schema: s)
    #expect(b.findings.map(\.rule) == ["sql-unknown-schema"])
  }

  @Test func quotedNamesAreCaseSensitiveWhereTheDialectSaysSo() {
    var s = SQLSchema()
    s.addTable(["DB", "S", "T"], columnNames: ["ID", "Mixed"])
    let a = SQLLineage.analyze(
      "select \"Mixed\" as m1, mixed as m2, \"ID\" as i1, \"id\" as i2 from db.s.t", dialect: .snowflake, schema: s)
    #expect(sources(a, "m1") == ["DB.S.T.Mixed:identity"])
    #expect(sources(a, "m2") == ["DB.S.T.Mixed:identity"])
    #expect(sources(a, "i1") == ["DB.S.T.ID:identity"])
    #expect(sources(a, "i2") == [])
    #expect(a.findings.map(\.rule) == ["sql-unresolved-column"])
    #expect(a.findings.first?.column == 48)
    // A quoted alias keeps its spelling for the outer query.
    let b = SQLLineage.analyze(
      "select \"Total\" from (select sum(id) as \"Total\" from db.s.t) q", dialect: .snowflake, schema: s)
    #expect(sources(b, "Total") == ["DB.S.T.ID:aggregation"])
    let c = SQLLineage.analyze(
      "select \"TOTAL\" from (select sum(id) as total from db.s.t) q", dialect: .snowflake, schema: s)
    #expect(sources(c, "TOTAL") == ["DB.S.T.ID:aggregation"])
    // BigQuery: quoting does not change how names compare.
    var g = SQLSchema()
    g.addTable(["p", "d", "t"], columnNames: ["Amount"])
    let d = SQLLineage.analyze("select `amount` from p.d.t", dialect: .bigquery, schema: g)
    #expect(sources(d, "amount") == ["p.d.t.Amount:identity"])
  }

  @Test func lateralAliasRulesFollowTheDialect() {
    // BigQuery and PostgreSQL have no lateral column aliases: `twice` is a column of t.
    let bq = SQLLineage.analyze("select a * 2 as twice, twice + 1 as more from t", dialect: .bigquery)
    #expect(sources(bq, "more") == ["t.twice:transformation"])
    let sf = SQLLineage.analyze("select a * 2 as twice, twice + 1 as more from t", dialect: .snowflake)
    #expect(sources(sf, "more") == ["T.A:transformation"])
  }
}

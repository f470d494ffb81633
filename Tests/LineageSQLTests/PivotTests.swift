import LineageCore
import Testing

@testable import LineageSQL

/// PIVOT and UNPIVOT: the grouping columns pass through, each IN value becomes a column
/// named as the dialect names it, aggregating the aggregate's sources steered by the FOR
/// column; UNPIVOT folds its IN columns into one value column.
@Suite struct PivotTests {
  static func salesSchema() -> SQLSchema {
    var s = SQLSchema()
    s.addTable(["db", "sales"], columnNames: ["empid", "amount", "month", "region"])
    return s
  }

  static func run(_ sql: String, _ dialect: SQLDialect) -> SQLAnalysis {
    SQLLineage.analyze(sql, dialect: dialect, schema: salesSchema())
  }

  static func names(_ a: SQLAnalysis, statement: Int = 0) -> [String] {
    a.statements.indices.contains(statement) ? a.statements[statement].columns.map(\.name) : []
  }

  @Test(arguments: [
    (SQLDialect.snowflake, ["empid", "region", "'JAN'", "feb"]),
    (.bigquery, ["empid", "region", "JAN", "feb"]),
    (.duckdb, ["empid", "region", "JAN", "feb"]),
    (.databricks, ["empid", "region", "JAN", "feb"]),
  ])
  func pivotedColumnsAreNamedAsEachDialectNamesThem(_ dialect: SQLDialect, _ expected: [String]) {
    let a = Self.run("select * from db.sales pivot (sum(amount) for month in ('JAN', 'FEB' as feb)) as p", dialect)
    #expect(Self.names(a) == expected)
    #expect(sources(a, "empid") == ["db.sales.empid:identity"])
    #expect(sources(a, expected[2]) == ["db.sales.amount:aggregation", "db.sales.month:conditional"])
    #expect(indirect(a) == ["db.sales.empid:group_by", "db.sales.region:group_by"])
    #expect(a.findings.isEmpty, "\(a.findings)")
  }

  @Test func severalAggregatesGiveAColumnPerValueAndAggregate() {
    let sql = "select * from db.sales pivot (sum(amount) as total, count(empid) as n for month in ('JAN', 'FEB')) p"
    #expect(Self.names(Self.run(sql, .duckdb)) == ["region", "JAN_total", "JAN_n", "FEB_total", "FEB_n"])
    #expect(Self.names(Self.run(sql, .bigquery)) == ["region", "total_JAN", "n_JAN", "total_FEB", "n_FEB"])
    let a = Self.run(sql, .duckdb)
    #expect(sources(a, "JAN_n") == ["db.sales.empid:aggregation", "db.sales.month:conditional"])
  }

  @Test func columnAliasesRenameThePivotsColumnsAndQualifiedNamesResolve() {
    let a = Self.run(
      "select p.e, p.j from db.sales pivot (sum(amount) for month in ('JAN', 'FEB')) as p (e, r, j, f)", .snowflake)
    #expect(Self.names(a) == ["e", "j"])
    #expect(sources(a, "j") == ["db.sales.amount:aggregation", "db.sales.month:conditional"])
    #expect(a.findings.isEmpty, "\(a.findings)")
  }

  @Test func aPivotOverATableOfUnknownColumnsKeepsWhatIsCertain() {
    let a = SQLLineage.analyze(
      "select region, p.jan from sales pivot (sum(amount) for month in ('JAN' as jan)) p", dialect: .snowflake)
    #expect(sources(a, "region") == ["SALES.REGION:identity"])
    #expect(sources(a, "jan") == ["SALES.AMOUNT:aggregation", "SALES.MONTH:conditional"])
  }

  @Test func valuesChosenAtRunTimeAreSaidNotGuessed() {
    for sql in [
      "select * from db.sales pivot (sum(amount) for month in (any order by month)) p",
      "select * from db.sales pivot (sum(amount) for month in (select distinct month from db.months)) p",
    ] {
      let a = Self.run(sql, .snowflake)
      #expect(Self.names(a) == ["empid", "region", "*"], "\(sql)")
      #expect(a.statements.first?.columns.last?.isUnexpandedStar == true)
      #expect(rules(a) == ["sql-unknown-schema"], "\(a.findings)")
    }
    let sub = Self.run(
      "select * from db.sales pivot (sum(amount) for month in (select distinct month from db.months)) p", .snowflake)
    #expect(sub.statements.first?.reads.map { $0.joined(separator: ".") } == ["DB.MONTHS", "db.sales"])
  }

  @Test func unpivotFoldsItsColumnsIntoOne() {
    var schema = SQLSchema()
    schema.addTable(["db", "wide"], columnNames: ["empid", "jan", "feb", "mar"])
    let a = SQLLineage.analyze(
      "select * from db.wide unpivot (amount for month in (jan, feb as 'February', mar))", dialect: .snowflake,
      schema: schema)
    #expect(Self.names(a) == ["empid", "month", "amount"])
    #expect(sources(a, "month") == [])
    #expect(sources(a, "amount") == ["db.wide.feb:identity", "db.wide.jan:identity", "db.wide.mar:identity"])
    // Tuples: two value columns, each fed by its position.
    let t = SQLLineage.analyze(
      "select * from db.wide unpivot ((x, y) for k in ((jan, feb) as a, (mar, empid) as b))", dialect: .databricks,
      schema: schema)
    #expect(Self.names(t) == ["k", "x", "y"])
    #expect(sources(t, "x") == ["db.wide.jan:identity", "db.wide.mar:identity"])
    #expect(sources(t, "y") == ["db.wide.empid:identity", "db.wide.feb:identity"])
  }

  @Test func duckdbsPivotAndUnpivotStatements() {
    var schema = SQLSchema()
    schema.addTable(["db", "cities"], columnNames: ["country", "name", "year", "population"])
    let a = SQLLineage.analyze(
      """
      pivot db.cities on year in (2000, 2010) using sum(population) group by country;
      select country, "2000_total" from (pivot db.cities on year in (2000) using sum(population) as total);
      unpivot db.cities on population, year into name col value v;
      create table x as pivot db.cities on year using sum(population);
      """, dialect: .duckdb, schema: schema)
    #expect(Self.names(a, statement: 0) == ["country", "2000", "2010"])
    #expect(sources(a, "2010") == ["db.cities.population:aggregation", "db.cities.year:conditional"])
    #expect(indirect(a) == ["db.cities.country:group_by"])
    #expect(Self.names(a, statement: 1) == ["country", "2000_total"])
    #expect(
      sources(a, "2000_total", statement: 1) == ["db.cities.population:aggregation", "db.cities.year:conditional"])
    #expect(Self.names(a, statement: 2) == ["country", "name", "col", "v"])
    #expect(sources(a, "v", statement: 2) == ["db.cities.population:identity", "db.cities.year:identity"])
    #expect(Self.names(a, statement: 3) == ["country", "name", "*"])
    #expect(rules(a) == ["sql-unknown-schema"], "\(a.findings)")
  }

  @Test func aChangedAggregateChangesThePivotedColumnsOnly() {
    let shape = { (sql: String) in SQLFingerprintTests.shape(sql, .snowflake) }
    let one = shape("select * from sales pivot (sum(amount) for month in ('JAN', 'FEB')) as p")
    let two = shape("SELECT *\nFROM sales PIVOT (SUM(amount) FOR month IN ('JAN', 'FEB')) AS p -- same")
    let changed = shape("select * from sales pivot (max(amount) for month in ('JAN', 'FEB')) as p")
    #expect(SQLFingerprintTests.same(one, two))
    #expect(!SQLFingerprintTests.same(one, changed))
  }
}

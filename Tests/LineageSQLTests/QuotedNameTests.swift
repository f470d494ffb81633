import LineageCore
import Testing

@testable import LineageSQL

/// In Snowflake and PostgreSQL a quoted name that differs from its folded form matches
/// only that exact spelling, on every path: schema columns, CTE and subquery columns,
/// SELECT-list aliases, ORDER BY of a set operation (docs/sql-crosscheck.md, bug 5).
@Suite struct QuotedNameTests {
  func hours() -> SQLSchema {
    var s = SQLSchema()
    s.addTable(["DB", "S", "HOURS"], columnNames: ["HOUR", "TS"])
    return s
  }

  @Test func schemaColumns() {
    let a = SQLLineage.analyze(
      "select \"HOUR\" as a, \"hour\" as b, hour as c from db.s.hours", dialect: .snowflake, schema: hours())
    #expect(sources(a, "a") == ["DB.S.HOURS.HOUR:identity"])
    #expect(sources(a, "b") == [])
    #expect(sources(a, "c") == ["DB.S.HOURS.HOUR:identity"])
    #expect(rules(a) == ["sql-unresolved-column"])
  }

  @Test func cteAndDerivedColumns() {
    let a = SQLLineage.analyze(
      """
      with c as (select hour, ts as "ts" from db.s.hours)
      select "hour" as a, "HOUR" as b, "ts" as t, d."tz" as e, d."Tz" as f from c, (select ts as "Tz" from db.s.hours) d
      """, dialect: .snowflake, schema: hours())
    #expect(sources(a, "a") == [])
    #expect(sources(a, "b") == ["DB.S.HOURS.HOUR:identity"])
    #expect(sources(a, "t") == ["DB.S.HOURS.TS:identity"])
    #expect(sources(a, "e") == [])
    #expect(sources(a, "f") == ["DB.S.HOURS.TS:identity"])
  }

  @Test func selectListAliases() {
    // Lateral aliases (Snowflake): unquoted alias v is stored V; "v" names another column.
    let a = SQLLineage.analyze(
      "select ts as v, \"v\" as a, v as b, ts as \"w\", \"w\" as c from db.s.hours",
      dialect: .snowflake, schema: hours())
    #expect(sources(a, "a") == [])
    #expect(sources(a, "b") == ["DB.S.HOURS.TS:identity"])
    #expect(sources(a, "c") == ["DB.S.HOURS.TS:identity"])
    // Alias in ORDER BY (PostgreSQL): "Total" is not the alias total.
    var s = SQLSchema()
    s.addTable(["db", "s", "t"], columnNames: ["x", "y"])
    let p = SQLLineage.analyze("select x as total from db.s.t order by \"Total\"", dialect: .postgres, schema: s)
    #expect(indirect(p) == [])
    let q = SQLLineage.analyze("select x as \"Total\" from db.s.t order by \"Total\"", dialect: .postgres, schema: s)
    #expect(indirect(q) == ["db.s.t.x:sort"])
    // ORDER BY over a set operation names its output columns.
    let u = SQLLineage.analyze(
      "select x as \"Total\" from db.s.t union select y from db.s.t order by \"TOTAL\"",
      dialect: .postgres, schema: s)
    #expect(indirect(u) == [])
  }
}

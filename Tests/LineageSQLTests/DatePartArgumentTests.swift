import LineageCore
import Testing

@testable import LineageSQL

/// Only the unit argument of a date function may be a bare date-part keyword; a column
/// spelled like one (`hour`) elsewhere is a column (docs/sql-crosscheck.md, bug 1).
@Suite struct DatePartArgumentTests {
  func hours() -> SQLSchema {
    var s = SQLSchema()
    s.addTable(["DB", "S", "HOURS"], columnNames: ["HOUR", "TS"])
    return s
  }

  @Test func valueArgumentsNamedLikeDatePartsAreColumns() {
    let a = SQLLineage.analyze(
      """
      select date_trunc('day', hour) as d, dateadd('minute', -1, hour) as m, date_part('epoch', hour) as e,
             dateadd(hour, 1, ts) as u, datediff(day, hour, ts) as dd, date_trunc(hour, ts) as t
      from db.s.hours
      """, dialect: .snowflake, schema: hours())
    for c in ["d", "m", "e"] { #expect(sources(a, c) == ["DB.S.HOURS.HOUR:transformation"]) }
    #expect(sources(a, "u") == ["DB.S.HOURS.TS:transformation"])
    #expect(sources(a, "dd") == ["DB.S.HOURS.HOUR:transformation", "DB.S.HOURS.TS:transformation"])
    // Snowflake's DATE_TRUNC takes a keyword unit: HOUR is the unit although a column.
    #expect(sources(a, "t") == ["DB.S.HOURS.TS:transformation"])
    #expect(a.findings.isEmpty)
  }

  @Test func bigQueryUnitIsLast() {
    var s = SQLSchema()
    s.addTable(["p", "d", "hours"], columnNames: ["hour", "ts"])
    let a = SQLLineage.analyze(
      """
      select date_trunc(ts, hour) as t, date_trunc(hour, day) as h, timestamp_diff(hour, ts, minute) as x
      from p.d.hours
      """, dialect: .bigquery, schema: s)
    #expect(sources(a, "t") == ["p.d.hours.ts:transformation"])
    #expect(sources(a, "h") == ["p.d.hours.hour:transformation"])
    #expect(sources(a, "x") == ["p.d.hours.hour:transformation", "p.d.hours.ts:transformation"])
  }

  @Test func postgresTextUnitIsAColumnWhenOneIsInScope() {
    var s = SQLSchema()
    s.addTable(["db", "s", "t"], columnNames: ["hour", "ts"])
    s.addTable(["db", "s", "u"], columnNames: ["ts"])
    let a = SQLLineage.analyze("select date_trunc(hour, ts) as c from db.s.t", dialect: .postgres, schema: s)
    #expect(sources(a, "c") == ["db.s.t.hour:transformation", "db.s.t.ts:transformation"])
    let b = SQLLineage.analyze("select date_trunc(hour, ts) as c from db.s.u", dialect: .postgres, schema: s)
    #expect(sources(b, "c") == ["db.s.u.ts:transformation"])
    #expect(b.findings.isEmpty)
  }
}

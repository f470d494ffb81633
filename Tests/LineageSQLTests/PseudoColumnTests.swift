import LineageCore
import Testing
@testable import LineageSQL

/// Snowflake METADATA$ pseudo-columns (bug 3) and niladic functions such as
/// CURRENT_TIMESTAMP (bug 4) of docs/sql-crosscheck.md.
@Suite struct PseudoColumnTests {
  func ab() -> SQLSchema {
    var s = SQLSchema()
    s.addTable(["DB", "S", "A"], columnNames: ["X"])
    s.addTable(["DB", "S", "B"], columnNames: ["Y"])
    s.addTable(["DB", "S", "WITH_NOW"], columnNames: ["CURRENT_DATE", "X"])
    return s
  }

  @Test func niladicFunctionsAreNotColumns() {
    let names = ["current_date", "current_timestamp", "current_time", "localtimestamp", "localtime", "current_user",
                 "session_user", "current_role", "current_schema", "current_database", "sysdate"]
    for d in [SQLDialect.snowflake, .postgres, .redshift, .duckdb] {
      for known in ["db.s.a", "db.s.unknown_t"] {
        let a = SQLLineage.analyze("select \(names.map { "\($0) as v_\($0)" }.joined(separator: ", ")), x from \(known)",
                                   dialect: d, schema: ab())
        for n in names { #expect(a.statements[0].columns.first { $0.name == "v_\(n)" }?.sources == [], "\(d) \(n)") }
        #expect(a.findings.isEmpty, "\(d) \(known)")
      }
    }
  }

  @Test func aRealColumnOfThatNameFollowsTheDialect() {
    let sf = SQLLineage.analyze("select current_date as d, \"CURRENT_DATE\" as q from db.s.with_now", dialect: .snowflake, schema: ab())
    #expect(sources(sf, "d") == [])
    #expect(sources(sf, "q") == ["DB.S.WITH_NOW.CURRENT_DATE:identity"])
    let rs = SQLLineage.analyze("select current_date as d from db.s.with_now", dialect: .redshift, schema: ab())
    #expect(sources(rs, "d") == ["DB.S.WITH_NOW.CURRENT_DATE:identity"])
  }
}

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

  @Test func metadataColumnsBelongToTheStagedTable() {
    let a = SQLLineage.analyze(
      """
      select metadata$filename as f, split_part(metadata$filename, '/', 5) as p, metadata$file_row_number as r,
             t.metadata$file_last_modified as m, x
      from db.s.a t
      """, dialect: .snowflake, schema: ab())
    #expect(sources(a, "f") == ["DB.S.A.METADATA$FILENAME:identity"])
    #expect(sources(a, "p") == ["DB.S.A.METADATA$FILENAME:transformation"])
    #expect(sources(a, "r") == ["DB.S.A.METADATA$FILE_ROW_NUMBER:identity"])
    #expect(sources(a, "m") == ["DB.S.A.METADATA$FILE_LAST_MODIFIED:identity"])
    #expect(a.findings.isEmpty)
    let u = SQLLineage.analyze("select metadata$filename as f from db.s.unknown_t", dialect: .snowflake, schema: ab())
    #expect(sources(u, "f") == ["DB.S.UNKNOWN_T.METADATA$FILENAME:identity"])
    let two = SQLLineage.analyze("select metadata$filename as f from db.s.a, db.s.b", dialect: .snowflake, schema: ab())
    #expect(sources(two, "f") == [])
    #expect(rules(two) == ["sql-ambiguous-column"])
  }

  @Test func niladicFunctionsAreNotColumns() {
    let names = [
      "current_date", "current_timestamp", "current_time", "localtimestamp", "localtime", "current_user",
      "session_user", "current_role", "current_schema", "current_database", "sysdate",
    ]
    for d in [SQLDialect.snowflake, .postgres, .redshift, .duckdb] {
      for known in ["db.s.a", "db.s.unknown_t"] {
        let a = SQLLineage.analyze(
          "select \(names.map { "\($0) as v_\($0)" }.joined(separator: ", ")), x from \(known)",
          dialect: d, schema: ab())
        for n in names { #expect(a.statements[0].columns.first { $0.name == "v_\(n)" }?.sources == [], "\(d) \(n)") }
        #expect(a.findings.isEmpty, "\(d) \(known)")
      }
    }
  }

  @Test func aRealColumnOfThatNameFollowsTheDialect() {
    let sf = SQLLineage.analyze(
      "select current_date as d, \"CURRENT_DATE\" as q from db.s.with_now", dialect: .snowflake, schema: ab())
    #expect(sources(sf, "d") == [])
    #expect(sources(sf, "q") == ["DB.S.WITH_NOW.CURRENT_DATE:identity"])
    let rs = SQLLineage.analyze("select current_date as d from db.s.with_now", dialect: .redshift, schema: ab())
    #expect(sources(rs, "d") == ["DB.S.WITH_NOW.CURRENT_DATE:identity"])
  }
}

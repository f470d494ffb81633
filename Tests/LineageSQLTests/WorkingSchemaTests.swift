import LineageCore
import Testing

@testable import LineageSQL

/// A statement sees the tables that earlier statements of the same text created
/// (docs/sql-crosscheck.md, bug 6).
@Suite struct WorkingSchemaTests {
  @Test func starOverATableCreatedEarlier() {
    var schema = SQLSchema()
    schema.addTable(["DB", "S", "SRC"], columnNames: ["X", "Y", "Z"])
    let a = SQLLineage.analyze(
      """
      create table a.t as select x, y + 1 as "y2" from db.s.src;
      create table a.u as select * from a.t;
      select t.y2 as b, "y2" as c, y2 as d from a.t
      """, dialect: .snowflake, schema: schema)
    #expect(a.statements[1].columns.map(\.name) == ["X", "y2"])
    #expect(sources(a, "X", statement: 1) == ["A.T.X:identity"])
    #expect(sources(a, "y2", statement: 1) == ["A.T.y2:identity"])
    #expect(a.statements[1].columns.allSatisfy { !$0.isUnexpandedStar })
    #expect(sources(a, "c", statement: 2) == ["A.T.y2:identity"])
    // An unquoted reference matches without regard to case (docs/sql.md).
    #expect(sources(a, "d", statement: 2) == ["A.T.y2:identity"])
    #expect(schema.count == 1)
  }

  @Test func insertIntoAnUnknownTableAndCreateOverAStar() {
    var schema = SQLSchema()
    schema.addTable(["db", "s", "src"], columnNames: ["x", "y"])
    let a = SQLLineage.analyze(
      """
      insert into a.t (p, q) select x, y from db.s.src;
      create view a.v as select * from unknown_t;
      select * from a.t;
      select * from a.v
      """, dialect: .duckdb, schema: schema)
    #expect(a.statements[2].columns.map(\.name) == ["p", "q"])
    #expect(sources(a, "q", statement: 2) == ["a.t.q:identity"])
    // The view's columns are not known (an unexpanded star): its star stays unexpanded.
    #expect(a.statements[3].columns.map(\.isUnexpandedStar) == [true])
  }

  @Test func replacingATableOfTheSchema() {
    var schema = SQLSchema()
    schema.addTable(["db", "s", "t"], columnNames: ["old"])
    let a = SQLLineage.analyze(
      """
      select * from db.s.t;
      create or replace table db.s.t as select 1 as n, 2 as m;
      select * from db.s.t
      """, dialect: .duckdb, schema: schema)
    #expect(a.statements[0].columns.map(\.name) == ["old"])
    #expect(a.statements[2].columns.map(\.name) == ["n", "m"])
    #expect(sources(a, "m", statement: 2) == ["db.s.t.m:identity"])
  }
}

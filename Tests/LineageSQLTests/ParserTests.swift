import LineageCore
import Testing

@testable import LineageSQL

/// Constructs the parser must read without a parse error (lineage checked elsewhere).
@Suite struct ParserTests {
  static let accepted: [(SQLDialect, String)] = [
    (.generic, "select distinct on (a) a, b from t order by a, b desc nulls last limit 10 offset 5"),
    (.generic, "select top 10 percent a from t"),
    (.generic, "select a from t fetch first 5 rows only"),
    (.generic, "select a from t order by a offset 10 rows fetch next 5 rows with ties"),
    (
      .snowflake,
      "select a from t1 inner join t2 on t1.x = t2.x left outer join t3 using (x) right join t4 on true full outer join t5 on true cross join t6 natural join t7"
    ),
    (.snowflake, "select * from t1, t2, lateral (select * from t3 where t3.a = t1.a) s"),
    (.duckdb, "select * from t1 asof join t2 on t1.ts >= t2.ts"),
    (.snowflake, "select * from t1 asof join t2 match_condition (t1.ts >= t2.ts) on t1.id = t2.id"),
    (.databricks, "select * from t1 left semi join t2 on t1.a = t2.a left anti join t3 on true"),
    (.generic, "select a from t union select a from u intersect select a from v except all select a from w"),
    (.snowflake, "select a from t minus select a from u"),
    (.duckdb, "select a from t union all by name select a from u"),
    (.generic, "select a, b, sum(c) from t group by rollup (a, b)"),
    (.generic, "select a, b, sum(c) from t group by cube (a, b), grouping sets ((a), (b), ())"),
    (.snowflake, "select a, sum(c) from t group by all having sum(c) > 0 qualify row_number() over (order by a) = 1"),
    (
      .generic,
      "select sum(x) over w, avg(x) over (w rows between unbounded preceding and current row) from t window w as (partition by a order by b)"
    ),
    (.generic, "select count(*) filter (where a > 1), percentile_cont(0.5) within group (order by x) from t"),
    (.generic, "select case a when 1 then 'x' when 2 then 'y' else 'z' end, case when a then b end from t"),
    (.snowflake, "select a::number(38, 0), cast(a as varchar(10)), try_cast(a as int), a::timestamp_ntz from t"),
    (.bigquery, "select safe_cast(a as int64), cast(a as array<struct<x int64, y string>>) from t"),
    (.postgres, "select a::double precision, a::timestamp with time zone, a::int[] from t"),
    (
      .generic,
      "select a in (1, 2), a not in (select b from u), exists (select 1), a = any (select b from u), a > all (select b from u) from t"
    ),
    (.generic, "select a is distinct from b, a is not distinct from b, a is null, a is not true, a isnull from t"),
    (
      .generic,
      "select a between 1 and 2, a not between b and c, a like 'x%' escape '!', a not ilike 'y', a similar to 'z' from t"
    ),
    (.databricks, "select a rlike 'x', a regexp 'y' from t"),
    (.snowflake, "select a like any ('x%', 'y%') from t"),
    (.generic, "select interval '1 day', interval '1' day, date '2020-01-01', timestamp '2020-01-01 00:00' from t"),
    (.bigquery, "select interval 1 day, date_add(d, interval 3 month) from t"),
    (.duckdb, "select list_transform(l, x -> x + 1), list_filter(l, (a, b) -> a > b) from t"),
    (.snowflake, "select v:a.b[0]::string, v:\"Quoted Key\", v['k'], t.v:a from t"),
    (.bigquery, "select a.b.c, arr[offset(0)], arr[safe_offset(1)], arr[ordinal(1)] from t"),
    (.postgres, "select j -> 'a', j ->> 'b', j #> '{a,b}', j #>> '{a}', j @> '{}' from t"),
    (.snowflake, "select * exclude (a, b) rename (c as d) from t"),
    (.snowflake, "select * exclude a from t"),
    (.bigquery, "select * except (a) replace (b + 1 as b) from t"),
    (.duckdb, "select t.* exclude (a), u.* from t, u"),
    (.bigquery, "select x, off from unnest([1, 2, 3]) as x with offset as off"),
    (.postgres, "select * from unnest(array[1, 2]) with ordinality as u(x, n)"),
    (.snowflake, "select f.value from t, lateral flatten(input => t.arr, outer => true) f"),
    (.snowflake, "select f.value from t, table(flatten(input => t.arr)) f"),
    (.snowflake, "select * from t pivot (sum(amount) for month in ('JAN', 'FEB')) as p"),
    (.snowflake, "select * from t unpivot (sales for month in (jan, feb, mar))"),
    (.generic, "select * from (values (1, 'a'), (2, 'b')) as v(id, name)"),
    (.generic, "values (1), (2)"),
    (.postgres, "select * from generate_series(1, 10) as g(n)"),
    (.snowflake, "select * from t at (timestamp => '2024-01-01'::timestamp) sample (10)"),
    (.snowflake, "select * from t before (statement => 'x') tablesample bernoulli (5) seed (1)"),
    (.bigquery, "select * from t for system_time as of timestamp_sub(current_timestamp(), interval 1 hour)"),
    (.snowflake, "select * from identifier('db.sch.t')"),
    (.generic, "with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select * from r"),
    (.generic, "with a (x) as materialized (select 1) select x from a"),
    (.snowflake, "create or replace transient table db.s.t cluster by (a) copy grants as select 1 as a"),
    (
      .generic,
      "create temporary table if not exists t (a int, b varchar(10) not null, primary key (a)) as select 1, 'x'"
    ),
    (
      .bigquery,
      "create or replace table `p.d.t` partition by date(ts) options (description = 'x') as select current_timestamp() as ts"
    ),
    (.databricks, "create or replace table t using delta tblproperties ('a' = 'b') as select 1 as a"),
    (.snowflake, "create or replace secure view v comment = 'x' as select 1 as a"),
    (.trino, "create table t with (format = 'ORC') as select 1 as a"),
    (.generic, "create table t (a int)"),
    (.snowflake, "insert overwrite into t select 1"),
    (.databricks, "insert overwrite table t partition (p = 'x') select 1"),
    (.generic, "insert into t (a, b) values (1, 2), (3, 4)"),
    (
      .snowflake,
      "merge into t using s on t.id = s.id when matched and s.d then delete when matched then update set t.a = s.a, b = s.b when not matched then insert (id, a) values (s.id, s.a)"
    ),
    (.databricks, "merge into t using s on t.id = s.id when matched then update set * when not matched then insert *"),
    (.generic, "update t set a = 1, b = b + 1 where c"),
    (.postgres, "update t set (a, b) = (s.a, s.b) from s where s.id = t.id"),
    (
      .generic,
      "use database x; set x = 1; grant select on t to r; delete from t where a; alter table t add column c int; call p(); begin; commit; rollback"
    ),
    (.snowflake, "create or replace function f(a int) returns int language javascript as $$ return a; $$"),
    (.snowflake, "create or replace task t warehouse = w schedule = '1 minute' as call p(); alter task t suspend"),
    (.generic, "select 1;;; select 2;"),
    (.generic, "select a, from t"),
    (.snowflake, "select iff(a, b, c), ifnull(a, b), nvl2(a, b, c), decode(a, 1, 'x', 'y'), zeroifnull(a) from t"),
    (
      .generic,
      "select extract(year from ts), trim(both 'x' from s), substring(s from 1 for 2), position('a' in s) from t"
    ),
    (.generic, "select array_agg(distinct x order by y limit 5), string_agg(x, ',' order by y) from t"),
    (.bigquery, "select array_agg(x ignore nulls), first_value(x ignore nulls) over (order by y) from t"),
    (.generic, "select a collate \"C\", ts at time zone 'UTC' from t"),
    (.duckdb, "from t"),
    (.duckdb, "from t select a"),
    (.bigquery, "select struct(1 as a, 'b' as b), array<int64>[1, 2], [1, 2] from t"),
    (.duckdb, "select {'a': 1, 'b': 2}, [1, 2][1], l[1:2] from t"),
    (.snowflake, "select object_construct('a', 1), array_construct(1, 2), :bind, ? from t"),
    (.snowflake, "select $1, $2 from @stage/path (file_format => 'csv')"),
    (.generic, "select (1, 2), ((a)), - - a, not not a, ~a from t"),
    (.postgres, "table t"),
    (.snowflake, "select a from t start with a = 1 connect by prior a = b"),
    (.generic, "select count(*) as \"count\", sum(a) as total, a as \"Order\" from t"),
    (.generic, "select 1 as value, 2 as type, 3 as name, 4 as date, 5 as status, 6 as key, 7 as first, 8 as last"),
  ]

  @Test(arguments: 0..<accepted.count)
  func parses(_ index: Int) {
    let (dialect, sql) = ParserTests.accepted[index]
    let a = SQLLineage.analyze(sql, dialect: dialect)
    #expect(!a.hasParseErrors, "\(dialect): \(sql)\n\(a.findings)")
  }

  @Test func skippedStatementsAreRecognised() {
    let a = SQLLineage.analyze(
      "use database x; set x = 1; grant select on t to r; delete from t; alter table t add c int; call p(); begin; commit",
      dialect: .snowflake)
    #expect(a.skipped.map(\.keyword) == ["USE", "SET", "GRANT", "DELETE", "ALTER", "CALL", "BEGIN", "COMMIT"])
    #expect(a.statements.isEmpty && a.findings.isEmpty)
    #expect(a.skipped[1].line == 1 && a.skipped[1].column == 17)
  }
}

/// Bad input: located diagnostics, never a crash.
@Suite struct BadInputTests {
  @Test func unterminatedString() {
    let a = SQLLineage.analyze("select 'abc\nfrom t", dialect: .generic)
    #expect(a.findings.count == 1)
    #expect(a.findings[0].rule == "sql-parse" && a.findings[0].severity == .error)
    #expect(a.findings[0].message == "unterminated string literal")
    #expect(a.findings[0].line == 1 && a.findings[0].column == 8)
  }

  @Test func unterminatedCommentAndQuotedIdentifier() {
    let a = SQLLineage.analyze("select 1 /* never closed", dialect: .generic)
    #expect(a.findings.map(\.message) == ["unterminated block comment"])
    #expect(a.findings[0].column == 10)
    let b = SQLLineage.analyze("select \"abc from t", dialect: .snowflake)
    #expect(b.findings.map(\.message) == ["unterminated quoted identifier"])
    let c = SQLLineage.analyze("select $$ abc", dialect: .snowflake)
    #expect(c.findings.map(\.message) == ["unterminated dollar-quoted string"])
  }

  @Test func unbalancedParentheses() {
    let a = SQLLineage.analyze("select (a + b from t;\nselect a from t)", dialect: .generic)
    #expect(a.findings.count == 2)
    #expect(a.findings[0].message == "expected ')', found 'from'")
    #expect(a.findings[0].line == 1 && a.findings[0].column == 15)
    #expect(a.findings[1].message == "expected ';' or end of input, found ')'")
    #expect(a.findings[1].line == 2)
  }

  @Test func errorRecoveryGoesOnAtTheNextStatement() {
    let a = SQLLineage.analyze("select from where; select a from t; selec x; select b from u", dialect: .generic)
    #expect(a.statements.count == 2)
    #expect(a.findings.count == 2)
    #expect(a.findings.allSatisfy { $0.rule == "sql-parse" })
    #expect(a.findings[1].message.contains("expected a statement"))
  }

  @Test func leftoverJinja() {
    let a = SQLLineage.analyze("select * from {{ ref('orders') }}", dialect: .snowflake)
    #expect(a.findings.count == 1)
    #expect(a.findings[0].column == 15)
    #expect(a.findings[0].hint.contains("Jinja"))
    let b = SQLLineage.analyze("{% set x = 1 %} select 1", dialect: .snowflake)
    #expect(b.findings.count == 1 && b.findings[0].hint.contains("Jinja"))
  }

  @Test func emptyAndBlankInput() {
    for sql in ["", "   \n\t ", ";", "-- only a comment", "/* c */ ;;"] {
      let a = SQLLineage.analyze(sql, dialect: .generic)
      #expect(a.statements.isEmpty && a.findings.isEmpty, "\(sql)")
    }
  }

  @Test func binaryGarbage() {
    var bytes: [UInt8] = []
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<20_000 {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17
      bytes.append(UInt8(truncatingIfNeeded: x))
    }
    let a = bytes.withUnsafeBufferPointer { SQLLineage.analyze(bytes: $0, dialect: .snowflake) }
    #expect(a.hasParseErrors)
    #expect(a.findings.allSatisfy { $0.line >= 1 && $0.column >= 1 })
    let control = SQLLineage.analyze("select \u{01}a from t", dialect: .generic)
    #expect(control.findings.first?.message == "unexpected control character U+0001")
  }

  @Test func errorsCarryExpectedAndFound() {
    let a = SQLLineage.analyze("select a from t where", dialect: .generic)
    #expect(a.findings.first?.message == "expected an expression, found end of input")
    let b = SQLLineage.analyze("select a from t join u", dialect: .generic)
    #expect(b.statements.count == 1)
    let c = SQLLineage.analyze("select case when a then b from t", dialect: .generic)
    #expect(c.findings.first?.message == "expected END to close CASE, found 'from'")
  }
}

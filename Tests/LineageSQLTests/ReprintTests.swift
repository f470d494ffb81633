import Foundation
import LineageCore
import Testing

@testable import LineageSQL

/// Property: a statement printed again with other layout gives the same lineage. The
/// reprint keeps every token and its adjacency, replaces each run of whitespace and
/// comments by random whitespace, block comments or line comments, drops the original
/// comments, and flips the case of reserved keywords; the lineage (statements, targets,
/// reads, columns, sources, indirect sources) must not change. This is what a SQL-aware
/// diff relies on: layout, comments and keyword case are no change.
@Suite struct ReprintTests {
  /// Reserved words whose case never shows in an output (unlike `date` or `name`,
  /// which may be column names).
  static let reserved: Set<Keyword> = [
    .select, .from, .where, .group, .by, .having, .qualify, .order, .limit, .with, .as, .on, .using, .join,
    .inner, .outer, .cross, .union, .intersect, .except, .all, .distinct, .case, .when, .then, .else, .end,
    .and, .or, .not, .is, .null, .in, .exists, .between, .like, .over, .partition, .create, .table, .view,
    .insert, .into, .merge, .update, .set, .matched, .desc, .asc, .nulls,
  ]

  struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  /// The same SQL with another layout.
  static func reprint(_ sql: String, dialect: SQLDialect, rng: inout SplitMix) -> String {
    var bytes = Array(sql.utf8)
    return bytes.withUnsafeMutableBufferPointer { buf in
      let b = UnsafeBufferPointer(buf)
      var t = Tokenizer(bytes: b, dialect: dialect)
      t.run()
      var out: [UInt8] = []
      var previousEnd = -1
      for tok in t.tokens where tok.kind != .eof {
        let start = Int(tok.start), end = Int(tok.end)
        if previousEnd >= 0 {
          // Between two tokens: keep adjacency; otherwise any separator.
          if start > previousEnd {
            switch rng.below(5) {
            case 0: out += Array("\n".utf8)
            case 1: out += Array("\t  ".utf8)
            case 2: out += Array(" /* reprinted */ ".utf8)
            case 3: out += Array(" -- a comment\n".utf8)
            default: out += [0x20]
            }
          }
        }
        var text = Array(b[start..<end])
        if tok.kind == .ident, reserved.contains(tok.keyword), rng.below(2) == 0 {
          let upper = rng.below(2) == 0
          text = text.map { c in
            if upper, c >= 0x61, c <= 0x7A { return c - 32 }
            if !upper, c >= 0x41, c <= 0x5A { return c + 32 }
            return c
          }
        }
        out += text
        previousEnd = end
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// Lineage without positions.
  static func lineage(_ a: SQLAnalysis) -> String {
    var out: [String] = []
    for s in a.statements {
      out.append("\(s.kind.rawValue) \(s.target ?? []) \(s.reads)")
      for c in s.columns { out.append("  \(c.name) \(c.isUnexpandedStar) \(c.sources.map(\.description))") }
      out.append("  indirect \(s.indirect.map(\.description))")
    }
    out.append("parse errors: \(a.hasParseErrors)")
    return out.joined(separator: "\n")
  }

  static let statements: [(SQLDialect, String)] = [
    (
      .duckdb,
      "select c.id as customer_id, md5(c.email) as email_hash, sum(o.amount) as total -- totals\nfrom raw.customers c join raw.orders o on o.customer_id = c.id where o.status <> 'cancelled' group by 1, 2"
    ),
    (
      .snowflake,
      "with t as (select a, b::int as b2, c:x.y[0]::string as y from db.s.t) select * exclude (y) from t qualify row_number() over (partition by a order by b2 desc) = 1"
    ),
    (
      .snowflake,
      "select f.value:id::string as id, t.a from db.s.t t, lateral flatten(input => t.c) f where t.a is not null"
    ),
    (
      .bigquery,
      "select `a`.`b`, (select max(x) from `p.d.u` u where u.a = t.a) as m from `p.d.t` as t where t.b in (select b from `p.d.u`)"
    ),
    (
      .postgres,
      "insert into s.t (a, b) select a, sum(d) filter (where d > 0) from s.u group by rollup (a) having count(*) > 1"
    ),
    (
      .generic,
      "merge into s.t t using s.u u on t.a = u.a when matched then update set b = u.d when not matched then insert (a, b) values (u.a, u.d)"
    ),
    (
      .duckdb,
      "create or replace view v as select case when a > 0 then 'p' else 'n' end as sign, coalesce(b, 0) as b from s.t union all select 'z', c from s.u"
    ),
  ]

  @Test func reprintedStatementsHaveTheSameLineage() {
    var schema = SQLSchema()
    schema.addTable(["raw", "customers"], columnNames: ["id", "email"])
    schema.addTable(["raw", "orders"], columnNames: ["id", "customer_id", "amount", "status"])
    schema.addTable(["db", "s", "t"], columnNames: ["a", "b", "c"])
    schema.addTable(["s", "t"], columnNames: ["a", "b", "c"])
    schema.addTable(["s", "u"], columnNames: ["a", "c", "d"])
    var rng = SplitMix(state: 20_261_203)
    for (dialect, sql) in Self.statements {
      let want = Self.lineage(SQLLineage.analyze(sql, dialect: dialect, schema: schema))
      #expect(!want.contains("parse errors: true"), "\(sql)")
      #expect(want.contains("  "), "no columns: \(want)")
      var probe = SplitMix(state: 7)
      #expect(Self.reprint(sql, dialect: dialect, rng: &probe) != sql)  // the reprint really differs
      for _ in 0..<200 {
        let again = Self.reprint(sql, dialect: dialect, rng: &rng)
        let got = Self.lineage(SQLLineage.analyze(again, dialect: dialect, schema: schema))
        #expect(got == want, "reprinted:\n\(again)")
        if got != want { break }
      }
    }
  }

  /// The same over real models: samples/sql and jaffle_shop's compiled SQL.
  @Test func reprintedModelsHaveTheSameLineage() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    var texts: [(SQLDialect, String)] = []
    for f in try FileManager.default.contentsOfDirectory(atPath: root + "/samples/sql") where f.hasSuffix(".sql") {
      texts.append((.duckdb, try String(contentsOfFile: root + "/samples/sql/" + f, encoding: .utf8)))
    }
    let manifest = root + "/Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json"
    let data = try Data(contentsOf: URL(fileURLWithPath: manifest))
    let top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    for (_, node) in (top["nodes"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
      if let code = (node as? [String: Any])?["compiled_code"] as? String { texts.append((.duckdb, code)) }
    }
    #expect(texts.count >= 25)
    var rng = SplitMix(state: 42)
    for (dialect, sql) in texts {
      let want = Self.lineage(SQLLineage.analyze(sql, dialect: dialect))
      for _ in 0..<20 {
        let again = Self.reprint(sql, dialect: dialect, rng: &rng)
        let got = Self.lineage(SQLLineage.analyze(again, dialect: dialect))
        #expect(got == want, "reprinted:\n\(again)")
        if got != want { break }
      }
    }
  }
}

import Foundation
import LineageCore
import PropertyBased
import Testing

@testable import LineageSQL

/// Random garbage and byte mutations of valid SQL: never a crash, every finding located.
@Suite struct SQLPropertyTests {
  static let seeds: [String] =
    ParserTests.accepted.map(\.1) + [
      """
      with o as (select order_id, customer_id, amount as amt from orders where status = 'done')
      select c.name, sum(o.amt) over (partition by c.country order by o.order_id) as running,
             case when o.amt > 10 then md5(c.email) else null end as masked
      from customers c join o using (customer_id) where exists (select 1 from payments p where p.order_id = o.order_id)
      qualify row_number() over (partition by c.customer_id order by o.amt desc) = 1
      """,
      "select 'it''s', \"quoted\"\"id\", $$dollar$$, /* c /* nested */ */ 1 -- end\n from t",
      "merge into t using s on t.id = s.id when matched then update set a = s.a when not matched then insert (id) values (s.id)",
    ]

  static let fragments = [
    "(", ")", "'", "\"", "`", "/*", "*/", "--", "$$", "{{", "}}", ",", "::", ":", "[", "]", ";", "select ", " from ",
    "case ", " end", " when ", "not ", "*", ".", "->", "=>", "\n", "\u{0}", "é", "\u{FFFD}", "with ", " as (",
    " union ",
    " over (", " join ", " on ", " using (", "e'", "r'", "$1", "#", "//", "\\", "'''", "\"\"\"", "@",
  ]

  static func mutate(_ sql: String, _ edits: [(Int, Int, Int)]) -> [UInt8] {
    var b = Array(sql.utf8)
    for (pos, op, value) in edits {
      let at = b.isEmpty ? 0 : pos % (b.count + 1)
      switch op {
      case 0: if at < b.count { b[at] = UInt8(value) }
      case 1: b.insert(UInt8(value), at: at)
      case 2: if at < b.count { b.remove(at: at) }
      default: b.insert(contentsOf: Array(fragments[value % fragments.count].utf8), at: at)
      }
    }
    return b
  }

  static func checkLocated(_ a: SQLAnalysis, _ bytes: [UInt8]) {
    let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    for f in a.findings {
      #expect(f.line >= 1 && f.line <= lines && f.column >= 1, "\(f)")
      #expect(!f.message.isEmpty && !f.hint.isEmpty)
    }
  }

  @Test func mutationsOfValidSQLNeverCrash() async {
    let gen = zip(
      Gen.int(in: 0...(SQLPropertyTests.seeds.count - 1)),
      zip(Gen.int(in: 0...100_000), Gen.int(in: 0...3), Gen.int(in: 0...255)).array(of: 1...12),
      Gen.int(in: 0...(SQLDialect.allCases.count - 1)))
    await propertyCheck(count: 3000, input: gen) { seed, edits, d in
      let bytes = SQLPropertyTests.mutate(SQLPropertyTests.seeds[seed], edits)
      let dialect = SQLDialect.allCases[d]
      let a = bytes.withUnsafeBufferPointer { SQLLineage.analyze(bytes: $0, dialect: dialect, schema: shopSchema()) }
      SQLPropertyTests.checkLocated(a, bytes)
    }
  }

  @Test(.enabled(if: Corpus.available, "../shared/corpus is absent"))
  func mutationsOfRealModelsNeverCrash() async throws {
    let (_, models) = try Corpus.models("dbt_flipside_crosschain_models_2022/docs/manifest.json")
    let seeds = models.filter { $0.resourceType == "model" }.map(\.sql)
    let gen = zip(
      Gen.int(in: 0...(seeds.count - 1)),
      zip(Gen.int(in: 0...100_000), Gen.int(in: 0...3), Gen.int(in: 0...255)).array(of: 1...20),
      Gen.int(in: 0...(SQLDialect.allCases.count - 1)))
    await propertyCheck(count: 1500, input: gen) { seed, edits, d in
      let bytes = SQLPropertyTests.mutate(seeds[seed], edits)
      let a = bytes.withUnsafeBufferPointer { SQLLineage.analyze(bytes: $0, dialect: SQLDialect.allCases[d]) }
      SQLPropertyTests.checkLocated(a, bytes)
    }
  }

  @Test func randomBytesNeverCrash() async {
    let gen = zip(Gen.int(in: 0...255).array(of: 0...400), Gen.int(in: 0...(SQLDialect.allCases.count - 1)))
    await propertyCheck(count: 2000, input: gen) { raw, d in
      let bytes = raw.map { UInt8($0) }
      let a = bytes.withUnsafeBufferPointer { SQLLineage.analyze(bytes: $0, dialect: SQLDialect.allCases[d]) }
      SQLPropertyTests.checkLocated(a, bytes)
    }
  }

  @Test func randomTokenSoupNeverCrashes() async {
    let gen = zip(
      Gen.int(in: 0...(SQLPropertyTests.fragments.count + 7)).array(of: 0...80),
      Gen.int(in: 0...(SQLDialect.allCases.count - 1)))
    let words = ["a", "t.b", "1", "'s'", "sum(", "x"]
    await propertyCheck(count: 2000, input: gen) { picks, d in
      var sql = ""
      for p in picks {
        sql +=
          p < SQLPropertyTests.fragments.count
          ? SQLPropertyTests.fragments[p] : words[(p - SQLPropertyTests.fragments.count) % words.count]
        sql += " "
      }
      let a = SQLLineage.analyze(sql, dialect: SQLDialect.allCases[d], schema: shopSchema())
      SQLPropertyTests.checkLocated(a, Array(sql.utf8))
    }
  }
}

import Testing
import Foundation
import LineageCore
@testable import LineageSQL

@Test func scratchPerf() throws {
  var s = "select a0"
  for i in 1 ..< 100_000 { s += " + a\(i % 7)" }
  s += " as total from t"
  var t0 = Date()
  _ = SQLLineage.analyze(s)
  print("chain", Date().timeIntervalSince(t0))
  var u = "select a from t"
  for _ in 0 ..< 20_000 { u += " union all select a from t" }
  t0 = Date()
  _ = SQLLineage.analyze(u)
  print("union", Date().timeIntervalSince(t0))
  var j = "select t0.a from t0"
  for i in 1 ..< 2_000 { j += " join t\(i) on t\(i).a = t\(i - 1).a" }
  t0 = Date()
  _ = SQLLineage.analyze(j)
  print("join2000", Date().timeIntervalSince(t0))
  guard Corpus.available else { return }
  let (_, models) = try Corpus.models("dbt_flipside_ethereum_models_2022/docs/manifest.json")
  let real = models.filter { $0.resourceType == "model" }
  let bytes = real.reduce(0) { $0 + $1.sql.utf8.count }
  let lines = real.reduce(0) { $0 + $1.sql.split(separator: "\n").count }
  t0 = Date()
  for _ in 0 ..< 20 { for m in real { _ = SQLLineage.analyze(m.sql, dialect: .snowflake) } }
  let dt = Date().timeIntervalSince(t0) / 20
  print("flipside models: \(real.count) models, \(bytes) bytes, \(lines) lines: \(dt * 1000) ms total, \(dt * 1e6 / Double(real.count)) us/model")
  var big = ""
  while big.utf8.count < 10_000_000 { for m in real { big += m.sql; big += ";\n" } }
  t0 = Date()
  let a = SQLLineage.analyze(big, dialect: .snowflake)
  print("10MB: \(big.utf8.count) bytes, \(a.statements.count) statements: \(Date().timeIntervalSince(t0)) s")
}

import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// The Jinja of a dbt model's raw code that lineage renders when a manifest has no
/// compiled code, and what it refuses to guess.
@Suite struct DBTJinjaTests {
  static var context: DBTJinja.Context {
    DBTJinja.Context(
      ref: { package, name, version in
        switch (package, name, version) {
        case (nil, "orders", nil), ("shop", "orders", nil): "\"db\".\"main\".\"orders\""
        case (nil, "orders", "2"): "\"db\".\"main\".\"orders_v2\""
        default: nil
        }
      },
      source: { s, t in s == "raw" && t == "payments" ? "\"db\".\"raw\".\"payments\"" : nil },
      this: "\"db\".\"main\".\"me\"")
  }

  func render(_ s: String) -> DBTJinja.Result { DBTJinja.render(s, Self.context) }

  @Test func rendersWhatLineageNeeds() {
    #expect(render("select * from {{ ref('orders') }}") == .sql(#"select * from "db"."main"."orders""#))
    #expect(render("select * from {{ ref('shop', 'orders') }}") == .sql(#"select * from "db"."main"."orders""#))
    #expect(
      render("select * from {{ ref('orders', v=2) }} join {{ref(\"orders\", version=2)}}")
        == .sql(#"select * from "db"."main"."orders_v2" join "db"."main"."orders_v2""#))
    #expect(
      render("{{ config(materialized='table') }}select a from {{ source('raw', 'payments') }}")
        == .sql(#"select a from "db"."raw"."payments""#))
    #expect(
      render("select {{ var('limit', 10) }} from {{ this }} {# a comment #}")
        == .sql(#"select 10 from "db"."main"."me" "#))
    #expect(render("{{- ref('orders') -}}") == .sql(#""db"."main"."orders""#))
  }

  @Test func isIncrementalIsFalse() {
    let sql =
      "select a from t\n{% if is_incremental() %}\nwhere a > (select max(a) from {{ this }})\n{% else %}\nwhere true\n{% endif %}\n"
    // The dropped branch keeps its line breaks, so positions stay those of the file.
    #expect(render(sql) == .sql("select a from t\n\n\n\nwhere true\n\n"))
    #expect(render("{% if is_incremental() %}x{% endif %}y") == .sql("y"))
  }

  @Test func refusesWhatItWouldHaveToGuess() {
    #expect(
      render("select {{ dbt_utils.star(ref('orders')) }} from t")
        == .unsupported("'{{ dbt_utils.star(ref('orders')) }}'", line: 1))
    #expect(render("select a\nfrom {{ ref('nope') }}") == .unsupported("'{{ ref('nope') }}'", line: 2))
    #expect(render("{% for c in cols %}{{ c }}{% endfor %}") == .unsupported("'{% for c in cols %}'", line: 1))
    #expect(
      render("{% if target.name == 'prod' %}a{% endif %}") == .unsupported("'{% if target.name == 'prod' %}'", line: 1))
    #expect(render("select {{ ref('orders') ") == .unsupported("an unclosed '{{'", line: 1))
    #expect(render("{% if is_incremental() %}a") == .unsupported("an 'if' without 'endif'", line: 1))
    #expect(render("a{% endif %}") == .unsupported("an 'endif' without 'if'", line: 1))
    #expect(
      render("{% if is_incremental() %}a{% else %}b\n{% else %}c{% endif %}")
        == .unsupported("a second 'else' in one 'if'", line: 2))
    #expect(render("{{ ref(orders) }}") == .unsupported("'{{ ref(orders) }}'", line: 1))
  }

  /// A manifest from `dbt parse` has no compiled code: the raw code is rendered, and
  /// the lineage is the compiled code's; a model with other Jinja gets a note.
  @Test func rawCodeGivesTheSameLineage() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    let data = try Data(contentsOf: URL(fileURLWithPath: root + "/Corpus/dbt_jaffle_shop_classic/target/manifest.json"))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    for (k, v) in nodes {
      guard var n = v as? [String: Any] else { continue }
      n.removeValue(forKey: "compiled_code")
      nodes[k] = n
    }
    top["nodes"] = nodes
    let bytes = Array(try JSONSerialization.data(withJSONObject: top))
    let (mesh, findings) = try bytes.withUnsafeBufferPointer { (p) throws(LoadError) in
      try DBTManifestImporter.load(bytes: p, file: "manifest.json")
    }
    let customers = try #require(mesh.nodes.first { $0.id == "model.jaffle_shop.customers" })
    let id = try #require(customers.schema.first { $0.name == "customer_id" })
    #expect(
      id.from.contains {
        $0.product == "model.jaffle_shop.stg_customers" && $0.column == "customer_id" && $0.transform == .identity
      })
    // orders.sql sets a list and loops over it: not guessed, a note at its `{% set %}`.
    let jinja = findings.filter { $0.rule == "sql-jinja" }
    #expect(jinja.map(\.subjects) == [["model.jaffle_shop.orders"]], "\(jinja)")
    #expect(jinja.first?.location == SourceLocation(file: "models/orders.sql", line: 1, column: 1))
    #expect(jinja.first?.message.contains("{% set payment_methods") == true, "\(jinja)")
  }
}

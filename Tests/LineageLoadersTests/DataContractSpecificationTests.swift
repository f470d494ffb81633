import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// Data Contract Specification contracts (datacontract.com, 0.9 to 1.2): the corpus's
/// examples load, pairs of versions get the verdict datacontract-cli's consumer
/// perspective gives, and malformed contracts give located errors.
@Suite struct DataContractSpecificationTests {
  static let examples = Corpus.bundled + "/datacontract_specification/repo_files/examples"
  static let pairs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/DCSPairs"

  func node(_ model: LineageModel, _ id: String) throws -> MeshNode {
    try #require(model.mesh.nodes.first { $0.id == id }, "\(model.mesh.nodes.map(\.id))")
  }

  /// Every example of the corpus loads without an error, one by one and as a folder.
  @Test func everyCorpusExampleLoads() throws {
    let files = BitolImporter.files(at: Self.examples)
    #expect(files.count == 6)
    for file in files {
      let model = try ModelLoader.load(path: file)
      #expect(!model.findings.contains { $0.severity == .error }, "\(file): \(model.findings)")
      #expect(!model.mesh.nodes.isEmpty, "\(file)")
      #expect(model.input == .contracts)
    }
    let all = try ModelLoader.load(path: Self.examples)
    #expect(all.mesh.nodes.count == 9)
    #expect(!all.findings.contains { $0.severity == .error }, "\(all.findings)")
    if let shared = Corpus.shared {  // the same files as the bundled subset
      #expect(BitolImporter.files(at: shared + "/datacontract_specification/repo_files/examples").count == 6)
    }
  }

  /// 0.9.3: types as written, an s3 server's location, no constraints but the contract's.
  @Test func covidCases() throws {
    let model = try ModelLoader.load(path: Self.examples + "/covid-cases/datacontract.yaml")
    let n = try node(model, "covid_cases.covid_cases")
    #expect(n.kind == "dataset")
    #expect(n.schema.count == 9)
    #expect(n.column(named: "confirmed")?.type == "int")
    #expect(n.column(named: "last_update")?.type == "timestamp_ntz")
    #expect(n.physicalLocation == "s3://covid19-lake/enigma-jhu/json/*.json")
    #expect(n.version == "0.0.1")
    #expect(n.schema.allSatisfy { $0.constraints == ColumnConstraints() })
    #expect(n.provenance.first?.detail == "Data Contract Specification 0.9.3")
    #expect(n.location == SourceLocation(file: Self.examples + "/covid-cases/datacontract.yaml", line: 18, column: 3))
  }

  /// Required fields and an enum; the owner from info.
  @Test func muellimperium() throws {
    let model = try ModelLoader.load(path: Self.examples + "/muellimperium/datacontract.yaml")
    let n = try node(model, "muellimperium-exchange-format.garbage_collection")
    #expect(n.owner == "Emperor of the Muellimperium")
    let type = try #require(n.column(named: "garbage_type"))
    #expect(!type.nullable)
    #expect(
      type.constraints?.allowedValues
        == ["paper", "plastic", "residual_waste", "bio_waste", "bulky_waste", "hazardous_waste"])
  }

  /// 0.9.3 with definitions: `$ref` fields inherit the definition's type, format and
  /// classification; nested fields and array items are `a.b`; `primary` is the key.
  @Test func ordersLatestNested() throws {
    let model = try ModelLoader.load(path: Self.examples + "/orders-latest-nested/datacontract.yaml")
    let orders = try node(model, "urn:orders-latest-nested.orders")
    #expect(
      orders.schema.map(\.name) == [
        "order_id", "order_timestamp", "order_total", "customer_id", "customer_email_address", "address",
        "address.street", "address.city", "address.additional_lines", "processed_timestamp",
      ])
    let id = try #require(orders.column(named: "order_id"))
    #expect(id.type == "text")
    #expect(id.primaryKey && !id.nullable)
    #expect(id.classification == "restricted")
    #expect(id.constraints == ColumnConstraints(unique: true, format: "uuid"))
    #expect(orders.sensitivity == .confidential)
    #expect(orders.column(named: "customer_id")?.constraints == ColumnConstraints(minLength: 10, maxLength: 20))
    let items = try node(model, "urn:orders-latest-nested.line_items")
    #expect(items.column(named: "order_id")?.constraints?.references == "orders.order_id")
    #expect(items.column(named: "sku")?.constraints?.pattern == "^[A-Za-z0-9]{8,14}$")
    #expect(items.column(named: "sku")?.description == "The purchased article number")
  }

  /// 1.2.0: a model's composite primaryKey, the server location per model.
  @Test func ordersLatest() throws {
    let model = try ModelLoader.load(path: Self.examples + "/orders-latest/datacontract.yaml")
    let items = try node(model, "orders-latest.line_items")
    #expect(items.schema.filter(\.primaryKey).map(\.name) == ["line_item_id", "order_id"])
    #expect(items.physicalLocation == "s3://datacontract-example-orders-latest/v2/line_items/*.json")
    let orders = try node(model, "orders-latest.orders")
    #expect(orders.column(named: "customer_email_address")?.classification == "sensitive")
    #expect(orders.column(named: "order_id")?.constraints?.unique == true)
    #expect(model.mesh.teams.map(\.id) == ["Checkout Team"])
  }

  /// 1.2.1's new types are read as written.
  @Test func newTypes() throws {
    let time = try ModelLoader.load(path: Self.examples + "/time-example/datacontract.yaml")
    #expect(try node(time, "time-demo.business_hours").column(named: "opening_time")?.type == "time")
    let variant = try ModelLoader.load(path: Self.examples + "/variant-json-example/datacontract.yaml")
    let profiles = try node(variant, "variant-json-demo.user_profiles")
    #expect(profiles.schema.map { $0.type ?? "-" } == ["string", "variant", "json", "json"])
  }

  /// Recognised by its top-level key, whatever the file's name; among ODCS contracts.
  @Test func detectedByStructureBesideODCS() throws {
    let dir = try TempMesh([
      "anything.yml":
        "dataContractSpecification: 1.1.0\nid: c\ninfo: {title: T, version: 1.0.0}\nmodels:\n  m:\n    fields:\n      a: {type: string}\n",
      "other.odcs.yaml": "kind: DataContract\napiVersion: v3.1.0\nid: o\nschema:\n  - name: t\n",
      "notes.yaml": "description: |\n  dataContractSpecification: 1.1.0 (an indented mention is no contract)\n",
    ])
    defer { dir.remove() }
    let model = try ModelLoader.load(path: dir.root)
    #expect(model.mesh.nodes.map(\.id).sorted() == ["c.m", "o.t"])
    #expect(model.findings.filter { $0.severity == .error }.isEmpty, "\(model.findings)")
  }

  struct Pair {
    var name: String
    var fails: Bool
    var why: String
  }

  static func readPairs() throws -> [Pair] {
    try String(contentsOfFile: pairs + "/verdicts.txt", encoding: .utf8).split(separator: "\n").compactMap { line in
      guard !line.hasPrefix("#") else { return nil }
      let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
      guard parts.count == 3 else { return nil }
      return Pair(name: String(parts[0]), fails: parts[1] == "fail", why: String(parts[2]))
    }
  }

  /// The changes each pair gives: `KIND PRODUCT.COLUMN` of its breaking changes. Every
  /// pair is a copy of one contract (DCSPairs/generate.py) with one change; its verdict
  /// and why are in DCSPairs/verdicts.txt. datacontract-cli 1.2.8's `breaking` (consumer
  /// perspective) gives the same verdict on 41 of the 43 pairs (DCSPairs/crosscheck.sh):
  /// it does not compare a decimal's precision (precision-raised), and does not read
  /// 0.9's `primary` (version-0.9.3-spelling), so it sees the key dropped. Converted to
  /// ODCS with `datacontract export odcs`, lineage and datacontract-cli agree on all 43.
  static let breaking: [String: [String]] = [
    "definition-retyped": [
      "column-retyped shop-orders.line_items.order_id", "column-retyped shop-orders.orders.order_id",
    ],
    "enum-removed": ["constraint-loosened shop-orders.orders.status"],
    "enum-value-added": ["constraint-loosened shop-orders.orders.status"],
    "enum-value-replaced": ["constraint-loosened shop-orders.orders.status"],
    "field-removed": ["column-dropped shop-orders.orders.customer_id"],
    "integer-to-bigint": ["column-retyped shop-orders.line_items.quantity"],
    "long-to-string": ["column-retyped shop-orders.orders.order_total"],
    "max-length-raised": ["constraint-loosened shop-orders.orders.customer_id"],
    "maximum-raised": ["constraint-loosened shop-orders.orders.order_total"],
    "min-length-removed": ["constraint-loosened shop-orders.orders.customer_id"],
    "minimum-lowered": ["constraint-loosened shop-orders.orders.order_total"],
    "minimum-removed": ["constraint-loosened shop-orders.line_items.quantity"],
    "model-removed": ["product-removed shop-orders.line_items"],
    "nested-field-removed": ["column-dropped shop-orders.orders.address.city"],
    "pattern-removed": ["constraint-loosened shop-orders.orders.customer_email"],
    "precision-raised": ["column-retyped shop-orders.orders.discount"],
    "primary-key-dropped": ["constraint-loosened shop-orders.orders.order_id"],
    "references-removed": ["constraint-loosened shop-orders.line_items.order_id"],
    "references-retargeted": ["constraint-loosened shop-orders.line_items.order_id"],
    "required-dropped": ["column-nullable shop-orders.orders.order_total"],
    "string-to-integer": ["column-retyped shop-orders.line_items.line_item_id"],
    "text-to-string": ["column-retyped shop-orders.orders.customer_id"],
    "type-removed": ["column-retyped shop-orders.line_items.line_item_id"],
    "unique-dropped": ["constraint-loosened shop-orders.line_items.line_item_id"],
  ]

  /// Each pair's verdict under `--fail-on any` is the one verdicts.txt gives, through
  /// the changes listed above; the other pairs' changes are all non-breaking.
  @Test func pairsGiveTheConsumersVerdict() throws {
    let pairs = try Self.readPairs()
    #expect(pairs.count == 43)
    #expect(Set(Self.breaking.keys).isSubset(of: Set(pairs.map(\.name))))
    for pair in pairs {
      let old = try ModelLoader.load(path: Self.pairs + "/\(pair.name)/v1.yaml")
      let new = try ModelLoader.load(path: Self.pairs + "/\(pair.name)/v2.yaml")
      #expect(!(old.findings + new.findings).contains { $0.severity == .error }, "\(pair.name)")
      let (changes, _) = MeshDiff.compare(base: old, head: new)
      let decision = DiffGate.decide(changes, threshold: .any, ignores: [], today: "2026-01-01")
      #expect(decision.passed == !pair.fails, "\(pair.name) (\(pair.why)): \(changes.map(\.detail))")
      #expect(
        changes.filter(\.breaking).map(\.key).sorted() == (Self.breaking[pair.name] ?? []),
        "\(pair.name): \(changes.map(\.detail))")
    }
  }

  /// The details name what moved, and non-breaking constraint changes are listed too.
  @Test func changeDetails() throws {
    func changes(_ name: String) throws -> [MeshChange] {
      MeshDiff.compare(
        base: try ModelLoader.load(path: Self.pairs + "/\(name)/v1.yaml"),
        head: try ModelLoader.load(path: Self.pairs + "/\(name)/v2.yaml")
      ).changes
    }
    #expect(
      try changes("enum-value-replaced").map(\.detail) == [
        "column status promises less: allows 'dispatched'", "column status promises more: no longer allows 'shipped'",
      ])
    #expect(
      try changes("maximum-made-exclusive").map(\.detail) == [
        "column order_total promises more: maximum <= 1000000 -> < 1000000"
      ])
    #expect(try changes("pattern-changed").map(\.kind) == [.constraintChanged])
    #expect(try changes("format-changed").map(\.detail) == ["column customer_email changes: format email -> idn-email"])
    #expect(
      try changes("long-to-string").first?.detail
        == "column order_total retyped long -> string (widening; a contract's readers bind the type it names)")
    #expect(try changes("unchanged").isEmpty)
  }

  /// ODCS contracts carry their constraints too, and get the same rules: converted to
  /// ODCS by `datacontract export odcs`, the 43 pairs give datacontract-cli's verdict
  /// on all 43 (these are two of them, in ODCS v3.2's words).
  @Test func odcsContractsGetTheSameRules() throws {
    let v1 = """
      apiVersion: v3.2.0
      kind: DataContract
      id: shop-orders
      version: 1.0.0
      schema:
        - name: orders
          properties:
            - name: status
              logicalType: string
              enum: [{value: placed}, {value: shipped}]
            - name: order_total
              physicalType: long
              logicalType: integer
              unique: true
              logicalTypeOptions: {minimum: 0, maximum: 100}
            - name: customer_id
              logicalType: string
              relationships: [{type: foreignKey, to: customers.id}]
      """
    let v2 =
      v1.replacingOccurrences(of: "{value: shipped}]", with: "{value: shipped}, {value: returned}]")
      .replacingOccurrences(of: "physicalType: long", with: "physicalType: string")
    let dir = try TempMesh(["v1.odcs.yaml": v1, "v2.odcs.yaml": v2])
    defer { dir.remove() }
    let old = try ModelLoader.load(path: dir.root + "/v1.odcs.yaml")
    let total = try #require(try node(old, "shop-orders.orders").column(named: "order_total"))
    #expect(total.constraints == ColumnConstraints(unique: true, minimum: 0, maximum: 100))
    #expect(
      try node(old, "shop-orders.orders").column(named: "status")?.constraints?.allowedValues == ["placed", "shipped"])
    #expect(
      try node(old, "shop-orders.orders").column(named: "customer_id")?.constraints?.references == "customers.id")
    let changes = MeshDiff.compare(base: old, head: try ModelLoader.load(path: dir.root + "/v2.odcs.yaml")).changes
    #expect(
      changes.filter(\.breaking).map(\.key) == [
        "column-retyped shop-orders.orders.order_total", "constraint-loosened shop-orders.orders.status",
      ])
  }

  /// Data quality rules, of a model and of a field, in DCS and in ODCS: each rule only
  /// in one version is a `quality-added` or `quality-removed` note (datacontract-cli:
  /// info and warning, never failing); layout and key order are no change.
  @Test func qualityRulesAreCompared() throws {
    let v1 = """
      dataContractSpecification: 1.1.0
      id: orders
      info: {title: Orders, version: 1.0.0}
      models:
        orders:
          fields:
            order_id:
              type: string
              quality:
                - type: sql
                  query: SELECT COUNT(*) FROM orders WHERE order_id IS NULL
                  mustBe: 0
          quality:
            - {type: sql, description: enough rows, query: SELECT COUNT(*) FROM orders, mustBeGreaterThan: 10}
            - {type: sql, query: SELECT COUNT(DISTINCT customer_id) FROM orders, mustBeGreaterThan: 1}
      """
    let reordered = v1.replacingOccurrences(
      of: "{type: sql, description: enough rows, query: SELECT COUNT(*) FROM orders, mustBeGreaterThan: 10}",
      with: "{mustBeGreaterThan: 10, query: SELECT COUNT(*) FROM orders, type: sql, description: enough rows}")
    let v2 =
      v1
      .replacingOccurrences(of: "mustBeGreaterThan: 10}", with: "mustBeGreaterThan: 1000}")
      .replacingOccurrences(of: "mustBe: 0\n", with: "mustBeLessThan: 5\n")
    let odcs1 = """
      apiVersion: v3.0.2
      kind: DataContract
      id: shop
      version: 1.0.0
      status: active
      schema:
        - name: orders
          quality:
            - {rule: rowCount, mustBeGreaterThan: 10}
          properties:
            - name: order_id
              logicalType: string
              quality:
                - {rule: nullCheck, mustBe: 0}
      """
    let odcs2 = odcs1.replacingOccurrences(of: "      - {rule: rowCount, mustBeGreaterThan: 10}\n", with: "")
      .replacingOccurrences(
        of: "{rule: nullCheck, mustBe: 0}",
        with: "{rule: nullCheck, mustBe: 0}\n          - {rule: duplicateCount, mustBe: 0}")
    let dir = try TempMesh([
      "v1.dcs.yaml": v1, "v1b.dcs.yaml": reordered, "v2.dcs.yaml": v2, "o1.odcs.yaml": odcs1, "o2.odcs.yaml": odcs2,
    ])
    defer { dir.remove() }
    func diff(_ a: String, _ b: String) throws -> [MeshChange] {
      let old = try ModelLoader.load(path: dir.root + "/" + a)
      let new = try ModelLoader.load(path: dir.root + "/" + b)
      #expect(!(old.findings + new.findings).contains { $0.severity == .error })
      return MeshDiff.compare(base: old, head: new).changes
    }
    let old = try ModelLoader.load(path: dir.root + "/v1.dcs.yaml")
    #expect(try node(old, "orders.orders").quality.count == 2)
    #expect(try node(old, "orders.orders").column(named: "order_id")?.constraints?.quality.count == 1)
    #expect(try diff("v1.dcs.yaml", "v1b.dcs.yaml").isEmpty)
    let changes = try diff("v1.dcs.yaml", "v2.dcs.yaml")
    #expect(changes.allSatisfy { !$0.breaking })
    #expect(
      changes.map(\.key).sorted() == [
        "quality-added orders.orders", "quality-added orders.orders.order_id", "quality-removed orders.orders",
        "quality-removed orders.orders.order_id",
      ])
    #expect(
      changes.contains {
        $0.detail
          == "quality rule of orders.orders removed: {description: enough rows, mustBeGreaterThan: 10, query: SELECT COUNT(*) FROM orders, type: sql}"
      })
    #expect(DiffGate.decide(changes, threshold: .any, ignores: [], today: "2026-01-01").passed)
    let odcsChanges = try diff("o1.odcs.yaml", "o2.odcs.yaml")
    #expect(
      odcsChanges.map(\.detail) == [
        "quality rule of shop.orders removed: {mustBeGreaterThan: 10, rule: rowCount}",
        "quality rule of column order_id added: {mustBe: 0, rule: duplicateCount}",
      ])
  }

  /// A loosened constraint reaches the column's readers (may-break), as a retype does.
  @Test func loosenedConstraintHasABlastRadius() throws {
    let pair = Self.pairs + "/enum-value-added"
    let reader = try TempMesh([
      "mesh.yaml": "apiVersion: lineage/v1\nkind: Mesh\nname: m\ndomains: [{id: d, owner: t}]\nteams: [{id: t}]\n",
      "report.yaml": """
      apiVersion: lineage/v1
      kind: Consumer
      id: d.report
      domain: d
      inputs:
        - product: shop-orders.orders
          columns: [status]
      """,
    ])
    defer { reader.remove() }
    let old = try ModelLoader.load(paths: [pair + "/v1.yaml", reader.root])
    let new = try ModelLoader.load(paths: [pair + "/v2.yaml", reader.root])
    let change = try #require(MeshDiff.compare(base: old, head: new).changes.first { $0.breaking })
    #expect(change.schemaChange == .loosen)
    let impact = try #require(change.impact)
    #expect(impact.affected.map { change.impactModel?.graph.id($0.node) } == ["d.report"])
    #expect(impact.affected.first?.verdict == .mayBreak)
  }

  func errors(_ text: String, file: String = "c.yaml") throws -> [String] {
    let dir = try TempMesh([file: text])
    defer { dir.remove() }
    let (_, findings) = try BitolImporter.load(files: [dir.root + "/" + file])
    return findings.map { f in
      "\(f.location.map { "\($0.line):\($0.column)" } ?? "-") \(f.severity) \(f.rule.rawValue): \(f.message)"
    }
  }

  /// Cyclic and unknown `$ref`s, versions not read, wrong shapes: located findings,
  /// never a crash nor a silent partial read.
  @Test func malformedContractsGiveLocatedErrors() throws {
    let head = "dataContractSpecification: 1.2.0\nid: c\ninfo: {title: T, version: 1.0.0}\n"
    // a -> b -> a through nested fields.
    #expect(
      try errors(
        head + """
          models:
            m:
              fields:
                x:
                  $ref: '#/definitions/a'
          definitions:
            a:
              type: object
              fields:
                y:
                  $ref: '#/definitions/b'
            b:
              type: object
              fields:
                z:
                  $ref: '#/definitions/a'
          """)
        == [
          "19:15 error cyclic-definition: definitions.b.fields.z.$ref '#/definitions/a' closes a cycle of definitions: a -> b -> a; the field is not read"
        ])
    // A definition that refers to itself.
    #expect(
      try errors(
        head
          + "models:\n  m:\n    fields:\n      x:\n        $ref: '#/definitions/a'\ndefinitions:\n  a:\n    $ref: '#/definitions/a'\n"
      )
        == [
          "11:11 error cyclic-definition: definitions.a.$ref '#/definitions/a' closes a cycle of definitions: a -> a; the field is not read"
        ])
    #expect(
      try errors(
        head
          + "models:\n  m:\n    fields:\n      x:\n        $ref: '#/definitions/orderid'\ndefinitions:\n  order_id: {type: string}\n"
      )
        == [
          "8:15 error unresolved-definition: models.m.fields.x.$ref '#/definitions/orderid' names no definition of this contract"
        ])
    #expect(
      try errors(
        head + "models:\n  m:\n    fields:\n      x:\n        $ref: 'https://example.com/definitions/order_id'\n")
        == [
          "8:15 warning unresolved-definition: models.m.fields.x.$ref 'https://example.com/definitions/order_id' is not a definition of this contract; lineage does not fetch it, so the field has only its own properties"
        ])
    #expect(
      try errors("dataContractSpecification: 2.0.0\nid: c\n")
        == [
          "1:28 error unsupported-version: Data Contract Specification '2.0.0' is not a version lineage reads; the contract is not read"
        ])
    #expect(
      try errors("dataContractSpecification: 1.1.0\ninfo: {title: T}\n")
        == ["1:1 error invalid-document: the contract has no id; not read"])
    #expect(
      try errors(head + "models:\n  m:\n    fields:\n      - name: a\n")
        == ["7:7 error invalid-type: models.m.fields must be a mapping, got a sequence"])
    #expect(
      try errors(
        head
          + "models:\n  m:\n    fields:\n      a:\n        type: long\n        minimum: zero\n        maxLength: [1]\n        enum: paper\n"
      )
        == [
          "11:15 error invalid-type: models.m.fields.a.enum must be a sequence, got a scalar ('paper')",
          "9:18 error invalid-type: models.m.fields.a.minimum must be a number, got a scalar ('zero')",
          "10:20 error invalid-type: models.m.fields.a.maxLength must be a whole number, got a sequence",
        ])
  }

  /// Definitions that fan out (each field of one referring twice to the next) cannot
  /// expand a small file into an exponential tree, and deep nesting stops at the bound.
  @Test func expansionIsBounded() throws {
    var text =
      "dataContractSpecification: 1.2.0\nid: c\ninfo: {title: T, version: 1.0.0}\nmodels:\n  m:\n    fields:\n      x: {$ref: '#/definitions/d0'}\ndefinitions:\n"
    for i in 0..<40 {
      text +=
        "  d\(i):\n    type: object\n    fields:\n      a: {$ref: '#/definitions/d\(i + 1)'}\n      b: {$ref: '#/definitions/d\(i + 1)'}\n"
    }
    text += "  d40: {type: string}\n"
    let wide = try errors(text)
    #expect(wide.count == 1)
    #expect(
      wide.first?.contains(
        "error invalid-document: the contract expands to more than 50000 fields through its definitions; the rest are not read"
      ) == true, "\(wide)")
    // A chain of 70 definitions, each an object with one field of the next.
    var chain =
      "dataContractSpecification: 1.2.0\nid: c\ninfo: {title: T, version: 1.0.0}\nmodels:\n  m:\n    fields:\n      x: {$ref: '#/definitions/d0'}\ndefinitions:\n"
    for i in 0..<70 { chain += "  d\(i): {type: object, fields: {f: {$ref: '#/definitions/d\(i + 1)'}}}\n" }
    chain += "  d70: {type: string}\n"
    let deep = try errors(chain)
    #expect(deep.count == 1)
    #expect(
      deep.first?.hasSuffix("nests fields deeper than 64 levels; the deeper fields are not read") == true, "\(deep)")
  }

  /// A Data Contract Specification document in JSON or without .yaml is named, as ODCS is.
  @Test func otherFormsAreNamed() throws {
    let dir = try TempMesh([
      "dcs.json": "{\"dataContractSpecification\": \"1.2.1\", \"id\": \"x\", \"info\": {\"title\": \"t\"}}",
      "datacontract": "dataContractSpecification: 1.2.1\nid: x\n",
    ])
    defer { dir.remove() }
    for (name, hint) in [
      ("dcs.json", "JSON is YAML: rename it to end in .yaml"), ("datacontract", "rename it to end in .yaml"),
    ] {
      do {
        _ = try ModelLoader.load(path: dir.root + "/" + name)
        Issue.record("\(name) loaded")
      } catch {
        #expect(error.message.hasPrefix("a Data Contract Specification document"), "\(error.message)")
        #expect(error.hint == hint)
      }
    }
  }
}

import Foundation
import Testing
@testable import LineageCore
@testable import LineageLoaders

@Suite struct BitolImporterTests {
  func edges(_ model: LineageModel) -> [String] {
    let g = model.graph
    var out: [String] = []
    for v in 0..<Int32(g.nodeCount) { for w in g.forward.neighbors(v) { out.append("\(g.id(v)) -> \(g.id(w))") } }
    return out.sorted()
  }

  @Test func fullODCSExample() throws {
    let folder = try #require(Corpus.folder("odcs_bitol"))
    let model = try ModelLoader.load(path: folder + "/repo_files/docs/examples/all/full-example.odcs.yaml")
    let id = "53581432-6c55-4ba2-a65f-72344a91553a"
    let tbl = try #require(model.mesh.nodes.first { $0.id == id + ".tbl" })
    #expect(tbl.kind == "dataset")
    #expect(tbl.domain == "seller")
    #expect(tbl.owner == "my-team")
    #expect(tbl.schema.map(\.name).contains("rcvr_id"))
    #expect(tbl.schema.first { $0.name == "rcvr_id" }?.primaryKey == true)
    #expect(tbl.schema.contains { $0.classification == "restricted" })
    // transformSourceObjects name tables no contract declares: external inputs.
    #expect(tbl.inputs.map(\.product) == ["table_name_1", "table_name_2", "table_name_3"])
    #expect(model.mesh.nodes.first { $0.id == "table_name_1" }?.kind == "external")
  }

  @Test func nestedPropertiesAndEveryExampleLoads() throws {
    let folder = try #require(Corpus.folder("odcs_bitol"))
    let examples = folder + "/repo_files/docs/examples"
    let nested = try ModelLoader.load(path: examples + "/schema/all-schema-types.odcs.yaml")
    let another = try #require(nested.mesh.nodes.first { $0.id.hasSuffix(".AnotherObject") })
    #expect(another.schema.map(\.name) == ["x", "x.id", "x.zip"])
    #expect(try ModelLoader.load(path: examples + "/all/postgresql-adventureworks-contract.odcs.yaml").graph.nodeCount == 68)
    // The whole folder at once: 11 examples share one contract id, so duplicates are reported.
    let all = try ModelLoader.load(path: examples)
    #expect(all.findings.contains { $0.rule == "duplicate-id" && $0.message.contains("first in") })
    for file in BitolImporter.files(at: examples) { _ = try ModelLoader.load(path: file) }
  }

  @Test func odpsExamples() throws {
    let folder = try #require(Corpus.folder("odps_bitol"))
    let model = try ModelLoader.load(path: folder + "/repo_files/docs/examples")
    let customer = try #require(model.mesh.nodes.first { $0.id == "fbe8d147-28db-4f1d-bedf-a3fe9f458427" })
    #expect(customer.kind == .product)
    #expect(customer.domain == "seller")
    #expect(customer.owner == "Data Team")
    #expect(customer.status == .draft)
    // None of the corpus's contracts is loaded: placeholders with a warning each.
    #expect(customer.inputs.count == 4)
    #expect(model.findings.filter { $0.rule == "unresolved-contract" }.count == 5)
  }

  /// Two products joined through a contract: the producer's output port and the
  /// consumer's input port name the same contract id.
  @Test func portsJoinThroughContracts() throws {
    let mesh = try TempMesh([
      "orders.odcs.yaml": """
        apiVersion: v3.0.2
        kind: DataContract
        id: orders-contract
        version: 1.0.0
        status: active
        domain: sales
        schema:
          - name: orders
            physicalName: orders_v1
            properties:
              - name: order_id
                logicalType: string
                required: true
                primaryKey: true
              - name: email
                logicalType: string
                classification: pii
          - name: order_lines
            properties:
              - name: order_id
                transformSourceObjects: [orders]
        """,
      "raw.odcs.yaml": """
        apiVersion: v3.1.0
        kind: DataContract
        id: raw-contract
        version: 1.0.0
        status: active
        schema:
          - name: raw_orders
        """,
      "shop.odps.yaml": """
        apiVersion: v1.0.0
        kind: DataProduct
        id: shop
        status: active
        domain: sales
        team: { name: team-sales, members: [{ username: ann@acme.example, role: owner }] }
        inputPorts:
          - { name: raw, version: 1.0.0, contractId: raw-contract }
        outputPorts:
          - { name: orders, version: 1.0.0, contractId: orders-contract }
        """,
      "finance.odps.yaml": """
        apiVersion: v1.0.0
        kind: DataProduct
        id: finance
        status: active
        domain: finance
        inputPorts:
          - { name: orders, version: 1.0.0, contractId: orders-contract }
          - { name: missing, version: 1.0.0, contractId: orders-contrakt }
        """,
    ])
    defer { mesh.remove() }
    let model = try ModelLoader.load(path: mesh.root)
    #expect(edges(model) == [
      "orders-contract.orders -> orders-contract.order_lines",
      "orders-contrakt -> finance",
      "raw-contract.raw_orders -> shop",
      "shop -> finance",
      "shop -> orders-contract.order_lines",
      "shop -> orders-contract.orders",
    ])
    let warning = try #require(model.findings.first { $0.rule == "unresolved-contract" })
    #expect(warning.hint == "did you mean 'orders-contract'?")
    let orders = try #require(model.mesh.nodes.first { $0.id == "orders-contract.orders" })
    #expect(orders.owner == "team-sales")  // from the product that serves it
    #expect(orders.physicalLocation == "orders_v1")
    let finance = try #require(model.mesh.nodes.first { $0.id == "finance" })
    #expect(finance.inputs.first { $0.product == "shop" }?.provenance.first?.detail == "input port orders@1.0.0, contract orders-contract")
    // The same files given as several --mesh arguments join the same way.
    let files = ["orders.odcs.yaml", "raw.odcs.yaml", "shop.odps.yaml", "finance.odps.yaml"].map { mesh.root + "/" + $0 }
    #expect(edges(try ModelLoader.load(paths: files)) == edges(model))
  }

  /// A "billion laughs" document: aliases that expand to 10^9 values stop at the
  /// value budget with an error instead of hanging.
  @Test func aliasBombIsAnError() throws {
    var lines = ["apiVersion: v3.0.0", "kind: DataContract", "id: bomb", "status: active", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in 1..<9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
    lines.append("schema:\n  - name: t\n    properties: *a8")
    let mesh = try TempMesh(["bomb.odcs.yaml": lines.joined(separator: "\n") + "\n"])
    defer { mesh.remove() }
    do {
      _ = try ModelLoader.load(path: mesh.root + "/bomb.odcs.yaml")
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("expands to more than"))
    }
  }

  @Test func badDocuments() throws {
    let mesh = try TempMesh([
      "broken.odcs.yaml": "kind: DataContract\napiVersion: v3.0.0\nschema: [\n",
      "noid.odcs.yaml": "kind: DataContract\napiVersion: v3.0.0\nstatus: active\n",
      "dcs.yaml": "dataContractSpecification: 1.1.0\nid: x\n",
    ])
    defer { mesh.remove() }
    #expect(throws: LoadError.self) { try ModelLoader.load(path: mesh.root + "/broken.odcs.yaml") }
    let noID = try ModelLoader.load(path: mesh.root + "/noid.odcs.yaml")
    #expect(noID.findings.contains { $0.rule == "missing-field" && $0.severity == .error })
    let dcs = try ModelLoader.load(path: mesh.root + "/dcs.yaml")
    #expect(dcs.findings.contains { $0.rule == "unsupported-format" })
  }
}

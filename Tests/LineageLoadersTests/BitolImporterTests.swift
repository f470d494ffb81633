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
    #expect(
      try ModelLoader.load(path: examples + "/all/postgresql-adventureworks-contract.odcs.yaml").graph.nodeCount == 68)
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
    #expect(
      edges(model) == [
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
    #expect(
      finance.inputs.first { $0.product == "shop" }?.provenance.first?.detail
        == "input port orders@1.0.0, contract orders-contract")
    // The same files given as several --mesh arguments join the same way.
    let files = ["orders.odcs.yaml", "raw.odcs.yaml", "shop.odps.yaml", "finance.odps.yaml"].map {
      mesh.root + "/" + $0
    }
    #expect(edges(try ModelLoader.load(paths: files)) == edges(model))
  }

  /// A "billion laughs" document: aliases that expand to 10^9 values stop at the
  /// value budget with an error instead of hanging.
  @Test func aliasBombIsAnError() throws {
    var lines = [
      "apiVersion: v3.0.0", "kind: DataContract", "id: bomb", "status: active",
      "a0: &a0 [x, x, x, x, x, x, x, x, x, x]",
    ]
    for i in 1..<9 {
      lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]")
    }
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

  /// Reads `files` (relative path -> text) with the importer, giving the findings
  /// with paths relative to the temporary root, and the mesh.
  func read(_ files: [String: String]) throws -> ([Finding], Mesh) {
    let dir = try TempMesh(files)
    defer { dir.remove() }
    let (mesh, findings) = try BitolImporter.load(files: files.keys.sorted().map { dir.root + "/" + $0 })
    return (
      findings.map { f in
        var f = f
        if let l = f.location {
          f.location = SourceLocation(file: dir.relative(l.file), line: l.line, column: l.column)
        }
        return f
      }, mesh
    )
  }

  /// The load errors of one document, as `LINE:COLUMN rule: message`.
  func loadErrors(_ text: String, file: String = "c.odcs.yaml") throws -> [String] {
    let (findings, _) = try read([file: text])
    for f in findings where f.isLoadError { #expect(f.location?.file == file) }
    return findings.filter(\.isLoadError).sorted(by: Finding.reportOrder)
      .map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.rule): \($0.message)" }
  }

  /// `LINE:COLUMN` of `needle` in `text`, `offset` columns further.
  func at(_ needle: String, _ text: String, offset: Int = 0) -> String {
    let p = position(of: needle, in: text)
    #expect(p.line > 0, "\(needle) not in the text")
    return "\(p.line):\(p.column + offset)"
  }

  /// Every ODCS and ODPS example of the corpora (the bundled subset and the shared
  /// corpus; the examples folders hold only valid documents) loads with no load
  /// error, one by one and folder by folder.
  @Test func everyCorpusExampleLoadsWithoutLoadErrors() throws {
    var folders = [Corpus.bundled + "/odcs_bitol", Corpus.bundled + "/odps_bitol"]
    if let shared = Corpus.shared { folders += [shared + "/odcs_bitol", shared + "/odps_bitol"] }
    var count = 0
    for folder in folders {
      let examples = folder + "/repo_files/docs/examples"
      let files = BitolImporter.files(at: examples)
      #expect(files.count >= 2, "\(examples)")
      for file in files {
        let model = try ModelLoader.load(path: file)
        #expect(model.findings.loadErrors.isEmpty, "\(file): \(model.findings.loadErrors.map(\.message))")
        // Only the examples whose schema is empty (roles, SLA, ...) have no node.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!model.mesh.nodes.isEmpty || text.contains("schema: [") || !text.contains("schema:"), "\(file)")
        count += 1
      }
      let all = try ModelLoader.load(path: examples)
      #expect(all.findings.loadErrors.isEmpty, "\(examples): \(all.findings.loadErrors.map(\.message))")
    }
    #expect(count >= 20)
  }

  /// A document that uses the formats' optional forms reads without a finding: null
  /// values, YAML 1.1 booleans, numbers where text is read, team as a member list
  /// (ODCS v3.0), description as text.
  @Test func optionalFormsAreNotErrors() throws {
    let text = """
      apiVersion: v3.0.2
      kind: DataContract
      id: c
      version: 1.0
      status: active
      domain: ~
      description: plain text
      tags: [a, ~]
      team:
        - username: ann
          role: owner
      servers:
      schema:
        - name: t
          physicalName: 42
          tags:
          properties:
            - name: id
              required: yes
              primaryKey: True
              logicalType: ~
              items:
      """
    let (findings, mesh) = try read(["c.odcs.yaml": text])
    #expect(findings.isEmpty, "\(findings.map(\.message))")
    let t = try #require(mesh.nodes.first { $0.id == "c.t" })
    #expect(t.version == "1.0")
    #expect(t.owner == "ann")
    #expect(t.physicalLocation == "42")
    #expect(t.tags == ["a"])
    #expect(t.schema.first?.nullable == false)
    #expect(t.schema.first?.primaryKey == true)
  }

  @Test func topLevelFieldsOfTheWrongType() throws {
    let text = """
      apiVersion: v3.1.0
      kind: DataContract
      id: c
      version: [1]
      status: {a: b}
      domain: [sales]
      tags: finance
      description: [x]
      schema:
        - name: t
      """
    #expect(
      try loadErrors(text) == [
        "\(at("[1]", text)) invalid-type: version must be a string, got a sequence",
        "\(at("{a: b}", text)) invalid-type: status must be a string, got a mapping",
        "\(at("[sales]", text)) invalid-type: domain must be a string, got a sequence",
        "\(at("finance", text)) invalid-type: tags must be a sequence, got a scalar ('finance')",
        "\(at("[x]", text)) invalid-type: description must be a mapping (purpose, usage, limitations) or a string, got a sequence",
      ])
    let more = """
      apiVersion: v3.1.0
      kind: DataContract
      id: c
      tags: [a, {b: c}]
      description:
        purpose: [p]
      """
    #expect(
      try loadErrors(more) == [
        "\(at("{b: c}", more)) invalid-type: tags[1] must be a string, got a mapping",
        "\(at("[p]", more)) invalid-type: description.purpose must be a string, got a sequence",
      ])
  }

  /// kind, apiVersion and id of the wrong shape: the document is not read at all.
  @Test func identityFieldsOfTheWrongTypeSkipTheDocument() throws {
    for (field, value) in [("kind", "[DataContract]"), ("apiVersion", "{v: 3}"), ("id", "[a, b]")] {
      var lines = ["kind: DataContract", "apiVersion: v3.1.0", "id: c", "schema:", "  - name: t"]
      lines = lines.map { $0.hasPrefix(field + ":") ? "\(field): \(value)" : $0 }
      let text = lines.joined(separator: "\n") + "\n"
      let (findings, mesh) = try read(["c.odcs.yaml": text])
      let shape = value.hasPrefix("[") ? "a sequence" : "a mapping"
      #expect(findings.map(\.rule) == ["invalid-type"])
      #expect(findings.first?.message == "\(field) must be a string, got \(shape)")
      #expect(
        findings.first?.location
          == SourceLocation(
            file: "c.odcs.yaml", line: position(of: value, in: text).line,
            column: position(of: value, in: text).column))
      #expect(mesh.nodes.isEmpty)
    }
  }

  @Test func teamOfTheWrongShape() throws {
    let scalar = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nteam: the-team\n"
    #expect(
      try loadErrors(scalar) == [
        "4:7 invalid-type: team must be a mapping (name, members) or a sequence of members, got a scalar ('the-team')"
      ])
    let text = """
      apiVersion: v3.1.0
      kind: DataContract
      id: c
      team:
        name: [t]
        members:
          - just-a-name
          - username: {u: 1}
            role: [owner]
            name: [n]
      """
    #expect(
      try loadErrors(text) == [
        "\(at("[t]", text)) invalid-type: team.name must be a string, got a sequence",
        "\(at("just-a-name", text)) invalid-type: team.members[0] must be a mapping, got a scalar ('just-a-name')",
        "\(at("{u: 1}", text)) invalid-type: team.members[1].username must be a string, got a mapping",
        "\(at("[owner]", text)) invalid-type: team.members[1].role must be a string, got a sequence",
        "\(at("[n]", text)) invalid-type: team.members[1].name must be a string, got a sequence",
      ])
    let list = "apiVersion: v3.0.2\nkind: DataContract\nid: c\nteam:\n  - username: [a]\n"
    #expect(try loadErrors(list) == ["5:15 invalid-type: team[0].username must be a string, got a sequence"])
    let members = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nteam:\n  members: everyone\n"
    #expect(
      try loadErrors(members) == ["5:12 invalid-type: team.members must be a sequence, got a scalar ('everyone')"])
  }

  @Test func serversOfTheWrongShape() throws {
    let mapping = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nservers:\n  prod: {type: postgres}\n"
    #expect(try loadErrors(mapping) == ["5:3 invalid-type: servers must be a sequence, got a mapping"])
    let item = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nservers: [prod]\n"
    #expect(try loadErrors(item) == ["4:11 invalid-type: servers[0] must be a mapping, got a scalar ('prod')"])
    let fields = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nservers:\n  - database: [db]\n    schema: {s: 1}\n"
    #expect(
      try loadErrors(fields) == [
        "5:15 invalid-type: servers[0].database must be a string, got a sequence",
        "6:13 invalid-type: servers[0].schema must be a string, got a mapping",
      ])
  }

  @Test func schemaObjectsOfTheWrongShape() throws {
    let notList = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nschema:\n  name: t\n"
    #expect(try loadErrors(notList) == ["5:3 invalid-type: schema must be a sequence, got a mapping"])
    let text = """
      apiVersion: v3.1.0
      kind: DataContract
      id: c
      schema:
        - orders
        - name: [t]
        - name: u
          businessName: [b]
          physicalName: {p: q}
          description: [d]
          tags: x
          properties: id
      """
    #expect(
      try loadErrors(text) == [
        "\(at("orders", text)) invalid-type: schema[0] must be a mapping, got a scalar ('orders')",
        "\(at("[t]", text)) invalid-type: schema[1].name must be a string, got a sequence",
        "\(at("[b]", text)) invalid-type: schema[2].businessName must be a string, got a sequence",
        "\(at("{p: q}", text)) invalid-type: schema[2].physicalName must be a string, got a mapping",
        "\(at("[d]", text)) invalid-type: schema[2].description must be a string, got a sequence",
        "\(at("tags: x", text, offset: 6)) invalid-type: schema[2].tags must be a sequence, got a scalar ('x')",
        "\(at("properties: id", text, offset: 12)) invalid-type: schema[2].properties must be a sequence, got a scalar ('id')",
      ])
  }

  @Test func propertiesOfTheWrongShape() throws {
    let text = """
      apiVersion: v3.1.0
      kind: DataContract
      id: c
      schema:
        - name: t
          properties:
            - id
            - name: {n: 1}
            - name: a
              logicalType: [string]
              physicalType: {varchar: 2}
              required: "true"
              primaryKey: maybe
              classification: [pii]
              description: [d]
              transformSourceObjects: raw
            - name: b
              transformSourceObjects: [raw, {t: 1}]
              properties:
                - name: c
                  required: 1
              items:
                properties: nested
            - name: e
              items: [x]
      """
    #expect(
      try loadErrors(text) == [
        "\(at("- id", text, offset: 2)) invalid-type: schema[0].properties[0] must be a mapping, got a scalar ('id')",
        "\(at("{n: 1}", text)) invalid-type: schema[0].properties[1].name must be a string, got a mapping",
        "\(at("[string]", text)) invalid-type: schema[0].properties[2].logicalType must be a string, got a sequence",
        "\(at("{varchar: 2}", text)) invalid-type: schema[0].properties[2].physicalType must be a string, got a mapping",
        "\(at("\"true\"", text)) invalid-type: schema[0].properties[2].required must be true or false, got a scalar ('true')",
        "\(at("maybe", text)) invalid-type: schema[0].properties[2].primaryKey must be true or false, got a scalar ('maybe')",
        "\(at("[pii]", text)) invalid-type: schema[0].properties[2].classification must be a string, got a sequence",
        "\(at("[d]", text)) invalid-type: schema[0].properties[2].description must be a string, got a sequence",
        "\(at("raw", text)) invalid-type: schema[0].properties[2].transformSourceObjects must be a sequence, got a scalar ('raw')",
        "\(at("{t: 1}", text)) invalid-type: schema[0].properties[3].transformSourceObjects[1] must be a string, got a mapping",
        "\(at("required: 1", text, offset: 10)) invalid-type: schema[0].properties[3].properties[0].required must be true or false, got a scalar ('1')",
        "\(at("nested", text)) invalid-type: schema[0].properties[3].items.properties must be a sequence, got a scalar ('nested')",
        "\(at("[x]", text)) invalid-type: schema[0].properties[4].items must be a mapping, got a sequence",
      ])
  }

  @Test func productFieldsOfTheWrongShape() throws {
    let ports = "apiVersion: v1.0.0\nkind: DataProduct\nid: p\ninputPorts: {a: b}\noutputPorts: out\n"
    #expect(
      try loadErrors(ports, file: "p.odps.yaml") == [
        "4:13 invalid-type: inputPorts must be a sequence, got a mapping",
        "5:14 invalid-type: outputPorts must be a sequence, got a scalar ('out')",
      ])
    let text = """
      apiVersion: v1.0.0
      kind: DataProduct
      id: p
      name: [n]
      inputPorts:
        - raw
        - name: {a: 1}
          version: [1]
          contractId: [c]
      outputPorts:
        - name: o
          version: 1.0.0
          contractId: {c: 1}
          inputContracts: c2
        - name: o2
          inputContracts:
            - c3
            - id: [c4]
      """
    #expect(
      try loadErrors(text, file: "p.odps.yaml") == [
        "\(at("[n]", text)) invalid-type: name must be a string, got a sequence",
        "\(at("raw", text)) invalid-type: inputPorts[0] must be a mapping, got a scalar ('raw')",
        "\(at("{a: 1}", text)) invalid-type: inputPorts[1].name must be a string, got a mapping",
        "\(at("[1]", text)) invalid-type: inputPorts[1].version must be a string, got a sequence",
        "\(at("[c]", text)) invalid-type: inputPorts[1].contractId must be a string, got a sequence",
        "\(at("{c: 1}", text)) invalid-type: outputPorts[0].contractId must be a string, got a mapping",
        "\(at("c2", text)) invalid-type: outputPorts[0].inputContracts must be a sequence, got a scalar ('c2')",
        "\(at("c3", text)) invalid-type: outputPorts[1].inputContracts[0] must be a mapping, got a scalar ('c3')",
        "\(at("[c4]", text)) invalid-type: outputPorts[1].inputContracts[1].id must be a string, got a sequence",
      ])
  }

  /// Parts the formats require, without which the importer would leave a document or
  /// part of one out: load errors at the part.
  @Test func leftOutPartsAreLoadErrors() throws {
    let noID = "kind: DataContract\napiVersion: v3.0.0\nstatus: active\n"
    #expect(try loadErrors(noID) == ["1:1 invalid-document: the contract has no id; not read"])
    let contract = """
      apiVersion: v3.1.0
      kind: DataContract
      id: c
      schema:
        - physicalName: t1
        - name: t
          properties:
            - logicalType: string
            - name: ok
      """
    #expect(
      try loadErrors(contract) == [
        "\(at("physicalName", contract)) invalid-document: schema[0] has no name; the schema object is not read",
        "\(at("logicalType", contract)) invalid-document: schema[1].properties[0] has no name; the property is not read",
      ])
    let product = """
      apiVersion: v1.0.0
      kind: DataProduct
      id: p
      inputPorts:
        - name: raw
          version: 1.0.0
      outputPorts:
        - name: o
          version: 1.0.0
          inputContracts:
            - version: 1.0.0
      """
    #expect(
      try loadErrors(product, file: "p.odps.yaml") == [
        "\(at("name: raw", product)) invalid-document: inputPorts[0] has no contractId; the port is not read",
        "11:9 invalid-document: outputPorts[0].inputContracts[0] has no id; the input contract is not read",
      ])
  }

  @Test func versionsOtherThanODCSv3AndODPSv1AreLoadErrors() throws {
    let v2 = "kind: DataContract\napiVersion: 2.2.2\nuuid: x\nid: c\n"
    #expect(
      try loadErrors(v2) == ["2:13 unsupported-version: ODCS apiVersion '2.2.2' is not v3; the contract is not read"])
    let none = "kind: DataContract\nid: c\n"
    #expect(
      try loadErrors(none) == [
        "1:1 unsupported-version: the contract has no apiVersion; lineage reads ODCS v3 (apiVersion: v3.1.0, say); not read"
      ])
    let odps = "kind: DataProduct\napiVersion: v2.0.0\nid: p\n"
    #expect(
      try loadErrors(odps, file: "p.odps.yaml") == [
        "2:13 unsupported-version: ODPS apiVersion 'v2.0.0' is neither v0.9 nor v1; the product is not read"
      ])
    for ok in ["v0.9.0", "v1.0.0", "1.1.0"] {
      #expect(try loadErrors("kind: DataProduct\napiVersion: \(ok)\nid: p\n", file: "p.odps.yaml").isEmpty)
    }
    let (_, mesh) = try read(["c.odcs.yaml": v2])
    #expect(mesh.nodes.isEmpty)
  }

  /// Documents that are not read at all: YAML syntax errors and duplicate keys at
  /// their place, empty files and documents that are not mappings; the other files
  /// are still read.
  @Test func unreadableDocumentsAreLocatedLoadErrors() throws {
    let (findings, mesh) = try read([
      "a-broken.odcs.yaml": "kind: DataContract\napiVersion: v3.0.0\nid: a\nschema: [\n",
      "b-dup.odcs.yaml": "kind: DataContract\napiVersion: v3.0.0\nid: b\nid: b2\n",
      "c-empty.odcs.yaml": "# kind: DataContract\n",
      "d-list.odcs.yaml": "- kind: DataContract\n",
      "e-good.odcs.yaml": "kind: DataContract\napiVersion: v3.0.0\nid: e\nschema:\n  - name: t\n",
      "f-kind.odcs.yaml": "kind: DataContrakt\napiVersion: v3.0.0\nid: f\n",
    ])
    let shown = findings.filter(\.isLoadError).map { "\($0.location?.description ?? "") \($0.rule): \($0.message)" }
    #expect(
      shown == [
        "a-broken.odcs.yaml:5:1 yaml-syntax: YAML syntax error: did not find expected node content (while parsing a flow node at line 5, column 1)",
        "b-dup.odcs.yaml:3:1 duplicate-key: duplicate key 'id' in one mapping",
        "c-empty.odcs.yaml:1:1 invalid-document: the file is empty, not an ODCS contract or ODPS product",
        "d-list.odcs.yaml:1:1 invalid-document: the file is a sequence, not an ODCS contract or ODPS product (a mapping)",
        "f-kind.odcs.yaml:1:7 invalid-document: kind 'DataContrakt' is neither DataContract nor DataProduct; not read",
      ])
    #expect(mesh.nodes.map(\.id) == ["e.t"])
  }

  func loadError(_ body: () throws -> Any) -> LoadError? {
    do {
      _ = try body()
      return nil
    } catch let error as LoadError {
      return error
    } catch {
      Issue.record("unexpected \(error)")
      return nil
    }
  }

  /// A Data Contract Specification document (datacontract.com) is read wherever a
  /// contract is: alone, in a directory of contracts beside ODCS, among several inputs,
  /// and with its key past the first 8 KiB.
  @Test func dataContractSpecificationIsReadEverywhere() throws {
    let dcs =
      "# a contract\ndataContractSpecification: 1.1.0\nid: orders\ninfo:\n  title: Orders\n  version: 1.0.0\nmodels:\n  orders:\n    fields:\n      id: {type: string}\n"
    let dir = try TempMesh([
      "one/datacontract.yaml": dcs,
      "mixed/a.odcs.yaml": "kind: DataContract\napiVersion: v3.1.0\nid: a\nschema:\n  - name: t\n",
      "mixed/b/datacontract.yaml": dcs,
      "late.yaml": "kind: DataContract\n# " + String(repeating: "x", count: 9000)
        + "\nid: x\ndataContractSpecification: 1.2.0\ninfo: {title: X, version: 1.0.0}\nmodels:\n  m: {fields: {a: {type: int}}}\n",
    ])
    defer { dir.remove() }
    let file = dir.root + "/one/datacontract.yaml"
    for (model, ids) in [
      (try ModelLoader.load(path: file), ["orders.orders"]),
      (try ModelLoader.load(path: dir.root + "/one"), ["orders.orders"]),
      (try ModelLoader.load(path: dir.root + "/mixed"), ["a.t", "orders.orders"]),
      (try ModelLoader.load(paths: [dir.root + "/mixed/a.odcs.yaml", file]), ["a.t", "orders.orders"]),
      (try ModelLoader.load(path: dir.root + "/late.yaml"), ["x.m"]),
    ] {
      #expect(model.mesh.nodes.map(\.id).sorted() == ids)
      #expect(!model.findings.contains { $0.severity == .error }, "\(model.findings)")
    }
  }

  /// A contract or product in a form lineage does not take (JSON, a name without
  /// .yaml) is an error naming it, not a graph JSON error nor an empty mesh.
  @Test func contractsInOtherFormsAreNamed() throws {
    let dir = try TempMesh([
      "odcs.json":
        "{\"apiVersion\": \"v3.1.0\", \"kind\": \"DataContract\", \"id\": \"c\", \"schema\": [{\"name\": \"t\"}]}",
      "odps.json": "{\n  \"apiVersion\": \"v1.0.0\",\n  \"kind\": \"DataProduct\",\n  \"id\": \"p\"\n}\n",
      "contract.txt": "kind: DataContract\napiVersion: v3.1.0\nid: c\n",
      "graph.json": "{\"nodes\": [{\"id\": \"a\", \"kind\": \"DataContract\"}], \"apiVersion\": \"v1\"}",
    ])
    defer { dir.remove() }
    let odcs = try #require(loadError { try ModelLoader.load(path: dir.root + "/odcs.json") })
    #expect(
      odcs.message
        == "an ODCS data contract in JSON: lineage reads contracts and products from .yaml or .yml files only")
    #expect(odcs.hint == "JSON is YAML: rename it to end in .yaml")
    let odps = try #require(loadError { try ModelLoader.load(path: dir.root + "/odps.json") })
    #expect(odps.message.hasPrefix("an ODPS data product in JSON"))
    let text = try #require(loadError { try ModelLoader.load(path: dir.root + "/contract.txt") })
    #expect(text.message == "an ODCS data contract: lineage reads contracts and products from .yaml or .yml files only")
    // Graph JSON that happens to hold such words is still graph JSON.
    #expect(try ModelLoader.load(path: dir.root + "/graph.json").graph.nodeCount == 1)
  }
}

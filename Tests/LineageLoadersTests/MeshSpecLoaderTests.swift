import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

@Suite struct MeshSpecLoaderTests {
  @Test func loadsAValidMeshWithEveryField() throws {
    let orders = """
      apiVersion: lineage/v1
      kind: DataProduct
      id: sales.orders
      name: Orders
      domain: sales
      description: Confirmed orders.
      version: 2.1.0
      status: deprecated
      deprecation: { sunset: 2027-03-01, replacedBy: sales.orders_v3 }
      access: domain
      sensitivity: confidential
      tags: [orders, revenue]
      entities: [order]
      location: warehouse.sales.orders
      sla: { freshness: 1h, availability: 99.9 }
      inputs:
        - product: crm.customers
          columns: [id, segment]
      schema:
        - name: customer_id
          type: bigint
          nullable: false
          primaryKey: true
          from: [crm.customers.id]
        - name: customer_segment
          type: string
          renamedFrom: segment
          from:
            - { product: crm.customers, column: segment, transform: transformation }
      ---
      apiVersion: lineage/v1
      kind: DataProduct
      id: sales.orders_v3
      domain: sales
      owner: team-crm
      ---
      apiVersion: lineage/v1
      kind: Consumer
      id: sales.dashboard
      criticality: high
      inputs:
        - sales.orders_v3
      """
    let t = try TempMesh(["mesh.yaml": meshYAML, "crm/customers.yaml": customersYAML, "sales/orders.yml": orders])
    defer { t.remove() }
    let model = try t.load()
    #expect(t.findings(model).isEmpty, "\(t.findings(model))")
    let mesh = model.mesh
    #expect(mesh.name == "test")
    #expect(mesh.domains.map(\.id) == ["sales", "crm"])
    #expect(
      mesh.policies == [PolicySetting(rule: "require-owner", level: .error, location: mesh.policies.first?.location)])
    #expect(mesh.nodes.map(\.id) == ["crm.customers", "sales.orders", "sales.orders_v3", "sales.dashboard"])
    let o = mesh.nodes[1]
    #expect(o.kind == .product && o.status == .deprecated && o.access == .domain && o.sensitivity == .confidential)
    #expect(o.deprecation?.sunset == "2027-03-01" && o.deprecation?.replacedBy == "sales.orders_v3")
    #expect(o.tags == ["orders", "revenue"] && o.entities == ["order"])
    #expect(o.physicalLocation == "warehouse.sales.orders")
    #expect(o.serviceLevel == ServiceLevel(freshness: "1h", availability: 99.9))
    #expect(o.inputs.first?.columns == ["id", "segment"])
    #expect(o.schema[0].primaryKey && !o.schema[0].nullable)
    #expect(o.schema[1].renamedFrom == "segment")
    #expect(
      o.schema[1].from == [
        ColumnRef(
          product: "crm.customers", column: "segment", transform: .transformation,
          location: o.schema[1].from[0].location)
      ])
    #expect(mesh.effectiveOwner(of: o) == "team-sales")
    #expect(mesh.effectiveOwner(of: mesh.nodes[2]) == "team-crm")
    let g = model.graph
    #expect(g.edgeCount == 2)
    #expect(g.ownerName(g.index(of: "sales.orders")!) == "team-sales")
    // Column lineage: crm.customers.id -> sales.orders.customer_id
    let cid = model.columns.column(of: g.index(of: "crm.customers")!, named: "id")!
    let down = model.columns.forward.neighbors(cid).map { model.columns.qualifiedName($0, in: g) }
    #expect(down == ["sales.orders.customer_id"])
  }

  @Test func reportsEveryProblemWithItsPlace() throws {
    let bad = """
      apiVersion: lineage/v1
      kind: DataProduct
      id: sales.orders
      domain: sale
      owner: team-sale
      descripton: typo
      status: live
      inputs:
        - product: crm.customer
        - product: crm.customers
          columns: [id, segmnt]
      schema:
        - name: x
          from: [crm.customers.emial]
        - name: y
          from: [sales.other.z]
        - name: x
      ---
      apiVersion: lineage/v1
      kind: DataProdcut
      id: a.b
      ---
      apiVersion: lineage/v2
      kind: DataProduct
      ---
      apiVersion: lineage/v1
      kind: DataProduct
      id: crm.customers
      domain: crm
      ---
      apiVersion: v1
      kind: ConfigMap
      ---
      apiVersion: lineage/v1
      kind: Source
      domain: crm
      nullable: [1
      """
    let t = try TempMesh(["mesh.yaml": meshYAML, "crm/customers.yaml": customersYAML, "sales/bad.yaml": bad])
    defer { t.remove() }
    let model = try t.load()
    let found = t.findings(model).map { f in
      "\(f.location?.file ?? ""):\(f.location?.line ?? 0):\(f.location?.column ?? 0) \(f.rule) \(f.hint ?? "")"
    }
    func at(_ needle: String, _ n: Int = 1) -> String {
      let p = position(of: needle, in: bad, occurrence: n)
      return "sales/bad.yaml:\(p.line):\(p.column)"
    }
    let secondX = position(of: "- name: x", in: bad, occurrence: 2)
    let expected: Set<String> = [
      "sales/bad.yaml:4:9 unresolved-reference did you mean 'sales'?",
      "\(at("team-sale")) unresolved-reference did you mean 'team-sales'?",
      "\(at("descripton")) unknown-field did you mean 'description'?",
      "\(at("live")) invalid-value ",
      "\(at("crm.customer")) unresolved-reference did you mean 'crm.customers'?",
      "\(at("segmnt")) unresolved-reference did you mean 'segment'?",
      "\(at("crm.customers.emial")) unresolved-reference did you mean 'email'?",
      "\(at("sales.other.z")) unresolved-reference did you mean 'sales.orders'?",
      "sales/bad.yaml:\(secondX.line):\(secondX.column + 8) duplicate-column rename or remove one of them",
      "\(at("DataProdcut")) unknown-kind did you mean 'DataProduct'?",
      "\(at("lineage/v2")) unknown-api-version this version of lineage reads lineage/v1",
      "\(at("crm.customers", 3)) duplicate-id ids must be unique in the mesh; rename one of them",
      "sales/bad.yaml:\(position(of: "apiVersion: v1", in: bad).line):1 skipped-document ",
    ]
    for e in expected where !found.contains(e) {
      Issue.record("missing finding: \(e)\nfound:\n\(found.joined(separator: "\n"))")
    }
    // The YAML syntax error in the last document is reported with its place, and the
    // documents before it were still read.
    #expect(found.contains { $0.hasPrefix("sales/bad.yaml:38:") && $0.contains("yaml-syntax") })
    #expect(model.mesh.nodes.contains { $0.id == "sales.orders" })
    // The duplicate points at the first declaration.
    let dup = model.findings.first { $0.rule == "duplicate-id" }
    #expect(dup.map { t.relative($0.related[0].file) } == "crm/customers.yaml")
  }

  @Test func missingFieldsAndWrongTypes() throws {
    let doc = """
      apiVersion: lineage/v1
      kind: DataProduct
      id: sales.x
      tags: orders
      schema:
        - type: string
        - name: ok
          nullable: maybe
      inputs: {product: crm.customers}
      """
    let t = try TempMesh(["mesh.yaml": meshYAML, "x.yaml": doc])
    defer { t.remove() }
    let found = t.findings(try t.load()).map { "\($0.location!.line):\($0.location!.column) \($0.rule): \($0.message)" }
    #expect(found.contains("1:1 missing-field: DataProduct 'sales.x' is missing required field 'domain'"))
    #expect(
      found.contains(
        "4:7 invalid-type: field 'tags' of DataProduct 'sales.x' must be a list, found a scalar ('orders')"))
    #expect(found.contains("6:5 missing-field: a column of 'sales.x' is missing required field 'name'"))
    #expect(
      found.contains(
        "8:15 invalid-type: field 'nullable' of column 'sales.x.ok' must be true or false, found a scalar ('maybe')"))
    #expect(found.contains("9:9 invalid-type: field 'inputs' of DataProduct 'sales.x' must be a list, found a mapping"))
  }

  @Test func yamlAndEncodingProblems() throws {
    let t = try TempMesh([
      "mesh.yaml": meshYAML,
      "dup.yaml": "apiVersion: lineage/v1\nkind: Source\nid: a\nid: b\n",
      "tabs.yaml": "apiVersion: lineage/v1\nkind: Source\n\tid: a\n",
      "empty.yaml": "",
      "bom.yaml": "\u{FEFF}apiVersion: lineage/v1\r\nkind: Source\r\nid: crm.bom\r\ndomain: crm\r\n",
      "list.yaml": "- a\n- b\n",
      ".hidden/x.yaml": "this: is: not: read",
    ])
    defer { t.remove() }
    try Data([0x61, 0x3A, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: t.root + "/latin1.yaml"))
    let model = try t.load()
    let found = t.findings(model).map { "\($0.location!.file):\($0.location!.line) \($0.rule)" }
    #expect(found.contains("dup.yaml:3 duplicate-key"))
    #expect(found.contains("tabs.yaml:3 yaml-syntax"))
    #expect(found.contains("latin1.yaml:1 invalid-utf8"))
    #expect(found.contains("list.yaml:1 skipped-document"))
    #expect(!found.contains { $0.hasPrefix("empty.yaml") || $0.hasPrefix(".hidden") })
    #expect(model.mesh.nodes.contains { $0.id == "crm.bom" })
  }

  @Test func meshWithoutMeshDocumentAndMissingDirectory() throws {
    let t = try TempMesh(["mesh.yaml": "apiVersion: lineage/v1\nkind: Source\nid: a\ndomain: x\n"])
    defer { t.remove() }
    let found = t.findings(try t.load()).map(\.rule)
    #expect(found.contains("missing-mesh"))
    #expect(throws: LoadError.self) { try ModelLoader.load(path: t.root + "/nope") }
    let empty = try TempMesh(["readme.txt": "x"])
    defer { empty.remove() }
    #expect(throws: LoadError.self) { try ModelLoader.load(path: empty.root) }
  }

  @Test func symlinkLoopsAreVisitedOnce() throws {
    let t = try TempMesh(["mesh.yaml": meshYAML, "crm/customers.yaml": customersYAML])
    defer { t.remove() }
    try FileManager.default.createSymbolicLink(atPath: t.root + "/crm/loop", withDestinationPath: t.root + "/crm")
    let model = try t.load()
    #expect(model.mesh.nodes.map(\.id) == ["crm.customers"])
  }

  @Test func findsMeshUpward() throws {
    let t = try TempMesh(["mesh.yaml": meshYAML, "a/b/c/.keep": ""])
    defer { t.remove() }
    let root = ModelLoader.findMeshRoot(from: t.root + "/a/b/c")
    #expect(
      root.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        == URL(fileURLWithPath: t.root).resolvingSymlinksInPath().path)
    let model = try ModelLoader.load(path: nil, cwd: t.root + "/a/b")
    #expect(model.mesh.name == "test")
  }

  @Test func policiesAreChecked() throws {
    let mesh = meshYAML.replacingOccurrences(
      of: "require-owner: error",
      with: """
        require-owner: eror
          no-cycle: warning
          max-depth: { severity: warning, limit: 6 }
        """)
    let t = try TempMesh(["mesh.yaml": mesh])
    defer { t.remove() }
    let model = try t.load()
    let found = t.findings(model).map { "\($0.rule) \($0.hint ?? "")" }
    #expect(found.contains("invalid-value did you mean 'error'?"))
    #expect(found.contains("unknown-policy did you mean 'no-cycles'?"))
    #expect(model.mesh.policies.map(\.rule) == ["max-depth"])
    #expect(model.mesh.policies.first?.limit == 6)
    #expect(model.mesh.policyLevel("no-cycles") == .error)
  }

  @Test func relativeSymlinkLoopsAreVisitedOnce() throws {
    let t = try TempMesh(["mesh.yaml": meshYAML, "x/y/customers.yaml": customersYAML])
    defer { t.remove() }
    try FileManager.default.createSymbolicLink(atPath: t.root + "/x/y/loop", withDestinationPath: "..")
    let model = try t.load()
    #expect(model.mesh.nodes.map(\.id) == ["crm.customers"])
    #expect(t.findings(model).isEmpty, "\(t.findings(model))")
  }

  @Test func aMissingIdIsOneFindingNotMany() throws {
    let t = try TempMesh([
      "mesh.yaml": meshYAML, "a.yaml": "apiVersion: lineage/v1\nkind: DataProduct\ndomain: sales\nname: A\n",
    ])
    defer { t.remove() }
    #expect(t.findings(try t.load()).map(\.rule) == ["missing-field"])
  }

  @Test func otherToolsYAMLIsNotTheMeshsProblem() throws {
    let t = try TempMesh([
      "mesh.yaml": meshYAML,
      "ansible/playbook.yml": "- hosts: all\n  tasks: []\n",
      "ci/broken.yaml": "steps: [unclosed\n",
      "ci/dup.yaml": "a: 1\na: 2\n",
      "bad.yaml": "apiVersion: lineage/v1\nkind: Source\nid: [unclosed\n",
    ])
    defer { t.remove() }
    let found = Dictionary(grouping: t.findings(try t.load()), by: { $0.location?.file ?? "" })
    #expect(found["ansible/playbook.yml"]?.map(\.severity) == [.info])
    #expect(found["ci/broken.yaml"]?.map(\.severity) == [.warning])
    #expect(found["ci/dup.yaml"]?.map(\.severity) == [.warning])
    #expect(found["bad.yaml"]?.map(\.severity) == [.error])
  }
}

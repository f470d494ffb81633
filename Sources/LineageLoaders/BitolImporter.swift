public import LineageCore
internal import Foundation
internal import Yams

/// Reads Bitol's Open Data Contract Standard (ODCS v3) contracts and Open Data
/// Product Standard (ODPS v0.9 and v1) products, together, so that ports join
/// through contract ids.
///
/// - Each schema object of a contract is a node of kind `dataset` with id
///   `CONTRACT_ID.OBJECT`, its properties the columns (nested ones as `a.b`),
///   `transformSourceObjects` its inputs.
/// - Each product is a node of kind `product` with its ODPS id. An input port whose
///   contract another product outputs becomes a product-to-product edge; one whose
///   contract is loaded but produced by no product reads that contract's objects;
///   an output port's contract objects are read from the product.
public enum BitolImporter {
  /// True when a YAML text looks like an ODCS contract or an ODPS product.
  public static func recognizes(_ text: String) -> Bool {
    var kind: String?, api: String?
    for line in text.prefix(8192).split(whereSeparator: \.isNewline) {
      func value(_ key: String) -> String? {
        guard line.hasPrefix(key) else { return nil }
        return line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
      }
      if let k = value("kind:") { kind = k }
      if let a = value("apiVersion:") { api = a }
      if line.hasPrefix("dataContractSpecification:") { return true }
    }
    return kind == "DataContract" || (kind == "DataProduct" && !(api ?? "").hasPrefix("lineage/"))
  }

  /// The ODCS and ODPS files of `path`: the file itself, or every YAML file below a
  /// directory that ``recognizes(_:)``, sorted.
  public static func files(at path: String) -> [String] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
    let all = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
    return all.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      .map { path + "/" + $0 }
      .filter { (try? String(contentsOfFile: $0, encoding: .utf8)).map(recognizes) ?? false }
  }

  struct Contract {
    var id: String
    var file: String
    var objects: [MeshNode]
    var physical: [String: String]  // physical or object name -> node id
  }

  struct Product {
    var node: MeshNode
    var inputs: [(contract: String, port: String)]
    var outputs: [(contract: String, port: String)]
    var file: String
  }

  /// Imports the files into one mesh.
  ///
  /// - Throws: ``LoadError`` when a file cannot be read or is not YAML.
  public static func load(files: [String]) throws(LoadError) -> (Mesh, [Finding]) {
    var findings: [Finding] = []
    var contracts: [Contract] = []
    var products: [Product] = []
    var teams: [String: String?] = [:]
    var domains = Set<String>()
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw LoadError(message: "\(file): cannot read", hint: "check that it exists and is readable")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw LoadError(message: "not UTF-8 text", location: SourceLocation(file: file))
      }
      let doc: JSONValue
      do {
        guard let node = try Yams.compose(yaml: text, .basic) else {  // scalars typed by `convert`
          findings.append(Finding(rule: "empty-input", severity: .warning, message: "\(file) is empty",
                                  location: SourceLocation(file: file)))
          continue
        }
        doc = try convert(node)
      } catch let error as YamlError {
        // The parser's message quotes the offending line: keep it short.
        let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: true).prefix(3)
          .map { $0.count > 160 ? $0.prefix(160) + "…" : $0 }
        throw LoadError(message: "invalid YAML: " + lines.joined(separator: "\n  "), location: SourceLocation(file: file))
      } catch {
        throw LoadError(message: "\(error)", location: SourceLocation(file: file))
      }
      let at = SourceLocation(file: file, line: 1, column: 1)
      guard let top = doc.object else {
        findings.append(Finding(rule: "invalid-document", severity: .warning,
                                message: "\(file) is \(doc.typeName), not an ODCS contract or ODPS product; skipped", location: at))
        continue
      }
      let kind = top["kind"]?.string
      let api = top["apiVersion"]?.string ?? ""
      if top["dataContractSpecification"] != nil {
        findings.append(Finding(rule: "unsupported-format", severity: .warning,
                                message: "\(file) is a datacontract.com Data Contract Specification document, not ODCS; skipped",
                                location: at, hint: "convert it with 'datacontract export --format odcs'"))
        continue
      }
      guard let id = top["id"]?.string, !id.isEmpty else {
        findings.append(Finding(rule: "missing-field", severity: .error,
                                message: "\(kind ?? "document") has no id; skipped", location: at,
                                hint: "ODCS and ODPS documents require 'id'"))
        continue
      }
      let (owner, contact) = Self.owner(top["team"])
      if let owner, teams[owner] == nil || teams[owner]! == nil { teams[owner] = contact }
      let domain = top["domain"]?.string
      if let domain { domains.insert(domain) }
      let status = Self.status(top["status"]?.string, file: file, findings: &findings)
      let description = top["description"]?["purpose"]?.string ?? top["description"]?.string
      let provenance = Provenance(.imported, file: file, detail: "\(kind == "DataContract" ? "ODCS" : "ODPS") \(api)")
      switch kind {
      case "DataContract":
        if !api.hasPrefix("v3") && !api.hasPrefix("3") {
          findings.append(Finding(rule: "unsupported-version", severity: .warning,
                                  message: "ODCS apiVersion '\(api)' is not v3; the document is read as v3 and may lose fields", location: at,
                                  hint: "upgrade the contract to ODCS v3 (v2 documents are flat and uuid-based)"))
        }
        var contract = Contract(id: id, file: file, objects: [], physical: [:])
        let server = top["servers"]?.array?.first
        for (i, object) in (top["schema"]?.array ?? []).enumerated() {
          guard let name = object["name"]?.string else {
            findings.append(Finding(rule: "missing-field", severity: .warning,
                                    message: "schema[\(i)] has no name; skipped", location: at))
            continue
          }
          var node = MeshNode(id: id + "." + name, kind: "dataset", name: object["businessName"]?.string ?? name)
          node.domain = domain
          node.owner = owner
          node.version = top["version"]?.string
          node.status = status
          node.description = object["description"]?.string ?? description
          node.tags = Array(Set((top["tags"]?.strings ?? []) + (object["tags"]?.strings ?? []))).sorted()
          let physical = object["physicalName"]?.string ?? name
          let qualifier = [server?["database"]?.string, server?["schema"]?.string].compactMap { $0 }
          node.physicalLocation = (qualifier + [physical]).joined(separator: ".")
          node.schema = columns(object["properties"]?.array ?? [])
          node.provenance = [provenance]
          node.location = at
          if node.schema.contains(where: { $0.classification == "restricted" || $0.classification == "confidential" }) {
            node.sensitivity = .confidential
          }
          // Lineage: the objects named by the properties' transformSourceObjects.
          var sources: [String] = []
          for p in flatten(object["properties"]?.array ?? []) {
            for s in p["transformSourceObjects"]?.strings ?? [] where !sources.contains(s) { sources.append(s) }
          }
          node.inputs = sources.map { Input(product: $0) }  // resolved below
          contract.physical[name] = node.id
          contract.physical[physical] = node.id
          contract.objects.append(node)
        }
        contracts.append(contract)
      case "DataProduct":
        var node = MeshNode(id: id, kind: .product, name: top["name"]?.string)
        node.domain = domain
        node.owner = owner
        node.version = top["version"]?.string
        node.status = status
        node.description = description
        node.tags = top["tags"]?.strings ?? []
        node.provenance = [provenance]
        node.location = at
        var inputs: [(String, String)] = [], outputs: [(String, String)] = []
        for p in top["inputPorts"]?.array ?? [] {
          guard let c = p["contractId"]?.string else { continue }
          inputs.append((c, "\(p["name"]?.string ?? "?")@\(p["version"]?.string ?? "?")"))
        }
        for p in top["outputPorts"]?.array ?? [] {
          let port = "\(p["name"]?.string ?? "?")@\(p["version"]?.string ?? "?")"
          if let c = p["contractId"]?.string { outputs.append((c, port)) }
          for ic in p["inputContracts"]?.array ?? [] {
            if let c = ic["id"]?.string, !inputs.contains(where: { $0.0 == c }) { inputs.append((c, port + " inputContracts")) }
          }
        }
        products.append(Product(node: node, inputs: inputs, outputs: outputs, file: file))
      default:
        findings.append(Finding(rule: "invalid-document", severity: .warning,
                                message: "kind '\(kind ?? "none")' is neither DataContract nor DataProduct; skipped",
                                location: at))
      }
    }

    // Resolve transformSourceObjects: the same contract first, then any contract.
    var anyObject: [String: String] = [:]
    for c in contracts { for (k, v) in c.physical where anyObject[k] == nil { anyObject[k] = v } }
    var mesh = Mesh(name: "contracts")
    var external = Set<String>()
    var seen = Set<String>()
    var firstFile: [String: String] = [:]
    for c in contracts {
      for var node in c.objects {
        node.inputs = node.inputs.compactMap { input in
          let raw = input.product
          let last = String(raw.split(separator: ".").last ?? Substring(raw))
          if let id = c.physical[raw] ?? c.physical[last] ?? anyObject[raw] ?? anyObject[last] {
            return id == node.id ? nil : Input(product: id)
          }
          external.insert(raw)
          return Input(product: raw)
        }
        guard seen.insert(node.id).inserted else {
          findings.append(Finding(rule: "duplicate-id", severity: .error,
                                  message: "'\(node.id)' is declared again in \(c.file), first in \(firstFile[node.id] ?? "?"); the first declaration is kept",
                                  subjects: [node.id], location: SourceLocation(file: c.file, line: 1, column: 1),
                                  hint: "contract ids must be unique: give one of the contracts its own id"))
          continue
        }
        firstFile[node.id] = c.file
        mesh.nodes.append(node)
      }
    }
    for raw in external.sorted() {
      var n = MeshNode(id: raw, kind: "external", name: raw)
      n.description = "named by transformSourceObjects; not in any contract read"
      mesh.nodes.append(n)
      findings.append(Finding(rule: "unresolved-source", severity: .info,
                              message: "transformSourceObjects names '\(raw)', which no contract read declares; it becomes an external node",
                              subjects: [raw]))
    }

    // Products and their ports.
    var producer: [String: (id: String, port: String)] = [:]
    for p in products { for (c, port) in p.outputs where producer[c] == nil { producer[c] = (p.node.id, port) } }
    let contractObjects = Dictionary(contracts.map { ($0.id, $0.objects.map(\.id)) }, uniquingKeysWith: { a, _ in a })
    let contractIDs = contracts.map(\.id)
    var placeholders = Set<String>()
    var index: [String: Int] = [:]
    for (i, n) in mesh.nodes.enumerated() { index[n.id] = i }
    for p in products {
      var node = p.node
      for (c, port) in p.inputs {
        var input: [String] = []
        if let (other, _) = producer[c], other != node.id {
          input = [other]
        } else if let objects = contractObjects[c] {
          input = objects
        } else if producer[c] == nil {
          input = [c]
          if placeholders.insert(c).inserted {
            findings.append(Finding(
              rule: "unresolved-contract", severity: .warning,
              message: "'\(node.id)' reads contract '\(c)' (port \(port)), which no contract or product read declares",
              subjects: [node.id], location: SourceLocation(file: p.file, line: 1, column: 1),
              hint: Suggest.hint(for: c, in: contractIDs) ?? "pass the ODCS contract too (--mesh CONTRACT.yaml)"))
          }
        }
        for id in input where !node.inputs.contains(where: { $0.product == id }) {
          var edge = Input(product: id)
          edge.provenance = [Provenance(.imported, file: p.file, detail: "input port \(port), contract \(c)")]
          node.inputs.append(edge)
        }
      }
      // The objects of an output port's contract are served by the product.
      for (c, port) in p.outputs {
        for oid in contractObjects[c] ?? [] {
          guard let k = index[oid] else { continue }
          var edge = Input(product: node.id)
          edge.provenance = [Provenance(.imported, file: p.file, detail: "output port \(port), contract \(c)")]
          if !mesh.nodes[k].inputs.contains(where: { $0.product == node.id }) { mesh.nodes[k].inputs.append(edge) }
          if mesh.nodes[k].domain == nil { mesh.nodes[k].domain = node.domain }
          if mesh.nodes[k].owner == nil { mesh.nodes[k].owner = node.owner }
        }
      }
      if seen.insert(node.id).inserted {
        index[node.id] = mesh.nodes.count
        firstFile[node.id] = p.file
        mesh.nodes.append(node)
      } else {
        findings.append(Finding(rule: "duplicate-id", severity: .error,
                                message: "'\(node.id)' is declared again in \(p.file), first in \(firstFile[node.id] ?? "?"); the first declaration is kept",
                                subjects: [node.id], location: SourceLocation(file: p.file, line: 1, column: 1)))
      }
    }
    for c in placeholders.sorted() {
      var n = MeshNode(id: c, kind: "contract", name: c)
      n.description = "a contract named by a port, not read"
      mesh.nodes.append(n)
    }
    for n in mesh.nodes { if let d = n.domain { domains.insert(d) } }
    mesh.domains = domains.sorted().map { Domain(id: $0) }
    mesh.teams = teams.keys.sorted().map { Team(id: $0, contact: teams[$0] ?? nil) }
    return (mesh, findings)
  }

  /// The owner of a `team`: its name (object form), or the member whose role names an
  /// owner, or the first member; with that member's username as contact.
  static func owner(_ team: JSONValue?) -> (String?, String?) {
    guard let team else { return (nil, nil) }
    let members = team["members"]?.array ?? team.array ?? []
    let ownerMember = members.first { ($0["role"]?.string ?? "").lowercased().contains("owner") } ?? members.first
    if let name = team["name"]?.string, !name.isEmpty { return (name, ownerMember?["username"]?.string) }
    guard let m = ownerMember, let user = m["username"]?.string ?? m["name"]?.string else { return (nil, nil) }
    return (user, user.contains("@") ? user : nil)
  }

  static func status(_ text: String?, file: String, findings: inout [Finding]) -> ProductStatus {
    switch text?.lowercased() {
    case nil, "active", "production": return .active
    case "proposed", "draft", "development", "in development": return .draft
    case "deprecated": return .deprecated
    case "retired": return .retired
    case let other?:
      findings.append(Finding(rule: "unknown-status", severity: .info,
                              message: "status '\(other)' is read as active", location: SourceLocation(file: file)))
      return .active
    }
  }

  /// Properties as columns, nested ones (object properties, array items) as `a.b`.
  static func columns(_ properties: [JSONValue]) -> [Column] {
    var out: [Column] = []
    var stack: [(prefix: String, items: [JSONValue], index: Int)] = [("", properties, 0)]
    while var top = stack.popLast() {
      guard top.index < top.items.count else { continue }
      let p = top.items[top.index]
      top.index += 1
      stack.append(top)
      guard let name = p["name"]?.string else { continue }
      let full = top.prefix + name
      var col = Column(name: full, type: p["physicalType"]?.string ?? p["logicalType"]?.string)
      col.nullable = p["required"]?.bool != true
      col.primaryKey = p["primaryKey"]?.bool == true
      col.classification = p["classification"]?.string?.lowercased()
      col.masked = p["encryptedName"] != nil
      col.description = p["description"]?.string
      if !out.contains(where: { $0.name == full }) { out.append(col) }
      let nested = (p["properties"]?.array ?? []) + (p["items"]?["properties"]?.array ?? [])
      if !nested.isEmpty, stack.count < 64 { stack.append((full + ".", nested, 0)) }
    }
    return out
  }

  /// Every property, nested ones included.
  static func flatten(_ properties: [JSONValue]) -> [JSONValue] {
    var out: [JSONValue] = []
    var stack = properties
    while let p = stack.popLast() {
      out.append(p)
      if out.count > 100_000 { break }
      stack += (p["properties"]?.array ?? []) + (p["items"]?["properties"]?.array ?? [])
    }
    return out
  }

  struct TooLarge: Error, CustomStringConvertible {
    var description: String
  }

  /// Values a document may expand to: YAML aliases can make a small file describe an
  /// exponentially large tree (a "billion laughs" document).
  static let maxValues = 2_000_000

  /// A YAML node as a JSON-like value: booleans and nulls typed, other scalars as text.
  static func convert(_ node: Node) throws -> JSONValue {
    var budget = maxValues
    return try convert(node, depth: 0, budget: &budget)
  }

  static func convert(_ node: Node, depth: Int, budget: inout Int) throws -> JSONValue {
    guard depth < 256 else { throw TooLarge(description: "YAML nested deeper than 256 levels") }
    budget -= 1
    guard budget >= 0 else {
      throw TooLarge(description: "the document expands to more than \(maxValues) values (YAML aliases?); not read")
    }
    switch node {
    case .scalar(let s):
      if s.style == .plain {
        switch s.string {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "null", "Null", "NULL", "~", "": return .null
        default: break
        }
      }
      return .string(s.string)
    case .mapping(let m):
      var o = JSONObject()
      for (k, v) in m {
        o.keys.append(k.string ?? "")
        o.values.append(try convert(v, depth: depth + 1, budget: &budget))
      }
      return .object(o)
    case .sequence(let seq):
      var out: [JSONValue] = []
      for item in seq { out.append(try convert(item, depth: depth + 1, budget: &budget)) }
      return .array(out)
    case .alias:
      return .null
    }
  }
}

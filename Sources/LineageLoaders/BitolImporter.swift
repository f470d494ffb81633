internal import Foundation
public import LineageCore
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
///
/// Every field read is checked for its YAML shape: a value of the wrong shape is an
/// `invalid-type` error at its line and column (a load error), and so is a document
/// or part of one that is left out (no id, a schema object or property without a
/// name, a version that is not ODCS v3 or ODPS v0.9/v1).
///
/// Data Contract Specification documents (datacontract.com, 0.9 to 1.2; recognised by
/// their top-level `dataContractSpecification` key) are read beside them: each model is
/// a node of kind `dataset` with id `CONTRACT_ID.MODEL`, its fields the columns with
/// their constraints, `$ref`s resolved in the contract's `definitions`.
public enum BitolImporter {
  /// The hint of an `unresolved-contract` finding without a closer contract id to
  /// suggest. It names no front end's option; a front end may add its own words
  /// (the command line adds `(--mesh CONTRACT.yaml)`).
  public static let missingContractHint = "pass the ODCS contract too"

  /// True when a YAML text looks like an ODCS contract, an ODPS product or a Data
  /// Contract Specification document.
  public static func recognizes(_ text: String) -> Bool {
    switch format(of: text) {
    case .contract?, .product?, .dataContractSpecification?: true
    case nil: false
    }
  }

  /// What a YAML or JSON text is, by its top-level `kind`, `apiVersion` and
  /// `dataContractSpecification` (the first 8 KiB are looked at).
  enum Format: Equatable {
    case contract
    case product
    /// The datacontract.com format, with the version it declares.
    case dataContractSpecification(String)
  }

  static func format(of text: String) -> Format? {
    var kind: String?, api: String?
    for line in text.prefix(8192).split(whereSeparator: \.isNewline) {
      func value(_ key: String) -> String? {
        guard line.hasPrefix(key) else { return nil }
        return line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).trimmingCharacters(
          in: CharacterSet(charactersIn: "\"'"))
      }
      if let k = value("kind:") { kind = k }
      if let a = value("apiVersion:") { api = a }
      if let v = value("dataContractSpecification:") { return .dataContractSpecification(v) }
    }
    if kind == "DataContract" { return .contract }
    if kind == "DataProduct" && !(api ?? "").hasPrefix("lineage/") { return .product }
    return nil
  }

  /// The same decision for a JSON text: `"key": "value"` pairs anywhere in its head.
  static func format(ofJSON head: String) -> Format? {
    func value(_ key: String) -> String? {
      guard let r = head.range(of: "\"\(key)\"") else { return nil }
      var rest = head[r.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
      guard rest.first == ":" else { return nil }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
      guard rest.first == "\"" else {
        return String(rest.prefix { $0 != "," && $0 != "}" && $0 != "\n" }).trimmingCharacters(in: .whitespaces)
      }
      return String(rest.dropFirst().prefix { $0 != "\"" })
    }
    if let v = value("dataContractSpecification") { return .dataContractSpecification(v) }
    let kind = value("kind"), api = value("apiVersion")
    guard api != nil else { return nil }
    if kind == "DataContract" { return .contract }
    if kind == "DataProduct" && !(api ?? "").hasPrefix("lineage/") { return .product }
    return nil
  }

  /// An error naming the format of a file whose content is a contract or product
  /// format in a form lineage does not take (JSON, a name without `.yaml`), or nil.
  /// `ModelLoader` asks before it reports a file as unknown, so that such a file is
  /// never read as graph JSON nor rejected as "not a mesh".
  public static func formatError(head: [UInt8], file: String) -> LoadError? {
    let text = String(decoding: head.prefix(1 << 16), as: UTF8.self)
    let first = text.first { !$0.isWhitespace && $0 != "\u{FEFF}" }
    let json = first == "{"
    let at = SourceLocation(file: file, line: 1, column: 1)
    switch json ? format(ofJSON: text) : format(of: text) {
    case let found?:
      let what: String
      switch found {
      case .contract: what = "an ODCS data contract"
      case .product: what = "an ODPS data product"
      case .dataContractSpecification: what = "a Data Contract Specification document"
      }
      return LoadError(
        message: "\(what)\(json ? " in JSON" : ""): lineage reads contracts and products from .yaml or .yml files only",
        location: at,
        hint: json ? "JSON is YAML: rename it to end in .yaml" : "rename it to end in .yaml")
    case nil:
      return nil
    }
  }

  /// The ODCS and ODPS files of `path`: the file itself, or every YAML file below a
  /// directory that ``recognizes(_:)``, sorted.
  public static func files(at path: String) -> [String] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
    let all = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
    return all.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted {
      $0.utf8.lexicographicallyPrecedes($1.utf8)
    }
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
  /// - Throws: ``LoadError`` when a file cannot be read, is not UTF-8, or expands to too
  ///   many values. YAML syntax errors,
  ///   wrong shapes and left-out parts are error findings (load errors) instead, so
  ///   that every one of them is listed.
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
      var r = Reader(file: file)
      let root: Node
      do {
        guard let node = try Yams.compose(yaml: text, .basic) else {  // scalars typed by the readers below
          findings.append(
            Finding(
              rule: "invalid-document", severity: .error,
              message: "the file is empty, not an ODCS contract or ODPS product",
              location: SourceLocation(file: file, line: 1, column: 1)))
          continue
        }
        root = node
      } catch let error as YamlError {
        findings.append(yamlFinding(error, file: file))
        continue
      } catch {
        throw LoadError(message: "\(error)", location: SourceLocation(file: file))
      }
      do {
        try checkSize(root)
      } catch {
        throw LoadError(message: error.description, location: SourceLocation(file: file))
      }
      let at = SourceLocation(file: file, line: 1, column: 1)
      guard case .mapping(let top) = root else {
        findings.append(
          Finding(
            rule: "invalid-document", severity: .error,
            message: "the file is \(shape(root)), not an ODCS contract or ODPS product (a mapping)",
            location: r.location(root)))
        continue
      }
      if top.keys.contains(where: { $0.string == "dataContractSpecification" }) {
        // The datacontract.com format, recognised by its top-level key.
        if let contract = readDataContractSpecification(top, root: root, reader: &r, teams: &teams) {
          contracts.append(contract)
        }
        findings += r.findings
        continue
      }
      defer { findings += r.findings }
      let before = r.findings.count
      let kind = r.string(top, "kind", "kind")
      let api = r.string(top, "apiVersion", "apiVersion")
      let id = r.string(top, "id", "id")
      guard r.findings.count == before else { continue }  // kind, apiVersion or id of the wrong shape: not read
      let standard: String
      switch kind {
      case "DataContract":
        standard = "ODCS"
        guard let api, major(api) == [3] else {
          r.report(
            "unsupported-version",
            api.map { "ODCS apiVersion '\($0)' is not v3; the contract is not read" }
              ?? "the contract has no apiVersion; lineage reads ODCS v3 (apiVersion: v3.1.0, say); not read",
            at: r.value(top, "apiVersion") ?? root,
            hint: "upgrade the contract to ODCS v3 (v2 documents are flat and uuid-based)")
          continue
        }
      case "DataProduct":
        standard = "ODPS"
        guard let api, major(api) == [1] || major(api) == [0, 9] else {
          r.report(
            "unsupported-version",
            api.map { "ODPS apiVersion '\($0)' is neither v0.9 nor v1; the product is not read" }
              ?? "the product has no apiVersion; lineage reads ODPS v1.0.0 and v0.9.0; not read",
            at: r.value(top, "apiVersion") ?? root)
          continue
        }
      default:
        r.report(
          "invalid-document", "kind '\(kind ?? "none")' is neither DataContract nor DataProduct; not read",
          at: r.value(top, "kind") ?? root)
        continue
      }
      guard let id, !id.isEmpty else {
        r.report(
          "invalid-document", "the \(standard == "ODCS" ? "contract" : "product") has no id; not read", at: root,
          hint: "ODCS and ODPS documents require 'id'")
        continue
      }
      let (owner, contact) = r.owner(top)
      if let owner, (teams[owner] ?? nil) == nil { teams[owner] = contact }
      let domain = r.string(top, "domain", "domain")
      if let domain { domains.insert(domain) }
      let status = Self.status(r.string(top, "status", "status"), file: file, findings: &r.findings)
      let description = r.description(top)
      let version = r.string(top, "version", "version")
      let tags = r.strings(top, "tags", "tags")
      let provenance = Provenance(.imported, file: file, detail: "\(standard) \(api ?? "")")
      if kind == "DataContract" {
        var contract = Contract(id: id, file: file, objects: [], physical: [:])
        let servers = r.sequence(top, "servers", "servers")
        let server = servers.first.flatMap { r.mapping($0, "servers[0]") }
        let qualifier = [
          r.string(server, "database", "servers[0].database"), r.string(server, "schema", "servers[0].schema"),
        ]
        .compactMap { $0 }
        for (i, item) in r.sequence(top, "schema", "schema").enumerated() {
          let path = "schema[\(i)]"
          guard let object = r.mapping(item, path) else { continue }
          guard let name = r.string(object, "name", path + ".name") else {
            if r.value(object, "name") == nil {
              r.report(
                "invalid-document", "\(path) has no name; the schema object is not read", at: item,
                hint: "ODCS requires a name for every schema object")
            }
            continue
          }
          var node = MeshNode(
            id: id + "." + name, kind: "dataset", name: r.string(object, "businessName", path + ".businessName") ?? name
          )
          node.domain = domain
          node.owner = owner
          node.version = version
          node.status = status
          node.description = r.string(object, "description", path + ".description") ?? description
          node.tags = Array(Set(tags + r.strings(object, "tags", path + ".tags"))).sorted()
          let physical = r.string(object, "physicalName", path + ".physicalName") ?? name
          node.physicalLocation = (qualifier + [physical]).joined(separator: ".")
          let (columns, sources) = r.properties(
            r.sequence(object, "properties", path + ".properties"), path: path + ".properties")
          node.schema = columns
          node.quality = r.sequence(object, "quality", path + ".quality").map { BitolImporter.canonical($0) }.sorted()
          node.provenance = [provenance]
          node.location = at
          if node.schema.contains(where: { $0.classification == "restricted" || $0.classification == "confidential" }) {
            node.sensitivity = .confidential
          }
          // Lineage: the objects named by the properties' transformSourceObjects.
          node.inputs = sources.map { Input(product: $0) }  // resolved below
          contract.physical[name] = node.id
          contract.physical[physical] = node.id
          contract.objects.append(node)
        }
        contracts.append(contract)
      } else {
        var node = MeshNode(id: id, kind: .product, name: r.string(top, "name", "name"))
        node.domain = domain
        node.owner = owner
        node.version = version
        node.status = status
        node.description = description
        node.tags = tags
        node.provenance = [provenance]
        node.location = at
        var inputs: [(String, String)] = [], outputs: [(String, String)] = []
        for (i, item) in r.sequence(top, "inputPorts", "inputPorts").enumerated() {
          let path = "inputPorts[\(i)]"
          guard let p = r.mapping(item, path) else { continue }
          let port = r.port(p, path)
          guard let c = r.string(p, "contractId", path + ".contractId") else {
            if r.value(p, "contractId") == nil {
              r.report(
                "invalid-document", "\(path) has no contractId; the port is not read", at: item,
                hint: "ODPS requires a contractId for every input port")
            }
            continue
          }
          inputs.append((c, port))
        }
        for (i, item) in r.sequence(top, "outputPorts", "outputPorts").enumerated() {
          let path = "outputPorts[\(i)]"
          guard let p = r.mapping(item, path) else { continue }
          let port = r.port(p, path)
          if let c = r.string(p, "contractId", path + ".contractId") { outputs.append((c, port)) }
          for (k, icItem) in r.sequence(p, "inputContracts", path + ".inputContracts").enumerated() {
            let icPath = path + ".inputContracts[\(k)]"
            guard let ic = r.mapping(icItem, icPath) else { continue }
            guard let c = r.string(ic, "id", icPath + ".id") else {
              if r.value(ic, "id") == nil {
                r.report(
                  "invalid-document", "\(icPath) has no id; the input contract is not read", at: icItem,
                  hint: "ODPS requires an id for every input contract")
              }
              continue
            }
            if !inputs.contains(where: { $0.0 == c }) { inputs.append((c, port + " inputContracts")) }
          }
        }
        products.append(Product(node: node, inputs: inputs, outputs: outputs, file: file))
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
          findings.append(
            Finding(
              rule: "duplicate-id", severity: .error,
              message:
                "'\(node.id)' is declared again in \(c.file), first in \(firstFile[node.id] ?? "?"); the first declaration is kept",
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
      findings.append(
        Finding(
          rule: "unresolved-source", severity: .info,
          message:
            "transformSourceObjects names '\(raw)', which no contract read declares; it becomes an external node",
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
            findings.append(
              Finding(
                rule: "unresolved-contract", severity: .warning,
                message:
                  "'\(node.id)' reads contract '\(c)' (port \(port)), which no contract or product read declares",
                subjects: [node.id], location: SourceLocation(file: p.file, line: 1, column: 1),
                hint: Suggest.hint(for: c, in: contractIDs) ?? Self.missingContractHint))
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
        findings.append(
          Finding(
            rule: "duplicate-id", severity: .error,
            message:
              "'\(node.id)' is declared again in \(p.file), first in \(firstFile[node.id] ?? "?"); the first declaration is kept",
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

  /// The leading numbers of a version such as `v3.1.0` (`[3, 1]`), or nil.
  static func major(_ version: String) -> [Int]? {
    let parts = (version.hasPrefix("v") ? version.dropFirst() : Substring(version)).split(
      separator: ".", omittingEmptySubsequences: false)
    guard let first = parts.first.flatMap({ Int($0) }) else { return nil }
    if first == 0, parts.count > 1, let second = Int(parts[1]) { return [0, second] }
    return [first]
  }

  static func status(_ text: String?, file: String, findings: inout [Finding]) -> ProductStatus {
    switch text?.lowercased() {
    case nil, "active", "production": return .active
    case "proposed", "draft", "development", "in development": return .draft
    case "deprecated": return .deprecated
    case "retired": return .retired
    case let other?:
      findings.append(
        Finding(
          rule: "unknown-status", severity: .info,
          message: "status '\(other)' is read as active", location: SourceLocation(file: file)))
      return .active
    }
  }

  /// A YAML parse error as a located finding: `duplicate-key` or `yaml-syntax`.
  static func yamlFinding(_ error: YamlError, file: String) -> Finding {
    var p =
      YAMLProblem(error)
      ?? YAMLProblem(
        rule: "yaml-syntax", line: 0, column: 0, message: String("\(error)".split(separator: "\n").first ?? ""))
    if p.message.count > 300 { p.message = p.message.prefix(300) + "…" }
    let syntax = p.rule == "yaml-syntax"
    return Finding(
      rule: p.rule, severity: .error, message: syntax ? "YAML syntax error: " + p.message : p.message,
      location: SourceLocation(file: file, line: p.line, column: p.column),
      hint: syntax ? "fix the YAML; the file was not read" : "keep one of them; YAML mappings need unique keys")
  }

  struct TooLarge: Error, CustomStringConvertible {
    var description: String
  }

  /// Values a document may expand to: YAML aliases can make a small file describe an
  /// exponentially large tree (a "billion laughs" document).
  static let maxValues = 2_000_000

  /// Checks, without recursion, that a document is at most 256 levels deep and
  /// expands to at most ``maxValues`` values, counting aliased nodes each time they
  /// are used (the readers walk them so).
  static func checkSize(_ root: Node) throws(TooLarge) {
    var budget = maxValues
    var stack: [(Node, Int)] = [(root, 0)]
    while let (node, depth) = stack.popLast() {
      guard depth < 256 else { throw TooLarge(description: "YAML nested deeper than 256 levels") }
      budget -= 1
      guard budget >= 0 else {
        throw TooLarge(description: "the document expands to more than \(maxValues) values (YAML aliases?); not read")
      }
      switch node {
      case .mapping(let m): for (k, v) in m { stack.append((k, depth + 1)); stack.append((v, depth + 1)) }
      case .sequence(let s): for item in s { stack.append((item, depth + 1)) }
      case .scalar, .alias: break
      }
    }
  }

  /// A human name for the shape of a YAML node, for type errors.
  static func shape(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a sequence"
    case .alias: return "an alias"
    case .scalar(let s):
      if s.style == .plain && isNull(s) { return "null" }
      if s.style == .plain && boolValue(s) != nil { return "a boolean (\(s.string))" }
      let text = s.string.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
      return "a scalar ('\(text.count > 40 ? text.prefix(40) + "…" : text)')"
    }
  }

  static func isNull(_ s: Node.Scalar) -> Bool {
    s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
  }

  /// A plain scalar's boolean value (YAML 1.1 spellings, as PyYAML reads them).
  static func boolValue(_ s: Node.Scalar) -> Bool? {
    guard s.style == .plain else { return nil }
    switch s.string {
    case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
    case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
    default: return nil
    }
  }

  /// Reads the fields of one ODCS or ODPS document, reporting every value of the
  /// wrong shape as an `invalid-type` error at its place: `PATH must be EXPECTED, got
  /// SHAPE`. Absent and null fields read as nil.
  /// A YAML value as one canonical text: mappings with their keys sorted, sequences in
  /// order, scalars as written, no layout; nesting past 32 levels prints `…` (a quality
  /// rule is a few levels deep).
  static func canonical(_ node: Node, depth: Int = 0) -> String {
    guard depth < 32 else { return "…" }
    switch node {
    case .scalar(let s): return s.string.contains(where: { ",:{}[]\"".contains($0) }) ? "\"\(s.string)\"" : s.string
    case .sequence(let items): return "[" + items.map { canonical($0, depth: depth + 1) }.joined(separator: ", ") + "]"
    case .mapping(let m):
      let pairs = m.map { (canonical($0.key, depth: depth + 1), canonical($0.value, depth: depth + 1)) }
      return "{" + pairs.sorted { $0.0 < $1.0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
    case .alias: return "*"
    }
  }

  struct Reader {
    let file: String
    var findings: [Finding] = []

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
      SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    mutating func report(_ rule: String, _ message: String, at node: Node, hint: String? = nil) {
      findings.append(Finding(rule: rule, severity: .error, message: message, location: location(node), hint: hint))
    }

    mutating func mistyped(_ path: String, _ expected: String, _ node: Node) {
      report("invalid-type", "\(path) must be \(expected), got \(BitolImporter.shape(node))", at: node)
    }

    /// The value of `key`, or nil when absent or null.
    func value(_ m: Node.Mapping?, _ key: String) -> Node? {
      guard let v = m?[key] else { return nil }
      if case .scalar(let s) = v, BitolImporter.isNull(s) { return nil }
      return v
    }

    /// A text field; any scalar is text (`version: 1.0` is "1.0").
    mutating func string(_ m: Node.Mapping?, _ key: String, _ path: String) -> String? {
      guard let v = value(m, key) else { return nil }
      guard case .scalar(let s) = v else {
        mistyped(path, "a string", v)
        return nil
      }
      return s.string
    }

    mutating func bool(_ m: Node.Mapping?, _ key: String, _ path: String) -> Bool? {
      guard let v = value(m, key) else { return nil }
      guard case .scalar(let s) = v, let b = BitolImporter.boolValue(s) else {
        mistyped(path, "true or false", v)
        return nil
      }
      return b
    }

    /// `node` as a mapping, reporting other shapes (null reads as absent).
    mutating func mapping(_ node: Node, _ path: String) -> Node.Mapping? {
      if case .mapping(let m) = node { return m }
      if case .scalar(let s) = node, BitolImporter.isNull(s) { return nil }
      mistyped(path, "a mapping", node)
      return nil
    }

    mutating func sequence(_ m: Node.Mapping?, _ key: String, _ path: String) -> [Node] {
      guard let v = value(m, key) else { return [] }
      guard case .sequence(let s) = v else {
        mistyped(path, "a sequence", v)
        return []
      }
      return Array(s)
    }

    /// A sequence of text values.
    mutating func strings(_ m: Node.Mapping?, _ key: String, _ path: String) -> [String] {
      var out: [String] = []
      for (i, item) in sequence(m, key, path).enumerated() {
        guard case .scalar(let s) = item else {
          mistyped("\(path)[\(i)]", "a string", item)
          continue
        }
        if !BitolImporter.isNull(s) { out.append(s.string) }
      }
      return out
    }

    /// The top-level `description`: an object whose `purpose` is read (ODCS v3,
    /// ODPS), or plain text.
    mutating func description(_ top: Node.Mapping) -> String? {
      guard let v = value(top, "description") else { return nil }
      switch v {
      case .mapping(let m): return string(m, "purpose", "description.purpose")
      case .scalar(let s): return s.string
      default:
        mistyped("description", "a mapping (purpose, usage, limitations) or a string", v)
        return nil
      }
    }

    /// The owner of a `team`: its name (object form), or the member whose role names
    /// an owner, or the first member; with that member's username as contact.
    mutating func owner(_ top: Node.Mapping) -> (String?, String?) {
      guard let team = value(top, "team") else { return (nil, nil) }
      var name: String?
      var items: [Node] = [], path = "team"
      switch team {
      case .mapping(let m):
        name = string(m, "name", "team.name")
        items = sequence(m, "members", "team.members")
        path = "team.members"
      case .sequence(let s):  // ODCS v3.0: the members themselves
        items = Array(s)
      default:
        mistyped("team", "a mapping (name, members) or a sequence of members", team)
        return (nil, nil)
      }
      var members: [(role: String?, username: String?, name: String?)] = []
      for (i, item) in items.enumerated() {
        guard let m = mapping(item, "\(path)[\(i)]") else { continue }
        members.append(
          (
            string(m, "role", "\(path)[\(i)].role"), string(m, "username", "\(path)[\(i)].username"),
            string(m, "name", "\(path)[\(i)].name")
          ))
      }
      let ownerMember = members.first { ($0.role ?? "").lowercased().contains("owner") } ?? members.first
      if let name, !name.isEmpty { return (name, ownerMember?.username) }
      guard let m = ownerMember, let user = m.username ?? m.name else { return (nil, nil) }
      return (user, user.contains("@") ? user : nil)
    }

    /// An ODCS property's constraints: `unique`, `enum` (v3.2: values, or mappings with
    /// a `value`), the bounds, lengths, pattern and format of its `logicalTypeOptions`,
    /// and the `to` of its first foreign-key relationship. Options of another shape
    /// (ODCS v3.0's boolean `exclusiveMinimum`) are skipped.
    mutating func constraints(_ p: Node.Mapping, _ here: String) -> ColumnConstraints {
      var c = ColumnConstraints()
      c.unique = bool(p, "unique", here + ".unique") == true
      c.quality = sequence(p, "quality", here + ".quality").map { BitolImporter.canonical($0) }.sorted()
      if let v = value(p, "enum"), case .sequence(let items) = v {
        c.allowedValues = items.compactMap { item in
          switch item {
          case .scalar(let s): return s.string
          case .mapping(let m): return m["value"]?.scalar?.string
          default: return nil
          }
        }
      }
      if let v = value(p, "logicalTypeOptions"), case .mapping(let o) = v {
        func text(_ k: String) -> String? {
          guard let v = value(o, k), case .scalar(let s) = v else { return nil }
          return s.string
        }
        func number(_ k: String) -> Double? {
          guard let v = value(o, k), case .scalar(let s) = v, BitolImporter.boolValue(s) == nil else { return nil }
          return Double(s.string).flatMap { $0.isFinite ? $0 : nil }
        }
        c.minimum = number("minimum")
        c.exclusiveMinimum = number("exclusiveMinimum")
        c.maximum = number("maximum")
        c.exclusiveMaximum = number("exclusiveMaximum")
        c.minLength = number("minLength").flatMap { Int(exactly: $0) }
        c.maxLength = number("maxLength").flatMap { Int(exactly: $0) }
        c.pattern = text("pattern")
        c.format = text("format")
      }
      if let v = value(p, "relationships"), case .sequence(let items) = v {
        for item in items {
          guard case .mapping(let r) = item, case .scalar(let to)? = value(r, "to") else { continue }
          if case .scalar(let type)? = value(r, "type"), type.string != "foreignKey" { continue }
          c.references = to.string
          break
        }
      }
      return c
    }

    /// An ODPS port's `NAME@VERSION`.
    mutating func port(_ p: Node.Mapping, _ path: String) -> String {
      "\(string(p, "name", path + ".name") ?? "?")@\(string(p, "version", path + ".version") ?? "?")"
    }

    /// Properties as columns, nested ones (object properties, array items) as `a.b`,
    /// in document order, with the objects their `transformSourceObjects` name.
    mutating func properties(_ properties: [Node], path: String) -> ([Column], [String]) {
      var columns: [Column] = [], sources: [String] = []
      var names = Set<String>()
      var stack: [(prefix: String, path: String, items: [Node], index: Int)] = [("", path, properties, 0)]
      while var top = stack.popLast() {
        guard top.index < top.items.count else { continue }
        let item = top.items[top.index]
        let here = "\(top.path)[\(top.index)]"
        top.index += 1
        stack.append(top)
        guard let p = mapping(item, here) else { continue }
        guard let name = string(p, "name", here + ".name") else {
          if value(p, "name") == nil {
            report(
              "invalid-document", "\(here) has no name; the property is not read", at: item,
              hint: "ODCS requires a name for every property")
          }
          continue
        }
        let full = top.prefix + name
        let physicalType = string(p, "physicalType", here + ".physicalType")
        let logicalType = string(p, "logicalType", here + ".logicalType")
        var col = Column(name: full, type: physicalType ?? logicalType)
        col.nullable = bool(p, "required", here + ".required") != true
        col.primaryKey = bool(p, "primaryKey", here + ".primaryKey") == true
        col.classification = string(p, "classification", here + ".classification")?.lowercased()
        col.masked = value(p, "encryptedName") != nil
        col.description = string(p, "description", here + ".description")
        col.constraints = constraints(p, here)
        if names.insert(full).inserted { columns.append(col) }
        for s in strings(p, "transformSourceObjects", here + ".transformSourceObjects") where !sources.contains(s) {
          sources.append(s)
        }
        let nested = sequence(p, "properties", here + ".properties")
        var itemNested: [Node] = []
        if let items = value(p, "items"), let m = mapping(items, here + ".items") {
          itemNested = sequence(m, "properties", here + ".items.properties")
        }
        // Pushed last-first, so that object properties come before array items.
        if !itemNested.isEmpty { stack.append((full + ".", here + ".items.properties", itemNested, 0)) }
        if !nested.isEmpty { stack.append((full + ".", here + ".properties", nested, 0)) }
      }
      return (columns, sources)
    }
  }
}

internal import Foundation
internal import LineageCore
internal import Yams

/// Data Contract Specification documents (datacontract.com, versions 0.9 to 1.2), read
/// beside ODCS contracts: each model is a node of kind `dataset` with id
/// `CONTRACT_ID.MODEL`, its fields the columns (nested ones, and the fields of array
/// items, as `a.b`), each with the contract's constraints.
extension BitolImporter {
  /// The Data Contract Specification versions read: 0.9.x, 1.0.x, 1.1.x and 1.2.x.
  static func readsDataContractSpecification(_ version: String) -> Bool {
    let parts = version.split(separator: ".").map { Int($0) }
    guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return false }
    return (major == 0 && minor == 9) || (major == 1 && minor <= 2)
  }

  /// How deep fields may nest, counting the levels that `$ref`s bring in.
  static let maxFieldDepth = 64

  /// How many columns one contract may expand to through its definitions.
  static let maxContractColumns = 50_000

  /// Reads one Data Contract Specification document whose top level is `top`.
  ///
  /// - Parameters:
  ///   - top: The document's top-level mapping.
  ///   - root: The document's root node, for locating findings about it as a whole.
  ///   - r: The document's reader; its findings are the caller's to collect.
  ///   - teams: The teams seen so far (owner to contact), to which the owner is added.
  /// - Returns: The contract, or nil when it is not read (no id, a version not read,
  ///   wrong shapes of the parts that decide it).
  static func readDataContractSpecification(
    _ top: Node.Mapping, root: Node, reader r: inout Reader, teams: inout [String: String?]
  ) -> Contract? {
    let before = r.findings.count
    let spec = r.string(top, "dataContractSpecification", "dataContractSpecification")
    let id = r.string(top, "id", "id")
    guard r.findings.count == before else { return nil }
    guard let spec, readsDataContractSpecification(spec) else {
      r.report(
        "unsupported-version",
        spec.map { "Data Contract Specification '\($0)' is not a version lineage reads; the contract is not read" }
          ?? "the contract names no dataContractSpecification version; not read",
        at: r.value(top, "dataContractSpecification") ?? root,
        hint: "lineage reads Data Contract Specification 0.9 to 1.2 and ODCS v3")
      return nil
    }
    guard let id, !id.isEmpty else {
      r.report(
        "invalid-document", "the contract has no id; not read", at: root,
        hint: "the Data Contract Specification requires 'id'")
      return nil
    }
    let info = r.value(top, "info").flatMap { r.mapping($0, "info") }
    let owner = r.string(info, "owner", "info.owner")
    let contact = r.value(info, "contact").flatMap { r.mapping($0, "info.contact") }
    let email = r.string(contact, "email", "info.contact.email")
    if let owner, (teams[owner] ?? nil) == nil { teams[owner] = email }
    let version = r.string(info, "version", "info.version")
    let file = r.file
    let statusText = r.string(info, "status", "info.status")
    let status = Self.status(statusText, file: file, findings: &r.findings)
    let description = r.string(info, "description", "info.description")
    let tags = r.strings(top, "tags", "tags")
    let provenance = Provenance(.imported, file: file, detail: "Data Contract Specification \(spec)")
    // The first server places the models: database.schema.MODEL, or its location.
    var qualifier: [String] = [], serverLocation: String?
    if let servers = r.value(top, "servers").flatMap({ r.mapping($0, "servers") }), let (name, first) = servers.first {
      let path = "servers.\(name.string ?? "?")"
      if let server = r.mapping(first, path) {
        func first(_ keys: [String]) -> String? {
          for key in keys { if let v = r.string(server, key, path + "." + key) { return v } }
          return nil
        }
        qualifier = [first(["database", "project", "catalog"]), first(["schema", "dataset"])].compactMap { $0 }
        serverLocation = r.string(server, "location", path + ".location")
      }
    }
    // 0.9's top-level quality (type, specification) holds for every model.
    var contractQuality: [String] = []
    if let quality = r.value(top, "quality") {
      if case .scalar = quality {
        r.mistyped("quality", "a mapping", quality)
      } else {
        contractQuality = [BitolImporter.canonical(quality)]
      }
    }
    var fields = FieldReader(
      definitions: r.value(top, "definitions").flatMap { r.mapping($0, "definitions") } ?? Node.Mapping([]))
    var contract = Contract(id: id, file: file, objects: [], physical: [:])
    let models = r.value(top, "models").flatMap { r.mapping($0, "models") } ?? Node.Mapping([])
    for (key, value) in models {
      guard let name = key.string, !name.isEmpty else { continue }
      let path = "models.\(name)"
      guard let model = r.mapping(value, path) else { continue }
      var node = MeshNode(id: id + "." + name, kind: "dataset", name: r.string(model, "title", path + ".title") ?? name)
      node.owner = owner
      node.version = version
      node.status = status
      node.description = r.string(model, "description", path + ".description") ?? description
      node.tags = Array(Set(tags + r.strings(model, "tags", path + ".tags"))).sorted()
      if !qualifier.isEmpty {
        node.physicalLocation = (qualifier + [name]).joined(separator: ".")
      } else if let serverLocation {
        node.physicalLocation = serverLocation.replacingOccurrences(of: "{model}", with: name)
      }
      node.quality =
        (contractQuality + r.sequence(model, "quality", path + ".quality").map { BitolImporter.canonical($0) })
        .sorted()
      let fieldMap = r.value(model, "fields").flatMap { r.mapping($0, path + ".fields") } ?? Node.Mapping([])
      var columns = fields.columns(of: fieldMap, path: path + ".fields", reader: &r)
      for key in r.strings(model, "primaryKey", path + ".primaryKey") {
        for k in columns.indices where columns[k].name == key { columns[k].primaryKey = true }
      }
      node.schema = columns
      node.provenance = [provenance]
      node.location = r.location(key)
      if columns.contains(where: { $0.classification == "restricted" || $0.classification == "confidential" }) {
        node.sensitivity = .confidential
      }
      contract.physical[name] = node.id
      contract.objects.append(node)
    }
    return contract
  }

  /// Reads fields into columns, resolving `$ref`s to the contract's `definitions`
  /// without recursion: a field's own properties win over its definition's, a
  /// definition's own `$ref` is followed in turn, and a `$ref` to a definition that is
  /// already being expanded above the field is a `cyclic-definition` error.
  struct FieldReader {
    /// The contract's `definitions`.
    let definitions: Node.Mapping
    /// Columns read so far in the contract, against ``BitolImporter/maxContractColumns``.
    var count = 0

    init(definitions: Node.Mapping) { self.definitions = definitions }

    /// One field seen through its `$ref`s: the field's mapping first, then each
    /// definition it inherits from, each with its path for messages.
    struct Layers {
      var items: [(mapping: Node.Mapping, path: String)]

      /// The first layer that sets `key`.
      func find(_ key: String, _ r: Reader) -> (Node.Mapping, String)? {
        for (m, path) in items where r.value(m, key) != nil { return (m, path + "." + key) }
        return nil
      }
    }

    /// The definition a local `$ref` names (`#/definitions/ID`, or a path into one,
    /// `#/definitions/ID/fields/NAME`), with the path that names it.
    func definition(_ ref: String) -> (Node, String)? {
      let rest = String(ref.dropFirst("#/definitions/".count))
      if let node = definitions[rest] { return (node, rest) }
      let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      for cut in stride(from: parts.count - 1, through: 1, by: -1) {
        guard var node = definitions[parts[..<cut].joined(separator: "/")] else { continue }
        for part in parts[cut...] {
          guard case .mapping(let m) = node, let next = m[part] else { return nil }
          node = next
        }
        return (node, rest)
      }
      return nil
    }

    /// The layers of the field `f` at `path`, with the definitions above it extended
    /// by the ones its `$ref`s bring in; nil when a `$ref` closes a cycle.
    func layers(_ f: Node.Mapping, path: String, chain: [String], reader r: inout Reader) -> (Layers, [String])? {
      var layers = Layers(items: [(f, path)])
      var chain = chain
      var current = f, currentPath = path
      while let refNode = r.value(current, "$ref") {
        guard let ref = r.string(current, "$ref", currentPath + ".$ref") else { break }
        guard ref.hasPrefix("#/definitions/") else {
          r.findings.append(
            Finding(
              rule: "unresolved-definition", severity: .warning,
              message:
                "\(currentPath).$ref '\(ref)' is not a definition of this contract; lineage does not fetch it, so the field has only its own properties",
              location: r.location(refNode), hint: "copy the definition into the contract's definitions"))
          break
        }
        guard let (node, key) = definition(ref) else {
          let known = definitions.keys.compactMap(\.string)
          r.report(
            "unresolved-definition", "\(currentPath).$ref '\(ref)' names no definition of this contract",
            at: refNode,
            hint: Suggest.hint(for: String(ref.dropFirst("#/definitions/".count)), in: known)
              ?? (known.isEmpty
                ? "the contract has no definitions" : "definitions: " + known.sorted().joined(separator: ", ")))
          break
        }
        if let at = chain.firstIndex(of: key) {
          r.report(
            "cyclic-definition",
            "\(currentPath).$ref '\(ref)' closes a cycle of definitions: \((chain[at...] + [key]).joined(separator: " -> ")); the field is not read",
            at: refNode, hint: "break the cycle: a definition cannot contain itself")
          return nil
        }
        chain.append(key)
        guard let m = r.mapping(node, "definitions." + key) else { break }
        current = m
        currentPath = "definitions." + key
        layers.items.append((m, currentPath))
      }
      return (layers, chain)
    }

    /// The columns of a `fields` mapping, nested fields after their parent.
    mutating func columns(of fields: Node.Mapping, path: String, reader r: inout Reader) -> [Column] {
      var columns: [Column] = [], names = Set<String>()
      var stack: [(prefix: String, path: String, entries: [(Node, Node)], index: Int, chain: [String])] = [
        ("", path, fields.map { ($0.key, $0.value) }, 0, [])
      ]
      while var top = stack.popLast() {
        guard top.index < top.entries.count else { continue }
        let (key, item) = top.entries[top.index]
        top.index += 1
        stack.append(top)
        guard let name = key.string, !name.isEmpty else { continue }
        let here = top.path + "." + name
        guard let f = r.mapping(item, here),
          let (layers, chain) = self.layers(f, path: here, chain: top.chain, reader: &r)
        else { continue }
        let full = top.prefix + name
        if names.insert(full).inserted { columns.append(column(full, layers, at: key, reader: &r)) }
        count += 1
        guard count <= BitolImporter.maxContractColumns else {
          r.report(
            "invalid-document",
            "the contract expands to more than \(BitolImporter.maxContractColumns) fields through its definitions; the rest are not read",
            at: key)
          return columns
        }
        // Nested fields: the field's own, else its definition's; then those of its
        // array items (which may have a $ref of their own).
        var nested: [(Node.Mapping, String, [String])] = []
        for (m, p) in layers.items {
          guard let v = r.value(m, "fields"), let fm = r.mapping(v, p + ".fields"), !fm.isEmpty else { continue }
          nested.append((fm, p + ".fields", chain))
          break
        }
        if let (itemsOwner, p) = layers.find("items", r), let items = r.value(itemsOwner, "items"),
          let im = r.mapping(items, p),
          let (itemLayers, itemChain) = self.layers(im, path: p, chain: chain, reader: &r),
          let (fm, fp) = itemLayers.find("fields", r), let v = r.value(fm, "fields"), let m = r.mapping(v, fp)
        {
          nested.append((m, fp, itemChain))
        }
        for (m, p, c) in nested.reversed() where !m.isEmpty {
          guard stack.count < BitolImporter.maxFieldDepth else {
            r.report(
              "invalid-document",
              "\(here) nests fields deeper than \(BitolImporter.maxFieldDepth) levels; the deeper fields are not read",
              at: key)
            break
          }
          stack.append((full + ".", p, m.map { ($0.key, $0.value) }, 0, c))
        }
      }
      return columns
    }

    /// One column from a field's layers.
    func column(_ name: String, _ layers: Layers, at key: Node, reader r: inout Reader) -> Column {
      func string(_ k: String) -> String? { layers.find(k, r).flatMap { r.string($0.0, k, $0.1) } }
      func bool(_ k: String) -> Bool? { layers.find(k, r).flatMap { r.bool($0.0, k, $0.1) } }
      func number(_ k: String) -> Double? { layers.find(k, r).flatMap { r.number($0.0, k, $0.1) } }
      func integer(_ k: String) -> Int? { layers.find(k, r).flatMap { r.integer($0.0, k, $0.1) } }
      var type = string("type")
      if let t = type, let precision = integer("precision") {
        type = "\(t)(\(precision),\(integer("scale") ?? 0))"
      }
      var col = Column(name: name, type: type)
      col.nullable = bool("required") != true
      col.primaryKey = (bool("primaryKey") ?? bool("primary")) == true
      col.classification = string("classification")?.lowercased() ?? (bool("pii") == true ? "pii" : nil)
      col.description = string("description")
      col.location = r.location(key)
      var c = ColumnConstraints()
      c.unique = bool("unique") == true
      if let (m, p) = layers.find("enum", r) { c.allowedValues = r.strings(m, "enum", p) }
      c.minimum = number("minimum")
      c.exclusiveMinimum = number("exclusiveMinimum")
      c.maximum = number("maximum")
      c.exclusiveMaximum = number("exclusiveMaximum")
      c.minLength = integer("minLength")
      c.maxLength = integer("maxLength")
      c.pattern = string("pattern")
      c.format = string("format")
      c.references = string("references")
      if let (m, p) = layers.find("quality", r) {
        c.quality = r.sequence(m, "quality", p).map { BitolImporter.canonical($0) }.sorted()
      }
      col.constraints = c
      return col
    }
  }
}

extension BitolImporter.Reader {
  /// A number field (`minimum: 10`, `maximum: 4.5`).
  mutating func number(_ m: Node.Mapping?, _ key: String, _ path: String) -> Double? {
    guard let v = value(m, key) else { return nil }
    guard case .scalar(let s) = v, BitolImporter.boolValue(s) == nil, let d = Double(s.string), d.isFinite else {
      mistyped(path, "a number", v)
      return nil
    }
    return d
  }

  /// A whole-number field (`maxLength: 20`).
  mutating func integer(_ m: Node.Mapping?, _ key: String, _ path: String) -> Int? {
    guard let v = value(m, key) else { return nil }
    guard case .scalar(let s) = v, let i = Int(s.string) ?? Double(s.string).flatMap({ Int(exactly: $0) }) else {
      mistyped(path, "a whole number", v)
      return nil
    }
    return i
  }
}

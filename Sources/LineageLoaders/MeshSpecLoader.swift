public import LineageCore
internal import Yams
internal import Foundation

/// Reads a mesh spec v1 directory: `mesh.yaml` at its root and every `*.yaml` /
/// `*.yml` file below it (hidden directories skipped), each holding one or more
/// `lineage/v1` documents of kind `Mesh`, `DataProduct`, `Source` or `Consumer`.
///
/// Loading never stops at the first problem: every YAML syntax error, unknown kind,
/// missing, mistyped or unknown field and duplicate id becomes a located
/// ``Finding``; reference resolution happens later, in ``Resolver``.
public struct MeshSpecLoader {
  /// The spec version this loader reads.
  public static let apiVersion = "lineage/v1"
  /// Files larger than this are refused (a mesh spec file is small).
  public static let maxFileSize = 64 << 20

  /// The root directory (holding `mesh.yaml`).
  public let root: String
  /// The prefix shown before relative paths in findings ("" or "samples/demo/").
  public let displayPrefix: String

  /// Creates a loader for the mesh rooted at `root`; findings name files as
  /// `displayPrefix + relative path`.
  public init(root: String, displayPrefix: String) {
    self.root = root
    self.displayPrefix = displayPrefix
  }

  /// Loads the directory into a ``Mesh`` and the findings of loading it.
  public func load() -> (mesh: Mesh, findings: [Finding]) {
    var state = LoadState()
    let rootFile = ["mesh.yaml", "mesh.yml"].first { FileManager.default.fileExists(atPath: root + "/" + $0) }
    if let rootFile {
      loadFile(relative: rootFile, isRoot: true, state: &state)
    }
    if state.mesh == nil {
      let file = displayPrefix + (rootFile ?? "mesh.yaml")
      state.findings.append(Finding(
        rule: "missing-mesh", severity: .error,
        message: "\(file) holds no document of kind Mesh", location: SourceLocation(file: file, line: 1, column: 1),
        hint: "start the file with 'apiVersion: lineage/v1', 'kind: Mesh' and 'name: ...'"))
    }
    var files: [String] = []
    var walkFindings: [Finding] = []
    walk(into: &files, findings: &walkFindings)
    state.findings += walkFindings
    for f in files where f != rootFile {
      loadFile(relative: f, isRoot: false, state: &state)
    }
    var mesh = state.mesh ?? Mesh(name: "unnamed")
    mesh.nodes = state.nodes
    return (mesh, state.findings)
  }

  // MARK: Files

  /// Every `*.yaml`/`*.yml` below the root, relative, sorted by byte order; hidden
  /// entries skipped; directory symlink loops visited once.
  func walk(into files: inout [String], findings: inout [Finding]) {
    let fm = FileManager.default
    var visited = Set<String>()
    var stack: [String] = [""]
    while let rel = stack.popLast() {
      let dir = rel.isEmpty ? root : root + "/" + rel
      guard let real = realPath(dir) else { continue }
      if !visited.insert(real).inserted { continue }
      guard let entries = try? fm.contentsOfDirectory(atPath: dir) else {
        // Part of the mesh would be missing: as much an error as an unreadable file.
        let reason = access(dir, R_OK | X_OK) == 0 ? "read failed" : String(cString: strerror(errno))
        findings.append(Finding(rule: "read-error", severity: .error, message: "cannot read directory: \(reason)",
                                location: SourceLocation(file: displayPrefix + rel),
                                hint: "make it readable to the user running lineage, or move it out of the mesh directory"))
        continue
      }
      var subdirs: [String] = []
      for name in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
        let path = dir + "/" + name
        let relPath = rel.isEmpty ? name : rel + "/" + name
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
          // A symbolic link that leads nowhere or into a loop: skipped, but said.
          var st = stat()
          if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
            let reason = stat(path, &st) == 0 ? "unreadable" : String(cString: strerror(errno))
            findings.append(Finding(rule: "read-error", severity: .warning,
                                    message: "symbolic link cannot be followed (\(reason)); it is skipped",
                                    location: SourceLocation(file: displayPrefix + relPath),
                                    hint: "point it at an existing file or directory, or remove it"))
          }
          continue
        }
        if isDir.boolValue {
          subdirs.append(relPath)
        } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
          files.append(relPath)
        }
      }
      stack.append(contentsOf: subdirs.reversed())
    }
    files.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  struct LoadState {
    var mesh: Mesh?
    var nodes: [MeshNode] = []
    var firstDeclaration: [String: SourceLocation] = [:]
    var findings: [Finding] = []
  }

  func loadFile(relative: String, isRoot: Bool, state: inout LoadState) {
    let display = displayPrefix + relative
    let diag = FileDiagnostics(file: display)
    defer { state.findings += diag.findings }
    guard let text = readText(root + "/" + relative, diag: diag) else { return }
    let parser: Parser
    do {
      // No implicit typing by regular expressions (Yams's default resolver runs up to
      // seven per scalar, and again whenever a key is hashed or compared): the loader
      // reads every scalar as text and types it itself (YAMLFields).
      parser = try Parser(yaml: text, resolver: .basic)
    } catch {
      report(yamlError: error, diag: diag)
      return
    }
    var index = 0
    while true {
      let root: Node?
      do {
        root = try parser.nextRoot()
      } catch {
        report(yamlError: error, diag: diag)
        return
      }
      guard let doc = root else { break }
      index += 1
      loadDocument(doc, index: index, isRootFile: isRoot, diag: diag, state: &state)
    }
  }

  func readText(_ path: String, diag: FileDiagnostics) -> String? {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > Self.maxFileSize {
      diag.report("read-error", .error, "file is \(size >> 20) MiB; mesh spec files are limited to \(Self.maxFileSize >> 20) MiB",
                  at: nil, hint: "split it into several files")
      return nil
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      // Ask the system why, for the message: permission, a directory, a vanished file.
      let fd = open(path, O_RDONLY), code = errno
      let reason = fd < 0 ? String(cString: strerror(code)) : "read failed"
      if fd >= 0 { close(fd) }
      diag.report("read-error", .error, "cannot read file: \(reason)", at: nil,
                  hint: fd < 0 && code == EACCES ? "make it readable to the user running lineage, or move it out of the mesh directory"
                    : "check that it exists and is a readable file")
      return nil
    }
    if data.count > Self.maxFileSize {
      diag.report("read-error", .error, "file is \(data.count >> 20) MiB; mesh spec files are limited to \(Self.maxFileSize >> 20) MiB",
                  at: nil, hint: "split it into several files")
      return nil
    }
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    diag.mentionsLineage = containsLineageMarker(bytes)
    if let bad = firstInvalidUTF8(bytes) {
      var line = 1, col = 1
      for b in bytes[..<bad] {
        if b == 10 { line += 1; col = 1 } else if b & 0xC0 != 0x80 { col += 1 }
      }
      diag.findings.append(Finding(rule: "invalid-utf8", severity: diag.problemSeverity, message: "file is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)) at offset \(bad))",
                                   location: SourceLocation(file: diag.file, line: line, column: col),
                                   hint: "save the file as UTF-8"))
      return nil
    }
    if let nul = bytes.firstIndex(of: 0) {
      let line = bytes[..<nul].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
      diag.findings.append(Finding(rule: "invalid-utf8", severity: diag.problemSeverity, message: "file contains a NUL byte",
                                   location: SourceLocation(file: diag.file, line: line), hint: "remove it"))
      return nil
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  func report(yamlError error: any Error, diag: FileDiagnostics) {
    var line = 0, column = 0
    var message = "\(error)"
    if let e = error as? YamlError {
      switch e {
      case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
           .composer(let context, let problem, let mark, _):
        line = mark.line
        column = mark.column
        message = problem + (context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? "")
      case .duplicatedKeysInMapping(let duplicates, let context):
        line = context.mark.line
        column = context.mark.column
        message = "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping"
        diag.findings.append(Finding(rule: "duplicate-key", severity: diag.problemSeverity, message: message,
                                     location: SourceLocation(file: diag.file, line: line, column: column),
                                     hint: "keep one of them; YAML mappings need unique keys"))
        return
      case .reader(let problem, let offset, _, _):
        message = problem + (offset.map { " at character \($0)" } ?? "")
      default:
        break
      }
    }
    diag.findings.append(Finding(rule: "yaml-syntax", severity: diag.problemSeverity, message: "YAML syntax error: \(message)",
                                 location: SourceLocation(file: diag.file, line: line, column: column),
                                 hint: "fix the YAML; the rest of this file was not read"))
  }

  // MARK: Documents

  static let nodeKinds: [String: NodeKind] = ["DataProduct": .product, "Source": .source, "Consumer": .consumer]

  func loadDocument(_ doc: Node, index: Int, isRootFile: Bool, diag: FileDiagnostics, state: inout LoadState) {
    if case .scalar(let s) = doc, doc.null != nil || s.string.isEmpty { return }  // empty document
    guard case .mapping = doc else {
      if diag.mentionsLineage {
        diag.report("invalid-document", .error,
                    "document \(index) must be a mapping with apiVersion and kind, found \(describe(doc))", at: doc)
      } else {
        diag.report("skipped-document", .info, "document \(index) is \(describe(doc)), not a lineage document; skipped",
                    at: doc)
      }
      return
    }
    guard let f = Fields(doc, context: "document \(index)", diag: diag) else { return }
    let api = f.value("apiVersion").flatMap { f.text($0, key: "apiVersion") }
    let kind = f.value("kind").flatMap { f.text($0, key: "kind") }
    let isOurKind = kind.map { $0 == "Mesh" || Self.nodeKinds[$0] != nil } ?? false
    guard let api else {
      if isOurKind {
        f.missing("apiVersion", hint: "add 'apiVersion: \(Self.apiVersion)'")
      } else {
        diag.report("skipped-document", .info, "document \(index) has no apiVersion: \(Self.apiVersion); skipped", at: doc)
      }
      return
    }
    guard api.hasPrefix("lineage/") else {
      diag.report("skipped-document", .info, "document \(index) has apiVersion '\(api)', not \(Self.apiVersion); skipped", at: doc)
      return
    }
    guard api == Self.apiVersion else {
      diag.report("unknown-api-version", .error, "unsupported apiVersion '\(api)'", at: f.value("apiVersion"),
                  hint: "this version of lineage reads \(Self.apiVersion)")
      return
    }
    guard let kind else {
      f.missing("kind", hint: "one of Mesh, DataProduct, Source, Consumer")
      return
    }
    if kind == "Mesh" {
      if !isRootFile {
        diag.report("misplaced-mesh", .error, "a document of kind Mesh may only appear in the root mesh.yaml",
                    at: f.value("kind"), hint: "move its settings into \(displayPrefix)mesh.yaml")
      } else if state.mesh != nil {
        diag.report("misplaced-mesh", .error, "mesh.yaml holds a second document of kind Mesh", at: f.value("kind"),
                    hint: "merge the two")
      } else {
        state.mesh = loadMesh(f)
      }
      return
    }
    guard let nodeKind = Self.nodeKinds[kind] else {
      diag.report("unknown-kind", .error, "unknown kind '\(kind)'", at: f.value("kind"),
                  hint: Suggest.hint(for: kind, in: ["Mesh"] + Self.nodeKinds.keys.sorted())
                    ?? "kinds are Mesh, DataProduct, Source, Consumer")
      return
    }
    guard let node = loadNode(f, kind: nodeKind, kindName: kind) else { return }
    if let first = state.firstDeclaration[node.id] {
      diag.report("duplicate-id", .error, "duplicate id '\(node.id)': already declared at \(first)",
                  at: f.value("id"), subjects: [node.id], hint: "ids must be unique in the mesh; rename one of them",
                  related: [first])
      return
    }
    state.firstDeclaration[node.id] = node.fieldLocations["id"] ?? node.location
    state.nodes.append(node)
  }

  func loadMesh(_ f: Fields) -> Mesh {
    let name = f.identifier("name", required: true) ?? "unnamed"
    f.context = "Mesh '\(name)'"
    var mesh = Mesh(name: name, location: f.location)
    _ = f.string("description")
    var domainIDs = Set<String>()
    for item in f.sequence("domains") ?? [] {
      guard let d = Fields(item, context: "a domain of Mesh '\(name)'", diag: f.diag) else { continue }
      guard let id = d.identifier("id", required: true) else { continue }
      d.context = "domain '\(id)'"
      if !domainIDs.insert(id).inserted {
        d.diag.report("duplicate-id", .error, "domain '\(id)' is declared twice", at: d.value("id"))
        continue
      }
      let owner = d.identifier("owner")
      mesh.domains.append(Domain(id: id, name: d.string("name"), owner: owner, description: d.string("description"),
                                 location: d.location, ownerLocation: owner == nil ? nil : d.location(of: "owner")))
      d.finish(allowed: ["id", "name", "owner", "description"])
    }
    var teamIDs = Set<String>()
    for item in f.sequence("teams") ?? [] {
      guard let t = Fields(item, context: "a team of Mesh '\(name)'", diag: f.diag) else { continue }
      guard let id = t.identifier("id", required: true) else { continue }
      t.context = "team '\(id)'"
      if !teamIDs.insert(id).inserted {
        t.diag.report("duplicate-id", .error, "team '\(id)' is declared twice", at: t.value("id"))
        continue
      }
      mesh.teams.append(Team(id: id, name: t.string("name"), contact: t.string("contact"), location: t.location))
      _ = t.strings("members")
      _ = t.string("description")
      t.finish(allowed: ["id", "name", "contact", "members", "description"])
    }
    if let p = f.mapping("policies", context: "policies of Mesh '\(name)'") {
      for i in p.keys.indices {
        let key = p.keys[i], keyNode = p.keyNodes[i], value = p.values[i]
        p.used[i] = true
        guard PolicyCatalog.rules.contains(key) else {
          p.diag.report("unknown-policy", .warning, "unknown policy '\(key)'; it is ignored", at: keyNode,
                        hint: Suggest.hint(for: key, in: PolicyCatalog.rules)
                          ?? "policies are \(PolicyCatalog.rules.joined(separator: ", "))")
          continue
        }
        var levelText: String?
        var limit: Int?
        var levelNode = value
        if case .mapping = value, let sub = Fields(value, context: "policy '\(key)'", diag: p.diag) {
          levelText = sub.string("severity", required: true)
          levelNode = sub.value("severity") ?? value
          if sub.value("limit") != nil, key != "max-depth" {
            p.diag.report("invalid-field", .warning, "only policy 'max-depth' takes a limit; it is ignored here",
                          at: sub.value("limit"))
          } else if let l = sub.number("limit") {
            if l >= 1, l <= 1_000_000, l == l.rounded() { limit = Int(l) } else {
              p.diag.report("invalid-value", .error, "limit of policy '\(key)' must be a whole number from 1", at: sub.value("limit"))
            }
          }
          sub.finish(allowed: ["severity", "limit"])
        } else {
          levelText = p.text(value, key: key)
        }
        guard let levelText else { continue }
        guard let level = PolicyLevel(rawValue: levelText) else {
          p.diag.report("invalid-value", .error, "policy '\(key)' is '\(levelText)'; expected error, warning or off",
                        at: levelNode, hint: Suggest.hint(for: levelText, in: PolicyLevel.allCases.map(\.rawValue)))
          continue
        }
        mesh.policies.append(PolicySetting(rule: key, level: level, limit: limit, location: p.diag.location(keyNode)))
      }
    }
    f.finish(allowed: ["apiVersion", "kind", "name", "description", "domains", "teams", "policies"])
    return mesh
  }

  static let commonFields = ["apiVersion", "kind", "id", "name", "domain", "owner", "description", "version", "status",
                             "tags", "type", "resource"]
  static let fieldsByKind: [NodeKind: [String]] = [
    .product: commonFields + ["deprecation", "access", "sensitivity", "entities", "location", "sla", "inputs", "schema"],
    .source: commonFields + ["deprecation", "access", "sensitivity", "entities", "location", "sla", "schema"],
    .consumer: commonFields + ["criticality", "inputs", "location", "url"],
  ]

  func loadNode(_ f: Fields, kind: NodeKind, kindName: String) -> MeshNode? {
    guard let id = f.identifier("id", required: true, hint: "for example 'id: sales.orders'") else { return nil }
    f.context = "\(kindName) '\(id)'"
    f.subject = [id]
    var n = MeshNode(id: id, kind: kind, location: f.location)
    n.fieldLocations["id"] = f.location(of: "id")
    // An imported node keeps its tool's kind (`model`, `dataset`, ...) and identity.
    if let type = f.identifier("type") { n.kind = NodeKind(rawValue: type) }
    if let r = f.mapping("resource", context: "resource of '\(id)'") {
      var res = ImportedResource(type: n.kind.rawValue, name: r.string("name") ?? id)
      res.fqn = (r.strings("fqn") ?? []).map(\.0)
      res.package = r.string("package")
      res.path = r.string("path")
      res.patchPath = r.string("patchPath")
      res.sourceName = r.string("sourceName")
      res.version = r.string("version")
      res.contractEnforced = r.bool("contractEnforced") ?? false
      r.finish(allowed: ["name", "fqn", "package", "path", "patchPath", "sourceName", "version", "contractEnforced"])
      n.resource = res
    }
    n.name = f.string("name")
    n.domain = f.identifier("domain", required: kind != .consumer, hint: "name one of the mesh's domains")
    if n.domain != nil { n.fieldLocations["domain"] = f.location(of: "domain") }
    n.owner = f.identifier("owner")
    if n.owner != nil { n.fieldLocations["owner"] = f.location(of: "owner") }
    n.description = f.string("description")
    for key in ["description", "access", "sensitivity", "sla", "status"] where f.value(key) != nil {
      n.fieldLocations[key] = f.location(of: key)
    }
    n.version = f.string("version")
    n.status = f.choice("status", ProductStatus.self) ?? .active
    n.tags = (f.strings("tags") ?? []).map(\.0)
    if kind == .consumer {
      n.criticality = f.choice("criticality", Criticality.self)
      n.physicalLocation = f.string("url")
    } else {
      n.access = f.choice("access", Access.self) ?? .public
      n.sensitivity = f.choice("sensitivity", Sensitivity.self)
      n.entities = (f.strings("entities") ?? []).map(\.0)
      if !n.entities.isEmpty { n.fieldLocations["entities"] = f.location(of: "entities") }
      if let d = f.mapping("deprecation", context: "deprecation of '\(id)'") {
        var dep = Deprecation(location: d.location)
        if let sunset = d.string("sunset") {
          if isISODate(sunset) { dep.sunset = sunset } else {
            d.diag.report("invalid-value", .error, "sunset '\(sunset)' is not a date", at: d.value("sunset"),
                          subjects: [id], hint: "write it as YYYY-MM-DD")
          }
        }
        dep.replacedBy = d.identifier("replacedBy")
        d.finish(allowed: ["sunset", "replacedBy"])
        n.deprecation = dep
      }
      if let s = f.mapping("sla", context: "sla of '\(id)'") {
        n.serviceLevel = ServiceLevel(freshness: s.string("freshness"), availability: s.number("availability"))
        if let text = n.serviceLevel?.freshness, Freshness.seconds(text) == nil {
          s.diag.report("invalid-value", .error, "freshness '\(text)' is not a duration", at: s.value("freshness"),
                        subjects: [id], hint: "write a number and a unit, such as 15m, 1h or 1d (or ISO 8601: PT15M)")
        }
        if let a = n.serviceLevel?.availability, !(0...100).contains(a) {
          s.diag.report("invalid-value", .error, "availability \(a == a.rounded() ? String(Int(a)) : String(a)) is not a percentage", at: s.value("availability"),
                        subjects: [id], hint: "write a number from 0 to 100, such as 99.9")
        }
        s.finish(allowed: ["freshness", "availability"])
      }
    }
    if let loc = f.string("location") { n.physicalLocation = loc }
    if f.value("location") != nil { n.fieldLocations["location"] = f.location(of: "location") }
    if kind == .source {
      if let inputs = f.value("inputs") {
        f.diag.report("invalid-field", .error, "a Source has no inputs; '\(id)' declares some", at: inputs,
                      subjects: [id], hint: "declare it as kind: DataProduct if it is derived from other nodes")
      }
    } else {
      n.inputs = loadInputs(f)
    }
    if kind != .consumer {
      n.schema = loadSchema(f, owner: id)
      if f.value("schema") != nil { n.fieldLocations["schema"] = f.location(of: "schema") }
    }
    f.finish(allowed: Self.fieldsByKind[kind] ?? [])
    return n
  }

  func loadInputs(_ f: Fields) -> [Input] {
    var inputs: [Input] = []
    for item in f.sequence("inputs") ?? [] {
      if case .scalar = item {
        if let p = f.text(item, key: "inputs"), let p = f.checkIdentifier(p, key: "inputs", at: item) {
          inputs.append(Input(product: p, location: f.diag.location(item)))
        }
        continue
      }
      guard let i = Fields(item, context: "an input of \(f.context)", diag: f.diag) else { continue }
      i.subject = f.subject
      guard let product = i.identifier("product", required: true) else { continue }
      var input = Input(product: product, location: i.location(of: "product"))
      if let cols = i.strings("columns") {
        input.columns = cols.map(\.0)
        input.columnLocations = cols.map(\.1)
      }
      i.finish(allowed: ["product", "columns"])
      inputs.append(input)
    }
    return inputs
  }

  func loadSchema(_ f: Fields, owner: String) -> [Column] {
    var columns: [Column] = []
    for item in f.sequence("schema") ?? [] {
      guard let c = Fields(item, context: "a column of '\(owner)'", diag: f.diag) else { continue }
      c.subject = f.subject
      guard let name = c.identifier("name", required: true) else { continue }
      c.context = "column '\(owner).\(name)'"
      var col = Column(name: name, location: c.location(of: "name"))
      col.type = c.string("type")
      col.nullable = c.bool("nullable") ?? true
      col.primaryKey = c.bool("primaryKey") ?? false
      if col.primaryKey, c.value("nullable") == nil { col.nullable = false }
      col.classification = c.identifier("classification")
      col.masked = c.bool("masked") ?? false
      col.renamedFrom = c.identifier("renamedFrom")
      col.description = c.string("description")
      for ref in c.sequence("from") ?? [] {
        if let r = loadColumnRef(ref, c) { col.from.append(r) }
      }
      c.finish(allowed: ["name", "type", "nullable", "primaryKey", "classification", "masked", "renamedFrom",
                         "description", "from"])
      columns.append(col)
    }
    return columns
  }

  func loadColumnRef(_ node: Node, _ c: Fields) -> ColumnRef? {
    if case .scalar = node {
      guard let text = c.text(node, key: "from"), let text = c.checkIdentifier(text, key: "from", at: node) else {
        return nil
      }
      guard let dot = text.lastIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
        c.diag.report("invalid-value", .error, "lineage '\(text)' of \(c.context) must be PRODUCT.COLUMN", at: node,
                      subjects: c.subject, hint: "for example 'crm.customers.segment', or { product: ..., column: ... }")
        return nil
      }
      return ColumnRef(product: String(text[..<dot]), column: String(text[text.index(after: dot)...]),
                       location: c.diag.location(node))
    }
    guard let r = Fields(node, context: "the lineage of \(c.context)", diag: c.diag) else { return nil }
    r.subject = c.subject
    let product = r.identifier("product", required: true)
    let column = r.identifier("column", required: true)
    let transform = r.choice("transform", Transform.self) ?? .identity
    let masked = r.bool("masked") ?? false
    r.finish(allowed: ["product", "column", "transform", "masked"])
    guard let product, let column else { return nil }
    return ColumnRef(product: product, column: column, transform: transform, masked: masked,
                     location: r.location(of: "product"))
  }
}

/// `YYYY-MM-DD` with a plausible month and day.
func isISODate(_ s: String) -> Bool {
  let parts = s.split(separator: "-", omittingEmptySubsequences: false)
  guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
  return y >= 1900 && (1...12).contains(m) && (1...31).contains(d)
}

/// The first byte offset where `bytes` stops being valid UTF-8, or nil.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
  var it = bytes.makeIterator()
  var parser = Unicode.UTF8.ForwardParser()
  var offset = 0
  while true {
    switch parser.parseScalar(from: &it) {
    case .valid(let s): offset += s.count
    case .error: return offset
    case .emptyInput: return nil
    }
  }
}

/// The canonical absolute path (symlinks and `..` resolved), or nil when it does not exist.
func realPath(_ path: String) -> String? {
  guard let p = realpath(path, nil) else { return nil }
  defer { free(p) }
  return String(cString: p)
}

/// True when the bytes mention `lineage/` (an apiVersion of ours): a file that does
/// not is some other tool's YAML, and its problems are not the mesh's.
func containsLineageMarker(_ bytes: [UInt8]) -> Bool {
  let marker = Array("lineage/".utf8)
  guard bytes.count >= marker.count else { return false }
  var i = 0
  while i <= bytes.count - marker.count {
    if bytes[i] == marker[0], bytes[i..<i + marker.count].elementsEqual(marker) { return true }
    i += 1
  }
  return false
}

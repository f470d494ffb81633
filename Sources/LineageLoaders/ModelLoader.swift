internal import Foundation
public import LineageCore
public import LineageSQL

/// Finds and loads whatever `--mesh` names (or the nearest `mesh.yaml` upward),
/// detecting the input kind by content.
public enum ModelLoader {
  /// How importers read their inputs.
  public struct Options: Sendable {
    /// OpenLineage: which runs of a job count.
    public var history: OpenLineageImporter.History = .latest
    /// OpenLineage: keep jobs as nodes.
    public var jobsAsNodes = false
    /// `.sql` files: their dialect (a dbt manifest names its own).
    public var dialect: SQLDialect = .generic
    /// Where graph JSON inputs keep the images of their loaded graphs (``GraphCache``);
    /// nil reads and writes none.
    public var cache: GraphCache?
    /// Creates options; each argument sets the property of the same name.
    ///
    /// - Parameters:
    ///   - history: Sets ``history``.
    ///   - jobsAsNodes: Sets ``jobsAsNodes``.
    ///   - dialect: Sets ``dialect``.
    public init(
      history: OpenLineageImporter.History = .latest, jobsAsNodes: Bool = false,
      dialect: SQLDialect = .generic
    ) {
      self.history = history
      self.jobsAsNodes = jobsAsNodes
      self.dialect = dialect
    }
  }

  /// Loads the model for `path`, or for the mesh found upward from `cwd` when nil.
  ///
  /// - Parameters:
  ///   - path: A mesh directory, its `mesh.yaml`, or a graph JSON file.
  ///   - cwd: The directory to search upward from; defaults to the process's.
  ///   - display: How to name a mesh directory's files in findings (a git checkout in a
  ///     temporary directory is shown under the working tree's path).
  ///   - options: How to read OpenLineage events and SQL.
  /// - Returns: The model, with the findings of loading and resolving.
  /// - Throws: ``LoadError`` when nothing loadable is found or the input cannot be
  ///   read at all. Problems inside a mesh are findings of the model instead.
  static func loadInput(
    path: String?, cwd: String? = nil, display: String? = nil,
    options: Options = Options()
  ) throws(LoadError) -> LineageModel {
    let openLineage = OpenLineageImporter(history: options.history, jobsAsNodes: options.jobsAsNodes)
    let fm = FileManager.default
    let cwd = cwd ?? fm.currentDirectoryPath
    guard var path else {
      guard let (root, shown) = meshDirectory(path: nil, cwd: cwd) else {
        var error = LoadError(
          message: "no mesh.yaml found in \(cwd) or any parent directory",
          hint:
            "run lineage inside a mesh directory, or name the input (a mesh directory, dbt manifest.json, OpenLineage events, ODCS/ODPS files, or graph JSON)"
        )
        error.reason = .noMeshFound
        throw error
      }
      return loadDirectory(root, display: shown)
    }
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
      var error = LoadError(
        message: "\(path): no such file or directory",
        hint:
          "the input is a mesh directory (with mesh.yaml), a dbt manifest.json, OpenLineage events (a file or a directory), ODCS/ODPS YAML files, or a graph JSON file"
      )
      error.reason = .noSuchInput
      throw error
    }
    if let (root, shown) = meshDirectory(path: path, cwd: cwd, display: display) {
      return loadDirectory(root, display: shown)
    }
    if isDir.boolValue {
      // Not a mesh directory (no mesh.yaml): what else a directory can hold.
      // dbt's target/ directory: its manifest (and the catalog beside it).
      if fm.fileExists(atPath: path + "/manifest.json") {
        return try loadFile(path + "/manifest.json", openLineage: openLineage, cache: options.cache)
      }
      let contracts = BitolImporter.files(at: path)
      if !contracts.isEmpty {
        return model(try BitolImporter.load(files: contracts), source: "contracts in \(path)", input: .contracts)
      }
      let events = OpenLineageImporter.files(at: path)
      if !events.isEmpty {
        return model(try openLineage.load(files: events), source: "OpenLineage events in \(path)", input: .openLineage)
      }
      let sql = SQLFilesImporter.files(at: path)
      if !sql.isEmpty { return try sqlModel(sql, source: "SQL files in \(path)", dialect: options.dialect) }
      throw LoadError(
        message: "\(path) has no mesh.yaml, manifest.json, ODCS/ODPS files, OpenLineage event files or .sql files",
        hint:
          "a mesh directory has mesh.yaml at its root (kind: Mesh); a contract directory holds ODCS/ODPS .yaml files; an event directory holds .json, .jsonl or .ndjson events; a SQL directory holds .sql files (a dbt project is read from target/manifest.json)"
      )
    }
    let name = (path as NSString).lastPathComponent
    if isBitolFile(path) {
      return model(try BitolImporter.load(files: [path]), source: "contract \(path)", input: .contracts)
    }
    if name.hasSuffix(".sql") { return try sqlModel([path], source: "SQL file \(path)", dialect: options.dialect) }
    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
      throw LoadError(
        message: "\(path) is a YAML file that is neither mesh.yaml, an ODCS contract nor an ODPS product",
        location: SourceLocation(file: path, line: 1, column: 1),
        hint: "pass the mesh directory (the one holding mesh.yaml), not one of its files")
    }
    return try loadFile(path, openLineage: openLineage, cache: options.cache)
  }

  /// Loads several inputs and merges them into one model (see ``Mesh/merging(_:)``);
  /// one path loads as ``load(path:cwd:display:options:)`` does.
  public static func load(paths: [String], cwd: String? = nil, options: Options = Options()) throws(LoadError)
    -> LineageModel
  {
    guard paths.count > 1 else { return try load(path: paths.first, cwd: cwd, options: options) }
    var parts: [Mesh.Part] = []
    var findings: [Finding] = []
    var files: [String] = []
    // Contracts and products are read together, so that ports join through contract ids.
    // They take the place of the first of them in the merge order.
    let bitol = paths.filter { isBitolFile($0) }
    for p in paths {
      if bitol.contains(p) {
        guard p == bitol.first else { continue }
        let (mesh, found) = try BitolImporter.load(files: bitol)
        parts.append(Mesh.Part(mesh: mesh, source: "contracts \(bitol.joined(separator: ", "))"))
        findings += found
        files += bitol
        continue
      }
      let m = try load(path: p, cwd: cwd, options: options)
      let mesh =
        m.mesh.nodes.isEmpty && m.graph.nodeCount > 0 ? Mesh(graph: m.graph, name: m.mesh.name, file: p) : m.mesh
      parts.append(Mesh.Part(mesh: mesh, source: m.source))
      findings += m.loadFindings
      files += m.inputFiles
    }
    let (mesh, merge) = Mesh.merging(parts)
    var model = LineageModel(
      mesh: mesh, loadFindings: findings + merge,
      source: "\(paths.count) inputs (\(parts.map(\.source).joined(separator: "; ")))")
    model.inputFiles = files
    model.input = .merged
    return model
  }

  static func loadDirectory(_ root: String, display: String) -> LineageModel {
    let prefix = display == "." || display.isEmpty ? "" : (display.hasSuffix("/") ? display : display + "/")
    return model(
      MeshSpecLoader(root: root, displayPrefix: prefix).load(),
      source: "mesh directory \(display.isEmpty ? "." : display)", input: .meshDirectory)
  }

  /// The model of what an importer read, marked with the kind of input it came from.
  static func model(
    _ read: (Mesh, [Finding]), source: String, input: LineageModel.InputKind, shapes: [String: SQLShape] = [:]
  ) -> LineageModel {
    var model = LineageModel(mesh: read.0, loadFindings: read.1, source: source)
    model.input = input
    model.sqlShapes = shapes
    return model
  }

  /// The model of `.sql` files, their shapes kept for diffs.
  static func sqlModel(_ files: [String], source: String, dialect: SQLDialect) throws(LoadError) -> LineageModel {
    var shapes: [String: SQLShape] = [:]
    let read = try SQLFilesImporter.load(files: files, dialect: dialect, shapes: &shapes)
    var m = model(read, source: source, input: .sqlFiles, shapes: shapes)
    m.inputFiles = files
    return m
  }

  static func loadFile(
    _ path: String, openLineage: OpenLineageImporter, cache: GraphCache? = nil
  ) throws(LoadError) -> LineageModel {
    // Not populated: with a graph image in the cache, only the start is read (to know
    // the format), and the content digest when the input is not stamped.
    let file = try MappedFile(path, populate: false)
    var bytes = file.bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
    let head = Array(bytes.prefix(1 << 16))
    let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    defer { withExtendedLifetime(file) {} }
    switch first {
    case UInt8(ascii: "{") where contains(head[...], "\"dbt_schema_version\"") || isDBTManifest(bytes):
      let catalog = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("catalog.json")
      let hasCatalog = FileManager.default.fileExists(atPath: catalog)
      var shapes: [String: SQLShape] = [:]
      let read = try DBTManifestImporter.load(
        bytes: bytes, file: path, catalog: hasCatalog ? catalog : nil, shapes: &shapes)
      return model(read, source: "dbt manifest \(path)", input: .dbtManifest, shapes: shapes)
    case UInt8(ascii: "{") where OpenLineageImporter.isEvents(bytes),
      UInt8(ascii: "[") where OpenLineageImporter.isEvents(bytes):
      return model(try openLineage.load(files: [path]), source: "OpenLineage events \(path)", input: .openLineage)
    case UInt8(ascii: "{"):
      // A graph image of this very input, when the cache has one; else the image of
      // this load, for the next.
      let entry = cache?.entry(path: path, bytes: file.bytes)
      if let cache, let entry, let model = cache.read(entry) { return model }
      do {
        // The image keeps the id ranks: sorted while the graph is built.
        var model = try GraphJSONLoader.load(bytes: bytes, file: path, rankIDs: entry != nil)
        model.input = .graphJSON
        if let cache, let entry { cache.write(model, entry) }
        return model
      } catch {
        // A contract, product or Data Contract Specification in JSON: name the format.
        throw BitolImporter.formatError(head: head, file: path) ?? error
      }
    case nil:
      throw LoadError(message: "\(path) is empty", location: SourceLocation(file: path, line: 1, column: 1))
    case UInt8(ascii: "["):
      throw LoadError(
        message: "\(path) is a JSON array, but not of OpenLineage events",
        location: SourceLocation(file: path, line: 1, column: 1),
        hint:
          "JSON inputs are OpenLineage events (an array, one object, or one per line), a dbt manifest.json, or graph JSON {\"nodes\": [...], \"edges\": [[src, dst], ...]}"
      )
    default:
      // A contract, product or Data Contract Specification without .yaml: name the format.
      if let error = BitolImporter.formatError(head: head, file: path) { throw error }
      throw LoadError(
        message: "\(path) is neither a mesh directory nor graph JSON",
        location: SourceLocation(file: path, line: 1, column: 1),
        hint: "pass the directory that holds mesh.yaml, or a graph JSON file")
    }
  }

  /// True when the top-level object has `metadata.dbt_schema_version`, wherever
  /// `metadata` sits among the keys (`jq -S` and `sort_keys=True` put it near the end).
  ///
  /// A streaming look at the top-level keys only: other values are skipped without
  /// being built, and the look stops at graph JSON's `"nodes": [` or at anything
  /// that is not a JSON object, so graph JSON and events pay nothing for it.
  static func isDBTManifest(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var s = JSONScanner(bytes)
    do throws(JSONScanner.Failure) {
      try s.expect(UInt8(ascii: "{"), "an object")
      if s.isEmpty(close: UInt8(ascii: "}")) { return false }
      repeat {
        let key = try s.string { String(decoding: $0, as: UTF8.self) }
        try s.expect(UInt8(ascii: ":"), "':'")
        switch (key, s.peek()) {
        case ("metadata", .objectStart):
          try s.expect(UInt8(ascii: "{"), "an object")
          if s.isEmpty(close: UInt8(ascii: "}")) { return false }
          repeat {
            let inner = try s.string { String(decoding: $0, as: UTF8.self) }
            try s.expect(UInt8(ascii: ":"), "':'")
            if inner == "dbt_schema_version" { return s.peek() == .string }
            try s.skipValue()
          } while try s.next(close: UInt8(ascii: "}"), what: "metadata")
          return false
        case ("nodes", .arrayStart), ("edges", .arrayStart), ("eventType", _), ("eventTime", _), ("run", _):
          return false
        default:
          try s.skipValue()
        }
      } while try s.next(close: UInt8(ascii: "}"), what: "the top-level object")
    } catch {
      return false
    }
    return false
  }

  /// A YAML file (not mesh.yaml) holding an ODCS contract or ODPS product.
  static func isBitolFile(_ path: String) -> Bool {
    let name = (path as NSString).lastPathComponent
    guard (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && name != "mesh.yaml" && name != "mesh.yml",
      let handle = FileHandle(forReadingAtPath: path)
    else { return false }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 4096)) ?? Data()
    return BitolImporter.recognizes(String(decoding: head, as: UTF8.self))
  }

  /// True when `needle` occurs in `haystack`.
  static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard let first = n.first, haystack.count >= n.count else { return false }
    var i = haystack.startIndex
    while i <= haystack.endIndex - n.count {
      if haystack[i] == first, haystack[i..<i + n.count].elementsEqual(n) { return true }
      i += 1
    }
    return false
  }

  /// The mesh directory `path` names, and how findings name its files: a directory
  /// holding `mesh.yaml`, that `mesh.yaml` itself, or (for nil) the nearest mesh upward
  /// from `cwd`; nil when `path` names anything else.
  static func meshDirectory(path: String?, cwd: String, display: String? = nil) -> (root: String, display: String)? {
    guard var path else {
      return findMeshRoot(from: cwd).map { ($0, relativePath(from: cwd, to: $0)) }
    }
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
    if isDir.boolValue {
      guard ["mesh.yaml", "mesh.yml"].contains(where: { fm.fileExists(atPath: path + "/" + $0) }) else { return nil }
      return (path, display ?? path)
    }
    let name = (path as NSString).lastPathComponent
    guard name == "mesh.yaml" || name == "mesh.yml" else { return nil }
    let dir = (path as NSString).deletingLastPathComponent
    return dir.isEmpty ? (".", ".") : (dir, dir)
  }

  /// The nearest directory at or above `start` holding `mesh.yaml` (as git finds `.git`).
  public static func findMeshRoot(from start: String) -> String? {
    let fm = FileManager.default
    var dir = URL(fileURLWithPath: start).standardizedFileURL.path
    while true {
      if fm.fileExists(atPath: dir + "/mesh.yaml") || fm.fileExists(atPath: dir + "/mesh.yml") { return dir }
      let parent = (dir as NSString).deletingLastPathComponent
      if parent == dir || parent.isEmpty { return nil }
      dir = parent
    }
  }

  /// `to` relative to `from` ("", "..", "../..", or an absolute path when unrelated).
  static func relativePath(from: String, to: String) -> String {
    let a = URL(fileURLWithPath: from).standardizedFileURL.pathComponents
    let b = URL(fileURLWithPath: to).standardizedFileURL.pathComponents
    guard b.count <= a.count, Array(a.prefix(b.count)) == b else { return to }
    return Array(repeating: "..", count: a.count - b.count).joined(separator: "/")
  }
}

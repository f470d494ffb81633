/// dbt's selection methods over imported resources, as dbt-core defines them, so
/// that `lineage select` over a manifest selects what `dbt ls --indirect-selection
/// empty` selects.
extension LineageGraph {
  /// dbt resource types `dbt ls` does not print by default: analyses and hooks.
  public static let unlistedResourceTypes: Set<String> = ["analysis", "operation", "sql_operation", "rpc"]

  /// False for imported nodes `dbt ls` would not print (analyses, hooks).
  ///
  /// - Parameter v: A node.
  /// - Returns: Whether `dbt ls` prints it.
  public func isListed(_ v: Int32) -> Bool {
    guard usesDBTSelection, let r = resources[Int(v)] else { return true }
    return !Self.unlistedResourceTypes.contains(r.type)
  }

  /// dbt's eager indirect selection: adds every test (and unit test) that reads a
  /// selected node, one hop below it, even when the test's other parents are not
  /// selected. `dbt ls` does this unless told `--indirect-selection empty`.
  ///
  /// - Parameter selection: The selected nodes with their depths.
  /// - Returns: The selection with the tests added, sorted by id.
  /// - Complexity: O(S + D + N log N) for S selected nodes, D out-edges of them and N
  ///   nodes in the result.
  public func addingTests(to selection: Selection) -> Selection {
    guard !resources.isEmpty else { return selection }
    var depth: [Int32: Int32] = [:]
    for (v, d) in zip(selection.nodes, selection.depths) { depth[v] = d }
    for (v, d) in zip(selection.nodes, selection.depths) {
      for c in forward.neighbors(v) {
        guard let r = resources[Int(c)], r.type == "test" || r.type == "unit_test" else { continue }
        if depth[c].map({ d + 1 < $0 }) ?? true { depth[c] = d + 1 }
      }
    }
    var nodes = Array(depth.keys)
    sortByID(&nodes)
    return Selection(nodes: nodes, depths: nodes.map { depth[$0, default: 0] }, unmatched: selection.unmatched)
  }

  /// A selection as `dbt ls` lists it: with tests added when `eager`, without the
  /// resource types it does not print. Unchanged for graphs without resources.
  ///
  /// - Parameters:
  ///   - selection: What the selector selected.
  ///   - eagerTests: Add the tests of selected nodes, as dbt's eager indirect selection does.
  /// - Returns: The selection as `dbt ls` prints it.
  /// - Complexity: O(S) for S selected nodes; with `eagerTests`, that of
  ///   ``addingTests(to:)``.
  public func listed(_ selection: Selection, eagerTests: Bool) -> Selection {
    guard !resources.isEmpty else { return selection }
    var s = eagerTests ? addingTests(to: selection) : selection
    var keep: [Int32] = [], depths: [Int32] = []
    for (v, d) in zip(s.nodes, s.depths) where isListed(v) {
      keep.append(v)
      depths.append(d)
    }
    s.nodes = keep
    s.depths = depths
    return s
  }

  func resourceMatches(_ method: SelectorMethod, _ value: String, arguments: [String] = []) -> [Int32] {
    guard !resources.isEmpty else { return [] }
    let pattern = ResourcePattern(value, arguments: arguments)
    var out: [Int32] = []
    for v in 0..<Int32(nodeCount) {
      guard let r = resources[Int(v)] else { continue }
      if Self.resource(r, matches: method, pattern) { out.append(v) }
    }
    return out
  }

  /// Resource types dbt keeps in a manifest's `nodes` section: those its
  /// `parsed_nodes` walks (not sources, exposures, metrics, semantic models, saved
  /// queries or unit tests, which have sections of their own).
  static func isParsedNode(_ type: String) -> Bool {
    switch type {
    case "source", "exposure", "metric", "semantic_model", "saved_query", "unit_test", "function": false
    default: true
    }
  }

  /// dbt's `UnparsedVersion` order: numerically when both are numbers, else as strings.
  static func versionPrecedes(_ a: String, _ b: String) -> Bool {
    if let x = Double(a), let y = Double(b) { return x < y }
    return a < b
  }

  /// A selector value prepared once for matching against every resource.
  struct ResourcePattern {
    let value: String
    /// The value split on dots (dbt's fqn and source parts).
    let parts: [String]
    /// The first part holding a wildcard, and the glob of the parts from there on.
    let wildcard: Int?
    let globTail: String
    /// The last two parts joined by '_', as a versioned model's fqn ends.
    let versionedForm: String
    /// `config.KEY.SUBKEY` as `KEY.SUBKEY`.
    let configKey: String
    /// `true`/`false` (any case) as a stored config boolean; nil otherwise.
    let configBool: String?

    init(_ value: String, arguments: [String] = []) {
      self.value = value
      configKey = arguments.joined(separator: ".")
      switch value.lowercased() {
      case "true": configBool = ImportedResource.configTrue
      case "false": configBool = ImportedResource.configFalse
      default: configBool = nil
      }
      let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      let wildcard = parts.firstIndex { $0.utf8.contains { $0 == 42 || $0 == 63 } }
      self.parts = parts
      self.wildcard = wildcard
      globTail = wildcard.map { parts[$0...].joined(separator: ".") } ?? ""
      versionedForm = parts.suffix(2).joined(separator: "_")
    }
  }

  static func resource(_ r: ImportedResource, matches method: SelectorMethod, _ p: ResourcePattern) -> Bool {
    switch method {
    case .fqn:
      // Sources are selected with `source:` only.
      guard r.type != "source" else { return false }
      let fqn = r.fqn.isEmpty ? [r.package, r.name].compactMap { $0 } : r.fqn
      return fqnMatches(fqn[...], p, versioned: r.version != nil)
        || (fqn.count > 1 && fqnMatches(fqn.dropFirst(), p, versioned: r.version != nil))
    case .source:
      guard r.type == "source" else { return false }
      switch p.parts.count {
      case 1: return Glob.matches(p.parts[0], r.sourceName ?? "")
      case 2: return Glob.matches(p.parts[0], r.sourceName ?? "") && Glob.matches(p.parts[1], r.name)
      case 3:
        return Glob.matches(p.parts[0], r.package ?? "") && Glob.matches(p.parts[1], r.sourceName ?? "")
          && Glob.matches(p.parts[2], r.name)
      default: return false
      }
    case .exposure, .metric, .semanticModel, .savedQuery:
      guard r.type == method.rawValue else { return false }
      switch p.parts.count {
      case 1: return Glob.matches(p.parts[0], r.name)
      case 2: return Glob.matches(p.parts[0], r.package ?? "") && Glob.matches(p.parts[1], r.name)
      default: return false
      }
    case .path:
      return [r.path, r.patchPath].contains { path in path.map { pathMatches($0, p.value) } ?? false }
    case .package: return Glob.matches(p.value, r.package ?? "")
    case .resourceType: return r.type != "source" && Glob.matches(p.value, r.type)
    case .config:
      // Nodes and sources; equal to the value or an element of a list value.
      guard isParsedNode(r.type) || r.type == "source", let values = r.config[p.configKey] else { return false }
      // Test severity is compared without case, as dbt does.
      if p.configKey == "severity" { return values.contains { $0.uppercased() == p.value.uppercased() } }
      return values.contains { $0 == p.value || $0 == p.configBool }
    case .access: return r.type == "model" && r.access == p.value
    case .group: return (isParsedNode(r.type) || r.type == "metric") && r.group == p.value
    case .testName: return r.type == "test" && r.testName.map { Glob.matches(p.value, $0) } ?? false
    case .testType:
      switch p.value {
      case "generic", "schema": return r.type == "test" && r.testName != nil
      case "singular": return r.type == "test" && r.testName == nil
      case "data": return r.type == "test"
      case "unit": return r.type == "unit_test"
      default: return false
      }
    case .version:
      guard r.type == "model" else { return false }
      switch p.value {
      case "latest": return r.version != nil && r.version == r.latestVersion
      case "prerelease":
        guard let v = r.version, let l = r.latestVersion else { return false }
        return versionPrecedes(l, v)
      case "old":
        guard let v = r.version, let l = r.latestVersion else { return false }
        return versionPrecedes(v, l)
      case "none": return r.version == nil
      default: return false
      }
    case .unitTest:
      guard r.type == "unit_test" else { return false }
      let fqn = r.fqn.isEmpty ? [r.package, r.name].compactMap { $0 } : r.fqn
      return fqnMatches(fqn[...], p, versioned: false)
        || (fqn.count > 1 && fqnMatches(fqn.dropFirst(), p, versioned: false))
    case .file:
      guard let path = r.path else { return false }
      return Glob.matches(p.value, String(path.split(separator: "/").last ?? ""))
    case .id, .domain, .owner, .tag, .kind, .status: return false
    }
  }

  /// dbt's `is_selected_node`: the last part (the last two for a versioned model),
  /// or the parts from the start, each compared exactly until one holds a wildcard,
  /// from which on the rest is matched as one glob. The fqn's own parts are split on
  /// dots too (dbt compares the flattened lists); that copy is made only when a part
  /// holds a dot.
  static func fqnMatches(_ fqn: ArraySlice<String>, _ p: ResourcePattern, versioned: Bool) -> Bool {
    if !versioned, fqn.last == p.value { return true }
    if versioned, fqn.count >= 2 {
      let second = fqn[fqn.endIndex - 2]
      if second == p.value || second + "_" + fqn[fqn.endIndex - 1] == p.versionedForm { return true }
    }
    if fqn.contains(where: { $0.utf8.contains(46) }) {
      let flat = fqn.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
      return partsMatch(flat[...], p)
    }
    return partsMatch(fqn, p)
  }

  static func partsMatch(_ flat: ArraySlice<String>, _ p: ResourcePattern) -> Bool {
    if p.parts.count > flat.count { return false }
    for (i, part) in p.parts.enumerated() {
      let k = flat.startIndex + i
      if i == p.wildcard { return Glob.matches(p.globTail, flat[k...].joined(separator: ".")) }
      if part != flat[k] { return false }
    }
    return true
  }

  /// A path selector: the file itself, a directory above it, or a glob over it.
  static func pathMatches(_ path: String, _ selector: String) -> Bool {
    var sel = selector
    while sel.hasPrefix("./") { sel.removeFirst(2) }
    while sel.count > 1, sel.hasSuffix("/") { sel.removeLast() }
    if path == sel || path.hasPrefix(sel + "/") { return true }
    return Glob.isPattern(sel) && Glob.matches(sel, path)
  }

  /// Names a method could have meant, for "did you mean".
  func resourceCandidates(_ method: SelectorMethod, arguments: [String] = []) -> [String] {
    let key = arguments.joined(separator: ".")
    var out = Set<String>()
    for r in resources {
      guard let r else { continue }
      switch method {
      case .fqn: if r.type != "source" { out.insert(r.name) }
      case .source: if r.type == "source" { out.insert((r.sourceName ?? "") + "." + r.name) }
      case .exposure, .metric, .semanticModel, .savedQuery: if r.type == method.rawValue { out.insert(r.name) }
      case .path: if let p = r.path { out.insert(p) }
      case .package: if let p = r.package { out.insert(p) }
      case .resourceType: out.insert(r.type)
      case .config:
        for v in r.config[key] ?? [] {
          out.insert(v == ImportedResource.configTrue ? "true" : v == ImportedResource.configFalse ? "false" : v)
        }
      case .access: if r.type == "model", let a = r.access { out.insert(a) }
      case .group: if let g = r.group { out.insert(g) }
      case .testName: if let t = r.testName { out.insert(t) }
      case .unitTest: if r.type == "unit_test" { out.insert(r.name) }
      case .file: if let p = r.path { out.insert(String(p.split(separator: "/").last ?? "")) }
      default: break
      }
    }
    return out.sorted()
  }
}

/// dbt's selection methods over imported resources, as dbt-core defines them, so
/// that `lineage select` over a manifest selects what `dbt ls --indirect-selection
/// empty` selects.
extension LineageGraph {
  /// dbt resource types `dbt ls` does not print by default: analyses and hooks.
  public static let unlistedResourceTypes: Set<String> = ["analysis", "operation", "sql_operation", "rpc"]

  /// False for imported nodes `dbt ls` would not print (analyses, hooks).
  public func isListed(_ v: Int32) -> Bool {
    guard usesDBTSelection, let r = resources[Int(v)] else { return true }
    return !Self.unlistedResourceTypes.contains(r.type)
  }

  /// dbt's eager indirect selection: adds every test (and unit test) that reads a
  /// selected node, one hop below it, even when the test's other parents are not
  /// selected. `dbt ls` does this unless told `--indirect-selection empty`.
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
    return Selection(nodes: nodes, depths: nodes.map { depth[$0]! }, unmatched: selection.unmatched)
  }

  /// A selection as `dbt ls` lists it: with tests added when `eager`, without the
  /// resource types it does not print. Unchanged for graphs without resources.
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

  func resourceMatches(_ method: SelectorMethod, _ value: String) -> [Int32] {
    guard !resources.isEmpty else { return [] }
    var out: [Int32] = []
    for v in 0..<Int32(nodeCount) {
      guard let r = resources[Int(v)] else { continue }
      if Self.resource(r, matches: method, value) { out.append(v) }
    }
    return out
  }

  static func resource(_ r: ImportedResource, matches method: SelectorMethod, _ value: String) -> Bool {
    switch method {
    case .fqn:
      // Sources are selected with `source:` only.
      guard r.type != "source" else { return false }
      let fqn = r.fqn.isEmpty ? [r.package, r.name].compactMap { $0 } : r.fqn
      return fqnMatches(fqn, value, versioned: r.version != nil)
        || (fqn.count > 1 && fqnMatches(Array(fqn.dropFirst()), value, versioned: r.version != nil))
    case .source:
      guard r.type == "source" else { return false }
      let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      switch parts.count {
      case 1: return Glob.matches(parts[0], r.sourceName ?? "")
      case 2: return Glob.matches(parts[0], r.sourceName ?? "") && Glob.matches(parts[1], r.name)
      case 3:
        return Glob.matches(parts[0], r.package ?? "") && Glob.matches(parts[1], r.sourceName ?? "")
          && Glob.matches(parts[2], r.name)
      default: return false
      }
    case .exposure, .metric, .semanticModel, .savedQuery:
      guard r.type == method.rawValue else { return false }
      let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      switch parts.count {
      case 1: return Glob.matches(parts[0], r.name)
      case 2: return Glob.matches(parts[0], r.package ?? "") && Glob.matches(parts[1], r.name)
      default: return false
      }
    case .path:
      return [r.path, r.patchPath].contains { p in p.map { pathMatches($0, value) } ?? false }
    case .package: return Glob.matches(value, r.package ?? "")
    case .resourceType: return r.type != "source" && Glob.matches(value, r.type)
    case .id, .domain, .owner, .tag, .kind, .status: return false
    }
  }

  /// dbt's `is_selected_node`: the last part (the last two for a versioned model),
  /// or the parts from the start, each compared exactly until one holds a wildcard,
  /// from which on the rest is matched as one glob.
  static func fqnMatches(_ fqn: [String], _ selector: String, versioned: Bool) -> Bool {
    if !versioned, fqn.last == selector { return true }
    if versioned, fqn.count >= 2 {
      if fqn[fqn.count - 2] == selector { return true }
      let sel = selector.split(separator: ".").suffix(2).joined(separator: "_")
      if fqn.suffix(2).joined(separator: "_") == sel { return true }
    }
    let flat = fqn.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    let parts = selector.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if parts.count > flat.count { return false }
    for (i, part) in parts.enumerated() {
      if part.contains(where: { "*?".contains($0) }) {
        return Glob.matches(parts[i...].joined(separator: "."), flat[i...].joined(separator: "."))
      }
      if part != flat[i] { return false }
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
  func resourceCandidates(_ method: SelectorMethod) -> [String] {
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
      default: break
      }
    }
    return out.sorted()
  }
}

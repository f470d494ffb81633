/// A dbt-style node selector, parsed.
///
/// Syntax (as dbt's `--select`): space-separated terms are a union, comma-separated
/// atoms inside a term an intersection. An atom is
/// `[@][N]+VALUE` / `VALUE+[N]` / `N+VALUE+M` where `+` before the value adds
/// ancestors (up to N hops), `+` after adds descendants (up to M hops), and `@`
/// adds the descendants and all their ancestors. A value is a node id, a wildcard
/// pattern over ids (`sales.*`), or `METHOD:PATTERN` with the methods of
/// ``SelectorMethod``. An argument that is exactly a node's id always selects that
/// node, whatever characters it holds.
public struct Selector: Sendable, Equatable {
  /// The union of these intersections.
  public var terms: [[Atom]]

  /// One selection atom.
  public struct Atom: Sendable, Equatable {
    /// The atom as written.
    public var text: String
    /// `@` was given.
    public var childrensParents: Bool
    /// Ancestor depth: nil for none, `Int.max` for unlimited.
    public var parents: Int?
    /// Descendant depth: nil for none, `Int.max` for unlimited.
    public var children: Int?
    /// The method, nil for a bare value.
    public var method: SelectorMethod?
    /// The value or pattern.
    public var value: String
    /// The method's arguments: the key path of `config.KEY.SUBKEY:VALUE`.
    public var arguments: [String] = []
    /// 1-based column of the atom in its argument.
    public var column: Int
  }

  /// Parses selector arguments against a graph (the graph decides which arguments are
  /// exact ids).
  ///
  /// - Throws: ``SelectorError`` for malformed syntax or an unknown method.
  public static func parse(_ arguments: [String], in graph: LineageGraph) throws(SelectorError) -> Selector {
    var terms: [[Atom]] = []
    for arg in arguments {
      if graph.index(of: arg) != nil {
        terms.append([
          Atom(
            text: arg, childrensParents: false, parents: nil, children: nil, method: nil,
            value: arg, column: 1)
        ])
        continue
      }
      var column = 1
      var sawTerm = false
      for piece in arg.split(separator: " ", omittingEmptySubsequences: false) {
        defer { column += piece.unicodeScalars.count + 1 }
        if piece.isEmpty { continue }
        sawTerm = true
        var atoms: [Atom] = []
        var atomColumn = column
        for part in piece.split(separator: ",", omittingEmptySubsequences: false) {
          if part.isEmpty {
            throw SelectorError(
              message: "empty selector between commas", selector: arg, column: atomColumn,
              hint: "write A,B to intersect two selections")
          }
          atoms.append(try parseAtom(String(part), column: atomColumn, in: graph, argument: arg))
          atomColumn += part.unicodeScalars.count + 1
        }
        terms.append(atoms)
      }
      if !sawTerm {
        throw SelectorError(
          message: "empty selector", selector: arg, column: 1,
          hint: "give a node id, a pattern such as 'sales.*', or a method such as 'domain:sales'")
      }
    }
    return Selector(terms: terms)
  }

  static func parseAtom(_ text: String, column: Int, in graph: LineageGraph, argument: String) throws(SelectorError)
    -> Atom
  {
    var atom = Atom(
      text: text, childrensParents: false, parents: nil, children: nil, method: nil, value: text,
      column: column)
    if graph.index(of: text) != nil { return atom }
    var s = Substring(text)
    if s.hasPrefix("@") {
      atom.childrensParents = true
      s = s.dropFirst()
    }
    // Leading N+ or +.
    let digits = s.prefix { $0.isASCII && $0.isNumber }
    if !digits.isEmpty, s.dropFirst(digits.count).hasPrefix("+") {
      atom.parents = Int(digits) ?? Int.max
      s = s.dropFirst(digits.count + 1)
    } else if s.hasPrefix("+") {
      atom.parents = Int.max
      s = s.dropFirst()
    }
    // Trailing +M or +, unless what remains is an exact id.
    if graph.index(of: String(s)) == nil {
      let tail = s.reversed().prefix { $0.isASCII && $0.isNumber }
      if !tail.isEmpty, s.dropLast(tail.count).hasSuffix("+") {
        atom.children = Int(String(s.suffix(tail.count))) ?? Int.max
        s = s.dropLast(tail.count + 1)
      } else if s.hasSuffix("+") {
        atom.children = Int.max
        s = s.dropLast()
      }
    }
    if atom.childrensParents, atom.children != nil {
      throw SelectorError(
        message: "'@' already includes every descendant; drop the '+' after the value",
        selector: argument, column: column, hint: "use '@\(s)'")
    }
    if atom.childrensParents, atom.parents != nil {
      throw SelectorError(
        message: "'@' cannot be combined with a '+' before the value", selector: argument,
        column: column, hint: "use '@\(s)' or '+\(s)'")
    }
    let value = String(s)
    if value.isEmpty {
      throw SelectorError(
        message: "'\(SelectorError.excerpt(text))' has graph operators but no value", selector: argument,
        column: column,
        hint: "write for example '+sales.orders' or 'sales.orders+2'")
    }
    if graph.index(of: value) != nil {
      atom.value = value
      return atom
    }
    if value.hasPrefix("+") || value.hasSuffix("+") || value.hasPrefix("@") {
      throw SelectorError(
        message: "unexpected '\(value.hasPrefix("@") ? "@" : "+")' in '\(SelectorError.excerpt(text))'",
        selector: argument, column: column,
        hint: "'+' may appear once before and once after the value, '@' only first")
    }
    if let colon = value.firstIndex(of: ":") {
      var name = String(value[..<colon])
      let rest = String(value[value.index(after: colon)...])
      // dbt's `config.KEY.SUBKEY:VALUE`: the method takes the key path as arguments.
      if name == "config" || name.hasPrefix("config.") {
        atom.arguments = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if atom.arguments.isEmpty || atom.arguments.contains(where: \.isEmpty) {
          throw SelectorError(
            message: "method 'config' needs a key: 'config.KEY:VALUE'", selector: argument,
            column: column, hint: "for example 'config.materialized:view' or 'config.meta.owner:finance'")
        }
        name = "config"
      }
      if let method = SelectorMethod(rawValue: name) {
        if let allowed = method.allowedValues, !rest.isEmpty, !allowed.contains(rest) {
          throw SelectorError(
            message: "invalid value '\(SelectorError.excerpt(rest))' for method '\(name)'", selector: argument,
            column: column,
            hint: "expected one of " + allowed.map { "'\($0)'" }.joined(separator: ", "))
        }
        if rest.isEmpty {
          let written = String(value[..<colon])
          throw SelectorError(
            message: "method '\(SelectorError.excerpt(written)):' needs a value", selector: argument, column: column,
            hint: "for example '\(SelectorError.excerpt(written)):\(method.example)'")
        }
        atom.method = method
        atom.value = rest
        return atom
      }
      let looksLikeMethod = !name.isEmpty && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || $0 == "_" }
      if looksLikeMethod, !rest.hasPrefix("/") {
        throw SelectorError(
          message: "unknown selector method '\(SelectorError.excerpt(name))'", selector: argument, column: column,
          hint: Suggest.hint(for: name, in: SelectorMethod.allCases.map(\.rawValue))
            ?? "methods are \(SelectorMethod.allCases.map { $0.rawValue + ":" }.joined(separator: ", "))")
      }
    }
    atom.value = value
    return atom
  }
}

extension LineageGraph {
  /// Everything reachable from `roots` in `direction`, minus the nodes `exclude` picks:
  /// each node once with its shortest depth from the roots, the traversal itself
  /// unaffected by the exclusion (an excluded node is left out of the answer, not
  /// cut out of the graph).
  ///
  /// - Parameters:
  ///   - roots: Start nodes, at depth 0.
  ///   - direction: Which way to follow the edges.
  ///   - maxDepth: Stop after this many hops; nil for no limit.
  ///   - exclude: A selector whose nodes are left out, nil for none.
  /// - Returns: The reached nodes in breadth-first order, roots included unless excluded.
  /// - Complexity: O(V + E) for the traversal, plus the exclusion's ``select(_:excluding:)``.
  public func reach(from roots: [Int32], direction: Direction, maxDepth: Int? = nil, excluding exclude: Selector?)
    -> Reach
  {
    let all = reach(from: roots, direction: direction, maxDepth: maxDepth)
    guard let exclude else { return all }
    var drop = [Bool](repeating: false, count: nodeCount)
    for v in select(exclude).nodes { drop[Int(v)] = true }
    var kept = Reach()
    for (v, d) in zip(all.nodes, all.depths) where !drop[Int(v)] {
      kept.nodes.append(v)
      kept.depths.append(d)
    }
    return kept
  }

  /// Evaluates a selector, minus an optional exclusion.
  ///
  /// - Complexity: O(A · (V + E)) for `A` atoms.
  public func select(_ selector: Selector, excluding exclude: Selector? = nil) -> Selection {
    var unmatched: [(String, String?)] = []
    let n = nodeCount
    var total = [Int32](repeating: -1, count: n)
    for term in selector.terms {
      var acc: [Int32]?
      for atom in term {
        let d = evaluate(atom, unmatched: &unmatched)
        if var a = acc {
          for v in 0..<n where a[v] >= 0 { a[v] = d[v] < 0 ? -1 : max(a[v], d[v]) }
          acc = a
        } else {
          acc = d
        }
      }
      if let acc {
        for v in 0..<n where acc[v] >= 0 && (total[v] < 0 || acc[v] < total[v]) { total[v] = acc[v] }
      }
    }
    if let exclude {
      for term in exclude.terms {
        var acc: [Int32]?
        for atom in term {
          var ignored: [(String, String?)] = []
          let d = evaluate(atom, unmatched: &ignored)
          if var a = acc {
            for v in 0..<n where a[v] >= 0 && d[v] < 0 { a[v] = -1 }
            acc = a
          } else {
            acc = d
          }
        }
        if let acc { for v in 0..<n where acc[v] >= 0 { total[v] = -1 } }
      }
    }
    var nodes: [Int32] = []
    for v in 0..<Int32(n) where total[Int(v)] >= 0 { nodes.append(v) }
    sortByID(&nodes)
    return Selection(nodes: nodes, depths: nodes.map { total[Int($0)] }, unmatched: unmatched)
  }

  /// The nodes an atom's value matches, before graph operators.
  public func matches(_ atom: Selector.Atom) -> [Int32] {
    if let method = atom.method, method.needsResources {
      return resourceMatches(method, atom.value, arguments: atom.arguments)
    }
    guard let method = atom.method, method != .id else {
      if let v = index(of: atom.value) { return [v] }
      // Over a dbt manifest a bare value means what dbt makes of it: a path when it
      // holds a '/', otherwise a fully qualified name or a prefix of one.
      if atom.method == nil, usesDBTSelection {
        return resourceMatches(atom.value.contains("/") ? .path : .fqn, atom.value)
      }
      if !Glob.isPattern(atom.value) { return [] }
      var out: [Int32] = []
      var p = atom.value
      p.withUTF8 { pb in
        for v in 0..<Int32(ids.count) where ids.withBytes(v, { Glob.matches(pb, $0) }) { out.append(v) }
      }
      return out
    }
    switch method {
    case .id, .source, .exposure, .metric, .semanticModel, .savedQuery, .path, .fqn, .package, .resourceType, .config,
      .access, .group, .testName, .testType, .version, .unitTest, .file:
      return []
    case .domain: return nodes(whereSymbol: domain, in: domainNames, matches: atom.value)
    case .owner: return nodes(whereSymbol: owner, in: ownerNames, matches: atom.value)
    case .kind: return nodes(whereSymbol: kind, in: kindNames, matches: atom.value)
    case .status:
      return (0..<Int32(nodeCount)).filter { Glob.matches(atom.value, status[Int($0)].rawValue) }
    case .tag:
      let wanted = symbols(in: tagNames, matching: atom.value)
      if wanted.isEmpty { return [] }
      return (0..<Int32(nodeCount)).filter { v in tags.neighbors(v).contains { wanted[Int($0)] } }
    }
  }

  func symbols(in table: Interner, matching pattern: String) -> [Bool] {
    var hit = [Bool](repeating: false, count: table.count)
    var any = false
    var p = pattern
    p.withUTF8 { pb in
      for s in 0..<Int32(table.count) {
        if table.withBytes(s, { Glob.matches(pb, $0) }) {
          hit[Int(s)] = true
          any = true
        }
      }
    }
    return any ? hit : []
  }

  func nodes(whereSymbol column: FlatArray<Int32>, in table: Interner, matches pattern: String) -> [Int32] {
    let wanted = symbols(in: table, matching: pattern)
    if wanted.isEmpty { return [] }
    var out: [Int32] = []
    column.withUnsafeBufferPointer { column in
      for v in 0..<column.count where column[v] >= 0 && wanted[Int(column[v])] { out.append(Int32(v)) }
    }
    return out
  }

  func evaluate(_ atom: Selector.Atom, unmatched: inout [(String, String?)]) -> [Int32] {
    let n = nodeCount
    var depth = [Int32](repeating: -1, count: n)
    let base = matches(atom)
    if base.isEmpty {
      let candidates: [String]
      switch atom.method {
      case nil where usesDBTSelection: candidates = resourceCandidates(.fqn)
      case nil, .id?: candidates = n <= 200_000 ? ids.strings : []
      case .domain?: candidates = domainNames.strings
      case .owner?: candidates = ownerNames.strings
      case .tag?: candidates = tagNames.strings
      case .kind?: candidates = kindNames.strings
      case .status?: candidates = ProductStatus.allCases.map(\.rawValue)
      case .some(let m): candidates = resourceCandidates(m, arguments: atom.arguments)
      }
      unmatched.append((atom.text, Suggest.closest(to: atom.value, in: candidates)))
      return depth
    }
    for v in base { depth[Int(v)] = 0 }
    func merge(_ r: Reach) {
      for (v, d) in zip(r.nodes, r.depths) where depth[Int(v)] < 0 || d < depth[Int(v)] { depth[Int(v)] = d }
    }
    if atom.childrensParents {
      // Descendants at their distance from the root; their ancestors at that distance
      // plus the hops up from the nearest descendant.
      let down = forward.breadthFirst(from: base)
      merge(down)
      merge(reverse.breadthFirst(seeds: down.nodes, seedDepths: down.depths))
    } else {
      if let p = atom.parents { merge(reverse.breadthFirst(from: base, maxDepth: p == Int.max ? nil : p)) }
      if let c = atom.children { merge(forward.breadthFirst(from: base, maxDepth: c == Int.max ? nil : c)) }
    }
    return depth
  }
}

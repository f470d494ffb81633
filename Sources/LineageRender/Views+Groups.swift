internal import LineageCore

extension Views {
  /// What a node is grouped under: its domain (an imported dbt node's domain is its
  /// `meta.domain`, else its dbt group), else, for a node an importer made with a
  /// package (dbt), its package and folder; nodes with neither are in no group.
  ///
  /// Groups are the clusters of the product and column levels and the nodes of the
  /// domain level. Domains come first, in byte order of their ids (their index is the
  /// domain's symbol index, so a mesh's diagrams are as before), then the folders in
  /// byte order of their labels.
  struct Groups {
    /// Each group's label: the domain id, or `PACKAGE · FOLDER`.
    var names: [String]
    /// How many of `names` are domains (the rest are folders).
    var domainCount: Int
    /// Each node's group, by node; absent for a node in none.
    var of: [Int32: Int32]

    /// True when some group is a folder, not a domain.
    var hasFolders: Bool { names.count > domainCount }
  }

  /// The groups of the nodes in view.
  ///
  /// - Parameters:
  ///   - model: The model.
  ///   - included: The nodes in view.
  /// - Returns: The groups, with every domain of the graph first (used or not).
  static func groups(_ model: LineageModel, _ included: [Int32]) -> Groups {
    let g = model.graph
    var names = (0..<Int32(g.domainNames.count)).map { g.domainNames[$0] }
    let domainCount = names.count
    var folderOf: [Int32: String] = [:]
    for v in included where g.domain[Int(v)] < 0 {
      guard let r = model.declaration(of: v)?.resource, let package = r.package else { continue }
      let folder = r.path.map { p in p.split(separator: "/").dropLast().joined(separator: "/") } ?? ""
      folderOf[v] = folder.isEmpty ? package : package + " · " + folder
    }
    let folders = Set(folderOf.values).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    var folderIndex: [String: Int32] = [:]
    for f in folders {
      folderIndex[f] = Int32(names.count)
      names.append(f)
    }
    var of: [Int32: Int32] = [:]
    for v in included {
      if g.domain[Int(v)] >= 0 {
        of[v] = g.domain[Int(v)]
      } else if let f = folderOf[v], let i = folderIndex[f] {
        of[v] = i
      }
    }
    return Groups(names: names, domainCount: domainCount, of: of)
  }

  /// True for a node that checks others (a dbt data test or unit test), which views
  /// leave out unless asked.
  ///
  /// - Parameters:
  ///   - model: The model.
  ///   - v: A node.
  /// - Returns: Whether it is a check.
  static func isCheck(_ model: LineageModel, _ v: Int32) -> Bool {
    MeshNode.checkKinds.contains(model.graph.kindName(v)) || model.declaration(of: v)?.isCheck == true
  }

  /// The label of each node in view: an imported node's own name (a dbt source's
  /// `SOURCE.TABLE`), as dbt docs shows it; names that several nodes in view share are
  /// told apart by package, version and kind (`orders (shop v2)`), and by the id when
  /// that is not enough. Other nodes keep their id.
  ///
  /// - Parameters:
  ///   - model: The model.
  ///   - included: The nodes in view.
  /// - Returns: The label of each node in view.
  static func labels(_ model: LineageModel, _ included: [Int32]) -> [Int32: String] {
    let g = model.graph
    var out: [Int32: String] = [:]
    var byName: [String: [(v: Int32, r: ImportedResource)]] = [:]
    for v in included {
      guard let r = model.declaration(of: v)?.resource, !r.name.isEmpty else {
        out[v] = g.id(v)
        continue
      }
      let name = r.type == "source" ? (r.sourceName.map { $0 + "." + r.name } ?? r.name) : r.name
      byName[name, default: []].append((v, r))
    }
    for (name, members) in byName {
      guard members.count > 1 else {
        out[members[0].v] = name
        continue
      }
      let packages = Set(members.map(\.r.package)), versions = Set(members.map(\.r.version))
      let types = Set(members.map(\.r.type))
      var labels: [Int32: String] = [:]
      var counts: [String: Int] = [:]
      for (v, r) in members {
        var parts: [String] = []
        if packages.count > 1, let p = r.package { parts.append(p) }
        if versions.count > 1, let version = r.version { parts.append("v" + version) }
        if types.count > 1 { parts.append(r.type) }
        let label = parts.isEmpty ? g.id(v) : name + " (" + parts.joined(separator: " ") + ")"
        labels[v] = label
        counts[label, default: 0] += 1
      }
      for (v, label) in labels { out[v] = (counts[label] ?? 0) > 1 ? g.id(v) : label }
    }
    return out
  }
}

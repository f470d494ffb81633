/// One difference between two versions of a mesh.
public struct MeshChange: Sendable {
  /// What changed. The raw value names the change in reports, is the rule of its finding, and is
  /// the first word of ``MeshChange/key``.
  public enum Kind: String, Sendable, CaseIterable {
    /// An id only in the new version. Not breaking.
    case productAdded = "product-added"
    /// An id only in the old version. Breaking, with the blast radius of a `retire`.
    case productRemoved = "product-removed"
    /// A check (a dbt data test or unit test) is gone: a note, never breaking, since
    /// nothing reads a check.
    case testRemoved = "test-removed"
    /// A new check (a dbt data test or unit test): a note, never breaking.
    case testAdded = "test-added"
    /// The status became `retired` (the product's column changes are then not listed). Breaking,
    /// as a `retire`.
    case productRetired = "product-retired"
    /// The status became `deprecated`; the detail gives the sunset date, if any. Not breaking.
    case productDeprecated = "product-deprecated"
    /// Any other status change. Not breaking.
    case statusChanged = "status-changed"
    /// A new column that is not a rename. Not breaking.
    case columnAdded = "column-added"
    /// A column that is gone and was not renamed. Breaking, as a `drop`.
    case columnDropped = "column-dropped"
    /// A new column declared `renamedFrom:` an old one that is gone (or, for SQL models, a dropped
    /// column whose expression exactly one added column has); ``MeshChange/column`` is the new
    /// name. Breaking, as a `rename`.
    case columnRenamed = "column-renamed"
    /// The declared type changed to one that is not the same, or was removed. Breaking unless a
    /// widening, as a `retype`; in a data contract (a column with
    /// ``Column/constraints``) any change of the type's name breaks, widening or not:
    /// its readers bind the type the contract names.
    case columnRetyped = "column-retyped"
    /// A non-null or primary-key column becomes nullable. Breaking, as `nullable`.
    case columnNullable = "column-nullable"
    /// A nullable column becomes non-null. Not breaking.
    case columnNotNull = "column-not-null"
    /// A data contract's column promises less than before: a constraint is removed or
    /// relaxed (unique, primary key, allowed values, minimum, maximum, lengths, pattern,
    /// references), or changed so that it allows values it did not. Breaking: readers
    /// may get values they were promised they would not, with the blast radius of
    /// `loosen`. The detail names each constraint.
    case constraintLoosened = "constraint-loosened"
    /// A data contract's column promises more than before: a constraint is added or
    /// tightened. Not breaking for readers (data already written may not satisfy it:
    /// its producer's concern).
    case constraintTightened = "constraint-tightened"
    /// A data contract's column changes a constraint in a way that cannot be ordered
    /// (a new pattern, a new format) or that no check reads. Not breaking; review it.
    case constraintChanged = "constraint-changed"
    /// `access` moves towards `private` (`public` < `domain` < `private`). Breaking: the readers it
    /// shuts out break.
    case accessNarrowed = "access-narrowed"
    /// `access` moves towards `public`. Not breaking.
    case accessWidened = "access-widened"
    /// The owner changed. Not breaking.
    case ownerChanged = "owner-changed"
    /// The domain changed. Not breaking.
    case domainChanged = "domain-changed"
    /// `version` changed. Not breaking, and ignored by the semver advice.
    case versionChanged = "version-changed"
    /// A column's SQL expression changed: its values change (see ``MeshDiff``'s SQL side).
    case columnExpressionChanged = "column-expression-changed"
    /// A row-level clause of the SQL changed: every column's rows change.
    case rowsChanged = "rows-changed"
    /// The SQL changed but could not be parsed in some version: declared columns compared.
    case sqlNotCompared = "sql-not-compared"
    /// A contract states a new data quality rule, for the dataset or a column. Not
    /// breaking.
    case qualityAdded = "quality-added"
    /// A contract's data quality rule is gone (or changed: the old one is gone, a new one
    /// added). Not breaking, but readers lose a check they may rely on (datacontract-cli
    /// warns).
    case qualityRemoved = "quality-removed"
  }

  /// What changed.
  public var kind: Kind
  /// The id of the changed product.
  public var product: String
  /// The changed column (for a rename, its new name), nil for a product-level change.
  public var column: String?
  /// One sentence: what changed.
  public var detail: String
  /// True when the change can break readers (see ``Kind``'s cases); only breaking changes can
  /// fail the gate.
  public var breaking: Bool
  /// Where the change is declared (the new version's file, or the old one for removals).
  public var location: SourceLocation?
  /// The schema change whose blast radius is computed, for breaking changes.
  public var schemaChange: SchemaChange?
  /// The blast radius, for breaking changes whose product exists in some version.
  public var impact: ImpactResult?
  /// The model the impact was computed on (the new version with the changed product
  /// as it was), for resolving ids in reports.
  public var impactModel: LineageModel?

  /// The stable key used by ignore files: `KIND PRODUCT[.COLUMN]`.
  public var key: String { kind.rawValue + " " + product + (column.map { "." + $0 } ?? "") }
}

/// Semver advice for one product.
public struct VersionAdvice: Sendable, Equatable {
  /// A semver bump, ordered `none < patch < minor < major`.
  public enum Bump: String, Sendable, Comparable {
    /// `none`: no bump (the same version, or a lower one); `patch`, `minor`, `major`: the highest
    /// part of `MAJOR.MINOR.PATCH` that goes up.
    case none, patch, minor, major
    var rank: Int { [.none: 0, .patch: 1, .minor: 2, .major: 3][self] ?? 0 }
    /// Orders bumps from `none` to `major`.
    ///
    /// - Parameters:
    ///   - a: A bump.
    ///   - b: Another bump.
    /// - Returns: True when `a` is the smaller bump.
    public static func < (a: Bump, b: Bump) -> Bool { a.rank < b.rank }
  }

  /// The id of the product the advice is for.
  public var product: String
  /// Its `version` in the old version of the mesh, nil when it has none.
  public var oldVersion: String?
  /// Its `version` in the new version of the mesh, nil when it has none.
  public var newVersion: String?
  /// The bump the changes call for.
  public var suggested: Bump
  /// The bump the versions show.
  public var actual: Bump
  /// True when the declared bump is smaller than the changes need.
  public var insufficient: Bool { actual < suggested }
}

/// Compares two versions of a mesh.
public enum MeshDiff {
  /// Every change from `base` to `head`, sorted by product, column and kind, each
  /// breaking one with its blast radius, and semver advice per changed product.
  public static func compare(base: LineageModel, head: LineageModel) -> (
    changes: [MeshChange], versions: [VersionAdvice]
  ) {
    var baseNodes: [String: MeshNode] = [:], headNodes: [String: MeshNode] = [:]
    for n in base.mesh.nodes where baseNodes[n.id] == nil { baseNodes[n.id] = n }
    for n in head.mesh.nodes where headNodes[n.id] == nil { headNodes[n.id] = n }
    var changes: [MeshChange] = []
    func add(
      _ kind: MeshChange.Kind, _ product: String, _ column: String?, _ detail: String, _ breaking: Bool,
      _ location: SourceLocation?, _ change: SchemaChange?
    ) {
      changes.append(
        MeshChange(
          kind: kind, product: product, column: column, detail: detail, breaking: breaking,
          location: location, schemaChange: change))
    }
    for id in Set(baseNodes.keys).union(headNodes.keys).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      switch (baseNodes[id], headNodes[id]) {
      case (nil, let new?) where new.isCheck:
        add(.testAdded, id, nil, "\(new.kind.rawValue) \(id) added", false, new.location, nil)
      case (nil, let new?):
        add(.productAdded, id, nil, "\(new.kind.rawValue) \(id) added", false, new.location, nil)
      case (let old?, nil) where old.isCheck:
        add(.testRemoved, id, nil, "\(old.kind.rawValue) \(id) removed", false, old.location, nil)
      case (let old?, nil):
        add(.productRemoved, id, nil, "\(old.kind.rawValue) \(id) removed", true, old.location, .retire)
      case (let old?, let new?) where old.isCheck || new.isCheck:
        // Nothing reads a check, so no change to one breaks anything.
        compareNode(old, new) { kind, product, column, detail, _, location, _ in
          add(kind, product, column, detail, false, location, nil)
        }
      case (let old?, let new?):
        compareNode(old, new, add: add)
      default: break
      }
    }
    // Products whose SQL both versions parsed: their columns compared by SQL.
    applySQL(base: base, head: head, baseNodes: baseNodes, headNodes: headNodes, changes: &changes)
    // Sorted: by product, product-level changes first, then by column and kind.
    let order = Dictionary(uniqueKeysWithValues: MeshChange.Kind.allCases.enumerated().map { ($1, $0) })
    changes.sort { a, b in
      if a.product != b.product { return a.product.utf8.lexicographicallyPrecedes(b.product.utf8) }
      if (a.column == nil) != (b.column == nil) { return a.column == nil }
      if let x = a.column, let y = b.column, x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
      return (order[a.kind] ?? 0) < (order[b.kind] ?? 0)
    }
    // Blast radius of each breaking change, on the new mesh with the changed product as it
    // was. HEAD decides who still reads it: a reader updated in HEAD no longer counts,
    // while a reader that still names a removed product (its inputs, its columns'
    // lineage, its inputs' column lists) breaks, and so does what reads it in turn (column
    // lineage, readers without column lists). So a removed product is put back in its
    // BASE form for its remaining references to resolve, and its blast radius is a
    // `retire`'s.
    for i in changes.indices {
      guard changes[i].breaking, let change = changes[i].schemaChange, let old = baseNodes[changes[i].product] else {
        continue
      }
      var mesh = head.mesh
      if let at = mesh.nodes.firstIndex(where: { $0.id == old.id }) {
        mesh.nodes[at] = old
      } else {
        mesh.nodes.append(old)
      }
      let model = LineageModel(mesh: mesh, loadFindings: [], source: head.source)
      guard let v = model.graph.index(of: old.id) else { continue }
      let column: String? =
        change == .retire ? nil : (changes[i].kind == .columnRenamed ? renamedOldName(changes[i]) : changes[i].column)
      let gone = changes[i].kind == .productRemoved ? "removed" : "retired"
      if let r = try? ImpactAnalysis.analyze(model, product: v, column: column, change: change, gone: gone) {
        changes[i].impact = r
        changes[i].impactModel = model
      }
    }
    // Changed values and rows: every reader of the column, or of the product.
    sqlImpacts(head: head, changes: &changes)
    // Narrowed access breaks the readers that may no longer read the product.
    for i in changes.indices where changes[i].kind == .accessNarrowed {
      guard let v = head.graph.index(of: changes[i].product), let new = headNodes[changes[i].product] else { continue }
      let g = head.graph
      var affected: [ImpactResult.Affected] = []
      for reader in g.forward.neighbors(v) {
        let allowed: Bool
        switch new.access {
        case .public: allowed = true
        case .domain: allowed = g.domain[Int(reader)] == g.domain[Int(v)]
        case .private: allowed = g.owner[Int(reader)] == g.owner[Int(v)]
        }
        if allowed { continue }
        affected.append(
          ImpactResult.Affected(
            node: reader, verdict: .breaks, columns: [],
            reason:
              "reads \(new.id), which is now \(new.access.rawValue) (\(new.access == .domain ? "same domain only" : "owning team only"))",
            path: [v, reader]))
      }
      let order = g.orderByID(affected.map(\.node))
      affected = order.map { affected[Int($0)] }
      changes[i].impact = ImpactResult(
        product: v, column: nil, change: .retire, typeChange: nil, affected: affected,
        columnVerdicts: [:])
      changes[i].impactModel = head
    }
    // Semver advice.
    var advice: [VersionAdvice] = []
    let byProduct = Dictionary(grouping: changes, by: \.product)
    for (id, list) in byProduct.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      // A product neither version gives a version (an unversioned dbt model, a test, a
      // dataset) gets no advice. A dbt model's version (`version: 2`) is the version of a
      // contract: only a breaking change calls for a new one.
      guard let old = baseNodes[id], let new = headNodes[id] else { continue }
      let dbtVersioned = old.version == nil && new.version == nil
      let oldVersion = old.version ?? old.resource?.version, newVersion = new.version ?? new.resource?.version
      guard oldVersion != nil || newVersion != nil else { continue }
      let meaningful = list.filter { $0.kind != .versionChanged }
      if meaningful.isEmpty || (dbtVersioned && !meaningful.contains { $0.breaking }) { continue }
      let suggested: VersionAdvice.Bump =
        meaningful.contains { $0.breaking }
        ? .major
        : meaningful.contains { [.columnAdded, .accessWidened, .productDeprecated].contains($0.kind) } ? .minor : .patch
      advice.append(
        VersionAdvice(
          product: id, oldVersion: oldVersion, newVersion: newVersion, suggested: suggested,
          actual: bump(oldVersion, newVersion)))
    }
    return (changes, advice)
  }

  /// The references of a new version that no longer resolve, by kind, in report order.
  public struct DanglingReferences: Sendable {
    /// `unresolved-reference` findings: inputs that name a product that is gone.
    public var unresolved: [Finding]
    /// `lineage-column-not-read` findings: column lineage from a column its product
    /// no longer reads.
    public var columnsNotRead: [Finding]
    /// Both kinds, in report order.
    public var all: [Finding]

    /// No dangling references.
    public init() {
      unresolved = []
      columnsNotRead = []
      all = []
    }
  }

  /// The references of `head` that no longer resolve and did resolve (or did not
  /// exist) in `base`: readers still pointing at what the change removed or renamed.
  /// References already broken in `base` are not the change's doing and are left out.
  ///
  /// - Parameters:
  ///   - base: The old version.
  ///   - head: The new version.
  /// - Returns: The `unresolved-reference` and `lineage-column-not-read` findings of
  ///   `head` that `base` does not have, in report order, by kind.
  public static func danglingReferences(base: LineageModel, head: LineageModel) -> DanglingReferences {
    struct Key: Hashable {
      var rule: String, message: String, subjects: [String]
    }
    func key(_ f: Finding) -> Key { Key(rule: f.rule.rawValue, message: f.message, subjects: f.subjects) }
    func dangles(_ f: Finding) -> Bool { f.rule == .unresolvedReference || f.rule == .lineageColumnNotRead }
    let before = Set(base.findings.filter(dangles).map(key))
    var result = DanglingReferences()
    for f in head.findings where dangles(f) && !before.contains(key(f)) {
      result.all.append(f)
      if f.rule == .unresolvedReference { result.unresolved.append(f) } else { result.columnsNotRead.append(f) }
    }
    return result
  }

  static func renamedOldName(_ c: MeshChange) -> String? {
    // detail: "column OLD renamed to NEW"
    let parts = c.detail.split(separator: " ")
    return parts.count > 1 ? String(parts[1]) : c.column
  }

  static func compareNode(
    _ old: MeshNode, _ new: MeshNode,
    add: (MeshChange.Kind, String, String?, String, Bool, SourceLocation?, SchemaChange?) -> Void
  ) {
    let id = new.id
    let at = new.location
    func here(_ field: String) -> SourceLocation? { new.fieldLocations[field] ?? at }
    if old.status != new.status {
      switch new.status {
      case .retired:
        add(.productRetired, id, nil, "\(id) retired (was \(old.status.rawValue))", true, here("id"), .retire)
      case .deprecated:
        add(
          .productDeprecated, id, nil, "\(id) deprecated" + (new.deprecation?.sunset.map { ", sunset \($0)" } ?? ""),
          false, here("id"), nil)
      default:
        add(
          .statusChanged, id, nil, "\(id) status \(old.status.rawValue) -> \(new.status.rawValue)", false, here("id"),
          nil)
      }
    }
    let rank: [Access: Int] = [.public: 0, .domain: 1, .private: 2]
    if old.access != new.access {
      let narrower = (rank[new.access] ?? 0) > (rank[old.access] ?? 0)
      add(
        narrower ? .accessNarrowed : .accessWidened, id, nil,
        "access \(old.access.rawValue) -> \(new.access.rawValue)", narrower, at, nil)
    }
    if old.owner != new.owner {
      add(
        .ownerChanged, id, nil, "owner \(old.owner ?? "(domain's)") -> \(new.owner ?? "(domain's)")", false,
        here("owner"), nil)
    }
    if old.domain != new.domain {
      add(.domainChanged, id, nil, "domain \(old.domain ?? "-") -> \(new.domain ?? "-")", false, here("domain"), nil)
    }
    if old.version != new.version {
      add(.versionChanged, id, nil, "version \(old.version ?? "-") -> \(new.version ?? "-")", false, at, nil)
    }
    if new.status == .retired { return }
    var oldColumns: [String: Column] = [:]
    for c in old.schema where oldColumns[c.name] == nil { oldColumns[c.name] = c }
    var newColumns: [String: Column] = [:]
    for c in new.schema where newColumns[c.name] == nil { newColumns[c.name] = c }
    var renamedAway = Set<String>()
    for c in new.schema where oldColumns[c.name] == nil {
      if let from = c.renamedFrom, let was = oldColumns[from], newColumns[from] == nil {
        renamedAway.insert(from)
        add(.columnRenamed, id, c.name, "column \(from) renamed to \(c.name)", true, c.location, .rename(c.name))
        compareColumn(id, was, c, add: add)
      } else {
        add(
          .columnAdded, id, c.name, "column \(c.name) added" + (c.type.map { " (\($0))" } ?? ""), false, c.location, nil
        )
      }
    }
    for c in old.schema where newColumns[c.name] == nil && !renamedAway.contains(c.name) {
      add(.columnDropped, id, c.name, "column \(c.name) dropped", true, new.fieldLocations["schema"] ?? at, .drop)
    }
    compareQuality(id, column: nil, old.quality, new.quality, at: new.fieldLocations["quality"] ?? at, add: add)
    for c in new.schema {
      if let was = oldColumns[c.name] { compareColumn(id, was, c, add: add) }
    }
  }

  static func compareColumn(
    _ id: String, _ old: Column, _ new: Column,
    add: (MeshChange.Kind, String, String?, String, Bool, SourceLocation?, SchemaChange?) -> Void
  ) {
    let name = new.name
    let contract = old.constraints != nil || new.constraints != nil
    if let a = old.type, let b = new.type, a != b {
      let change = SQLType(a).change(to: SQLType(b))
      if contract && a.lowercased().trimmingSpaces != b.lowercased().trimmingSpaces {
        add(
          .columnRetyped, id, name,
          "column \(name) retyped \(a) -> \(b) (\(change.rawValue); a contract's readers bind the type it names)",
          true, new.location, .retype(b))
      } else if change != .same {
        let breaking = change != .widening
        add(
          .columnRetyped, id, name, "column \(name) retyped \(a) -> \(b) (\(change.rawValue))", breaking, new.location,
          breaking ? .retype(b) : nil)
      }
    } else if old.type != nil, new.type == nil {
      add(
        .columnRetyped, id, name, "column \(name) lost its declared type \(old.type ?? "")", true, new.location,
        .retype("unknown"))
    }
    let oldNull = old.nullable && !old.primaryKey, newNull = new.nullable && !new.primaryKey
    if !oldNull && newNull {
      add(.columnNullable, id, name, "column \(name) becomes nullable", true, new.location, .nullable)
    } else if oldNull && !newNull {
      add(.columnNotNull, id, name, "column \(name) becomes non-null", false, new.location, nil)
    }
    if contract { compareConstraints(id, old, new, add: add) }
    compareQuality(
      id, column: name, old.constraints?.quality ?? [], new.constraints?.quality ?? [], at: new.location, add: add)
  }

  /// The semver bump between two version strings (`1.2.3`; missing parts are 0).
  static func bump(_ a: String?, _ b: String?) -> VersionAdvice.Bump {
    func parts(_ s: String?) -> [Int]? {
      guard let s else { return nil }
      let core = s.split(separator: "-").first.map(String.init) ?? s
      let p = core.split(separator: ".").map { Int($0) ?? 0 }
      return p.isEmpty ? nil : p + Array(repeating: 0, count: max(0, 3 - p.count))
    }
    guard let x = parts(a), let y = parts(b) else { return a == b ? .none : .patch }
    if y[0] > x[0] { return .major }
    if y[0] < x[0] { return .none }
    if y[1] > x[1] { return .minor }
    if y[1] < x[1] { return .none }
    return y[2] > x[2] ? .patch : .none
  }
}

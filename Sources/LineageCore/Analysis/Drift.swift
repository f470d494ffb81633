/// Declared vs observed: where what ran (an ``ObservedLineage`` read from OpenLineage
/// events) differs from what the mesh declares.
///
/// Each observed dataset is matched to a declared node: first by the map (an entry
/// whose pattern equals or, as a glob, matches the dataset's `NAMESPACE:NAME`, its
/// `NAME`, or one of its symlinks), then by `location` (equal to the dataset's `NAME`
/// or `NAMESPACE:NAME`, or a symlink's, compared as ``Ownership/normalizedLocation(_:)``
/// compares locations; a dbt node's location is its `relation_name`), then by node id
/// (equal to `NAMESPACE:NAME`, as nodes read from OpenLineage are named). Then, with
/// the severity `policies:` gives each rule (rules set to `off` are not run):
///
/// - `undeclared-read`: a job wrote X reading Y, and X does not declare Y as an input
///   (Y may be a dataset that matches no node).
/// - `stale-input`: X declares input Y, both are observed and X is written by some job,
///   but no job writing X was seen reading Y within the window (or at all). Only
///   products whose writing job was observed are judged: the events of a mesh rarely
///   cover every job (producers adopt OpenLineage one by one), and a product whose job
///   sends no events says nothing about what it reads. Likewise Y must appear in some
///   event: an input no integration reports (an API, a file its job's integration does
///   not track) would otherwise be stale forever.
/// - `observed-private-access` / `observed-domain-only-access`: a job wrote X reading
///   Y, Y is private to another team / domain-only for another domain (as
///   `cross-domain-private-access` judges declared inputs).
/// - `schema-drift`: a dataset's latest schema facet has a column the node does not
///   declare, lacks one it declares, or gives one another type. Nested fields are
///   columns named `parent.child` (as the importers name them); the columns under a
///   parent are compared only when both sides describe that parent's fields, so a
///   declaration that stops at a struct column does not make each observed subfield
///   an addition.
/// - `unknown-producer`: a job wrote a dataset that matches no node.
///
/// Datasets that match no node and that no job writes are listed as
/// `unmatched-dataset` notes. Findings are located at the declaration at fault and
/// name the event that showed the drift (job, run, time) in the message and as
/// ``Finding/evidence``, with the event's file and line as a related location.
///
/// The analysis answers as of ``Options/until``: an ``ObservedLineage`` read with that
/// `until` leaves later events out, so no rule counts them.
public enum Drift {
  /// One entry of the map: observed datasets matching `pattern` are node `node`.
  public struct MapEntry: Hashable, Sendable {
    /// `NAMESPACE:NAME`, `NAME`, or a glob (`*`, `?`) over either.
    public var pattern: String
    /// The declared node id.
    public var node: String
    /// Where the entry is written.
    public var location: SourceLocation?

    /// Creates an entry. Each argument sets the property of the same name.
    ///
    /// - Parameters:
    ///   - pattern: Sets ``pattern``.
    ///   - node: Sets ``node``.
    ///   - location: Sets ``location``.
    public init(pattern: String, node: String, location: SourceLocation? = nil) {
      self.pattern = pattern
      self.node = node
      self.location = location
    }
  }

  /// What the analysis needs besides the model and the observations.
  public struct Options: Sendable {
    /// How far back from ``until`` a declared input must have been read, in seconds;
    /// nil: read at all in the events.
    public var window: Double?
    /// The end of the window, in seconds since 1970; nil: the latest event read. The
    /// window is [until − window, until]; the observations should be read with the
    /// same `until` (``ObservedLineage/until``), so that later events count for no rule.
    public var until: Double?
    /// The map from observed datasets to nodes, tried before locations.
    public var map: [MapEntry]

    /// Creates options. Each argument sets the property of the same name.
    ///
    /// - Parameters:
    ///   - window: Sets ``window``.
    ///   - until: Sets ``until``.
    ///   - map: Sets ``map``.
    public init(window: Double? = nil, until: Double? = nil, map: [MapEntry] = []) {
      self.window = window
      self.until = until
      self.map = map
    }
  }

  /// The durations a window is written in: a whole number and a unit.
  public static let durationForms = "30d, 12h, 90m, 45s or 2w"

  /// Reads a duration: a positive whole number followed by `w`, `d`, `h`, `m` or `s`.
  ///
  /// - Parameter text: The duration as written, such as `30d`.
  /// - Returns: Seconds, or nil when it is not a duration.
  public static func duration(_ text: String) -> Double? {
    guard let unit = text.last, let n = Int(text.dropLast()), n > 0 else { return nil }
    switch unit {
    case "w": return Double(n) * 604_800
    case "d": return Double(n) * 86_400
    case "h": return Double(n) * 3_600
    case "m": return Double(n) * 60
    case "s": return Double(n)
    default: return nil
    }
  }

  /// Seconds since 1970 as reports write a time: `YYYY-MM-DDTHH:MM:SSZ`.
  ///
  /// - Parameter seconds: Seconds since 1970.
  /// - Returns: The UTC date-time, to the second.
  public static func timestamp(_ seconds: Double) -> String { Checker.timestamp(seconds) }

  /// The findings of every enabled drift rule, in report order.
  ///
  /// - Parameters:
  ///   - model: The declared model.
  ///   - observed: What the events showed.
  ///   - options: The window and the map.
  /// - Returns: The findings.
  /// - Complexity: O(D · M + R + N + E) for D observed datasets, M map entries, R
  ///   observed reads and writes, N nodes and E declared inputs, plus sorting.
  public static func findings(_ model: LineageModel, observed: ObservedLineage, options: Options = .init())
    -> [Finding]
  {
    var c = Checker(model.mesh, observed, options)
    return c.run()
  }

  /// The node each observed dataset matches, by dataset index (nil: none), and the
  /// map entries that name no node.
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - observed: What the events showed.
  ///   - map: The map entries.
  /// - Returns: The node index in `mesh.nodes` per dataset, and unresolved map-entry findings.
  public static func match(_ mesh: Mesh, _ observed: ObservedLineage, map: [MapEntry]) -> (
    nodes: [Int?], findings: [Finding]
  ) {
    var byID: [String: Int] = [:]
    var byLocation: [String: Int] = [:]
    for (i, n) in mesh.nodes.enumerated() {
      if byID[n.id] == nil { byID[n.id] = i }
      if let l = n.physicalLocation, !l.isEmpty {
        let key = Ownership.normalizedLocation(l)
        if byLocation[key] == nil { byLocation[key] = i }
      }
    }
    var findings: [Finding] = []
    var entries: [(pattern: String, glob: Bool, node: Int)] = []
    for e in map {
      guard let i = byID[e.node] else {
        findings.append(
          Finding(
            rule: .unresolvedReference, severity: .error,
            message: "map entry '\(e.pattern)' names node '\(e.node)', which is not declared",
            location: e.location, hint: Suggest.hint(for: e.node, in: mesh.nodes.map(\.id))))
        continue
      }
      entries.append((e.pattern, Glob.isPattern(e.pattern), i))
    }
    var out: [Int?] = []
    out.reserveCapacity(observed.datasets.count)
    for d in observed.datasets {
      var names = [d.id, d.name]
      for a in d.aliases {
        names.append(a)
        if let colon = a.firstIndex(of: ":") { names.append(String(a[a.index(after: colon)...])) }
      }
      var found: Int?
      for e in entries where found == nil {
        if names.contains(where: { e.glob ? Glob.matches(e.pattern, $0) : e.pattern == $0 }) { found = e.node }
      }
      if found == nil {
        for n in names where found == nil { found = byLocation[Ownership.normalizedLocation(n)] }
      }
      if found == nil {
        for n in [d.id] + d.aliases where found == nil { found = byID[n] }
      }
      out.append(found)
    }
    return (out, findings)
  }

  /// One run of the rules over a model and its observations.
  struct Checker {
    let mesh: Mesh
    let observed: ObservedLineage
    let options: Options
    var out: [Finding] = []
    var node: [Int?] = []
    var owners: [String?] = []
    var declared: [Set<String>] = []
    var nodeIndex: [String: Int] = [:]

    init(_ mesh: Mesh, _ observed: ObservedLineage, _ options: Options) {
      self.mesh = mesh
      self.observed = observed
      self.options = options
    }

    func level(_ rule: Finding.Rule) -> Severity? {
      switch mesh.policyLevel(rule.rawValue) {
      case .off: nil
      case .warning: .warning
      case .error: .error
      }
    }

    static func at(_ n: MeshNode) -> SourceLocation? { n.fieldLocations["id"] ?? n.location }

    static func what(_ n: MeshNode) -> String { Governance.what(n) }

    mutating func run() -> [Finding] {
      let (matched, unresolved) = Drift.match(mesh, observed, map: options.map)
      node = matched
      out += unresolved
      owners = mesh.nodes.map { mesh.effectiveOwner(of: $0) }
      declared = mesh.nodes.map { Set($0.inputs.map(\.product)) }
      for (i, n) in mesh.nodes.enumerated() where nodeIndex[n.id] == nil { nodeIndex[n.id] = i }
      let reads = observed.reads, writes = observed.writes
      // Per job: what it wrote (matched nodes) and what it read.
      var wrote: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]] = [:]
      for w in writes { wrote[w.job, default: []].append((w.dataset, w.evidence)) }
      var readBy: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]] = [:]
      for r in reads { readBy[r.job, default: []].append((r.dataset, r.evidence)) }
      observedEdges(wrote: wrote, readBy: readBy)
      staleInputs(wrote: wrote, readBy: readBy)
      schemaDrift()
      unmatched(wrote: wrote, readBy: readBy)
      return out.sorted(by: Finding.reportOrder)
    }

    /// `undeclared-read` and the observed access rules: one finding per reader and
    /// input, with the latest evidence.
    mutating func observedEdges(
      wrote: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]],
      readBy: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]]
    ) {
      // (reader node, input key) -> latest read evidence; the input key is a node id
      // or, for a dataset that matches no node, its observed id.
      struct Key: Hashable {
        var reader: Int
        var input: String
      }
      var latest: [Key: (evidence: ObservedLineage.Evidence, node: Int?, dataset: Int32)] = [:]
      for (job, outputs) in wrote {
        guard let inputs = readBy[job] else { continue }
        for o in outputs {
          guard let x = node[Int(o.dataset)] else { continue }
          for i in inputs {
            let y = node[Int(i.dataset)]
            if y == x { continue }
            let key = Key(reader: x, input: y.map { mesh.nodes[$0].id } ?? observed.datasets[Int(i.dataset)].id)
            if let old = latest[key], !Self.later(i.evidence, than: old.evidence) { continue }
            latest[key] = (i.evidence, y, i.dataset)
          }
        }
      }
      let undeclared = level(.undeclaredRead)
      let privateLevel = level(.observedPrivateAccess), domainLevel = level(.observedDomainOnlyAccess)
      for (key, seen) in latest {
        let x = mesh.nodes[key.reader]
        let evidence = seen.evidence
        let related = [evidence.location].compactMap { $0 }
        let dataset = observed.datasets[Int(seen.dataset)].id
        if let undeclared, !declared[key.reader].contains(key.input) {
          let what =
            seen.node == nil
            ? "dataset '\(dataset)', which matches no declared node"
            : "'\(key.input)'" + (dataset == key.input ? "" : " (observed as '\(dataset)')")
          out.append(
            Finding(
              rule: .undeclaredRead, severity: undeclared,
              message:
                "\(Self.what(x)) was observed reading \(what), which it does not declare as an input (\(evidence.description))",
              subjects: [x.id] + (seen.node == nil ? [] : [key.input]),
              location: x.fieldLocations["inputs"] ?? x.inputs.first?.location ?? Self.at(x),
              hint: seen.node == nil
                ? "declare the dataset (give its node a 'location') and add it to the inputs of '\(x.id)', or stop the job reading it"
                : "add '- product: \(key.input)' to the inputs of '\(x.id)', or stop the job reading it",
              related: related, evidence: evidence))
        }
        guard let y = seen.node else { continue }
        let u = mesh.nodes[y]
        let input = x.inputs.first { $0.product == u.id }
        switch u.access {
        case .public: continue
        case .domain:
          guard let domainLevel, u.domain != x.domain else { continue }
          out.append(
            Finding(
              rule: .observedDomainOnlyAccess, severity: domainLevel,
              message:
                "\(Self.what(x)) \(x.domain.map { "in domain '\($0)'" } ?? "without a domain") was observed reading '\(u.id)', whose access is 'domain' (domain '\(u.domain ?? "none")' only) (\(evidence.description))",
              subjects: [x.id, u.id], location: input?.location ?? u.fieldLocations["access"] ?? Self.at(u),
              hint: "read a public product for this use, or have the owner of '\(u.id)' widen it to 'access: public'",
              related: related, evidence: evidence))
        case .private:
          let mine = owners[key.reader], theirs = owners[y]
          guard let privateLevel, mine != theirs else { continue }
          out.append(
            Finding(
              rule: .observedPrivateAccess, severity: privateLevel,
              message:
                "\(Self.what(x)) (owner \(mine.map { "'\($0)'" } ?? "none")) was observed reading '\(u.id)', which is private to \(theirs.map { "'\($0)'" } ?? "its owning team") (\(evidence.description))",
              subjects: [x.id, u.id], location: input?.location ?? u.fieldLocations["access"] ?? Self.at(u),
              hint:
                "read a public product of domain '\(u.domain ?? "none")' instead, or have \(theirs.map { "'\($0)'" } ?? "its owner") widen its access",
              related: related, evidence: evidence))
        }
      }
    }

    /// Later evidence first; equal times by job, then run, so the choice is stable.
    static func later(_ a: ObservedLineage.Evidence, than b: ObservedLineage.Evidence) -> Bool {
      if a.time != b.time { return a.time > b.time }
      return (a.job, a.runID) < (b.job, b.runID)
    }

    /// `stale-input`: declared inputs of written nodes that no job writing the node was
    /// seen reading within the window.
    mutating func staleInputs(
      wrote: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]],
      readBy: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]]
    ) {
      guard let severity = level(.staleInput) else { return }
      var observedNodes = Set<Int>()
      for case let n? in node { observedNodes.insert(n) }
      // Written node -> input node -> latest read evidence.
      var written = Set<Int>()
      var lastRead: [Int: [Int: ObservedLineage.Evidence]] = [:]
      for (job, outputs) in wrote {
        let xs = Set(outputs.compactMap { node[Int($0.dataset)] })
        written.formUnion(xs)
        for i in readBy[job] ?? [] {
          guard let y = node[Int(i.dataset)] else { continue }
          for x in xs where x != y {
            if let old = lastRead[x]?[y], !Self.later(i.evidence, than: old) { continue }
            lastRead[x, default: [:]][y] = i.evidence
          }
        }
      }
      let end = options.until ?? observed.latest?.time
      let start = options.window.flatMap { w in end.map { $0 - w } }
      let window = options.window.map { Self.durationText($0) }
      for x in written.sorted() {
        let n = mesh.nodes[x]
        for input in n.inputs {
          guard let y = nodeIndex[input.product], observedNodes.contains(y), y != x else { continue }
          let seen = lastRead[x]?[y]
          let message: String
          if let seen {
            guard let start, seen.time < start else { continue }
            message =
              "\(Self.what(n)) declares input '\(input.product)', last observed read \(seen.eventTime), before the \(window ?? "") window ending \(Self.endText(options.until, observed)) (\(seen.description))"
          } else {
            message =
              "\(Self.what(n)) declares input '\(input.product)', which no job writing it was observed reading"
          }
          out.append(
            Finding(
              rule: .staleInput, severity: severity, message: message, subjects: [n.id, input.product],
              location: input.location ?? Self.at(n),
              hint: "remove the input if '\(n.id)' no longer reads it, or check why its job did not read it",
              related: [seen?.location].compactMap { $0 }, evidence: seen))
        }
      }
    }

    /// The window's length as written back: the largest unit that divides it.
    static func durationText(_ seconds: Double) -> String {
      let s = Int(seconds)
      for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] where s % size == 0 {
        return "\(s / size)\(unit)"
      }
      return "\(s)s"
    }

    static func endText(_ until: Double?, _ observed: ObservedLineage) -> String {
      if let until { return "at \(timestamp(until))" }
      return "at the latest event, \(observed.latest?.text ?? "none")"
    }

    /// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
    static func timestamp(_ t: Double) -> String {
      let secs = Int(t.rounded(.down))
      let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
      let rest = secs - days * 86_400
      // Civil date from days (Howard Hinnant's algorithm).
      let z = days + 719_468
      let era = (z >= 0 ? z : z - 146_096) / 146_097
      let doe = z - era * 146_097
      let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
      let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
      let mp = (5 * doy + 2) / 153
      let day = doy - (153 * mp + 2) / 5 + 1
      let month = mp < 10 ? mp + 3 : mp - 9
      let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
      let date = CalendarDate(year: year, month: month, day: day)
      func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
      return "\(date)T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// `schema-drift`: each matched dataset's latest schema against its node's.
    mutating func schemaDrift() {
      guard let severity = level(.schemaDrift) else { return }
      for (d, dataset) in observed.datasets.enumerated() {
        guard let x = node[d], let columns = dataset.schema, let evidence = dataset.schemaEvidence else { continue }
        let n = mesh.nodes[x]
        guard !n.schema.isEmpty else { continue }
        let related = [evidence.location].compactMap { $0 }
        let seen = Dictionary(columns.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let declaredNames = Set(n.schema.map { $0.name.lowercased() })
        let observedNesting = Nesting(seen.keys), declaredNesting = Nesting(declaredNames)
        let origin = "observed in '\(dataset.id)' (\(evidence.description))"
        for c in n.schema {
          let name = c.name.lowercased()
          guard let o = seen[name] else {
            // A nested column counts as missing only when the facet describes its parent's fields.
            if let parent = declaredNesting.parent(of: name), !observedNesting.hasChildren(parent) { continue }
            out.append(
              Finding(
                rule: .schemaDrift, severity: severity,
                message: "column '\(c.name)' of \(Self.what(n)) is missing from the schema \(origin)",
                subjects: [n.id], location: c.location ?? n.fieldLocations["schema"] ?? Self.at(n),
                hint: "drop the column from the declared schema, or fix the job that writes '\(dataset.id)'",
                related: related, evidence: evidence))
            continue
          }
          if let declaredType = c.type, let observedType = o.type,
            SQLType(declaredType).change(to: SQLType(observedType)) != .same
          {
            out.append(
              Finding(
                rule: .schemaDrift, severity: severity,
                message:
                  "column '\(c.name)' of \(Self.what(n)) is declared '\(declaredType)' but has type '\(observedType)' in the schema \(origin)",
                subjects: [n.id], location: c.location ?? n.fieldLocations["schema"] ?? Self.at(n),
                hint: "declare the type the job writes, or fix the job", related: related, evidence: evidence))
          }
        }
        for o in columns where !declaredNames.contains(o.name.lowercased()) {
          // A nested field counts as added only when the declaration describes its parent's fields.
          if let parent = observedNesting.parent(of: o.name.lowercased()), !declaredNesting.hasChildren(parent) {
            continue
          }
          out.append(
            Finding(
              rule: .schemaDrift, severity: severity,
              message:
                "column '\(o.name)'\(o.type.map { " (\($0))" } ?? "") is in the schema \(origin) but \(Self.what(n)) does not declare it",
              subjects: [n.id], location: n.fieldLocations["schema"] ?? Self.at(n),
              hint: "add the column to the schema of '\(n.id)', or stop the job writing it", related: related,
              evidence: evidence))
        }
      }
    }

    /// How one side's column names nest: `a.b` is a field of `a` when `a` is a column
    /// of the same side (otherwise `a.b` is a column whose name has a dot).
    struct Nesting {
      let names: Set<String>
      var parents: Set<String> = []

      init<S: Sequence>(_ names: S) where S.Element == String {
        self.names = Set(names)
        for n in self.names { if let p = parent(of: n) { parents.insert(p) } }
      }

      /// The parent column of a nested field (lowercased), nil for a top-level column.
      func parent(of name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let p = String(name[..<dot])
        return names.contains(p) ? p : nil
      }

      /// Whether the side describes fields of the column `parent`.
      func hasChildren(_ parent: String) -> Bool { parents.contains(parent) }
    }

    /// `unknown-producer` for written datasets that match no node, `unmatched-dataset`
    /// notes for the other unmatched ones.
    mutating func unmatched(
      wrote: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]],
      readBy: [Int32: [(dataset: Int32, evidence: ObservedLineage.Evidence)]]
    ) {
      var writer: [Int32: (job: Int32, evidence: ObservedLineage.Evidence)] = [:]
      for (job, outputs) in wrote {
        for o in outputs where node[Int(o.dataset)] == nil {
          if let old = writer[o.dataset], !Self.later(o.evidence, than: old.evidence) { continue }
          writer[o.dataset] = (job, o.evidence)
        }
      }
      let severity = level(.unknownProducer)
      for (d, dataset) in observed.datasets.enumerated() where node[d] == nil {
        if let w = writer[Int32(d)] {
          guard let severity else { continue }
          let feeds = (readBy[w.job] ?? []).compactMap { node[Int($0.dataset)].map { mesh.nodes[$0].id } }
          out.append(
            Finding(
              rule: .unknownProducer, severity: severity,
              message:
                "dataset '\(dataset.id)' was observed written (\(w.evidence.description)) and matches no declared node",
              subjects: feeds, location: w.evidence.location,
              hint:
                "declare it (a node whose 'location' is '\(dataset.name)'), or map '\(dataset.id)' to its node in the map file",
              evidence: w.evidence))
        } else {
          out.append(
            Finding(
              rule: .unmatchedDataset, severity: .info,
              message: "dataset '\(dataset.id)' was observed but matches no declared node",
              location: dataset.firstSeen,
              hint: "give its node 'location: \(dataset.name)', or map '\(dataset.id)' to it in the map file"))
        }
      }
    }
  }
}

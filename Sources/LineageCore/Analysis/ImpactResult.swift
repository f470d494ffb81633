/// The blast radius of one change.
///
/// The affected nodes are kept in flat arrays, one element per node in id order: a
/// retired hub reaches hundreds of thousands of readers, so a node's path is a link in
/// a shared table of path steps (a reader's path is its parent's plus itself), and the
/// reasons that name a node are kept as that node's index and worded when read
/// (``reason(at:)``). ``affected`` makes the rows as values.
public struct ImpactResult: Sendable {
  /// One affected node.
  public struct Affected: Sendable, Equatable {
    /// The affected node (``LineageGraph`` index).
    public var node: Int32
    /// How badly it is hit: the worst verdict of its own affected columns and reads.
    public var verdict: Verdict
    /// Affected column names of this node (empty for a reader of no named column).
    public var columns: [String]
    /// Why, in one sentence.
    public var reason: String
    /// Nodes from the changed product to this one.
    public var path: [Int32]

    /// Creates an affected node.
    ///
    /// - Parameters:
    ///   - node: The node.
    ///   - verdict: How badly it is hit.
    ///   - columns: Its affected columns.
    ///   - reason: Why.
    ///   - path: Nodes from the changed product to it.
    public init(node: Int32, verdict: Verdict, columns: [String], reason: String, path: [Int32]) {
      self.node = node
      self.verdict = verdict
      self.columns = columns
      self.reason = reason
      self.path = path
    }
  }

  /// Why a node is affected, as data: a worded sentence, or a read of a node worded
  /// with that node's id when asked for.
  public enum Reason: Sendable, Equatable {
    /// Worded already.
    case text(String)
    /// "reads P (columns unknown)": a reader with no declaration of its own.
    case readsColumnsUnknown(Int32)
    /// "reads P without declaring which columns".
    case readsUndeclaredColumns(Int32)
    /// "reads P, which is retired" (or what ``ImpactResult/gone`` says).
    case readsGone(Int32)

    /// The words before the node's id in a reason that names a node.
    public static let beforeNode: StaticString = "reads "

    /// The words after the node's id in a reason that names a node, and whether
    /// ``ImpactResult/gone`` follows them (plain ASCII that needs no escape); empty for
    /// ``text(_:)``. ``ImpactResult/reason(at:)`` and the report writers word reasons
    /// with these.
    public var afterNode: (words: StaticString, gone: Bool) {
      switch self {
      case .text: ("", false)
      case .readsColumnsUnknown: (" (columns unknown)", false)
      case .readsUndeclaredColumns: (" without declaring which columns", false)
      case .readsGone: (", which is ", true)
      }
    }
  }

  /// The changed product.
  public var product: Int32
  /// The changed column, nil for a product-level change.
  public var column: String?
  /// The change whose blast radius this is.
  public var change: SchemaChange
  /// For a retype: how the type changes (`widening`, `narrowing`, ...).
  public var typeChange: SQLType.Change?
  /// Column verdicts (column graph index), for diagrams.
  public var columnVerdicts: [Int32: Verdict]
  /// What became of a retired product, in its readers' reasons (`retired`, `removed`).
  public private(set) var gone: String
  /// The node ids that reasons name (the graph's ids).
  let ids: Interner

  /// The affected nodes, sorted by id.
  public private(set) var nodes: [Int32] = []
  /// Each affected node's verdict, by row.
  public private(set) var verdicts: [Verdict] = []
  /// Row `i`'s affected columns are `columnNames[columnStart[i]..<columnStart[i + 1]]`;
  /// empty when no row names any.
  var columnStart: [Int32] = []
  var columnNames: [String] = []
  /// Each row's path and reason, side by side.
  var records: [Record] = []
  /// The worded reasons that records index.
  var texts: [String] = []
  /// The path steps every path is made of.
  var steps = PathSteps()

  /// A row's path (the index of its last step in ``ImpactResult/steps``) and reason:
  /// its kind (an ``ImpactResult/Reason`` case: 0 worded, 1 columns unknown, 2
  /// undeclared columns, 3 gone) and the index of its text or its node. Twelve bytes a
  /// row, where a ``Reason`` takes twenty-four.
  struct Record: Sendable {
    var path: Int32 = -1
    var argument: Int32 = 0
    var kind: UInt8 = 0

    /// The record of `reason` on `path`; a worded reason's text goes to `texts`.
    init(path: Int32, reason: Reason, texts: inout [String]) {
      self.path = path
      switch reason {
      case .text(let t):
        argument = Int32(texts.count)
        texts.append(t)
      case .readsColumnsUnknown(let p): (kind, argument) = (1, p)
      case .readsUndeclaredColumns(let p): (kind, argument) = (2, p)
      case .readsGone(let p): (kind, argument) = (3, p)
      }
    }

    init() {}

    /// The reason, its text read from `texts`.
    func reason(texts: [String]) -> Reason {
      switch kind {
      case 0: .text(texts[Int(argument)])
      case 1: .readsColumnsUnknown(argument)
      case 2: .readsUndeclaredColumns(argument)
      default: .readsGone(argument)
      }
    }
  }

  /// The number of affected nodes.
  public var count: Int { nodes.count }

  /// Row `i`'s affected column names (empty for a reader of no named column).
  ///
  /// - Parameter i: A row, `0..<count`.
  /// - Returns: The names, sorted by bytes.
  public func columns(at i: Int) -> ArraySlice<String> {
    columnStart.isEmpty ? [] : columnNames[Int(columnStart[i])..<Int(columnStart[i + 1])]
  }

  /// Row `i`'s reason, as stored.
  ///
  /// - Parameter i: A row, `0..<count`.
  /// - Returns: The reason.
  public func reasonData(at i: Int) -> Reason { records[i].reason(texts: texts) }

  /// Row `i`'s reason, worded.
  ///
  /// - Parameter i: A row, `0..<count`.
  /// - Returns: One sentence.
  public func reason(at i: Int) -> String {
    let reason = reasonData(at: i)
    switch reason {
    case .text(let s): return s
    case .readsColumnsUnknown(let p), .readsUndeclaredColumns(let p), .readsGone(let p):
      let after = reason.afterNode
      return "\(Reason.beforeNode)\(ids[p])\(after.words)" + (after.gone ? gone : "")
    }
  }

  /// Row `i`'s path: nodes from the changed product to the row's node.
  ///
  /// - Parameter i: A row, `0..<count`.
  /// - Returns: The path.
  public func path(at i: Int) -> [Int32] { steps.path(ending: records[i].path) }

  /// Calls `body` with row `i`'s path (a scratch buffer, valid during the call).
  ///
  /// - Parameters:
  ///   - i: A row, `0..<count`.
  ///   - scratch: Reused between calls, so that no path is allocated.
  ///   - body: Reads the path.
  /// - Returns: What `body` returns.
  public func withPath<R>(at i: Int, scratch: inout [Int32], _ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
    steps.collect(ending: records[i].path, into: &scratch)
    return scratch.withUnsafeBufferPointer(body)
  }

  /// The affected nodes as values, sorted by id. Each call makes them again: read
  /// ``count``, ``nodes`` and ``verdicts`` for counts.
  public var affected: [Affected] {
    (0..<count).map { i in
      Affected(
        node: nodes[i], verdict: verdicts[i], columns: Array(columns(at: i)), reason: reason(at: i), path: path(at: i))
    }
  }

  /// A blast radius of the given affected nodes.
  ///
  /// - Parameters:
  ///   - product: The changed product.
  ///   - column: The changed column, nil for a product-level change.
  ///   - change: The change.
  ///   - typeChange: For a retype, how the type changes.
  ///   - affected: The affected nodes, in the order to keep (by id).
  ///   - columnVerdicts: Column verdicts, for diagrams.
  public init(
    product: Int32, column: String?, change: SchemaChange, typeChange: SQLType.Change?, affected: [Affected],
    columnVerdicts: [Int32: Verdict]
  ) {
    self.init(
      product: product, column: column, change: change, typeChange: typeChange, columnVerdicts: columnVerdicts,
      gone: "retired", ids: Interner())
    reserve(affected.count)
    for a in affected {
      var end: Int32 = -1
      // Kept exactly as given (a node twice in a row stays twice).
      for v in a.path { end = steps.step(v, after: end) }
      append(node: a.node, verdict: a.verdict, columns: a.columns, reason: .text(a.reason), pathEnd: end)
    }
  }

  /// An empty blast radius, for ``ImpactAnalysis`` to fill.
  init(
    product: Int32, column: String?, change: SchemaChange, typeChange: SQLType.Change?,
    columnVerdicts: [Int32: Verdict], gone: String, ids: Interner
  ) {
    self.product = product
    self.column = column
    self.change = change
    self.typeChange = typeChange
    self.columnVerdicts = columnVerdicts
    self.gone = gone
    self.ids = ids
  }

  mutating func reserve(_ n: Int) {
    nodes.reserveCapacity(n)
    verdicts.reserveCapacity(n)
    columnStart.reserveCapacity(n + 1)
    records.reserveCapacity(n)
  }

  /// Appends a row.
  mutating func append<C: Sequence<String>>(
    node: Int32, verdict: Verdict, columns: C, reason: Reason, pathEnd end: Int32
  ) {
    if columnStart.isEmpty { columnStart.append(contentsOf: repeatElement(0, count: nodes.count + 1)) }
    nodes.append(node)
    verdicts.append(verdict)
    columnNames.append(contentsOf: columns)
    columnStart.append(Int32(columnNames.count))
    records.append(Record(path: end, reason: reason, texts: &texts))
  }
}

extension ImpactResult {
  /// Sets the rows at once, from arrays made for them (the blast radius keeps them as
  /// they are).
  ///
  /// - Parameters:
  ///   - nodes: The affected nodes, sorted by id.
  ///   - verdicts: Each row's verdict.
  ///   - records: Each row's path and reason.
  ///   - texts: The worded reasons the records index.
  ///   - columns: Each row's affected column names, sorted; nil when no row names any.
  mutating func setRows(
    nodes: [Int32], verdicts: [Verdict], records: [Record], texts: [String], columns: [[String]]?
  ) {
    self.nodes = nodes
    self.verdicts = verdicts
    self.records = records
    self.texts = texts
    columnStart = []
    columnNames = []
    if let columns {
      columnStart.reserveCapacity(nodes.count + 1)
      columnStart.append(0)
      for c in columns {
        columnNames += c
        columnStart.append(Int32(columnNames.count))
      }
    }
  }
}

/// Paths that share their beginnings, as a table of steps: each step is a node and the
/// step before it (-1 at the start). A path is its last step; extending one is one
/// append, and a step once made never changes, so a path taken stays as it was.
struct PathSteps: Sendable {
  /// One step of a path: its node, the step before it and how many nodes the path
  /// ending at it has, side by side (a walk along a path reads one place per step,
  /// where three arrays cost three cache misses).
  struct Step: Sendable {
    var node: Int32
    var before: Int32
    var length: Int32
  }
  private(set) var steps: [Step] = []

  /// The step `v` after the path ending at `end` (-1: `v` starts a path); the path
  /// itself when it already ends at `v`.
  mutating func append(_ v: Int32, after end: Int32) -> Int32 {
    if end >= 0 && steps[Int(end)].node == v { return end }
    return step(v, after: end)
  }

  /// A new step `v` after the path ending at `end` (-1: `v` starts a path), even when
  /// that path ends at `v`.
  mutating func step(_ v: Int32, after end: Int32) -> Int32 {
    steps.append(Step(node: v, before: end, length: end >= 0 ? steps[Int(end)].length + 1 : 1))
    return Int32(steps.count - 1)
  }

  /// Room for `n` steps, so that the array is not copied as it grows (the pages not
  /// written are never touched).
  mutating func reserve(_ n: Int) { steps.reserveCapacity(n) }

  /// `n` steps more, laid out by `body` in place: it gets every step, the new ones
  /// from `count` on (placeholders, each to be set, after the steps it follows).
  mutating func grow<R>(by n: Int, _ body: (UnsafeMutableBufferPointer<Step>) -> R) -> R {
    steps.append(contentsOf: repeatElement(Step(node: 0, before: -1, length: 0), count: n))
    return steps.withUnsafeMutableBufferPointer { body($0) }
  }

  /// How many nodes the path ending at `end` has (0 for -1, no path).
  func length(of end: Int32) -> Int { end >= 0 ? Int(steps[Int(end)].length) : 0 }

  /// The nodes of the path ending at `end`, first to last, into `out` (replacing it).
  func collect(ending end: Int32, into out: inout [Int32]) {
    out.removeAll(keepingCapacity: true)
    var s = end
    // Each step comes before the steps made after it, so the walk ends.
    while s >= 0 {
      out.append(steps[Int(s)].node)
      s = steps[Int(s)].before
    }
    out.reverse()
  }

  /// The nodes of the path ending at `end`, first to last.
  func path(ending end: Int32) -> [Int32] {
    var out: [Int32] = []
    collect(ending: end, into: &out)
    return out
  }
}

extension ImpactResult {
  /// The rows' arrays in place, for a writer that reads every row: no array is copied
  /// and nothing is reference-counted per row. Valid only during
  /// ``ImpactResult/withRowBuffers(_:)``.
  public struct RowBuffers {
    /// The affected nodes, sorted by id (``ImpactResult/nodes``).
    public let nodes: UnsafeBufferPointer<Int32>
    /// Each row's verdict (``ImpactResult/verdicts``).
    public let verdicts: UnsafeBufferPointer<Verdict>
    let records: UnsafeBufferPointer<Record>
    let texts: [String]
    let steps: UnsafeBufferPointer<PathSteps.Step>
    let columnStart: UnsafeBufferPointer<Int32>

    /// Whether row `i` names affected columns (``ImpactResult/columns(at:)`` is not empty).
    ///
    /// - Parameter i: A row.
    /// - Returns: True when it names some.
    public func hasColumns(_ i: Int) -> Bool { !columnStart.isEmpty && columnStart[i] != columnStart[i + 1] }

    /// Row `i`'s reason, as stored (``ImpactResult/reasonData(at:)``).
    ///
    /// - Parameter i: A row.
    /// - Returns: The reason.
    public func reason(_ i: Int) -> Reason { records[i].reason(texts: texts) }

    /// How many nodes row `i`'s path has.
    ///
    /// - Parameter i: A row.
    /// - Returns: The length of ``ImpactResult/path(at:)``.
    public func pathLength(_ i: Int) -> Int {
      let end = records[i].path
      return end >= 0 ? Int(steps[Int(end)].length) : 0
    }

    /// Asks for the last steps of the paths of `rows` ahead of
    /// ``walkPaths(_:into:capacity:counts:)`` (see `UnsafeBufferPointer.prefetch(at:)`).
    ///
    /// - Parameter rows: Some rows.
    public func prefetchPathEnds(_ rows: UnsafeBufferPointer<(row: Int, slot: Int)>) {
      for r in rows { steps.prefetch(at: Int(records[r.row].path)) }
    }

    /// Walks the paths of a batch of rows together, a step of each in turn: a path is
    /// a chain of steps scattered over memory, and the steps of several chains read
    /// side by side wait for memory together rather than one after another. Each
    /// row's path, first to last, goes to `ring` at `slot * capacity`, and its length
    /// to `counts[slot]`.
    ///
    /// - Parameters:
    ///   - batch: At most 16 rows, each with its slot.
    ///   - ring: Room for the slots' paths.
    ///   - capacity: At least each row's ``pathLength(_:)``.
    ///   - counts: A length per slot.
    public func walkPaths(
      _ batch: UnsafeBufferPointer<(row: Int, slot: Int)>, into ring: UnsafeMutableBufferPointer<Int32>,
      capacity: Int, counts: UnsafeMutableBufferPointer<Int>
    ) {
      precondition(batch.count <= 16)
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: 32) { at in
        for (b, r) in batch.enumerated() {
          let end = records[r.row].path
          let n = end >= 0 ? Int(steps[Int(end)].length) : 0
          precondition(
            n <= capacity && r.slot >= 0 && r.slot < counts.count && (r.slot + 1) * capacity <= ring.count)
          at[b] = end
          at[16 + b] = Int32(n)
          counts[r.slot] = n
        }
        var walking = true
        while walking {
          walking = false
          for b in 0..<batch.count where at[b] >= 0 && at[16 + b] > 0 {
            let step = steps[Int(at[b])]
            at[16 + b] -= 1
            ring[batch[b].slot * capacity + Int(at[16 + b])] = step.node
            at[b] = step.before
            walking = true
          }
        }
      }
    }
  }

  /// Calls `body` with the rows' arrays in place.
  ///
  /// - Parameter body: Reads the rows; the buffers are valid only during the call.
  /// - Returns: What `body` returns.
  public func withRowBuffers<R>(_ body: (RowBuffers) throws -> R) rethrows -> R {
    try nodes.withUnsafeBufferPointer { nodes in
      try verdicts.withUnsafeBufferPointer { verdicts in
        try records.withUnsafeBufferPointer { records in
          try steps.steps.withUnsafeBufferPointer { steps in
            try columnStart.withUnsafeBufferPointer { columnStart in
              try body(
                RowBuffers(
                  nodes: nodes, verdicts: verdicts, records: records, texts: texts, steps: steps,
                  columnStart: columnStart))
            }
          }
        }
      }
    }
  }
}

extension ImpactResult {
  /// When an impact answer counts as failing (the command line's exit status 1).
  public enum FailOn: String, Sendable, CaseIterable {
    /// Something breaks.
    case breaks
    /// Something breaks or may break.
    case mayBreak = "may-break"
    /// Never.
    case never
  }

  /// How many affected nodes break.
  public var breaksCount: Int { verdicts.reduce(0) { $0 + ($1 == .breaks ? 1 : 0) } }

  /// Whether this blast radius fails at `threshold`: `breaks` when a node breaks,
  /// `mayBreak` when any node is affected, `never` not at all.
  ///
  /// - Parameter threshold: What fails.
  /// - Returns: True when the result fails at `threshold`.
  public func fails(on threshold: FailOn) -> Bool {
    switch threshold {
    case .breaks: verdicts.contains(.breaks)
    case .mayBreak: count > 0
    case .never: false
    }
  }
}

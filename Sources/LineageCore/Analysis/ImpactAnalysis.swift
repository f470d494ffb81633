internal import Dispatch

extension ImpactAnalysis {
  /// Resolves a change target: a node id names a product, else `PRODUCT.COLUMN`
  /// (split at the last dot, see ``ColumnReach/target(_:in:)``) a product and a column.
  ///
  /// - Parameters:
  ///   - target: `PRODUCT` or `PRODUCT.COLUMN`.
  ///   - graph: The graph whose ids it names.
  /// - Returns: The product and, unless the target is a node id, the column name.
  /// - Throws: ``ImpactError`` "no product 'P' in the mesh" (reason
  ///   ``ImpactError/Reason/noSuchProduct``), with the closest id as a suggestion on
  ///   graphs up to 200,000 nodes.
  /// - Complexity: O(1) expected when the product exists; O(V · L) for the suggestion.
  public static func resolve(_ target: String, in graph: LineageGraph) throws(ImpactError)
    -> (product: Int32, column: String?)
  {
    if let v = graph.index(of: target) { return (v, nil) }
    if let t = ColumnReach.target(target, in: graph) { return (t.product, t.column) }
    let candidates = graph.nodeCount <= 200_000 ? graph.ids.strings : []
    let guess = target.lastIndex(of: ".").map { String(target[..<$0]) } ?? target
    let suggestion = Suggest.closest(to: guess, in: candidates) ?? Suggest.closest(to: target, in: candidates)
    throw ImpactError(
      .noSuchProduct,
      message: "no product '\(guess)' in the mesh" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""))
  }

  /// The blast radius of `change` to `target` (`PRODUCT`, or `PRODUCT.COLUMN`),
  /// resolved by ``resolve(_:in:)``.
  ///
  /// - Parameters:
  ///   - model: The model.
  ///   - target: `PRODUCT` or `PRODUCT.COLUMN`.
  ///   - change: The change.
  /// - Returns: The blast radius.
  /// - Throws: ``ImpactError`` when the target or the change does not apply.
  public static func analyze(_ model: LineageModel, target: String, change: SchemaChange) throws(ImpactError)
    -> ImpactResult
  {
    let (product, column) = try resolve(target, in: model.graph)
    return try analyze(model, product: product, column: column, change: change)
  }
}

/// Computes blast radii over column-level lineage.
///
/// Semantics: a change marks its column (or every column of a retired product);
/// effects travel along column lineage edges, each hop judged by the change, the
/// transform and the declared type and nullability of the column it reaches:
/// - drop and retire: every column derived from a removed column breaks, through every
///   hop; indirect uses (join, filter, group by, ...) break their reader as much as direct ones;
/// - rename: the direct references to the old name break; the derived columns keep
///   their own names, so the effect stops there;
/// - retype: a derived column whose declared type cannot hold the new type breaks; one
///   that can holds but narrowing loses values: may-break; an undeclared type inherits
///   the new type through identity and transformation hops (may-break);
/// - nullable: a derived non-null or primary-key column breaks; nullable copies pass
///   the nulls on (may-break); aggregations absorb them.
/// - loosen (a contract's constraint relaxed): derived columns may break, and copies
///   (identity and transformation hops) pass the unexpected values on.
/// Readers that list an affected column by name get the column's verdict (may-break for
/// a widening or narrowing retype); readers of an affected product that declared no
/// columns may break. Each node's verdict is the worst of its own. The nodes a `drop`
/// affects are exactly ``ColumnReach``'s downstream nodes of the column, and whether the
/// column exists is ``ColumnReach/column(_:of:named:)``'s rule.
public enum ImpactAnalysis {
  enum Effect: Equatable {
    case removed
    case renamed
    case retyped(SQLType)
    case nullable
    case loosened
  }

  /// The blast radius of `change` to `product` (and `column`, unless retiring).
  ///
  /// - Parameters:
  ///   - model: The loaded lineage.
  ///   - product: The changed node's index in `model.graph`.
  ///   - column: The changed column; `nil` for a change to the whole product.
  ///   - change: What happens to it.
  ///   - gone: For `retire`, the word that says what became of the product in the
  ///     readers' reasons ("reads P, which is retired"); ``MeshDiff`` says `removed`
  ///     for a product that no longer exists.
  /// - Returns: Every reader that breaks or may break, with the path that says why.
  /// - Throws: ``ImpactError`` when the column does not exist on the product.
  public static func analyze(
    _ model: LineageModel, product: Int32, column: String?, change: SchemaChange,
    gone: String = "retired"
  ) throws(ImpactError) -> ImpactResult {
    try analyze(model, product: product, column: column, change: change, gone: gone, parallelFrom: nil)
  }

  /// ``analyze(_:product:column:change:gone:)``, with the parts that run on two cores
  /// for many nodes (``parallelBucket``, ``parallelRows``) run so from `parallelFrom`
  /// nodes when given (tests).
  static func analyze(
    _ model: LineageModel, product: Int32, column: String?, change: SchemaChange, gone: String,
    parallelFrom: Int?
  ) throws(ImpactError) -> ImpactResult {
    let g = model.graph, cg = model.columns
    let decl = model.declaration(of: product)
    var seeds: [(Int32, Effect)] = []
    var typeChange: SQLType.Change?
    if change == .retire {
      if column != nil {
        throw ImpactError(
          .productRequired, message: "retire applies to a whole product", hint: "give the product id alone")
      }
    } else {
      guard let column else {
        throw ImpactError(
          .columnRequired, message: "\(change) applies to a column",
          hint: "give PRODUCT.COLUMN, or retire the whole product")
      }
      let c = try ColumnReach.column(model, of: product, named: column)
      let col = decl?.column(named: column)
      switch change {
      case .drop: seeds = [(c, .removed)]
      case .rename: seeds = [(c, .renamed)]
      case .nullable:
        if col?.nullable == true && col?.primaryKey != true && col != nil {
          // Already nullable: nothing changes for readers.
          seeds = []
        } else {
          seeds = [(c, .nullable)]
        }
      case .retype(let t):
        let new = SQLType(t)
        typeChange = col?.type.map { SQLType($0).change(to: new) } ?? .unknown
        if typeChange != .same { seeds = [(c, .retyped(new))] }
      case .loosen: seeds = [(c, .loosened)]
      case .retire: break
      }
    }
    if change == .retire {
      for c in 0..<Int32(cg.count) where cg.node[Int(c)] == product { seeds.append((c, .removed)) }
    }

    var verdict: [Int32: Verdict] = [:]
    var effect: [Int32: Effect] = [:]
    var queue: [Int32] = []
    var hits = Hits(product: product, nodeCount: g.nodeCount)
    let root = hits.root
    var colPath: [Int32: Int32] = [:]
    for (c, e) in seeds {
      effect[c] = e
      colPath[c] = root
      queue.append(c)
    }
    func name(_ c: Int32) -> String { cg.qualifiedName(c, in: g) }
    var head = 0
    while head < queue.count {
      let c = queue[head]
      head += 1
      guard let e = effect[c] else { continue }
      var i = Int(cg.forward.offsets[Int(c)])
      for d in cg.forward.neighbors(c) {
        let t = cg.transform[i]
        i += 1
        if effect[d] != nil || d == c { continue }
        let owner = cg.node[Int(d)]
        let target = model.declaration(of: owner)?.column(named: cg.name(d))
        var result: (Verdict, Effect?, String)?
        let via = "\(t.rawValue) of \(name(c))"
        switch e {
        case .removed:
          result = (.breaks, .removed, "derived (\(via)), which is gone")
        case .renamed:
          result = (.breaks, nil, "refers to \(name(c)) by its old name (\(t.rawValue))")
        case .nullable:
          if t == .aggregation {
            result = nil  // aggregates skip nulls
          } else if t.isIndirect {
            result = (.mayBreak, nil, "uses \(name(c)) in a \(t.rawValue), which may now be null")
          } else if target?.primaryKey == true || target?.nullable == false {
            result = (.breaks, nil, "declared non-null but derived (\(via)), which may now be null")
          } else {
            result = (.mayBreak, .nullable, "copies nulls from \(name(c)) (\(t.rawValue))")
          }
        case .loosened:
          result =
            t == .identity || t == .transformation
            ? (.mayBreak, .loosened, "copies values of \(name(c)) (\(t.rawValue)), whose constraints were relaxed")
            : (.mayBreak, nil, "uses \(name(c)) in a \(t.rawValue), whose constraints were relaxed")
        case .retyped(let new):
          if t == .identity, let declared = target?.type {
            switch new.change(to: SQLType(declared)) {
            case .same, .widening:
              result =
                typeChange == .narrowing
                ? (.mayBreak, nil, "\(name(c)) narrows to \(new); values may lose precision") : nil
            case .narrowing, .incompatible:
              result = (.breaks, nil, "declared \(declared), which cannot hold \(new) copied from \(name(c))")
            case .unknown:
              result = (.mayBreak, nil, "declared \(declared); cannot tell whether it holds \(new)")
            }
          } else if (t == .identity || t == .transformation) && target?.type == nil {
            result = (.mayBreak, .retyped(new), "inherits the type of \(name(c)), now \(new)")
          } else if typeChange == .incompatible {
            result = (.breaks, nil, "computes with \(name(c)) (\(t.rawValue)), which becomes an incompatible \(new)")
          } else {
            result = (.mayBreak, nil, "computes with \(name(c)) (\(t.rawValue)), whose type becomes \(new)")
          }
        }
        guard let (v, next, why) = result else { continue }
        if let old = verdict[d], old >= v { continue }
        verdict[d] = v
        let path = hits.steps.append(owner, after: colPath[c] ?? root)
        hits.hit(owner, v, column: cg.name(d), reason: .text("\(cg.name(d)): \(why)"), path: path)
        if let next {
          colPath[d] = path
          effect[d] = next
          queue.append(d)
        }
      }
    }
    // Readers by name of every affected column (and of the changed ones).
    var affectedColumns = Array(effect.keys)
    affectedColumns.sort()
    for c in affectedColumns {
      guard let e = effect[c] else { continue }
      let v: Verdict
      switch e {
      case .removed, .renamed: v = .breaks
      case .retyped: v = typeChange == .incompatible && cg.node[Int(c)] == product ? .breaks : .mayBreak
      case .nullable, .loosened: v = .mayBreak
      }
      for reader in cg.reads.neighbors(c) {
        let why: ImpactResult.Reason =
          change == .retire && cg.node[Int(c)] == product ? .readsGone(product) : .text("reads \(name(c)) by name")
        hits.hit(reader, v, column: nil, reason: why, path: colPath[c] ?? hits.steps.append(cg.node[Int(c)], after: -1))
      }
    }
    // Readers of an affected product that did not say which columns they read, and
    // in turn their own such readers, breadth first by the length of the path that
    // reaches them (a bucket per length), so that each is reached by a shortest path.
    // (A struct, not a local function: a variable a local function captures is boxed
    // and checked for exclusive access at run time on every use.)
    var buckets = Buckets()
    // Every node hit is queued once: the changed product and the nodes hit so far now,
    // each other node when first hit.
    if !seeds.isEmpty || change == .retire { buckets.add(product, length: 1) }
    for v in hits.order.sorted() { buckets.add(v, length: hits.pathLength(of: v)) }
    // A bare graph (no node has a declaration) skips the lookup per reader.
    let declarations = model.hasDeclarations
    g.forward.offsets.withUnsafeBufferPointer { offsets in
      g.forward.targets.withUnsafeBufferPointer { targets in
        if !declarations {
          // Every reader reads its reader with columns unknown: the walk of `hit`,
          // with the per-node state in place, and the readers' state of the nodes
          // a few ahead asked for too.
          let retire = change == .retire
          var claims = ReaderClaims(nodeCount: g.nodeCount)
          hits.verdict.withUnsafeMutableBufferPointer { verdict in
            hits.slot.withUnsafeMutableBufferPointer { slot in
              while let bucket = buckets.next() {
                if bucket.count >= (parallelFrom ?? parallelBucket) && !bucket.contains(product) {
                  // The readers of a long bucket found on two cores, then hit in
                  // the order the loop below would hit them (see ReaderClaims).
                  let found = claims.find(bucket, verdict: UnsafeBufferPointer(verdict), offsets, targets, product)
                  // Each hit's place is known: many are made on two cores.
                  hitClaimed(
                    found, onTwoCores: found.count >= (parallelFrom ?? parallelBucket), steps: &hits.steps,
                    order: &hits.order, kept: &hits.kept, verdict: verdict, slot: slot, buckets: &buckets)
                  continue
                }
                for k in -16..<0 { askForRows(bucket, after: k, offsets, targets) }
                for (k, p) in bucket.enumerated() {
                  askForRows(bucket, after: k, offsets, targets)
                  if k + 4 < bucket.count {
                    // (At most 16 readers: a hub's hundred thousand would be a pass of
                    // their own, pushing useful lines out.)
                    let q = Int(bucket[k + 4]), first = Int(offsets[q])
                    for e in first..<min(Int(offsets[q + 1]), first + 16) {
                      verdict.prefetch(at: Int(targets[e]))
                      slot.prefetch(at: Int(targets[e]))
                    }
                  }
                  let changed = p == product
                  let here: Verdict = changed && retire ? .breaks : .mayBreak
                  // The path to p (`Hits.pathTo`).
                  let s = Int(slot[Int(p)])
                  let from = changed ? root : s >= 0 ? hits.kept[s].path : hits.steps.append(p, after: root)
                  for e in Int(offsets[Int(p)])..<Int(offsets[Int(p) + 1]) {
                    let reader = targets[e], r = Int(reader)
                    if reader == product { continue }
                    let before = verdict[r]
                    if let old = before, old >= here { continue }
                    verdict[r] = here
                    let step = hits.steps.append(reader, after: from)
                    let record = ImpactResult.Record(path: step, reason: .readsColumnsUnknown(p), texts: &hits.texts)
                    if slot[r] < 0 {
                      slot[r] = Int32(hits.order.count)
                      hits.order.append(reader)
                      hits.kept.append(record)
                    } else {
                      hits.kept[Int(slot[r])] = record
                    }
                    if before == nil { buckets.add(reader, length: hits.steps.length(of: step)) }
                  }
                }
              }
            }
          }
        }
        // (After the walk above, when it ran, nothing is left.) A reader's path is one
        // longer than its reader's: the bucket read never grows.
        while let bucket = buckets.next() {
          for k in -16..<0 { askForRows(bucket, after: k, offsets, targets) }
          for (k, p) in bucket.enumerated() {
            askForRows(bucket, after: k, offsets, targets)
            let changed = p == product
            // The reader's id, made once for all its readers' declarations.
            var pid: String?
            for e in Int(offsets[Int(p)])..<Int(offsets[Int(p) + 1]) {
              let reader = targets[e]
              let before = hits.verdict[Int(reader)]
              if declarations, let rd = model.declaration(of: reader) {
                if pid == nil { pid = g.id(p) }
                for input in rd.inputs where input.product == pid {
                  if changed && change == .retire {
                    hits.hit(reader, .breaks, column: nil, reason: .readsGone(product), path: root)
                  } else if input.columns == nil {
                    hits.hit(
                      reader, .mayBreak, column: nil, reason: .readsUndeclaredColumns(p),
                      path: changed ? root : hits.pathTo(p))
                  }
                }
              } else {
                hits.hit(
                  reader, changed && change == .retire ? .breaks : .mayBreak, column: nil,
                  reason: .readsColumnsUnknown(p), path: changed ? root : hits.pathTo(p))
              }
              if before == nil, hits.verdict[Int(reader)] != nil {
                buckets.add(reader, length: hits.pathLength(of: reader))
              }
            }
          }
        }
      }
    }
    // Rows in id order. The nodes' states are gathered first, in a loop of loads
    // alone: nodes in id order are scattered over the per-node arrays, and loads that
    // do not wait for one another wait for memory together. The gathered arrays are the
    // blast radius's own.
    var result = ImpactResult(
      product: product, column: change == .retire ? nil : column, change: change,
      typeChange: typeChange, columnVerdicts: verdict, gone: gone, ids: g.ids)
    // The per-node slots are not needed any more: their pages serve the sort.
    var scratch = hits.slot
    hits.slot = []
    let byID = g.orderByID(hits.order, reusing: &scratch)
    // (On two cores for many rows, each half of the rows on its own.)
    var nodes = [Int32](repeating: 0, count: byID.count)
    var records = [ImpactResult.Record](repeating: ImpactResult.Record(), count: byID.count)
    var verdicts = [Verdict](repeating: .mayBreak, count: byID.count)
    nodes.withUnsafeMutableBufferPointer { nodes in
      records.withUnsafeMutableBufferPointer { records in
        verdicts.withUnsafeMutableBufferPointer { verdicts in
          byID.withUnsafeBufferPointer { byID in
            hits.order.withUnsafeBufferPointer { order in
              hits.kept.withUnsafeBufferPointer { kept in
                hits.verdict.withUnsafeBufferPointer { verdict in
                  let gather = UnsafeSendable(
                    Gather(
                      byID: byID, order: order, kept: kept, verdict: verdict, nodes: nodes, records: records,
                      verdicts: verdicts))
                  let n = byID.count
                  if n >= (parallelFrom ?? parallelRows) {
                    DispatchQueue.concurrentPerform(iterations: 2) { h in
                      gather.value.rows(h == 0 ? 0..<n / 2 : n / 2..<n)
                    }
                  } else {
                    gather.value.rows(0..<n)
                  }
                }
              }
            }
          }
        }
      }
    }
    let columns =
      hits.columns.isEmpty
      ? nil : nodes.map { (hits.columns[$0] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    result.setRows(nodes: nodes, verdicts: verdicts, records: records, texts: hits.texts, columns: columns)
    result.steps = hits.steps
    return result
  }

  /// Asks for the CSR rows the walk reads soon (see `UnsafeBufferPointer.prefetch(at:)`):
  /// the bucket's nodes are scattered over the graph, and their cache misses overlap
  /// when asked for ahead. Node `k + 16`'s offsets, then node `k + 8`'s readers (`k`
  /// from -16 asks for the first ones).
  @inline(__always) static func askForRows<Nodes: RandomAccessCollection<Int32>>(
    _ bucket: Nodes, after k: Int, _ offsets: UnsafeBufferPointer<Int32>, _ targets: UnsafeBufferPointer<Int32>
  ) where Nodes.Index == Int {
    if k + 16 >= 0 && k + 16 < bucket.count { offsets.prefetch(at: Int(bucket[k + 16])) }
    if k + 8 >= 0 && k + 8 < bucket.count { targets.prefetch(at: Int(offsets[Int(bucket[k + 8])])) }
  }

  /// The rows of a blast radius gathered in id order from the state of the nodes hit,
  /// in a loop of loads alone: nodes in id order are scattered over the per-node
  /// arrays, and loads that do not wait for one another wait for memory together.
  struct Gather {
    /// Positions in `order`, in id order.
    let byID: UnsafeBufferPointer<Int32>
    let order: UnsafeBufferPointer<Int32>
    let kept: UnsafeBufferPointer<ImpactResult.Record>
    let verdict: UnsafeBufferPointer<Verdict?>
    let nodes: UnsafeMutableBufferPointer<Int32>
    let records: UnsafeMutableBufferPointer<ImpactResult.Record>
    let verdicts: UnsafeMutableBufferPointer<Verdict>

    /// Fills rows `range`.
    func rows(_ range: Range<Int>) {
      for j in range {
        if j + 16 < range.upperBound {
          order.prefetch(at: Int(byID[j + 16]))
          kept.prefetch(at: Int(byID[j + 16]))
        }
        if j + 8 < range.upperBound { verdict.prefetch(at: Int(order[Int(byID[j + 8])])) }
        let k = Int(byID[j]), v = order[k]
        nodes[j] = v
        records[j] = kept[k]
        // Every node hit has a verdict.
        verdicts[j] = verdict[Int(v)] ?? .mayBreak
      }
    }
  }

  /// From how many nodes on a bucket of the bare walk is read on two cores.
  static let parallelBucket = 16_384
  /// From how many rows on the rows are gathered on two cores.
  static let parallelRows = 65_536

  /// The readers a bucket of the bare walk hits, found on two cores.
  ///
  /// Within a bucket every node hits its readers that no path reached before (with
  /// may-break: the changed product, the one that breaks its readers, is never in a
  /// bucket this reads), the first node in the bucket's order taking a reader read by
  /// several. Each half of the bucket is read on a core of its own, which claims each
  /// reader once in its own flags, in the order the sequential loop reads them; the
  /// first half's claims then come first, and the second half's that the first half
  /// did not claim: the readers, their parents and their order are the sequential
  /// loop's. The verdicts are only read meanwhile.
  struct ReaderClaims: ~Copyable {
    /// A reader and the bucket node that hits it.
    struct Claim {
      var reader: Int32
      var parent: Int32
    }
    private let nodeCount: Int
    /// Each half's flag per node (the first half's, then the second's), zero but
    /// during ``find(_:verdict:_:_:_:)``; allocated when a bucket is first long enough.
    private var flags: UnsafeMutableBufferPointer<UInt8>?

    init(nodeCount: Int) { self.nodeCount = nodeCount }

    deinit { flags?.deallocate() }

    /// The readers `bucket` hits, in the order hit, with their parents.
    mutating func find(
      _ bucket: [Int32], verdict: UnsafeBufferPointer<Verdict?>, _ offsets: UnsafeBufferPointer<Int32>,
      _ targets: UnsafeBufferPointer<Int32>, _ product: Int32
    ) -> [Claim] {
      let n = nodeCount
      let both: UnsafeMutableBufferPointer<UInt8>
      if let flags {
        both = flags
      } else {
        both = .allocate(capacity: 2 * n)
        both.initialize(repeating: 0)
        flags = both
      }
      let mid = bucket.count / 2
      var halves: [[Claim]] = [[], []]
      let shared = Shared(verdict: verdict, offsets: offsets, targets: targets, flags: both)
      bucket.withUnsafeBufferPointer { bucket in
        let nodes = UnsafeSendable(bucket)
        halves.withUnsafeMutableBufferPointer { out in
          let out = UnsafeSendable(out)
          DispatchQueue.concurrentPerform(iterations: 2) { h in
            let range = h == 0 ? 0..<mid : mid..<nodes.value.count
            out.value[h] = Self.claim(
              UnsafeBufferPointer(rebasing: nodes.value[range]), shared,
              own: UnsafeMutableBufferPointer(rebasing: shared.flags[h * n..<(h + 1) * n]), product)
          }
        }
      }
      var found = halves[0]
      found.reserveCapacity(halves[0].count + halves[1].count)
      for c in halves[1] where both[Int(c.reader)] == 0 { found.append(c) }
      // The flags are zero again for the next bucket.
      for c in halves[0] { both[Int(c.reader)] = 0 }
      for c in halves[1] { both[n + Int(c.reader)] = 0 }
      return found
    }

    /// The readers of `part` that no path reached before, each once, in the order
    /// read; `own` flags them.
    static func claim(
      _ part: UnsafeBufferPointer<Int32>, _ shared: Shared, own: UnsafeMutableBufferPointer<UInt8>, _ product: Int32
    ) -> [Claim] {
      let (verdict, offsets, targets) = (shared.verdict, shared.offsets, shared.targets)
      var out: [Claim] = []
      out.reserveCapacity(2 * part.count)
      for k in -16..<0 { askForRows(part, after: k, offsets, targets) }
      for (k, p) in part.enumerated() {
        askForRows(part, after: k, offsets, targets)
        if k + 4 < part.count {
          let q = Int(part[k + 4]), first = Int(offsets[q])
          for e in first..<min(Int(offsets[q + 1]), first + 16) { verdict.prefetch(at: Int(targets[e])) }
        }
        for e in Int(offsets[Int(p)])..<Int(offsets[Int(p) + 1]) {
          let reader = targets[e], r = Int(reader)
          if reader == product || verdict[r] != nil || own[r] != 0 { continue }
          own[r] = 1
          out.append(Claim(reader: reader, parent: p))
        }
      }
      return out
    }

    /// What both halves read (the verdicts only read), and the flags, each half
    /// writing its own.
    struct Shared: @unchecked Sendable {
      let verdict: UnsafeBufferPointer<Verdict?>
      let offsets: UnsafeBufferPointer<Int32>
      let targets: UnsafeBufferPointer<Int32>
      let flags: UnsafeMutableBufferPointer<UInt8>
    }
  }

  /// Hits the readers a bucket of the bare walk found (``ReaderClaims``), as the
  /// sequential loop would, in the same order: the `k`th reader's step, place in the
  /// order and record are the `k`th after those made before, and its path its parent's
  /// and itself; so each half of many is hit on a core of its own. Every parent was hit
  /// (has a path) already: a bucket without the changed product holds only nodes hit.
  static func hitClaimed(
    _ found: [ReaderClaims.Claim], onTwoCores: Bool, steps pathSteps: inout PathSteps,
    order hitOrder: inout [Int32], kept hitKept: inout [ImpactResult.Record],
    verdict: UnsafeMutableBufferPointer<Verdict?>, slot: UnsafeMutableBufferPointer<Int32>, buckets: inout Buckets
  ) {
    let n = found.count, stepBase = pathSteps.steps.count, orderBase = hitOrder.count
    hitOrder.append(contentsOf: repeatElement(0, count: n))
    hitKept.append(contentsOf: repeatElement(ImpactResult.Record(), count: n))
    var lengths = [Int32](repeating: 0, count: n)
    pathSteps.grow(by: n) { steps in
      hitOrder.withUnsafeMutableBufferPointer { order in
        hitKept.withUnsafeMutableBufferPointer { kept in
          lengths.withUnsafeMutableBufferPointer { lengths in
            found.withUnsafeBufferPointer { found in
              let w = ParallelHits(
                found: found, steps: steps, order: order, kept: kept, lengths: lengths, verdict: verdict, slot: slot)
              if onTwoCores {
                DispatchQueue.concurrentPerform(iterations: 2) { h in
                  w.hit(h == 0 ? 0..<n / 2 : n / 2..<n, stepBase: stepBase, orderBase: orderBase)
                }
              } else {
                w.hit(0..<n, stepBase: stepBase, orderBase: orderBase)
              }
            }
          }
        }
      }
    }
    for k in 0..<n { buckets.add(found[k].reader, length: Int(lengths[k])) }
  }

  /// The arrays ``hitClaimed(_:onTwoCores:steps:order:kept:verdict:slot:buckets:)``
  /// writes, each half its own elements (the new steps, places and records; the
  /// readers' state, a reader once).
  struct ParallelHits: @unchecked Sendable {
    let found: UnsafeBufferPointer<ReaderClaims.Claim>
    let steps: UnsafeMutableBufferPointer<PathSteps.Step>
    let order: UnsafeMutableBufferPointer<Int32>
    let kept: UnsafeMutableBufferPointer<ImpactResult.Record>
    let lengths: UnsafeMutableBufferPointer<Int32>
    let verdict: UnsafeMutableBufferPointer<Verdict?>
    let slot: UnsafeMutableBufferPointer<Int32>

    func hit(_ range: Range<Int>, stepBase: Int, orderBase: Int) {
      var none: [String] = []
      for k in range {
        if k + 16 < range.upperBound {
          let c = found[k + 16]
          verdict.prefetch(at: Int(c.reader))
          slot.prefetch(at: Int(c.reader))
          slot.prefetch(at: Int(c.parent))
        }
        let c = found[k], r = Int(c.reader), parentSlot = slot[Int(c.parent)]
        // The parent's path (`Hits.pathTo`): it was hit before this bucket.
        precondition(parentSlot >= 0, "a bucket's node was not hit")
        let from = kept[Int(parentSlot)].path
        let length = steps[Int(from)].length + 1
        let step = Int32(stepBase + k)
        steps[stepBase + k] = PathSteps.Step(node: c.reader, before: from, length: length)
        order[orderBase + k] = c.reader
        kept[orderBase + k] = ImpactResult.Record(path: step, reason: .readsColumnsUnknown(c.parent), texts: &none)
        verdict[r] = .mayBreak
        slot[r] = Int32(orderBase + k)
        lengths[k] = length
      }
    }
  }

  /// Nodes to visit, a list per path length, taken out shortest first.
  struct Buckets {
    private var lists: [[Int32]] = []
    /// The next length ``next()`` takes.
    private var length = 0

    /// Queues `v`, reached by a path of `length` nodes (at least the length taken last).
    mutating func add(_ v: Int32, length: Int) {
      while lists.count <= length { lists.append([]) }
      lists[length].append(v)
    }

    /// The nodes of the next length, taken out; nil when none is left.
    mutating func next() -> [Int32]? {
      guard length < lists.count else { return nil }
      let list = lists[length]
      lists[length] = []
      length += 1
      return list
    }
  }

  /// The nodes a change hits, dense per node (a retired hub reaches a third of a
  /// million readers): the verdict, the reason and the path of the first hit at that
  /// verdict, the columns named.
  struct Hits {
    /// The changed product, never hit itself.
    let product: Int32
    /// Every path's steps; ``root`` is the path of the changed product alone.
    var steps = PathSteps()
    let root: Int32
    var verdict: [Verdict?]
    /// Each hit node's path and reason, side by side, in the order first hit (a hit
    /// node's place is its ``slot``): a third of a million hits read a few megabytes
    /// rather than a record for every node of the graph.
    var kept: [ImpactResult.Record] = []
    /// Each node's place in ``order`` and ``kept``; -1 for a node not hit.
    var slot: [Int32]
    /// The reasons worded already; a record of kind 0 holds an index into them.
    var texts: [String] = []
    var columns: [Int32: Set<String>] = [:]
    /// The nodes hit, in the order first hit.
    var order: [Int32] = []

    init(product: Int32, nodeCount n: Int) {
      self.product = product
      root = steps.append(product, after: -1)
      verdict = [Verdict?](repeating: nil, count: n)
      slot = [Int32](repeating: -1, count: n)
      // Room for a hit of every node: the arrays are not copied as they grow (path
      // steps past one a node, from verdicts raised or column hops, still grow them),
      // and the pages not written are never touched.
      order.reserveCapacity(n)
      kept.reserveCapacity(n)
      steps.reserve(n + 1)
    }

    /// Hits `v` at `verdictHere`, unless it was hit as hard already; `path` is the path
    /// to the node that reaches `v`. The reason is made only for a hit that is kept.
    mutating func hit(
      _ v: Int32, _ verdictHere: Verdict, column: String?, reason: @autoclosure () -> ImpactResult.Reason,
      path: Int32
    ) {
      if v == product { return }
      if let old = verdict[Int(v)], old >= verdictHere {
        if let column, old == verdictHere { columns[v, default: []].insert(column) }
        return
      }
      verdict[Int(v)] = verdictHere
      let k = ImpactResult.Record(path: steps.append(v, after: path), reason: reason(), texts: &texts)
      if slot[Int(v)] < 0 {
        slot[Int(v)] = Int32(order.count)
        order.append(v)
        kept.append(k)
      } else {
        kept[Int(slot[Int(v)])] = k
      }
      if let column { columns[v, default: []].insert(column) }
    }

    /// The path to `p`, or product -> p when `p` was not hit.
    mutating func pathTo(_ p: Int32) -> Int32 {
      slot[Int(p)] >= 0 ? kept[Int(slot[Int(p)])].path : steps.append(p, after: root)
    }

    /// How many nodes the path to hit node `v` has.
    func pathLength(of v: Int32) -> Int { steps.length(of: kept[Int(slot[Int(v)])].path) }
  }
}

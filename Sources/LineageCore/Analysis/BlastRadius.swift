internal import Dispatch

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The blast radius of every node: how many nodes lie downstream of it (the node
/// itself not counted). Both methods work on the condensation, so cycles are fine:
/// the nodes of one strongly connected component reach each other.
public enum BlastRadius {
  /// Exact counts by a bitset DP over the components in reverse topological order:
  /// each component's set is the union of its successors' sets and its own
  /// members, one bit per node, numbered so that a component's set only needs the
  /// bits below its own. A set is freed once every component reading it is done.
  ///
  /// - Parameters:
  ///   - g: The graph (forward adjacency).
  ///   - scc: Its strongly connected components, when already computed.
  /// - Returns: Each node's count of downstream nodes, itself not counted.
  /// - Complexity: O(V · E / 64) word operations in the worst case; memory is the
  ///   widest frontier of live sets.
  public static func exact(_ g: CSR, components scc: StronglyConnectedComponents? = nil) -> [Int64] {
    let scc = scc ?? StronglyConnectedComponents(g)
    let n = g.nodeCount, c = scc.count
    guard n > 0 else { return [] }
    // Bit ranks: components in index order (sinks first), members consecutively.
    var start = [Int](repeating: 0, count: c + 1)
    for ci in 0..<c { start[ci + 1] = start[ci] + scc.members.degree(Int32(ci)) }
    // Each component's successors (deduplicated) and readers left.
    let cond = Condensation(g, scc)
    var readers = cond.readers
    // Each live set is stored from its lowest non-empty word: descendants found in one
    // depth-first descent have neighbouring ranks, so sets are narrow.
    var sets = [UnsafeMutablePointer<UInt64>?](repeating: nil, count: c)
    var width = [Int32](repeating: 0, count: c)
    var low = [Int32](repeating: 0, count: c)
    var count = [Int64](repeating: 0, count: c)
    defer { for p in sets { free(p) } }
    for ci in 0..<c {
      let successors = cond.succ[Int(cond.succOffsets[ci])..<Int(cond.succOffsets[ci + 1])]
      // The lowest word this set can touch.
      var lo = start[ci] >> 6
      for d in successors { lo = min(lo, Int(low[Int(d)])) }
      let hi = (start[ci + 1] + 63) >> 6, w = hi - lo
      // The widest successor read for the last time and starting at `lo` is taken over
      // and grown in place instead of copied into a fresh set.
      var taken = -1
      for d32 in successors {
        let d = Int(d32)
        if readers[d] == 1 && Int(low[d]) == lo && (taken < 0 || width[d] > width[taken]) { taken = d }
      }
      let s: UnsafeMutablePointer<UInt64>
      if taken >= 0 {
        let old = Int(width[taken])
        guard let grown = realloc(sets[taken], w * 8) else { fatalError("out of memory") }
        s = grown.assumingMemoryBound(to: UInt64.self)
        (s + old).initialize(repeating: 0, count: w - old)
        sets[taken] = nil
        readers[taken] = 0
      } else {
        guard let fresh = malloc(w * 8) else { fatalError("out of memory") }
        s = fresh.assumingMemoryBound(to: UInt64.self)
        s.initialize(repeating: 0, count: w)
      }
      for b in start[ci]..<start[ci + 1] { s[(b >> 6) - lo] |= 1 << UInt64(b & 63) }
      for d32 in successors where Int(d32) != taken {
        let d = Int(d32)
        guard let src = sets[d] else { preconditionFailure("a successor's set was released before its last reader") }
        let dst = s + (Int(low[d]) - lo)
        for k in 0..<Int(width[d]) { dst[k] |= src[k] }
        readers[d] -= 1
        if readers[d] == 0 {
          free(src)
          sets[d] = nil
        }
      }
      if taken >= 0 && successors.count == 1 {
        // Nothing else was added: the members are new bits above the taken set.
        count[ci] = count[taken] + Int64(start[ci + 1] - start[ci])
      } else {
        // No branch and a wrapping sum, so that the loop vectorises.
        var total = 0
        for k in 0..<w { total &+= s[k].nonzeroBitCount }
        count[ci] = Int64(total)
      }
      low[ci] = Int32(lo)
      width[ci] = Int32(w)
      if readers[ci] > 0 { sets[ci] = s } else { free(s) }
    }
    return (0..<n).map { count[Int(scc.component[$0])] - 1 }
  }

  /// Approximate counts by a HyperLogLog DP over the components in reverse
  /// topological order. Small sets are kept exactly, as sorted lists of up to
  /// `exactUpTo` nodes; a larger set becomes a sketch, the register-wise maximum of
  /// its successors' sketches and its members' hashes. `registers` (a power of two,
  /// 16 to 65536) trades memory for accuracy: the standard error is about
  /// 1.04 / sqrt(registers), 3.3 % at 1024; counts up to `exactUpTo` are exact.
  ///
  /// The registers are split over `threads` threads: each runs the whole DP in
  /// component order (which keeps the locality of the numbering) over its own slice
  /// of every sketch, and the slices' sums are added at the end.
  ///
  /// - Parameters:
  ///   - g: The graph (forward adjacency).
  ///   - m: Registers per sketch, a power of two from 16 to 65536.
  ///   - scc: Its strongly connected components, when already computed.
  ///   - limit: Sets up to this size are kept exactly.
  ///   - threads: Threads to split the registers over (at most 8).
  ///   - seed: The hash seed.
  /// - Returns: Each node's estimated count of downstream nodes, itself not counted.
  /// - Complexity: O(E · registers) byte operations at worst; memory is the widest
  ///   frontier of live sets.
  public static func approximate(
    _ g: CSR, registers m: Int = 1024, components scc: StronglyConnectedComponents? = nil,
    exactUpTo limit: Int = 256, threads: Int = 2, seed: UInt64 = 0x5EED
  ) -> [Int64] {
    precondition(m >= 16 && m <= 65536 && m & (m - 1) == 0, "registers must be a power of two from 16 to 65536")
    let scc = scc ?? StronglyConnectedComponents(g)
    let n = g.nodeCount, c = scc.count
    guard n > 0 else { return [] }
    let cond = Condensation(g, scc)
    let workers = max(1, min(threads, 8, m / 16))
    // Per slice: the exact count (or -1 for a sketch), and Σ 2^-register and the empty
    // registers of the slice, in fixed point.
    let exactCount = UnsafeMutablePointer<Int64>.allocate(capacity: c)
    let sums = UnsafeMutablePointer<UInt64>.allocate(capacity: c * workers)
    let zeros = UnsafeMutablePointer<Int32>.allocate(capacity: c * workers)
    defer {
      exactCount.deallocate()
      sums.deallocate()
      zeros.deallocate()
    }
    nonisolated(unsafe) let out = (exactCount: exactCount, sums: sums, zeros: zeros)
    let shared = (cond: cond, members: scc.members)
    let pass: @Sendable (Int) -> Void = { t in
      let lo = m * t / workers, width = m * (t + 1) / workers - lo
      slicePass(
        shared.cond, members: shared.members, registers: m, slice: lo, width: width, limit: limit, seed: seed,
        exactCount: t == 0 ? out.exactCount : nil, sums: out.sums + t * c, zeros: out.zeros + t * c)
    }
    if workers == 1 { pass(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: pass) }
    let alpha = m >= 128 ? 0.7213 / (1 + 1.079 / Double(m)) : (m == 64 ? 0.709 : (m == 32 ? 0.697 : 0.673))
    var count = [Int64](repeating: 0, count: c)
    for ci in 0..<c {
      if exactCount[ci] >= 0 {
        count[ci] = exactCount[ci]
        continue
      }
      var fixed: UInt64 = 0, empty = 0
      for t in 0..<workers {
        fixed &+= sums[t * c + ci]
        empty += Int(zeros[t * c + ci])
      }
      let sum = Double(fixed) / Double(UInt64(1) << 40)
      var estimate = alpha * Double(m) * Double(m) / sum
      if estimate <= 2.5 * Double(m), empty > 0 { estimate = Double(m) * log(Double(m) / Double(empty)) }
      count[ci] = max(Int64(limit + 1), Int64(estimate.rounded()))
    }
    return (0..<n).map { count[Int(scc.component[$0])] - 1 }
  }

  /// One slice of the HyperLogLog DP: registers `slice ..< slice + width` of every
  /// sketch, components in index order (sinks first), sets freed after their last
  /// reader. Every slice makes the same exact-or-sketch decisions.
  static func slicePass(
    _ cond: Condensation, members: CSR, registers m: Int, slice: Int, width: Int, limit: Int,
    seed: UInt64, exactCount: UnsafeMutablePointer<Int64>?, sums: UnsafeMutablePointer<UInt64>,
    zeros: UnsafeMutablePointer<Int32>
  ) {
    let c = cond.readers.count
    let p = m.trailingZeroBitCount
    var readers = cond.readers
    let arena = SketchArena(bytes: width)
    var sketch = [UnsafeMutablePointer<UInt8>?](repeating: nil, count: c)
    var exact = [[Int32]?](repeating: nil, count: c)
    var list: [Int32] = [], merged: [Int32] = []
    @inline(__always) func add(_ v: Int32, _ sk: UnsafeMutablePointer<UInt8>) {
      let h = mix(UInt64(UInt32(bitPattern: v)) &+ seed)
      let index = Int(h >> UInt64(64 - p)) - slice
      guard index >= 0 && index < width else { return }
      let rank = UInt8(min(64 - p, (h << UInt64(p)).leadingZeroBitCount) + 1)
      if sk[index] < rank { sk[index] = rank }
    }
    for ci in 0..<c {
      list.removeAll(keepingCapacity: true)
      list.append(contentsOf: members.neighbors(Int32(ci)))
      var mine: UnsafeMutablePointer<UInt8>?
      func toSketch() {
        let sk = arena.acquire()
        for v in list { add(v, sk) }
        list.removeAll(keepingCapacity: true)
        mine = sk
      }
      if list.count > limit { toSketch() }
      for e in Int(cond.succOffsets[ci])..<Int(cond.succOffsets[ci + 1]) {
        let d = Int(cond.succ[e])
        if let other = exact[d] {
          if let sk = mine {
            for x in other { add(x, sk) }
          } else {
            merged.removeAll(keepingCapacity: true)
            var i = 0, j = 0
            list.sort()
            while i < list.count || j < other.count {
              if j == other.count || (i < list.count && list[i] < other[j]) {
                merged.append(list[i]); i += 1
              } else if i == list.count || other[j] < list[i] {
                merged.append(other[j]); j += 1
              } else {
                merged.append(list[i]); i += 1; j += 1
              }
            }
            swap(&list, &merged)
            if list.count > limit { toSketch() }
          }
        } else if let src = sketch[d] {
          if mine == nil { toSketch() }
          guard let dst = mine else { preconditionFailure("toSketch() sets mine") }
          for r in 0..<width { dst[r] = max(dst[r], src[r]) }
        }
        readers[d] -= 1
        if readers[d] == 0 {
          if let sk = sketch[d] { arena.release(sk) }
          sketch[d] = nil
          exact[d] = nil
        }
      }
      if let sk = mine {
        exactCount?[ci] = -1
        var fixed: UInt64 = 0, empty: Int32 = 0
        for r in 0..<width {
          let x = UInt64(sk[r])
          fixed &+= 1 &<< (40 &- min(x, 40))
          empty &+= x == 0 ? 1 : 0
        }
        sums[ci] = fixed
        zeros[ci] = empty
        if readers[ci] > 0 { sketch[ci] = sk } else { arena.release(sk) }
      } else {
        exactCount?[ci] = Int64(list.count)
        if readers[ci] > 0 {
          list.sort()
          // A copy of its own size: storing `list` itself would keep its whole capacity
          // alive (and make the next `removeAll(keepingCapacity:)` allocate anew).
          exact[ci] = [Int32](unsafeUninitializedCapacity: list.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: list)
          }
        }
      }
    }
  }

  /// The natural logarithm, without Foundation.
  static func log(_ x: Double) -> Double {
    // ln(x) = 2 atanh((x-1)/(x+1)) after scaling x into [0.5, 1) by powers of two.
    guard x > 0 else { return -.infinity }
    var e = 0
    var y = x
    while y >= 1 { y /= 2; e += 1 }
    while y < 0.5 { y *= 2; e -= 1 }
    let t = (y - 1) / (y + 1), t2 = t * t
    var term = t, sum = 0.0
    var k = 1.0
    while k < 60 {
      sum += term / k
      term *= t2
      k += 2
    }
    return 2 * sum + Double(e) * 0.693_147_180_559_945_3
  }
}

internal import Dispatch

/// The blast radius of every node: how many nodes lie downstream of it (the node
/// itself not counted). Both methods work on the condensation, so cycles are fine:
/// the nodes of one strongly connected component reach each other.
public enum BlastRadius {
  /// Exact counts by a bitset DP over the components in reverse topological order:
  /// each component's set is the union of its successors' sets and its own
  /// members, one bit per node, numbered so that a component's set only needs the
  /// bits below its own. A set is freed once every component reading it is done.
  ///
  /// - Complexity: O(V · E / 64) word operations in the worst case; memory is the
  ///   widest frontier of live sets.
  public static func exact(_ g: CSR, components scc: StronglyConnectedComponents? = nil) -> [Int64] {
    let scc = scc ?? StronglyConnectedComponents(g)
    let n = g.nodeCount, c = scc.count
    guard n > 0 else { return [] }
    // Bit ranks: components in index order (sinks first), members consecutively.
    var start = [Int](repeating: 0, count: c + 1)
    for ci in 0..<c { start[ci + 1] = start[ci] + scc.members.degree(Int32(ci)) }
    // Readers left per component (edges from other components).
    var readers = [Int32](repeating: 0, count: c)
    var stamp = [Int32](repeating: -1, count: c)
    for ci in 0..<c {
      for v in scc.members.neighbors(Int32(ci)) {
        for w in g.neighbors(v) {
          let d = Int(scc.component[Int(w)])
          if d != ci && stamp[d] != Int32(ci) {
            stamp[d] = Int32(ci)
            readers[d] += 1
          }
        }
      }
    }
    for i in stamp.indices { stamp[i] = -1 }
    // Each live set is stored from its lowest non-empty word: descendants found in one
    // depth-first descent have neighbouring ranks, so sets are narrow.
    var sets = [[UInt64]?](repeating: nil, count: c)
    var low = [Int32](repeating: 0, count: c)
    var count = [Int64](repeating: 0, count: c)
    for ci in 0..<c {
      // The lowest word this set can touch.
      var lo = start[ci] >> 6
      for v in scc.members.neighbors(Int32(ci)) {
        for w in g.neighbors(v) {
          let d = Int(scc.component[Int(w)])
          if d != ci { lo = min(lo, Int(low[d])) }
        }
      }
      let hi = (start[ci + 1] + 63) >> 6
      var set = [UInt64](repeating: 0, count: hi - lo)
      set.withUnsafeMutableBufferPointer { s in
        for b in start[ci]..<start[ci + 1] { s[(b >> 6) - lo] |= 1 << UInt64(b & 63) }
        for v in scc.members.neighbors(Int32(ci)) {
          for w in g.neighbors(v) {
            let d = Int(scc.component[Int(w)])
            guard d != ci, stamp[d] != Int32(ci) else { continue }
            stamp[d] = Int32(ci)
            let offset = Int(low[d]) - lo
            sets[d]!.withUnsafeBufferPointer { other in
              let dst = s.baseAddress! + offset
              for k in 0..<other.count { dst[k] |= other[k] }
            }
            readers[d] -= 1
            if readers[d] == 0 { sets[d] = nil }
          }
        }
        var total = 0
        for k in 0..<s.count where s[k] != 0 { total += s[k].nonzeroBitCount }
        count[ci] = Int64(total)
      }
      low[ci] = Int32(lo)
      if readers[ci] > 0 { sets[ci] = set }
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
  /// Components of one level (equal longest distance to a sink) do not read each
  /// other, so each level is split over `threads` threads.
  ///
  /// - Complexity: O(E · registers) byte operations at worst; memory is the widest
  ///   frontier of live sets.
  public static func approximate(_ g: CSR, registers m: Int = 1024, components scc: StronglyConnectedComponents? = nil,
                                 exactUpTo limit: Int = 256, threads: Int = 2, seed: UInt64 = 0x5EED) -> [Int64] {
    precondition(m >= 16 && m <= 65536 && m & (m - 1) == 0, "registers must be a power of two from 16 to 65536")
    let scc = scc ?? StronglyConnectedComponents(g)
    let n = g.nodeCount, c = scc.count
    guard n > 0 else { return [] }
    let p = m.trailingZeroBitCount
    let cond = Condensation(g, scc)
    var readers = cond.readers
    let levels = cond.levels, levelStart = cond.levelStart, byLevel = cond.byLevel
    let succOffsets = cond.succOffsets, succ = cond.succ
    let alpha = m >= 128 ? 0.7213 / (1 + 1.079 / Double(m)) : (m == 64 ? 0.709 : (m == 32 ? 0.697 : 0.673))
    // Per component: its sketch (a pointer into a thread's arena) or its exact list.
    let sketch = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: c)
    sketch.initialize(repeating: nil, count: c)
    let owner = UnsafeMutablePointer<Int8>.allocate(capacity: c)
    let exact = UnsafeMutablePointer<[Int32]?>.allocate(capacity: c)
    exact.initialize(repeating: nil, count: c)
    let count = UnsafeMutablePointer<Int64>.allocate(capacity: c)
    defer {
      sketch.deallocate()
      owner.deallocate()
      exact.deinitialize(count: c)
      exact.deallocate()
      count.deallocate()
    }
    let workers = max(1, min(threads, 8))
    let arenas = (0..<workers).map { _ in SketchArena(bytes: m) }
    nonisolated(unsafe) let shared = (sketch: sketch, owner: owner, exact: exact, count: count)
    nonisolated(unsafe) let graph = (members: scc.members, succOffsets: succOffsets, succ: succ, byLevel: byLevel)

    for l in 0..<levels {
      let lo = levelStart[l], hi = levelStart[l + 1]
      let parts = hi - lo >= 512 ? workers : 1
      let work: @Sendable (Int) -> Void = { (t: Int) in
        let arena = arenas[t]
        var list: [Int32] = [], merged: [Int32] = []
        for k in lo + (hi - lo) * t / parts..<lo + (hi - lo) * (t + 1) / parts {
          let ci = Int(graph.byLevel[k])
          list.removeAll(keepingCapacity: true)
          list.append(contentsOf: graph.members.neighbors(Int32(ci)))
          var mine: UnsafeMutablePointer<UInt8>?
          func add(_ v: Int32, _ sk: UnsafeMutablePointer<UInt8>) {
            let h = mix(UInt64(UInt32(bitPattern: v)) &+ seed)
            let index = Int(h >> UInt64(64 - p))
            let rank = UInt8(min(64 - p, (h << UInt64(p)).leadingZeroBitCount) + 1)
            if sk[index] < rank { sk[index] = rank }
          }
          func toSketch() {
            let sk = arena.acquire()
            for v in list { add(v, sk) }
            list.removeAll(keepingCapacity: true)
            mine = sk
          }
          if list.count > limit { toSketch() }
          for e in Int(graph.succOffsets[ci])..<Int(graph.succOffsets[ci + 1]) {
            let d = Int(graph.succ[e])
            if let other = shared.exact[d] {
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
            } else if let src = shared.sketch[d] {
              if mine == nil { toSketch() }
              let dst = mine!
              for r in 0..<m { dst[r] = max(dst[r], src[r]) }
            }
          }
          guard let sk = mine else {
            shared.count[ci] = Int64(list.count)
            list.sort()
            shared.exact[ci] = list
            continue
          }
          // Σ 2^-register in fixed point (2^-40 resolution: far below the estimate's
          // error), and the empty registers; integer arithmetic, no table, no branch.
          var fixed: UInt64 = 0, zeros = 0
          for r in 0..<m {
            let x = UInt64(sk[r])
            fixed &+= 1 &<< (40 &- min(x, 40))
            zeros &+= x == 0 ? 1 : 0
          }
          let sum = Double(fixed) / Double(UInt64(1) << 40)
          var estimate = alpha * Double(m) * Double(m) / sum
          if estimate <= 2.5 * Double(m), zeros > 0 {
            estimate = Double(m) * log(Double(m) / Double(zeros))
          }
          shared.count[ci] = max(Int64(limit + 1), Int64(estimate.rounded()))
          shared.sketch[ci] = sk
          shared.owner[ci] = Int8(t)
        }
      }
      if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
      // Free what no later level reads: the successors whose last reader was here,
      // and sets nobody reads.
      for k in lo..<hi {
        let ci = Int(byLevel[k])
        for e in Int(succOffsets[ci])..<Int(succOffsets[ci + 1]) {
          let d = Int(succ[e])
          readers[d] -= 1
          if readers[d] == 0 { release(d) }
        }
        if readers[ci] == 0 { release(ci) }
      }
      func release(_ d: Int) {
        if let sk = sketch[d] { arenas[Int(owner[d])].release(sk) }
        sketch[d] = nil
        exact[d] = nil
      }
    }
    return (0..<n).map { count[Int(scc.component[$0])] - 1 }
  }

  @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
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

/// Sketch buffers of one thread: fixed chunks that never move, so other threads may
/// read a finished sketch while this one allocates more.
final class SketchArena: @unchecked Sendable {
  let bytes: Int
  var chunks: [UnsafeMutablePointer<UInt8>] = []
  var free: [UnsafeMutablePointer<UInt8>] = []
  var used = 0
  static let perChunk = 1024

  init(bytes: Int) { self.bytes = bytes }

  func acquire() -> UnsafeMutablePointer<UInt8> {
    if let p = free.popLast() {
      p.update(repeating: 0, count: bytes)
      return p
    }
    if used % Self.perChunk == 0 {
      let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes * Self.perChunk)
      chunks.append(chunk)
    }
    let p = chunks[chunks.count - 1] + (used % Self.perChunk) * bytes
    p.initialize(repeating: 0, count: bytes)
    used += 1
    return p
  }

  func release(_ p: UnsafeMutablePointer<UInt8>) { free.append(p) }

  deinit { for c in chunks { c.deallocate() } }
}

/// The condensation of a graph as the blast-radius DPs need it: each component's
/// successor components (deduplicated), how many components read each, and the
/// components grouped by level (longest distance to a sink), lowest first.
struct Condensation: Sendable {
  var succOffsets: [Int32]
  var succ: [Int32]
  var readers: [Int32]
  var levels: Int
  var levelStart: [Int]
  var byLevel: [Int32]

  init(_ g: CSR, _ scc: StronglyConnectedComponents) {
    let c = scc.count
    var succOffsets = [Int32](repeating: 0, count: c + 1)
    var succ: [Int32] = []
    var readers = [Int32](repeating: 0, count: c)
    var level = [Int32](repeating: 0, count: c)
    var stamp = [Int32](repeating: -1, count: c)
    // Components are numbered sinks first: a component's successors come before it.
    for ci in 0..<c {
      var height: Int32 = 0
      for v in scc.members.neighbors(Int32(ci)) {
        for w in g.neighbors(v) {
          let d = Int(scc.component[Int(w)])
          if d != ci && stamp[d] != Int32(ci) {
            stamp[d] = Int32(ci)
            readers[d] += 1
            succ.append(Int32(d))
            height = max(height, level[d] + 1)
          }
        }
      }
      level[ci] = height
      succOffsets[ci + 1] = Int32(succ.count)
    }
    let levels = c == 0 ? 0 : Int(level.max() ?? 0) + 1
    var levelStart = [Int](repeating: 0, count: levels + 1)
    for l in level { levelStart[Int(l) + 1] += 1 }
    for i in 0..<levels { levelStart[i + 1] += levelStart[i] }
    var byLevel = [Int32](repeating: 0, count: c)
    var fill = levelStart
    for ci in 0..<c {
      byLevel[fill[Int(level[ci])]] = Int32(ci)
      fill[Int(level[ci])] += 1
    }
    self.succOffsets = succOffsets
    self.succ = succ
    self.readers = readers
    self.levels = levels
    self.levelStart = levelStart
    self.byLevel = byLevel
  }
}

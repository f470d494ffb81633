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
        for k in 0..<s.count { total += s[k].nonzeroBitCount }
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
  /// - Complexity: O(E · registers) byte operations at worst; memory is the widest
  ///   frontier of live sets.
  public static func approximate(_ g: CSR, registers m: Int = 1024, components scc: StronglyConnectedComponents? = nil,
                                 exactUpTo limit: Int = 256, seed: UInt64 = 0x5EED) -> [Int64] {
    precondition(m >= 16 && m <= 65536 && m & (m - 1) == 0, "registers must be a power of two from 16 to 65536")
    let scc = scc ?? StronglyConnectedComponents(g)
    let n = g.nodeCount, c = scc.count
    guard n > 0 else { return [] }
    let p = m.trailingZeroBitCount
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
    // Sketches live in one pool of m-byte slots, reused once freed.
    var pool = [UInt8]()
    var freeSlots: [Int32] = []
    var slot = [Int32](repeating: -1, count: c)  // the sketch of a live component, or -1
    var exact = [[Int32]?](repeating: nil, count: c)  // the exact set of a live component
    var slots = 0
    func acquire() -> Int32 {
      if let s = freeSlots.popLast() {
        pool.withUnsafeMutableBufferPointer { buf in
          for k in Int(s) * m..<(Int(s) + 1) * m { buf[k] = 0 }
        }
        return s
      }
      pool.append(contentsOf: repeatElement(0, count: m))
      slots += 1
      return Int32(slots - 1)
    }
    @inline(__always) func add(_ v: Int32, to base: Int, _ buf: UnsafeMutableBufferPointer<UInt8>) {
      let h = mix(UInt64(UInt32(bitPattern: v)) &+ seed)
      let index = Int(h >> UInt64(64 - p))
      let rank = UInt8(min(64 - p, (h << UInt64(p)).leadingZeroBitCount) + 1)
      if buf[base + index] < rank { buf[base + index] = rank }
    }
    let inverse = (0..<66).map { r -> Double in
      var x = 1.0
      for _ in 0..<r { x *= 0.5 }
      return x
    }
    let alpha = m >= 128 ? 0.7213 / (1 + 1.079 / Double(m)) : (m == 64 ? 0.709 : (m == 32 ? 0.697 : 0.673))
    var count = [Int64](repeating: 0, count: c)
    var list: [Int32] = [], merged: [Int32] = []
    for ci in 0..<c {
      // Start exact with the component's own members.
      list.removeAll(keepingCapacity: true)
      list.append(contentsOf: scc.members.neighbors(Int32(ci)))
      var mine: Int32 = -1  // a sketch slot once the set outgrows the list
      func toSketch() {
        mine = acquire()
        let base = Int(mine) * m
        pool.withUnsafeMutableBufferPointer { buf in for v in list { add(v, to: base, buf) } }
        list.removeAll(keepingCapacity: true)
      }
      if list.count > limit { toSketch() }
      for v in scc.members.neighbors(Int32(ci)) {
        for w in g.neighbors(v) {
          let d = Int(scc.component[Int(w)])
          guard d != ci, stamp[d] != Int32(ci) else { continue }
          stamp[d] = Int32(ci)
          if let other = exact[d] {
            if mine >= 0 {
              let base = Int(mine) * m
              pool.withUnsafeMutableBufferPointer { buf in for x in other { add(x, to: base, buf) } }
            } else {
              // Union of two sorted lists.
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
          } else {
            if mine < 0 { toSketch() }
            let base = Int(mine) * m, from = Int(slot[d]) * m
            pool.withUnsafeMutableBufferPointer { buf in
              let dst = buf.baseAddress! + base, src = UnsafePointer(buf.baseAddress! + from)
              for k in 0..<m { dst[k] = max(dst[k], src[k]) }
            }
          }
          readers[d] -= 1
          if readers[d] == 0 {
            exact[d] = nil
            if slot[d] >= 0 { freeSlots.append(slot[d]) }
            slot[d] = -1
          }
        }
      }
      if mine < 0 {
        count[ci] = Int64(list.count)
        if readers[ci] > 0 {
          list.sort()
          exact[ci] = list
        }
        continue
      }
      var sum = 0.0, zeros = 0
      pool.withUnsafeBufferPointer { buf in
        var histogram = [Int](repeating: 0, count: 66)
        for k in Int(mine) * m..<(Int(mine) + 1) * m { histogram[Int(buf[k])] += 1 }
        zeros = histogram[0]
        for (r, h) in histogram.enumerated() where h > 0 { sum += Double(h) * inverse[r] }
      }
      var estimate = alpha * Double(m) * Double(m) / sum
      if estimate <= 2.5 * Double(m), zeros > 0 {
        estimate = Double(m) * log(Double(m) / Double(zeros))
      }
      count[ci] = max(Int64(limit + 1), Int64(estimate.rounded()))
      if readers[ci] > 0 { slot[ci] = mine } else { freeSlots.append(mine) }
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

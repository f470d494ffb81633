internal import Dispatch

/// Byte order without comparing strings: each string's first 16 bytes are read once
/// into two big-endian words, so that most comparisons are two integer comparisons;
/// only strings that share their first 16 bytes compare the rest, from the arena.
extension Interner {
  /// A sort key: the first 16 bytes of a string as two big-endian words (zero-padded),
  /// and the position it sorts.
  @usableFromInline struct OrderKey {
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64
    @usableFromInline var position: Int32
    @usableFromInline var index: Int32

    @inlinable init(high: UInt64, low: UInt64, position: Int32, index: Int32) {
      self.high = high
      self.low = low
      self.position = position
      self.index = index
    }
  }

  /// From this many strings on, ``orderByBytes(_:)`` sorts on two cores.
  static let parallelOrder = 1 << 15

  /// Up to 8 bytes from `p`, big-endian, zero-padded on the right.
  @inlinable static func bigEndianWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    if n >= 8 { return UInt64(bigEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) }
    var w: UInt64 = 0
    for k in 0..<n { w |= UInt64(p[k]) << UInt64(56 - 8 * k) }
    return w
  }

  /// The positions of `indices` in the byte order of their strings: `indices[result[0]]`
  /// has the first string. Equal strings (the same index twice) keep no particular order.
  ///
  /// - Parameter indices: Indices of interned strings.
  /// - Returns: Positions into `indices`, in the strings' byte order.
  /// - Complexity: O(n log n) comparisons of two words each; strings sharing their
  ///   first 16 bytes compare the rest.
  public func orderByBytes(_ indices: [Int32]) -> [Int32] { orderByBytes(indices, cores: 2) }

  /// ``orderByBytes(_:)`` on one core, or on two (halves sorted side by side, then
  /// merged) for long lists.
  func orderByBytes(_ indices: [Int32], cores: Int) -> [Int32] {
    let n = indices.count
    if n == 0 { return [] }
    return arena.withUnsafeBufferPointer { a in
      starts.withUnsafeBufferPointer { st in
        lengths.withUnsafeBufferPointer { ln in
          guard let base = a.baseAddress else { return Array(0..<Int32(n)) }
          var keys = [OrderKey]()
          keys.reserveCapacity(n)
          for (position, i) in indices.enumerated() {
            let s = st[Int(i)], len = Int(ln[Int(i)])
            let high = Self.bigEndianWord(base + s, min(len, 8))
            let low = len > 8 ? Self.bigEndianWord(base + s + 8, min(len - 8, 8)) : 0
            keys.append(OrderKey(high: high, low: low, position: Int32(position), index: i))
          }
          func before(_ x: OrderKey, _ y: OrderKey) -> Bool {
            if x.high != y.high { return x.high < y.high }
            if x.low != y.low { return x.low < y.low }
            // The first 16 bytes are equal (a shorter string padded with zeros is a prefix
            // of the other): compare the rest, then the lengths.
            let lx = Int(ln[Int(x.index)]), ly = Int(ln[Int(y.index)])
            if lx > 16 && ly > 16 {
              let px = base + st[Int(x.index)], py = base + st[Int(y.index)]
              var k = 16
              let end = min(lx, ly)
              while k < end {
                if px[k] != py[k] { return px[k] < py[k] }
                k += 1
              }
            }
            return lx < ly
          }
          guard n >= Self.parallelOrder, cores > 1 else {
            keys.sort(by: before)
            return keys.map(\.position)
          }
          // Two halves sorted on two cores, then merged.
          let mid = n / 2
          keys.withUnsafeMutableBufferPointer { k in
            // Each half is sorted by one worker, in place; the order reads only the arena.
            let halves = UnsafeSendable((keys: k, before: before))
            DispatchQueue.concurrentPerform(iterations: 2) { half in
              var part = UnsafeMutableBufferPointer(rebasing: halves.value.keys[half == 0 ? 0..<mid : mid..<n])
              part.sort(by: halves.value.before)
            }
          }
          var order = [Int32]()
          order.reserveCapacity(n)
          var i = 0, j = mid
          while i < mid && j < n {
            if before(keys[j], keys[i]) {
              order.append(keys[j].position)
              j += 1
            } else {
              order.append(keys[i].position)
              i += 1
            }
          }
          for r in i..<mid { order.append(keys[r].position) }
          for r in j..<n { order.append(keys[r].position) }
          return order
        }
      }
    }
  }

  /// Sorts indices by their strings' byte order, in place (``orderByBytes(_:)``).
  ///
  /// - Parameter indices: Indices of interned strings, sorted in place.
  public func sortByBytes(_ indices: inout [Int32]) {
    let order = orderByBytes(indices)
    indices = order.map { indices[Int($0)] }
  }

  /// The rank of every string in byte order: `result[i]` is the number of strings that
  /// sort before string `i`.
  ///
  /// - Returns: One rank per string, a permutation of `0..<count`.
  /// - Complexity: O(n log n), as ``orderByBytes(_:)``.
  public func byteOrderRanks() -> [Int32] { byteOrderRanks(cores: 2) }

  /// ``byteOrderRanks()`` on `cores` cores (one, when another core has other work).
  func byteOrderRanks(cores: Int) -> [Int32] {
    let order = orderByBytes(Array(0..<Int32(count)), cores: cores)
    var rank = [Int32](repeating: 0, count: count)
    for (r, i) in order.enumerated() { rank[Int(i)] = Int32(r) }
    return rank
  }
}

/// The byte-order ranks of a table's strings (``Interner/byteOrderRanks()``), sorted on
/// another thread while the caller does other work.
final class RankedIDs: @unchecked Sendable {
  // Written by the sorting thread before `done` is signalled, read after the wait.
  private var ranks: [Int32] = []
  private let done = DispatchSemaphore(value: 0)

  /// Starts sorting the strings of `ids` on one core.
  init(_ ids: Interner) {
    DispatchQueue.global().async { [self] in
      ranks = ids.byteOrderRanks(cores: 1)
      done.signal()
    }
  }

  /// Waits for the ranks.
  func wait() -> [Int32] {
    done.wait()
    return ranks
  }
}

/// A set of store sequence numbers, kept as sorted, disjoint runs of consecutive
/// numbers: the numbers a store hands out are nearly consecutive, so the set holds a
/// few runs however many numbers it has (memory follows the gaps, not the events).
struct SequenceSet: Sendable, Equatable {
  /// The runs, in order; no two touch or overlap.
  private(set) var runs: [ClosedRange<Int64>] = []

  /// Adds `n`.
  ///
  /// - Returns: Whether it was new.
  /// - Complexity: O(1) for a number at or past the greatest; O(runs) otherwise.
  mutating func insert(_ n: Int64) -> Bool {
    // The run that starts after n, by binary search (the last one, most often).
    var lo = 0
    var hi = runs.count
    if let last = runs.last, last.lowerBound <= n { lo = runs.count - 1 }
    while lo < hi {
      let mid = (lo + hi) / 2
      if runs[mid].lowerBound <= n { lo = mid + 1 } else { hi = mid }
    }
    // runs[lo - 1] starts at or before n; runs[lo] after it.
    let before = lo > 0 ? runs[lo - 1] : nil
    if let b = before, b.contains(n) { return false }
    let joinsBefore = before.map { $0.upperBound < n && $0.upperBound &+ 1 == n } ?? false
    let joinsAfter = lo < runs.count && runs[lo].lowerBound > n && n &+ 1 == runs[lo].lowerBound
    switch (joinsBefore, joinsAfter) {
    case (true, true):
      runs[lo - 1] = runs[lo - 1].lowerBound...runs[lo].upperBound
      runs.remove(at: lo)
    case (true, false): runs[lo - 1] = runs[lo - 1].lowerBound...n
    case (false, true): runs[lo] = n...runs[lo].upperBound
    case (false, false): runs.insert(n...n, at: lo)
    }
    return true
  }

  /// Whether `n` is in the set.
  func contains(_ n: Int64) -> Bool {
    var lo = 0
    var hi = runs.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if runs[mid].lowerBound <= n { lo = mid + 1 } else { hi = mid }
    }
    return lo > 0 && runs[lo - 1].contains(n)
  }
}

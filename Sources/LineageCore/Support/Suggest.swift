/// "Did you mean ...?" suggestions by edit distance.
public enum Suggest {
  /// The candidate closest to `word` by Damerau–Levenshtein distance (optimal string
  /// alignment), if it is close enough to be a plausible typo: at most a third of the
  /// word's length, and never more than 3 edits. Ties go to the smaller candidate.
  ///
  /// - Parameters:
  ///   - word: The misspelt word.
  ///   - candidates: The known words.
  /// - Returns: The closest candidate within the edit limit, or nil.
  /// - Complexity: O(c · m · k) for the `c` candidates whose length is within the
  ///   limit `k` of the word's `m`; the others are not visited. Many searches over the
  ///   same candidates should share one ``Index``.
  public static func closest<S: Sequence>(to word: String, in candidates: S) -> String?
  where S.Element == String {
    Index(candidates).closest(to: word)
  }

  /// A " (did you mean X?)"-style hint, or nil.
  ///
  /// - Parameters:
  ///   - word: The misspelt word.
  ///   - candidates: The known words.
  /// - Returns: "did you mean ...?", or nil.
  public static func hint<S: Sequence>(for word: String, in candidates: S) -> String?
  where S.Element == String {
    closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
  }

  /// Candidates prepared once for many searches (the node ids of a mesh, say):
  /// decoded to Unicode scalars and sorted by length, so that a search visits only the
  /// candidates whose length is within the edit limit of the word.
  public struct Index: Sendable {
    /// Every candidate's scalars, back to back.
    var scalars: [UInt32] = []
    /// Per candidate, sorted by (length, name): where its scalars start, their count,
    /// and the candidate itself.
    var entries: [(start: Int, count: Int, name: String)] = []

    /// Indexes the candidates by length once.
    ///
    /// - Parameter candidates: The known words.
    public init<S: Sequence>(_ candidates: S) where S.Element == String {
      for name in candidates {
        let start = scalars.count
        for u in name.unicodeScalars { scalars.append(u.value) }
        entries.append((start, scalars.count - start, name))
      }
      entries.sort { ($0.count, $0.name) < ($1.count, $1.name) }
    }

    /// The closest candidate to `word`, as ``Suggest/closest(to:in:)`` defines it.
    ///
    /// - Parameter word: The misspelt word.
    /// - Returns: The closest candidate within the edit limit, or nil.
    public func closest(to word: String) -> String? {
      let w = word.unicodeScalars.map(\.value)
      let limit = Swift.min(3, Swift.max(1, w.count / 3))
      // The first candidate at least `w.count - limit` long.
      var lo = 0, hi = entries.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if entries[mid].count < w.count - limit { lo = mid + 1 } else { hi = mid }
      }
      var best: (distance: Int, name: String)?
      var rows = Rows()
      scalars.withUnsafeBufferPointer { all in
        for e in entries[lo...] {
          if e.count > w.count + limit { break }
          if e.name == word { continue }
          // Only a distance up to the best so far can still win (ties go to the smaller).
          let candidate = UnsafeBufferPointer(rebasing: all[e.start..<e.start + e.count])
          guard let d = distance(w, candidate, bound: best?.distance ?? limit, &rows) else { continue }
          if let b = best, d > b.distance || (d == b.distance && !(e.name < b.name)) { continue }
          best = (d, e.name)
        }
      }
      return best?.name
    }

    /// A "did you mean X?" hint, or nil.
    ///
    /// - Parameter word: The misspelt word.
    /// - Returns: "did you mean ...?", or nil.
    public func hint(for word: String) -> String? { closest(to: word).map { "did you mean '\($0)'?" } }
  }

  /// The three rows of the distance table, reused from one candidate to the next.
  struct Rows {
    var prev2: [Int] = [], prev: [Int] = [], cur: [Int] = []
  }

  /// The optimal-string-alignment distance of `a` and `b`, or nil when it exceeds
  /// `bound`. Only the band of cells within `bound` of the diagonal is computed (any
  /// cell outside it is over the bound), and the search stops once two consecutive
  /// rows are over the bound: an alignment passes through at least one of any two
  /// rows, since a transposition skips only one.
  static func distance(_ a: [UInt32], _ b: UnsafeBufferPointer<UInt32>, bound: Int, _ rows: inout Rows) -> Int? {
    let m = a.count, n = b.count
    guard abs(m - n) <= bound else { return nil }
    if m == 0 || n == 0 { return Swift.max(m, n) }
    let over = bound + 1
    for r in [\Rows.prev2, \Rows.prev, \Rows.cur] where rows[keyPath: r].count < n + 1 {
      rows[keyPath: r] = [Int](repeating: over, count: n + 1)
    }
    for j in 0...n { rows.prev[j] = Swift.min(j, over) }
    var previousMin = 0
    for i in 1...m {
      let lo = Swift.max(1, i - bound), hi = Swift.min(n, i + bound)
      rows.cur[lo - 1] = lo == 1 ? Swift.min(i, over) : over
      var rowMin = rows.cur[lo - 1]
      for j in lo...hi {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var v = Swift.min(rows.prev[j] + 1, rows.cur[j - 1] + 1, rows.prev[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = Swift.min(v, rows.prev2[j - 2] + 1) }
        v = Swift.min(v, over)
        rows.cur[j] = v
        rowMin = Swift.min(rowMin, v)
      }
      if hi < n { rows.cur[hi + 1] = over }
      if rowMin > bound && previousMin > bound { return nil }
      previousMin = rowMin
      swap(&rows.prev2, &rows.prev)
      swap(&rows.prev, &rows.cur)
    }
    let d = rows.prev[n]
    return d <= bound ? d : nil
  }
}

/// "Did you mean ...?" suggestions by edit distance.
public enum Suggest {
  /// The candidate closest to `word` by Damerau–Levenshtein distance (optimal string
  /// alignment), if it is close enough to be a plausible typo: at most a third of the
  /// word's length, and never more than 3 edits. Ties go to the smaller candidate.
  ///
  /// - Complexity: O(c · m · n) for `c` candidates; candidates whose length differs
  ///   by more than the limit are skipped without comparison.
  public static func closest<S: Sequence>(to word: String, in candidates: S) -> String?
  where S.Element == String {
    let w = Array(word.unicodeScalars)
    let limit = Swift.min(3, Swift.max(1, w.count / 3))
    var best: (distance: Int, candidate: String)?
    var prev = [Int](), prev2 = [Int](), cur = [Int]()
    for candidate in candidates where candidate != word {
      let c = Array(candidate.unicodeScalars)
      if abs(c.count - w.count) > limit { continue }
      let d = distance(w, c, &prev, &prev2, &cur)
      if d > limit { continue }
      if let b = best, d > b.distance || (d == b.distance && !(candidate < b.candidate)) { continue }
      best = (d, candidate)
    }
    return best?.candidate
  }

  /// A " (did you mean X?)"-style hint, or nil.
  public static func hint<S: Sequence>(for word: String, in candidates: S) -> String?
  where S.Element == String {
    closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
  }

  static func distance(
    _ a: [Unicode.Scalar], _ b: [Unicode.Scalar], _ prev: inout [Int], _ prev2: inout [Int],
    _ cur: inout [Int]
  ) -> Int {
    let n = b.count
    if a.isEmpty { return n }
    if n == 0 { return a.count }
    prev = Array(0...n)
    prev2 = [Int](repeating: 0, count: n + 1)
    cur = [Int](repeating: 0, count: n + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...n {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var v = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = Swift.min(v, prev2[j - 2] + 1) }
        cur[j] = v
      }
      swap(&prev2, &prev)
      swap(&prev, &cur)
    }
    return prev[n]
  }
}

/// Shell-style wildcard matching: `*` matches any run of characters, `?` one character.
public enum Glob {
  /// True when the pattern holds a wildcard character.
  public static func isPattern(_ s: String) -> Bool { s.utf8.contains { $0 == 42 || $0 == 63 } }

  /// Matches `text` against `pattern` over UTF-8 bytes, iteratively (no recursion).
  ///
  /// - Complexity: O(p · t) in the worst case, linear for typical patterns.
  public static func matches(_ pattern: String, _ text: String) -> Bool {
    var p = pattern, t = text
    return p.withUTF8 { pb in t.withUTF8 { tb in matches(pb, tb) } }
  }

  /// Byte-level form of ``matches(_:_:)-(String,String)``.
  public static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
    var pi = 0, ti = 0
    var star = -1, mark = 0
    while ti < t.count {
      if pi < p.count, p[pi] == 63 || p[pi] == t[ti], p[pi] != 42 {
        // '?' matches one byte; keep a multi-byte scalar together.
        if p[pi] == 63 {
          ti += 1
          while ti < t.count, t[ti] & 0xC0 == 0x80 { ti += 1 }
        } else {
          ti += 1
        }
        pi += 1
      } else if pi < p.count, p[pi] == 42 {
        star = pi
        mark = ti
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        ti = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == 42 { pi += 1 }
    return pi == p.count
  }
}

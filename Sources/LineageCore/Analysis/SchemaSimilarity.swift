/// Finds pairs of schemas whose column names overlap heavily, in near-linear time:
/// MinHash signatures of each schema's normalised column names, banded into
/// locality-sensitive hash buckets (LSH), and the exact Jaccard similarity of every
/// candidate pair. Items of the same group (domain) are never paired.
///
/// Pairs at or above the threshold are found with high probability (at 0.8 with the
/// default bands: above 99.9 %; at 0.5, about 93 %); identical name sets always share
/// every bucket, so they are found unless the caps below apply. Every reported
/// similarity is exact. To bound the output on meshes full of near-identical
/// schemas, each item takes part in at most `maxPerItem` pairs (its best ones), and
/// a bucket holding more than 64 items compares each item with a window of its
/// neighbours in the bucket rather than with all of them.
public enum SchemaSimilarity {
  /// One schema to compare.
  public struct Item: Sendable {
    /// Items of one group are not compared (a domain).
    public var group: String
    /// Column names.
    public var columns: [String]
    /// Creates an item.
    ///
    /// - Parameters:
    ///   - group: The group (a domain); pairs within one group are not reported.
    ///   - columns: Column names.
    public init(group: String, columns: [String]) {
      self.group = group
      self.columns = columns
    }
  }

  /// Two similar items: indices into the input, `first < second`.
  public struct Pair: Hashable, Sendable {
    /// The index of one item in the input; always less than ``second``.
    public var first: Int
    /// The index of the other item in the input; always greater than ``first``.
    public var second: Int
    /// Exact Jaccard similarity of the two normalised name sets.
    public var similarity: Double
  }

  /// The form in which names are compared: lower case, without `_`, `-`, `.` and spaces
  /// (`Customer_ID` and `customerid` are one name).
  ///
  /// - Parameter name: A column name.
  /// - Returns: The name as compared.
  public static func normalize(_ name: String) -> String {
    String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { !"_-. ".unicodeScalars.contains($0) }))
  }

  /// LSH parameters for a threshold: rows per band and number of bands.
  static func banding(for threshold: Double) -> (rows: Int, bands: Int) {
    threshold >= 0.75 ? (5, 20) : threshold >= 0.5 ? (3, 20) : (2, 25)
  }

  /// Every pair of items from different groups whose name sets have a Jaccard
  /// similarity of at least `threshold`, best first (then by index).
  ///
  /// - Parameters:
  ///   - items: The schemas.
  ///   - threshold: The smallest Jaccard similarity reported.
  ///   - maxPerItem: At most this many pairs per item.
  /// - Returns: The pairs, best first.
  /// - Complexity: O(K·T + B·N log N + P·c) for T column names in all, K hash
  ///   functions, B bands, N items, P candidate pairs of c names each.
  public static func similarPairs(_ items: [Item], threshold: Double, maxPerItem: Int = 5) -> [Pair] {
    let n = items.count
    guard n > 1 else { return [] }
    let (rows, bands) = banding(for: threshold)
    let k = rows * bands
    // Token sets: sorted, unique 64-bit hashes of the normalised names.
    var tokens: [[UInt64]] = []
    tokens.reserveCapacity(n)
    var groupIDs: [String: Int32] = [:]
    var group = [Int32](repeating: 0, count: n)
    for (i, item) in items.enumerated() {
      var t = item.columns.map { hash(normalize($0)) }
      t.sort()
      var w = 0
      for x in t where w == 0 || t[w - 1] != x {
        t[w] = x
        w += 1
      }
      t.removeLast(t.count - w)
      tokens.append(t)
      if let g = groupIDs[item.group] {
        group[i] = g
      } else {
        group[i] = Int32(groupIDs.count)
        groupIDs[item.group] = group[i]
      }
    }
    // MinHash signatures, K per item, contiguous.
    // Token hashes are already well mixed, so each of the K permutations can be an
    // affine map x -> a·x + b over 64-bit words (a odd: a bijection).
    let multipliers = (0..<k).map { mix(UInt64($0) &* 0x9E37_79B9_7F4A_7C15) | 1 }
    let offsets = (0..<k).map { mix(UInt64($0) &+ 0x2545_F491_4F6C_DD1D) }
    var signature = [UInt64](repeating: .max, count: n * k)
    signature.withUnsafeMutableBufferPointer { sig in
      multipliers.withUnsafeBufferPointer { a in
        offsets.withUnsafeBufferPointer { b in
          for i in 0..<n {
            let base = i * k
            for t in tokens[i] {
              for j in 0..<k {
                let h = t &* a[j] &+ b[j]
                if h < sig[base + j] { sig[base + j] = h }
              }
            }
          }
        }
      }
    }
    // Candidate pairs from the buckets of each band.
    var candidates: [UInt64] = []
    var bucket: [(key: UInt64, item: Int32)] = []
    bucket.reserveCapacity(n)
    for b in 0..<bands {
      bucket.removeAll(keepingCapacity: true)
      for i in 0..<n where !tokens[i].isEmpty {
        var h = UInt64(b) &* 0x9E37_79B9_7F4A_7C15
        for r in 0..<rows { h = mix(h ^ signature[i * k + b * rows + r]) }
        bucket.append((h, Int32(i)))
      }
      bucket.sort { $0.key != $1.key ? $0.key < $1.key : $0.item < $1.item }
      var start = 0
      while start < bucket.count {
        var end = start + 1
        while end < bucket.count && bucket[end].key == bucket[start].key { end += 1 }
        let size = end - start
        if size > 1 {
          let window = size <= 64 ? size : max(4, 4096 / size)
          for x in start..<end {
            let a = bucket[x].item
            var y = x + 1
            while y < end && y <= x + window {
              let c = bucket[y].item
              if group[Int(a)] != group[Int(c)] { candidates.append(UInt64(a) << 32 | UInt64(c)) }
              y += 1
            }
          }
        }
        start = end
      }
    }
    candidates.sort()
    // Exact similarity of each distinct candidate.
    var pairs: [Pair] = []
    var last: UInt64 = .max
    for c in candidates where c != last {
      last = c
      let a = Int(c >> 32), b = Int(c & 0xFFFF_FFFF)
      let s = jaccard(tokens[a], tokens[b])
      if s + 1e-12 >= threshold { pairs.append(Pair(first: a, second: b, similarity: s)) }
    }
    pairs.sort {
      $0.similarity != $1.similarity
        ? $0.similarity > $1.similarity
        : $0.first != $1.first ? $0.first < $1.first : $0.second < $1.second
    }
    var taken = [Int32](repeating: 0, count: n)
    var out: [Pair] = []
    for p in pairs where taken[p.first] < maxPerItem && taken[p.second] < maxPerItem {
      taken[p.first] += 1
      taken[p.second] += 1
      out.append(p)
    }
    return out
  }

  /// Jaccard similarity of two sorted, duplicate-free arrays.
  ///
  /// - Parameters:
  ///   - a: A sorted set.
  ///   - b: Another sorted set.
  /// - Returns: |a ∩ b| / |a ∪ b|, 1 for two empty sets.
  /// - Complexity: O(|a| + |b|), a merge.
  public static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
    if a.isEmpty && b.isEmpty { return 1 }
    var i = 0, j = 0, both = 0
    while i < a.count && j < b.count {
      if a[i] == b[j] {
        both += 1
        i += 1
        j += 1
      } else if a[i] < b[j] {
        i += 1
      } else {
        j += 1
      }
    }
    return Double(both) / Double(a.count + b.count - both)
  }

  /// FNV-1a over UTF-8, finished with a mixer.
  static func hash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return mix(h)
  }

}

/// A table of interned strings: each distinct string gets a dense `Int32` index.
///
/// The bytes of every string live in one contiguous arena; lookups hash the bytes
/// eight at a time (plus a finalizer) into an open-addressing table whose slots carry a
/// hash fingerprint and the record's offset, so a lookup costs about two cache misses
/// and interning a string seen before allocates nothing. Records are limited to a
/// 1 TiB arena. This is the id table of the graph engine.
public struct Interner: Sendable {
  /// Records of `[index: UInt32][length: UInt32][bytes]`, so that a probe that
  /// finds its slot reads the candidate's index, length and bytes from one place.
  @usableFromInline var arena: FlatArray<UInt8> = []
  /// Byte offset in `arena` of each string's bytes.
  @usableFromInline var starts: FlatArray<Int> = []
  /// Byte length of each string.
  @usableFromInline var lengths: FlatArray<Int32> = []
  /// Open addressing, linear probing: 0 is empty, otherwise
  /// `fingerprint << 40 | (record offset + 1)` with a 24-bit hash fingerprint.
  @usableFromInline var slots: FlatArray<UInt64>
  @usableFromInline var mask: Int

  /// Creates an empty table sized for about `capacity` strings.
  ///
  /// - Parameter capacity: The expected number of strings.
  public init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = FlatArray(repeating: 0, count: size)
    mask = size - 1
    starts.reserveCapacity(capacity)
    lengths.reserveCapacity(capacity)
  }

  /// An interner rebuilt from its parts (``GraphImage``, which checks them first).
  init(arena: FlatArray<UInt8>, starts: FlatArray<Int>, lengths: FlatArray<Int32>, slots: FlatArray<UInt64>) {
    self.arena = arena
    self.starts = starts
    self.lengths = lengths
    self.slots = slots
    mask = slots.count - 1
  }

  /// Number of distinct strings.
  @inlinable public var count: Int { starts.count }

  /// Eight bytes at a time (a multiply and a shift per word), then a finalizer, so
  /// that both the low bits (the slot) and the high bits (the fingerprint) mix well.
  @inlinable static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: b.count)
    guard let base = b.baseAddress else { return h }
    let raw = UnsafeRawPointer(base)
    var i = 0, left = b.count
    while left >= 8 {
      h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
      left -= 8
    }
    if left > 0 {
      var w: UInt64 = 0
      for k in 0..<left { w |= UInt64(base[i + k]) << UInt64(8 * k) }
      h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
    }
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return h
  }

  @inlinable static func fingerprint(_ h: UInt64) -> UInt64 { h >> 40 }

  /// Probes for `b`: returns the index if present, else the empty slot to fill.
  @inlinable func probe(_ b: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> (index: Int32?, slot: Int) {
    slots.withUnsafeBufferPointer { sl in
      arena.withUnsafeBufferPointer { a in
        let slot = Int(truncatingIfNeeded: h) & mask
        return Self.probe(b, h, from: slot, first: sl[slot], slots: sl, arena: a, mask: mask, count: count)
      }
    }
  }

  /// The probe itself, from `slot` whose value `first` the caller has already loaded:
  /// linear probing until the string's record or an empty slot.
  @inlinable static func probe(
    _ b: UnsafeBufferPointer<UInt8>, _ h: UInt64, from slot: Int, first: UInt64,
    slots sl: UnsafeBufferPointer<UInt64>, arena a: UnsafeBufferPointer<UInt8>,
    mask: Int, count: Int
  ) -> (index: Int32?, slot: Int) {
    let fp = fingerprint(h)
    var slot = slot, v = first
    while v != 0 {
      // A slot read from a graph image is trusted only as far as its record lies inside
      // the arena and names an index in range (``GraphImage`` checks the records'
      // starts and lengths, and the image's checksum, not each slot's record).
      if v >> 40 == fp, case let rec = Int(v & 0xFF_FFFF_FFFF) - 1, rec + 8 <= a.count {
        let len = Int(a[rec + 4]) | Int(a[rec + 5]) << 8 | Int(a[rec + 6]) << 16 | Int(a[rec + 7]) << 24
        if len == b.count, len <= a.count - rec - 8, len == 0 || sameBytes(a, rec + 8, b, len) {
          let index = Int(a[rec]) | Int(a[rec + 1]) << 8 | Int(a[rec + 2]) << 16 | Int(a[rec + 3]) << 24
          if index < count { return (Int32(index), slot) }
        }
      }
      slot = (slot + 1) & mask
      v = sl[slot]
    }
    return (nil, slot)
  }

  /// The index of the string with these UTF-8 bytes, if interned.
  ///
  /// - Parameter b: The string as UTF-8.
  /// - Returns: Its index, or nil when it is not interned.
  /// - Complexity: O(length) expected.
  @inlinable public func lookup(bytes b: UnsafeBufferPointer<UInt8>) -> Int32? {
    probe(b, Self.hash(b)).index
  }

  /// Looks up `n` strings, `bytes(i)` giving the i-th, and writes each index (or -1
  /// when absent) to `out[i]`. Strings are hashed and their first slots loaded a group
  /// at a time before any is compared, so that the cache misses of a group overlap
  /// instead of following one another.
  ///
  /// - Parameters:
  ///   - n: How many strings to look up.
  ///   - out: Where the indices go, `n` of them.
  ///   - bytes: The i-th string as UTF-8.
  /// - Complexity: O(total length) expected.
  @inlinable public func lookupAll(
    _ n: Int, into out: UnsafeMutableBufferPointer<Int32>,
    _ bytes: (Int) -> UnsafeBufferPointer<UInt8>
  ) {
    let group = 16
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * group) { tmp in
      slots.withUnsafeBufferPointer { sl in
        arena.withUnsafeBufferPointer { a in
          var lo = 0
          while lo < n {
            let hi = min(n, lo + group)
            for i in lo..<hi {
              let h = Self.hash(bytes(i))
              tmp[i - lo] = h
              tmp[group + i - lo] = sl[Int(truncatingIfNeeded: h) & mask]
            }
            for i in lo..<hi {
              let h = tmp[i - lo]
              out[i] =
                Self.probe(
                  bytes(i), h, from: Int(truncatingIfNeeded: h) & mask, first: tmp[group + i - lo],
                  slots: sl, arena: a, mask: mask, count: count
                ).index ?? -1
            }
            lo = hi
          }
        }
      }
    }
  }

  /// Whether the `n` bytes of `a` from offset `at` equal the first `n` of `b`.
  @inlinable static func sameBytes(
    _ a: UnsafeBufferPointer<UInt8>, _ at: Int, _ b: UnsafeBufferPointer<UInt8>, _ n: Int
  ) -> Bool {
    guard let pa = a.baseAddress, let pb = b.baseAddress else { return n == 0 }
    return memoryEqual(pa + at, pb, n)
  }

  /// Whether `n` bytes at `x` and `y` are equal, a word at a time.
  @inlinable static func memoryEqual(_ x: UnsafePointer<UInt8>, _ y: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
    var i = 0
    while i + 8 <= n {
      if rx.loadUnaligned(fromByteOffset: i, as: UInt64.self) != ry.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
        return false
      }
      i += 8
    }
    while i < n {
      if x[i] != y[i] { return false }
      i += 1
    }
    return true
  }

  /// The index of `s`, if interned.
  ///
  /// - Parameter s: A string.
  /// - Returns: Its index, or nil when it is not interned.
  public func lookup(_ s: String) -> Int32? {
    var s = s
    return s.withUTF8 { lookup(bytes: $0) }
  }

  /// Interns the string with these UTF-8 bytes and returns its index.
  ///
  /// - Parameter b: The string as UTF-8.
  /// - Returns: Its index, new or existing.
  /// - Complexity: O(length) expected; growing the table is amortised.
  @inlinable @discardableResult
  public mutating func intern(bytes b: UnsafeBufferPointer<UInt8>) -> Int32 {
    if count * 2 >= slots.count { grow() }
    let h = Self.hash(b)
    let (found, slot) = probe(b, h)
    if let found { return found }
    let index = UInt32(count)
    let rec = arena.count
    for shift in stride(from: 0, to: 32, by: 8) { arena.append(UInt8(truncatingIfNeeded: index >> UInt32(shift))) }
    let len = UInt32(b.count)
    for shift in stride(from: 0, to: 32, by: 8) { arena.append(UInt8(truncatingIfNeeded: len >> UInt32(shift))) }
    arena.append(contentsOf: b)
    starts.append(rec + 8)
    lengths.append(Int32(b.count))
    slots[slot] = Self.fingerprint(h) << 40 | UInt64(rec + 1)
    return Int32(index)
  }

  /// Interns `s` and returns its index.
  ///
  /// - Parameter s: A string.
  /// - Returns: Its index, new or existing.
  @discardableResult
  public mutating func intern(_ s: String) -> Int32 {
    var s = s
    return s.withUTF8 { intern(bytes: $0) }
  }

  @usableFromInline mutating func grow() { rehash(size: slots.count * 2) }

  /// The same strings with the smallest hash table this interner would grow to (at
  /// most half full): a table sized up front for more strings than came wastes space
  /// (a graph image of a million ids kept 64 MiB of slots, 88 % of them empty).
  ///
  /// - Returns: The interner with its table rebuilt, or itself when it is already tight.
  /// - Complexity: O(n) for n strings.
  public func tight() -> Interner {
    var size = 16
    while count * 2 >= size { size <<= 1 }
    guard size < slots.count else { return self }
    var t = self
    t.rehash(size: size)
    return t
  }

  /// Rebuilds the hash table with `size` slots (a power of two above twice the count).
  mutating func rehash(size: Int) {
    var fresh = [UInt64](repeating: 0, count: size)
    let m = size - 1
    arena.withUnsafeBufferPointer { a in
      for i in 0..<count {
        let b = UnsafeBufferPointer(rebasing: a[starts[i]..<starts[i] + Int(lengths[i])])
        let h = Interner.hash(b)
        var slot = Int(truncatingIfNeeded: h) & m
        while fresh[slot] != 0 { slot = (slot + 1) & m }
        fresh[slot] = Interner.fingerprint(h) << 40 | UInt64(starts[i] - 8 + 1)
      }
    }
    slots = FlatArray(fresh)
    mask = m
  }

  /// The same strings with new indices: the string of new index `i` is the one that
  /// had index `newToOld[i]`. The hash table is kept (its slots hold record offsets).
  ///
  /// - Parameter newToOld: The old index of each new index; a permutation.
  /// - Returns: The renumbered interner.
  /// - Complexity: O(n) for n strings.
  public func permuted(_ newToOld: [Int32]) -> Interner {
    var p = self
    p.starts = FlatArray(newToOld.map { starts[Int($0)] })
    p.lengths = FlatArray(newToOld.map { lengths[Int($0)] })
    p.arena.withUnsafeMutableBufferPointer { a in
      for (i, start) in p.starts.enumerated() {
        let rec = start - 8
        let idx = UInt32(i)
        a[rec] = UInt8(truncatingIfNeeded: idx)
        a[rec + 1] = UInt8(truncatingIfNeeded: idx >> 8)
        a[rec + 2] = UInt8(truncatingIfNeeded: idx >> 16)
        a[rec + 3] = UInt8(truncatingIfNeeded: idx >> 24)
      }
    }
    return p
  }

  /// The same strings renumbered, with more put in among them: the string of new index
  /// `i` is the one that had index `newToOld[i]`, or, where that is -1, the next of
  /// `added`. The old strings' records and hash slots are kept; only the added strings
  /// are hashed.
  ///
  /// - Parameters:
  ///   - newToOld: The old index of each new index, -1 for an added string; every old
  ///     index appears once.
  ///   - added: The strings put in, in the order of the -1 entries.
  /// - Returns: The renumbered interner, or nil when an old index is missing or
  ///   repeated, or an added string is there already (or added twice).
  /// - Complexity: O(n) for n strings, plus the added strings' hashing.
  public func renumbered(_ newToOld: [Int32], adding added: [String]) -> Interner? {
    guard newToOld.count == count + added.count, Set(added).count == added.count else { return nil }
    for a in added where lookup(a) != nil { return nil }
    var seen = [Bool](repeating: false, count: count)
    var p = self
    var newStarts = [Int](repeating: 0, count: newToOld.count)
    var newLengths = [Int32](repeating: 0, count: newToOld.count)
    var next = 0
    for (i, o) in newToOld.enumerated() {
      if o >= 0 {
        guard Int(o) < count, !seen[Int(o)] else { return nil }
        seen[Int(o)] = true
        newStarts[i] = starts[Int(o)]
        newLengths[i] = lengths[Int(o)]
      } else {
        guard next < added.count else { return nil }
        var s = added[next]
        next += 1
        let rec = p.arena.count
        p.arena.append(contentsOf: repeatElement(0, count: 8))
        s.withUTF8 { p.arena.append(contentsOf: $0) }
        newStarts[i] = rec + 8
        newLengths[i] = Int32(p.arena.count - rec - 8)
      }
    }
    guard next == added.count else { return nil }
    p.starts = FlatArray(newStarts)
    p.lengths = FlatArray(newLengths)
    p.arena.withUnsafeMutableBufferPointer { a in
      for (i, start) in newStarts.enumerated() {
        let rec = start - 8
        let idx = UInt32(i)
        let len = UInt32(newLengths[i])
        for k in 0..<4 {
          a[rec + k] = UInt8(truncatingIfNeeded: idx >> UInt32(8 * k))
          a[rec + 4 + k] = UInt8(truncatingIfNeeded: len >> UInt32(8 * k))
        }
      }
    }
    // The added strings' slots: a table that would be more than half full is made
    // again whole (with every string), else each is put in its probe's empty slot.
    if p.count * 2 >= p.slots.count {
      var size = p.slots.count
      while p.count * 2 >= size { size <<= 1 }
      p.rehash(size: size)
      return p
    }
    for i in newToOld.indices where newToOld[i] < 0 {
      let start = newStarts[i]
      let len = Int(newLengths[i])
      let (slot, h): (Int, UInt64) = p.arena.withUnsafeBufferPointer { a in
        let b = UnsafeBufferPointer(rebasing: a[start..<start + len])
        let h = Self.hash(b)
        return (p.probe(b, h).slot, h)
      }
      p.slots[slot] = Self.fingerprint(h) << 40 | UInt64(start - 8 + 1)
    }
    return p
  }

  /// The string at `index`.
  public subscript(index: Int32) -> String {
    let s = starts[Int(index)], e = s + Int(lengths[Int(index)])
    return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
  }

  /// Calls `body` with the UTF-8 bytes of the string at `index`.
  ///
  /// - Parameters:
  ///   - index: A string's index.
  ///   - body: What to do with its bytes; they are valid only during the call.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  @inlinable public func withBytes<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    let s = starts[Int(index)], e = s + Int(lengths[Int(index)])
    return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
  }

  /// The strings' bytes, read without a call per string: valid only during
  /// ``withRecords(_:)``.
  public struct Records {
    @usableFromInline let arena: UnsafeBufferPointer<UInt8>
    @usableFromInline let starts: UnsafeBufferPointer<Int>
    @usableFromInline let lengths: UnsafeBufferPointer<Int32>

    @inlinable init(
      arena: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<Int>, lengths: UnsafeBufferPointer<Int32>
    ) {
      self.arena = arena
      self.starts = starts
      self.lengths = lengths
    }

    /// Where the string at `index` starts in ``arena`` and how long it is.
    @inlinable public func span(_ index: Int32) -> (start: Int, count: Int) {
      (starts[Int(index)], Int(lengths[Int(index)]))
    }

    /// Asks for the place of the string at `index` (what ``span(_:)`` reads) ahead of
    /// a read, in a loop over scattered strings (see `UnsafeBufferPointer.prefetch(at:)`).
    @inlinable @inline(__always) public func prefetchSpan(_ index: Int32) {
      starts.prefetch(at: Int(index))
      lengths.prefetch(at: Int(index))
    }

    /// Asks for the first bytes of the string at `index` ahead of a read; reads its
    /// place, best asked for first (``prefetchSpan(_:)``).
    @inlinable @inline(__always) public func prefetchBytes(_ index: Int32) { arena.prefetch(at: starts[Int(index)]) }

    /// The bytes of the string that ``span(_:)`` placed.
    @inlinable public func bytes(start: Int, count: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: arena[start..<start + count])
    }

    /// The bytes of the string at `index`.
    @inlinable public subscript(index: Int32) -> UnsafeBufferPointer<UInt8> {
      let (s, n) = span(index)
      return bytes(start: s, count: n)
    }
  }

  /// Calls `body` with every string's bytes at hand (hot loops over many strings).
  ///
  /// - Parameter body: What to do with the strings; they are valid only during the call.
  /// - Returns: What `body` returns.
  @inlinable public func withRecords<R>(_ body: (Records) throws -> R) rethrows -> R {
    try arena.withUnsafeBufferPointer { a in
      try starts.withUnsafeBufferPointer { st in
        try lengths.withUnsafeBufferPointer { try body(Records(arena: a, starts: st, lengths: $0)) }
      }
    }
  }

  /// Whether every string is printable ASCII (bytes 0x20 to 0x7E).
  ///
  /// - Complexity: O(total bytes), in the order the strings are stored.
  public var isPrintableASCII: Bool {
    withRecords { records in
      for i in 0..<Int32(count) where !Self.isPrintableASCII(records[i]) { return false }
      return true
    }
  }

  /// Whether every byte of `b` is printable ASCII (0x20 to 0x7E), read eight bytes at a
  /// time: a byte below 0x20 leaves its high bit set in `x - 0x20…` where `x` had it
  /// clear; 0x7F sets it in `x + 0x01…`; 0x80 and above have it already.
  ///
  /// - Parameter b: Bytes.
  /// - Returns: True when all are printable ASCII.
  public static func isPrintableASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = b.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    var k = 0
    while k + 8 <= b.count {
      let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
      if (x &- 0x20 &* ones) & ~x & highs != 0 || (x &+ ones) & highs != 0 || x & highs != 0 { return false }
      k += 8
    }
    while k < b.count {
      if b[k] < 0x20 || b[k] >= 0x7F { return false }
      k += 1
    }
    return true
  }

  /// Byte-wise (code-point) order of two interned strings: `true` when `a` sorts first.
  ///
  /// - Parameters:
  ///   - a: A string's index.
  ///   - b: Another string's index.
  /// - Returns: True when string `a` sorts before string `b` in byte order.
  @inlinable public func precedes(_ a: Int32, _ b: Int32) -> Bool {
    arena.withUnsafeBufferPointer { p in
      var i = starts[Int(a)], j = starts[Int(b)]
      let ie = i + Int(lengths[Int(a)]), je = j + Int(lengths[Int(b)])
      while i < ie && j < je {
        if p[i] != p[j] { return p[i] < p[j] }
        i += 1
        j += 1
      }
      return lengths[Int(a)] < lengths[Int(b)]
    }
  }

  /// Every string, in index order.
  public var strings: [String] { (0..<Int32(count)).map { self[$0] } }

  /// Indices sorted by their strings' byte order.
  ///
  /// - Returns: Every index, its strings in byte order.
  /// - Complexity: O(n log n) string comparisons.
  public func sortedIndices() -> [Int32] {
    var order = Array(0..<Int32(count))
    order.sort { precedes($0, $1) }
    return order
  }
}

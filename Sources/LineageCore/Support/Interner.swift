/// A table of interned strings: each distinct string gets a dense `Int32` index.
///
/// The bytes of every string live in one contiguous arena; lookups hash bytes with
/// FNV-1a into an open-addressing table, so interning a string seen before
/// allocates nothing. This is the id table of the graph engine.
public struct Interner: Sendable {
  @usableFromInline var arena: [UInt8] = []
  @usableFromInline var starts: [Int] = [0]
  @usableFromInline var slots: [Int32]
  @usableFromInline var mask: Int

  /// Creates an empty table sized for about `capacity` strings.
  public init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    starts.reserveCapacity(capacity + 1)
  }

  /// Number of distinct strings.
  @inlinable public var count: Int { starts.count - 1 }

  @inlinable static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in b {
      h ^= UInt64(byte)
      h &*= 0x0000_0100_0000_01b3
    }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  @inlinable func equals(_ index: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let s = starts[index], e = starts[index + 1]
    if e - s != b.count { return false }
    return arena.withUnsafeBufferPointer { a in
      var i = 0
      while i < b.count {
        if a[s + i] != b[i] { return false }
        i += 1
      }
      return true
    }
  }

  /// The index of the string with these UTF-8 bytes, if interned.
  @inlinable public func lookup(bytes b: UnsafeBufferPointer<UInt8>) -> Int32? {
    var slot = Interner.hash(b) & mask
    while true {
      let v = slots[slot]
      if v < 0 { return nil }
      if equals(Int(v), b) { return v }
      slot = (slot + 1) & mask
    }
  }

  /// The index of `s`, if interned.
  public func lookup(_ s: String) -> Int32? {
    var s = s
    return s.withUTF8 { lookup(bytes: $0) }
  }

  /// Interns the string with these UTF-8 bytes and returns its index.
  @inlinable @discardableResult
  public mutating func intern(bytes b: UnsafeBufferPointer<UInt8>) -> Int32 {
    if count * 2 >= slots.count { grow() }
    var slot = Interner.hash(b) & mask
    while true {
      let v = slots[slot]
      if v < 0 { break }
      if equals(Int(v), b) { return v }
      slot = (slot + 1) & mask
    }
    let index = Int32(count)
    arena.append(contentsOf: b)
    starts.append(arena.count)
    slots[slot] = index
    return index
  }

  /// Interns `s` and returns its index.
  @discardableResult
  public mutating func intern(_ s: String) -> Int32 {
    var s = s
    return s.withUTF8 { intern(bytes: $0) }
  }

  @usableFromInline mutating func grow() {
    let size = slots.count * 2
    var fresh = [Int32](repeating: -1, count: size)
    let m = size - 1
    arena.withUnsafeBufferPointer { a in
      for i in 0..<count {
        let b = UnsafeBufferPointer(rebasing: a[starts[i]..<starts[i + 1]])
        var slot = Interner.hash(b) & m
        while fresh[slot] >= 0 { slot = (slot + 1) & m }
        fresh[slot] = Int32(i)
      }
    }
    slots = fresh
    mask = m
  }

  /// The string at `index`.
  public subscript(index: Int32) -> String {
    let s = starts[Int(index)], e = starts[Int(index) + 1]
    return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
  }

  /// Calls `body` with the UTF-8 bytes of the string at `index`.
  @inlinable public func withBytes<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    let s = starts[Int(index)], e = starts[Int(index) + 1]
    return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
  }

  /// Byte-wise (code-point) order of two interned strings: `true` when `a` sorts first.
  @inlinable public func precedes(_ a: Int32, _ b: Int32) -> Bool {
    arena.withUnsafeBufferPointer { p in
      var i = starts[Int(a)], j = starts[Int(b)]
      let ie = starts[Int(a) + 1], je = starts[Int(b) + 1]
      while i < ie && j < je {
        if p[i] != p[j] { return p[i] < p[j] }
        i += 1
        j += 1
      }
      return (ie - starts[Int(a)]) < (je - starts[Int(b)])
    }
  }

  /// Every string, in index order.
  public var strings: [String] { (0..<Int32(count)).map { self[$0] } }

  /// Indices sorted by their strings' byte order.
  public func sortedIndices() -> [Int32] {
    var order = Array(0..<Int32(count))
    order.sort { precedes($0, $1) }
    return order
  }
}

/// Interned names: each distinct ASCII-lower-cased name gets a dense `Int32` id, so that
/// the analyser compares and hashes integers instead of `String`s. Names are interned
/// straight from the input's bytes (no `String` per identifier); the text of an id is
/// kept in one contiguous byte arena.
struct NameTable {
  /// The lower-cased bytes of every name, back to back.
  private var arena: [UInt8] = []
  /// Name `i` is `arena[starts[i]..<starts[i + 1]]`.
  private var starts: [Int32] = [0]
  private var hashes: [UInt64] = []
  /// Open addressing: name id + 1, or 0 for an empty slot; the count is a power of two.
  private var slots: [Int32] = Array(repeating: 0, count: 256)

  /// The number of names interned.
  var count: Int { hashes.count }

  /// The id of `bytes` lower-cased (ASCII), interning it when new.
  mutating func intern(lowercasing bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for c in bytes {
      let l = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
      h = (h ^ UInt64(l)) &* 0x0000_0100_0000_01B3
    }
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    while true {
      let v = slots[slot]
      if v == 0 { break }
      let id = Int(v - 1)
      if hashes[id] == h && equals(id, bytes) { return Int32(id) }
      slot = (slot + 1) & mask
    }
    let id = Int32(hashes.count)
    for c in bytes { arena.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
    starts.append(Int32(arena.count))
    hashes.append(h)
    slots[slot] = id + 1
    if hashes.count * 2 > slots.count { grow() }
    return id
  }

  /// The id of `text` lower-cased (ASCII), interning it when new.
  mutating func intern(_ text: String) -> Int32 {
    var s = text
    return s.withUTF8 { intern(lowercasing: $0) }
  }

  /// The lower-cased text of name `id`.
  func text(_ id: Int32) -> String {
    let s = Int(starts[Int(id)])
    let e = Int(starts[Int(id) + 1])
    return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
  }

  /// True when the lower-cased text of `id` starts with `prefix` (lower case).
  func hasPrefix(_ id: Int32, _ prefix: StaticString) -> Bool {
    let s = Int(starts[Int(id)])
    let e = Int(starts[Int(id) + 1])
    let n = prefix.utf8CodeUnitCount
    guard e - s >= n else { return false }
    return prefix.withUTF8Buffer { p in
      for k in 0..<n where arena[s + k] != p[k] { return false }
      return true
    }
  }

  private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let s = Int(starts[id])
    guard Int(starts[id + 1]) - s == bytes.count else { return false }
    for (k, c) in bytes.enumerated() where arena[s + k] != (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) { return false }
    return true
  }

  private mutating func grow() {
    var next = [Int32](repeating: 0, count: slots.count * 2)
    let mask = next.count - 1
    for (id, h) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
      while next[slot] != 0 { slot = (slot + 1) & mask }
      next[slot] = Int32(id + 1)
    }
    slots = next
  }
}

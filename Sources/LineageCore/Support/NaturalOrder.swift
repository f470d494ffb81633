extension String {
  /// Natural order: runs of ASCII digits compare by their value, everything else byte
  /// by byte in UTF-8, so `event 2` sorts before `event 10` and `inputs[2]` before
  /// `inputs[10]`. Texts that differ only in leading zeros fall back to byte order, so
  /// the order is total.
  ///
  /// - Parameter other: The text to compare with.
  /// - Returns: True when this text sorts first.
  /// - Complexity: O(n) in the length of the shorter text.
  func naturallyPrecedes(_ other: String) -> Bool {
    let a = Array(utf8), b = Array(other.utf8)
    func digit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    var i = 0, j = 0
    while i < a.count && j < b.count {
      if digit(a[i]) && digit(b[j]) {
        var x = i, y = j
        while x < a.count && digit(a[x]) { x += 1 }
        while y < b.count && digit(b[y]) { y += 1 }
        // The runs without leading zeros: the longer is the larger, else byte order.
        var p = i, q = j
        while p < x - 1 && a[p] == UInt8(ascii: "0") { p += 1 }
        while q < y - 1 && b[q] == UInt8(ascii: "0") { q += 1 }
        if x - p != y - q { return x - p < y - q }
        if !a[p..<x].elementsEqual(b[q..<y]) { return a[p..<x].lexicographicallyPrecedes(b[q..<y]) }
        i = x
        j = y
        continue
      }
      if a[i] != b[j] { return a[i] < b[j] }
      i += 1
      j += 1
    }
    // One ran out first: it is the smaller; both at once: equal but for leading zeros.
    if i < a.count || j < b.count { return i == a.count }
    return a.lexicographicallyPrecedes(b)
  }
}

/// Checks that a compressed request body was whole: compress-nio's `decompress` stops
/// without an error when the input ends before the stream does (a body cut short) and
/// at the end of the first gzip member (the rest ignored), so a cut or padded body
/// would be taken as what its first part says.
enum CompressedBody {
  /// True when `packed`, all of it read by the decompressor, ends with the trailer of
  /// `plain`: CRC-32 and length (mod 2^32), little-endian, for gzip (RFC 1952);
  /// Adler-32, big-endian, for zlib (RFC 1950, HTTP's `deflate`).
  ///
  /// - Parameters:
  ///   - packed: The body as received.
  ///   - plain: What it decompressed to.
  ///   - gzip: True for gzip, false for zlib.
  /// - Returns: Whether the stream ended where the body does, its checksum right.
  static func isWhole(_ packed: [UInt8], plain: [UInt8], gzip: Bool) -> Bool {
    func word(_ at: Int, bigEndian: Bool) -> UInt32 {
      var v: UInt32 = 0
      for k in 0..<4 {
        let byte = UInt32(packed[at + (bigEndian ? k : 3 - k)])
        v = v << 8 | byte
      }
      return v
    }
    if gzip {
      guard packed.count >= 18 else { return false }
      let n = packed.count
      return word(n - 8, bigEndian: false) == crc32(plain)
        && word(n - 4, bigEndian: false) == UInt32(truncatingIfNeeded: plain.count)
    }
    guard packed.count >= 6 else { return false }
    return word(packed.count - 4, bigEndian: true) == adler32(plain)
  }

  /// True when `packed` starts with a zlib header (RFC 1950: deflate with a window of
  /// at most 32 KiB, the two bytes a multiple of 31); raw deflate has none.
  ///
  /// - Parameter packed: A `deflate` body.
  /// - Returns: Whether it is a zlib stream.
  static func hasZlibHeader(_ packed: [UInt8]) -> Bool {
    guard packed.count >= 2 else { return false }
    let (b0, b1) = (UInt16(packed[0]), UInt16(packed[1]))
    return b0 & 0x0F == 8 && b0 >> 4 <= 7 && (b0 << 8 | b1) % 31 == 0
  }

  /// The CRC-32 table (polynomial 0xEDB88320, reflected).
  static let table: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
    var c = n
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// CRC-32 as gzip computes it.
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    table.withUnsafeBufferPointer { t in
      for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    }
    return c ^ 0xFFFF_FFFF
  }

  /// Adler-32 as zlib computes it.
  static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var (a, b): (UInt32, UInt32) = (1, 0)
    var i = 0
    while i < bytes.count {
      // 5,552 bytes at most between reductions, so that the sums cannot overflow.
      let end = min(bytes.count, i + 5_552)
      while i < end {
        a &+= UInt32(bytes[i])
        b &+= a
        i += 1
      }
      a %= 65_521
      b %= 65_521
    }
    return b << 16 | a
  }
}

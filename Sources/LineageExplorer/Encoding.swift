internal import CompressNIO
internal import Crypto
internal import NIOCore

/// JSON made safe to sit inside an HTML `<script>` element: `<` becomes `\u003c` (so
/// no `</script>` or `<!--` can end or change the element), and U+2028 and U+2029
/// become `\u2028` and `\u2029`. Only valid inside JSON text, where `<` and those two
/// characters can only occur within strings.
enum ScriptSafe {
  static func escape(_ json: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(json.count + json.count / 64)
    var i = 0
    while i < json.count {
      let b = json[i]
      if b == UInt8(ascii: "<") {
        out += Array("\\u003c".utf8)
      } else if b == 0xE2, i + 2 < json.count, json[i + 1] == 0x80, json[i + 2] == 0xA8 || json[i + 2] == 0xA9 {
        out += Array((json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
        i += 2
      } else {
        out.append(b)
      }
      i += 1
    }
    return out
  }
}

/// Text for HTML element content and attribute values: `&`, `<`, `>`, `"` and `'`
/// become entities.
enum HTML {
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}

/// Standard base64 (RFC 4648, with padding).
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 2 < bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
      i += 3
    }
    let rest = bytes.count - i
    if rest > 0 {
      let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return out
  }

  static func string(_ bytes: [UInt8]) -> String { String(decoding: encode(bytes), as: UTF8.self) }
}

/// gzip through compress-nio (zlib), as the server decompresses request bodies.
enum Gzip {
  static func compress(_ bytes: [UInt8]) -> [UInt8]? {
    var buffer = ByteBuffer(bytes: bytes)
    guard let packed = try? buffer.compress(with: .gzip()) else { return nil }
    return Array(packed.readableBytesView)
  }
}

/// SHA-256 through swift-crypto, for the Content-Security-Policy's hashes.
enum SHA256Digest {
  static func of(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
}

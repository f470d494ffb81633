internal import CompressNIO
internal import Foundation
internal import Hummingbird
internal import NIOCore

/// The explorer's answers (its data, its diagrams), each built once per model version
/// and request: concurrent requests for the same answer wait for one build, a newer
/// model version drops what was built from older ones, and each answer keeps its JSON,
/// the JSON gzip-compressed, and an entity tag for conditional requests.
actor ExplorerCache {
  /// One built answer.
  struct Entry: Sendable {
    /// The JSON.
    let json: ByteBuffer
    /// The JSON gzip-compressed, when it is large enough to be worth it.
    let gzip: ByteBuffer?
    /// The entity tag of the JSON (a hash of its bytes and its length); the gzip
    /// encoding's is this with `-gz` appended.
    let tag: String
  }

  /// What an answer was built from: the model's version and the request's parameters,
  /// normalised.
  struct Key: Hashable, Sendable {
    var version: UInt64
    var request: String
  }

  /// At most this many answers are kept (the oldest goes first).
  static let limit = 16

  private var entries: [Key: Task<Entry, any Error>] = [:]
  /// Keys in the order they were added.
  private var order: [Key] = []
  /// How many answers were built (not taken from the cache).
  private(set) var builds = 0

  /// The answer for `key`: the one built before, the one being built, or a new one
  /// built by `build` off the actor (a failed build is not kept).
  ///
  /// - Parameters:
  ///   - key: The model version and the request.
  ///   - build: Makes the JSON.
  /// - Returns: The answer.
  /// - Throws: What `build` throws.
  func entry(_ key: Key, build: @escaping @Sendable () throws -> [UInt8]) async throws -> Entry {
    if let task = entries[key] { return try await task.value }
    // What was built from an older model is out of date.
    let stale = order.filter { $0.version < key.version }
    if !stale.isEmpty {
      for k in stale { entries[k] = nil }
      order.removeAll { $0.version < key.version }
    }
    while order.count >= Self.limit { entries[order.removeFirst()] = nil }
    let task = Task.detached(priority: .userInitiated) { () throws -> Entry in Self.make(try build()) }
    entries[key] = task
    order.append(key)
    builds += 1
    do {
      return try await task.value
    } catch {
      if entries[key] == task {
        entries[key] = nil
        order.removeAll { $0 == key }
      }
      throw error
    }
  }

  /// The entry of `json`: compressed when over 1 kB, tagged.
  static func make(_ json: [UInt8]) -> Entry {
    var buffer = ByteBuffer(bytes: json)
    var packed: ByteBuffer?
    if json.count > 1_024 { packed = try? buffer.compress(with: .gzip()) }
    // FNV-1a, 64 bits: an entity tag need not be cryptographic, only change with the bytes.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in json { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return Entry(
      json: ByteBuffer(bytes: json), gzip: packed,
      tag: String(hash, radix: 16) + "-" + String(json.count, radix: 16))
  }
}

extension API {
  /// The response for a cached explorer answer: gzip-compressed when the client accepts
  /// gzip, `304 Not Modified` when its `If-None-Match` names the answer's tag, and
  /// always revalidated (`Cache-Control: private, no-cache`), so a browser keeps the
  /// answer and asks only whether it changed.
  static func cached(_ request: Request, _ entry: ExplorerCache.Entry) -> Response {
    let packed = acceptsGzip(request.headers[.acceptEncoding]) ? entry.gzip : nil
    let tag = "\"" + entry.tag + (packed == nil ? "" : "-gz") + "\""
    var headers: HTTPFields = [
      .contentType: "application/json", .eTag: tag, .cacheControl: "private, no-cache", .vary: "Accept-Encoding",
    ]
    if let given = request.headers[.ifNoneMatch], matches(given, tag) {
      return Response(status: .notModified, headers: headers)
    }
    if packed != nil { headers[.contentEncoding] = "gzip" }
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: packed ?? entry.json))
  }

  /// Whether an `Accept-Encoding` value takes gzip (named, or `*`, without `q=0`).
  static func acceptsGzip(_ header: String?) -> Bool {
    guard let header else { return false }
    var star = false
    for part in header.lowercased().split(separator: ",") {
      let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let coding = fields.first else { continue }
      let refused = fields.dropFirst().contains { f in
        f.hasPrefix("q=") && (Double(f.dropFirst(2)) ?? 1) == 0
      }
      if coding == "gzip" || coding == "x-gzip" { return !refused }
      if coding == "*" { star = !refused }
    }
    return star
  }

  /// Whether an `If-None-Match` value names `tag` (weakly compared, as RFC 9110 says
  /// for this header), or is `*`.
  static func matches(_ header: String, _ tag: String) -> Bool {
    for part in header.split(separator: ",") {
      var t = part.trimmingCharacters(in: .whitespaces)
      if t == "*" { return true }
      if t.hasPrefix("W/") { t.removeFirst(2) }
      if t == tag { return true }
    }
    return false
  }
}

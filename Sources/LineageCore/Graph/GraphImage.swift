internal import Dispatch

/// A compact binary image of a bare-graph model (graph JSON): the interned ids and
/// attribute tables, the attribute arrays, the CSR adjacency, the id ranks, the
/// findings of loading and the names of the input. Written once by a cold load, read
/// back by later loads of the same input in a fraction of its parse time.
///
/// The layout is a 64-byte header (magic, format version, the key the caller files the
/// image under, the body's length and checksum) and a body of sections, each a tag, an
/// element size, a count and the elements, padded to 8 bytes. Reading checks the
/// header, the checksum of the whole body, every section's tag and length, and the
/// shape of what it rebuilds (CSR offsets and targets in range, interned records
/// inside their arena, attribute indices inside their tables): an image that fails a
/// check is refused (nil), never trusted. Numbers are little-endian.
public enum GraphImage {
  /// The version of the layout; an image of another version is refused.
  public static let formatVersion: UInt32 = 2
  static let magic: [UInt8] = Array("MLGRAPH\u{0}".utf8)
  static let headerSize = 64

  /// The image of `model`, filed under `key`; nil when the model is not a bare graph
  /// (it declares a mesh, or carries imported resources or SQL shapes), whose image
  /// would leave something out.
  ///
  /// - Parameters:
  ///   - model: A loaded model.
  ///   - key: A digest of what the image was made from (the caller's cache key).
  /// - Returns: The image's bytes, or nil.
  /// - Complexity: O(V + E) plus the id ranks' O(V log V) when the graph has none.
  public static func encode(_ model: LineageModel, key: UInt64) -> [UInt8]? {
    var graph = model.graph
    guard model.mesh.nodes.isEmpty, model.mesh.domains.isEmpty, graph.resources.isEmpty, model.sqlShapes.isEmpty,
      !model.hasDeclarations
    else { return nil }
    graph.rankIDs()
    // Hash tables no larger than the strings need (a builder sizes them for a guess).
    let interners = [graph.ids, graph.kindNames, graph.domainNames, graph.ownerNames, graph.tagNames].map {
      $0.tight()
    }
    var w = Writer()
    // The whole image in one allocation (a million-node image is 160 MB): every
    // section's header, elements and padding.
    func size(_ t: Interner) -> Int { t.arena.count + 8 * t.starts.count + 4 * t.lengths.count + 8 * t.slots.count }
    func size(_ c: CSR) -> Int { 4 * (c.offsets.count + c.targets.count) }
    let n = graph.nodeCount
    let estimate =
      headerSize + interners.reduce(0) { $0 + size($1) } + size(graph.tags) + size(graph.forward)
      + size(graph.reverse) + 18 * n + 24 * 64 + 4096
    w.bytes.reserveCapacity(estimate)
    w.bytes.append(contentsOf: [UInt8](repeating: 0, count: headerSize))
    for t in interners { w.interner(t) }
    w.array(Tag.kind, graph.kind)
    w.array(Tag.domain, graph.domain)
    w.array(Tag.owner, graph.owner)
    w.array(Tag.status, graph.status.map { UInt8(ProductStatus.allCases.firstIndex(of: $0) ?? 0) })
    w.array(Tag.declared, graph.declared.map { $0 ? UInt8(1) : 0 })
    w.csr(graph.tags)
    w.csr(graph.forward)
    w.csr(graph.reverse)
    w.array(Tag.rank, graph.idRank)
    var meta = MetaWriter()
    meta.string(model.source)
    meta.string(model.mesh.name)
    meta.string(model.input.rawValue)
    meta.int(graph.usesDBTSelection ? 1 : 0)
    meta.strings(model.inputFiles)
    meta.blob(FindingCodec.encode(model.loadFindings))
    w.array(Tag.meta, meta.bytes)
    let bodyLength = w.bytes.count - headerSize
    let sum: UInt64 = w.bytes.withUnsafeBufferPointer {
      Self.checksum(UnsafeBufferPointer(rebasing: $0[headerSize...]))
    }
    var header: [UInt8] = magic
    func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
    put(formatVersion)
    put(UInt32(headerSize))
    put(key)
    put(UInt64(bodyLength))
    put(sum)
    put(UInt32(0x0102_0304))
    while header.count < headerSize { header.append(0) }
    w.bytes.replaceSubrange(0..<headerSize, with: header)
    return w.bytes
  }

  /// The model an image holds, when the image is whole, of this format, filed under
  /// `key`, and every part of it checks out; nil otherwise.
  ///
  /// - Parameters:
  ///   - image: The image's bytes (a mapped file, say).
  ///   - key: The key the caller expects the image to be filed under.
  ///   - keeper: What keeps `image`'s memory alive and unchanged (the mapped file):
  ///     with it the graph's large arrays (ids, adjacency, attributes, ranks) use the
  ///     image in place, kept alive as long as the model; without it they are copied.
  /// - Returns: The model, or nil.
  /// - Complexity: O(V + E), reading the image once (its checksum) and the arrays once
  ///   (their shape).
  public static func decode(_ image: UnsafeRawBufferPointer, key: UInt64, keeper: AnyObject? = nil) -> LineageModel? {
    guard image.count >= headerSize, image.count % 8 == 0 else { return nil }
    func header<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
      T(littleEndian: image.loadUnaligned(fromByteOffset: at, as: T.self))
    }
    guard image.prefix(8).elementsEqual(magic), header(8, UInt32.self) == formatVersion,
      header(12, UInt32.self) == UInt32(headerSize), header(16, UInt64.self) == key,
      header(24, UInt64.self) == UInt64(image.count - headerSize), header(40, UInt32.self) == 0x0102_0304,
      image[44..<headerSize].allSatisfy({ $0 == 0 })
    else { return nil }
    let body = UnsafeRawBufferPointer(rebasing: image[headerSize...])
    // The body is checked (every index in range, every table well formed) while its
    // checksum is worked out on the other cores: the checks never trust the bytes,
    // and the model is handed out only when the checksum matches too.
    let parsed = Parsed()
    let keeper = UnsafeSendable(keeper), whole = UnsafeSendable(body)
    let sum = checksum(body.assumingMemoryBound(to: UInt8.self)) {
      parsed.model = parse(whole.value, keeper: keeper.value)
    }
    guard sum == header(32, UInt64.self) else { return nil }
    return parsed.model
  }

  /// The model parsed beside the checksum (``decode(_:key:keeper:)``); written by one
  /// iteration, read after all are done.
  final class Parsed: @unchecked Sendable {
    var model: LineageModel?
  }

  /// The model in an image's body, when every part of it checks out (see
  /// ``decode(_:key:keeper:)``); nil otherwise.
  static func parse(_ body: UnsafeRawBufferPointer, keeper: AnyObject?) -> LineageModel? {
    var r = Reader(body: body, keeper: keeper)
    guard let ids = r.interner(), let kindNames = r.interner(), let domainNames = r.interner(),
      let ownerNames = r.interner(), let tagNames = r.interner(),
      let kind: FlatArray<Int32> = r.flat(Tag.kind), let domain: FlatArray<Int32> = r.flat(Tag.domain),
      let owner: FlatArray<Int32> = r.flat(Tag.owner), let status: [UInt8] = r.array(Tag.status),
      let declared: [UInt8] = r.array(Tag.declared)
    else { return nil }
    let n = ids.count
    guard kind.count == n, domain.count == n, owner.count == n, status.count == n, declared.count == n,
      allWithin(kind, 0, kindNames.count), allWithin(domain, -1, domainNames.count),
      allWithin(owner, -1, ownerNames.count),
      status.allSatisfy({ Int($0) < ProductStatus.allCases.count }),
      let tags = r.csr(rows: n, bound: tagNames.count), let forward = r.csr(rows: n, bound: n),
      let reverse = r.csr(rows: n, bound: n), forward.edgeCount == reverse.edgeCount,
      let rank: FlatArray<Int32> = r.flat(Tag.rank), rank.count == n, isPermutation(rank),
      let meta: [UInt8] = r.array(Tag.meta), r.offset == body.count
    else { return nil }
    var m = MetaReader(bytes: meta)
    guard let source = m.string(), let name = m.string(), let inputName = m.string(),
      let input = LineageModel.InputKind(rawValue: inputName), let usesDBT = m.int(), let files = m.strings(),
      let kept = m.blob(), let (findings, _) = kept.withUnsafeBufferPointer({ FindingCodec.decode($0) }),
      m.offset == meta.count
    else { return nil }
    let statuses = ProductStatus.allCases
    var graph = LineageGraph(
      ids: ids, kindNames: kindNames, domainNames: domainNames, ownerNames: ownerNames, tagNames: tagNames,
      kind: kind, domain: domain, owner: owner, status: status.map { statuses[Int($0)] },
      tags: tags, forward: forward, reverse: reverse, declared: declared.map { $0 != 0 })
    graph.idRank = rank
    graph.usesDBTSelection = usesDBT != 0
    var model = LineageModel(graph: graph, findings: findings, source: source, name: name)
    model.input = input
    model.inputFiles = files
    return model
  }

  /// A 64-bit digest of `bytes`, eight bytes at a time in four independent lanes, for
  /// checksums and content keys (not a cryptographic hash). Inputs above 16 MiB are
  /// digested in 8 MiB chunks on every core, and the chunks' digests digested again; the
  /// result does not depend on the number of cores.
  ///
  /// - Parameter bytes: The bytes.
  /// - Returns: The digest.
  /// - Complexity: O(n).
  public static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { checksum(bytes) {} }

  /// ``checksum(_:)``, with `alongside` run meanwhile: first, on one core, while the
  /// others take the chunks (before or after the digest when the input is small).
  static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, alongside: @Sendable () -> Void) -> UInt64 {
    let chunk = 8 << 20
    guard bytes.count > 2 * chunk else {
      alongside()
      return digest(bytes, seed: 0)
    }
    let chunks = (bytes.count + chunk - 1) / chunk
    var digests = [UInt64](repeating: 0, count: chunks)
    digests.withUnsafeMutableBufferPointer { out in
      let out = UnsafeSendable(out)
      let input = UnsafeSendable(bytes)
      // Iteration 0 runs `alongside`; concurrentPerform hands iterations out in order,
      // so it starts at once.
      DispatchQueue.concurrentPerform(iterations: chunks + 1) { i in
        guard i > 0 else { return alongside() }
        let lo = (i - 1) * chunk, hi = min(input.value.count, lo + chunk)
        out.value[i - 1] = digest(UnsafeBufferPointer(rebasing: input.value[lo..<hi]), seed: UInt64(i))
      }
    }
    return digests.withUnsafeBytes { digest($0.assumingMemoryBound(to: UInt8.self), seed: UInt64(bytes.count)) }
  }

  static func digest(_ b: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
    let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    var a = seed ^ p1, b2 = seed &+ p2, c = seed ^ 0x1656_67B1_9E37_79F9, d = seed &- p1
    let n = b.count
    guard let base = b.baseAddress else { return finish(a ^ UInt64(n)) }
    let raw = UnsafeRawPointer(base)
    var i = 0
    @inline(__always) func round(_ h: UInt64, _ w: UInt64) -> UInt64 {
      let x = (h ^ w) &* p2
      return (x << 31 | x >> 33) &* p1
    }
    while i + 32 <= n {
      a = round(a, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      b2 = round(b2, raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
      c = round(c, raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
      d = round(d, raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
      i += 32
    }
    var h = (a << 1 | a >> 63) &+ (b2 << 7 | b2 >> 57) &+ (c << 12 | c >> 52) &+ (d << 18 | d >> 46)
    h ^= UInt64(n)
    while i + 8 <= n {
      h = round(h, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      i += 8
    }
    var tail: UInt64 = 0
    var k = 0
    while i < n {
      tail |= UInt64(base[i]) << UInt64(8 * k)
      i += 1
      k += 1
    }
    if k > 0 { h = round(h, tail) }
    return finish(h)
  }

  static func finish(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h &*= 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
  }

  /// Whether every value lies in `lo..<hi` (a branch-free pass, which vectorizes).
  static func allWithin(_ values: FlatArray<Int32>, _ lo: Int32, _ hi: Int) -> Bool {
    let width = UInt32(clamping: hi - Int(lo))
    return values.withUnsafeBufferPointer { v in
      var outside = false
      for x in v { outside = outside || UInt32(bitPattern: x &- lo) >= width }
      return !outside
    }
  }

  static func isPermutation(_ rank: FlatArray<Int32>) -> Bool {
    var seen = [Bool](repeating: false, count: rank.count)
    return rank.withUnsafeBufferPointer { ranks in
      seen.withUnsafeMutableBufferPointer { seen in
        for r in ranks {
          guard UInt32(bitPattern: r) < UInt32(ranks.count), !seen[Int(r)] else { return false }
          seen[Int(r)] = true
        }
        return true
      }
    }
  }

  enum Tag {
    static let arena: UInt32 = 1, starts: UInt32 = 2, lengths: UInt32 = 3, slots: UInt32 = 4
    static let kind: UInt32 = 10, domain: UInt32 = 11, owner: UInt32 = 12, status: UInt32 = 13
    static let declared: UInt32 = 14, offsets: UInt32 = 20, targets: UInt32 = 21
    static let rank: UInt32 = 30, meta: UInt32 = 40
  }

  /// Appends sections: tag, element size, count, elements, padding to 8 bytes.
  struct Writer {
    var bytes: [UInt8] = []

    mutating func word<T: FixedWidthInteger>(_ v: T) {
      withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func section(_ tag: UInt32, elementSize: Int, count: Int, _ raw: UnsafeRawBufferPointer) {
      word(tag)
      word(UInt32(elementSize))
      word(UInt64(count))
      bytes.append(contentsOf: raw)
      while bytes.count % 8 != 0 { bytes.append(0) }
    }

    mutating func array<T: FixedWidthInteger>(_ tag: UInt32, _ a: [T]) {
      a.withUnsafeBytes { section(tag, elementSize: MemoryLayout<T>.size, count: a.count, $0) }
    }

    mutating func array<T: FixedWidthInteger>(_ tag: UInt32, _ a: FlatArray<T>) {
      a.withUnsafeBytes { section(tag, elementSize: MemoryLayout<T>.size, count: a.count, $0) }
    }

    mutating func interner(_ t: Interner) {
      array(Tag.arena, t.arena)
      // `Int` is 64 bits wide on every platform the tool builds for; the image says 8.
      array(Tag.starts, t.starts)
      array(Tag.lengths, t.lengths)
      array(Tag.slots, t.slots)
    }

    mutating func csr(_ c: CSR) {
      array(Tag.offsets, c.offsets)
      array(Tag.targets, c.targets)
    }
  }

  /// Reads the sections `Writer` wrote, checking each before it is used. With a
  /// `keeper` (the mapped file the body lies in), the large arrays view the body in
  /// place; without one they are copied.
  struct Reader {
    let body: UnsafeRawBufferPointer
    let keeper: AnyObject?
    var offset = 0

    /// The next section's elements, where they lie in the body, when it has `tag` and
    /// elements of `T`'s size.
    mutating func section<T: FixedWidthInteger>(_ tag: UInt32, _: T.Type) -> UnsafeRawBufferPointer? {
      guard offset + 16 <= body.count else { return nil }
      let t = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
      let size = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
      let count = UInt64(littleEndian: body.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
      let left = body.count - offset - 16
      guard t == tag, Int(size) == MemoryLayout<T>.size, count <= UInt64(left / MemoryLayout<T>.size) else {
        return nil
      }
      let length = Int(count) * MemoryLayout<T>.size
      let start = offset + 16
      offset = (start + length + 7) & ~7
      guard offset <= body.count else { return nil }
      return UnsafeRawBufferPointer(rebasing: body[start..<start + length])
    }

    mutating func array<T: FixedWidthInteger>(_ tag: UInt32) -> [T]? {
      guard let raw = section(tag, T.self) else { return nil }
      let n = raw.count / MemoryLayout<T>.size
      let a = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
        if n > 0, let dst = buffer.baseAddress, let src = raw.baseAddress {
          UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: raw.count)
        }
        initialized = n
      }
      if T.self != UInt8.self, UInt32(littleEndian: 1) != 1 { return a.map { T(littleEndian: $0) } }
      return a
    }

    /// A section as a ``FlatArray``: a view of the body when it is kept alive, aligned
    /// and little-endian like this machine, else a copy.
    mutating func flat<T: FixedWidthInteger & BitwiseCopyable & Sendable>(_ tag: UInt32) -> FlatArray<T>? {
      let at = offset
      guard let raw = section(tag, T.self) else { return nil }
      if let keeper, UInt32(littleEndian: 1) == 1, let base = raw.baseAddress,
        Int(bitPattern: base) % MemoryLayout<T>.alignment == 0
      {
        let typed = base.assumingMemoryBound(to: T.self)
        return FlatArray(
          viewing: UnsafeBufferPointer(start: typed, count: raw.count / MemoryLayout<T>.size), keptBy: keeper)
      }
      offset = at
      return array(tag).map { FlatArray($0) }
    }

    mutating func interner() -> Interner? {
      guard let arena: FlatArray<UInt8> = flat(Tag.arena), let starts: FlatArray<Int> = flat(Tag.starts),
        let lengths: FlatArray<Int32> = flat(Tag.lengths), let slots: FlatArray<UInt64> = flat(Tag.slots),
        starts.count == lengths.count, slots.count >= 16, slots.count & (slots.count - 1) == 0,
        starts.count < slots.count, arena.count < 1 << 40,
        Self.recordsCheck(arena: arena, starts: starts, lengths: lengths, slots: slots)
      else { return nil }
      return Interner(arena: arena, starts: starts, lengths: lengths, slots: slots)
    }

    /// Every string's bytes lie inside the arena, and one slot at least is empty (so a
    /// probe ends). The records behind the slots are not read here: a probe trusts a
    /// slot only as far as its record lies inside the arena and names an index in range
    /// (``Interner``), so a table that passes reads safely; that it is the table that was
    /// written is the checksum's job. Branch-free passes over the arrays, which vectorize.
    static func recordsCheck(
      arena: FlatArray<UInt8>, starts: FlatArray<Int>, lengths: FlatArray<Int32>, slots: FlatArray<UInt64>
    ) -> Bool {
      starts.withUnsafeBufferPointer { st in
        lengths.withUnsafeBufferPointer { ln in
          slots.withUnsafeBufferPointer { sl in
            let size = arena.count
            var outside = false
            for i in 0..<st.count {
              let s = st[i], len = Int(ln[i])
              outside = outside || s < 8 || s > size || len < 0 || len > size - s
            }
            var empty = false
            for v in sl { empty = empty || v == 0 }
            return !outside && empty
          }
        }
      }
    }

    mutating func csr(rows: Int, bound: Int) -> CSR? {
      guard let offsets: FlatArray<Int32> = flat(Tag.offsets), let targets: FlatArray<Int32> = flat(Tag.targets),
        offsets.count == rows + 1, CSR.isWellFormed(offsets: offsets, targets: targets, targetBound: bound)
      else { return nil }
      return CSR(offsets: offsets, targets: targets)
    }
  }

  /// The names, and the load findings (``FindingCodec``): integers and length-prefixed strings.
  struct MetaWriter {
    var bytes: [UInt8] = []
    mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
      int(s.utf8.count)
      bytes.append(contentsOf: s.utf8)
    }
    mutating func strings(_ list: [String]) {
      int(list.count)
      for s in list { string(s) }
    }
    mutating func blob(_ b: [UInt8]) {
      int(b.count)
      bytes.append(contentsOf: b)
    }
  }

  struct MetaReader {
    let bytes: [UInt8]
    var offset = 0
    mutating func int() -> Int? {
      guard offset + 8 <= bytes.count else { return nil }
      let v = bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Int64.self)) }
      offset += 8
      return Int(v)
    }
    mutating func string() -> String? {
      guard let n = int(), n >= 0, n <= bytes.count - offset else { return nil }
      let s = String(decoding: bytes[offset..<offset + n], as: UTF8.self)
      offset += n
      return s
    }
    mutating func strings() -> [String]? {
      guard let n = int(), n >= 0, n <= bytes.count - offset else { return nil }
      var out: [String] = []
      for _ in 0..<n {
        guard let s = string() else { return nil }
        out.append(s)
      }
      return out
    }
    mutating func blob() -> [UInt8]? {
      guard let n = int(), n >= 0, n <= bytes.count - offset else { return nil }
      defer { offset += n }
      return Array(bytes[offset..<offset + n])
    }
  }
}

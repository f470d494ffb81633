internal import Dispatch
import LineageCore
internal import Synchronization

/// The rows of a node list as the graph holds them: node indices in id order, with
/// their depths. Reports write them straight from the graph's interned strings into
/// their output buffer, with no ``NodeRow`` per node; ``rows`` makes those for callers
/// that want them.
struct NodeTable: Sendable {
  /// The model the nodes belong to.
  let model: LineageModel
  /// Nodes, sorted by id (byte order).
  let nodes: [Int32]
  /// The depth of each of ``nodes``.
  let depths: [Int32]

  /// Sorts `nodes` by id (``LineageGraph/orderByID(_:)``), keeping each depth with its node.
  init(model: LineageModel, nodes: [Int32], depths: [Int32]) {
    self.model = model
    let order = model.graph.orderByID(nodes)
    self.nodes = order.map { nodes[Int($0)] }
    self.depths = order.map { depths[Int($0)] }
  }

  var count: Int { nodes.count }

  /// One ``NodeRow`` per node, in id order.
  var rows: [NodeRow] {
    let g = model.graph
    return nodes.indices.map { i in
      let v = nodes[i]
      let decl = model.declaration(of: v)
      var row = NodeRow(
        id: g.id(v), kind: g.kindName(v), domain: g.domainName(v), owner: g.ownerName(v),
        depth: Int(depths[i]), status: g.status[Int(v)].rawValue, name: decl?.name)
      row.provenance = decl?.provenance.map(\.description) ?? []
      return row
    }
  }

  /// The number of distinct domains (no domain counting as one) and the largest depth.
  var domainCountAndDeepest: (domains: Int, deepest: Int) {
    let g = model.graph
    var seen = [Bool](repeating: false, count: g.domainNames.count + 1)
    var domains = 0, deepest: Int32 = 0
    for (i, v) in nodes.enumerated() {
      let d = groupKey(v) + 1
      if !seen[d] {
        seen[d] = true
        domains += 1
      }
      deepest = max(deepest, depths[i])
    }
    return (domains, Int(deepest))
  }

  /// The domain a text report lists node `v` under: its domain's index, -1 for none
  /// (a domain named "" is listed with the nodes that have none, as the text report
  /// groups by name).
  func groupKey(_ v: Int32) -> Int {
    let d = model.graph.domain[Int(v)]
    if d < 0 { return -1 }
    return model.graph.domainNames.withBytes(d) { $0.isEmpty } ? -1 : Int(d)
  }

  /// The position of `s` in `ProductStatus.allCases`.
  @inline(__always) static func slot(_ s: ProductStatus) -> Int {
    switch s {
    case .draft: 0
    case .active: 1
    case .deprecated: 2
    case .retired: 3
    }
  }

  /// Writes each node as the compact object ``NodeListReport/json()`` documents.
  ///
  /// Rows go a block at a time: first every field of the block's nodes is gathered
  /// (independent loads, whose cache misses overlap: nodes in id order are scattered
  /// over the graph's arrays), then each row is laid out in a scratch buffer with plain
  /// stores and appended in one copy. The tables' names are quoted once, not per row.
  /// A long list is written in chunks on every core, joined in order.
  ///
  /// - Parameters:
  ///   - w: The writer, inside the array of nodes.
  ///   - chunks: How many chunks to write the rows in (tests); ``ChunkedRows/chunkCount(_:)`` when nil.
  func writeJSON(into w: inout JSONWriter, chunks: Int? = nil) {
    let table = self
    let names = NameTables(model.graph, quoted: true)
    ChunkedRows.write(count: nodes.count, chunks: chunks, bytesPerRow: 120, into: &w) { range, separator, out in
      table.writeJSONRows(range, names: names, separator: separator, into: &out)
    }
  }

  /// Appends the rows of `range` to `out`, `separator` between two.
  func writeJSONRows(_ range: Range<Int>, names: NameTables, separator: [UInt8], into out: inout [UInt8]) {
    let g = model.graph
    let kinds = names.kinds, domains = names.domains, owners = names.owners
    let statuses = ByteTable(ProductStatus.allCases.map { JSONWriter.quoted($0.rawValue) })
    let declared = model.hasDeclarations
    // The keys, the longest names and a depth; an id adds six bytes a byte at most.
    let fixed = 96 + kinds.longest + domains.longest + owners.longest + statuses.longest
    let block = 1024
    var gathered = [Gathered](repeating: Gathered(), count: min(block, range.count))
    var scratch = [UInt8](repeating: 0, count: fixed + 6 * 64)
    kinds.withBytes { kinds in
      domains.withBytes { domains in
        owners.withBytes { owners in
          statuses.withBytes { statuses in
            g.kind.withUnsafeBufferPointer { kind in
              g.domain.withUnsafeBufferPointer { domain in
                g.owner.withUnsafeBufferPointer { owner in
                  g.ids.withRecords { ids in
                    var lo = range.lowerBound
                    while lo < range.upperBound {
                      let hi = min(range.upperBound, lo + block)
                      var longest = 0
                      for i in lo..<hi {
                        let v = nodes[i], vi = Int(v)
                        let (start, count) = ids.span(v)
                        longest = max(longest, count)
                        gathered[i - lo] = Gathered(
                          start: start, count: Int32(count), kind: kind[vi], domain: domain[vi], owner: owner[vi],
                          status: UInt8(Self.slot(g.status[vi])),
                          // The id's first byte: its cache line is then at hand when the row is written.
                          first: ids.bytes(start: start, count: count).first ?? 0)
                      }
                      if scratch.count < fixed + 6 * longest {
                        scratch = [UInt8](repeating: 0, count: fixed + 6 * longest)
                      }
                      scratch.withUnsafeMutableBufferPointer { scratch in
                        for i in lo..<hi {
                          let f = gathered[i - lo]
                          var r = RowWriter(scratch)
                          r.put(#"{"id":"#)
                          r.putJSONString(ids.bytes(start: f.start, count: Int(f.count)))
                          r.put(#","kind":"#)
                          r.put(kinds[Int(f.kind)])
                          r.put(#","domain":"#)
                          if f.domain < 0 { r.put("null") } else { r.put(domains[Int(f.domain)]) }
                          r.put(#","owner":"#)
                          if f.owner < 0 { r.put("null") } else { r.put(owners[Int(f.owner)]) }
                          r.put(#","depth":"#)
                          r.putDecimal(depths[i])
                          r.put(#","status":"#)
                          r.put(statuses[Int(f.status)])
                          if i > range.lowerBound { out.append(contentsOf: separator) }
                          if declared, let decl = model.declaration(of: nodes[i]) {
                            // Declared nodes (a mesh, not a bare graph) carry names and
                            // provenance of any length: written through the buffer's appends.
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<r.count]))
                            if let name = decl.name {
                              out.append(contentsOf: #","name":"#.utf8)
                              out.append(contentsOf: JSONWriter.quoted(name))
                            }
                            if !decl.provenance.isEmpty {
                              out.append(contentsOf: #","provenance":["#.utf8)
                              for (k, p) in decl.provenance.enumerated() {
                                if k > 0 { out.append(UInt8(ascii: ",")) }
                                out.append(contentsOf: JSONWriter.quoted(p.description))
                              }
                              out.append(UInt8(ascii: "]"))
                            }
                            out.append(UInt8(ascii: "}"))
                            continue
                          }
                          r.put(UInt8(ascii: "}"))
                          out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<r.count]))
                        }
                      }
                      lo = hi
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// What a JSON row needs of its node, gathered a block at a time.
  struct Gathered {
    var start = 0
    var count: Int32 = 0
    var kind: Int32 = 0
    var domain: Int32 = -1
    var owner: Int32 = -1
    var status: UInt8 = 0
    var first: UInt8 = 0
  }

  /// True when a byte is printable ASCII: text that is only such bytes is its own
  /// terminal-safe form and as wide as it is long.
  @inline(__always) static func isPlain(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F }

  static func isPlain(_ p: UnsafeBufferPointer<UInt8>) -> Bool { Interner.isPrintableASCII(p) }

  static func isPlain(_ s: String) -> Bool { s.utf8.allSatisfy { isPlain($0) } }

  /// The domain groups of ``NodeListReport/text(style:moreEdges:)`` (each a heading and
  /// an aligned table) when every string is printable ASCII and no node has a
  /// provenance; nil otherwise (the caller then lays the rows out from ``rows``). Each
  /// group's rows are laid out as they are written, on every core.
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The groups' parts, in order, or nil.
  func textGroups(style: TextStyle) -> [ReportBytes.Part]? {
    let g = model.graph
    for t in [g.kindNames, g.domainNames, g.ownerNames] where !t.isPrintableASCII { return nil }
    if model.hasDeclarations {
      for v in nodes where !(model.declaration(of: v)?.provenance.isEmpty ?? true) { return nil }
    }
    // Every field of every row gathered in one pass, on every core (nodes in id order
    // are scattered over the graph's arrays), so the passes below read them in order.
    let emptyDomain = (0..<Int32(g.domainNames.count)).map { g.domainNames.withBytes($0) { $0.isEmpty } }
    var info = [Gathered](repeating: Gathered(), count: nodes.count)
    let chunks = ChunkedRows.chunkCount(nodes.count)
    let size = (nodes.count + chunks - 1) / max(1, chunks)
    // (An atomic count, not a `Mutex`: ThreadSanitizer does not see the Mutex's lock.)
    let plainChunks = Atomic<Int>(0)
    info.withUnsafeMutableBufferPointer { info in
      let target = ChunkedRows.UnsafeTarget(info)
      DispatchQueue.concurrentPerform(iterations: chunks) { k in
        let range = min(nodes.count, k * size)..<min(nodes.count, (k + 1) * size)
        let plain = g.ids.withRecords { ids in
          g.kind.withUnsafeBufferPointer { kind in
            g.domain.withUnsafeBufferPointer { domain in
              g.owner.withUnsafeBufferPointer { owner in
                g.status.withUnsafeBufferPointer { status in
                  nodes.withUnsafeBufferPointer { nodes in
                    for i in range {
                      // Nodes in id order are scattered: the places of the ids 16
                      // ahead, their bytes and attributes 8 ahead, are asked for.
                      if i + 16 < range.upperBound { ids.prefetchSpan(nodes[i + 16]) }
                      if i + 8 < range.upperBound {
                        let w = nodes[i + 8]
                        ids.prefetchBytes(w)
                        kind.prefetch(at: Int(w))
                        domain.prefetch(at: Int(w))
                        owner.prefetch(at: Int(w))
                        status.prefetch(at: Int(w))
                      }
                      let v = nodes[i], vi = Int(v)
                      let (start, count) = ids.span(v)
                      if !Self.isPlain(ids.bytes(start: start, count: count)) { return false }
                      let d = domain[vi]
                      target.buffer[i] = Gathered(
                        start: start, count: Int32(count), kind: kind[vi],
                        domain: d < 0 || emptyDomain[Int(d)] ? -1 : d, owner: owner[vi],
                        status: UInt8(Self.slot(status[vi])), first: 0)
                    }
                    return true
                  }
                }
              }
            }
          }
        }
        if plain { plainChunks.add(1, ordering: .relaxed) }
      }
    }
    if plainChunks.load(ordering: .relaxed) != chunks { return nil }
    // Groups in the byte order of their domains' names, none ("") first; rows in id
    // order within each.
    var members = [[Int32]](repeating: [], count: g.domainNames.count + 1)
    for i in info.indices { members[Int(info[i].domain) + 1].append(Int32(i)) }
    var named = (0..<Int32(g.domainNames.count)).filter { !members[Int($0) + 1].isEmpty }
    g.domainNames.sortByBytes(&named)
    let order = (members[0].isEmpty ? [] : [-1]) + named.map { Int($0) }

    let bold = style.codes("1"), dim = style.codes("2"), cyan = style.codes("36"), yellow = style.codes("33")
    // Flat tables: a row copies a name with a pointer and a length, and retains no
    // array (both cores' rows would bounce the arrays' counts between them).
    let kinds = ByteTable(g.kindNames.strings.map { Array($0.utf8) })
    let owners = ByteTable(g.ownerNames.strings.map { Array($0.utf8) })
    let statuses = ByteTable(ProductStatus.allCases.map { Array($0.rawValue.utf8) })
    let deepest = max(0, Int(depths.max() ?? 0))
    let depthTexts = ByteTable(
      (0...deepest).map { k in Array((k == 0 ? "root" : "\(k) hop\(k == 1 ? "" : "s")").utf8) })
    func styled(_ s: [UInt8], _ st: (open: [UInt8], close: [UInt8])) -> [UInt8] {
      s.isEmpty ? [] : st.open + s + st.close
    }
    var parts: [ReportBytes.Part] = []
    let gathered = info, depths = self.depths, ids = g.ids
    for key in order {
      let rows = members[key + 1]
      let name = key < 0 ? Array("(no domain)".utf8) : Array(g.domainNames[Int32(key)].utf8)
      parts.append(.bytes([10] + styled(name, bold) + styled(Array("  \(rows.count)".utf8), dim) + [10]))
      var widths = [0, 0, 0, 0, 0]
      let active = Self.slot(.active)
      for i in rows {
        let f = info[Int(i)]
        widths[0] = max(widths[0], Int(f.count))
        widths[1] = max(widths[1], kinds.count(Int(f.kind)))
        widths[2] = max(widths[2], f.owner < 0 ? 1 : owners.count(Int(f.owner)))
        widths[3] = max(widths[3], depthTexts.count(Int(depths[Int(i)])))
        widths[4] = max(widths[4], Int(f.status) == active ? 0 : statuses.count(Int(f.status)))
      }
      let room = 16 + widths.reduce(0, +) + 5 * 2 + 3 * 8 + cyan.open.count + dim.open.count + yellow.open.count
      let groupWidths = widths
      let lines = ChunkedRows(count: rows.count, bytesPerRow: 80, separator: [], chunks: nil) { range, _, out in
        Self.writeTextRows(
          rows[range], info: gathered, depths: depths, ids: ids, widths: groupWidths, room: room, kinds: kinds,
          owners: owners, statuses: statuses, depthTexts: depthTexts, codes: (cyan, dim, yellow), into: &out)
      }
      parts.append(.rows(lines))
    }
    return parts
  }

  /// Appends the table lines of `rows` (positions in the node list) of one domain's
  /// group, aligned to `widths`; every string is printable ASCII.
  static func writeTextRows(
    _ rows: ArraySlice<Int32>, info: [Gathered], depths: [Int32], ids: Interner, widths: [Int], room: Int,
    kinds: ByteTable, owners: ByteTable, statuses: ByteTable, depthTexts: ByteTable,
    codes: (
      cyan: (open: [UInt8], close: [UInt8]), dim: (open: [UInt8], close: [UInt8]),
      yellow: (open: [UInt8], close: [UInt8])
    ),
    into out: inout [UInt8]
  ) {
    let active = slot(.active)
    // The colour codes as one table: cyan, dim, yellow, each open then close.
    let colours = ByteTable([
      codes.cyan.open, codes.cyan.close, codes.dim.open, codes.dim.close, codes.yellow.open, codes.yellow.close,
    ])
    // Each row laid out in a scratch buffer sized for the widest, appended in one copy.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { scratch in
      kinds.withBytes { kinds in
        owners.withBytes { owners in
          statuses.withBytes { statuses in
            depthTexts.withBytes { depthTexts in
              colours.withBytes { colours in
                /// `s` in colour `c` (0 cyan, 1 dim, 2 yellow); nothing when empty.
                func styled(_ r: inout RowWriter, _ s: UnsafeBufferPointer<UInt8>, _ c: Int) {
                  if s.isEmpty { return }
                  r.put(colours[2 * c])
                  r.put(s)
                  r.put(colours[2 * c + 1])
                }
                ids.withRecords { ids in
                  info.withUnsafeBufferPointer { info in
                    for (k, i) in rows.enumerated() {
                      // The ids' bytes of the rows 8 ahead are asked for.
                      if k + 8 < rows.count {
                        let ahead = info[Int(rows[rows.startIndex + k + 8])]
                        ids.bytes(start: ahead.start, count: Int(ahead.count)).prefetch(at: 0)
                      }
                      let f = info[Int(i)]
                      var r = RowWriter(scratch)
                      r.pad(2)
                      r.put(ids.bytes(start: f.start, count: Int(f.count)))
                      r.pad(widths[0] - Int(f.count) + 2)
                      let kind = kinds[Int(f.kind)]
                      styled(&r, kind, 0)
                      r.pad(widths[1] - kind.count + 2)
                      if f.owner < 0 {
                        r.put(UInt8(ascii: "-"))
                        r.pad(widths[2] - 1 + 2)
                      } else {
                        let owner = owners[Int(f.owner)]
                        r.put(owner)
                        r.pad(widths[2] - owner.count + 2)
                      }
                      let depth = depthTexts[Int(depths[Int(i)])]
                      styled(&r, depth, 1)
                      r.pad(widths[3] - depth.count + 2)
                      if Int(f.status) != active { styled(&r, statuses[Int(f.status)], 2) }
                      r.trimTrailingSpaces()
                      r.put(10)
                      out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<r.count]))
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// A graph's kind, domain and owner names as ``ByteTable``s, quoted for JSON or as they
/// are, made once for all the rows of an output (a graph may have many owners, and the
/// rows go in many blocks).
struct NameTables: Sendable {
  let kinds: ByteTable
  let domains: ByteTable
  let owners: ByteTable

  init(_ g: LineageGraph, quoted: Bool) {
    func table(_ t: Interner) -> ByteTable {
      ByteTable(t.strings.map { quoted ? JSONWriter.quoted($0) : Array($0.utf8) })
    }
    kinds = table(g.kindNames)
    domains = table(g.domainNames)
    owners = table(g.ownerNames)
  }
}

/// Strings as one flat run of bytes and their offsets: a row writer copies one with a
/// pointer and a length, with no array per string to retain.
struct ByteTable: Sendable {
  let bytes: [UInt8]
  let offsets: [Int]
  /// The length of the longest string.
  let longest: Int

  /// The length of string `i`.
  func count(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }

  init(_ strings: [[UInt8]]) {
    var bytes: [UInt8] = [], offsets = [0]
    for s in strings {
      bytes.append(contentsOf: s)
      offsets.append(bytes.count)
    }
    self.bytes = bytes
    self.offsets = offsets
    longest = strings.reduce(0) { max($0, $1.count) }
  }

  /// Calls `body` with a reader of the strings.
  func withBytes<R>(_ body: (Reader) -> R) -> R {
    bytes.withUnsafeBufferPointer { b in offsets.withUnsafeBufferPointer { body(Reader(bytes: b, offsets: $0)) } }
  }

  /// The strings, valid during ``ByteTable/withBytes(_:)``.
  struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let offsets: UnsafeBufferPointer<Int>
    subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: bytes[offsets[i]..<offsets[i + 1]])
    }
  }
}

/// Lays one row out in a scratch buffer that the caller sized for the longest row.
struct RowWriter {
  let base: UnsafeMutablePointer<UInt8>
  let capacity: Int
  private(set) var count = 0

  init(_ scratch: UnsafeMutableBufferPointer<UInt8>) {
    guard let start = scratch.baseAddress else { preconditionFailure("RowWriter: an empty scratch buffer") }
    base = start
    capacity = scratch.count
  }

  @inline(__always) mutating func put(_ b: UInt8) {
    precondition(count < capacity)
    base[count] = b
    count += 1
  }

  @inline(__always) mutating func put(_ b: UnsafeBufferPointer<UInt8>) {
    precondition(b.count <= capacity - count)
    if let p = b.baseAddress {
      // Most pieces are a few bytes: words copied in a loop cost less than a call to
      // memmove (the last word overlapping the one before), and bytes below a word.
      let n = b.count
      if n >= 8 && n <= 64 {
        let from = UnsafeRawPointer(p), to = UnsafeMutableRawPointer(base + count)
        var i = 0
        while i + 8 < n {
          to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
          i += 8
        }
        to.storeBytes(
          of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
      } else if n < 8 {
        for k in 0..<n { base[count + k] = p[k] }
      } else {
        (base + count).update(from: p, count: n)
      }
    }
    count += b.count
  }

  @inline(__always) mutating func put(_ s: StaticString) {
    put(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  /// `n` spaces.
  @inline(__always) mutating func pad(_ n: Int) {
    guard n > 0 else { return }
    precondition(n <= capacity - count)
    (base + count).initialize(repeating: 32, count: n)
    count += n
  }

  /// Drops the spaces at the end of what was written.
  mutating func trimTrailingSpaces() {
    while count > 0 && base[count - 1] == 32 { count -= 1 }
  }

  /// A non-negative number's decimal digits.
  mutating func putDecimal(_ v: Int32) {
    var n = UInt32(clamping: v), digits = 1, k: UInt32 = 10
    while n >= k && digits < 10 {
      digits += 1
      k = k &* 10
    }
    precondition(digits <= capacity - count)
    var at = count + digits
    repeat {
      at -= 1
      base[at] = UInt8(48 + n % 10)
      n /= 10
    } while n > 0
    count += digits
  }

  /// Whether any byte of `b` needs a JSON escape (a control byte, `"`, `\\` or DEL),
  /// eight bytes at a time: a byte below 0x20 leaves its high bit set in `x - 0x20…`
  /// where `x` had it clear; an equal byte leaves a zero in `x ^ c…`.
  @inline(__always) static func needsEscape(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = b.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= b.count {
      if wordNeedsEscape(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) { return true }
      i += 8
    }
    while i < b.count {
      let c = base[i]
      if c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F { return true }
      i += 1
    }
    return false
  }

  /// `b` as a quoted JSON string, escaped as ``JSONWriter`` escapes (at most six bytes a byte).
  mutating func putJSONString(_ b: UnsafeBufferPointer<UInt8>) {
    put(UInt8(ascii: "\""))
    putJSONStringBody(b)
    put(UInt8(ascii: "\""))
  }

  /// `b` escaped as ``JSONWriter`` escapes, without the quotes (part of a string).
  @inline(__always) mutating func putJSONStringBody(_ b: UnsafeBufferPointer<UInt8>) {
    guard let src = b.baseAddress else { return }
    // Copied eight bytes at a time while no byte needs an escape (checked as in
    // needsEscape), the last word overlapping the one before; from the first word
    // that needs one, escaped byte by byte.
    precondition(b.count <= capacity - count)
    let n = b.count
    let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(base + count)
    if n >= 8 {
      var i = 0
      while true {
        let at = min(i, n - 8)
        let x = from.loadUnaligned(fromByteOffset: at, as: UInt64.self)
        if Self.wordNeedsEscape(UInt64(littleEndian: x)) { break }
        to.storeBytes(of: x, toByteOffset: at, as: UInt64.self)
        i = at + 8
        if i == n {
          count += n
          return
        }
      }
    } else {
      var i = 0
      while i < n {
        let c = src[i]
        if c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F { break }
        to.storeBytes(of: c, toByteOffset: i, as: UInt8.self)
        i += 1
      }
      if i == n {
        count += n
        return
      }
    }
    putEscaped(b)
  }

  /// Whether any of the eight bytes of `x` needs a JSON escape (see ``needsEscape(_:)``).
  @inline(__always) static func wordNeedsEscape(_ x: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func zeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
    return (x &- 0x20 &* ones) & ~x & highs != 0 || zeroByte(x ^ (0x22 &* ones)) || zeroByte(x ^ (0x5C &* ones))
      || zeroByte(x ^ (0x7F &* ones))
  }

  /// `b` escaped byte by byte, without the quotes.
  @inline(never) mutating func putEscaped(_ b: UnsafeBufferPointer<UInt8>) {
    var run = 0
    for i in 0..<b.count {
      let c = b[i]
      if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") && c != 0x7F { continue }
      if i > run { put(UnsafeBufferPointer(rebasing: b[run..<i])) }
      switch c {
      case UInt8(ascii: "\""): put(#"\""#)
      case UInt8(ascii: "\\"): put(#"\\"#)
      case 10: put(#"\n"#)
      case 13: put(#"\r"#)
      case 9: put(#"\t"#)
      default:
        put(#"\u00"#)
        put(JSONWriter.hex[Int(c >> 4)])
        put(JSONWriter.hex[Int(c & 15)])
      }
      run = i + 1
    }
    if b.count > run { put(UnsafeBufferPointer(rebasing: b[run..<b.count])) }
  }
}

internal import Dispatch
public import LineageCore
internal import Synchronization

/// Reads the plain graph JSON format of `shared/bench/gen_lineage.py`:
///
/// ```json
/// {"nodes": [{"id": "int.finance.12", "domain": "finance", "layer": "int"}, ...],
///  "edges": [["src-id", "dst-id"], ...]}
/// ```
///
/// Node fields: `id` (required), `domain`, `owner`, `kind`, `layer`, `status`,
/// `tags`; others are skipped. Without `kind`, a `layer` of `src`/`source` makes a
/// source, `exp`/`exposure` a consumer, anything else a product; the layer is also
/// kept as a tag. An edge is `[src, dst]` or `{"source": src, "target": dst}`
/// (data flows from src to dst). The file is scanned once without building a
/// document tree; ids go straight into the interned id table.
public enum GraphJSONLoader {
  /// Parses graph JSON bytes into a model; `file` names the input in errors.
  ///
  /// - Parameters:
  ///   - bytes: The document.
  ///   - file: Its name, for errors.
  ///   - rankIDs: Also compute the id ranks (``LineageGraph/rankIDs()``), on a second
  ///     core while the graph is built (a graph image keeps them).
  /// - Returns: The model.
  /// - Throws: ``LoadError`` with the line and column of the first syntax or shape error.
  public static func load(bytes: UnsafeBufferPointer<UInt8>, file: String, rankIDs: Bool = false) throws(LoadError)
    -> LineageModel
  {
    try load(bytes: bytes, file: file, scanEdgesAhead: nil, rankIDs: rankIDs)
  }

  /// `scanEdgesAhead` forces the second-core edge scan on or off (tests and the fuzz
  /// harness, which compares both ways); nil decides by size, like the renumbering.
  @_spi(Testing) public static func load(
    bytes: UnsafeBufferPointer<UInt8>, file: String,
    scanEdgesAhead: Bool?, rankIDs: Bool = false
  ) throws(LoadError) -> LineageModel {
    var scanner = JSONScanner(bytes)
    // Sized low: a node takes 60-100 bytes and its edges as many again, so 200 bytes a
    // node guesses under more often than over. A table that grows rehashes once per
    // doubling; one sized for three times the nodes is zero-filled, probed sparsely
    // and rehashed down before an image keeps it (Interner.tight).
    var builder = GraphBuilder(capacity: max(16, bytes.count / 200), edges: max(16, bytes.count / 40))
    // Large generated graphs: number nodes topologically for traversal locality.
    builder.renumberForLocality = bytes.count >= 4 << 20
    builder.rankIDs = rankIDs
    var findings: [Finding] = []
    var sawNodes = false, sawEdges = false
    var undeclaredExample: String?
    // A large input's edges are scanned on a second core while this one reads the
    // nodes (see `EdgeScan`); small inputs are not worth a thread.
    let edgeScan = scanEdgesAhead ?? builder.renumberForLocality ? EdgeScan.start(bytes) : nil
    // The scan reads `bytes`, which the caller may unmap once this returns or throws.
    defer { edgeScan?.cancel() }
    do throws(JSONScanner.Failure) {
      try scanner.expect(UInt8(ascii: "{"), "'{' starting the graph object")
      if !scanner.isEmpty(close: UInt8(ascii: "}")) {
        repeat {
          let key = try scanner.string { String(decoding: $0, as: UTF8.self) }
          try scanner.expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
          switch key {
          case "nodes":
            sawNodes = true
            try readNodes(&scanner, &builder)
          case "edges":
            sawEdges = true
            scanner.skipSpace()
            if let done = edgeScan?.result(at: scanner.pos) {
              // The same bytes, already scanned: skip them and resolve the ids.
              scanner.pos = done.end
              var ends = done.ends
              ends.resolve(in: bytes, &builder)
            } else {
              try readEdges(&scanner, &builder)
            }
          default:
            try scanner.skipValue()
          }
        } while try scanner.next(close: UInt8(ascii: "}"), what: "the graph object")
      }
      scanner.skipSpace()
      if scanner.pos < bytes.count {
        throw JSONScanner.Failure(message: "unexpected \(scanner.found()) after the graph object", offset: scanner.pos)
      }
    } catch {
      let (line, column) = scanner.lineColumn(error.offset)
      throw LoadError(
        message: error.message, location: SourceLocation(file: file, line: line, column: column),
        hint: "graph JSON is {\"nodes\": [{\"id\": ...}], \"edges\": [[src, dst], ...]}")
    }
    if !sawNodes && !sawEdges {
      throw LoadError(
        message: "JSON object has neither \"nodes\" nor \"edges\"",
        location: SourceLocation(file: file, line: 1, column: 1),
        hint: "graph JSON is {\"nodes\": [{\"id\": ...}], \"edges\": [[src, dst], ...]}")
    }
    var undeclared = 0
    for v in 0..<Int32(builder.nodeCount) where !builder.isDeclared(v) {
      undeclared += 1
      if undeclaredExample == nil { undeclaredExample = builder.ids[v] }
    }
    if undeclared > 0, sawNodes {
      findings.append(
        Finding(
          rule: "undeclared-node", severity: .warning,
          message:
            "\(undeclared) node id(s) appear only in edges, not in \"nodes\" (first: '\(undeclaredExample ?? "")')",
          location: SourceLocation(file: file), hint: "they are kept as nodes without a domain"))
    }
    return LineageModel(graph: builder.build(), findings: findings, source: "graph JSON \(file)", name: file)
  }

  /// Throws the error for a value of the wrong type: `PATH must be EXPECTED, got a
  /// number`, at the value. A value that is not JSON at all gets its syntax error.
  static func mismatch(_ s: inout JSONScanner, _ path: String, _ expected: String) throws(JSONScanner.Failure) -> Never
  {
    let token = s.peek()
    let at = s.pos
    var what: String
    switch token {
    case .objectStart: what = "an object"
    case .arrayStart: what = "an array"
    case .string: what = "a string"
    case .number: what = "a number"
    case .literal: what = try s.literal() == "null" ? "null" : "a boolean"
    case .objectEnd, .arrayEnd, .end:
      try s.skipValue()  // throws "unexpected ..."
      what = s.found()
    }
    throw JSONScanner.Failure(message: "\(path) must be \(expected), got \(what)", offset: at)
  }

  /// A value quoted in a message, shortened when long.
  static func quoted(_ p: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: p.prefix(80), as: UTF8.self)
    return "'" + text + (p.count > 80 ? "...'" : "'")
  }

  static func readNodes(_ s: inout JSONScanner, _ b: inout GraphBuilder) throws(JSONScanner.Failure) {
    let input = s.bytes
    guard s.peek() == .arrayStart else { try mismatch(&s, "\"nodes\"", "an array") }
    s.pos += 1
    if s.isEmpty(close: UInt8(ascii: "]")) { return }
    var index = -1
    repeat {
      index += 1
      guard s.peek() == .objectStart else { try mismatch(&s, "nodes[\(index)]", "an object") }
      let objectStart = s.pos
      s.pos += 1
      var v: Int32 = -1
      var domain: Text?, owner: Text?, kind: Text?, layer: Text?, status: Text?
      var statusAt = 0
      var tags: [String] = []
      if !s.isEmpty(close: UInt8(ascii: "}")) {
        repeat {
          let key = try s.string { Key($0) }
          try s.expect(UInt8(ascii: ":"), "':'")
          if key != .other, s.peek() != (key == .tags ? .arrayStart : .string) {
            if s.peek() == .literal, input[s.pos] == UInt8(ascii: "n") {
              try s.literal()  // null: absent
              continue
            }
            try mismatch(&s, "nodes[\(index)].\(key)", key == .tags ? "an array" : "a string")
          }
          switch key {
          case .id:
            let start = s.pos
            v = try s.string { (p) throws(JSONScanner.Failure) -> Int32 in
              if p.isEmpty { throw JSONScanner.Failure(message: "nodes[\(index)].id is empty", offset: start) }
              return b.node(bytes: p)
            }
            if b.isDeclared(v) {
              throw JSONScanner.Failure(message: "duplicate node id '\(b.ids[v])'", offset: start)
            }
          case .domain: domain = try s.string { Text($0, in: input) }
          case .owner: owner = try s.string { Text($0, in: input) }
          case .kind: kind = try s.string { Text($0, in: input) }
          case .layer: layer = try s.string { Text($0, in: input) }
          case .status:
            statusAt = s.pos
            status = try s.string { Text($0, in: input) }
          case .tags:
            s.pos += 1
            if !s.isEmpty(close: UInt8(ascii: "]")) {
              var t = 0
              repeat {
                guard s.peek() == .string else { try mismatch(&s, "nodes[\(index)].tags[\(t)]", "a string") }
                tags.append(try s.string { String(decoding: $0, as: UTF8.self) })
                t += 1
              } while try s.next(close: UInt8(ascii: "]"), what: "tags")
            }
          case .other: try s.skipValue()
          }
        } while try s.next(close: UInt8(ascii: "}"), what: "a node object")
      }
      guard v >= 0 else { throw JSONScanner.Failure(message: "nodes[\(index)] has no \"id\"", offset: objectStart) }
      b.markDeclared(v)
      if let domain { domain.with(input) { b.setDomain(v, bytes: $0) } }
      if let owner { owner.with(input) { b.setOwner(v, bytes: $0) } }
      if let kind {
        kind.with(input) { b.setKind(v, bytes: $0) }
      } else if let layer {
        let k: StaticString = layer.with(input) { l in
          if Key.equals(l, "src") || Key.equals(l, "source") { return "source" }
          if Key.equals(l, "exp") || Key.equals(l, "exposure") { return "consumer" }
          return "product"
        }
        b.setKind(v, bytes: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
      }
      if let layer { layer.with(input) { b.addTag(v, bytes: $0) } }
      for t in tags { b.addTag(v, t) }
      if let status {
        guard let st = ProductStatus(rawValue: status.with(input) { String(decoding: $0, as: UTF8.self) }) else {
          throw JSONScanner.Failure(
            message:
              "nodes[\(index)].status must be draft, active, deprecated or retired, got \(status.with(input) { quoted($0) })",
            offset: statusAt)
        }
        b.setStatus(v, st)
      }
    } while try s.next(close: UInt8(ascii: "]"), what: "\"nodes\"")
  }

  static func readEdges(_ s: inout JSONScanner, _ b: inout GraphBuilder) throws(JSONScanner.Failure) {
    guard s.peek() == .arrayStart else { try mismatch(&s, "\"edges\"", "an array") }
    s.pos += 1
    if s.isEmpty(close: UInt8(ascii: "]")) { return }
    // Pass 1 scans the edges and keeps where each end's id is in the input (or, for
    // an id with escapes or an edge object, the node it names). Pass 2 looks the ids
    // up on every core: the lookups are cache misses in a table of a million ids,
    // most of the cost of a load. Pass 3 adds ids seen only in edges, and the edges.
    var ends = EdgeEnds()
    var index = -1
    repeat {
      index += 1
      let token = s.peek()
      let start = s.pos
      if token == .arrayStart {
        s.pos += 1
        func pair(_ n: Int) -> JSONScanner.Failure {
          JSONScanner.Failure(
            message: "edges[\(index)] must be a pair [src, dst], got \(n) element\(n == 1 ? "" : "s")", offset: start)
        }
        if s.isEmpty(close: UInt8(ascii: "]")) { throw pair(0) }
        guard s.peek() == .string else { try mismatch(&s, "edges[\(index)][0]", "a string") }
        try ends.add(&s, &b)
        if s.isEmpty(close: UInt8(ascii: "]")) { throw pair(1) }
        try s.expect(UInt8(ascii: ","), "',' between the two ends of an edge")
        guard s.peek() == .string else { try mismatch(&s, "edges[\(index)][1]", "a string") }
        try ends.add(&s, &b)
        if !s.isEmpty(close: UInt8(ascii: "]")) {
          var n = 2
          while try s.next(close: UInt8(ascii: "]"), what: "an edge") {
            try s.skipValue()
            n += 1
          }
          throw pair(n)
        }
      } else if token == .objectStart {
        s.pos += 1
        var src: Int32 = -1, dst: Int32 = -1
        if !s.isEmpty(close: UInt8(ascii: "}")) {
          repeat {
            let key = try s.string { String(decoding: $0, as: UTF8.self) }
            try s.expect(UInt8(ascii: ":"), "':'")
            switch key {
            case "source", "from", "src", "target", "to", "dst":
              guard s.peek() == .string else { try mismatch(&s, "edges[\(index)].\(key)", "a string") }
              let v = try s.string { b.node(bytes: $0) }
              if key == "source" || key == "from" || key == "src" { src = v } else { dst = v }
            default: try s.skipValue()
            }
          } while try s.next(close: UInt8(ascii: "}"), what: "an edge object")
        }
        if src < 0 || dst < 0 {
          throw JSONScanner.Failure(message: "edges[\(index)] needs \"source\" and \"target\"", offset: start)
        }
        ends.offsets.append(Int(src))
        ends.lengths.append(-1)
        ends.offsets.append(Int(dst))
        ends.lengths.append(-1)
      } else {
        try mismatch(&s, "edges[\(index)]", "a pair [src, dst] or an object {\"source\": src, \"target\": dst}")
      }
    } while try s.next(close: UInt8(ascii: "]"), what: "\"edges\"")
    ends.resolve(in: s.bytes, &b)
  }

  /// The "edges" array scanned on another thread while the nodes are read: the thread
  /// skips to the "edges" key and records where each end's id is, as pass 1 of
  /// ``readEdges`` does. It gives up (and the edges are read in order as usual) on
  /// anything but `[src, dst]` pairs of ids without escapes, and on any syntax error,
  /// which the ordinary pass then reports. Its result is used only if the "edges" value
  /// starts exactly where the reading thread finds it.
  final class EdgeScan: @unchecked Sendable {
    struct Done {
      var start: Int
      var end: Int
      var ends: EdgeEnds
    }
    private var done: Done?
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)

    static func start(_ bytes: UnsafeBufferPointer<UInt8>) -> EdgeScan {
      let scan = EdgeScan()
      nonisolated(unsafe) let input = bytes
      DispatchQueue.global().async { scan.run(input) }
      return scan
    }

    private func run(_ bytes: UnsafeBufferPointer<UInt8>) {
      defer { finished.signal() }
      var s = JSONScanner(bytes)
      do throws(JSONScanner.Failure) {
        try s.expect(UInt8(ascii: "{"), "")
        if s.isEmpty(close: UInt8(ascii: "}")) { return }
        repeat {
          let isEdges = try s.string { $0.elementsEqual("edges".utf8) }
          try s.expect(UInt8(ascii: ":"), "")
          guard isEdges else {
            try s.skipValue()
            continue
          }
          s.skipSpace()
          let start = s.pos
          var ends = EdgeEnds()
          try s.expect(UInt8(ascii: "["), "")
          if !s.isEmpty(close: UInt8(ascii: "]")) {
            repeat {
              guard s.peek() == .arrayStart, !cancelled.load(ordering: .relaxed) else { return }
              try s.expect(UInt8(ascii: "["), "")
              guard try ends.addPlain(&s) else { return }
              try s.expect(UInt8(ascii: ","), "")
              guard try ends.addPlain(&s) else { return }
              try s.expect(UInt8(ascii: "]"), "")
            } while try s.next(close: UInt8(ascii: "]"), what: "")
          }
          done = Done(start: start, end: s.pos, ends: ends)
          return
        } while try s.next(close: UInt8(ascii: "}"), what: "")
      } catch {
        return
      }
    }

    /// Stops the scan early and waits until it no longer reads the input.
    func cancel() {
      cancelled.store(true, ordering: .relaxed)
      finished.wait()
      finished.signal()
    }

    /// The scan, when it succeeded for the "edges" value that starts at `position`;
    /// waits for the scanning thread.
    func result(at position: Int) -> Done? {
      finished.wait()
      finished.signal()
      guard let done, done.start == position else { return nil }
      return done
    }
  }

  /// The two ends of every edge, as input ranges until they are resolved.
  struct EdgeEnds {
    /// Byte offset of the id in the input, or the node index when `lengths` is -1.
    var offsets: [Int] = []
    var lengths: [Int32] = []

    /// Reads one end: an id without escapes is recorded by position; one with escapes
    /// is resolved now.
    mutating func add(_ s: inout JSONScanner, _ b: inout GraphBuilder) throws(JSONScanner.Failure) {
      let input = s.bytes
      let v = try s.string { (p) -> Int in
        if let at = position(of: p, in: input) { return -at - 2 }  // a position, encoded below -1
        return Int(b.node(bytes: p))
      }
      if v < -1 {
        offsets.append(-v - 2)
        lengths.append(Int32(clamping: s.lastStringLength))
      } else {
        offsets.append(v)
        lengths.append(-1)
      }
    }

    /// Records one end that is an id without escapes; false for anything else.
    mutating func addPlain(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> Bool {
      let input = s.bytes
      // nil: an id with escapes (a copy), which only the ordinary pass resolves.
      guard let at = try s.string({ position(of: $0, in: input) }) else { return false }
      offsets.append(at)
      lengths.append(Int32(clamping: s.lastStringLength))
      return true
    }

    mutating func resolve(in input: UnsafeBufferPointer<UInt8>, _ b: inout GraphBuilder) {
      let n = offsets.count
      var found = [Int32](repeating: -1, count: n)
      let ids = b.ids
      let chunks = n >= 200_000 ? 2 : 1
      found.withUnsafeMutableBufferPointer { out in
        offsets.withUnsafeBufferPointer { off in
          lengths.withUnsafeBufferPointer { len in
            nonisolated(unsafe) let out = out, off = off, len = len, input = input
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
              let lo = n * c / chunks, hi = n * (c + 1) / chunks
              // Ends resolved while reading (escaped ids) carry their index; the rest
              // are looked up in groups. An end that is not a node stays -1.
              ids.lookupAll(hi - lo, into: UnsafeMutableBufferPointer(rebasing: out[lo..<hi])) { k in
                let i = lo + k
                return len[i] < 0
                  ? UnsafeBufferPointer(start: nil, count: 0)
                  : UnsafeBufferPointer(rebasing: input[off[i]..<off[i] + Int(len[i])])
              }
              for i in lo..<hi where len[i] < 0 { out[i] = Int32(off[i]) }
            }
          }
        }
      }
      var i = 0
      while i + 1 < n {
        var ends: (Int32, Int32) = (found[i], found[i + 1])
        if ends.0 < 0 {
          ends.0 = b.node(bytes: UnsafeBufferPointer(rebasing: input[offsets[i]..<offsets[i] + Int(lengths[i])]))
        }
        if ends.1 < 0 {
          ends.1 = b.node(
            bytes: UnsafeBufferPointer(rebasing: input[offsets[i + 1]..<offsets[i + 1] + Int(lengths[i + 1])]))
        }
        b.addEdge(ends.0, ends.1)
        i += 2
      }
    }
  }

  /// Where a string the scanner handed over starts in the input, or nil when it is a
  /// copy (it had escapes).
  static func position(of p: UnsafeBufferPointer<UInt8>, in input: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let pb = p.baseAddress, let base = input.baseAddress, pb >= base, pb < base + input.count else { return nil }
    return pb - base
  }

  /// A string value: a range of the input when it has no escapes (no copy), else a copy.
  enum Text {
    case input(Int, Int)
    case copy([UInt8])

    init(_ p: UnsafeBufferPointer<UInt8>, in input: UnsafeBufferPointer<UInt8>) {
      if let at = position(of: p, in: input) {
        self = .input(at, p.count)
      } else {
        self = .copy(Array(p))
      }
    }

    func with<R>(_ input: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
      switch self {
      case .input(let start, let count): body(UnsafeBufferPointer(rebasing: input[start..<start + count]))
      case .copy(let bytes): bytes.withUnsafeBufferPointer(body)
      }
    }
  }

  enum Key: CustomStringConvertible {
    case id, domain, owner, kind, layer, status, tags, other

    var description: String {
      switch self {
      case .id: "id"
      case .domain: "domain"
      case .owner: "owner"
      case .kind: "kind"
      case .layer: "layer"
      case .status: "status"
      case .tags: "tags"
      case .other: "other"
      }
    }
    init(_ p: UnsafeBufferPointer<UInt8>) {
      switch p.count {
      case 2 where Self.equals(p, "id"): self = .id
      case 6 where Self.equals(p, "domain"): self = .domain
      case 5 where Self.equals(p, "owner"): self = .owner
      case 4 where Self.equals(p, "kind"): self = .kind
      case 5 where Self.equals(p, "layer"): self = .layer
      case 6 where Self.equals(p, "status"): self = .status
      case 4 where Self.equals(p, "tags"): self = .tags
      default: self = .other
      }
    }

    /// Whether `p` holds the bytes of `s`, compared in place (a generic comparison with
    /// a `String`'s UTF-8 view cost 2 % of loading a million nodes).
    @inline(__always) static func equals(_ p: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
      guard p.count == s.utf8CodeUnitCount else { return false }
      for i in 0..<p.count where p[i] != s.utf8Start[i] { return false }
      return true
    }
  }
}

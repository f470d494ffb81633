internal import Foundation
public import LineageCore

/// The findings of a question about a mesh directory or a single input file (`validate`
/// on a date), kept in the cache directory so that asking it again of the same files
/// reads none of them.
///
/// A mesh directory is read whole for every question, and reading 10,000 products'
/// YAML, resolving their references and checking every policy takes seconds; the
/// answer depends only on the directory's files, the question and the tool. So, as
/// linters keep their diagnostics (ruff, ESLint's `--cache`), the findings are kept
/// under a key made of:
/// - the tool's identity and the question (with everything that changes its answer:
///   the date policies are checked on, the loader's options);
/// - the directory the input resolves to, and how findings name its files;
/// - a snapshot of the directory: the file status (device, inode, size, modification
///   and status-change times to the nanosecond) of every directory the loader walks
///   and every `*.yaml`/`*.yml` file it reads.
///
/// A file edited, added, removed or renamed changes a status in the snapshot (adding,
/// removing or renaming an entry changes its directory's times; writing a file, or
/// setting its modification time back, moves its status-change time, which no tool
/// can set back), so the key changes and the directory is read again. Findings are
/// kept only when the snapshot taken before reading equals the one after it and no
/// status in it is newer than ``racyMargin`` seconds (a change in the same clock tick
/// as the snapshot cannot go unseen). A kept file that is truncated, corrupt or of
/// another format is not used.
public struct FindingsCache: Sendable {
  /// The directory the findings are kept in (the graph cache's).
  public var directory: String
  /// What distinguishes this build of the tool from others.
  public var toolIdentity: String
  /// How long ago, in seconds, every snapshotted status must be for findings to be kept.
  var racyMargin: Double = 3

  /// Creates a cache over a directory.
  ///
  /// - Parameters:
  ///   - directory: Where findings are kept.
  ///   - toolIdentity: What distinguishes this build of the tool.
  public init(directory: String, toolIdentity: String) {
    self.directory = directory
    self.toolIdentity = toolIdentity
  }

  /// The findings of a question, as kept.
  public struct Kept: Sendable, Equatable {
    /// What was read (``LineageModel/source``).
    public var source: String
    /// The first file read, for reports that must name one.
    public var firstFile: String?
    /// The findings, in the order they were given.
    public var findings: [Finding]

    /// - Parameters:
    ///   - source: What was read.
    ///   - firstFile: The first file read.
    ///   - findings: The findings.
    public init(source: String, firstFile: String?, findings: [Finding]) {
      self.source = source
      self.firstFile = firstFile
      self.findings = findings
    }
  }

  /// A question about one mesh directory, with the snapshot of its files taken before
  /// it is answered.
  public struct Lookup: Sendable {
    /// The findings kept for this question and snapshot, when there are.
    public var kept: Kept?
    var root: String
    var file: String
    var key: UInt64
    var snapshot: Snapshot
  }

  /// Looks up `question` on the inputs `paths`.
  ///
  /// - Parameters:
  ///   - question: The question and whatever changes its answer.
  ///   - paths: The inputs as given (`--mesh`); only one mesh directory (or none: the
  ///     nearest `mesh.yaml` upward) or one file is looked up.
  ///   - cwd: The directory the paths are relative to.
  /// - Returns: The lookup (with ``Lookup/kept`` set on a hit); nil when the inputs are
  ///   not one mesh directory or one regular file.
  public func lookup(_ question: String, paths: [String], cwd: String? = nil) -> Lookup? {
    let cwd = cwd ?? FileManager.default.currentDirectoryPath
    guard paths.count <= 1 else { return nil }
    let root: String
    let display: String
    let snapshot: Snapshot
    if let (dir, shown) = ModelLoader.meshDirectory(path: paths.first, cwd: cwd) {
      (root, display) = (URL(fileURLWithPath: dir).standardizedFileURL.path, shown)
      guard let s = Snapshot(root: root) else { return nil }
      snapshot = s
    } else if let path = paths.first, let s = Snapshot(file: path) {
      (root, display, snapshot) = (URL(fileURLWithPath: path).standardizedFileURL.path, path, s)
    } else {
      return nil
    }
    let absolute = root
    let name = String(GraphCache.digest("\(question)\n\(absolute)\n\(display)"), radix: 16)
    let file = (directory as NSString).appendingPathComponent("findings-\(name).kept")
    let key = GraphCache.digest(
      "findings \(Self.formatVersion)\n\(toolIdentity)\n\(question)\n\(absolute)\n\(display)\n\(snapshot.text)")
    var lookup = Lookup(kept: nil, root: absolute, file: file, key: key, snapshot: snapshot)
    if let mapped = try? MappedFile(file) { lookup.kept = Self.decode(mapped.bytes, key: key, check: snapshot.text) }
    return lookup
  }

  /// Keeps `kept` as the answer of the lookup's question, when the directory did not
  /// change while it was answered (and not within ``racyMargin`` seconds before);
  /// failures to write are ignored.
  ///
  /// - Parameters:
  ///   - kept: The answer.
  ///   - lookup: The lookup made before the answer was computed.
  ///   - input: What kind of input the answer was read from: findings are kept for a
  ///     mesh directory, and for a file that is all its loader reads (graph JSON,
  ///     OpenLineage events), never for a dbt manifest (which reads files beside it).
  public func keep(_ kept: Kept, for lookup: Lookup, input: LineageModel.InputKind) {
    let file = lookup.snapshot.file
    guard file ? [.graphJSON, .openLineage].contains(input) : input == .meshDirectory,
      lookup.snapshot.newest < lookup.snapshot.taken - racyMargin,
      let now = file ? Snapshot(file: lookup.root) : Snapshot(root: lookup.root), now.text == lookup.snapshot.text
    else { return }
    let cache = GraphCache(directory: directory, toolIdentity: toolIdentity)
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      return
    }
    cache.writeAtomically(Self.encode(kept, key: lookup.key, check: lookup.snapshot.text), to: lookup.file)
  }

  /// The status of a mesh directory's walked directories and YAML files, as text.
  struct Snapshot: Sendable {
    var text: String
    /// The newest modification or status-change time in it, in seconds since 1970.
    var newest: Double
    /// When it was taken.
    var taken: Double
    /// Whether it is of one file (not a directory).
    var file = false

    /// The status of one regular file; nil when `path` is not one.
    init?(file path: String) {
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      taken = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
      newest = 0
      var st = stat()
      guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
      text = "file \(Self.status(st, &newest))"
      file = true
    }

    /// Walks `root` as ``MeshSpecLoader`` does (hidden entries skipped, directory
    /// symlinks followed, each real directory once); nil when `root` is not a directory.
    init?(root: String) {
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      taken = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
      newest = 0
      var lines: [String] = []
      var visited = Set<String>()
      var stack = [""]
      var st = stat()
      while let rel = stack.popLast() {
        let dir = rel.isEmpty ? root : root + "/" + rel
        guard stat(dir, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
          if rel.isEmpty { return nil }
          lines.append("? \(rel)")
          continue
        }
        guard let real = realPath(dir), visited.insert(real).inserted else {
          lines.append("= \(rel)")
          continue
        }
        lines.append("d \(rel)")
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
          lines.append("! \(rel)")
          continue
        }
        for name in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
          let relPath = rel.isEmpty ? name : rel + "/" + name
          guard stat(dir + "/" + name, &st) == 0 else {
            lines.append("? \(relPath)")
            continue
          }
          if st.st_mode & S_IFMT == S_IFDIR {
            stack.append(relPath)
          } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            lines.append("f \(relPath) \(Self.status(st, &newest))")
          }
        }
      }
      text = lines.joined(separator: "\n")
    }

    static func status(_ st: stat, _ newest: inout Double) -> String {
      #if os(Linux)
        let (m, c) = (st.st_mtim, st.st_ctim)
      #else
        let (m, c) = (st.st_mtimespec, st.st_ctimespec)
      #endif
      newest = max(newest, Double(m.tv_sec) + Double(m.tv_nsec) / 1e9, Double(c.tv_sec) + Double(c.tv_nsec) / 1e9)
      return "\(st.st_dev) \(st.st_ino) \(st.st_size) \(m.tv_sec).\(m.tv_nsec) \(c.tv_sec).\(c.tv_nsec)"
    }
  }

  // MARK: - The file

  /// Changes whenever the layout below does.
  static let formatVersion = 2
  static let magic = Array("meshlineage findings\n".utf8)

  /// The layout: magic, format version, key, the snapshot the findings belong to, a
  /// table of distinct strings, the findings as indices into it, then a checksum of
  /// everything before it. Strings repeat a great deal (files, hints, rules), so each
  /// is stored and made once.
  static func encode(_ kept: Kept, key: UInt64, check: String = "") -> [UInt8] {
    var strings: [String] = []
    var index: [String: UInt32] = [:]
    var body: [UInt8] = []
    func put(_ v: UInt64) {
      var v = v
      repeat {
        body.append(UInt8(v & 0x7f) | (v > 0x7f ? 0x80 : 0))
        v >>= 7
      } while v > 0
    }
    func put(_ s: String?) {
      guard let s else { return put(0) }
      if let i = index[s] { return put(UInt64(i) + 1) }
      index[s] = UInt32(strings.count)
      strings.append(s)
      put(UInt64(strings.count))
    }
    func put(_ l: SourceLocation?) {
      guard let l else { return put(0) }
      put(1)
      put(l.file)
      put(UInt64(max(l.line, 0)))
      put(UInt64(max(l.column, 0)))
    }
    put(kept.source)
    put(kept.firstFile)
    put(UInt64(kept.findings.count))
    for f in kept.findings {
      put(f.rule.rawValue)
      put(UInt64(Severity.allCases.firstIndex(of: f.severity) ?? 0))
      put(f.message)
      put(UInt64(f.subjects.count))
      for s in f.subjects { put(s) }
      put(f.location)
      put(f.hint)
      put(UInt64(f.related.count))
      for r in f.related { put(r) }
      if let e = f.evidence {
        put(1)
        put(e.job)
        put(e.runID)
        put(e.eventTime)
        put(e.time.bitPattern)
        put(e.location)
      } else {
        put(0)
      }
    }
    var out = magic
    func raw(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    raw(UInt64(formatVersion))
    raw(key)
    raw(UInt64(check.utf8.count))
    out.append(contentsOf: check.utf8)
    raw(UInt64(strings.count))
    for s in strings {
      raw(UInt64(s.utf8.count))
      out.append(contentsOf: s.utf8)
    }
    raw(UInt64(body.count))
    out += body
    raw(out.withUnsafeBufferPointer { GraphImage.checksum($0) })
    return out
  }

  /// The kept findings in `bytes`, or nil when they are not whole, not of this format
  /// or not of `key`.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, key: UInt64, check: String = "") -> Kept? {
    var at = 0
    func raw() -> UInt64? {
      guard at + 8 <= bytes.count else { return nil }
      var v: UInt64 = 0
      for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
      at += 8
      return v
    }
    guard bytes.count >= magic.count + 8, bytes.starts(with: magic) else { return nil }
    at = magic.count
    // The checksum first: nothing of a damaged file is read.
    let end = bytes.count - 8
    guard let version = raw(), version == formatVersion, let k = raw(), k == key else { return nil }
    at = end
    guard let sum = raw(), sum == GraphImage.checksum(UnsafeBufferPointer(rebasing: bytes[..<end])) else { return nil }
    at = magic.count + 16
    // The snapshot itself, not only its digest in the key: two snapshots with the same
    // digest never share findings.
    let expected = Array(check.utf8)
    guard let checkLength = raw(), checkLength == UInt64(expected.count), expected.count <= end - at,
      bytes[at..<at + expected.count].elementsEqual(expected)
    else { return nil }
    at += expected.count
    guard let count = raw(), count <= UInt64(end) else { return nil }
    var strings: [String] = []
    strings.reserveCapacity(Int(count))
    for _ in 0..<count {
      guard let n = raw(), n <= UInt64(end - at) else { return nil }
      strings.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<at + Int(n)]), as: UTF8.self))
      at += Int(n)
    }
    guard let size = raw(), size == UInt64(end - at) else { return nil }
    var failed = false
    func varint() -> UInt64 {
      var v: UInt64 = 0
      var shift: UInt64 = 0
      while at < end, shift < 64 {
        let b = bytes[at]
        at += 1
        v |= UInt64(b & 0x7f) << shift
        if b & 0x80 == 0 { return v }
        shift += 7
      }
      failed = true
      return 0
    }
    func string() -> String? {
      let i = varint()
      guard i > 0 else { return nil }
      guard i <= UInt64(strings.count) else {
        failed = true
        return nil
      }
      return strings[Int(i - 1)]
    }
    func location() -> SourceLocation? {
      guard varint() == 1 else { return nil }
      let file = string() ?? ""
      return SourceLocation(
        file: file, line: Int(truncatingIfNeeded: varint()), column: Int(truncatingIfNeeded: varint()))
    }
    func list<T>(_ element: () -> T) -> [T] {
      let n = varint()
      guard n <= UInt64(end - at) else {
        failed = true
        return []
      }
      return (0..<n).map { _ in element() }
    }
    let source = string() ?? ""
    let firstFile = string()
    let findings: [Finding] = list {
      let rule = string() ?? ""
      let severity = varint()
      var f = Finding(
        rule: Finding.Rule(rawValue: rule),
        severity: severity < Severity.allCases.count ? Severity.allCases[Int(severity)] : .error,
        message: string() ?? "")
      f.subjects = list { string() ?? "" }
      f.location = location()
      f.hint = string()
      f.related = list { location() ?? SourceLocation(file: "") }
      if varint() == 1 {
        let job = string() ?? "", run = string() ?? "", time = string() ?? ""
        let seconds = Double(bitPattern: varint())
        f.evidence = ObservedLineage.Evidence(
          job: job, runID: run, eventTime: time, time: seconds, location: location())
      }
      return f
    }
    guard !failed, at == end else { return nil }
    return Kept(source: source, firstFile: firstFile, findings: findings)
  }
}

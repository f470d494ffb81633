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
/// - a snapshot of the input: the loader's own walk of the directory
///   (``MeshSpecLoader/walk(root:_:)``: the directories it enters, the links it cannot
///   follow) with the file status (device, inode, size, modification and
///   status-change times to the nanosecond) of every `*.yaml`/`*.yml` file it reads;
///   for a single input file, that file's status.
///
/// A file edited, added, removed or renamed changes the snapshot (writing a file, or
/// setting its modification time back, moves its status-change time, which no tool
/// can set back); a file the loader does not read (hidden, not YAML) does not. The
/// snapshot is kept in full beside the findings and compared, not only its digest in
/// the key. Findings are kept only when the snapshot taken before reading equals the
/// one after it and no status in it is newer than ``racyMargin`` seconds (a change in
/// the same clock tick as the snapshot cannot go unseen). A kept file that is
/// truncated, corrupt or of another format is not used.
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
    // One file per input (the question is in the key), so that another day's answer
    // replaces the last one instead of adding a file a day.
    let name = String(GraphCache.digest("\(root)\n\(display)"), radix: 16)
    let file = (directory as NSString).appendingPathComponent("findings-\(name).kept")
    let key = GraphCache.digest(
      "findings \(Self.formatVersion)\n\(toolIdentity)\n\(question)\n\(root)\n\(display)\n\(snapshot.text)")
    var lookup = Lookup(kept: nil, root: root, file: file, key: key, snapshot: snapshot)
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
      taken = Self.now()
      newest = 0
      var st = stat()
      guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
      text = "file \(FileIO.status(st, newest: &newest))"
      file = true
    }

    /// The walk the loader makes of `root` (``MeshSpecLoader/walk(root:_:)``), with the
    /// status of every file it reads; nil when `root` is not a directory.
    init?(root: String) {
      taken = Self.now()
      newest = 0
      var st = stat()
      guard stat(root, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return nil }
      var lines: [String] = []
      var newest = 0.0
      MeshSpecLoader.walk(root: root) { step in
        switch step {
        case .directory(let rel): lines.append("d \(rel)")
        case .unreadable(let rel, _): lines.append("! \(rel)")
        case .brokenLink(let rel, _): lines.append("? \(rel)")
        case .file(let rel, let path):
          lines.append(stat(path, &st) == 0 ? "f \(rel) \(FileIO.status(st, newest: &newest))" : "? \(rel)")
        }
      }
      self.newest = newest
      text = lines.joined(separator: "\n")
    }

    static func now() -> Double {
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
  }

  // MARK: - The file

  /// Changes whenever the layout below does.
  static let formatVersion = 4
  static let magic = Array("meshlineage findings\n".utf8)

  /// The layout: magic, format version, key, the snapshot the findings belong to, the
  /// findings with the source and first file (``FindingCodec``), then a checksum of
  /// everything before it.
  static func encode(_ kept: Kept, key: UInt64, check: String = "") -> [UInt8] {
    var out = magic
    func raw(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    raw(UInt64(formatVersion))
    raw(key)
    raw(UInt64(check.utf8.count))
    out.append(contentsOf: check.utf8)
    out += FindingCodec.encode(kept.findings, with: [kept.source, kept.firstFile])
    raw(out.withUnsafeBufferPointer { GraphImage.checksum($0) })
    return out
  }

  /// The kept findings in `bytes`, or nil when they are not whole, not of this format,
  /// not of `key` or not of the snapshot `check`.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, key: UInt64, check: String = "") -> Kept? {
    var at = magic.count
    func raw() -> UInt64? {
      guard at + 8 <= bytes.count else { return nil }
      var v: UInt64 = 0
      for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
      at += 8
      return v
    }
    guard bytes.count >= magic.count + 32, bytes.starts(with: magic),
      let version = raw(), version == formatVersion, let k = raw(), k == key
    else { return nil }
    // The checksum first: nothing of a damaged file is read.
    let end = bytes.count - 8
    at = end
    guard let sum = raw(), sum == GraphImage.checksum(UnsafeBufferPointer(rebasing: bytes[..<end])) else { return nil }
    at = magic.count + 16
    // The snapshot itself, not only its digest in the key: two snapshots with the same
    // digest never share findings.
    let expected = Array(check.utf8)
    guard let checkLength = raw(), checkLength == UInt64(expected.count), expected.count <= end - at,
      bytes[at..<at + expected.count].elementsEqual(expected),
      let (findings, strings) = FindingCodec.decode(UnsafeBufferPointer(rebasing: bytes[at + expected.count..<end])),
      strings.count == 2, let source = strings[0]
    else { return nil }
    return Kept(source: source, firstFile: strings[1], findings: findings)
  }
}

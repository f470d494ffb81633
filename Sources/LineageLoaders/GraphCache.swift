internal import Foundation
internal import LineageCore
internal import Synchronization

/// A directory of graph images (``GraphImage``): the first load of a graph JSON input
/// writes the image of the loaded graph, filed under a key of the input; later loads of
/// the same input read the image instead of parsing the JSON.
///
/// The key is a digest of the image format, the tool's identity, the input's path (as
/// given and absolute), size, modification time and a digest of its whole content, so
/// an input that changed in any way, or another build of the tool, finds no image and
/// loads from scratch.
///
/// The content digest is kept beside the image in a stamp of the input's file status
/// (device, inode, size, modification and status-change times, to the nanosecond), as
/// git's index keeps one: while the input's status matches the stamp, its content is
/// not read again. Writing a file, or restoring its modification time afterwards,
/// moves its status-change time, which no tool can set back; and a stamp is only
/// written for a file whose last change is more than ``racyMargin`` seconds older than
/// the reading of its content, so that a change within the same clock tick as the
/// stamped one (a "racily clean" file) cannot go unseen.
///
/// An image that is truncated, corrupt or of another format is
/// refused by ``GraphImage/decode(_:key:)`` and rewritten. Images are written to a
/// temporary file and renamed into place, so a reader never sees half of one; a
/// failure to write one is ignored (the load has its answer either way). The temporary
/// files a killed writer left behind are removed when the next image is written.
public struct GraphCache: Sendable {
  /// The directory the images are kept in; created when the first image is written.
  public var directory: String
  /// What distinguishes this build of the tool from others (its version and more): an
  /// image written by another is not read.
  public var toolIdentity: String

  /// Creates a cache over a directory.
  ///
  /// - Parameters:
  ///   - directory: Where images are kept.
  ///   - toolIdentity: What distinguishes this build of the tool.
  public init(directory: String, toolIdentity: String) {
    self.directory = directory
    self.toolIdentity = toolIdentity
  }

  /// How long ago, in seconds, an input must have last changed for its content digest
  /// to be stamped: more than any file system's timestamp granularity (2 s on FAT).
  var racyMargin: Double = 3

  /// Write images on a thread of their own, so that the command answers meanwhile;
  /// the process must call ``finishWrites()`` before it exits (the command line does,
  /// at exit), or an image may be left unwritten (never half written: a reader sees
  /// the whole image or none).
  public var writesInBackground = false

  /// Writes started by this process, to name their temporary files.
  private static let writes = Atomic<Int>(0)

  /// Images being written on their own threads, each signalled when done.
  private static let pending = Mutex<[DispatchSemaphore]>([])

  /// Waits for every image being written in the background (``writesInBackground``).
  public static func finishWrites() {
    while let next = pending.withLock({ $0.popLast() }) { next.wait() }
  }

  /// Where one input's image lives and the key it must carry.
  struct Entry: Sendable {
    var file: String
    var key: UInt64
    /// The stamp to write beside the image: the input's status and content digest,
    /// when its content was read (no stamp matched) and it is old enough to stamp.
    var stamp: String?
    /// Whether the input's content was read for the key (no stamp matched).
    var hashed: Bool
  }

  /// The stamp file of an image.
  static func stampFile(_ image: String) -> String {
    String(image.dropLast(".img".count)) + ".stamp"
  }

  /// The entry of the input at `path` whose bytes are `bytes` (read only when the
  /// stamp beside the image does not match the input's status); nil when the file
  /// cannot be described (not a regular file).
  func entry(path: String, bytes: UnsafeBufferPointer<UInt8>) -> Entry? {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == bytes.count else { return nil }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    #if os(Linux)
      let (modified, changed) = (st.st_mtim, st.st_ctim)
    #else
      let (modified, changed) = (st.st_mtimespec, st.st_ctimespec)
    #endif
    let mtime = "\(modified.tv_sec).\(modified.tv_nsec)"
    let status = FileIO.status(st)
    // One file per input path, so that a changed input replaces its old image.
    let name = String(Self.digest("\(path)\n\(absolute)"), radix: 16)
    let file = (directory as NSString).appendingPathComponent("graph-\(name).img")
    let head = "meshlineage graph stamp \(GraphImage.formatVersion)\n\(Self.digest(toolIdentity))\n\(status)\n"
    var content: UInt64
    var stamp: String?
    var hashed = false
    if let stampBytes = try? MappedFile(Self.stampFile(file)),
      let kept = String(validating: stampBytes.bytes, as: UTF8.self), kept.hasPrefix(head),
      let digest = UInt64(kept.dropFirst(head.count).dropLast(), radix: 16),
      kept == head + String(digest, radix: 16) + "\n"
    {
      content = digest
    } else {
      content = GraphImage.checksum(bytes)
      hashed = true
      let age =
        Double(now.tv_sec - changed.tv_sec) + Double(now.tv_nsec - changed.tv_nsec) / 1e9
      if age > racyMargin { stamp = head + String(content, radix: 16) + "\n" }
    }
    let description =
      "graph image \(GraphImage.formatVersion)\n\(toolIdentity)\n\(path)\n\(absolute)\n\(st.st_size)\n\(mtime)\n\(content)"
    return Entry(file: file, key: Self.digest(description), stamp: stamp, hashed: hashed)
  }

  static func digest(_ s: String) -> UInt64 {
    var s = s
    return s.withUTF8 { GraphImage.checksum($0) }
  }

  /// The model in the entry's image, when there is one that checks out. The model's
  /// large arrays use the mapped image in place and keep the mapping alive.
  func read(_ entry: Entry) -> LineageModel? {
    // Not populated with the mapping (one thread): the checksum reads every page on
    // every core and faults them in there.
    guard let file = try? MappedFile(entry.file, populate: false),
      let model = GraphImage.decode(UnsafeRawBufferPointer(file.bytes), key: entry.key, keeper: file)
    else { return nil }
    if let stamp = entry.stamp { writeAtomically(Array(stamp.utf8), to: Self.stampFile(entry.file)) }
    return model
  }

  /// Writes the model's image for the entry, then its stamp, atomically; failures are
  /// ignored.
  func write(_ model: LineageModel, _ entry: Entry) {
    guard writesInBackground else { return writeNow(model, entry) }
    let done = DispatchSemaphore(value: 0)
    Self.pending.withLock { $0.append(done) }
    let cache = self
    Thread.detachNewThread {
      cache.writeNow(model, entry)
      done.signal()
    }
  }

  /// Writes the image of `model` under `entry`, and its stamp, on this thread.
  func writeNow(_ model: LineageModel, _ entry: Entry) {
    guard let image = GraphImage.encode(model, key: entry.key) else { return }
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      return
    }
    sweepTemporaryFiles()
    guard writeAtomically(image, to: entry.file), let stamp = entry.stamp else { return }
    writeAtomically(Array(stamp.utf8), to: Self.stampFile(entry.file))
  }

  /// How old, in seconds, a temporary file of the cache must be to be taken for the
  /// leftover of a writer that died (killed, or crashed) before renaming it: a writer
  /// writes an image in seconds, moving its modification time as it writes.
  var staleAfter: Double = 600

  /// Removes the temporary files that no writer will rename any more (older than
  /// ``staleAfter``): a killed process leaves its temporary image behind, and at a
  /// hundred megabytes each they would pile up. Only files of the exact shape
  /// ``writeAtomically(_:to:)`` gives (``isTemporaryName(_:)``), owned by this user, are
  /// removed: a cache directory may be one the user shares with other files. Failures
  /// are ignored.
  func sweepTemporaryFiles() {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    for name in names where Self.isTemporaryName(name) {
      let path = (directory as NSString).appendingPathComponent(name)
      var st = stat()
      guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid() else { continue }
      #if os(Linux)
        let modified = st.st_mtim
      #else
        let modified = st.st_mtimespec
      #endif
      if Double(now.tv_sec - modified.tv_sec) > staleAfter { unlink(path) }
    }
  }

  /// The temporary file a write of `path` goes to before its rename
  /// (``writeAtomically(_:to:)``): `path.PID.N.tmp`, unique per process and write.
  static func temporaryPath(of path: String, pid: Int32, write: Int) -> String { path + ".\(pid).\(write).tmp" }

  /// Whether `name` is a temporary file of the cache's: what ``temporaryPath(of:pid:write:)``
  /// makes of `graph-HEX.img`, `graph-HEX.stamp` or `findings-HEX.kept`.
  static func isTemporaryName(_ name: String) -> Bool {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 5, parts[4] == "tmp", !parts[2].isEmpty, !parts[3].isEmpty,
      parts[2].allSatisfy({ ("0"..."9").contains($0) }), parts[3].allSatisfy({ ("0"..."9").contains($0) })
    else { return false }
    let stem = parts[0], kind = parts[1]
    let hex: Substring
    if stem.hasPrefix("graph-") && (kind == "img" || kind == "stamp") {
      hex = stem.dropFirst("graph-".count)
    } else if stem.hasPrefix("findings-") && kind == "kept" {
      hex = stem.dropFirst("findings-".count)
    } else {
      return false
    }
    return !hex.isEmpty && hex.allSatisfy(\.isHexDigit)
  }

  /// Writes `bytes` to a temporary file renamed to `path`, so that a reader sees the
  /// old file or the whole new one; false (and nothing left behind) when that fails.
  @discardableResult
  func writeAtomically(_ bytes: [UInt8], to path: String) -> Bool {
    // Unique per write: two images of one input may be written at once (two threads).
    let temp = Self.temporaryPath(of: path, pid: getpid(), write: Self.writes.add(1, ordering: .relaxed).newValue)
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    var ok = FileIO.writeFully(fd, bytes) == 0
    if close(fd) != 0 { ok = false }
    if !ok || rename(temp, path) != 0 {
      unlink(temp)
      return false
    }
    return true
  }
}

internal import Foundation
internal import LineageCore

/// A directory of graph images (``GraphImage``): the first load of a graph JSON input
/// writes the image of the loaded graph, filed under a key of the input; later loads of
/// the same input read the image instead of parsing the JSON.
///
/// The key is a digest of the image format, the tool's identity, the input's path (as
/// given and absolute), size, modification time and a digest of its whole content, so
/// an input that changed in any way, or another build of the tool, finds no image and
/// loads from scratch. An image that is truncated, corrupt or of another format is
/// refused by ``GraphImage/decode(_:key:)`` and rewritten. Images are written to a
/// temporary file and renamed into place, so a reader never sees half of one; a
/// failure to write one is ignored (the load has its answer either way).
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

  /// Where one input's image lives and the key it must carry.
  struct Entry {
    var file: String
    var key: UInt64
  }

  /// The entry of the input at `path` whose bytes are `bytes`; nil when the file
  /// cannot be described (not a regular file).
  func entry(path: String, bytes: UnsafeBufferPointer<UInt8>) -> Entry? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == bytes.count else { return nil }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    #if os(Linux)
      let mtime = "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    #else
      let mtime = "\(st.st_mtimespec.tv_sec).\(st.st_mtimespec.tv_nsec)"
    #endif
    let content = GraphImage.checksum(bytes)
    let description =
      "graph image \(GraphImage.formatVersion)\n\(toolIdentity)\n\(path)\n\(absolute)\n\(st.st_size)\n\(mtime)\n\(content)"
    let key = Self.digest(description)
    // One file per input path, so that a changed input replaces its old image.
    let name = String(Self.digest("\(path)\n\(absolute)"), radix: 16)
    return Entry(file: (directory as NSString).appendingPathComponent("graph-\(name).img"), key: key)
  }

  static func digest(_ s: String) -> UInt64 {
    var s = s
    return s.withUTF8 { GraphImage.checksum($0) }
  }

  /// The model in the entry's image, when there is one that checks out. The model's
  /// large arrays use the mapped image in place and keep the mapping alive.
  func read(_ entry: Entry) -> LineageModel? {
    guard let file = try? MappedFile(entry.file) else { return nil }
    return GraphImage.decode(UnsafeRawBufferPointer(file.bytes), key: entry.key, keeper: file)
  }

  /// Writes the model's image for the entry, atomically; failures are ignored.
  func write(_ model: LineageModel, _ entry: Entry) {
    guard let image = GraphImage.encode(model, key: entry.key) else { return }
    let fm = FileManager.default
    do {
      try fm.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      return
    }
    let temp = entry.file + ".\(getpid()).tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return }
    var ok = true
    image.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      var done = 0
      while done < raw.count {
        let n = Foundation.write(fd, base + done, raw.count - done)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 {
          ok = false
          return
        }
        done += n
      }
    }
    if close(fd) != 0 { ok = false }
    if !ok || rename(temp, entry.file) != 0 { unlink(temp) }
  }
}

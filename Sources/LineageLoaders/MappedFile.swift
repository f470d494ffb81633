internal import Foundation

/// A file's bytes, memory-mapped read-only (no copy into the heap), or read into
/// memory where mapping is not possible. Large inputs (a 178 MB graph JSON) are
/// parsed straight from the page cache.
final class MappedFile {
  let bytes: UnsafeBufferPointer<UInt8>
  private let mapped: Bool

  /// Maps (or reads) the file at `path`.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - populate: Fault every page in with the mapping (Linux), for a file that is
  ///     read whole; false for one that may be left unread (an input whose graph image
  ///     is in the cache), whose pages then cost nothing until touched.
  /// - Throws: ``LoadError`` when the file cannot be opened or read.
  init(_ path: String, populate: Bool = true) throws(LoadError) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      throw LoadError(
        message: "\(path): cannot open for reading: \(String(cString: strerror(errno)))",
        hint: "check that it exists and is readable")
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw LoadError(message: "\(path): cannot read: \(String(cString: strerror(errno)))")
    }
    let size = Int(st.st_size)
    #if os(Linux)
      // Linux only: fault the pages in with the mapping rather than one at a time.
      let flags = populate ? MAP_PRIVATE | MAP_POPULATE : MAP_PRIVATE
    #else
      let flags = MAP_PRIVATE
    #endif
    if size > 0, (st.st_mode & S_IFMT) == S_IFREG,
      let p = mmap(nil, size, PROT_READ, flags, fd, 0), p != MAP_FAILED
    {
      if populate { madvise(p, size, MADV_SEQUENTIAL) }
      bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
      mapped = true
      return
    }
    // Pipes, special files, empty files: read them.
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw LoadError(message: "\(path): cannot open for reading", hint: "check its permissions")
    }
    let data: Data
    do {
      data = try handle.readToEnd() ?? Data()
    } catch {
      throw LoadError(message: "\(path): read failed: \(error.localizedDescription)")
    }
    let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, data.count))
    _ = copy.initialize(from: data)
    mapped = false
    bytes = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(copy)[0..<data.count])
  }

  deinit {
    guard let base = bytes.baseAddress else { return }
    if mapped {
      munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    } else {
      UnsafeMutablePointer(mutating: base).deallocate()
    }
  }
}

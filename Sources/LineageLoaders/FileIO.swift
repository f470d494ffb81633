internal import CSupport
internal import Foundation

/// The one loop that writes a whole buffer to a file descriptor, and the one that reads
/// one back, shared by the graph cache, the command line's output files and the
/// server's files of events and folded runs.
public enum FileIO {
  /// Writes all of `bytes` to `fd`, retrying after signals and short writes.
  ///
  /// - Parameters:
  ///   - fd: An open file descriptor.
  ///   - bytes: What to write.
  ///   - offset: Where in the file (`pwrite`); nil for the descriptor's position.
  /// - Returns: 0, or the error number that stopped it (`ENOSPC` for a write that
  ///   wrote nothing without saying why).
  public static func writeFully(_ fd: Int32, _ bytes: [UInt8], at offset: Int64? = nil) -> Int32 {
    bytes.withUnsafeBytes { writeFully(fd, $0, at: offset) }
  }

  /// Writes every byte of `raw` to `fd` (``writeFully(_:_:at:)`` for bytes in place).
  ///
  /// - Parameters:
  ///   - fd: The descriptor.
  ///   - raw: The bytes.
  ///   - offset: Where in the file (`pwrite`); nil for the descriptor's position.
  /// - Returns: 0, or the error number that stopped it.
  public static func writeFully(_ fd: Int32, _ raw: UnsafeRawBufferPointer, at offset: Int64? = nil) -> Int32 {
    guard let base = raw.baseAddress else { return 0 }
    var done = 0
    while done < raw.count {
      let n =
        offset.map { pwrite(fd, base + done, raw.count - done, off_t($0) + off_t(done)) }
        ?? write(fd, base + done, raw.count - done)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return n < 0 ? errno : ENOSPC }
      done += n
    }
    return 0
  }

  /// Reads up to `raw.count` bytes of `fd` at `offset` (`pread`), retrying after signals
  /// and short reads.
  ///
  /// - Returns: How many bytes were read before the end of the file or an error
  ///   (`errno` then says which; it is 0 at the end of the file).
  public static func read(_ fd: Int32, into raw: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
    guard let base = raw.baseAddress, fd >= 0 else { return 0 }
    var done = 0
    errno = 0
    while done < raw.count {
      let n = pread(fd, base + done, raw.count - done, off_t(offset) + off_t(done))
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      done += n
    }
    return done
  }

  /// A new file in `directory`, named `prefix` and six random characters, unlinked at
  /// once: it lives as long as the descriptor (the server's caches of what its store
  /// keeps).
  ///
  /// - Returns: The descriptor, or -1 when the file could not be made.
  public static func unlinkedTemporaryFile(in directory: String, prefix: String) -> Int32 {
    var template = Array(((directory as NSString).appendingPathComponent(prefix + "XXXXXX")).utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { t in t.baseAddress.map { mkstemp($0) } ?? -1 }
    if fd >= 0 { template.withUnsafeBufferPointer { t in _ = t.baseAddress.map { unlink($0) } } }
    return fd
  }

  /// A file's status as the caches compare it: device, inode, size, and modification
  /// and status-change times to the nanosecond (a rewrite in place moves the latter,
  /// whatever the former is set back to).
  ///
  /// - Parameters:
  ///   - st: The file's `stat`.
  ///   - newest: Raised to the newer of its two times, in seconds since 1970.
  /// - Returns: The status as one line of text.
  static func status(_ st: stat, newest: inout Double) -> String {
    #if os(Linux)
      let (m, c) = (st.st_mtim, st.st_ctim)
    #else
      let (m, c) = (st.st_mtimespec, st.st_ctimespec)
    #endif
    newest = max(newest, Double(m.tv_sec) + Double(m.tv_nsec) / 1e9, Double(c.tv_sec) + Double(c.tv_nsec) / 1e9)
    return "\(st.st_dev) \(st.st_ino) \(st.st_size) \(m.tv_sec).\(m.tv_nsec) \(c.tv_sec).\(c.tv_nsec)"
  }

  /// ``status(_:newest:)`` when the newest time is not wanted.
  ///
  /// - Parameter st: The file's `stat`.
  /// - Returns: The status as one line of text.
  static func status(_ st: stat) -> String {
    var newest = 0.0
    return status(st, newest: &newest)
  }

  /// Disk blocks reserved ahead of a long write to the end of a regular file
  /// (``reserve(_:bytes:)``), and given back when it is done (``release()``).
  public struct Reservation {
    let fd: Int32

    /// Gives back the blocks reserved past what was written: the file is truncated to
    /// its own size (which frees blocks past its end and changes nothing in it), unless
    /// someone wrote past this descriptor's position meanwhile.
    public func release() {
      var st = stat()
      let at = lseek(fd, 0, SEEK_CUR)
      guard at >= 0, fstat(fd, &st) == 0, st.st_size == at else { return }
      _ = ftruncate(fd, at)
    }
  }

  /// Reserves disk blocks for about `bytes` more bytes at the end of the regular file
  /// that `fd` writes to, without changing its size or content (Linux's `fallocate`
  /// with `FALLOC_FL_KEEP_SIZE`): the file system then maps the blocks once instead
  /// of reserving them page by page as the bytes come, a third of the cost of a
  /// 100 MB write. Only when `fd` writes at the file's end and not in append mode (a
  /// file it shares with other writers), and for writes of 8 MiB or more; nil
  /// otherwise, or where the file system cannot.
  ///
  /// - Parameters:
  ///   - fd: An open file descriptor.
  ///   - bytes: About how many bytes are coming.
  /// - Returns: The reservation to release when the write is done.
  public static func reserve(_ fd: Int32, bytes: Int) -> Reservation? {
    #if os(Linux)
      guard bytes >= 8 << 20 else { return nil }
      var st = stat()
      let flags = fcntl(fd, F_GETFL)
      let at = lseek(fd, 0, SEEK_CUR)
      guard flags >= 0, flags & O_APPEND == 0, at >= 0, fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
        st.st_size == at, lineage_reserve_blocks(fd, at, off_t(bytes)) == 0
      else { return nil }
      return Reservation(fd: fd)
    #else
      return nil
    #endif
  }
}

internal import Foundation

/// The one loop that writes a whole buffer to a file descriptor, shared by the graph
/// cache, the command line's output files and the server's spill of event bodies.
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
    bytes.withUnsafeBytes { raw in
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
  }
}

internal import Foundation
internal import LineageLoaders

/// The bodies of the events the server has taken, kept in a file of their own instead
/// of in memory, so that the server's memory follows its graph and not the number of
/// events: an event's body is read back (`pread`) only when the graph is built again
/// from the events (an event older than the stream's latest, a graph as of a past time,
/// drift), and dropped once read.
///
/// The file is made in the temporary directory and unlinked at once, so it lives as
/// long as the server and no longer; it is a cache of what the store keeps (the start
/// replays the store into a new one). When it cannot be written (a full disk), the
/// body is kept in memory instead, so that an event the store took is never lost here.
final class EventSpill: @unchecked Sendable {
  /// Where one event's body and label are.
  enum Place: Sendable {
    /// In the file: the body at `offset`, `length` bytes, then its label's `labelLength` bytes.
    case file(offset: Int64, length: Int32, labelLength: Int32)
    /// In memory (the file could not be written).
    case memory(OpenLineageDocument)
  }

  /// The open file, or -1 when none could be made (every body is then in memory).
  let fd: Int32
  private var end: Int64 = 0

  /// Makes the file in `directory` (the temporary directory by default).
  init(directory: String = NSTemporaryDirectory()) {
    var template = Array(((directory as NSString).appendingPathComponent("lineage-events-XXXXXX")).utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { t in t.baseAddress.map { mkstemp($0) } ?? -1 }
    if fd >= 0 { template.withUnsafeBufferPointer { t in _ = t.baseAddress.map { unlink($0) } } }
    self.fd = fd
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Keeps one event's body and label; where they are.
  func keep(_ document: OpenLineageDocument) -> Place {
    guard fd >= 0, document.bytes.count < Int(Int32.max), document.label.utf8.count < Int(Int32.max) else {
      return .memory(document)
    }
    var record = document.bytes
    record.append(contentsOf: document.label.utf8)
    guard FileIO.writeFully(fd, record, at: end) == 0 else {
      // Nothing past `end` counts; the next write starts there again.
      return .memory(document)
    }
    let place = Place.file(
      offset: end, length: Int32(document.bytes.count), labelLength: Int32(document.label.utf8.count))
    end += Int64(record.count)
    return place
  }

  /// The event kept at `place`.
  ///
  /// - Throws: ``StoreError`` when the file cannot be read back (the disk failed under
  ///   it): no graph can be built from the events until the server is restarted, which
  ///   replays them from the store into a new file.
  func document(_ place: Place) throws(StoreError) -> OpenLineageDocument {
    switch place {
    case .memory(let d): return d
    case .file(let offset, let length, let labelLength):
      let total = Int(length) + Int(labelLength)
      var record = [UInt8](repeating: 0, count: total)
      let read = record.withUnsafeMutableBytes { raw -> Bool in
        guard let base = raw.baseAddress else { return total == 0 }
        var done = 0
        errno = 0
        while done < total {
          let n = pread(fd, base + done, total - done, off_t(offset) + off_t(done))
          if n < 0 && errno == EINTR { continue }
          if n <= 0 { return false }
          done += n
        }
        return true
      }
      // The file is the server's own, unlinked: a short read means the disk failed
      // under it (or the file was cut short), and no answer from it can be trusted.
      guard read else {
        let why = errno == 0 ? "it is shorter than what was written" : String(cString: strerror(errno))
        throw StoreError(
          "the events' spill file (in the temporary directory) could not be read back: \(why); restart the server to read the events from the store again"
        )
      }
      let label = String(decoding: record[Int(length)...], as: UTF8.self)
      record.removeLast(Int(labelLength))
      return OpenLineageDocument(bytes: record, label: label)
    }
  }
}

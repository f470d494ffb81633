internal import Dispatch
internal import Foundation

/// Rows of a JSON array written in chunks on every core and joined in order: a long
/// list's rows are independent, and laying them out is most of a command's time.
enum ChunkedRows {
  /// How many chunks `rows` rows are written in: one below 65,536 rows or on one core,
  /// else two per core (at most 16), so that a slow one waits less.
  static func chunkCount(_ rows: Int) -> Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard rows >= 65_536, cores > 1 else { return 1 }
    return min(16, 2 * cores, rows / 8_192)
  }

  /// Writes rows `0..<count` as elements of the writer's open array.
  ///
  /// - Parameters:
  ///   - count: How many rows; none is written when 0.
  ///   - chunks: How many chunks (tests); ``chunkCount(_:)`` when nil.
  ///   - bytesPerRow: About how long a row is, to size each chunk's buffer once.
  ///   - w: The writer, inside an array.
  ///   - rows: Appends the rows of a range to a buffer, the separator between two
  ///     (none before the first or after the last); called concurrently.
  static func write(
    count: Int, chunks: Int?, bytesPerRow: Int, into w: inout JSONWriter,
    rows: @escaping @Sendable (Range<Int>, [UInt8], inout [UInt8]) -> Void
  ) {
    guard count > 0 else { return }
    let chunks = max(1, chunks ?? chunkCount(count))
    if chunks == 1 {
      w.rawElements { out, separator in rows(0..<count, separator, &out) }
      return
    }
    // The chunks are set aside whole in the writer (no copy into one buffer): an
    // output written piece by piece never joins them.
    w.rawElementPieces { separator in
      let size = (count + chunks - 1) / chunks
      var parts = [[UInt8]](repeating: [], count: chunks)
      parts.withUnsafeMutableBufferPointer { parts in
        let target = UnsafeParts(parts)
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
          let range = min(count, k * size)..<min(count, (k + 1) * size)
          var part: [UInt8] = []
          part.reserveCapacity(range.count * bytesPerRow)
          if !range.isEmpty { rows(range, separator, &part) }
          target.parts[k] = part
        }
      }
      return parts
    }
  }

  /// Where each chunk's bytes go: every iteration writes its own element.
  struct UnsafeParts: @unchecked Sendable {
    let parts: UnsafeMutableBufferPointer<[UInt8]>
    init(_ parts: UnsafeMutableBufferPointer<[UInt8]>) { self.parts = parts }
  }
}

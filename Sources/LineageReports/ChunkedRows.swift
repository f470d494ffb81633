internal import Dispatch
internal import Foundation
internal import Synchronization

/// A long run of rows laid out only when the output is written: a long list's rows are
/// independent, and laying them out is most of a command's time, so they are laid out
/// on every core.
///
/// Written to a sink (``write(to:)``), the rows go block by block: each core lays out
/// its blocks in one buffer of its own, reused from block to block, and hands each to
/// the sink in turn, so that one core's block is written while the other lays out the
/// next, and a 100 MB answer touches a few megabytes of fresh memory rather than
/// 100 MB. Asked for pieces (``pieces()``, the library's `jsonPieces()`), the rows are
/// laid out in chunks kept whole.
struct ChunkedRows: Sendable {
  /// How many rows.
  let count: Int
  /// About how long a row is, to size the buffers once.
  let bytesPerRow: Int
  /// What goes between two rows.
  let separator: [UInt8]
  /// How many chunks ``pieces()`` lays the rows out in, and how many blocks
  /// ``write(to:)`` writes them in (tests); as many as pay when nil.
  let chunks: Int?
  /// Appends the rows of a range to a buffer, the separator between two (none before
  /// the first or after the last); called concurrently.
  let rows: @Sendable (Range<Int>, [UInt8], inout [UInt8]) -> Void

  /// How many chunks `rows` rows are laid out in: one below 65,536 rows or on one core,
  /// else two per core (at most 16), so that a slow one waits less.
  static func chunkCount(_ rows: Int) -> Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard rows >= 65_536, cores > 1 else { return 1 }
    return min(16, 2 * cores, rows / 8_192)
  }

  /// Writes rows `0..<count` as elements of the writer's open array: at once when one
  /// chunk does, else set aside to be laid out when the output is written.
  ///
  /// - Parameters:
  ///   - count: How many rows; none is written when 0.
  ///   - chunks: How many chunks (tests); ``chunkCount(_:)`` when nil.
  ///   - bytesPerRow: About how long a row is.
  ///   - w: The writer, inside an array.
  ///   - rows: Appends the rows of a range to a buffer, the separator between two.
  static func write(
    count: Int, chunks: Int?, bytesPerRow: Int, into w: inout JSONWriter,
    rows: @escaping @Sendable (Range<Int>, [UInt8], inout [UInt8]) -> Void
  ) {
    guard count > 0 else { return }
    if (chunks ?? chunkCount(count)) <= 1 {
      w.rawElements { out, separator in rows(0..<count, separator, &out) }
      return
    }
    w.rawElementRows { separator in
      ChunkedRows(count: count, bytesPerRow: bytesPerRow, separator: separator, chunks: chunks, rows: rows)
    }
  }

  /// The rows in chunks laid out on every core, the separator between two chunks as a
  /// piece of its own; writing them one after another gives the rows.
  func pieces() -> [[UInt8]] {
    guard count > 0 else { return [] }
    let chunks = max(1, min(count, self.chunks ?? Self.chunkCount(count)))
    let size = (count + chunks - 1) / chunks
    var parts = [[UInt8]](repeating: [], count: chunks)
    parts.withUnsafeMutableBufferPointer { parts in
      let target = UnsafeTarget(parts)
      DispatchQueue.concurrentPerform(iterations: chunks) { k in
        let range = min(count, k * size)..<min(count, (k + 1) * size)
        var part: [UInt8] = []
        part.reserveCapacity(range.count * bytesPerRow)
        if !range.isEmpty { rows(range, separator, &part) }
        target.buffer[k] = part
      }
    }
    var out: [[UInt8]] = []
    for part in parts where !part.isEmpty {
      if !out.isEmpty { out.append(separator) }
      out.append(part)
    }
    return out
  }

  /// How many rows a block holds: about 1 MiB of output, at least 64 rows.
  var rowsPerBlock: Int { max(64, (1 << 20) / max(1, bytesPerRow)) }

  /// Writes the rows through `sink` in order, a block at a time, laid out on every
  /// core into buffers that are reused; stops at the first block the sink refuses.
  ///
  /// - Parameter sink: Takes each block's bytes; false stops the output.
  /// - Returns: False when the sink refused a block.
  func write(to sink: @escaping ByteSink) -> Bool {
    guard count > 0 else { return true }
    // Tests set `chunks` to have many blocks of few rows.
    let perBlock = chunks.map { max(1, (count + max(1, $0) - 1) / max(1, $0)) } ?? rowsPerBlock
    let blocks = (count + perBlock - 1) / perBlock
    let workers = max(1, min(blocks, ProcessInfo.processInfo.activeProcessorCount))
    let turns = Turns(workers)
    // The sink escapes to the workers' threads, which are all done with it (waited
    // for below) before this returns.
    let sink = UnsafeSink(sink)
    // Worker t lays out blocks t, t + workers, ...; block b is handed to the sink once
    // block b - 1 was (the worker of b - 1 opens the gate of the worker of b). Each
    // worker waits for the one before it, so all of them must run at once: they are
    // threads of their own (a `concurrentPerform` may run its iterations one after
    // another, nested or on a busy pool, and the first would wait for ever), and the
    // caller's thread is worker 0.
    let work: @Sendable (Int) -> Void = { t in
      // A separator of the worker's own: the rows retain it, and one array shared by
      // the workers would have its reference count bounce between their cores.
      let separator = separator.withUnsafeBufferPointer { [UInt8]($0) }
      var buffer: [UInt8] = []
      buffer.reserveCapacity(min(count, perBlock) * bytesPerRow + separator.count)
      for b in stride(from: t, to: blocks, by: workers) {
        buffer.removeAll(keepingCapacity: true)
        if !turns.stopped.load(ordering: .relaxed) {
          if b > 0 { buffer.append(contentsOf: separator) }
          rows(b * perBlock..<min(count, (b + 1) * perBlock), separator, &buffer)
        }
        if b > 0 { turns.gates[t].wait() }
        if !turns.stopped.load(ordering: .relaxed) {
          let taken = buffer.withUnsafeBytes { sink.sink($0) }
          if !taken { turns.stopped.store(true, ordering: .relaxed) }
        }
        turns.gates[(t + 1) % workers].signal()
      }
    }
    let finished = DispatchSemaphore(value: 0)
    for t in 1..<workers {
      Thread.detachNewThread {
        work(t)
        finished.signal()
      }
    }
    work(0)
    // The sink may not be called once this returns.
    for _ in 1..<workers { finished.wait() }
    return !turns.stopped.load(ordering: .relaxed)
  }

  /// The order in which the workers hand their blocks over: one gate per worker, and
  /// whether the sink refused a block.
  final class Turns: Sendable {
    let gates: [DispatchSemaphore]
    let stopped = Atomic<Bool>(false)
    init(_ workers: Int) { gates = (0..<workers).map { _ in DispatchSemaphore(value: 0) } }
  }

  /// The sink, called by one worker at a time (in turn, through the gates).
  struct UnsafeSink: @unchecked Sendable {
    let sink: ByteSink
    init(_ sink: @escaping ByteSink) { self.sink = sink }
  }

  /// A buffer the iterations of a `concurrentPerform` write, each its own elements.
  struct UnsafeTarget<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
  }
}

/// Where a report's bytes go, in order; false stops the output (a closed pipe, a full
/// disk). Called from one thread at a time, not always the caller's.
public typealias ByteSink = (UnsafeRawBufferPointer) -> Bool

/// A report's output: its bytes, with long runs of rows laid out only when written
/// (on every core, into buffers that are reused, see ``write(to:)``).
public struct ReportBytes: Sendable {
  enum Part: Sendable {
    case bytes([UInt8])
    case rows(ChunkedRows)
  }
  var parts: [Part]

  init(_ parts: [Part]) { self.parts = parts }

  /// Bytes already laid out.
  ///
  /// - Parameter bytes: The whole output.
  public init(_ bytes: [UInt8]) { parts = [.bytes(bytes)] }

  /// The output as pieces, in order (every row laid out, in chunks kept whole).
  public var pieces: [[UInt8]] {
    var out: [[UInt8]] = []
    for part in parts {
      switch part {
      case .bytes(let b): if !b.isEmpty { out.append(b) }
      case .rows(let rows): out += rows.pieces()
      }
    }
    return out
  }

  /// The whole output in one buffer.
  public var bytes: [UInt8] { JSONWriter.joined(pieces) }

  /// About how many bytes ``write(to:)`` hands out: the fixed parts exactly, the rows
  /// at their writers' estimate of a row's length (for reserving room ahead).
  public var estimatedCount: Int {
    parts.reduce(0) { total, part in
      switch part {
      case .bytes(let b): total + b.count
      case .rows(let rows): total + rows.count * rows.bytesPerRow
      }
    }
  }

  /// Writes the output through `sink`, in order; rows are laid out as they go.
  ///
  /// - Parameter sink: Takes each piece; false stops the output.
  /// - Returns: False when the sink refused a piece.
  public func write(to sink: @escaping ByteSink) -> Bool {
    for part in parts {
      switch part {
      case .bytes(let b):
        if !b.isEmpty, !b.withUnsafeBytes(sink) { return false }
      case .rows(let rows):
        if !rows.write(to: sink) { return false }
      }
    }
    return true
  }
}

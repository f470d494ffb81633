internal import Foundation
internal import LineageLoaders
internal import NIOConcurrencyHelpers

/// The events the server has taken, kept in files of their own instead of in memory, so
/// that the server's memory follows its graph and not the number of events: each
/// event's body and label in one file, and where they are with the event's time (a
/// ``Place`` of 24 bytes) in another, the index. An event's body is read back (`pread`)
/// only when the graph is read again from the events (an event older than the stream's
/// latest, a graph as of a past time, drift), and dropped once read; memory holds the
/// newest places (those of the events waiting or read since the stream's oldest mark,
/// which the present graph reads again) and nothing per older event.
///
/// The files are made in the temporary directory and unlinked at once, so they live as
/// long as the server and no longer; they are a cache of what the store keeps (the
/// start replays the store into new ones). What cannot be written (a full disk) is kept
/// in memory instead, so that an event the store took is never lost here.
///
/// ``keep(_:time:)`` and ``place(_:)`` are called from one task at a time (the state's
/// actor); ``document(_:)`` from any.
final class EventSpill: @unchecked Sendable {
  /// Where one event's body and label are, and its time.
  struct Place: Sendable, Equatable {
    /// Where the body starts in the file, or, when ``length`` is negative, the key of
    /// the body kept in memory.
    var offset: Int64
    /// The body's length in bytes; -1 when it is kept in memory.
    var length: Int32
    /// The label's length in bytes, after the body.
    var labelLength: Int32
    /// The event's `eventTime` in seconds since 1970; -infinity when it has none.
    var time: Double

    /// Whether the body is in memory (the file could not be written).
    var inMemory: Bool { length < 0 }
  }

  /// The bodies' file, or -1 when none could be made (every body is then in memory).
  let fd: Int32
  /// The index's file (a ``Place`` per event, in order), or -1 when none could be made
  /// (every place is then in memory).
  let indexFD: Int32
  private var end: Int64 = 0
  /// The number of events kept.
  private(set) var count = 0
  /// The newest places, also in memory: `recent[k]` is event `recentBase + k`'s.
  private var recent: [Place] = []
  private var recentBase = 0
  /// At least this many of the newest places stay in memory (twice as many at most).
  let recentKept: Int
  /// Places that could not be written to the index, by event.
  private var unindexed: [Int: Place] = [:]
  /// Bodies that could not be written to the file, by key (``Place/offset``).
  private let held = NIOLockedValueBox<[Int64: OpenLineageDocument]>([:])
  private var heldKeys: Int64 = 0

  /// The size of a place in the index: its bytes as laid out in memory, with no
  /// padding (``init(directory:recentKept:)`` checks), 24.
  static let placeSize = MemoryLayout<Place>.stride

  /// Makes the files in `directory` (the temporary directory by default).
  ///
  /// - Parameters:
  ///   - directory: Where the files are made (and unlinked at once).
  ///   - recentKept: How many of the newest places stay in memory at least: enough
  ///     for the events the present graph reads again (waiting, and read since its
  ///     oldest mark).
  init(directory: String = NSTemporaryDirectory(), recentKept: Int = 32_768) {
    // A place is written and read as its bytes: they must be all there is to it.
    precondition(MemoryLayout<Place>.size == Self.placeSize, "a place's layout has padding")
    fd = FileIO.unlinkedTemporaryFile(in: directory, prefix: "lineage-events-")
    indexFD = FileIO.unlinkedTemporaryFile(in: directory, prefix: "lineage-events-")
    self.recentKept = max(1, recentKept)
  }

  deinit {
    if fd >= 0 { close(fd) }
    if indexFD >= 0 { close(indexFD) }
  }

  /// Keeps one event's body, label and time.
  ///
  /// - Returns: Its place (the event's number is `count - 1` after the call).
  @discardableResult
  func keep(_ document: OpenLineageDocument, time: Double) -> Place {
    var place = Place(offset: 0, length: -1, labelLength: 0, time: time)
    var written = false
    if fd >= 0, document.bytes.count < Int(Int32.max), document.label.utf8.count < Int(Int32.max) {
      var record = document.bytes
      record.append(contentsOf: document.label.utf8)
      // Nothing past `end` counts when the write fails; the next one starts there again.
      if FileIO.writeFully(fd, record, at: end) == 0 {
        place = Place(
          offset: end, length: Int32(document.bytes.count), labelLength: Int32(document.label.utf8.count), time: time)
        end += Int64(record.count)
        written = true
      }
    }
    if !written {
      let key = heldKeys
      heldKeys += 1
      held.withLockedValue { $0[key] = document }
      place.offset = key
    }
    let n = count
    count += 1
    var bytes = place
    let indexed =
      indexFD >= 0
      && withUnsafeBytes(of: &bytes) { FileIO.writeFully(indexFD, $0, at: Int64(n) * Int64(Self.placeSize)) } == 0
    if !indexed { unindexed[n] = place }
    recent.append(place)
    if recent.count >= 2 * recentKept {
      recent.removeFirst(recentKept)
      recentBase += recentKept
    }
    return place
  }

  /// The place of event `n` (`0..<count`).
  ///
  /// - Throws: ``StoreError`` when the index cannot be read back.
  func place(_ n: Int) throws(StoreError) -> Place {
    precondition(n >= 0 && n < count, "event \(n) of \(count)")
    if n >= recentBase { return recent[n - recentBase] }
    if let p = unindexed[n] { return p }
    var p = Place(offset: 0, length: 0, labelLength: 0, time: 0)
    let read = withUnsafeMutableBytes(of: &p) { raw in
      Self.readFully(indexFD, raw, at: Int64(n) * Int64(Self.placeSize))
    }
    guard read else { throw Self.unreadable("index") }
    return p
  }

  /// The places of events `indices`, in that order.
  ///
  /// - Throws: ``StoreError`` when the index cannot be read back.
  func places(_ indices: [Int]) throws(StoreError) -> [Place] {
    var out: [Place] = []
    out.reserveCapacity(indices.count)
    for n in indices { out.append(try place(n)) }
    return out
  }

  /// Every event's place, in order: the index read through once.
  ///
  /// - Throws: ``StoreError`` when the index cannot be read back.
  func allPlaces() throws(StoreError) -> [Place] {
    var out = [Place](repeating: Place(offset: 0, length: 0, labelLength: 0, time: 0), count: count)
    let fromFile = min(recentBase, count)
    let got = out.withUnsafeMutableBytes { raw in
      FileIO.read(indexFD, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<(fromFile * Self.placeSize)]), at: 0)
    }
    // Places past the end of what could be read must be those that were never written.
    for n in (got / Self.placeSize)..<fromFile where unindexed[n] == nil { throw Self.unreadable("index") }
    for (n, p) in unindexed where n < fromFile { out[n] = p }
    for k in recent.indices { out[recentBase + k] = recent[k] }
    return out
  }

  /// The event kept at `place`.
  ///
  /// - Throws: ``StoreError`` when the file cannot be read back (the disk failed under
  ///   it): no graph can be built from the events until the server is restarted, which
  ///   replays them from the store into new files.
  func document(_ place: Place) throws(StoreError) -> OpenLineageDocument {
    if place.inMemory {
      guard let d = held.withLockedValue({ $0[place.offset] }) else { throw Self.unreadable("memory") }
      return d
    }
    let total = Int(place.length) + Int(place.labelLength)
    var record = [UInt8](repeating: 0, count: total)
    let read = record.withUnsafeMutableBytes { Self.readFully(fd, $0, at: place.offset) }
    guard read else { throw Self.unreadable("file") }
    let label = String(decoding: record[Int(place.length)...], as: UTF8.self)
    record.removeLast(Int(place.labelLength))
    return OpenLineageDocument(bytes: record, label: label)
  }

  /// The event numbered `n`.
  ///
  /// - Throws: ``StoreError`` when it cannot be read back.
  func document(at n: Int) throws(StoreError) -> OpenLineageDocument { try document(try place(n)) }

  /// Reads `raw.count` bytes at `offset`; false when the file is shorter or unreadable.
  static func readFully(_ fd: Int32, _ raw: UnsafeMutableRawBufferPointer, at offset: Int64) -> Bool {
    FileIO.read(fd, into: raw, at: offset) == raw.count
  }

  /// The error of a read that failed: the files are the server's own, unlinked, so a
  /// short read means the disk failed under them (or they were cut short), and no
  /// answer from them can be trusted.
  static func unreadable(_ what: String) -> StoreError {
    let why = errno == 0 ? "it is shorter than what was written" : String(cString: strerror(errno))
    let name = what == "index" ? "the events' index file" : "the events' spill file"
    return StoreError(
      "\(name) (in the temporary directory) could not be read back: \(why); restart the server to read the events from the store again"
    )
  }
}

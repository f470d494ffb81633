internal import Foundation

/// The runs a stream folded away (``OpenLineageStream/fold()``), by a seeded 64-bit hash
/// of their key: an open-addressing table kept in a file of its own (made in the
/// temporary directory on the first run folded, and unlinked at once), read and written
/// in place, so that the stream's memory does not grow with the runs it folded. Each
/// lookup reads the slots of one probe, most often one read of 64 bytes; the table
/// doubles (read through once, written anew) when half full. In memory instead when the
/// file cannot be made or written.
///
/// Copies of a stream share it: a copy that folds makes the others refuse an event of a
/// run it folded and they never saw, which is safe (the caller reads every event again)
/// but slower; the server folds one stream at a time.
final class FoldedRuns: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var fd: Int32 = -1
  /// Slots in the file (a power of 2), 0 before the first insert.
  private var capacity = 0
  /// The hashes, when the file could not be made or written.
  private var memory: Set<UInt64>?
  private var stored = 0
  /// Set when the file failed and some hashes could not be read back: every run not
  /// kept then counts as folded (refused, and read again by a new stream), which is
  /// right, though slow.
  private var lost = false
  /// The directory the file is made in.
  let directory: String
  /// A Bloom filter of the hashes (1 MiB, three bits a hash, made on the first insert):
  /// most runs looked up are new ones, which it rules out without reading the file.
  private var bloom: [UInt64] = []
  static let bloomWords = 1 << 17

  /// The filter's `k`th bit of `h` (k in 0..<3), as word index and mask.
  private static func bit(_ k: Int, of h: UInt64) -> (word: Int, mask: UInt64) {
    let bit = Int(truncatingIfNeeded: (h >> (UInt64(k) * 21)) & UInt64(bloomWords * 64 - 1))
    return (bit >> 6, 1 << UInt64(bit & 63))
  }

  /// Whether the filter may hold `h` (false: it surely does not).
  private func mayHold(_ h: UInt64) -> Bool {
    for k in 0..<3 {
      let (w, m) = Self.bit(k, of: h)
      if bloom[w] & m == 0 { return false }
    }
    return true
  }

  /// A set that has folded nothing; its file is made on the first insert.
  ///
  /// - Parameters:
  ///   - directory: Where the file is made.
  ///   - inMemory: Keep the hashes in memory, with no file (for a stream read once and
  ///     dropped, where a file's reads and writes cost more than the memory).
  init(directory: String = NSTemporaryDirectory(), inMemory: Bool = false) {
    self.directory = directory
    if inMemory { memory = [] }
  }

  deinit { if fd >= 0 { close(fd) } }

  /// How many runs were folded.
  var count: Int { lock.withLock { stored } }
  /// Whether no run was folded.
  var isEmpty: Bool { count == 0 }
  /// Whether the hashes are in memory (the file could not be made or written).
  var inMemory: Bool { lock.withLock { memory != nil } }

  /// The hash a key is kept by: never 0, which marks an empty slot.
  static func hash(_ key: String) -> UInt64 {
    let h = UInt64(bitPattern: Int64(key.hashValue))
    return h == 0 ? 1 : h
  }

  /// Notes the run of `key`.
  func insert(_ key: String) {
    let h = Self.hash(key)
    lock.withLock {
      if bloom.isEmpty { bloom = [UInt64](repeating: 0, count: Self.bloomWords) }
      for k in 0..<3 {
        let (w, m) = Self.bit(k, of: h)
        bloom[w] |= m
      }
      if memory != nil {
        if memory?.insert(h).inserted == true { stored += 1 }
        return
      }
      if fd < 0 || (stored + 1) * 2 > capacity {
        guard grow() else {
          fallBack()
          if memory?.insert(h).inserted == true { stored += 1 }
          return
        }
      }
      switch probe(h) {
      case .found: return
      case .empty(let slot):
        var value = h
        let written = withUnsafeBytes(of: &value) { FileIO.writeFully(fd, $0, at: Int64(slot) * 8) } == 0
        if written {
          stored += 1
        } else {
          fallBack()
          if memory?.insert(h).inserted == true { stored += 1 }
        }
      case .unreadable:
        fallBack()
        if memory?.insert(h).inserted == true { stored += 1 }
      }
    }
  }

  /// Whether the run of `key` was folded (or one whose key's hash is the same).
  func contains(_ key: String) -> Bool {
    let h = Self.hash(key)
    return lock.withLock {
      if lost { return true }
      if let memory { return memory.contains(h) }
      guard stored > 0, mayHold(h) else { return false }
      if case .empty = probe(h) { return false }
      // Found, or a table that cannot be read: either way the caller reads every event
      // again, which is right.
      return true
    }
  }

  /// What a probe found: `h`, the empty slot where it would go, or a short read.
  private enum Probe {
    case found
    case empty(Int)
    case unreadable
  }

  /// Linear probing from `h`'s slot, eight slots (64 bytes) at a read.
  private func probe(_ h: UInt64) -> Probe {
    let mask = capacity - 1
    var slot = Int(truncatingIfNeeded: h) & mask
    var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    var scanned = 0
    // (A full table, which growing prevents, would be read round once: then "not
    // readable", which counts the run as folded.)
    while scanned < capacity {
      let run = min(8, capacity - slot)
      scanned += run
      // Eight slots on the stack: a lookup allocates nothing.
      let found: Probe? = withUnsafeMutableBytes(of: &block) { raw in
        let slots = UnsafeMutableRawBufferPointer(rebasing: raw[..<(run * 8)])
        guard FileIO.read(fd, into: slots, at: Int64(slot) * 8) == run * 8 else { return .unreadable }
        let words = raw.bindMemory(to: UInt64.self)
        for k in 0..<run {
          if words[k] == h { return .found }
          if words[k] == 0 { return .empty(slot + k) }
        }
        return nil
      }
      if let found { return found }
      slot = (slot + run) & mask
    }
    return .unreadable
  }

  /// A table twice as large (1,024 slots at first), with every hash moved to it.
  private func grow() -> Bool {
    let size = max(1_024, capacity * 2)
    let newFD = FileIO.unlinkedTemporaryFile(in: directory, prefix: "lineage-folded-")
    guard newFD >= 0 else { return false }
    guard ftruncate(newFD, off_t(size) * 8) == 0 else {
      close(newFD)
      return false
    }
    let (oldFD, oldCapacity) = (fd, capacity)
    (fd, capacity) = (newFD, size)
    guard oldFD >= 0 else { return true }
    defer { close(oldFD) }
    // Each hash of the old table put in the new one.
    var written = true
    let read = Self.forEachHash(oldFD, capacity: oldCapacity) { h in
      guard written, case .empty(let slot) = probe(h) else { return }
      var value = h
      written = withUnsafeBytes(of: &value) { FileIO.writeFully(newFD, $0, at: Int64(slot) * 8) } == 0
    }
    guard read, written else {
      (fd, capacity) = (oldFD, oldCapacity)
      close(newFD)
      return false
    }
    return true
  }

  /// Calls `body` with each hash of the table in `fd` (`capacity` slots), read through
  /// a block at a time.
  ///
  /// - Returns: False when a block could not be read (its hashes are skipped).
  private static func forEachHash(_ fd: Int32, capacity: Int, _ body: (UInt64) -> Void) -> Bool {
    var block = [UInt64](repeating: 0, count: 4_096)
    var all = true
    var at = 0
    while at < capacity {
      let run = min(block.count, capacity - at)
      let read = block.withUnsafeMutableBytes { raw in
        FileIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<(run * 8)]), at: Int64(at) * 8)
      }
      if read == run * 8 {
        for k in 0..<run where block[k] != 0 { body(block[k]) }
      } else {
        all = false
      }
      at += run
    }
    return all
  }

  /// Moves every hash into memory (the file failed), and closes the file.
  private func fallBack() {
    var all = Set<UInt64>()
    if fd >= 0 {
      if !Self.forEachHash(fd, capacity: capacity, { all.insert($0) }) { lost = true }
      close(fd)
      fd = -1
    }
    memory = all
    stored = max(stored, all.count)
  }
}

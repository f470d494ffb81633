import Foundation
import Testing

@testable import LineageLoaders

/// The stamp a graph cache keeps beside an image: an input whose file status matches it
/// is not read again for its content digest; any change to the input's status, a
/// damaged stamp, or an input changed too recently to stamp safely means the content is
/// read.
@Suite struct GraphCacheStampTests {
  static let document = #"{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [["a", "b"]]}"#

  /// A fresh directory holding `graph.json` (the document) and a cache directory.
  static func setUp() throws -> (dir: String, input: String, cache: GraphCache) {
    let dir = NSTemporaryDirectory() + "lineage-stamp-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir + "/cache", withIntermediateDirectories: true)
    let input = dir + "/graph.json"
    try Data(document.utf8).write(to: URL(fileURLWithPath: input))
    var cache = GraphCache(directory: dir + "/cache", toolIdentity: "test tool")
    // The input was written a moment ago: a margin below zero stamps it anyway.
    cache.racyMargin = -1_000
    return (dir, input, cache)
  }

  /// The entry of `input` with `bytes` standing for its content (same length).
  static func entry(_ cache: GraphCache, _ input: String, _ bytes: [UInt8]) throws -> GraphCache.Entry {
    try #require(bytes.withUnsafeBufferPointer { cache.entry(path: input, bytes: $0) })
  }

  /// The file's access and modification times, to the nanosecond.
  static func times(_ path: String) throws -> [timespec] {
    var st = stat()
    try #require(stat(path, &st) == 0)
    return [st.st_atim, st.st_mtim]
  }

  /// Sets the file's access and modification times back exactly (its status-change
  /// time moves, as it does for any tool that restores them).
  static func restore(_ times: [timespec], _ path: String) throws {
    try #require(utimensat(AT_FDCWD, path, times, 0) == 0)
    var st = stat()
    try #require(stat(path, &st) == 0)
    try #require(st.st_mtim.tv_sec == times[1].tv_sec && st.st_mtim.tv_nsec == times[1].tv_nsec)
  }

  @Test func aMatchingStampSparesReadingTheInput() throws {
    let (dir, input, cache) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let real = Array(Self.document.utf8)
    let first = try Self.entry(cache, input, real)
    #expect(first.hashed)
    let stamp = try #require(first.stamp)
    #expect(cache.writeAtomically(Array(stamp.utf8), to: GraphCache.stampFile(first.file)))
    // Other bytes of the same length: the key still comes from the stamp, so they
    // were not read.
    let other = [UInt8](repeating: UInt8(ascii: " "), count: real.count)
    let second = try Self.entry(cache, input, other)
    #expect(!second.hashed)
    #expect(second.stamp == nil)
    #expect(second.key == first.key)
    // Without the stamp, those bytes give another key.
    unlink(GraphCache.stampFile(first.file))
    let unstamped = try Self.entry(cache, input, other)
    #expect(unstamped.hashed)
    #expect(unstamped.key != first.key)
  }

  @Test func aChangedStatusOrADamagedStampMeansReadingTheInput() throws {
    let (dir, input, cache) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let real = Array(Self.document.utf8)
    let first = try Self.entry(cache, input, real)
    let stampFile = GraphCache.stampFile(first.file)
    let stamp = try #require(first.stamp)
    // Damaged stamps: each is ignored.
    let damaged = [
      String(stamp.dropLast()), stamp + "x", stamp.replacingOccurrences(of: "stamp ", with: "stamp 9"),
      String(stamp.dropLast(2)) + "g\n", "", String(stamp.prefix(stamp.count / 2)),
    ]
    for bad in damaged {
      #expect(cache.writeAtomically(Array(bad.utf8), to: stampFile))
      #expect(try Self.entry(cache, input, real).hashed, "damaged stamp \(bad.debugDescription) was trusted")
    }
    #expect(cache.writeAtomically(Array(stamp.utf8), to: stampFile))
    #expect(try !Self.entry(cache, input, real).hashed)
    // The same content written again, its modification time restored: the status-change
    // time moved, so the content is read.
    let before = try Self.times(input)
    usleep(20_000)
    try Data(Self.document.utf8).write(to: URL(fileURLWithPath: input))
    try Self.restore(before, input)
    let again = try Self.entry(cache, input, real)
    #expect(again.hashed)
    #expect(again.stamp != stamp, "the new stamp holds the new status")
    // Another tool identity does not take this tool's stamp.
    var other = cache
    other.toolIdentity = "another tool"
    #expect(cache.writeAtomically(Array(try #require(again.stamp).utf8), to: stampFile))
    #expect(try !Self.entry(cache, input, real).hashed)
    #expect(try Self.entry(other, input, real).hashed)
  }

  @Test func anInputChangedWithinTheMarginIsNotStamped() throws {
    let (dir, input, stamping) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var cache = stamping
    cache.racyMargin = 3
    let entry = try Self.entry(cache, input, Array(Self.document.utf8))
    #expect(entry.hashed)
    #expect(entry.stamp == nil, "an input written just now was stamped")
  }
}

/// A writer killed before it renamed its temporary image leaves the file behind; the
/// next image written removes such leftovers once they are old, and nothing else.
@Suite struct GraphCacheSweepTests {
  @Test func staleTemporaryImagesAreRemovedWhenTheNextImageIsWritten() throws {
    let (dir, input, cache) = try GraphCacheStampTests.setUp()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let folder = dir + "/cache"
    let stale = folder + "/graph-0123.img.999999.1.tmp", fresh = folder + "/graph-0123.img.999999.2.tmp"
    let staleStamp = folder + "/graph-0123.stamp.999999.3.tmp", other = folder + "/notes.tmp"
    let staleKept = folder + "/findings-ab12.kept.999999.4.tmp", lookalike = folder + "/graph-export.tmp"
    for file in [stale, fresh, staleStamp, other, staleKept, lookalike] {
      try Data("half an image".utf8).write(to: URL(fileURLWithPath: file))
    }
    // An hour old: long past any writer's life.
    let old = timespec(tv_sec: time(nil) - 3_600, tv_nsec: 0)
    for file in [stale, staleStamp, other, staleKept, lookalike] {
      try #require(utimensat(AT_FDCWD, file, [old, old], 0) == 0)
    }
    let model = try ModelLoader.load(path: input)
    let entry = try GraphCacheStampTests.entry(cache, input, Array(GraphCacheStampTests.document.utf8))
    cache.writeNow(model, entry)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    #expect(!left.contains("graph-0123.img.999999.1.tmp") && !left.contains("graph-0123.stamp.999999.3.tmp"))
    #expect(!left.contains("findings-ab12.kept.999999.4.tmp"))
    // A recent one may belong to a writer still at work; a file that is not of the
    // cache's own shape is left alone, however old.
    #expect(left.contains("graph-0123.img.999999.2.tmp") && left.contains("notes.tmp"))
    #expect(left.contains("graph-export.tmp"))
    #expect(left.contains((entry.file as NSString).lastPathComponent))
  }
}

/// The names the sweep takes for the cache's temporary files: exactly what
/// `writeAtomically` makes of the cache's own files, nothing else.
@Suite struct GraphCacheTemporaryNameTests {
  @Test func onlyTheCachesOwnTemporaryNamesAreTaken() {
    for name in ["graph-0af.img.12.3.tmp", "graph-9.stamp.1.1.tmp", "findings-ff00.kept.4242.17.tmp"] {
      #expect(GraphCache.isTemporaryName(name), "\(name)")
    }
    for name in [
      "graph-export.tmp", "graph-0af.img", "graph-0af.img.12.3.tmp.bak", "graph-xyz.img.12.3.tmp",
      "graph-.img.1.1.tmp", "graph-0af.json.1.1.tmp", "findings-0af.img.1.1.tmp", "graph-0af.img.a.3.tmp",
      "graph-0af.img..3.tmp", "other-0af.img.1.1.tmp", "notes.tmp",
    ] {
      #expect(!GraphCache.isTemporaryName(name), "\(name)")
    }
    // What the writer makes of each of the cache's own files is what the sweep takes.
    for file in ["graph-0af.img", "graph-0af.stamp", "findings-ff00.kept"] {
      let temp = GraphCache.temporaryPath(of: "/some/cache/" + file, pid: 4242, write: 17)
      #expect(GraphCache.isTemporaryName((temp as NSString).lastPathComponent), "\(temp)")
    }
  }
}

/// Disk blocks reserved ahead of a long write to the end of a file, and given back:
/// the file holds exactly what was written, and no block past it.
@Suite struct FileReservationTests {
  static func temporaryFile(_ flags: Int32 = O_WRONLY | O_CREAT | O_TRUNC) throws -> (path: String, fd: Int32) {
    let path = NSTemporaryDirectory() + "lineage-reserve-\(UUID().uuidString)"
    let fd = open(path, flags, 0o600)
    try #require(fd >= 0)
    return (path, fd)
  }

  @Test func aLongWriteToAFilesEndIsReservedAndGivenBack() throws {
    let (path, fd) = try Self.temporaryFile()
    defer { unlink(path) }
    let head = [UInt8]("head\n".utf8)
    #expect(FileIO.writeFully(fd, head) == 0)
    let reservation = try #require(FileIO.reserve(fd, bytes: 12 << 20))
    var st = stat()
    #expect(fstat(fd, &st) == 0 && st.st_size == head.count, "the size is kept")
    let block = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
    for _ in 0..<9 { #expect(FileIO.writeFully(fd, block) == 0) }
    reservation.release()
    #expect(close(fd) == 0)
    #expect(stat(path, &st) == 0)
    let size = head.count + 9 << 20
    #expect(st.st_size == size)
    // No reserved block is left past the end (a block is at most 64 KiB).
    #expect(Int(st.st_blocks) * 512 < size + 65_536, "\(st.st_blocks) blocks")
    let back = try Data(contentsOf: URL(fileURLWithPath: path))
    let same = back.prefix(5).elementsEqual(head) && back.dropFirst(5).allSatisfy { $0 == UInt8(ascii: "x") }
    #expect(same)
  }

  @Test func nothingIsReservedWhereOthersMayWrite() throws {
    // Append mode (a file shared with other writers), not at the file's end, a pipe, a
    // short write.
    let (path, fd) = try Self.temporaryFile(O_WRONLY | O_CREAT | O_APPEND)
    defer { unlink(path) }
    #expect(FileIO.reserve(fd, bytes: 12 << 20) == nil)
    close(fd)
    let other = open(path, O_WRONLY)
    #expect(FileIO.writeFully(other, [UInt8](repeating: 1, count: 100)) == 0)
    #expect(lseek(other, 10, SEEK_SET) == 10)
    #expect(FileIO.reserve(other, bytes: 12 << 20) == nil)
    #expect(lseek(other, 0, SEEK_END) == 100)
    #expect(FileIO.reserve(other, bytes: 1 << 20) == nil)
    close(other)
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    #expect(FileIO.reserve(ends[1], bytes: 12 << 20) == nil)
    close(ends[0])
    close(ends[1])
  }
}

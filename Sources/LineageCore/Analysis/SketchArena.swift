/// Sketch buffers of one thread: fixed chunks that never move, so other threads may
/// read a finished sketch while this one allocates more.
final class SketchArena: @unchecked Sendable {
  let bytes: Int
  var chunks: [UnsafeMutablePointer<UInt8>] = []
  var free: [UnsafeMutablePointer<UInt8>] = []
  var used = 0
  static let perChunk = 1024

  init(bytes: Int) { self.bytes = bytes }

  func acquire() -> UnsafeMutablePointer<UInt8> {
    if let p = free.popLast() {
      p.update(repeating: 0, count: bytes)
      return p
    }
    if used % Self.perChunk == 0 {
      let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes * Self.perChunk)
      chunks.append(chunk)
    }
    let p = chunks[chunks.count - 1] + (used % Self.perChunk) * bytes
    p.initialize(repeating: 0, count: bytes)
    used += 1
    return p
  }

  func release(_ p: UnsafeMutablePointer<UInt8>) { free.append(p) }

  deinit { for c in chunks { c.deallocate() } }
}

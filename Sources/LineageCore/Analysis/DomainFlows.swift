/// Counts of edges between each ordered pair of domains.
struct DomainFlows {
  /// Dense counts, `(a + 1) * width + (b + 1)` (domain -1, none, in row and column 0),
  /// when the domains are few enough; else the pairs that occur.
  var dense: [Int]
  var width: Int
  var sparse: [Int64: Int] = [:]

  /// Domains up to which the counts are a dense square (4,096 domains: 128 MiB at most).
  static let denseLimit = 4_096

  init(_ g: LineageGraph, denseLimit: Int = Self.denseLimit) {
    let d = g.domainNames.count
    width = d <= denseLimit ? d + 1 : 0
    dense = [Int](repeating: 0, count: width * width)
    let width = width
    var sparse: [Int64: Int] = [:]
    g.forward.offsets.withUnsafeBufferPointer { off in
      g.forward.targets.withUnsafeBufferPointer { tgt in
        g.domain.withUnsafeBufferPointer { domain in
          dense.withUnsafeMutableBufferPointer { dense in
            for v in 0..<g.nodeCount {
              let dv = domain[v]
              for e in Int(off[v])..<Int(off[v + 1]) {
                let dw = domain[Int(tgt[e])]
                guard dv != dw else { continue }
                if width > 0 {
                  dense[Int(dv + 1) * width + Int(dw + 1)] += 1
                } else {
                  sparse[Self.key(dv, dw), default: 0] += 1
                }
              }
            }
          }
        }
      }
    }
    self.sparse = sparse
  }

  static func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(UInt32(bitPattern: b)) }

  /// The number of edges from domain `a` to domain `b` (-1: no domain); 0 within one.
  func count(_ a: Int32, _ b: Int32) -> Int {
    guard a != b else { return 0 }
    return width > 0 ? dense[Int(a + 1) * width + Int(b + 1)] : sparse[Self.key(a, b)] ?? 0
  }
}

/// Counts of edges between each ordered pair of domains.
struct DomainFlows {
  var counts: [Int64: Int] = [:]

  init(_ g: LineageGraph) {
    for v in 0..<Int32(g.nodeCount) {
      let dv = g.domain[Int(v)]
      for w in g.forward.neighbors(v) {
        let dw = g.domain[Int(w)]
        if dv != dw { counts[Self.key(dv, dw), default: 0] += 1 }
      }
    }
  }

  static func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(UInt32(bitPattern: b)) }

  func count(_ a: Int32, _ b: Int32) -> Int { counts[Self.key(a, b)] ?? 0 }
}

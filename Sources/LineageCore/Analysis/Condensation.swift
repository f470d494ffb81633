/// The condensation of a graph as the blast-radius DP needs it: each component's
/// successor components (deduplicated) and how many components read each.
struct Condensation: Sendable {
  var succOffsets: [Int32]
  var succ: [Int32]
  var readers: [Int32]

  init(_ g: CSR, _ scc: StronglyConnectedComponents) {
    let c = scc.count
    var succOffsets = [Int32](repeating: 0, count: c + 1)
    var succ: [Int32] = []
    var readers = [Int32](repeating: 0, count: c)
    var stamp = [Int32](repeating: -1, count: c)
    for ci in 0..<c {
      for v in scc.members.neighbors(Int32(ci)) {
        for w in g.neighbors(v) {
          let d = Int(scc.component[Int(w)])
          if d != ci && stamp[d] != Int32(ci) {
            stamp[d] = Int32(ci)
            readers[d] += 1
            succ.append(Int32(d))
          }
        }
      }
      succOffsets[ci + 1] = Int32(succ.count)
    }
    self.succOffsets = succOffsets
    self.succ = succ
    self.readers = readers
  }
}

/// Where each declaration of a mesh, and each input it reads, landed in the mesh's
/// graph: found once, while ``LineageGraph/init(mesh:)`` builds the graph, and read
/// again by the column graph and the resolver, which would otherwise look every id
/// up again (each lookup in a graph of a hundred thousand ids is a few cache misses).
struct MeshPlaces: Sendable {
  /// The graph node of each `mesh.nodes` entry (a repeated id has its first
  /// declaration's node).
  var node: [Int32] = []
  /// The inputs of `mesh.nodes[i]` are `inputNode[inputStart[i]..<inputStart[i + 1]]`.
  var inputStart: [Int32] = [0]
  /// The graph node of each input's product, in declaration order; -1 when the mesh
  /// declares no node of that id.
  var inputNode: [Int32] = []

  /// The graph node of input `k` of `mesh.nodes[i]`, if its product is declared.
  ///
  /// - Parameters:
  ///   - i: A `mesh.nodes` index.
  ///   - k: An index into that node's inputs.
  /// - Returns: The product's node, or nil.
  @inline(__always) func input(_ i: Int, _ k: Int) -> Int32? {
    let u = inputNode[Int(inputStart[i]) + k]
    return u < 0 ? nil : u
  }
}

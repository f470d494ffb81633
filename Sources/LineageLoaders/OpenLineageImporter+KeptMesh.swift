import LineageCore

extension OpenLineageImporter {
  /// What events read since a mesh was made changed: datasets (created, facets, named
  /// by a run), jobs (runs, declared lineage, facets) and the ids that became aliases.
  struct Touched: Sendable {
    var datasets = Set<String>()
    var jobs = Set<String>()
    var aliases = Set<String>()

    mutating func formUnion(_ other: Touched) {
      datasets.formUnion(other.datasets)
      jobs.formUnion(other.jobs)
      aliases.formUnion(other.aliases)
    }
  }

  /// Where a flow stands in the order ``Accumulator/flows()`` gives: runs first (by job
  /// when each job's latest run counts, by ``Run/order`` when all do), then declared
  /// lineage by job.
  struct FlowKey: Hashable, Comparable, Sendable {
    var group: Int
    var position: Int
    var job: String

    static func < (a: FlowKey, b: FlowKey) -> Bool {
      if a.group != b.group { return a.group < b.group }
      if a.position != b.position { return a.position < b.position }
      return a.job < b.job
    }
  }

  /// The mesh of an import as last made, and what was derived on the way to it, so that
  /// the next mesh remakes only the nodes that events changed since
  /// (``Accumulator/mesh(keeping:dirty:)``). Each part describes ``mesh``: a part is
  /// out of date only for the things named by the changes given with the next call.
  struct KeptMesh: Sendable {
    /// Dataset nodes in the order first seen, then job nodes by id.
    var mesh = Mesh(name: "openlineage")
    /// How many of `mesh.nodes` are datasets.
    var datasetCount = 0
    /// The ids of the job nodes, sorted as they follow the datasets.
    var jobIDs: [String] = []
    /// Each job's flows, in flow order.
    var flows: [String: [(key: FlowKey, flow: Flow)]] = [:]
    /// Each dataset's writers (sorted) and the flows that read and write it (sorted).
    var writers: [String: [FlowKey]] = [:]
    var loopers: [String: [FlowKey]] = [:]
    /// Each dataset's inputs from the flows (before column lineage adds its own).
    var inputs: [String: [Input]] = [:]
    /// A dataset a flow reads and writes: where.
    var selfLoops: [String: SourceLocation] = [:]
    /// With jobs as nodes: each job node's file and inputs.
    var jobNodes: [String: (file: String, inputs: [Input])] = [:]
    /// The datasets whose column lineage names an id (as written, and canonical).
    var readers: [String: Set<String>] = [:]
    /// The ids each dataset's column lineage names.
    var names: [String: [String]] = [:]
    /// The `dangling-column-lineage` finding of the dataset at each position.
    var dangling: [Int: Finding] = [:]
    /// Datasets whose column lineage names their own columns: how many, where.
    var selfColumns: [String: (count: Int, location: SourceLocation)] = [:]
    /// Datasets with column lineage (left out with jobs as nodes).
    var withLineage = Set<String>()
    /// How many nodes each team owns.
    var teams: [String: Int] = [:]
    /// What the mesh reflects that the stream keeping it has not read: the changes of
    /// documents read on a copy only, to be made again.
    var stale = Touched()
    /// How many nodes the mesh last handed out had (nil: none was handed out yet).
    var handed: Int?
    /// Each node's index in the mesh last handed out, -1 for a node made since; nil
    /// when the mesh is the one handed out.
    var origin: [Int32]?

    /// How the mesh came from the one last handed out (nil: none was), and the mesh
    /// handed out now.
    mutating func handOut() -> MeshUpdate? {
      let update = handed.map {
        MeshUpdate(origin: origin ?? Array(0..<Int32(mesh.nodes.count)), previousCount: $0)
      }
      handed = mesh.nodes.count
      origin = nil
      return update
    }
  }
}

extension OpenLineageImporter.Accumulator {
  typealias FlowKey = OpenLineageImporter.FlowKey
  typealias Flow = OpenLineageImporter.Flow

  /// Up to this many changed job nodes, jobs that come or go are put in or taken out
  /// one at a time; more, and the job part of the mesh is made again in one pass.
  static let jobsMovedInPlace = 16

  /// The flows of one job that count, in flow order: see ``flows()``.
  func flows(of job: String) -> [(key: FlowKey, flow: Flow)] {
    var out: [(key: FlowKey, flow: Flow)] = []
    func flow(_ r: OpenLineageImporter.Run) -> Flow {
      Flow(
        job: r.job, inputs: r.inputs, outputs: r.outputs, inputLocations: r.inputLocations, location: r.location,
        provenance: Provenance(.observed, file: r.file, detail: "job \(r.job), run \(r.runID)"))
    }
    let ids = runsOfJob[job] ?? []
    switch importer.history {
    case .latest:
      if let id = latestRun[job], let best = runs[id] {
        out.append((FlowKey(group: 0, position: 0, job: job), flow(best)))
      }
    case .cumulative:
      for id in ids {
        guard let r = runs[id], r.completed else { continue }
        out.append((FlowKey(group: 0, position: r.order, job: job), flow(r)))
      }
    }
    if let d = declared[job], importer.history == .cumulative || out.isEmpty {
      out.append(
        (
          FlowKey(group: 1, position: 0, job: job),
          Flow(
            job: job, inputs: d.inputs, outputs: d.outputs, inputLocations: [:], location: d.location,
            provenance: Provenance(.declared, file: d.file, detail: "job event \(job)"))
        ))
    }
    return out
  }

  /// The mesh of everything read, as ``connect(_:)`` and ``finish()`` make it, remade
  /// from `kept` where the events changed nothing; `kept` is brought up to date.
  ///
  /// - Parameters:
  ///   - kept: The mesh last made and what was derived for it; nil to make all.
  ///   - dirty: Everything changed since `kept` was made (ignored when it is nil).
  /// - Returns: The mesh and the findings (``findings`` first).
  /// - Complexity: O(changes) nodes made again, patched into the mesh in place; a new
  ///   dataset or a job node that comes or goes also moves the job nodes (O(jobs)
  ///   moves, no node made again); the findings of column lineage and self-loops
  ///   and the teams are sorted each time (O(k log k) in their number).
  func mesh(keeping kept: inout OpenLineageImporter.KeptMesh?, dirty: OpenLineageImporter.Touched) -> (
    Mesh, [Finding]
  ) {
    var dirty = dirty
    var k: OpenLineageImporter.KeptMesh
    if let old = kept {
      k = old
      kept = nil
      dirty.formUnion(k.stale)
    } else {
      k = OpenLineageImporter.KeptMesh()
      dirty.datasets = Set(datasetOrder)
      dirty.jobs = Set(jobLocations.keys).union(runsOfJob.keys).union(declared.keys)
    }
    let jobsAsNodes = importer.jobsAsNodes

    // Flows of the changed jobs: the datasets whose inputs or self-loops they touch.
    var outs = Set<String>()
    var loops = Set<String>()
    func insert(_ key: FlowKey, into list: inout [FlowKey]) {
      var lo = 0
      var hi = list.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if list[mid] < key { lo = mid + 1 } else { hi = mid }
      }
      list.insert(key, at: lo)
    }
    for job in dirty.jobs {
      for (key, f) in k.flows[job] ?? [] {
        for o in f.outputs {
          k.writers[o]?.removeAll { $0 == key }
          outs.insert(o)
        }
        for i in f.inputs where f.outputs.contains(i) {
          k.loopers[i]?.removeAll { $0 == key }
          loops.insert(i)
        }
      }
      let new = flows(of: job)
      for (key, f) in new {
        for o in f.outputs {
          insert(key, into: &k.writers[o, default: []])
          outs.insert(o)
        }
        for i in f.inputs where f.outputs.contains(i) {
          insert(key, into: &k.loopers[i, default: []])
          loops.insert(i)
        }
      }
      k.flows[job] = new.isEmpty ? nil : new
      if jobsAsNodes {
        var j: (file: String, inputs: [Input])?
        for (_, f) in new {
          var node = j ?? (f.provenance.file, [])
          for i in f.inputs where !f.outputs.contains(i) && !node.inputs.contains(where: { $0.product == i }) {
            var input = Input(product: i, location: f.inputLocations[i] ?? f.location)
            input.provenance = [f.provenance]
            node.inputs.append(input)
          }
          j = node
        }
        k.jobNodes["job:" + job] = j
      }
    }
    func flow(_ key: FlowKey) -> Flow? { k.flows[key.job]?.first(where: { $0.key == key })?.flow }
    for o in outs {
      var list: [Input] = []
      for key in k.writers[o] ?? [] {
        guard let f = flow(key) else { continue }
        if jobsAsNodes {
          let jid = "job:" + f.job
          if !list.contains(where: { $0.product == jid }) {
            var edge = Input(product: jid, location: f.location)
            edge.provenance = [f.provenance]
            list.append(edge)
          }
        } else {
          for i in f.inputs where i != o && !list.contains(where: { $0.product == i }) {
            var input = Input(product: i, location: f.inputLocations[i] ?? f.location)
            input.provenance = [f.provenance]
            list.append(input)
          }
        }
      }
      if k.writers[o]?.isEmpty == true { k.writers[o] = nil }
      k.inputs[o] = list.isEmpty ? nil : list
    }
    for i in loops {
      if k.loopers[i]?.isEmpty == true { k.loopers[i] = nil }
      let at = k.loopers[i]?.first.flatMap(flow).map { $0.inputLocations[i] ?? $0.location }
      k.selfLoops[i] = at
    }

    // The dataset nodes to make again: changed, new inputs, or column lineage naming
    // a changed dataset (or an id that became an alias).
    var remake = dirty.datasets.union(outs)
    if !jobsAsNodes {
      for id in dirty.datasets { remake.formUnion(k.readers[id] ?? []) }
      for id in dirty.aliases { remake.formUnion(k.readers[id] ?? []) }
    }
    var nodes = k.mesh.nodes
    k.mesh.nodes = []
    // Where each node was in the mesh as kept (-1: made here), following every move of
    // `nodes`, for ``KeptMesh/origin``.
    let tracking = k.handed != nil
    var step = tracking ? Array(0..<Int32(nodes.count)) : []
    func count(_ owner: String?, _ delta: Int) {
      guard let owner else { return }
      let n = (k.teams[owner] ?? 0) + delta
      k.teams[owner] = n == 0 ? nil : n
    }
    let datasetCount = datasetOrder.count
    if k.datasetCount > datasetCount {
      for p in datasetCount..<k.datasetCount {
        count(nodes[p].owner, -1)
        k.dangling[p] = nil
      }
      nodes.removeSubrange(datasetCount..<k.datasetCount)
      if tracking { step.removeSubrange(datasetCount..<k.datasetCount) }
    } else if k.datasetCount < datasetCount {
      // Every dataset new since is among the changed: each place is filled below.
      nodes.insert(
        contentsOf: repeatElement(MeshNode(id: "", kind: "dataset"), count: datasetCount - k.datasetCount),
        at: k.datasetCount)
      if tracking {
        step.insert(contentsOf: repeatElement(-1, count: datasetCount - k.datasetCount), at: k.datasetCount)
      }
    }
    k.datasetCount = datasetCount
    for id in remake {
      for name in k.names[id] ?? [] {
        k.readers[name]?.remove(id)
        if k.readers[name]?.isEmpty == true { k.readers[name] = nil }
      }
      k.names[id] = nil
      k.selfColumns[id] = nil
      k.withLineage.remove(id)
      guard let d = datasets[id] else { continue }
      var node = datasetNode(d, inputs: k.inputs[id] ?? [])
      var found: [Finding] = []
      if let (_, lineage, at) = d.lineage {
        k.withLineage.insert(id)
        if !jobsAsNodes {
          let own = importer.applyColumnLineage(
            lineage, at: at, to: &node, datasets: datasets, canonical: canonical, findings: &found)
          if own > 0 { k.selfColumns[id] = (own, at) }
          var named = Set<String>()
          for raw in OpenLineageImporter.columnLineageIDs(lineage) {
            named.insert(raw)
            named.insert(canonical(raw))
          }
          for name in named { k.readers[name, default: []].insert(id) }
          k.names[id] = Array(named)
        }
      }
      k.dangling[d.order] = found.first
      count(nodes[d.order].owner, -1)
      count(node.owner, 1)
      nodes[d.order] = node
      if tracking { step[d.order] = -1 }
    }

    // Job nodes: replaced in place, put in or taken out one at a time when a few jobs
    // come or go, or the job part merged again in one pass (made whole the first time).
    if jobsAsNodes {
      // The changed jobs' ids, sorted; each one's node is made when it is placed (nil:
      // the job has no node any more, and its node goes).
      let changed = dirty.jobs.map { "job:" + $0 }.sorted()
      func node(_ jid: String) -> MeshNode? {
        k.jobNodes[jid].map { jobNode(jid, file: $0.file, inputs: $0.inputs) }
      }
      func place(_ jid: String) -> (at: Int, there: Bool) {
        var lo = 0
        var hi = k.jobIDs.count
        while lo < hi {
          let mid = (lo + hi) / 2
          if k.jobIDs[mid] < jid { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < k.jobIDs.count && k.jobIDs[lo] == jid)
      }
      if !k.jobIDs.isEmpty, changed.count <= Self.jobsMovedInPlace {
        // A few jobs changed (a new job per event, most often): each is replaced, or
        // put in or taken out at its place, the jobs after it moved along.
        for jid in changed {
          let (lo, there) = place(jid)
          switch (there, node(jid)) {
          case (true, let node?):
            count(nodes[datasetCount + lo].owner, -1)
            count(node.owner, 1)
            nodes[datasetCount + lo] = node
            if tracking { step[datasetCount + lo] = -1 }
          case (true, nil):
            count(nodes[datasetCount + lo].owner, -1)
            nodes.remove(at: datasetCount + lo)
            k.jobIDs.remove(at: lo)
            if tracking { step.remove(at: datasetCount + lo) }
          case (false, let node?):
            count(node.owner, 1)
            nodes.insert(node, at: datasetCount + lo)
            k.jobIDs.insert(jid, at: lo)
            if tracking { step.insert(-1, at: datasetCount + lo) }
          case (false, nil):
            break
          }
        }
      } else {
        // The kept ids and the changed ones, both sorted, merged in place: each kept
        // node is moved once to its new place (those going left in one pass, then those
        // going right, from the end, so that none lands on a node still to move), not
        // copied, which would retain every field of each; a changed job's node is made
        // where it lands. (A list of the part, filled and then moved back, wrote and
        // freed a blank node per job: an eighth of a question at 100,000 jobs.)
        let old = k.jobIDs
        var ids: [String] = []
        ids.reserveCapacity(old.count + changed.count)
        var target = [Int](repeating: -1, count: old.count)
        var made: [(at: Int, node: MeshNode)] = []
        var partStep: [Int32] = []
        var p = 0
        for c in 0...changed.count {
          // The kept ids before the next changed one (all that are left after the last)
          // stay, in order: found by a binary search, not a comparison of each id.
          var at = old.count
          if c < changed.count {
            var hi = old.count
            at = p
            while at < hi {
              let mid = (at + hi) / 2
              if old[mid] < changed[c] { at = mid + 1 } else { hi = mid }
            }
          }
          while p < at {
            target[p] = ids.count
            ids.append(old[p])
            if tracking { partStep.append(step[datasetCount + p]) }
            p += 1
          }
          guard c < changed.count else { break }
          if p < old.count, changed[c] == old[p] {
            count(nodes[datasetCount + p].owner, -1)
            p += 1
          }
          if let node = node(changed[c]) {
            made.append((ids.count, node))
            ids.append(changed[c])
            count(node.owner, 1)
            if tracking { partStep.append(-1) }
          }
        }
        let total = datasetCount + ids.count
        nodes.moveNodes(from: datasetCount, to: target, count: ids.count, blank: MeshNode(id: "", kind: "job"))
        // Swapped in (moved, not copied: the first mesh with jobs as nodes makes them all).
        for k in made.indices { swap(&made[k].node, &nodes[datasetCount + made[k].at]) }
        if nodes.count > total { nodes.removeSubrange(total...) }
        k.jobIDs = ids
        if tracking { step = Array(step[..<datasetCount]) + partStep }
      }
    }
    k.mesh.nodes = nodes
    if tracking {
      // Composed with the moves since the mesh last handed out.
      k.origin = k.origin.map { prior in step.map { $0 >= 0 ? prior[Int($0)] : -1 } } ?? step
    }
    k.mesh.teams = k.teams.keys.sorted().map { Team(id: $0) }
    k.stale = OpenLineageImporter.Touched()

    var a = self
    a.selfLoops = k.selfLoops
    a.findings += k.dangling.sorted(by: { $0.key < $1.key }).map(\.value)
    a.reportSelfLoops(k.selfColumns)
    if jobsAsNodes, !k.withLineage.isEmpty {
      let n = k.withLineage.count
      a.findings.append(
        Finding(
          rule: "column-lineage-dropped", severity: .info,
          message:
            "the column lineage of \(n) dataset\(n == 1 ? "" : "s") is left out: with jobs as nodes, columns derive across a job",
          hint: OpenLineageImporter.keepColumnLineageHint))
    }
    let mesh = k.mesh
    kept = k
    return (mesh, a.findings)
  }
}

extension OpenLineageImporter {
  /// The dataset ids a `columnLineage` facet names, as written.
  static func columnLineageIDs(_ facet: JSONValue) -> [String] {
    var out: [String] = []
    for f in facet["dataset"]?.array ?? [] { if let id = datasetID(f) { out.append(id) } }
    for (_, entry) in facet["fields"]?.object?.entries ?? JSONObject().entries {
      for f in entry["inputFields"]?.array ?? [] { if let id = datasetID(f) { out.append(id) } }
    }
    return out
  }
}

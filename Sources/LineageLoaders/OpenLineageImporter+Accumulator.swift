import LineageCore

extension OpenLineageImporter {
  /// The state of one import while the events are read: datasets, runs, declared job
  /// lineage and job facets, then the flows that count and the edges they make.
  ///
  /// ``build(_:findings:)`` runs the steps in order: ``checkShapes(_:)``,
  /// ``collectAliases(_:)``, ``read(_:)`` for each event, ``reportMissingFields()``,
  /// ``connect(_:)`` with ``flows()``, and ``finish()``.
  struct Accumulator: Sendable {
    var importer: OpenLineageImporter
    var findings: [Finding]
    /// Events lacking a required field: file -> field -> count.
    var missing: [String: [String: Int]] = [:]
    var datasets: [String: Dataset] = [:]
    var runs: [String: Run] = [:]
    var runOrder: [String] = []
    /// JobEvents: each job's declared lineage.
    var declared: [String: (inputs: [String], outputs: [String], file: String, location: SourceLocation)] = [:]
    var jobOwners: [String: String] = [:]
    var jobLocations: [String: SourceLocation] = [:]
    var jobDescriptions: [String: String] = [:]
    var jobNamespaces: [String: String] = [:]
    /// Every identifier of a dataset's `symlinks` facet, to the dataset's own id.
    var alias: [String: String] = [:]
    /// Each output's inputs.
    var inputs: [String: [Input]] = [:]
    /// A dataset a job reads and writes (MERGE INTO, an incremental update): where.
    var selfLoops: [String: SourceLocation] = [:]
    /// With jobs as nodes: each job node's file and inputs.
    var jobNodes: [String: (file: String, inputs: [Input])] = [:]
    /// Run ids that are not UUIDs, per scope (a file, or "" for documents): how many
    /// events, which ids, and where the first is.
    var nonUUIDRuns: [String: (events: Int, ids: Set<String>, first: SourceLocation)] = [:]
    /// Dataset ids in the order first seen (`Dataset.order` indexes it).
    var datasetOrder: [String] = []
    /// Each job's runs (``Run/job``), in ``runOrder``.
    var runsOfJob: [String: [String]] = [:]
    /// Each job's latest completed run (the greatest `time`, then `index`): the run
    /// that counts when each job's latest run does, kept as runs complete instead of
    /// found among all of the job's runs for every mesh.
    var latestRun: [String: String] = [:]
    /// The runs folded away (``foldRuns(before:keeping:)``), by a seeded hash of their
    /// key, kept in a file (``FoldedRuns``), not memory. An event of one of them cannot
    /// be read in order (``isFolded(_:)``).
    var folded = FoldedRuns()
    /// Note what each event changes in ``touched`` (a stream does, for ``KeptMesh``).
    var tracking = false
    /// What the events read since it was last emptied changed, when ``tracking``.
    var touched = Touched()
    /// Levels of undo, oldest first: each holds the value each entry had before the
    /// events read since the level began changed it (``rollBack()`` restores the
    /// newest level, ``rollBack(toLevel:)`` several). Empty: nothing is noted.
    var undo: [Undo] = []

    /// The entries events changed, as they were before (nil: absent), and the lengths
    /// of the lists they appended to.
    struct Undo {
      var datasets: [String: Dataset?] = [:]
      var runs: [String: Run?] = [:]
      var declared: [String: (inputs: [String], outputs: [String], file: String, location: SourceLocation)?] = [:]
      var jobOwners: [String: String?] = [:]
      var jobLocations: [String: SourceLocation?] = [:]
      var jobDescriptions: [String: String?] = [:]
      var jobNamespaces: [String: String?] = [:]
      var alias: [String: String?] = [:]
      var latestRun: [String: String?] = [:]
      var missing: [String: [String: Int]?] = [:]
      /// The jobs whose ``runsOfJob`` list had a run appended, in order (the lists only
      /// grow: undone by removing the last, not by keeping a copy of every list).
      var runsOfJobAppended: [String] = []
      /// The runs noted in ``nonUUIDRuns``, in order: the scope, the id when it was new
      /// to the scope, and whether the scope's entry was made (undone step by step, not
      /// by keeping a copy of the growing set of ids).
      var nonUUIDNoted: [(scope: String, inserted: String?, made: Bool)] = []
      var runOrder: Int
      var datasetOrder: Int
      var findings: Int
    }

    /// Starts a new level of undo: what events change from now on can be undone.
    mutating func beginUndo() {
      undo.append(Undo(runOrder: runOrder.count, datasetOrder: datasetOrder.count, findings: findings.count))
    }

    /// Notes an entry's value before its first change since the newest level began.
    mutating func save<V>(
      _ list: WritableKeyPath<Undo, [String: V?]>, _ key: String, from state: KeyPath<Self, [String: V]>
    ) {
      guard let top = undo.indices.last, undo[top][keyPath: list].index(forKey: key) == nil else { return }
      let value = self[keyPath: state][key]
      undo[top][keyPath: list].updateValue(value, forKey: key)
    }

    /// Undoes every change since the newest level began, and ends that level.
    mutating func rollBack() {
      guard !undo.isEmpty else { return }
      rollBack(toLevel: undo.count - 1)
      undo.removeLast()
    }

    /// Undoes every change since level `level` began: the state is as it was then. The
    /// levels after it end; `level` stays, with nothing to undo.
    ///
    /// - Parameters:
    ///   - level: An index of ``undo``.
    ///   - noting: Note every entry undone in ``touched`` (when ``tracking``), so that
    ///     a mesh kept from a later state is remade where it differs.
    mutating func rollBack(toLevel level: Int, noting: Bool = false) {
      while undo.count > level {
        let u = undo.removeLast()
        if noting && tracking {
          touched.datasets.formUnion(u.datasets.keys)
          for (k, old) in u.runs {
            if let job = old?.job { touched.jobs.insert(job) }
            if let job = runs[k]?.job { touched.jobs.insert(job) }
          }
          touched.jobs.formUnion(u.runsOfJobAppended)
          touched.jobs.formUnion(u.declared.keys)
          touched.jobs.formUnion(u.jobOwners.keys)
          touched.jobs.formUnion(u.jobLocations.keys)
          touched.jobs.formUnion(u.jobDescriptions.keys)
          touched.jobs.formUnion(u.jobNamespaces.keys)
          touched.jobs.formUnion(u.latestRun.keys)
          touched.aliases.formUnion(u.alias.keys)
        }
        for (k, v) in u.datasets { datasets[k] = v }
        for (k, v) in u.runs { runs[k] = v }
        for job in u.runsOfJobAppended.reversed() {
          runsOfJob[job]?.removeLast()
          if runsOfJob[job]?.isEmpty == true { runsOfJob[job] = nil }
        }
        for (k, v) in u.declared { declared[k] = v }
        for (k, v) in u.jobOwners { jobOwners[k] = v }
        for (k, v) in u.jobLocations { jobLocations[k] = v }
        for (k, v) in u.jobDescriptions { jobDescriptions[k] = v }
        for (k, v) in u.jobNamespaces { jobNamespaces[k] = v }
        for (k, v) in u.alias { alias[k] = v }
        for (k, v) in u.latestRun { latestRun[k] = v }
        for (k, v) in u.missing { missing[k] = v }
        for n in u.nonUUIDNoted.reversed() {
          if n.made {
            nonUUIDRuns[n.scope] = nil
          } else {
            nonUUIDRuns[n.scope]?.events -= 1
            if let id = n.inserted { nonUUIDRuns[n.scope]?.ids.remove(id) }
          }
        }
        runOrder.removeLast(runOrder.count - u.runOrder)
        datasetOrder.removeLast(datasetOrder.count - u.datasetOrder)
        findings.removeLast(findings.count - u.findings)
      }
      beginUndo()
    }

    /// Forgets the oldest level of undo: its changes can no longer be undone.
    mutating func forgetOldestLevel() {
      if !undo.isEmpty { undo.removeFirst() }
    }

    /// Folds away the runs that can no longer count, so that memory follows the jobs
    /// and not the runs: with `history: latest`, a run that ended (COMPLETE, FAIL or
    /// ABORT), is not its job's latest completed run, was last changed by an event
    /// before `horizon`, and that no level of undo can make its job's latest again (it
    /// was not the latest when the oldest level began).
    /// Only its key's hash is kept (``folded``): an event for it later cannot be read
    /// in order (it would change a run no longer here), and the caller reads every
    /// event again, with that run in `pinned`.
    ///
    /// - Parameters:
    ///   - horizon: The number (``Event/index``) of the first event a level of undo
    ///     may take back: the oldest level's start, or every event read when there is
    ///     none.
    ///   - pinned: Keys of runs never to fold (an event came for them after they were).
    /// - Returns: How many runs were folded.
    /// - Complexity: O(the runs made before the oldest level that are still kept).
    mutating func foldRuns(before horizon: Int, keeping pinned: Set<String>) -> Int {
      guard importer.history == .latest else { return 0 }
      // Runs made since the oldest level began are never folded: taking the level back
      // removes them from the end of `runOrder` and `runsOfJob`.
      let end = undo.first?.runOrder ?? runOrder.count
      // A level of undo can make a run its job's latest again only if it was the latest
      // when the oldest level began: a job's latest moves to runs of greater (time,
      // index), so one latest at a later level's start, and changed before the oldest
      // began, was the latest then too. That run is the value the oldest level that
      // changed the job's latest noted, or the latest now when none did.
      var atOldest: [String: String?] = [:]
      func latestAtOldest(_ job: String) -> String? {
        if let known = atOldest[job] { return known }
        var found = latestRun[job]
        for level in undo.indices {
          if let noted = undo[level].latestRun[job] {
            found = noted
            break
          }
        }
        atOldest[job] = .some(found)
        return found
      }
      // Each job's runs among those scanned (the first of its `runsOfJob`, which is in
      // the same order), and whether one was folded.
      var scanned: [String: (runs: Int, folded: Bool)] = [:]
      var write = 0
      for i in 0..<end {
        let id = runOrder[i]
        // Read in place (a copy of a run retains each of its fields).
        guard let k = runs.index(forKey: id) else { continue }
        let job = runs.values[k].job
        let foldable =
          runs.values[k].ended && runs.values[k].last < horizon && latestRun[job] != id
          && latestAtOldest(job) != id && !pinned.contains(id)
        scanned[job, default: (0, false)].runs += 1
        if foldable {
          runs.remove(at: k)
          folded.insert(id)
          scanned[job]?.folded = true
        } else {
          runOrder[write] = id
          write += 1
        }
      }
      let count = end - write
      guard count > 0 else { return 0 }
      runOrder.removeSubrange(write..<end)
      for k in undo.indices { undo[k].runOrder -= count }
      for (job, s) in scanned where s.folded {
        guard var list = runsOfJob.removeValue(forKey: job) else { continue }
        let head = list[..<s.runs].filter { runs.index(forKey: $0) != nil }
        list.replaceSubrange(..<s.runs, with: head)
        runsOfJob[job] = list
      }
      return count
    }

    /// Whether `key` names a run folded away (or one whose key's hash is the same: the
    /// caller reads every event again, which is right either way).
    func isFolded(_ key: String) -> Bool {
      runs[key] == nil && folded.contains(key)
    }

    init(importer: OpenLineageImporter, findings: [Finding]) {
      self.importer = importer
      self.findings = findings
    }

    // MARK: Reading the events

    /// Every wrong-shaped field is a load error, located at its event.
    mutating func checkShapes(_ events: [Event]) {
      for e in events { findings += Self.shapeFindings(e) }
    }

    /// The wrong-shaped fields of one event.
    static func shapeFindings(_ e: Event) -> [Finding] {
      OpenLineageShape.check(e.value).map { p in
        Finding(
          rule: p.rule, severity: .error, message: "event \(e.number): " + p.message, location: e.location, hint: p.hint
        )
      }
    }

    /// Symlinks first: every identifier of a dataset's `symlinks` facet is an alias.
    mutating func collectAliases(_ events: [Event]) {
      for e in events {
        Self.eachDataset(e) { d in
          guard let id = OpenLineageImporter.datasetID(d) else { return }
          for s in d["facets"]?["symlinks"]?["identifiers"]?.array ?? [] {
            if let other = OpenLineageImporter.datasetID(s), other != id, alias[other] == nil {
              save(\.alias, other, from: \.alias)
              alias[other] = id
              if tracking { touched.aliases.insert(other) }
            }
          }
        }
      }
    }

    static func eachDataset(_ e: Event, _ body: (JSONValue) -> Void) {
      let kind = OpenLineageShape.kind(of: e.value)
      if kind == .run || kind == .job {
        for key in ["inputs", "outputs"] { for d in e.value[key]?.array ?? [] { body(d) } }
      } else if kind == .dataset, let d = e.value["dataset"] {
        body(d)
      }
    }

    func canonical(_ id: String) -> String { alias[id] ?? id }

    /// Reads one event: a run's datasets and completion, a dataset's facets, or a
    /// job's declared lineage.
    mutating func read(_ e: Event) {
      guard e.value.object != nil else { return }
      for field in ["eventTime", "producer", "schemaURL"] where e.value[field] == nil {
        save(\.missing, e.file, from: \.missing)
        missing[e.file, default: [:]][field, default: 0] += 1
      }
      let time = e.value["eventTime"]?.string.flatMap(OpenLineageImporter.instant) ?? -Double.infinity
      switch OpenLineageShape.kind(of: e.value) {
      case .run: readRun(e, time: time)
      case .dataset: if let d = e.value["dataset"] { _ = touch(d, e, time: time) }
      case .job: readJob(e, time: time)
      case .none: return
      }
    }

    /// The key ``runs`` knows a run event's run by, and its run id as sent (nil when
    /// it has none: the event is then a run of its own).
    static func runKey(_ e: Event, job: String) -> (key: String, raw: String?) {
      guard let raw = e.value["run"]?["runId"]?.string else { return ("\(e.file)#\(e.index)", nil) }
      if OpenLineageImporter.isUUID(raw) { return (raw, raw) }
      // Not a UUID (a templated fixture's placeholder, a counter): the same text in
      // two files, or for two jobs, is not one run. Matched within its file and job.
      return ((e.scope ?? "") + "\u{0}" + job + "\u{0}" + raw, raw)
    }

    mutating func readRun(_ e: Event, time: Double) {
      guard let job = OpenLineageImporter.jobID(e.value["job"]) else { return }
      let (runID, raw) = Self.runKey(e, job: job)
      if let raw, runID != raw {
        // Changed in place: a copy of the entry would copy its set of ids every time.
        let scope = e.scope ?? ""
        let made = nonUUIDRuns[scope] == nil
        if made { nonUUIDRuns[scope] = (0, [], e.location) }
        nonUUIDRuns[scope]?.events += 1
        let inserted = nonUUIDRuns[scope]?.ids.insert(raw).inserted == true
        if !undo.isEmpty { undo[undo.count - 1].nonUUIDNoted.append((scope, inserted ? raw : nil, made)) }
      }
      var run: Run
      if let known = runs[runID] {
        run = known
      } else {
        run = Run(job: job, file: e.file, location: e.location, runID: raw ?? runID)
        run.order = runOrder.count
        runOrder.append(runID)
        runsOfJob[job, default: []].append(runID)
        if !undo.isEmpty { undo[undo.count - 1].runsOfJobAppended.append(job) }
      }
      if tracking { touched.jobs.insert(run.job) }
      for d in e.value["inputs"]?.array ?? [] {
        if let id = touch(d, e, time: time), !run.inputs.contains(id) {
          run.inputs.append(id)
          run.inputLocations[id] = e.location
        }
      }
      for d in e.value["outputs"]?.array ?? [] {
        if let id = touch(d, e, time: time), !run.outputs.contains(id) { run.outputs.append(id) }
      }
      run.last = e.index
      let type = e.value["eventType"]?.string?.uppercased()
      if type == "COMPLETE" || type == "FAIL" || type == "ABORT" { run.ended = true }
      if type == "COMPLETE" {
        run.completed = true
        if time >= run.time {
          run.time = time
          run.index = e.index
        }
      }
      save(\.runs, runID, from: \.runs)
      runs[runID] = run
      // A run counts for the job it was first seen with (``runsOfJob``).
      if run.completed {
        let best = latestRun[run.job].flatMap { runs[$0] }
        if best.map({ ($0.time, $0.index) < (run.time, run.index) }) ?? true, latestRun[run.job] != runID {
          save(\.latestRun, run.job, from: \.latestRun)
          latestRun[run.job] = runID
        }
      }
      noteJob(job, e.value["job"], e)
    }

    mutating func readJob(_ e: Event, time: Double) {
      guard let job = OpenLineageImporter.jobID(e.value["job"]) else { return }
      let ins = (e.value["inputs"]?.array ?? []).compactMap { touch($0, e, time: time) }
      let outs = (e.value["outputs"]?.array ?? []).compactMap { touch($0, e, time: time) }
      save(\.declared, job, from: \.declared)
      declared[job] = (ins, outs, e.file, e.location)
      if tracking { touched.jobs.insert(job) }
      noteJob(job, e.value["job"], e)
    }

    mutating func noteJob(_ job: String, _ value: JSONValue?, _ e: Event) {
      if tracking { touched.jobs.insert(job) }
      if jobLocations[job] == nil {
        save(\.jobLocations, job, from: \.jobLocations)
        jobLocations[job] = e.location
      }
      if let o = OpenLineageImporter.owner(value?["facets"]?["ownership"]) {
        save(\.jobOwners, job, from: \.jobOwners)
        jobOwners[job] = o
      }
      if let d = value?["facets"]?["documentation"]?["description"]?.string, !d.isEmpty {
        save(\.jobDescriptions, job, from: \.jobDescriptions)
        jobDescriptions[job] = d
      }
      if let ns = value?["namespace"]?.string {
        save(\.jobNamespaces, job, from: \.jobNamespaces)
        jobNamespaces[job] = ns
      }
    }

    /// The dataset's canonical id, after creating it if new and applying its facets;
    /// nil for a dataset without namespace or name (its event has a load error).
    mutating func touch(_ raw: JSONValue, _ e: Event, time: Double) -> String? {
      guard let rawID = OpenLineageImporter.datasetID(raw) else { return nil }
      let id = canonical(rawID)
      // An alias's canonical dataset may appear only through the alias: split its id
      // after the namespace, which is the part up to the last ':' before the name.
      let name = id == rawID ? (raw["name"]?.string ?? id) : String(id.split(separator: ":").last ?? "")
      let namespace = id == rawID ? (raw["namespace"]?.string ?? "") : String(id.dropLast(name.count + 1))
      var d: Dataset
      if let known = datasets[id] {
        d = known
      } else {
        d = Dataset(id: id, name: name, namespace: namespace, file: e.file, location: e.location, order: datasets.count)
        datasetOrder.append(id)
      }
      importer.applyFacets(raw["facets"], to: &d, time: time, at: e.location)
      save(\.datasets, id, from: \.datasets)
      datasets[id] = d
      if tracking { touched.datasets.insert(id) }
      return id
    }

    /// One warning per file (or per set of documents) whose events carry run ids that
    /// are not UUIDs: how many, and that their runs were matched within the file and job.
    mutating func reportNonUUIDRuns() {
      for (scope, seen) in nonUUIDRuns.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
        // The first id in byte order names them (a minimum, not a sort: every mesh made
        // reports it, and the server makes one every few hundred events).
        let example = seen.ids.min { $0.utf8.lexicographicallyPrecedes($1.utf8) } ?? ""
        let events = "\(seen.events) event\(seen.events == 1 ? "" : "s")"
        let carry = seen.events == 1 ? "carries" : "carry"
        let count = seen.ids.count
        let which = "\(count) run id\(count == 1 ? "" : "s") such as \(JSONShape.quoted(example))"
        let message =
          scope.isEmpty
          ? "\(events) \(carry) a run id that is not a UUID (\(which)); their runs are matched within their job only"
          : "\(events) in \(scope) \(carry) a run id that is not a UUID (\(which)); their runs are matched within this file and their job only, never with another file's"
        findings.append(
          Finding(
            rule: .runIdNotUUID, severity: .warning, message: message, location: seen.first,
            hint:
              "OpenLineage run ids are UUIDs; templated test fixtures often share one placeholder, which would join unrelated runs"
          ))
      }
    }

    mutating func reportMissingFields() {
      for (file, fields) in missing.sorted(by: { $0.key < $1.key }) {
        let parts = fields.sorted(by: { $0.key < $1.key }).map {
          "\($0.key) (\($0.value) event\($0.value == 1 ? "" : "s"))"
        }
        findings.append(
          Finding(
            rule: "missing-field", severity: .warning,
            message: "events lack \(parts.joined(separator: ", ")); they are read anyway",
            location: SourceLocation(file: file),
            hint:
              "OpenLineage requires eventTime, producer and schemaURL on every event; without eventTime, file order decides which run is latest"
          ))
      }
    }

    // MARK: Lineage

    /// The lineage that counts: the chosen completed runs (each job's latest, or all),
    /// then the JobEvents of jobs without a chosen run (all of them when cumulative).
    func flows() -> [Flow] {
      var chosen: [Run] = []
      var latest: [String: Run] = [:]
      for id in runOrder {
        guard let r = runs[id], r.completed else { continue }
        switch importer.history {
        case .cumulative: chosen.append(r)
        case .latest:
          if let old = latest[r.job], (old.time, old.index) > (r.time, r.index) { continue }
          latest[r.job] = r
        }
      }
      if importer.history == .latest { chosen = latest.sorted(by: { $0.key < $1.key }).map(\.value) }
      let jobsWithRuns = Set(chosen.map(\.job))
      var flows: [Flow] = chosen.map {
        Flow(
          job: $0.job, inputs: $0.inputs, outputs: $0.outputs, inputLocations: $0.inputLocations, location: $0.location,
          provenance: Provenance(.observed, file: $0.file, detail: "job \($0.job), run \($0.runID)"))
      }
      for (job, d) in declared.sorted(by: { $0.key < $1.key })
      where importer.history == .cumulative || !jobsWithRuns.contains(job) {
        flows.append(
          Flow(
            job: job, inputs: d.inputs, outputs: d.outputs, inputLocations: [:], location: d.location,
            provenance: Provenance(.declared, file: d.file, detail: "job event \(job)")))
      }
      return flows
    }

    /// Edges: each input of a flow feeds each output (or the job node, with jobs as
    /// nodes); a dataset a flow reads and writes is noted as a self-loop instead.
    mutating func connect(_ flows: [Flow]) {
      func input(_ product: String, _ f: Flow) -> Input {
        var input = Input(product: product, location: f.inputLocations[product] ?? f.location)
        input.provenance = [f.provenance]
        return input
      }
      for f in flows {
        for i in f.inputs where f.outputs.contains(i) && selfLoops[i] == nil {
          selfLoops[i] = f.inputLocations[i] ?? f.location
        }
        if importer.jobsAsNodes {
          let jid = "job:" + f.job
          var j = jobNodes[jid] ?? (f.provenance.file, [])
          // A dataset the job reads and writes stays its output only.
          for i in f.inputs where !f.outputs.contains(i) && !j.inputs.contains(where: { $0.product == i }) {
            j.inputs.append(input(i, f))
          }
          jobNodes[jid] = j
          for o in f.outputs where !(inputs[o] ?? []).contains(where: { $0.product == jid }) {
            var edge = Input(product: jid, location: f.location)
            edge.provenance = [f.provenance]
            inputs[o, default: []].append(edge)
          }
          continue
        }
        for o in f.outputs {
          for i in f.inputs where i != o && !(inputs[o] ?? []).contains(where: { $0.product == i }) {
            inputs[o, default: []].append(input(i, f))
          }
        }
      }
    }

    // MARK: The mesh

    /// The mesh: dataset nodes in the order first seen (with their column lineage),
    /// then job nodes, the teams that own them, and the notes of what was left out.
    mutating func finish() -> (Mesh, [Finding]) {
      var mesh = Mesh(name: "openlineage")
      var teams = Set<String>()
      var droppedLineage = 0
      var selfColumns: [String: (count: Int, location: SourceLocation)] = [:]
      for d in datasets.values.sorted(by: { $0.order < $1.order }) {
        var node = datasetNode(d)
        if let o = d.owner { teams.insert(o) }
        if let (_, lineage, at) = d.lineage {
          if importer.jobsAsNodes {
            droppedLineage += 1
          } else {
            let own = importer.applyColumnLineage(
              lineage, at: at, to: &node, datasets: datasets, canonical: canonical,
              findings: &findings)
            if own > 0 { selfColumns[d.id] = (own, at) }
          }
        }
        mesh.nodes.append(node)
      }
      reportSelfLoops(selfColumns)
      for (jid, j) in jobNodes.sorted(by: { $0.key < $1.key }) {
        let node = jobNode(jid, file: j.file, inputs: j.inputs)
        if let o = node.owner { teams.insert(o) }
        mesh.nodes.append(node)
      }
      mesh.teams = teams.sorted().map { Team(id: $0) }
      if droppedLineage > 0 {
        findings.append(
          Finding(
            rule: "column-lineage-dropped", severity: .info,
            message:
              "the column lineage of \(droppedLineage) dataset\(droppedLineage == 1 ? "" : "s") is left out: with jobs as nodes, columns derive across a job",
            hint: OpenLineageImporter.keepColumnLineageHint))
      }
      return (mesh, findings)
    }

    func datasetNode(_ d: Dataset, inputs given: [Input]? = nil) -> MeshNode {
      var node = MeshNode(id: d.id, kind: "dataset", name: d.name)
      node.owner = d.owner
      node.description = d.description
      node.status = d.retired ? .retired : .active
      node.schema = d.columns
      node.inputs = given ?? inputs[d.id] ?? []
      node.provenance = [Provenance(.observed, file: d.file)]
      node.location = d.location
      if let o = d.ownerLocation { node.fieldLocations["owner"] = o }
      node.resource = ImportedResource(type: "dataset", name: d.name, package: d.namespace)
      return node
    }

    func jobNode(_ jid: String, file: String, inputs: [Input]) -> MeshNode {
      let job = String(jid.dropFirst(4))
      var node = MeshNode(id: jid, kind: "job", name: job)
      node.inputs = inputs
      node.owner = jobOwners[job]
      node.provenance = [Provenance(.observed, file: file)]
      node.location = jobLocations[job] ?? declared[job]?.location
      node.description = jobDescriptions[job]
      node.resource = ImportedResource(type: "job", name: node.name ?? jid, package: jobNamespaces[job])
      return node
    }

    /// One note per dataset a job reads and writes, or whose column lineage names
    /// its own columns: what was left out.
    mutating func reportSelfLoops(_ selfColumns: [String: (count: Int, location: SourceLocation)]) {
      for d in Set(selfLoops.keys).union(selfColumns.keys).sorted() {
        let refs = selfColumns[d].map { "\($0.count) column lineage reference\($0.count == 1 ? "" : "s")" }
        let message: String
        switch (selfLoops[d] != nil, refs) {
        case (true, nil):
          message = "a job reads and writes '\(d)' (an incremental update or a MERGE); that edge is left out"
        case (true, let refs?):
          message =
            "a job reads and writes '\(d)' (an incremental update or a MERGE); that edge and the \(refs) from its own columns are left out"
        case (false, let refs?):
          message =
            "the column lineage of '\(d)' names its own columns (an incremental update or a MERGE); those \(refs) are left out"
        case (false, nil):
          continue
        }
        findings.append(
          Finding(
            rule: "self-loop", severity: .info, message: message, subjects: [d],
            location: selfLoops[d] ?? selfColumns[d]?.location))
      }
    }
  }
}

/// What ran, as OpenLineage events tell it, folded into a summary whose size is
/// bounded by the datasets and jobs named, not by the number of events: for each job,
/// the datasets it read and wrote with when each was last seen (and the event that
/// showed it), and for each dataset its latest observed schema.
///
/// A reader (``Drift`` needs one: `ObservedEvents` in LineageLoaders streams event
/// files into it) calls ``dataset(namespace:name:)`` for the datasets of an event,
/// ``observe(job:inputs:outputs:evidence:)`` once per run event and
/// ``observeSchema(_:columns:evidence:)`` for each schema facet. Every input a job
/// reads counts as feeding each output it writes, as the OpenLineage importer reads
/// runs.
///
/// With ``until`` set, the summary answers as of that time: evidence of a later event
/// is not recorded (a reader should not even name the datasets of such an event).
public struct ObservedLineage: Sendable {
  /// The event that showed an observation: its job, run and time, and where it is.
  public struct Evidence: Hashable, Sendable {
    /// The job, as `NAMESPACE:NAME`.
    public var job: String
    /// The run id; empty for events without a run (dataset events).
    public var runID: String
    /// The event's `eventTime` as written.
    public var eventTime: String
    /// `eventTime` in seconds since 1970.
    public var time: Double
    /// The event's file, line and column, when known.
    public var location: SourceLocation?

    /// Creates evidence. Each argument sets the property of the same name.
    ///
    /// - Parameters:
    ///   - job: Sets ``job``.
    ///   - runID: Sets ``runID``.
    ///   - eventTime: Sets ``eventTime``.
    ///   - time: Sets ``time``.
    ///   - location: Sets ``location``.
    public init(job: String, runID: String, eventTime: String, time: Double, location: SourceLocation? = nil) {
      self.job = job
      self.runID = runID
      self.eventTime = eventTime
      self.time = time
      self.location = location
    }

    /// How reports name it: `job 'J', run 'R', at T`.
    public var description: String {
      "job '\(job)'" + (runID.isEmpty ? "" : ", run '\(runID)'") + ", at \(eventTime)"
    }
  }

  /// One column of an observed schema facet.
  public struct Column: Hashable, Sendable {
    /// The field's name; a nested field is named `parent.child`, as the OpenLineage
    /// importer names it.
    public var name: String
    /// The field's type, when given.
    public var type: String?

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: The field's name.
    ///   - type: Its type, when given.
    public init(name: String, type: String? = nil) {
      self.name = name
      self.type = type
    }
  }

  /// One observed dataset.
  public struct Dataset: Sendable {
    /// Its namespace.
    public var namespace: String
    /// Its name.
    public var name: String
    /// Other identifiers of the same dataset (the `symlinks` facet), as `NAMESPACE:NAME`.
    public var aliases: [String] = []
    /// The latest schema facet's fields, nested ones flattened as `parent.child` after
    /// their parent; nil when no event carried one.
    public var schema: [Column]?
    /// The event that carried ``schema``.
    public var schemaEvidence: Evidence?
    /// Where the dataset was first named.
    public var firstSeen: SourceLocation?

    /// `NAMESPACE:NAME`, as the OpenLineage importer names datasets.
    public var id: String { namespace + ":" + name }
  }

  /// The datasets, by interned index.
  public private(set) var datasets: [Dataset] = []
  /// The jobs, as `NAMESPACE:NAME`, by interned index.
  public private(set) var jobs: [String] = []
  private var datasetIndex = Interner()
  private var jobIndex = Interner()
  /// Last-seen reads and writes, keyed by job index << 32 | dataset index.
  private var readsByKey: [UInt64: Evidence] = [:]
  private var writesByKey: [UInt64: Evidence] = [:]
  /// The number of run events folded in.
  public private(set) var runEvents = 0
  /// The latest event time read, in seconds since 1970, and as written.
  public private(set) var latest: (time: Double, text: String)?
  /// The time the summary answers as of, in seconds since 1970: evidence of a later
  /// event is not recorded. Nil: every event counts.
  public let until: Double?

  /// An empty summary.
  ///
  /// - Parameter until: Sets ``until``: later events are left out.
  public init(until: Double? = nil) { self.until = until }

  /// Whether an event at `time` is after ``until`` (and so left out).
  ///
  /// - Parameter time: The event's time in seconds since 1970.
  /// - Returns: True when ``until`` is set and `time` is later.
  public func isAfterUntil(_ time: Double) -> Bool {
    guard let until else { return false }
    return time > until
  }

  /// The index of a dataset, added on first sight.
  ///
  /// - Parameters:
  ///   - namespace: Its namespace.
  ///   - name: Its name.
  ///   - location: Where it is named.
  /// - Returns: Its index.
  public mutating func dataset(namespace: String, name: String, location: SourceLocation? = nil) -> Int32 {
    let id = namespace + ":" + name
    if let i = datasetIndex.lookup(id) { return i }
    let i = datasetIndex.intern(id)
    datasets.append(Dataset(namespace: namespace, name: name, firstSeen: location))
    return i
  }

  /// Records another identifier of a dataset (a symlink).
  ///
  /// - Parameters:
  ///   - dataset: The dataset's index.
  ///   - alias: The identifier, as `NAMESPACE:NAME`.
  public mutating func addAlias(_ dataset: Int32, _ alias: String) {
    let i = Int(dataset)
    if alias != datasets[i].id, !datasets[i].aliases.contains(alias) { datasets[i].aliases.append(alias) }
  }

  /// Folds in one run event: the job read `inputs` and wrote `outputs`.
  ///
  /// - Parameters:
  ///   - job: The job as `NAMESPACE:NAME`.
  ///   - inputs: The datasets read, by index.
  ///   - outputs: The datasets written, by index.
  ///   - evidence: The event; a later one replaces an earlier one per job and dataset.
  public mutating func observe(job: String, inputs: [Int32], outputs: [Int32], evidence: Evidence) {
    guard !isAfterUntil(evidence.time) else { return }
    runEvents += 1
    note(evidence)
    let high = UInt64(UInt32(bitPattern: self.job(job))) << 32
    for d in inputs { Self.keep(&readsByKey, high | UInt64(UInt32(bitPattern: d)), evidence) }
    for d in outputs { Self.keep(&writesByKey, high | UInt64(UInt32(bitPattern: d)), evidence) }
  }

  /// The index of a job, added on first sight.
  ///
  /// - Parameter id: The job as `NAMESPACE:NAME`.
  /// - Returns: Its index in ``jobs``.
  public mutating func job(_ id: String) -> Int32 {
    if let known = jobIndex.lookup(id) { return known }
    jobs.append(id)
    return jobIndex.intern(id)
  }

  /// Records one job-dataset pair as a reader that summarises events elsewhere found it
  /// (the latest evidence of the pair), without counting an event: as
  /// ``observe(job:inputs:outputs:evidence:)`` records each pair of a run event.
  ///
  /// - Parameters:
  ///   - job: The job's index (``job(_:)``).
  ///   - dataset: The dataset's index.
  ///   - wrote: True for a write, false for a read.
  ///   - evidence: The latest event that showed it; a later one replaces it.
  public mutating func record(job: Int32, dataset: Int32, wrote: Bool, evidence: Evidence) {
    guard !isAfterUntil(evidence.time) else { return }
    let key = UInt64(UInt32(bitPattern: job)) << 32 | UInt64(UInt32(bitPattern: dataset))
    if wrote { Self.keep(&writesByKey, key, evidence) } else { Self.keep(&readsByKey, key, evidence) }
  }

  /// Adds run events counted by a reader that summarises events elsewhere.
  ///
  /// - Parameter count: How many run events it read.
  public mutating func countRunEvents(_ count: Int) { runEvents += count }

  /// Records a dataset's schema facet; the latest by event time wins.
  ///
  /// - Parameters:
  ///   - dataset: The dataset's index.
  ///   - columns: Its fields, nested ones flattened (``Column/name``).
  ///   - evidence: The event that carried it.
  public mutating func observeSchema(_ dataset: Int32, columns: [Column], evidence: Evidence) {
    guard !isAfterUntil(evidence.time) else { return }
    let i = Int(dataset)
    if let old = datasets[i].schemaEvidence, old.time > evidence.time { return }
    datasets[i].schema = columns
    datasets[i].schemaEvidence = evidence
  }

  /// Notes an event's time, for the end of the window.
  ///
  /// - Parameter evidence: The event.
  public mutating func note(_ evidence: Evidence) {
    guard !isAfterUntil(evidence.time) else { return }
    if latest.map({ evidence.time > $0.time }) ?? true { latest = (evidence.time, evidence.eventTime) }
  }

  private static func keep(_ table: inout [UInt64: Evidence], _ key: UInt64, _ e: Evidence) {
    if let old = table[key], old.time > e.time { return }
    table[key] = e
  }

  /// One observed job-dataset pair.
  public struct Access: Sendable {
    /// The job's index in ``ObservedLineage/jobs``.
    public var job: Int32
    /// The dataset's index in ``ObservedLineage/datasets``.
    public var dataset: Int32
    /// The latest event that showed it.
    public var evidence: Evidence
  }

  /// Every observed read, sorted by job then dataset index.
  public var reads: [Access] { Self.accesses(readsByKey) }
  /// Every observed write, sorted by job then dataset index.
  public var writes: [Access] { Self.accesses(writesByKey) }

  private static func accesses(_ table: [UInt64: Evidence]) -> [Access] {
    table.map {
      Access(
        job: Int32(bitPattern: UInt32($0.key >> 32)), dataset: Int32(bitPattern: UInt32($0.key & 0xFFFF_FFFF)),
        evidence: $0.value)
    }
    .sorted { ($0.job, $0.dataset) < ($1.job, $1.dataset) }
  }
}

import Foundation
import Testing

/// Hostile inputs through the real binary: each ends with exit status 1 (findings) or
/// 2 (input error), names the file, and finishes quickly. Nothing may crash or hang.
@Suite(.serialized) struct AdversarialTests {
  /// Writes `files` into a fresh directory and returns its path.
  func directory(_ files: [String: [UInt8]]) throws -> String {
    let dir = NSTemporaryDirectory() + "lineage-adv-\(UUID().uuidString)"
    for (name, bytes) in files {
      let path = dir + "/" + name
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    return dir
  }

  /// One run of `lineage` with its peak memory: spawned with `posix_spawn` (all signals
  /// unblocked) and reaped with `wait4`, whose resource usage is this child's alone.
  /// On Linux a spawned child's high-water mark starts at the parent's (they share
  /// memory until `exec`), so the figure is an upper bound: about 50 MiB is the test
  /// runner's own. Output goes through a file, so nothing can block on a full pipe.
  struct Measured {
    var status: Int32
    var signal: Int32?
    var output: String
    var peakMiB: Int
    var seconds: Double
  }

  func measured(_ args: [String]) throws -> Measured {
    let out = NSTemporaryDirectory() + "lineage-adv-out-\(UUID().uuidString)"
    defer { unlink(out) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let argv = ([CLI.binary] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    let pairs: [String] = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" } + ["NO_COLOR=1"]
    let env = pairs.map { strdup($0) } + [nil]
    defer { for e in env { free(e) } }
    var pid: pid_t = 0
    let start = Date()
    let spawned = posix_spawn(&pid, CLI.binary, &actions, &attributes, argv, env)
    try #require(spawned == 0, "posix_spawn: \(spawned)")
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = Date().timeIntervalSince(start)
    let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    // WIFSIGNALED / WTERMSIG / WEXITSTATUS, spelled out (the C macros are not imported).
    let sig = status & 0x7F
    return Measured(
      status: (status >> 8) & 0xFF, signal: sig != 0 && sig != 0x7F ? sig : nil, output: text,
      peakMiB: usage.ru_maxrss / 1024, seconds: seconds)
  }

  /// The memory any hostile input may take: 1 GiB, or 4 GiB under a sanitizer, whose
  /// shadow memory and quarantine count too.
  static var memoryBoundMiB: Int {
    let env = ProcessInfo.processInfo.environment
    return env["LSAN_OPTIONS"] != nil || env["TSAN_OPTIONS"] != nil || env["ASAN_OPTIONS"] != nil ? 4096 : 1024
  }

  static let head = Array("apiVersion: lineage/v1\nkind: Mesh\nname: m\ndomains:\n  - id: d\n".utf8)

  static let cases: [(name: String, files: [String: [UInt8]], input: String, status: Int32, mentions: String)] = [
    ("empty mesh.yaml", ["mesh.yaml": []], "", 2, "mesh.yaml"),
    (
      "tabs for indentation", ["mesh.yaml": Array("apiVersion: lineage/v1\nkind: Mesh\n\tname: m\n".utf8)], "", 2,
      "mesh.yaml:3"
    ),
    (
      "duplicate keys", ["mesh.yaml": Array("apiVersion: lineage/v1\nkind: Mesh\nname: a\nname: b\n".utf8)], "", 2,
      "duplicate key 'name'"
    ),
    ("invalid UTF-8", ["mesh.yaml": head + [0xFF, 0xFE, 0x0A]], "", 2, "mesh.yaml"),
    (
      "NUL in a name",
      [
        "mesh.yaml": head,
        "p.yaml": Array("apiVersion: lineage/v1\nkind: DataProduct\nid: \"a\\0b\"\ndomain: d\n".utf8),
      ], "", 2, "p.yaml:3"
    ),
    // Unknown fields are skipped without being walked: the bomb never expands.
    ("YAML alias bomb in mesh.yaml", ["mesh.yaml": head + Array(aliasBomb.utf8)], "", 0, "unknown field 'a0'"),
    (
      "100,000 levels of YAML nesting",
      [
        "mesh.yaml": head
          + Array(("x: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n").utf8)
      ], "", 2, "mesh.yaml"
    ),
    (
      "byte-order mark and CRLF line ends",
      ["mesh.yaml": [0xEF, 0xBB, 0xBF] + Array("apiVersion: lineage/v1\r\nkind: Mesh\r\nname: m\r\n".utf8)], "", 0,
      "ok:"
    ),
    (
      "a 10 MB scalar",
      [
        "mesh.yaml": Array(
          ("apiVersion: lineage/v1\nkind: Mesh\nname: m\ndescription: " + String(repeating: "x", count: 10_000_000)
            + "\n").utf8)
      ], "", 0, "ok:"
    ),
    (
      "truncated graph JSON", ["g.json": Array("{\"nodes\": [{\"id\": \"a\"},\n {\"id\": ".utf8)], "g.json", 2,
      "g.json:2"
    ),
    (
      "huge number in graph JSON", ["g.json": Array("{\"nodes\": [{\"id\": \"a\", \"domain\": 1e99999}]}".utf8)],
      "g.json", 2, "g.json:1"
    ),
    (
      "JSON nested 200,000 deep", ["g.json": Array(("{\"nodes\": " + String(repeating: "[", count: 200_000)).utf8)],
      "g.json", 2, "g.json"
    ),
    (
      "truncated OpenLineage events",
      ["e.json": Array("[{\"eventType\": \"COMPLETE\", \"run\": {\"runId\": \"x\"}, \"job\": {".utf8)], "e.json", 2,
      "e.json:1"
    ),
    (
      "dbt manifest of the wrong shape",
      [
        "manifest.json": Array(
          "{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\"}, \"nodes\": [1, 2]}"
            .utf8)
      ], "manifest.json", 2, "\"nodes\" must be an object, got an array"
    ),
    (
      "YAML syntax error: an unclosed quote", ["mesh.yaml": head + Array("  - id: \"e\n    name: x\n".utf8)], "", 2,
      "mesh.yaml:"
    ),
    (
      "control characters and a bidi override in a name",
      [
        "mesh.yaml": head,
        "p.yaml": Array(
          "apiVersion: lineage/v1\nkind: DataProduct\nid: \"d.\\e[31mred\\a\\u202Egnp.exe\"\ndomain: d\n".utf8),
      ], "", 2, "p.yaml:3"
    ),
    (
      "ODCS alias bomb",
      [
        "c.odcs.yaml": Array(
          ("apiVersion: v3.0.0\nkind: DataContract\nid: c\nstatus: active\n" + aliasBomb + "schema: *a8\n").utf8)
      ], "c.odcs.yaml", 2, "c.odcs.yaml"
    ),
  ]

  static var aliasBomb: String {
    var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in 1..<9 {
      lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test(arguments: cases.indices)
  func hostileInputEndsCleanly(_ i: Int) throws {
    let c = Self.cases[i]
    let dir = try directory(c.files)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try measured(["validate", "--mesh", c.input.isEmpty ? dir : dir + "/" + c.input])
    #expect(r.signal == nil, "\(c.name): killed by signal \(r.signal ?? 0): \(r.output.suffix(300))")
    #expect(r.status == c.status, "\(c.name): status \(r.status), output \(r.output.prefix(400))")
    #expect(r.seconds < 30, "\(c.name) took \(r.seconds) s")
    #expect(r.peakMiB < Self.memoryBoundMiB, "\(c.name) took \(r.peakMiB) MiB")
    if !c.mentions.isEmpty {
      #expect(r.output.contains(c.mentions), "\(c.name): \(r.output.prefix(400))")
    }
    // No raw control characters or bidirectional overrides reach the terminal.
    #expect(
      !r.output.unicodeScalars.contains {
        ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || (0x202A...0x202E).contains($0.value)
      },
      "\(c.name): raw control characters in the output")
    // Messages stay short even when the input is not.
    for line in r.output.split(separator: "\n") {
      #expect(line.count < 2000, "\(c.name): a line of \(line.count) characters")
    }
    print("\(c.name): exit \(r.status), \(r.peakMiB) MiB, \(String(format: "%.2f", r.seconds)) s")
  }

  @Test func outputIntoAMissingDirectoryLeavesNothing() throws {
    let dir = try directory([:])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["stats", "--mesh", "samples/demo", "-o", dir + "/missing/out.txt"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("does not exist"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
    let s = try CLI.run(["select", "+frob:x", "--mesh", "samples/demo"])
    #expect(s.status == 2)
    #expect(s.stderr.contains("unknown selector method 'frob'"))
  }

  /// Selectors with unbalanced or unknown syntax: a usage error at a column, with an
  /// example; names that merely match nothing are a warning, not an error.
  @Test(
    arguments: [
      ("+", 2, "invalid selector '+' at column 1"), ("@", 2, "invalid selector '@' at column 1"),
      ("3+", 2, "has graph operators but no value"), ("tag:", 2, "method 'tag:' needs a value"),
      ("a,,b", 2, "empty selector between commas"), ("+frob:x", 2, "unknown selector method 'frob'"),
      ("2+@x", 2, "invalid selector"), ("((sales.orders", 0, "matched no node"),
      ("sales.orders+x", 0, "matched no node"), (String(repeating: "+", count: 100_000) + "x", 2, "invalid selector"),
    ] as [(String, Int32, String)])
  func malformedSelectors(_ selector: String, _ status: Int32, _ message: String) throws {
    let r = try measured(["select", selector, "--mesh", CLI.root + "/samples/demo"])
    #expect(r.signal == nil)
    #expect(r.status == status, "\(selector.prefix(40)): \(r.output.prefix(300))")
    #expect(r.output.contains(message), "\(selector.prefix(40)): \(r.output.prefix(300))")
    for line in r.output.split(separator: "\n") { #expect(line.count < 2000, "a line of \(line.count) characters") }
  }

  // MARK: Permissions, symbolic links and interruptions

  /// Runs `lineage` as an unprivileged user, so that file permissions apply: directly
  /// when the tests do not run as root, else through `setpriv` as `nobody` (with a copy
  /// of the binary in a world-readable place). Nil when neither is possible.
  func runUnprivileged(_ args: [String], in dir: String) throws -> CLI.Result? {
    guard getuid() == 0 else { return try CLI.run(args, cwd: dir) }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let setpriv else { return nil }
    let copy = dir + "/bin/lineage"
    if !FileManager.default.fileExists(atPath: copy) {
      try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: CLI.binary, toPath: copy)
    }
    return try CLI.run(
      ["--reuid=65534", "--regid=65534", "--clear-groups", copy] + args, cwd: dir, executable: setpriv)
  }

  @Test func unreadableInputsAndReadOnlyOutputs() throws {
    let dir = try directory([
      "mesh/mesh.yaml": Self.head,
      "mesh/domains/d/p.yaml": Array("apiVersion: lineage/v1\nkind: DataProduct\nid: d.p\ndomain: d\n".utf8),
      "mesh/domains/d/locked.yaml": Array("apiVersion: lineage/v1\nkind: DataProduct\nid: d.q\ndomain: d\n".utf8),
      "mesh/domains/shut/x.yaml": Array("apiVersion: lineage/v1\nkind: DataProduct\nid: d.r\ndomain: d\n".utf8),
      "g.json": Array("{\"nodes\": [{\"id\": \"a\"}], \"edges\": []}".utf8),
    ])
    defer {
      chmod(dir + "/mesh/domains/shut", 0o755)
      try? FileManager.default.removeItem(atPath: dir)
    }
    chmod(dir, 0o755)
    chmod(dir + "/mesh/domains/d/locked.yaml", 0)
    chmod(dir + "/mesh/domains/shut", 0)
    chmod(dir + "/g.json", 0)
    try FileManager.default.createDirectory(atPath: dir + "/ro", withIntermediateDirectories: false)
    chmod(dir + "/ro", 0o555)
    guard let v = try runUnprivileged(["validate", "--mesh", "mesh"], in: dir) else {
      print("skipped: running as root without setpriv, so permissions cannot be tested")
      return
    }
    // Unreadable parts of a mesh are located load errors (exit 2); the rest is still checked.
    #expect(v.status == 2, "\(v.stdout)\(v.stderr)")
    #expect(
      v.stdout.contains("mesh/domains/d/locked.yaml: error: cannot read file: Permission denied [read-error]"),
      "\(v.stdout)")
    #expect(
      v.stdout.contains("mesh/domains/shut: error: cannot read directory: Permission denied [read-error]"),
      "\(v.stdout)")
    // An unreadable input file given directly is an input error naming it.
    let g = try #require(try runUnprivileged(["stats", "--mesh", "g.json"], in: dir))
    #expect(g.status == 2)
    #expect(g.stderr.contains("g.json") && g.stderr.contains("Permission denied"), "\(g.stderr)")
    // Outputs into a read-only directory: a clear error, and nothing left behind.
    let outputs: [[String]] = [
      ["stats", "--mesh", CLI.root + "/samples/demo", "-o", "ro/stats.txt"],
      ["render", "--mesh", CLI.root + "/samples/demo", "-o", "ro/demo.svg"],
      [
        "import", "dbt", CLI.root + "/Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json",
        "-o", "ro/jaffle",
      ],
    ]
    for args in outputs {
      let r = try #require(try runUnprivileged(args, in: dir))
      #expect(r.status == 2, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("cannot write") && r.stderr.contains("ro/"), "\(args): \(r.stderr)")
      #expect(r.stderr.lowercased().contains("permission"), "\(args): \(r.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/ro").isEmpty, "\(args) left files behind")
    }
  }

  @Test func symbolicLinkLoopsAreSkippedAndSaid() throws {
    let dir = try directory(["mesh.yaml": Self.head])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fm = FileManager.default
    try fm.createDirectory(atPath: dir + "/domains", withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: dir + "/domains/up", withDestinationPath: "..")  // a cycle through the tree
    try fm.createSymbolicLink(atPath: dir + "/loop1", withDestinationPath: "loop2")
    try fm.createSymbolicLink(atPath: dir + "/loop2", withDestinationPath: "loop1")
    try fm.createSymbolicLink(atPath: dir + "/self.yaml", withDestinationPath: "self.yaml")
    try fm.createSymbolicLink(atPath: dir + "/gone.yaml", withDestinationPath: "missing.yaml")
    let start = Date()
    let r = try CLI.run(["validate", "--mesh", dir])
    #expect(Date().timeIntervalSince(start) < 30)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    for link in ["loop1", "loop2", "self.yaml"] {
      #expect(
        r.stdout.contains("/\(link): warning: symbolic link cannot be followed (Too many levels of symbolic links)"),
        "\(link): \(r.stdout)")
    }
    #expect(r.stdout.contains("/gone.yaml: warning: symbolic link cannot be followed (No such file or directory)"))
    #expect(r.stdout.contains("0 errors, 4 warnings"), "\(r.stdout)")
  }

  /// A signal while an output is being written: the run is paused at the worst moment
  /// (a debug-build failpoint: the temporary file named but not yet renamed, or half of
  /// an imported directory written), then interrupted. The process dies of the signal
  /// and leaves nothing behind, with unnamed temporary files (even on SIGKILL) and
  /// with named ones.
  @Test(arguments: [
    ("before-link", SIGKILL), ("before-rename", SIGINT), ("before-rename,no-tmpfile", SIGTERM),
    ("before-rename,no-tmpfile", SIGHUP),
    ("between-files", SIGINT), ("between-files", SIGTERM),
  ])
  func interruptedWritesLeaveNothingBehind(_ failpoints: String, _ sig: Int32) throws {
    let dir = try directory([:])
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let args =
      failpoints.hasPrefix("between-files")
      ? [
        "import", "dbt", CLI.root + "/Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json",
        "-o", dir + "/jaffle",
      ]
      : ["render", "--mesh", CLI.root + "/samples/demo", "-o", dir + "/demo.svg"]
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(["LINEAGE_FAILPOINTS": failpoints]) { $1 }
    let err = Pipe()
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    try p.run()
    // Wait for the pause, then interrupt.
    var said = Data()
    while !String(decoding: said, as: UTF8.self).contains("paused") {
      let chunk = err.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      said.append(chunk)
    }
    #expect(
      String(decoding: said, as: UTF8.self).contains("failpoint"),
      "never paused: \(String(decoding: said, as: UTF8.self))")
    // Before the signal, the temporary output exists (unnamed before the link): the test
    // is at the right moment. Even SIGKILL then leaves nothing.
    let before = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(failpoints == "before-link" ? before.isEmpty : before.contains { $0.contains(".tmp-") }, "\(before)")
    kill(p.processIdentifier, sig)
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == sig, "status \(p.terminationStatus)")
    let left = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(left.isEmpty, "left behind: \(left)")
  }

  /// An output larger than the process may write (a file-size limit, `prlimit --fsize`,
  /// which fails a write as a full disk does): an error that names the file, and
  /// nothing left behind, not a process killed by SIGXFSZ halfway through. Not under
  /// ThreadSanitizer, whose runtime dies of SIGBUS at start under a file-size limit.
  @Test(
    .disabled(if: ServerTests.underThreadSanitizer, "ThreadSanitizer's runtime dies of SIGBUS under a file-size limit"),
    arguments: [
      ["render", "--mesh", CLI.root + "/samples/demo", "-o", "demo.svg"],
      ["downstream", "--mesh", CLI.root + "/samples/demo", "--format", "json", "-o", "demo.json", "*"],
    ])
  func anOutputPastTheFileSizeLimitIsAnErrorThatLeavesNothing(_ args: [String]) throws {
    let prlimit = "/usr/bin/prlimit"
    try #require(FileManager.default.isExecutableFile(atPath: prlimit), "prlimit (util-linux) is needed")
    let dir = try directory([:])
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let output = args[args.count - 1] == "*" ? args[args.count - 2] : args[args.count - 1]
    let p = Process()
    // SIGXFSZ at its default (a shell's: it kills), whatever this test process set.
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      ["--default-signal=XFSZ", prlimit, "--fsize=1000:unlimited", "--", CLI.binary] + args + ["--no-cache"]
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    let err = Pipe()
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    try p.run()
    let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus != 0, "status \(p.terminationStatus): \(said)")
    #expect(said.contains(output), "\(said)")
    let left = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(left.isEmpty, "left behind: \(left)")
  }
}

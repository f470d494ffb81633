import Foundation
import LineageLoaders

/// Output files that appear whole or not at all, even when the process is interrupted.
///
/// A file is written into an unnamed temporary file (Linux `O_TMPFILE`) in the target
/// directory, which the kernel discards if the process dies for any reason, SIGKILL
/// included. Only when it is complete is it given a name (`linkat`) and renamed over the
/// target. Where unnamed files are not supported, it is written under a hidden
/// `.NAME.tmp-PID` name instead. In both cases SIGINT, SIGTERM and SIGHUP, while a named
/// temporary exists, unlink it before the process dies of the signal.
enum SafeWrite {
  /// The signals after which no temporary output may remain.
  static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  /// The temporary file the signal handler removes, as a C string, or nil.
  nonisolated(unsafe) static var pendingFile: UnsafeMutablePointer<CChar>?
  /// A signal that arrived while a directory was being written (see ``deferSignals``).
  nonisolated(unsafe) static var deferred: Int32 = 0

  /// Writes `bytes` to `path` whole, or throws with the system's reason.
  static func file(_ bytes: [UInt8], to path: String) throws(WriteError) {
    try file(to: path) { FileIO.writeFully($0, bytes) }
  }

  /// Writes to `path` whole what `body` writes to the descriptor it is given, or throws
  /// with the system's reason.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - body: Writes the content; returns 0, or the `errno` of the write that failed.
  /// - Throws: ``WriteError`` with the system's reason.
  static func file(to path: String, writing body: (Int32) -> Int32) throws(WriteError) {
    let dir = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
    let tmp = dir + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
    #if os(Linux) && (arch(x86_64) || arch(arm64))
      // __O_TMPFILE of the generic Linux ABI; Glibc's O_TMPFILE macro is not imported.
      let fd = failpoint("no-tmpfile") ? -1 : open(dir, 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC, 0o644)
      if fd >= 0 {
        defer { close(fd) }
        try writeAll(fd, body)
        pause("before-link")
        // Named only now, and for as long as the rename takes.
        try guarding(tmp) { () throws(WriteError) in
          guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0 else {
            throw WriteError(errno)
          }
          pause("before-rename")
          guard rename(tmp, path) == 0 else {
            let code = errno
            unlink(tmp)
            throw WriteError(code)
          }
        }
        return
      }
      // EISDIR, EOPNOTSUPP or EINVAL: no unnamed files here; write under a name.
      let code = errno
      if !failpoint("no-tmpfile") && (code == EACCES || code == EROFS || code == ENOENT) { throw WriteError(code) }
    #endif
    try guarding(tmp) { () throws(WriteError) in
      let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw WriteError(errno) }
      do throws(WriteError) {
        try writeAll(fd, body)
      } catch {
        close(fd)
        unlink(tmp)
        throw error
      }
      close(fd)
      pause("before-rename")
      guard rename(tmp, path) == 0 else {
        let code = errno
        unlink(tmp)
        throw WriteError(code)
      }
    }
  }

  /// Failpoints for the tests of interrupted writes, in debug builds only: the
  /// comma-separated names in `LINEAGE_FAILPOINTS`. `no-tmpfile` takes the named-file
  /// path; `before-link` (the complete file still unnamed), `before-rename` and
  /// `between-files` pause there, saying so on standard error, until a signal arrives
  /// or 30 s pass.
  static func failpoint(_ name: String) -> Bool {
    #if DEBUG
      guard let value = getenv("LINEAGE_FAILPOINTS") else { return false }
      return String(cString: value).split(separator: ",").contains { $0 == name }
    #else
      return false
    #endif
  }

  static func pause(_ name: String) {
    guard failpoint(name) else { return }
    let note = "lineage: failpoint \(name): paused\n"
    _ = note.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    for _ in 0..<3000 where deferred == 0 { usleep(10_000) }
  }

  /// All of `bytes` to `fd`, then to the disk.
  static func writeAll(_ fd: Int32, _ body: (Int32) -> Int32) throws(WriteError) {
    let failure = body(fd)
    if failure != 0 { throw WriteError(failure) }
    if fsync(fd) != 0 && errno != EINVAL { throw WriteError(errno) }
  }

  /// Runs `body` with SIGINT, SIGTERM and SIGHUP set to unlink `tmp` and then die of
  /// the signal; the previous handlers are restored afterwards.
  static func guarding(_ tmp: String, _ body: () throws(WriteError) -> Void) throws(WriteError) {
    pendingFile = strdup(tmp)
    let previous = signals.map { signal($0, unlinkAndDie) }
    let mask = unblock()
    defer {
      var mask = mask
      pthread_sigmask(SIG_SETMASK, &mask, nil)
      for (sig, handler) in zip(signals, previous) { signal(sig, handler) }
      free(pendingFile)
      pendingFile = nil
    }
    try body()
  }

  /// Lets the signals reach this thread while an output is written (a parent may have
  /// spawned us with them blocked, as thread pools do); returns the mask to restore.
  static func unblock() -> sigset_t {
    var set = sigset_t(), old = sigset_t()
    sigemptyset(&set)
    for sig in signals { sigaddset(&set, sig) }
    pthread_sigmask(SIG_UNBLOCK, &set, &old)
    return old
  }

  /// Runs `body`, which writes many files; a signal that arrives meanwhile is held
  /// until `body` checks ``interrupted`` (between files) or returns, so that the
  /// writer can remove what it wrote. The signal is then delivered as usual.
  static func deferSignals<T>(_ body: () throws -> T) rethrows -> T {
    deferred = 0
    let previous = signals.map { signal($0, remember) }
    var mask = unblock()
    defer {
      for (sig, handler) in zip(signals, previous) { signal(sig, handler) }
      if deferred != 0 { raise(deferred) }
      pthread_sigmask(SIG_SETMASK, &mask, nil)
    }
    return try body()
  }

  /// Whether a signal arrived during ``deferSignals``.
  static var interrupted: Bool { deferred != 0 }
}

/// The signal handlers: async-signal-safe (unlink, signal and raise only).
private let unlinkAndDie: @convention(c) (Int32) -> Void = { sig in
  if let f = SafeWrite.pendingFile { unlink(f) }
  signal(sig, SIG_DFL)
  raise(sig)
}

private let remember: @convention(c) (Int32) -> Void = { sig in
  SafeWrite.deferred = sig
}

/// A failed write, with the system's reason.
struct WriteError: Error {
  var code: Int32
  init(_ code: Int32) { self.code = code }
  var reason: String { String(cString: strerror(code)) }
}

/// The address of a local of the calling frame: an approximation of the stack pointer.
@inline(never)
func currentStackAddress() -> UInt {
  var marker: UInt8 = 0
  return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
}

/// Bounds the stack used by recursion below the point where it was created.
///
/// The parser counts nesting levels, but how much stack a level takes depends on the
/// construct and on the build (a debug build's frames are several times larger). This
/// guard is the backstop: recursion stops, with a located error, once it has used
/// `budget` bytes, whatever the construct. Stacks grow downwards on every platform
/// Swift supports here (x86-64, arm64).
struct StackGuard: Sendable {
  /// Stack allowed for recursion below the entry: leaves room on a 512 KiB thread.
  static let defaultBudget: UInt = 320 * 1024

  let base: UInt
  let budget: UInt

  init(budget: UInt = StackGuard.defaultBudget) {
    base = currentStackAddress()
    self.budget = budget
  }

  /// True when the recursion has used more than the budget.
  var exhausted: Bool {
    let here = currentStackAddress()
    return here < base && base - here > budget
  }
}

// The prefetch hint is an inline function in include/CPrefetch.h; SwiftPM needs a
// source file in every C target.
#include "CPrefetch.h"

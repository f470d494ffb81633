// Small C helpers for what Swift cannot express or reach.
#ifndef LINEAGE_CSUPPORT_H
#define LINEAGE_CSUPPORT_H

// A hint to the processor: the line at an address will be read soon. Hot loops that
// read scattered places (the rows of a long answer, in id order, over per-node arrays
// laid out in load order) ask for the lines of the iterations ahead, so that their
// cache misses overlap.
static inline __attribute__((always_inline)) void lineage_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

#if defined(__linux__)
#include <fcntl.h>
#include <sys/types.h>
// Linux's fallocate(2) with FALLOC_FL_KEEP_SIZE: disk blocks reserved for
// [offset, offset + length) without changing the file's size. (Glibc declares
// fallocate only under _GNU_SOURCE, which Swift's Glibc module does not define.)
int lineage_reserve_blocks(int fd, off_t offset, off_t length);
#endif

#endif

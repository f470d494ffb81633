// A hint to the processor: the line at an address will be read soon. Swift has no
// prefetch of its own; hot loops that read scattered places (the rows of a long
// answer, in id order, over per-node arrays laid out in load order) ask for the
// lines of the rows ahead so that their cache misses overlap.
#ifndef LINEAGE_CPREFETCH_H
#define LINEAGE_CPREFETCH_H

static inline __attribute__((always_inline)) void lineage_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

#endif

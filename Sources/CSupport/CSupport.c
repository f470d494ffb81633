// The helpers of include/CSupport.h that are not inline.
#if defined(__linux__)
#define _GNU_SOURCE
#include <fcntl.h>
#endif
#include "CSupport.h"

#if defined(__linux__)
int lineage_reserve_blocks(int fd, off_t offset, off_t length) {
  return fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length);
}
#endif

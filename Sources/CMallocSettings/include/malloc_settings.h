#ifndef MEDVAULT_MALLOC_SETTINGS_H
#define MEDVAULT_MALLOC_SETTINGS_H

/// Sets glibc's `M_MMAP_THRESHOLD` to `heap_block_limit` and `M_TRIM_THRESHOLD` to `retained_heap_top` (bytes);
/// returns 1 when both took effect, 0 otherwise (and on a C library without `mallopt`). A C function because
/// Swift's Glibc module does not include <malloc.h>.
int medvault_malloc_keep_blocks(int heap_block_limit, int retained_heap_top);

#endif

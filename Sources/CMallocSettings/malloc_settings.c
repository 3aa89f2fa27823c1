#include "malloc_settings.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int medvault_malloc_keep_blocks(int heap_block_limit, int retained_heap_top) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, heap_block_limit) == 1 && mallopt(M_TRIM_THRESHOLD, retained_heap_top) == 1;
#else
    (void)heap_block_limit;
    (void)retained_heap_top;
    return 0;
#endif
}

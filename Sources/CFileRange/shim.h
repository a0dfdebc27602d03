#ifndef ROUTERISK_CFILERANGE_SHIM_H
#define ROUTERISK_CFILERANGE_SHIM_H
/* glibc's copy_file_range (Linux 4.5, glibc 2.27): <unistd.h> declares it only under _GNU_SOURCE, which
   Swift's Glibc module is not built with. The prototype is glibc's own. */
#include <sys/types.h>
#include <unistd.h>
extern ssize_t copy_file_range(int __infd, __off64_t *__pinoff, int __outfd, __off64_t *__poutoff,
                               size_t __length, unsigned int __flags);
#endif

#ifndef ROUTERISK_CPROJ_SHIM_H
#define ROUTERISK_CPROJ_SHIM_H
#include <proj.h>
#endif

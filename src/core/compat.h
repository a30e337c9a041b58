/*
 * compat.h - force-included into every translation unit by the build
 * (-include): the feature macros, then the system headers that declare the
 * banned functions, then banned.h, so a banned call is a compile error
 * everywhere while the system's own declarations stay intact.
 */
#ifndef BH_COMPAT_H
#define BH_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#endif

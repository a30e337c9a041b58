/*
 * banned.h - functions bulkhead never calls. Reaches every .c file through
 * compat.h (the build's -include), so a use is a compile error, not a review note.
 * Use bh_buf for string building and bh_parse_int for integers instead.
 */
#ifndef BH_BANNED_H
#define BH_BANNED_H

#define BH_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BH_BANNED(strcpy)
#undef strcat
#define strcat(x, y) BH_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BH_BANNED(strncpy)
#undef sprintf
#define sprintf(...) BH_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BH_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BH_BANNED(strtok)
#undef gets
#define gets(x) BH_BANNED(gets)
#undef atoi
#define atoi(x) BH_BANNED(atoi)
#undef atol
#define atol(x) BH_BANNED(atol)

#endif

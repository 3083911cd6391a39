/*
 * Functions we never call, as in git's banned.h: each has a safer
 * replacement in this library (gg_buf_addf, gg_xstrdup, gmtime_r ...).
 * Included last by every lib/, hooks/ and cli/ source file.
 */
#ifndef GG_BANNED_H
#define GG_BANNED_H

#define GG_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) GG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) GG_BANNED(strcat)
#undef sprintf
#define sprintf(...) GG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) GG_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) GG_BANNED(strtok)
#undef gmtime
#define gmtime(t) GG_BANNED(gmtime)
#undef localtime
#define localtime(t) GG_BANNED(localtime)
#undef atoi
#define atoi(s) GG_BANNED(atoi)
#undef system
#define system(s) GG_BANNED(system)
#undef popen
#define popen(c, m) GG_BANNED(popen)

#endif

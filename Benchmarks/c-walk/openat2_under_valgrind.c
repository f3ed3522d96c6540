/*
 * Preloaded only to count instructions with valgrind (Benchmarks/scan_vs_c.py --instructions).
 *
 * valgrind before 3.21 does not know openat2(2) and fails it with ENOSYS, which scan --root takes for a
 * kernel that cannot confine paths. This syscall(2) runs openat2 as openat(2) with the same flags and
 * mode, without the confinement of its resolve flags: the same files of the benchmark's own tree,
 * which has no link out of it, and all but the same instructions in the program.
 *
 *     gcc -O2 -shared -fPIC -o openat2_under_valgrind.so openat2_under_valgrind.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

long syscall(long number, ...) {
    va_list arguments;
    va_start(arguments, number);
    long a[6];
    for (int i = 0; i < 6; i++) a[i] = va_arg(arguments, long);
    va_end(arguments);
    if (number == SYS_openat2) {
        const struct open_how *how = (const struct open_how *)a[2];
        return openat((int)a[0], (const char *)a[1], (int)how->flags, (mode_t)how->mode);
    }
    static long (*next)(long, ...);
    if (!next) next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    return next(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

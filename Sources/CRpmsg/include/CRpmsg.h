#ifndef RPMSG_DOCTOR_CRPMSG_H
#define RPMSG_DOCTOR_CRPMSG_H

#include <linux/openat2.h>
#include <linux/rpmsg.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Swift does not import function-like macros, so the ioctl numbers are constants here. */
static const unsigned long rpmsg_create_ept_ioctl = RPMSG_CREATE_EPT_IOCTL;
static const unsigned long rpmsg_destroy_ept_ioctl = RPMSG_DESTROY_EPT_IOCTL;
static const unsigned long rpmsg_create_dev_ioctl = RPMSG_CREATE_DEV_IOCTL;
static const unsigned long rpmsg_release_dev_ioctl = RPMSG_RELEASE_DEV_IOCTL;
static const unsigned int rpmsg_addr_any = RPMSG_ADDR_ANY;

/* major() and minor() are macros in glibc. */
static inline unsigned int device_major(unsigned long long dev) { return major(dev); }
static inline unsigned int device_minor(unsigned long long dev) { return minor(dev); }

/* O_PATH needs _GNU_SOURCE, which Swift's Glibc module is not built with; its value is asm-generic's, which
   x86_64, arm, arm64 and riscv share. */
static const int open_path_only = 010000000;

/* openat2(2) has no glibc wrapper, and Swift cannot call the variadic syscall(2). Opens `path` relative to
   `root` with every component (links and ".." included) resolved as if `root` were "/": nothing outside it. */
static inline int open_in_root(int root, const char *path, unsigned long long flags) {
    struct open_how how = { .flags = flags, .mode = 0, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

#endif

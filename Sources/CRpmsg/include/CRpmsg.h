#ifndef RPMSG_DOCTOR_CRPMSG_H
#define RPMSG_DOCTOR_CRPMSG_H

#include <linux/rpmsg.h>
#include <sys/signalfd.h>
#include <sys/sysmacros.h>

/* Swift does not import function-like macros, so the ioctl numbers are constants here. */
static const unsigned long rpmsg_create_ept_ioctl = RPMSG_CREATE_EPT_IOCTL;
static const unsigned long rpmsg_destroy_ept_ioctl = RPMSG_DESTROY_EPT_IOCTL;
static const unsigned long rpmsg_create_dev_ioctl = RPMSG_CREATE_DEV_IOCTL;
static const unsigned long rpmsg_release_dev_ioctl = RPMSG_RELEASE_DEV_IOCTL;
static const unsigned int rpmsg_addr_any = RPMSG_ADDR_ANY;

/* major() and minor() are macros in glibc. */
static inline unsigned int device_major(unsigned long long dev) { return major(dev); }
static inline unsigned int device_minor(unsigned long long dev) { return minor(dev); }

#endif

/*
 * scan_walk: the file-system work of `rpmsg-doctor scan --root DIR`, and nothing else.
 *
 * The lower bound the scan is measured against (Benchmarks/scan_vs_c.py). It makes the same
 * system calls on the same paths in the same order as the scan does (checked with strace on the
 * fixture boards): it lists the same directories, resolves the same links, opens, checks and
 * reads the same attributes, stats the same /dev nodes and reads the same /proc and /etc files,
 * with the same care the scan needs below a root it cannot trust:
 *
 *   - Every path is opened with openat2(2) below a descriptor of DIR with RESOLVE_IN_ROOT (and
 *     RESOLVE_NO_MAGICLINKS): absolute links, ".." and links out of the tree resolve inside it.
 *   - A link is resolved by opening it (O_PATH, the kernel follows it inside the root) and reading
 *     where the descriptor ended up from /proc/self/fd; a link's own target is read with
 *     readlinkat(2) on an O_PATH|O_NOFOLLOW descriptor of it; a node is checked with fstat(2) on
 *     an O_PATH descriptor.
 *   - Attributes are opened with O_RDONLY|O_NONBLOCK|O_NOFOLLOW and checked with fstat(2): only
 *     regular files are read. The first read asks for 4097 bytes; less than a page from a file
 *     that has a size (every sysfs attribute, every small file) is all there is. A file without
 *     a size (those in /proc) is read to its end.
 *
 * It keeps nothing of what it reads but a few counters and prints one line: no snapshot, no
 * diagnosis, no text for people. What the scan takes beyond it is the price of those.
 *
 *     gcc -O2 -o scan_walk scan_walk.c && ./scan_walk DIR
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define PATH_CAP 4096
#define ATTRIBUTE_BUFFER 4097
#define FILE_LIMIT 65536

static char root[PATH_CAP];
static size_t root_length;

struct counters {
    long files, bytes, links, nodes, entries;
};
static struct counters counted;

/* ---- paths below the root ---- */

static int root_fd;

/* openat2 below the root, as the scan opens every path there: "." then the system's path */
static int open_in_root(const char *path, int flags) {
    char relative[PATH_CAP + 1] = ".";
    strncat(relative, path, PATH_CAP - 1);
    struct open_how how = {.flags = (unsigned long long)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    /* EAGAIN: a rename somewhere raced with resolving ".."; the kernel asks to be called again */
    int fd, attempts = 0;
    while ((fd = (int)syscall(SYS_openat2, root_fd, relative, &how, sizeof how)) < 0 && errno == EAGAIN && attempts++ < 64) {}
    return fd;
}

/* The path with every link resolved inside the root: where an O_PATH descriptor of it ended up. */
static int resolve(const char *path, char *out) {
    int fd = open_in_root(path, O_PATH);
    if (fd < 0) return errno;
    char proc[64], target[PATH_CAP];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ssize_t count = readlink(proc, target, sizeof target - 1);
    int error = count < 0 ? errno : 0;
    close(fd);
    if (error) return error;
    target[count] = 0;
    if (strncmp(target, root, root_length) != 0 || (target[root_length] && target[root_length] != '/')) return ENOENT;
    strcpy(out, target[root_length] ? target + root_length : "/");
    return 0;
}

/* ---- reading ---- */

/* A file of at most `limit` bytes, read only when it is a regular file. */
static ssize_t read_file(const char *path, char *buffer, long limit) {
    int fd = open_in_root(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) return -1;
    struct stat info;
    ssize_t total = 0;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        ssize_t count;
        while ((count = read(fd, buffer, ATTRIBUTE_BUFFER)) < 0 && errno == EINTR) {}
        total = count > 0 ? count : 0;
        /* a page is the most sysfs gives per read: anything shorter is all there is */
        if (count > 0 && (total >= 4096 || info.st_size == 0)) {
            static char rest[ATTRIBUTE_BUFFER];
            while (total < limit && (count = read(fd, rest, (size_t)(limit - total < ATTRIBUTE_BUFFER ? limit - total : ATTRIBUTE_BUFFER))) > 0)
                total += count;
        }
    }
    close(fd);
    counted.files++;
    counted.bytes += total;
    return total < ATTRIBUTE_BUFFER ? total : ATTRIBUTE_BUFFER - 1;
}

/* An attribute (or any small file): at most 64 KiB. */
static ssize_t attribute(const char *path, char *buffer) { return read_file(path, buffer, FILE_LIMIT); }

/* the last component of a link's target ("virtio_rpmsg_bus" for .../drivers/virtio_rpmsg_bus), or "" */
static const char *link_target(const char *path) {
    static char target[PATH_CAP];
    int fd = open_in_root(path, O_PATH | O_NOFOLLOW);
    if (fd < 0) return "";
    ssize_t count = readlinkat(fd, "", target, sizeof target - 1);
    close(fd);
    if (count < 0) return "";
    counted.links++;
    target[count] = 0;
    char *slash = strrchr(target, '/');
    return slash ? slash + 1 : target;
}

static int node(const char *path, int follow) {
    int fd = open_in_root(path, O_PATH | (follow ? 0 : O_NOFOLLOW));
    if (fd < 0) return -1;
    struct stat info;
    int result = fstat(fd, &info);
    close(fd);
    if (result == 0) counted.nodes++;
    return result == 0 ? (int)(info.st_mode & S_IFMT) : -1;
}

/* Entry names of a directory, sorted, as a NULL-terminated array the caller frees. */
static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char **list(const char *path) {
    int fd = open_in_root(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return NULL;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return NULL;
    }
    size_t count = 0, capacity = 64;
    char **names = malloc(capacity * sizeof *names);
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
        if (count + 1 >= capacity) names = realloc(names, (capacity *= 2) * sizeof *names);
        names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, by_name);
    names[count] = NULL;
    counted.entries += count;
    return names;
}

static void release(char **names) {
    if (!names) return;
    for (char **name = names; *name; name++) free(*name);
    free(names);
}

static void join(char *out, const char *directory, const char *name) {
    size_t directory_length = strlen(directory), name_length = strlen(name);
    if (directory_length + 1 + name_length >= PATH_CAP) name_length = PATH_CAP - 2 - directory_length;
    memcpy(out, directory, directory_length);
    out[directory_length] = '/';
    memcpy(out + directory_length + 1, name, name_length);
    out[directory_length + 1 + name_length] = 0;
}

/* ---- the scan's steps, in its order ---- */

/* the /dev node of a class device: DEVNAME from its uevent, else its own name */
static void device_node(const char *device, const char *name) {
    char path[PATH_CAP], buffer[ATTRIBUTE_BUFFER];
    join(path, device, "uevent");
    ssize_t length = attribute(path, buffer);
    const char *devname = name;
    if (length > 0) {
        buffer[length] = 0;
        char *found = strstr(buffer, "DEVNAME=");
        if (found) {
            devname = found + strlen("DEVNAME=");
            char *newline = strchr(found, '\n');
            if (newline) *newline = 0;
        }
    }
    join(path, "/dev", devname);
    node(path, 1);
}

/* "rpmsg_ctrl" and one or more digits: a control device; any other rpmsg class device is an endpoint */
static int is_control(const char *name) {
    return !strncmp(name, "rpmsg_ctrl", 10) && name[10] && strspn(name + 10, "0123456789") == strlen(name + 10);
}

static long endpoints;

static void class_devices(const char *class_directory, int ttys_only) {
    char **names = list(class_directory);
    char link[PATH_CAP], device[PATH_CAP], path[PATH_CAP], buffer[ATTRIBUTE_BUFFER];
    for (char **name = names; name && *name; name++) {
        if (ttys_only && strncmp(*name, "ttyRPMSG", 8) != 0) continue;
        join(link, class_directory, *name);
        if (resolve(link, device) != 0) continue;
        join(path, device, "dev");
        attribute(path, buffer);
        device_node(device, *name);
        if (ttys_only || is_control(*name)) continue;
        endpoints++;
        static const char *const endpoint_attributes[] = {"name", "src", "dst"};
        for (int i = 0; i < 3; i++) {
            join(path, device, endpoint_attributes[i]);
            attribute(path, buffer);
        }
    }
    release(names);
}

static void channels(void) {
    char **names = list("/sys/bus/rpmsg/devices");
    char link[PATH_CAP], device[PATH_CAP], path[PATH_CAP], buffer[ATTRIBUTE_BUFFER];
    for (char **name = names; name && *name; name++) {
        join(link, "/sys/bus/rpmsg/devices", *name);
        if (resolve(link, device) != 0) continue;
        static const char *const channel_attributes[] = {"name", "src", "dst", "announce"};
        for (int i = 0; i < 4; i++) {
            join(path, device, channel_attributes[i]);
            attribute(path, buffer);
        }
        join(path, device, "driver");
        link_target(path);
        join(path, device, "driver_override");
        attribute(path, buffer);
    }
    release(names);
}

/* which processes hold the endpoint nodes open: every /proc/PID/fd link, when there are endpoints */
static void holders(void) {
    if (!endpoints) return;
    char **pids = list("/proc");
    char path[PATH_CAP], fd_directory[PATH_CAP];
    for (char **pid = pids; pid && *pid; pid++) {
        if (strspn(*pid, "0123456789") != strlen(*pid)) continue;
        join(fd_directory, "/proc", *pid);
        strcat(fd_directory, "/fd");
        char **fds = list(fd_directory);
        for (char **fd = fds; fds && *fd; fd++) {
            join(path, fd_directory, *fd);
            link_target(path);
        }
        release(fds);
    }
    release(pids);
}

static void system_context(void) {
    char buffer[ATTRIBUTE_BUFFER];
    attribute("/proc/sys/kernel/osrelease", buffer);
    attribute("/proc/devices", buffer);
    attribute("/proc/modules", buffer);
    node("/sys/bus/rpmsg", 1);
    node("/sys/class/rpmsg", 1);
    node("/.dockerenv", 1);
    node("/run/.containerenv", 1);
    attribute("/proc/1/cgroup", buffer);
    attribute("/proc/1/environ", buffer);
    read_file("/proc/config.gz", buffer, 4 << 20); /* the kernel's configuration, compressed */
    gid_t groups[256];
    int count = getgroups(0, NULL);
    if (count > 0 && count <= 256) (void)getgroups(count, groups);
    (void)geteuid();
    (void)getegid();
}

static void remote_processors(void) {
    char **names = list("/sys/class/remoteproc");
    char link[PATH_CAP], device[PATH_CAP], path[PATH_CAP], buffer[ATTRIBUTE_BUFFER];
    for (char **name = names; name && *name; name++) {
        join(link, "/sys/class/remoteproc", *name);
        if (resolve(link, device) != 0) continue;
        static const char *const remoteproc_attributes[] = {"name", "state", "firmware", "recovery"};
        for (int i = 0; i < 4; i++) {
            join(path, device, remoteproc_attributes[i]);
            attribute(path, buffer);
        }
    }
    release(names);
}

static void virtio_devices(void) {
    char **names = list("/sys/bus/virtio/devices");
    char link[PATH_CAP], device[PATH_CAP], path[PATH_CAP], buffer[ATTRIBUTE_BUFFER];
    for (char **name = names; name && *name; name++) {
        join(link, "/sys/bus/virtio/devices", *name);
        if (resolve(link, device) != 0) continue;
        join(path, device, "device");
        ssize_t length = attribute(path, buffer);
        buffer[length > 0 ? length : 0] = 0;
        join(path, device, "driver");
        /* only the virtio devices that carry rpmsg: device id 7, or bound to virtio_rpmsg_bus */
        int is_rpmsg = !strcmp(link_target(path), "virtio_rpmsg_bus") || (length > 2 && strtol(buffer + 2, NULL, 16) == 7);
        if (!is_rpmsg) continue;
        join(path, device, "features");
        attribute(path, buffer);
        char *slash = strrchr(device, '/'); /* the transport: the virtio device's parent */
        if (!slash || slash == device) continue;
        *slash = 0;
        join(path, device, "driver");
        link_target(path);
        join(path, device, "of_node/compatible");
        attribute(path, buffer);
    }
    release(names);
}

static void bus_drivers(void) {
    char **drivers = list("/sys/bus/rpmsg/drivers");
    char directory[PATH_CAP], path[PATH_CAP];
    for (char **driver = drivers; drivers && *driver; driver++) {
        join(directory, "/sys/bus/rpmsg/drivers", *driver);
        char **entries = list(directory);
        for (char **entry = entries; entries && *entry; entry++) {
            join(path, directory, *entry);
            node(path, 0);
        }
        release(entries);
    }
    release(drivers);
}

static void udev_rules(void) {
    static const char *const directories[] = {"/etc/udev/rules.d", "/run/udev/rules.d", "/lib/udev/rules.d", "/usr/lib/udev/rules.d"};
    char path[PATH_CAP], buffer[ATTRIBUTE_BUFFER];
    node("/run/udev/control", 1);
    for (int i = 0; i < 4; i++) {
        char **names = list(directories[i]);
        for (char **name = names; names && *name; name++) {
            size_t length = strlen(*name);
            if (length < 6 || strcmp(*name + length - 6, ".rules") != 0) continue;
            join(path, directories[i], *name);
            attribute(path, buffer);
        }
        release(names);
    }
}

static void kernel_log(void) {
    char buffer[8192];
    int fd = open_in_root("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    if (fd < 0) return;
    struct stat info;
    /* below a root a device node would be the host's kernel log: only a file of records is read */
    if (fstat(fd, &info) == 0 && !S_ISCHR(info.st_mode)) {
        ssize_t count;
        long total = 0;
        while ((count = read(fd, buffer, sizeof buffer)) > 0 && (total += count) < (16 << 20)) {}
        counted.bytes += total;
    }
    close(fd);
    counted.files++;
}

/* device-tree nodes about rpmsg: named or compatible with rpmsg, or vring carve-outs in reserved-memory */
static int visited_nodes;

static int about_rpmsg(const char *directory, const char *name, const char *compatible, ssize_t compatible_length) {
    static const char *const carve_outs[] = {"vdev", "rpmsg", "rsc", "vring", "m4", "m7", "r5"};
    if (strcasestr(name, "rpmsg") || (compatible_length > 0 && memmem(compatible, (size_t)compatible_length, "rpmsg", 5)))
        return 1;
    size_t length = strlen(directory);
    if (length < 16 || strcmp(directory + length - 16, "/reserved-memory") != 0) return 0;
    for (int i = 0; i < 7; i++)
        if (strcasestr(name, carve_outs[i])) return 1;
    return 0;
}

static void device_tree(const char *path, int depth) {
    if (depth > 4 || visited_nodes >= 20000) return;
    char **names = list(path);
    char child[PATH_CAP], property[PATH_CAP], compatible[ATTRIBUTE_BUFFER], buffer[ATTRIBUTE_BUFFER];
    for (char **name = names; names && *name; name++) {
        join(child, path, *name);
        if (node(child, 0) != S_IFDIR) continue;
        visited_nodes++;
        join(property, child, "compatible");
        ssize_t compatible_length = attribute(property, compatible);
        if (about_rpmsg(path, *name, compatible, compatible_length)) {
            join(property, child, "status");
            attribute(property, buffer);
            join(property, child, "vdev-nums");
            attribute(property, buffer);
        }
        device_tree(child, depth + 1);
    }
    release(names);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: scan_walk DIR\n");
        return 64;
    }
    if (!realpath(argv[1], root) || strcmp(root, "/") == 0) {
        fprintf(stderr, "scan_walk: %s: not a directory below which to read (/ is the live system)\n", argv[1]);
        return 2;
    }
    root_length = strlen(root);
    root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int probe = root_fd < 0 ? -1 : open_in_root("", O_PATH);
    if (probe < 0) {
        perror(argv[1]);
        return 2;
    }
    close(probe);
    char buffer[ATTRIBUTE_BUFFER];

    attribute("/.rpmsg-collect/FORMAT", buffer); /* a board from the collector would say so */
    attribute("/etc/passwd", buffer);
    attribute("/etc/group", buffer);
    class_devices("/sys/class/rpmsg", 0);
    channels();
    class_devices("/sys/class/tty", 1);
    holders();
    system_context();
    remote_processors();
    virtio_devices();
    bus_drivers();
    udev_rules();
    kernel_log();
    device_tree("/sys/firmware/devicetree/base", 0);

    close(root_fd);
    printf("%ld files, %ld bytes, %ld links, %ld nodes, %ld directory entries\n",
           counted.files, counted.bytes, counted.links, counted.nodes, counted.entries);
    return 0;
}

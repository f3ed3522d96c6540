/*
 * scan_walk: the file-system work of `rpmsg-doctor scan --root DIR`, and nothing else.
 *
 * The lower bound the scan is measured against (Benchmarks/scan_vs_c.py). It makes the same
 * system calls on the same paths in the same order as the scan does (checked with strace on the
 * benchmark boards): it lists the same directories, resolves the same links, opens, checks and
 * reads the same attributes, stats the same /dev nodes and reads the same /proc and /etc files,
 * with the same care the scan needs below a root it cannot trust:
 *
 *   - Links are resolved as realpath(3) resolves them, one component at a time with readlink(2),
 *     remembering every path already found to be real. A class or bus link then costs two
 *     readlinks: the link, and the one new component its target ends in (the device directory).
 *     A link that leaves the root (absolute target, ".." above it) is given up.
 *   - Attributes are opened with O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC and checked with
 *     fstat(2): only regular files are read. The first read asks for 4097 bytes; less than a page
 *     from a file that has a size (every sysfs attribute, every small file) is all there is. A
 *     file without a size (those in /proc) is read to its end.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* host path of a path of the system below root, into a static buffer */
static const char *host(const char *path) {
    static char buffer[2 * PATH_CAP];
    memcpy(buffer, root, root_length);
    strcpy(buffer + root_length, path);
    return buffer;
}

/* ---- a set of paths known to be real (no link in any component), by their path below root ---- */

struct known_path {
    char *path;
    size_t length;
};
static struct known_path *known;
static size_t known_capacity = 1 << 16, known_count;

/* paths in one directory differ at their ends: hash the length and the last 32 bytes */
static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL ^ n;
    for (size_t i = n > 32 ? n - 32 : 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int is_known(const char *path, size_t n) {
    for (size_t i = hash(path, n) & (known_capacity - 1);; i = (i + 1) & (known_capacity - 1)) {
        if (!known[i].path) return 0;
        if (known[i].length == n && memcmp(known[i].path, path, n) == 0) return 1;
    }
}

static void remember(const char *path, size_t n) {
    if (known_count * 2 >= known_capacity) return; /* full enough: stop caching */
    size_t i = hash(path, n) & (known_capacity - 1);
    while (known[i].path) {
        if (known[i].length == n && memcmp(known[i].path, path, n) == 0) return;
        i = (i + 1) & (known_capacity - 1);
    }
    known[i].path = strndup(path, n);
    known[i].length = n;
    known_count++;
}

/*
 * Resolves a path of the system below root as realpath(3) would, with readlink(2) on each
 * component not already known to be real. Returns 0 and the resolved path in `out`, or an errno.
 */
static int walk(const char *path, char *out) {
    char pending[PATH_CAP]; /* components still to walk, in order */
    char current[PATH_CAP] = "";
    size_t current_length = 0;
    int hops = 0;
    if (strlen(path) >= sizeof pending) return ENAMETOOLONG;
    strcpy(pending, path);
    char *rest = pending;
    while (*rest) {
        while (*rest == '/') rest++;
        if (!*rest) break;
        char *end = strchr(rest, '/');
        size_t length = end ? (size_t)(end - rest) : strlen(rest);
        if (length == 1 && rest[0] == '.') { rest += length; continue; }
        if (length == 2 && rest[0] == '.' && rest[1] == '.') {
            if (current_length == 0) return EXDEV; /* above the root: the scan gives up on it */
            while (current_length > 0 && current[current_length - 1] != '/') current_length--;
            current_length = current_length > 0 ? current_length - 1 : 0;
            current[current_length] = 0;
            rest += length;
            continue;
        }
        if (current_length + 1 + length >= PATH_CAP) return ENAMETOOLONG;
        current[current_length] = '/';
        memcpy(current + current_length + 1, rest, length);
        size_t candidate_length = current_length + 1 + length;
        current[candidate_length] = 0;
        rest += length;
        if (is_known(current, candidate_length)) { current_length = candidate_length; continue; }
        char target[PATH_CAP];
        ssize_t count = readlink(host(current), target, sizeof target - 1);
        if (count < 0) {
            if (errno != EINVAL) return errno;
            remember(current, candidate_length);
            current_length = candidate_length;
            continue;
        }
        if (++hops > 40) return ELOOP;
        if (target[0] == '/') return EXDEV; /* absolute: points out of the root */
        target[count] = 0;
        current[current_length] = 0; /* back to the link's directory, then walk target + rest */
        char joined[PATH_CAP];
        size_t rest_length = strlen(rest);
        if ((size_t)count + 1 + rest_length >= sizeof joined) return ENAMETOOLONG;
        memcpy(joined, target, (size_t)count);
        joined[count] = '/';
        memcpy(joined + count + 1, rest, rest_length + 1);
        strcpy(pending, joined);
        rest = pending;
    }
    if (current_length == 0) strcpy(current, "/");
    strcpy(out, current);
    return 0;
}

/* the real path of the directory links were last found in, and that directory as named */
static char link_directory[PATH_CAP], real_link_directory[PATH_CAP];

/*
 * The common case: a link whose target goes up ("../") from its (real) directory, then down into a
 * directory already known to be real, to one more component. Else the walk above.
 */
static int resolve(const char *path, char *out) {
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, "..")) return walk(path, out);
    size_t directory_length = (size_t)(slash - path);
    if (directory_length >= PATH_CAP) return ENAMETOOLONG;
    if (strlen(link_directory) != directory_length || memcmp(link_directory, path, directory_length) != 0) {
        memcpy(link_directory, path, directory_length);
        link_directory[directory_length] = 0;
        int error = walk(directory_length ? link_directory : "/", real_link_directory);
        if (error) {
            link_directory[0] = 0;
            return error;
        }
        if (!strcmp(real_link_directory, "/")) real_link_directory[0] = 0;
    }
    char candidate[PATH_CAP], target[PATH_CAP];
    size_t length = strlen(real_link_directory), name_length = strlen(slash + 1);
    if (length + 1 + name_length >= PATH_CAP) return ENAMETOOLONG;
    memcpy(candidate, real_link_directory, length);
    candidate[length] = '/';
    memcpy(candidate + length + 1, slash + 1, name_length + 1);
    ssize_t count = readlink(host(candidate), target, sizeof target - 1);
    if (count < 0) {
        if (errno != EINVAL) return errno;
        strcpy(out, candidate);
        return 0;
    }
    target[count] = 0;
    /* the target is relative to the link's directory: go up from there */
    const char *rest = target;
    strcpy(candidate, real_link_directory);
    while (!strncmp(rest, "../", 3)) {
        char *up = strrchr(candidate, '/');
        if (!up) return walk(path, out); /* above the root */
        *up = 0;
        rest += 3;
    }
    length = strlen(candidate);
    const char *last = strrchr(rest, '/');
    if (rest[0] == '/' || !strncmp(rest, "./", 2) || strstr(rest, "//") || strstr(rest, "/./") || strstr(rest, "/../")
        || !last || !last[1] || !strcmp(last, "/.") || !strcmp(last, "/.."))
        return walk(path, out);
    size_t rest_length = strlen(rest);
    if (length + 1 + rest_length >= PATH_CAP) return ENAMETOOLONG;
    candidate[length] = '/';
    memcpy(candidate + length + 1, rest, rest_length + 1);
    size_t total = length + 1 + rest_length, parent = total - strlen(last);
    if (!is_known(candidate, parent)) return walk(candidate, out); /* a directory not seen yet */
    if (!is_known(candidate, total)) {
        if (readlink(host(candidate), target, sizeof target - 1) >= 0 || errno != EINVAL) return walk(path, out);
        remember(candidate, total);
    }
    strcpy(out, candidate);
    return 0;
}

/* ---- reading ---- */

/* An attribute: opened without following a final link, read only when it is a regular file. */
static ssize_t attribute(const char *path, char *buffer) {
    int fd = open(host(path), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat info;
    ssize_t total = 0;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        ssize_t count;
        while ((count = read(fd, buffer, ATTRIBUTE_BUFFER)) < 0 && errno == EINTR) {}
        total = count > 0 ? count : 0;
        /* a page is the most sysfs gives per read: anything shorter is all there is */
        if (count > 0 && (total >= 4096 || info.st_size == 0)) {
            static char rest[FILE_LIMIT];
            while (total < FILE_LIMIT && (count = read(fd, rest, FILE_LIMIT - total)) > 0) total += count;
        }
    }
    close(fd);
    counted.files++;
    counted.bytes += total;
    return total < ATTRIBUTE_BUFFER ? total : ATTRIBUTE_BUFFER - 1;
}

/* the last component of a link's target ("virtio_rpmsg_bus" for .../drivers/virtio_rpmsg_bus), or "" */
static const char *link_target(const char *path) {
    static char target[PATH_CAP];
    ssize_t count = readlink(host(path), target, sizeof target - 1);
    if (count < 0) return "";
    counted.links++;
    target[count] = 0;
    char *slash = strrchr(target, '/');
    return slash ? slash + 1 : target;
}

static void node(const char *path, int follow) {
    struct stat info;
    if ((follow ? stat(host(path), &info) : lstat(host(path), &info)) == 0) counted.nodes++;
}

/* Entry names of a directory, sorted, as a NULL-terminated array the caller frees. */
static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char **list(const char *path) {
    DIR *dir = opendir(host(path));
    if (!dir) return NULL;
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
    access(host("/.dockerenv"), F_OK);
    access(host("/run/.containerenv"), F_OK);
    attribute("/proc/1/cgroup", buffer);
    attribute("/proc/1/environ", buffer);
    gid_t groups[256];
    (void)geteuid();
    (void)getegid();
    int count = getgroups(0, NULL);
    if (count > 0 && count <= 256) (void)getgroups(count, groups);
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
    access(host("/run/udev/control"), F_OK);
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
    int fd = open(host("/dev/kmsg"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return;
    struct stat info;
    fstat(fd, &info);
    ssize_t count;
    long total = 0;
    while ((count = read(fd, buffer, sizeof buffer)) > 0 && (total += count) < (16 << 20)) {}
    close(fd);
    counted.files++;
    counted.bytes += total;
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
        struct stat info;
        if (lstat(host(child), &info) != 0 || !S_ISDIR(info.st_mode)) continue;
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
    if (!realpath(argv[1], root)) {
        perror(argv[1]);
        return 2;
    }
    root_length = strcmp(root, "/") == 0 ? 0 : strlen(root);
    known = calloc(known_capacity, sizeof *known);
    char buffer[ATTRIBUTE_BUFFER];

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

    printf("%ld files, %ld bytes, %ld links, %ld nodes, %ld directory entries\n",
           counted.files, counted.bytes, counted.links, counted.nodes, counted.entries);
    return 0;
}

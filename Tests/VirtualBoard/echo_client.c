/*
 * Minimal rpmsg client for the virtual board's own tests: creates an endpoint
 * through a ctrl device, sends MESSAGE to DST COUNT times, waits for each echo,
 * destroys the endpoint.
 *
 *   echo_client [-n] [-c COUNT] [-i INTERVAL_MS] [-t TIMEOUT_MS] CTRL DST MESSAGE
 *
 * -n: non-blocking writes. -i: pause between messages. -t 0: do not wait for answers.
 * Once the endpoint reports EPIPE (the remote is gone) it is closed without
 * RPMSG_DESTROY_EPT_IOCTL: on 6.1 the kernel already destroyed it, and a second
 * destroy panics the kernel (double cdev_device_del in rpmsg_chrdev_eptdev_destroy).
 * Prints one line per event. Exit status: 0 every answer equalled MESSAGE,
 * 1 an answer was missing, 2 an answer differed, 3 open or ioctl failed, 4 write failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RPMSG_ADDR_ANY 0xFFFFFFFFu
#define RPMSG_CREATE_EPT_IOCTL 0x4028b501u
#define RPMSG_DESTROY_EPT_IOCTL 0xb502u
#define ENDPOINT_NAME "board-echo-client"

struct rpmsg_endpoint_info {
	char name[32];
	unsigned int src;
	unsigned int dst;
};

static int read_sysfs_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The endpoint device the ioctl just made hangs under the ctrl's sysfs directory. */
static int find_endpoint_device(const char *ctrl_name, char *dev_path, size_t size)
{
	char dir_path[256], attr[600], value[64];
	struct dirent *entry;
	DIR *dir;
	int found = -1;

	snprintf(dir_path, sizeof(dir_path), "/sys/class/rpmsg/%s", ctrl_name);
	dir = opendir(dir_path);
	if (!dir)
		return -1;
	while ((entry = readdir(dir))) {
		if (strncmp(entry->d_name, "rpmsg", 5) || strncmp(entry->d_name, "rpmsg_", 6) == 0)
			continue;
		snprintf(attr, sizeof(attr), "%s/%s/name", dir_path, entry->d_name);
		if (read_sysfs_text(attr, value, sizeof(value)) == 0 && strcmp(value, ENDPOINT_NAME) == 0) {
			snprintf(dev_path, size, "/dev/%s", entry->d_name);
			found = 0;
		}
	}
	closedir(dir);
	return found;
}

int main(int argc, char **argv)
{
	int count = 1, interval_ms = 0, timeout_ms = 2000, nonblocking = 0, remote_gone = 0, opt, status = 0;
	struct rpmsg_endpoint_info info = { ENDPOINT_NAME, RPMSG_ADDR_ANY, 0 };
	char dev_path[300], answer[512];
	const char *ctrl_path, *ctrl_name, *message;
	int ctrl_fd, ept_fd;

	while ((opt = getopt(argc, argv, "nc:i:t:")) != -1) {
		if (opt == 'n')
			nonblocking = 1;
		else if (opt == 'c')
			count = atoi(optarg);
		else if (opt == 'i')
			interval_ms = atoi(optarg);
		else if (opt == 't')
			timeout_ms = atoi(optarg);
		else
			return 3;
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: %s [-n] [-c COUNT] [-i INTERVAL_MS] [-t TIMEOUT_MS] CTRL DST MESSAGE\n",
			argv[0]);
		return 3;
	}
	ctrl_path = argv[optind];
	info.dst = (unsigned int)strtoul(argv[optind + 1], NULL, 0);
	message = argv[optind + 2];
	ctrl_name = strrchr(ctrl_path, '/') ? strrchr(ctrl_path, '/') + 1 : ctrl_path;

	ctrl_fd = open(ctrl_path, O_RDWR);
	if (ctrl_fd < 0) {
		printf("open %s: %s\n", ctrl_path, strerror(errno));
		return 3;
	}
	if (ioctl(ctrl_fd, RPMSG_CREATE_EPT_IOCTL, &info) < 0) {
		printf("create endpoint: %s\n", strerror(errno));
		return 3;
	}
	if (find_endpoint_device(ctrl_name, dev_path, sizeof(dev_path)) < 0) {
		printf("no endpoint device under /sys/class/rpmsg/%s\n", ctrl_name);
		return 3;
	}
	/* devtmpfs creates the node root 0600; a udev rule may need a moment to apply. */
	for (int tries = 0;; tries++) {
		ept_fd = open(dev_path, O_RDWR | (nonblocking ? O_NONBLOCK : 0));
		if (ept_fd >= 0 || errno != EACCES || tries == 100)
			break;
		usleep(20000);
	}
	if (ept_fd < 0) {
		printf("open %s: %s\n", dev_path, strerror(errno));
		return 3;
	}
	printf("endpoint %s\n", dev_path);

	for (int i = 1; i <= count && status == 0; i++) {
		struct pollfd pfd = { ept_fd, POLLIN, 0 };
		ssize_t n;

		if (i > 1 && interval_ms > 0)
			usleep((useconds_t)interval_ms * 1000);
		if (write(ept_fd, message, strlen(message)) < 0) {
			remote_gone = errno == EPIPE;
			printf("write %d: %s\n", i, strerror(errno));
			status = 4;
			break;
		}
		if (timeout_ms == 0)
			continue;
		if (poll(&pfd, 1, timeout_ms) <= 0) {
			printf("message %d: no answer within %d ms\n", i, timeout_ms);
			status = 1;
			break;
		}
		n = read(ept_fd, answer, sizeof(answer) - 1);
		if (n < 0) {
			remote_gone = errno == EPIPE;
			printf("read %d: %s\n", i, strerror(errno));
			status = 1;
			break;
		}
		answer[n] = '\0';
		printf("answer %d: %s\n", i, answer);
		if ((size_t)n != strlen(message) || memcmp(answer, message, (size_t)n))
			status = 2;
	}

	if (!remote_gone && ioctl(ept_fd, RPMSG_DESTROY_EPT_IOCTL) < 0)
		printf("destroy endpoint: %s\n", strerror(errno));
	close(ept_fd);
	close(ctrl_fd);
	return status;
}

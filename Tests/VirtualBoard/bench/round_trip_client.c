/*
 * The baseline for the probe benchmark: what a tight C application does to exchange messages with
 * a remote core, with the probe's loop. Creates an endpoint through CTRL to DST, then COUNT times
 * writes a SIZE-byte message, polls for the answer (TIMEOUT_MS), reads it and compares it with what
 * was sent; destroys the endpoint.
 *
 *   round_trip_client CTRL DST COUNT SIZE TIMEOUT_MS
 *
 * Prints one JSON object: messages, seconds (the exchange loop), messagesPerSecond and
 * medianMicroseconds (from write returned to answer read, as the probe measures it).
 * Exit status: 0 every answer equalled its message, 1 an answer was missing or differed,
 * 2 setup failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define RPMSG_CREATE_EPT_IOCTL 0x4028b501u
#define RPMSG_DESTROY_EPT_IOCTL 0xb502u
#define RPMSG_ADDR_ANY 0xFFFFFFFFu
#define ENDPOINT_NAME "round-trip-client"
#define LARGEST_PAYLOAD 496

struct rpmsg_endpoint_info {
	char name[32];
	unsigned int src;
	unsigned int dst;
};

static double now_seconds(void)
{
	struct timespec time;

	clock_gettime(CLOCK_MONOTONIC, &time);
	return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The endpoint device the ioctl made: the rpmsgN below the ctrl's class directory whose name is ours. */
static int open_new_endpoint(const char *ctrl_name)
{
	char dir_path[256], path[600], name[64] = "";
	struct dirent *entry;
	DIR *dir;
	int fd = -1;

	snprintf(dir_path, sizeof(dir_path), "/sys/class/rpmsg/%s", ctrl_name);
	dir = opendir(dir_path);
	if (!dir)
		return -1;
	while (fd < 0 && (entry = readdir(dir))) {
		FILE *file;

		if (strncmp(entry->d_name, "rpmsg", 5) || strncmp(entry->d_name, "rpmsg_", 6) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/name", dir_path, entry->d_name);
		file = fopen(path, "r");
		if (!file)
			continue;
		if (!fgets(name, sizeof(name), file))
			name[0] = '\0';
		fclose(file);
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, ENDPOINT_NAME) == 0) {
			snprintf(path, sizeof(path), "/dev/%s", entry->d_name);
			fd = open(path, O_RDWR | O_CLOEXEC);
		}
	}
	closedir(dir);
	return fd;
}

int main(int argc, char **argv)
{
	struct rpmsg_endpoint_info info = { ENDPOINT_NAME, RPMSG_ADDR_ANY, 0 };
	unsigned char message[LARGEST_PAYLOAD], answer[LARGEST_PAYLOAD + 16];
	const char *ctrl_name;
	int count, size, timeout_ms, ctrl_fd, fd, status = 0, done = 0, remote_gone = 0;
	double *round_trips, started, elapsed;

	if (argc != 6) {
		fprintf(stderr, "usage: %s CTRL DST COUNT SIZE TIMEOUT_MS\n", argv[0]);
		return 2;
	}
	info.dst = (unsigned int)strtoul(argv[2], NULL, 0);
	count = atoi(argv[3]);
	size = atoi(argv[4]);
	timeout_ms = atoi(argv[5]);
	if (count < 1 || size < 1 || size > LARGEST_PAYLOAD) {
		fprintf(stderr, "COUNT must be positive and SIZE 1 to %d\n", LARGEST_PAYLOAD);
		return 2;
	}
	ctrl_name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	round_trips = calloc((size_t)count, sizeof(double));

	ctrl_fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (ctrl_fd < 0 || ioctl(ctrl_fd, RPMSG_CREATE_EPT_IOCTL, &info) < 0) {
		fprintf(stderr, "create endpoint on %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	fd = open_new_endpoint(ctrl_name);
	if (fd < 0) {
		fprintf(stderr, "no endpoint device %s under /sys/class/rpmsg/%s\n", ENDPOINT_NAME, ctrl_name);
		return 2;
	}

	started = now_seconds();
	for (int sequence = 0; sequence < count && status == 0; sequence++) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double sent_at;
		ssize_t n;

		for (int i = 0; i < size; i++)
			message[i] = (unsigned char)(sequence * 31 + i);
		if (write(fd, message, (size_t)size) != size) {
			remote_gone = errno == EPIPE;
			fprintf(stderr, "write %d: %s\n", sequence, strerror(errno));
			status = 1;
			break;
		}
		sent_at = now_seconds();
		if (poll(&pfd, 1, timeout_ms) <= 0) {
			fprintf(stderr, "message %d: no answer within %d ms\n", sequence, timeout_ms);
			status = 1;
			break;
		}
		n = read(fd, answer, sizeof(answer));
		remote_gone = n < 0 && errno == EPIPE;
		round_trips[done++] = (now_seconds() - sent_at) * 1e6;
		if (n != size || memcmp(answer, message, (size_t)size) != 0) {
			fprintf(stderr, "message %d: the answer differs\n", sequence);
			status = 1;
		}
	}
	elapsed = now_seconds() - started;

	/* Once the remote is gone the kernel destroyed the endpoint; destroying it again panics 6.1. */
	if (!remote_gone && ioctl(fd, RPMSG_DESTROY_EPT_IOCTL) < 0)
		fprintf(stderr, "destroy endpoint: %s\n", strerror(errno));
	close(fd);
	close(ctrl_fd);

	qsort(round_trips, (size_t)done, sizeof(double), compare_doubles);
	printf("{\"messages\": %d, \"seconds\": %.6f, \"messagesPerSecond\": %.1f, \"medianMicroseconds\": %.1f}\n",
	       done, elapsed, done / elapsed, done ? round_trips[done / 2] : 0.0);
	free(round_trips);
	return status;
}

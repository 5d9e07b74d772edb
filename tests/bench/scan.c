/* See LICENSE file for copyright and license details. */
/*
 * One read of a native model's matrix from memory: map the file, and
 * with THREADS threads (default 2) sum every float of the "embeddings"
 * tensor, page by page, as a search must read them.  Prints the elapsed
 * seconds, the CPU seconds (user + system) and the bytes read: the floor
 * for a search that reads every row once.  Benchmarks only.
 *
 * scan --fresh MB: the cost of memory a process touches for the first
 * time (a table being filled): MB written once, then again; the CPU
 * seconds of each pass.  On some virtual machines the first costs tens
 * of times the second.
 *
 * usage: scan model.safetensors [threads]
 *        scan --fresh MB
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct part {
	const float *p;
	size_t n;
	float sum;
	pthread_t tid;
};

static void *
sum(void *arg)
{
	struct part *pt = arg;
	float s[16] = { 0 };
	size_t i, j;

	for (i = 0; i + 16 <= pt->n; i += 16)
		for (j = 0; j < 16; j++)
			s[j] += pt->p[i + j];
	for (; i < pt->n; i++)
		s[0] += pt->p[i];
	for (j = 1; j < 16; j++)
		s[0] += s[j];
	pt->sum = s[0];
	return NULL;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static int
fresh(size_t mb)
{
	size_t n = mb << 20;
	char *p = malloc(n);
	double c0, c1, c2;

	if (p == NULL)
		return 1;
	c0 = cpu();
	memset(p, 1, n);
	c1 = cpu();
	memset(p, 2, n);
	c2 = cpu();
	printf("%.3f %.3f %d\n", c1 - c0, c2 - c1, p[n - 1]);
	free(p);
	return 0;
}

int
main(int argc, char **argv)
{
	struct part parts[64];
	struct stat st;
	uint64_t hlen;
	unsigned long long b, e;
	const char *hdr, *at;
	char *map;
	double t0, t1, total = 0;
	int fd, nt = argc > 2 ? atoi(argv[2]) : 2, t;
	size_t n;

	if (argc == 3 && strcmp(argv[1], "--fresh") == 0)
		return fresh((size_t)atoi(argv[2]));
	if (argc < 2 || nt < 1 || nt > 64) {
		fprintf(stderr, "usage: scan model.safetensors [threads]\n");
		return 2;
	}
	t0 = now();
	if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) < 0 ||
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) == MAP_FAILED) {
		perror(argv[1]);
		return 1;
	}
	memcpy(&hlen, map, 8);
	hdr = map + 8;
	if ((at = strstr(hdr, "\"embeddings\"")) == NULL ||
	    (at = strstr(at, "\"data_offsets\"")) == NULL ||
	    sscanf(at, "\"data_offsets\":[%llu,%llu]", &b, &e) != 2) {
		fprintf(stderr, "scan: %s: no embeddings tensor\n", argv[1]);
		return 1;
	}
	n = (size_t)(e - b) / 4;
	for (t = 0; t < nt; t++) {
		parts[t].p = (const float *)(map + 8 + hlen + b) +
		    n * (size_t)t / (size_t)nt;
		parts[t].n = n * (size_t)(t + 1) / (size_t)nt -
		    n * (size_t)t / (size_t)nt;
	}
	for (t = 1; t < nt; t++)
		pthread_create(&parts[t].tid, NULL, sum, &parts[t]);
	sum(&parts[0]);
	for (t = 1; t < nt; t++)
		pthread_join(parts[t].tid, NULL);
	t1 = now();
	for (t = 0; t < nt; t++)
		total += parts[t].sum;
	printf("%.3f %.3f %llu %g\n", t1 - t0, cpu(), e - b, total);
	return 0;
}

/* See LICENSE file for copyright and license details. */
/*
 * Run a command and print, on stderr, what /usr/bin/time -f "%e %U+%S %M
 * %F %R" would, but with the elapsed time to 0.1 ms (GNU time rounds it
 * to 10 ms, as much as a one-token lookup takes): elapsed seconds, CPU
 * seconds (user + system), maximum resident set (KB), major and minor
 * page faults.  Exits with the command's status.  Benchmarks only.
 *
 * usage: rtime command [argument ...]
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
sec(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
main(int argc, char *argv[])
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: rtime command [argument ...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) < 0) {
		perror("rtime: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("rtime: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "%.4f %.4f %ld %ld %ld\n", (double)(b.tv_sec -
	    a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
	    sec(ru.ru_utime) + sec(ru.ru_stime), ru.ru_maxrss, ru.ru_majflt,
	    ru.ru_minflt);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

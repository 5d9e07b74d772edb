/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "util.h"

/*
 * One pending temporary file per process is enough for our tools; the
 * signal handler removes it so an interrupted write leaves no debris.
 */
static volatile sig_atomic_t have_pending;
static char pending[4096];

static void
on_signal(int sig)
{
	if (have_pending)
		unlink(pending);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
arm(const char *tmp)
{
	static int installed;
	struct sigaction sa;
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	if (strlen(tmp) < sizeof(pending)) {
		have_pending = 0;
		memcpy(pending, tmp, strlen(tmp) + 1);
		have_pending = 1;
	}
	if (installed)
		return;
	installed = 1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		sigaction(sigs[i], NULL, &old);
		if (old.sa_handler == SIG_IGN)
			continue;	/* keep nohup's choice */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static void
disarm(void)
{
	have_pending = 0;
}

int
afile_open(struct afile *a, const char *path, struct emb_err *e)
{
	const char *slash;
	size_t dirlen;
	struct stat st;
	int fd;

	memset(a, 0, sizeof(*a));
	if (strcmp(path, "-") == 0) {
		a->f = stdout;
		a->path = xstrdup("<stdout>");
		return 0;
	}
	/*
	 * A device or FIFO (/dev/null, /dev/full, a named pipe) is written
	 * in place: renaming a temporary file over it would replace the
	 * device node itself (as root, in /dev).
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((a->f = fopen(path, "wb")) == NULL) {
			err_sys(e, path);
			return -1;
		}
		a->path = xstrdup(path);
		return 0;
	}
	a->path = xstrdup(path);
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	a->tmp = xmalloc(strlen(path) + 16);
	memcpy(a->tmp, path, dirlen);
	sprintf(a->tmp + dirlen, ".%s.XXXXXX", path + dirlen);
	if ((fd = mkstemp(a->tmp)) < 0) {
		err_sys(e, path);
		free(a->tmp);
		free(a->path);
		return -1;
	}
	arm(a->tmp);
	/* mkstemp makes 0600; give the file the usual umask-based mode */
	{
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	if ((a->f = fdopen(fd, "wb")) == NULL) {
		err_sys(e, path);
		close(fd);
		unlink(a->tmp);
		disarm();
		free(a->tmp);
		free(a->path);
		return -1;
	}
	return 0;
}

int
afile_commit(struct afile *a, struct emb_err *e)
{
	int bad;

	if (a->tmp == NULL) {
		errno = 0;
		bad = fflush(a->f) != 0 || ferror(a->f);
		if (a->f != stdout && fclose(a->f) != 0)
			bad = 1;
		if (bad)	/* errno is 0 if an earlier fwrite failed */
			err_set(e, a->path, 0, "%s", errno ? strerror(errno) :
			    "write error");
		free(a->path);
		memset(a, 0, sizeof(*a));
		return bad ? -1 : 0;
	}
	errno = 0;
	bad = fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0;
	if (bad) {
		err_set(e, a->path, 0, "%s", errno ? strerror(errno) :
		    "write error");
		afile_abort(a);
		return -1;
	}
	if (fclose(a->f) != 0) {
		a->f = NULL;
		err_sys(e, a->path);
		afile_abort(a);
		return -1;
	}
	a->f = NULL;
	if (rename(a->tmp, a->path) != 0) {
		err_sys(e, a->path);
		afile_abort(a);
		return -1;
	}
	disarm();
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	return 0;
}

void
afile_abort(struct afile *a)
{
	if (a->tmp != NULL) {
		if (a->f != NULL)
			fclose(a->f);
		unlink(a->tmp);
		disarm();
		free(a->tmp);
	} else if (a->f != NULL && a->f != stdout)
		fclose(a->f);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

/* See LICENSE file for copyright and license details. */
/*
 * The training threads' replicas of the output rows (rep_merge in
 * lib/trainstep.c): two threads' replicas of a table, each changed on its
 * own, merged into the shared rows.  A merge must add what its thread
 * changed since its last merge, keep what the other thread merged, and
 * leave the replica equal to the shared rows; the partial merges must
 * take the hot rows every time and the others in turn, each at least once
 * in a round of merges.
 *
 * usage: reptest
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trainstep.h"
#include "util.h"

#define ROUND	64	/* merges a round */
#define V	(REP_HOT + 3 * ROUND + 5)	/* rows: hot, then cold */
#define DP	16

static int fails;

static void
check(int ok, const char *what, size_t row)
{
	if (!ok && fails++ < 10)
		fprintf(stderr, "reptest: row %zu: %s\n", row, what);
}

/* a replica of sh's rows as wstate_init makes it */
static void
replica(struct wstate *ws, struct shared *sh)
{
	memset(ws, 0, sizeof(*ws));
	ws->sh = sh;
	ws->dp = DP;
	rep_make(&ws->ro, sh->syn1, V, ROUND, DP);
}

/* add a thread's own change (a function of seed, row, column) */
static void
change(struct wstate *ws, float *sum, int seed)
{
	size_t i;

	for (i = 0; i < V * DP; i++) {
		/* positive: no row's changes cancel over the rounds */
		float x = (float)((i * 7 + (size_t)seed * 13) % 29 + 1) / 256;

		ws->ro.rows[i] += x;
		sum[i] += x;
	}
}

static int
near(float a, float b)
{
	return fabsf(a - b) <= 1e-5f * (1 + fabsf(b));
}

int
main(void)
{
	struct shared sh;
	struct wstate a, b;
	float *want = xaligned(V * DP * sizeof(float));
	size_t i, r, merged[V];
	int round;

	memset(&sh, 0, sizeof(sh));
	sh.syn1 = xaligned(V * DP * sizeof(float));
	sh.dp = DP;
	pthread_mutex_init(&sh.repmu, NULL);
	for (i = 0; i < V * DP; i++)
		sh.syn1[i] = want[i] = (float)(i % 11) / 8 - 0.5f;
	replica(&a, &sh);
	replica(&b, &sh);

	/* partial merges: the hot rows every time, the others in turn */
	memset(merged, 0, sizeof(merged));
	for (round = 0; round < ROUND; round++) {
		float before[V * DP];

		change(&a, want, round);
		memcpy(before, sh.syn1, sizeof(before));
		rep_merge(&a, 0);
		for (r = 0; r < V; r++) {
			int moved = memcmp(before + r * DP, sh.syn1 + r * DP,
			    DP * sizeof(float)) != 0;

			merged[r] += moved;
			if (r < REP_HOT)
				check(moved, "a hot row not merged", r);
			if (moved)
				check(memcmp(a.ro.rows + r * DP, sh.syn1 + r * DP,
				    DP * sizeof(float)) == 0,
				    "the replica is not the merged row", r);
		}
	}
	for (r = REP_HOT; r < V; r++)
		check(merged[r] >= 1, "a cold row not merged in a round", r);

	/* the other thread's work, then both merged whole */
	change(&b, want, 100);
	rep_merge(&b, 1);
	change(&a, want, 200);
	rep_merge(&a, 1);
	for (i = 0; i < V * DP; i++)
		check(near(sh.syn1[i], want[i]), "the sum of both threads' "
		    "changes is not in the shared rows", i / DP);
	for (i = 0; i < V * DP; i++)
		check(a.ro.rows[i] == sh.syn1[i] && a.ro.base[i] == sh.syn1[i],
		    "a's replica is not the shared rows after a whole merge",
		    i / DP);

	/* b's next merge takes a's work without adding its own twice */
	rep_merge(&b, 1);
	for (i = 0; i < V * DP; i++)
		check(b.ro.rows[i] == sh.syn1[i] && near(sh.syn1[i], want[i]),
		    "b's replica after its merge", i / DP);

	/* rows past the replica's n are not the replica's */
	a.ro.n = REP_HOT;
	check(out_row(&a, REP_HOT - 1) == a.ro.rows + (REP_HOT - 1) * DP,
	    "out_row of a replicated row", REP_HOT - 1);
	check(out_row(&a, REP_HOT) == sh.syn1 + REP_HOT * DP,
	    "out_row of a shared row", REP_HOT);

	/* the plan: a 100M-word corpus, 2 threads, 5 epochs; a 2M-word one */
	sh.dp = 112;
	rep_plan(&sh, 71000, 42000000);
	check(sh.rep_out == REP_HOT + REP_COST * REP_ROUND_WORDS / 112 &&
	    sh.rep_round == REP_ROUND_WORDS / LR_EVERY, "the plan, long", 0);
	rep_plan(&sh, 30000, 5500000);
	check(sh.rep_out == REP_HOT + REP_COST * (5500000 / REP_ROUNDS) / 112 &&
	    sh.rep_round == 5500000 / REP_ROUNDS / LR_EVERY,
	    "the plan, short", 0);
	rep_plan(&sh, 500, 1000);
	check(sh.rep_out == 500 && sh.rep_round == 1, "the plan, tiny", 0);
	sh.dp = 4096;
	rep_plan(&sh, 3000000, 420000000);
	check(sh.rep_out == REP_BYTES / (2 * 4096 * sizeof(float)),
	    "the plan, wide rows", 0);

	wstate_free(&a);
	wstate_free(&b);
	free(sh.syn1);
	free(want);
	pthread_mutex_destroy(&sh.repmu);
	if (fails) {
		fprintf(stderr, "reptest: %d failures\n", fails);
		return 1;
	}
	return 0;
}

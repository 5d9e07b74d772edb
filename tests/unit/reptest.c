/* See LICENSE file for copyright and license details. */
/*
 * The training threads' replicas of the output and input rows (rep_merge
 * in lib/trainstep.c): two threads' replicas of a table, each changed on
 * its own, merged into the shared rows.  A merge must add what its thread
 * changed since its last merge, keep what the other thread merged, and
 * leave the replica equal to the shared rows; the partial merges must
 * take the hot rows every time and the others in turn, each at least once
 * in a round of merges.  Leaving the whole replica (rep_tick with
 * sh->rep_on 0) must merge it whole and keep the hot rows', merged at
 * every tick; taking it again must merge those and start from the shared
 * rows; thread 1's choice (rep_choose) must keep the cheaper of the two,
 * try the other at the probes, and take it when it has become cheaper.
 * The input rows' replica (syn0) takes the same changes as the output
 * rows' and must follow the same rules: the two tables stay equal.
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
	rep_make(&ws->ri, sh->syn0, V, ROUND, DP);
}

/* the input rows' replica and table as the output rows' (see above) */
static void
same(const struct wstate *ws, const char *when)
{
	const struct shared *sh = ws->sh;
	size_t i;

	for (i = 0; i < V * DP; i++)
		if (sh->syn0[i] != sh->syn1[i] || ws->ri.rows[i] !=
		    ws->ro.rows[i] || ws->ri.base[i] != ws->ro.base[i]) {
			check(0, when, i / DP);
			break;
		}
	check(ws->ri.n == ws->ro.n, when, ws->ri.n);
	check(in_row(ws, ws->ri.n - 1) == ws->ri.rows + (ws->ri.n - 1) * DP &&
	    (ws->ri.n == V || in_row(ws, ws->ri.n) == sh->syn0 + ws->ri.n * DP),
	    "in_row: not the replica's row below n, the table's from n", 0);
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
		ws->ri.rows[i] += x;
		sum[i] += x;
	}
}

static int
near(float a, float b)
{
	return fabsf(a - b) <= 1e-5f * (1 + fabsf(b));
}

/* leaving the whole replica for the hot rows' and taking it again */
static void
tick_test(struct shared *sh, float *want)
{
	struct wstate c;
	size_t i;

	replica(&c, sh);
	sh->rep_phase = (uint64_t)-1;
	sh->rep_on = 1;
	change(&c, want, 300);
	sh->rep_on = 0;
	rep_tick(&c, 0);
	same(&c, "the input rows, leaving the whole replica");
	check(c.ro.n == REP_HOT && out_row(&c, REP_HOT - 1) ==
	    c.ro.rows + (REP_HOT - 1) * DP && out_row(&c, REP_HOT) ==
	    sh->syn1 + REP_HOT * DP, "after leaving the whole replica, not "
	    "the hot rows' alone", 0);
	for (i = 0; i < V * DP; i++)
		check(near(sh->syn1[i], want[i]), "the replica's changes are "
		    "not all in the shared rows when it is left", i / DP);
	/* without it: the hot rows in the replica, the others shared */
	for (i = 0; i < V * DP; i++) {
		if (i < REP_HOT * DP)
			c.ro.rows[i] += 1.0f / 64, c.ri.rows[i] += 1.0f / 64;
		else
			sh->syn1[i] += 1.0f / 64, sh->syn0[i] += 1.0f / 64;
		want[i] += 1.0f / 64;
	}
	rep_tick(&c, 0);
	same(&c, "the input rows, a tick without the whole replica");
	for (i = 0; i < REP_HOT * DP; i++)
		check(near(sh->syn1[i], want[i]) && c.ro.rows[i] == sh->syn1[i],
		    "a hot row not merged at a tick without the whole replica",
		    i / DP);
	c.ro.rows[0] += 1.0f / 32;
	c.ri.rows[0] += 1.0f / 32;
	want[0] += 1.0f / 32;
	sh->rep_on = 1;
	rep_tick(&c, 0);
	same(&c, "the input rows, the whole replica taken again");
	check(c.ro.n == V && out_row(&c, V - 1) == c.ro.rows + (V - 1) * DP,
	    "the whole replica not taken again", 0);
	for (i = 0; i < V * DP; i++)
		check(c.ro.rows[i] == sh->syn1[i] && c.ro.base[i] == sh->syn1[i] &&
		    near(sh->syn1[i], want[i]), "the replica taken again is not "
		    "the shared rows with every change", i / DP);
	change(&c, want, 400);
	rep_merge(&c, 1);
	same(&c, "the input rows, a whole merge after taking it again");
	for (i = 0; i < V * DP; i++)
		check(near(sh->syn1[i], want[i]), "a change lost after taking "
		    "the replica again", i / DP);
	wstate_free(&c);
}

/*
 * rep_choose over n phases whose costs are with[k] and without[k]:
 * the choices (1 with) in got[k], the phase k ran with
 */
static void
choose_run(const double *with, const double *without, int *got, unsigned n)
{
	struct reptune tu;
	unsigned k;
	int on = 1;

	memset(&tu, 0, sizeof(tu));
	for (k = 0; k < n; k++) {
		got[k] = on;
		on = rep_choose(&tu, on, on ? with[k] : without[k]);
	}
}

#define NPH	80

static void
choose_test(void)
{
	double with[NPH], without[NPH];
	int got[NPH];
	unsigned k, nwith, probes, last_probe = 0;

	/* with is 25% cheaper: phases 1-4 alternate, then with but probes */
	for (k = 0; k < NPH; k++) {
		with[k] = 300e-9 + (k % 3) * 1e-9;
		without[k] = 400e-9;
	}
	choose_run(with, without, got, NPH);
	check(got[0] && got[1] && !got[2] && got[3] && !got[4],
	    "phases 0-4 are not with, with, without, with, without", 0);
	for (k = 5, nwith = probes = 0; k < NPH; k++) {
		nwith += got[k];
		if (!got[k]) {
			check(k - last_probe >= REP_PROBE, "probes too close",
			    k);
			probes++;
			last_probe = k;
		}
	}
	check(probes >= 3 && probes <= 5 && nwith == NPH - 5 - probes,
	    "not with but for a few probes when with is cheaper", probes);
	/* the first probe REP_PROBE phases after phase 4 */
	for (k = 5; k < NPH && got[k]; k++)
		;
	check(k == 4 + REP_PROBE + 1, "the first probe's phase", k);

	/* without is cheaper: without from phase 5 on, with at probes */
	for (k = 0; k < NPH; k++) {
		with[k] = 350e-9;
		without[k] = 300e-9;
	}
	choose_run(with, without, got, NPH);
	for (k = 5, nwith = 0; k < NPH; k++)
		nwith += got[k];
	check(!got[5] && nwith >= 3 && nwith <= 5,
	    "not without but for a few probes when without is cheaper",
	    nwith);

	/* the machine changes at phase 33: without becomes cheaper */
	for (k = 0; k < NPH; k++) {
		with[k] = k < 33 ? 300e-9 : 450e-9;
		without[k] = 400e-9;
	}
	choose_run(with, without, got, NPH);
	for (k = 33; k < NPH && got[k]; k++)
		;
	check(k <= 33 + 2 * REP_PROBE, "the change not seen by a probe", k);
	for (nwith = 0; k < NPH; k++)
		if (got[k] && ++nwith > 3)
			break;
	check(k == NPH, "with taken again after the change", k);

	/* within the margin: the first choice is kept */
	for (k = 0; k < NPH; k++) {
		with[k] = 300e-9;
		without[k] = 295e-9;
	}
	choose_run(with, without, got, NPH);
	for (k = 5, nwith = 0; k < NPH; k++)
		nwith += got[k];
	check(nwith <= 5, "a 2% difference: the choice did not hold", nwith);
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
	sh.syn0 = xaligned(V * DP * sizeof(float));
	sh.dp = DP;
	pthread_mutex_init(&sh.repmu, NULL);
	for (i = 0; i < V * DP; i++)
		sh.syn0[i] = sh.syn1[i] = want[i] = (float)(i % 11) / 8 - 0.5f;
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
		same(&a, "the input rows, a partial merge");
	}
	for (r = REP_HOT; r < V; r++)
		check(merged[r] >= 1, "a cold row not merged in a round", r);

	/* the other thread's work, then both merged whole */
	change(&b, want, 100);
	rep_merge(&b, 1);
	change(&a, want, 200);
	rep_merge(&a, 1);
	same(&b, "the input rows, both threads merged whole");
	for (i = 0; i < V * DP; i++)
		check(near(sh.syn1[i], want[i]), "the sum of both threads' "
		    "changes is not in the shared rows", i / DP);
	for (i = 0; i < V * DP; i++)
		check(a.ro.rows[i] == sh.syn1[i] && a.ro.base[i] == sh.syn1[i],
		    "a's replica is not the shared rows after a whole merge",
		    i / DP);

	/* b's next merge takes a's work without adding its own twice */
	rep_merge(&b, 1);
	same(&b, "the input rows, b's merge");
	for (i = 0; i < V * DP; i++)
		check(b.ro.rows[i] == sh.syn1[i] && near(sh.syn1[i], want[i]),
		    "b's replica after its merge", i / DP);

	/* rows past the replica's n are not the replica's */
	a.ro.n = a.ri.n = REP_HOT;
	same(&a, "in_row past the hot rows");
	check(out_row(&a, REP_HOT - 1) == a.ro.rows + (REP_HOT - 1) * DP,
	    "out_row of a replicated row", REP_HOT - 1);
	check(out_row(&a, REP_HOT) == sh.syn1 + REP_HOT * DP,
	    "out_row of a shared row", REP_HOT);

	/* the plan: a 100M-word corpus, 2 threads, 5 epochs; a 2M-word one */
	sh.dp = 112;
	rep_plan(&sh, 71000, 42000000);
	check(sh.rep_out == REP_HOT + REP_COST * REP_ROUND_WORDS / 112 &&
	    sh.rep_round == REP_ROUND_WORDS / LR_EVERY, "the plan, long", 0);
	check(sh.rep_phase == 42000000 / REP_PHASES, "the phase, long", 0);
	rep_plan(&sh, 30000, 5500000);
	check(sh.rep_out == REP_HOT + REP_COST * (5500000 / REP_ROUNDS) / 112 &&
	    sh.rep_round == 5500000 / REP_ROUNDS / LR_EVERY,
	    "the plan, short", 0);
	check(sh.rep_phase == REP_PHASE_MIN, "the phase, short", 0);
	rep_plan(&sh, 500, 1000);
	check(sh.rep_phase == REP_PHASE_MIN, "the phase, tiny", 0);
	check(sh.rep_out == 500 && sh.rep_round == 1, "the plan, tiny", 0);
	sh.dp = 4096;
	rep_plan(&sh, 3000000, 420000000);
	check(sh.rep_out == REP_BYTES / (2 * 4096 * sizeof(float)),
	    "the plan, wide rows", 0);
	check(sh.rep_phase == REP_PHASE_MAX, "the phase, longest", 0);

	tick_test(&sh, want);
	choose_test();

	wstate_free(&a);
	wstate_free(&b);
	free(sh.syn1);
	free(sh.syn0);
	free(want);
	pthread_mutex_destroy(&sh.repmu);
	if (fails) {
		fprintf(stderr, "reptest: %d failures\n", fails);
		return 1;
	}
	return 0;
}

/* See LICENSE file for copyright and license details. */
/*
 * The machine's peak float32 FMA rate: every core runs 12 independent
 * AVX-512 (else AVX2) FMA chains from registers.  Prints two figures
 * (one FMA = 2 flops): GFLOP/s for all cores together, elapsed time; and
 * GFLOP per CPU-second of one core (process CPU time), which other
 * programs sharing the machine do not lower.  Benchmarks only.
 *
 * usage: peak [threads]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <immintrin.h>

#define ITER 100000000L

static int wide;	/* 16 lanes (AVX-512) or 8 (AVX2) */

#define X5(i) __m512 a##i = _mm512_set1_ps((float)i)
#define F5(i) a##i = _mm512_fmadd_ps(a##i, b, c)
#define S5(i) s += _mm512_reduce_add_ps(a##i)

__attribute__((target("avx512f,fma"))) static float
run512(void)
{
	__m512 b = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(0.001f);
	float s = 0;
	long it;
	X5(0); X5(1); X5(2); X5(3); X5(4); X5(5);
	X5(6); X5(7); X5(8); X5(9); X5(10); X5(11);

	for (it = 0; it < ITER; it++) {
		F5(0); F5(1); F5(2); F5(3); F5(4); F5(5);
		F5(6); F5(7); F5(8); F5(9); F5(10); F5(11);
		__asm__ volatile("");
	}
	S5(0); S5(1); S5(2); S5(3); S5(4); S5(5);
	S5(6); S5(7); S5(8); S5(9); S5(10); S5(11);
	return s;
}

#define X2(i) __m256 a##i = _mm256_set1_ps((float)i)
#define F2(i) a##i = _mm256_fmadd_ps(a##i, b, c)
#define S2(i) _mm256_storeu_ps(t, a##i); for (l = 0; l < 8; l++) s += t[l]

__attribute__((target("avx2,fma"))) static float
run256(void)
{
	__m256 b = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(0.001f);
	float s = 0, t[8];
	long it;
	int l;
	X2(0); X2(1); X2(2); X2(3); X2(4); X2(5);
	X2(6); X2(7); X2(8); X2(9); X2(10); X2(11);

	for (it = 0; it < ITER; it++) {
		F2(0); F2(1); F2(2); F2(3); F2(4); F2(5);
		F2(6); F2(7); F2(8); F2(9); F2(10); F2(11);
		__asm__ volatile("");
	}
	S2(0); S2(1); S2(2); S2(3); S2(4); S2(5);
	S2(6); S2(7); S2(8); S2(9); S2(10); S2(11);
	return s;
}

static void *
work(void *arg)
{
	*(float *)arg = wide == 16 ? run512() : run256();
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct timespec t0, t1, c0, c1;
	pthread_t tid[256];
	float out[256];
	double sec, cpu, flops;
	long nt = argc > 1 ? atol(argv[1]) : sysconf(_SC_NPROCESSORS_ONLN);
	long i;

	if (nt < 1 || nt > 256)
		nt = 1;
	wide = __builtin_cpu_supports("avx512f") ? 16 : 8;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (i = 0; i < nt; i++)
		pthread_create(&tid[i], NULL, work, &out[i]);
	for (i = 0; i < nt; i++)
		pthread_join(tid[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	sec = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	cpu = (double)(c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
	flops = 2.0 * wide * 12 * ITER * nt;
	printf("%.1f %.1f\n", flops / sec / 1e9, flops / cpu / 1e9);
	return out[0] == 12345.0f;
}

/* See LICENSE file for copyright and license details. */
#ifndef EMB_CPU_H
#define EMB_CPU_H

/*
 * The one place that decides which SIMD instruction set the kernels
 * (knn, train) use.  Detection is at run time (GCC/Clang
 * __builtin_cpu_supports on x86; other machines get the scalar kernels,
 * which the compiler may still vectorise).
 *
 *   CPU_AVX512  AVX-512 F, BW and VL, and FMA
 *   CPU_AVX2    AVX2 and FMA
 *   CPU_SCALAR  portable C
 *
 * The levels are ordered: a CPU that has one has every lower one.
 */
enum cpu_isa { CPU_SCALAR, CPU_AVX2, CPU_AVX512 };

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define CPU_X86 1
/* the target attributes of the kernels of each level */
#define CPU_TARGET_AVX512 \
	__attribute__((target("avx512f,avx512bw,avx512vl,fma")))
#define CPU_TARGET_AVX2 __attribute__((target("avx2,fma")))
#endif

/* the best level this CPU supports */
enum cpu_isa cpu_isa_best(void);
/* the level the kernels use: the forced one, else cpu_isa_best() */
enum cpu_isa cpu_isa(void);
/* "scalar", "avx2", "avx512" */
const char *cpu_isa_name(enum cpu_isa isa);
/* the level named name; -1 for an unknown name */
int cpu_isa_byname(const char *name, enum cpu_isa *isa);

/*
 * Make the kernels use the level named name ("scalar", "avx2", "avx512";
 * NULL or "auto": the best again).  Returns -1, changing nothing, for an
 * unknown name or a level the CPU lacks.  For tests and benchmarks; call
 * it before starting threads.
 */
int cpu_force(const char *name);

#endif

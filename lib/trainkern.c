/* See LICENSE file for copyright and license details. */
#include "cpu.h"
#include "trainkern.h"

#ifdef CPU_X86
#include <immintrin.h>

#define KERN_LEVEL 2
#include "trainkern_isa.h"
#undef KERN_LEVEL
#define KERN_LEVEL 1
#include "trainkern_isa.h"
#undef KERN_LEVEL
#endif
#define KERN_LEVEL 0
#include "trainkern_isa.h"
#undef KERN_LEVEL

static const struct train_kern kern_scalar = {
	"scalar", dots_scalar, update_scalar, addto_scalar, mean_scalar,
	cbow_back_scalar, merge_scalar
};
#ifdef CPU_X86
static const struct train_kern kern_avx2 = {
	"avx2", dots_avx2, update_avx2, addto_avx2, mean_avx2,
	cbow_back_avx2, merge_avx2
};
static const struct train_kern kern_avx512 = {
	"avx512", dots_avx512, update_avx512, addto_avx512, mean_avx512,
	cbow_back_avx512, merge_avx512
};
#endif

const struct train_kern *
trainkern_get(void)
{
	switch (cpu_isa()) {
#ifdef CPU_X86
	case CPU_AVX512:
		return &kern_avx512;
	case CPU_AVX2:
		return &kern_avx2;
#endif
	default:
		return &kern_scalar;
	}
}

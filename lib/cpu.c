/* See LICENSE file for copyright and license details. */
#include <string.h>

#include "cpu.h"

static const char *const names[] = { "scalar", "avx2", "avx512" };
static int forced = -1;

enum cpu_isa
cpu_isa_best(void)
{
#ifdef CPU_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("fma"))
		return CPU_AVX512;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return CPU_AVX2;
#endif
	return CPU_SCALAR;
}

enum cpu_isa
cpu_isa(void)
{
	return forced >= 0 ? (enum cpu_isa)forced : cpu_isa_best();
}

const char *
cpu_isa_name(enum cpu_isa isa)
{
	return names[isa];
}

int
cpu_isa_byname(const char *name, enum cpu_isa *isa)
{
	int i;

	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(name, names[i]) == 0) {
			*isa = (enum cpu_isa)i;
			return 0;
		}
	return -1;
}

int
cpu_force(const char *name)
{
	enum cpu_isa want;

	if (name == NULL || strcmp(name, "auto") == 0) {
		forced = -1;
		return 0;
	}
	if (cpu_isa_byname(name, &want) < 0 || want > cpu_isa_best())
		return -1;
	forced = (int)want;
	return 0;
}

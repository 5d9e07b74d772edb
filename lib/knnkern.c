/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "dtype.h"
#include "knnkern.h"
#include "util.h"

#ifdef CPU_X86
#include <immintrin.h>
#endif

/* knn.c's search: the layout and the order of the sums are described there */
#define MR KNN_MR
#define NR KNN_NR
#define PF 32			/* prefetch distance while packing, rows */

/*
 * Micro-kernels.  qp: d x MR packed queries (the first mr used); rp: d x NR
 * packed rows; sa, ba: NR epilogue factors.  c receives mr x NR scores;
 * when thr is not NULL, mask[i] gets bit j set when c[i][j] >= thr[i].
 */
static void
kern_scalar(int mr, const float *qp, const float *rp, size_t d,
    const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask)
{
	float acc[MR][NR];
	size_t k;
	int i, j;

	memset(acc, 0, sizeof(acc));
	for (k = 0; k < d; k++) {
		const float *q = qp + k * MR, *r = rp + k * NR;

		for (i = 0; i < mr; i++)
			for (j = 0; j < NR; j++)
				acc[i][j] += q[i] * r[j];
	}
	for (i = 0; i < mr; i++) {
		uint32_t m = 0;

		for (j = 0; j < NR; j++) {
			float s = acc[i][j] * sa[j] + ba[j];

			c[i * NR + j] = s;
			if (thr != NULL && s >= thr[i])
				m |= (uint32_t)1 << j;
		}
		if (thr != NULL)
			mask[i] = m;
	}
}

#ifdef CPU_X86
#define A5 CPU_TARGET_AVX512
#define A2 CPU_TARGET_AVX2
#define INL __attribute__((always_inline)) inline

#define D5(i) __m512 c##i##a = _mm512_setzero_ps(), \
    c##i##b = _mm512_setzero_ps()
#define F5(i) if (mr > i) { \
	__m512 qb = _mm512_set1_ps(q[i]); \
	c##i##a = _mm512_fmadd_ps(qb, ra, c##i##a); \
	c##i##b = _mm512_fmadd_ps(qb, rb, c##i##b); \
}
#define O5(i) if (mr > i) { \
	c##i##a = _mm512_fmadd_ps(c##i##a, sa0, ba0); \
	c##i##b = _mm512_fmadd_ps(c##i##b, sa1, ba1); \
	_mm512_storeu_ps(c + i * NR, c##i##a); \
	_mm512_storeu_ps(c + i * NR + 16, c##i##b); \
	if (thr != NULL) { \
		__m512 t = _mm512_set1_ps(thr[i]); \
		mask[i] = (uint32_t)_mm512_cmp_ps_mask(c##i##a, t, \
		    _CMP_GE_OQ) | (uint32_t)_mm512_cmp_ps_mask(c##i##b, t, \
		    _CMP_GE_OQ) << 16; \
	} \
}

static INL A5 void
kern512_body(const int mr, const float *qp, const float *rp, size_t d,
    const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask)
{
	__m512 sa0, sa1, ba0, ba1;
	size_t k;
	D5(0); D5(1); D5(2); D5(3); D5(4); D5(5);
	D5(6); D5(7); D5(8); D5(9); D5(10); D5(11);

	for (k = 0; k < d; k++) {
		const float *q = qp + k * MR;
		__m512 ra = _mm512_load_ps(rp + k * NR);
		__m512 rb = _mm512_load_ps(rp + k * NR + 16);

		F5(0); F5(1); F5(2); F5(3); F5(4); F5(5);
		F5(6); F5(7); F5(8); F5(9); F5(10); F5(11);
	}
	sa0 = _mm512_loadu_ps(sa);
	sa1 = _mm512_loadu_ps(sa + 16);
	ba0 = _mm512_loadu_ps(ba);
	ba1 = _mm512_loadu_ps(ba + 16);
	O5(0); O5(1); O5(2); O5(3); O5(4); O5(5);
	O5(6); O5(7); O5(8); O5(9); O5(10); O5(11);
}

static A5 void
kern512_12(const float *qp, const float *rp, size_t d, const float *sa,
    const float *ba, const float *thr, float *c, uint32_t *mask)
{
	kern512_body(12, qp, rp, d, sa, ba, thr, c, mask);
}

static A5 void
kern512_8(const float *qp, const float *rp, size_t d, const float *sa,
    const float *ba, const float *thr, float *c, uint32_t *mask)
{
	kern512_body(8, qp, rp, d, sa, ba, thr, c, mask);
}

static A5 void
kern512_4(const float *qp, const float *rp, size_t d, const float *sa,
    const float *ba, const float *thr, float *c, uint32_t *mask)
{
	kern512_body(4, qp, rp, d, sa, ba, thr, c, mask);
}

static A5 void
kern512_2(const float *qp, const float *rp, size_t d, const float *sa,
    const float *ba, const float *thr, float *c, uint32_t *mask)
{
	kern512_body(2, qp, rp, d, sa, ba, thr, c, mask);
}

static A5 void
kern512_1(const float *qp, const float *rp, size_t d, const float *sa,
    const float *ba, const float *thr, float *c, uint32_t *mask)
{
	kern512_body(1, qp, rp, d, sa, ba, thr, c, mask);
}

static void
kern512(int mr, const float *qp, const float *rp, size_t d,
    const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask)
{
	if (mr > 8)
		kern512_12(qp, rp, d, sa, ba, thr, c, mask);
	else if (mr > 4)
		kern512_8(qp, rp, d, sa, ba, thr, c, mask);
	else if (mr > 2)
		kern512_4(qp, rp, d, sa, ba, thr, c, mask);
	else if (mr > 1)
		kern512_2(qp, rp, d, sa, ba, thr, c, mask);
	else
		kern512_1(qp, rp, d, sa, ba, thr, c, mask);
}

/* transpose the 16 x 16 block v in place (named temporaries: registers) */
#define TU(a, b) t##a = _mm512_unpacklo_ps(v[a], v[b]); \
	t##b = _mm512_unpackhi_ps(v[a], v[b])
#define PD(x) _mm512_castps_pd(x)
#define TD(a, b, c, e) \
	u##a = _mm512_castpd_ps(_mm512_unpacklo_pd(PD(t##a), PD(t##c))); \
	u##b = _mm512_castpd_ps(_mm512_unpackhi_pd(PD(t##a), PD(t##c))); \
	u##c = _mm512_castpd_ps(_mm512_unpacklo_pd(PD(t##b), PD(t##e))); \
	u##e = _mm512_castpd_ps(_mm512_unpackhi_pd(PD(t##b), PD(t##e)))
#define TL(c, w, x, y) do { \
	__m512 a0 = _mm512_shuffle_f32x4(u##c, u##w, 0x88); \
	__m512 a1 = _mm512_shuffle_f32x4(u##c, u##w, 0xdd); \
	__m512 b0 = _mm512_shuffle_f32x4(u##x, u##y, 0x88); \
	__m512 b1 = _mm512_shuffle_f32x4(u##x, u##y, 0xdd); \
	v[c] = _mm512_shuffle_f32x4(a0, b0, 0x88); \
	v[c + 8] = _mm512_shuffle_f32x4(a0, b0, 0xdd); \
	v[c + 4] = _mm512_shuffle_f32x4(a1, b1, 0x88); \
	v[c + 12] = _mm512_shuffle_f32x4(a1, b1, 0xdd); \
} while (0)

static INL A5 void
transpose16(__m512 *v)
{
	__m512 t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13,
	    t14, t15;
	__m512 u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13,
	    u14, u15;

	TU(0, 1); TU(2, 3); TU(4, 5); TU(6, 7);
	TU(8, 9); TU(10, 11); TU(12, 13); TU(14, 15);
	/* u(4g + c): columns c, c + 4, c + 8, c + 12 of rows 4g..4g+3 */
	TD(0, 1, 2, 3); TD(4, 5, 6, 7); TD(8, 9, 10, 11); TD(12, 13, 14, 15);
	TL(0, 4, 8, 12); TL(1, 5, 9, 13); TL(2, 6, 10, 14); TL(3, 7, 11, 15);
}

/* load 16 values of row i (i < nv, else zeros) as float */
static INL A5 __m512
load16(const unsigned char *src, enum dtype dt, __mmask16 km)
{
	__m256i hv;

	if (dt == DT_F32)
		return _mm512_maskz_loadu_ps(km, src);
	hv = _mm256_maskz_loadu_epi16(km, src);
	if (dt == DT_F16)
		return _mm512_cvtph_ps(hv);
	return _mm512_castsi512_ps(_mm512_slli_epi32(
	    _mm512_cvtepu16_epi32(hv), 16));
}

/*
 * One 16 x 16 step of the packing: nv rows at src (stride bytes apart),
 * nk columns, to dst (d-major, NR floats per column).
 */
static INL A5 void
pack_step(const unsigned char *src, size_t stride, enum dtype dt,
    size_t nv, size_t nk, float *dst, __m512 *ss)
{
	__mmask16 km = (__mmask16)((1u << nk) - 1);
	__m512 v[16];
	int i;

	if (nv == 16) {
#pragma GCC unroll 16
		for (i = 0; i < 16; i++)
			v[i] = load16(src + i * stride, dt, km);
	} else {
#pragma GCC unroll 16
		for (i = 0; i < 16; i++)
			v[i] = (size_t)i < nv ? load16(src + i * stride, dt,
			    km) : _mm512_setzero_ps();
	}
	transpose16(v);
	/* the squares in k order, one row per lane: the row norms */
	if (nk == 16) {
#pragma GCC unroll 16
		for (i = 0; i < 16; i++) {
			_mm512_store_ps(dst + i * NR, v[i]);
			*ss = _mm512_fmadd_ps(v[i], v[i], *ss);
		}
	} else {
		for (i = 0; (size_t)i < nk; i++) {
			_mm512_store_ps(dst + i * NR, v[i]);
			*ss = _mm512_fmadd_ps(v[i], v[i], *ss);
		}
	}
}

/* pack rows [r0, r0 + n) into d-major panels, 16 x 16 blocks at a time */
static A5 void
pack512(const void *rows, enum dtype dt, size_t r0, size_t n, size_t d,
    size_t lim, float *rp, float *sq)
{
	const char *pfend = (const char *)rows + lim * d * dtype_size(dt);
	size_t esz = dtype_size(dt), np = (n + NR - 1) / NR, p, h, k0;
	size_t stride = d * esz;
	int i;

	for (p = 0; p < np; p++)
		for (h = 0; h < NR / 16; h++) {
			size_t base = p * NR + h * 16;
			size_t nv = base >= n ? 0 : n - base < 16 ?
			    n - base : 16;
			float *dst = rp + p * d * NR + h * 16;
			const unsigned char *src = (const unsigned char *)
			    rows + (r0 + base) * stride;
			const char *pf = (const char *)src + PF * stride;
			__m512 ss = _mm512_setzero_ps();

			for (k0 = 0; k0 < d; k0 += 16) {
				size_t nk = d - k0 < 16 ? d - k0 : 16;

				/*
				 * The 16 rows are one contiguous run of
				 * memory: stream the run PF rows ahead into
				 * cache at the pace this one is consumed.
				 */
				for (i = 0; i < (int)(16 * nk * esz); i += 64)
					if (pf + i < pfend)
						_mm_prefetch(pf + i, _MM_HINT_T0);
				pf += 16 * nk * esz;
				if (dt == DT_F32)
					pack_step(src + k0 * esz, stride,
					    DT_F32, nv, nk, dst + k0 * NR, &ss);
				else if (dt == DT_F16)
					pack_step(src + k0 * esz, stride,
					    DT_F16, nv, nk, dst + k0 * NR, &ss);
				else
					pack_step(src + k0 * esz, stride,
					    DT_BF16, nv, nk, dst + k0 * NR, &ss);
			}
			_mm512_storeu_ps(sq + base, ss);
		}
}

/* AVX2: 3 queries x 32 rows (12 ymm accumulators) per call */
#define D2(i) __m256 c##i##0 = _mm256_setzero_ps(), \
    c##i##1 = _mm256_setzero_ps(), c##i##2 = _mm256_setzero_ps(), \
    c##i##3 = _mm256_setzero_ps()
#define F2(i, x) if (mr > i) \
	c##i##x = _mm256_fmadd_ps(_mm256_set1_ps(q[i]), r, c##i##x)
#define O2V(i, x) do { \
	__m256 s = _mm256_fmadd_ps(c##i##x, \
	    _mm256_loadu_ps(sa + 8 * x), _mm256_loadu_ps(ba + 8 * x)); \
	_mm256_storeu_ps(c + i * NR + 8 * x, s); \
	if (thr != NULL) \
		m |= (uint32_t)_mm256_movemask_ps(_mm256_cmp_ps(s, t, \
		    _CMP_GE_OQ)) << (8 * x); \
} while (0)
#define O2(i) if (mr > i) { \
	uint32_t m = 0; \
	__m256 t = _mm256_set1_ps(thr != NULL ? thr[i] : 0); \
	O2V(i, 0); O2V(i, 1); O2V(i, 2); O2V(i, 3); \
	if (thr != NULL) \
		mask[i] = m; \
}

static A2 void
kern256_3(int mr, const float *qp, const float *rp, size_t d,
    const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask)
{
	size_t k;
	D2(0); D2(1); D2(2);

	for (k = 0; k < d; k++) {
		const float *q = qp + k * MR, *rk = rp + k * NR;
		__m256 r;

		r = _mm256_load_ps(rk);
		F2(0, 0); F2(1, 0); F2(2, 0);
		r = _mm256_load_ps(rk + 8);
		F2(0, 1); F2(1, 1); F2(2, 1);
		r = _mm256_load_ps(rk + 16);
		F2(0, 2); F2(1, 2); F2(2, 2);
		r = _mm256_load_ps(rk + 24);
		F2(0, 3); F2(1, 3); F2(2, 3);
	}
	O2(0); O2(1); O2(2);
}

static void
kern256(int mr, const float *qp, const float *rp, size_t d,
    const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask)
{
	int i;

	for (i = 0; i < mr; i += 3)
		kern256_3(mr - i < 3 ? mr - i : 3, qp + i, rp, d, sa, ba,
		    thr != NULL ? thr + i : NULL, c + i * NR, mask + i);
}
#endif

void
knnkern_tile(int isa, int mr, const float *qp, const float *rp, size_t d,
    const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask)
{
#ifdef CPU_X86
	if (isa == CPU_AVX512) {
		kern512(mr, qp, rp, d, sa, ba, thr, c, mask);
		return;
	}
	if (isa == CPU_AVX2) {
		kern256(mr, qp, rp, d, sa, ba, thr, c, mask);
		return;
	}
#endif
	(void)isa;
	kern_scalar(mr, qp, rp, d, sa, ba, thr, c, mask);
}

void
knnkern_pack(int isa, const void *rows, enum dtype dt, size_t r0, size_t n,
    size_t d, size_t lim, float *rp, float *sq, float *row)
{
	size_t np = (n + NR - 1) / NR, esz = dtype_size(dt), r, k;

#ifdef CPU_X86
	if (isa == CPU_AVX512) {
		pack512(rows, dt, r0, n, d, lim, rp, sq);
		return;
	}
#endif
	(void)isa;
	(void)lim;
	for (r = 0; r < np * NR; r++) {
		float *dst = rp + (r / NR) * d * NR + r % NR, s = 0;
		const float *src;

		if (r >= n) {
			for (k = 0; k < d; k++)
				dst[k * NR] = 0;
			sq[r] = 0;
			continue;
		}
		if (dt == DT_F32)
			src = (const float *)rows + (r0 + r) * d;
		else {
			dtype_to_f32(dt, (const unsigned char *)
			    rows + (r0 + r) * d * esz, row, d);
			src = row;
		}
		for (k = 0; k < d; k++) {
			dst[k * NR] = src[k];
			s += src[k] * src[k];
		}
		sq[r] = s;
	}
}

#ifdef CPU_X86
/* norms of rows [b, e): 16 lanes of float FMA sums, reduced in double */
static A5 void
norms512(const void *rows, enum dtype dt, size_t d, size_t b, size_t e,
    float *norms)
{
	size_t esz = dtype_size(dt), i, k;

	for (i = b; i < e; i++) {
		const unsigned char *r = (const unsigned char *)rows +
		    i * d * esz;
		__m512 acc = _mm512_setzero_ps();
		float lane[16];
		double s = 0;
		int l;

		for (k = 0; k < d; k += 16) {
			size_t nk = d - k < 16 ? d - k : 16;
			__m512 v = load16(r + k * esz, dt,
			    (__mmask16)((1u << nk) - 1));

			acc = _mm512_fmadd_ps(v, v, acc);
		}
		_mm512_storeu_ps(lane, acc);
		for (l = 0; l < 16; l++)
			s += lane[l];
		norms[i] = (float)sqrt(s);
	}
}
#endif

static void
norms_scalar(const void *rows, enum dtype dt, size_t d, size_t b, size_t e,
    float *norms)
{
	float *row = NULL;
	size_t i, k, esz = dtype_size(dt);

	if (dt != DT_F32)
		row = xmalloc((d ? d : 1) * sizeof(float));
	for (i = b; i < e; i++) {
		const float *r;
		double s = 0;

		if (row == NULL)
			r = (const float *)rows + i * d;
		else {
			dtype_to_f32(dt, (const unsigned char *)rows +
			    i * d * esz, row, d);
			r = row;
		}
		for (k = 0; k < d; k++)
			s += (double)r[k] * r[k];
		norms[i] = (float)sqrt(s);
	}
	free(row);
}

void
knnkern_norms(int isa, const void *rows, enum dtype dt, size_t d, size_t b,
    size_t e, float *norms)
{
#ifdef CPU_X86
	if (isa == CPU_AVX512) {
		norms512(rows, dt, d, b, e, norms);
		return;
	}
#endif
	(void)isa;
	norms_scalar(rows, dt, d, b, e, norms);
}

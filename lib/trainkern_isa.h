/* See LICENSE file for copyright and license details. */
/*
 * The template of the training kernels (trainkern.h), included by
 * trainkern.c once per instruction set with KERN_LEVEL set to the
 * cpu.h level (0 scalar, 1 AVX2, 2 AVX-512; immintrin.h included for the
 * last two).  Every name it defines is undefined again at its end.
 */
#if KERN_LEVEL == 2
#define SFX(f)		f##_avx512
#define ATTR		CPU_TARGET_AVX512
#define W		16
#define VT		__m512
#define VLOAD(p)	_mm512_load_ps(p)
#define VSTORE(p, x)	_mm512_store_ps(p, x)
#define VFMA(a, b, c)	_mm512_fmadd_ps(a, b, c)
#define VMUL(a, b)	_mm512_mul_ps(a, b)
#define VADD(a, b)	_mm512_add_ps(a, b)
#define VSUB(a, b)	_mm512_sub_ps(a, b)
#define VSET1(x)	_mm512_set1_ps(x)
#define VZERO()		_mm512_setzero_ps()
#define VHSUM(x)	_mm512_reduce_add_ps(x)
#define VHSUM4(p, a, b, c, d)	hsum4_512(p, a, b, c, d)
/* p[0..3] = the sums of a, b, c, d: one transposing tree, not four */
ATTR static inline void
hsum4_512(float *p, __m512 a, __m512 b, __m512 c, __m512 d)
{
	/* per 128-bit lane: [a0+a2 b0+b2 a1+a3 b1+b3] */
	__m512 x = _mm512_add_ps(_mm512_unpacklo_ps(a, b),
	    _mm512_unpackhi_ps(a, b));
	__m512 y = _mm512_add_ps(_mm512_unpacklo_ps(c, d),
	    _mm512_unpackhi_ps(c, d));
	/* per lane: [a b c d] partial sums */
	__m512 z = _mm512_add_ps(_mm512_shuffle_ps(x, y, 0x44),
	    _mm512_shuffle_ps(x, y, 0xee));
	__m256 h = _mm256_add_ps(_mm512_castps512_ps256(z),
	    _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(z), 1)));
	__m128 q = _mm_add_ps(_mm256_castps256_ps128(h),
	    _mm256_extractf128_ps(h, 1));

	_mm_storeu_ps(p, q);
}
#elif KERN_LEVEL == 1
#define SFX(f)		f##_avx2
#define ATTR		CPU_TARGET_AVX2
#define W		8
#define VT		__m256
#define VLOAD(p)	_mm256_load_ps(p)
#define VSTORE(p, x)	_mm256_store_ps(p, x)
#define VFMA(a, b, c)	_mm256_fmadd_ps(a, b, c)
#define VMUL(a, b)	_mm256_mul_ps(a, b)
#define VADD(a, b)	_mm256_add_ps(a, b)
#define VSUB(a, b)	_mm256_sub_ps(a, b)
#define VSET1(x)	_mm256_set1_ps(x)
#define VZERO()		_mm256_setzero_ps()
#define VHSUM(x)	hsum8(x)
#define VHSUM4(p, a, b, c, d)	((p)[0] = hsum8(a), (p)[1] = hsum8(b), \
				(p)[2] = hsum8(c), (p)[3] = hsum8(d))
ATTR static inline float
hsum8(__m256 x)
{
	__m128 s = _mm_add_ps(_mm256_castps256_ps128(x),
	    _mm256_extractf128_ps(x, 1));

	s = _mm_add_ps(s, _mm_movehl_ps(s, s));
	s = _mm_add_ss(s, _mm_movehdup_ps(s));
	return _mm_cvtss_f32(s);
}
#else
#define SFX(f)		f##_scalar
#define ATTR
#define W		1
#define VT		float
#define VLOAD(p)	(*(p))
#define VSTORE(p, x)	(*(p) = (x))
#define VFMA(a, b, c)	((a) * (b) + (c))
#define VMUL(a, b)	((a) * (b))
#define VADD(a, b)	((a) + (b))
#define VSUB(a, b)	((a) - (b))
#define VSET1(x)	(x)
#define VZERO()		0.0f
#define VHSUM(x)	(x)
#define VHSUM4(p, a, b, c, d)	((p)[0] = (a), (p)[1] = (b), (p)[2] = (c), \
				(p)[3] = (d))
#endif

/* S[j][k] = in[j] . out[k]: 4 outputs at a time share each input load */
ATTR static void
SFX(dots)(float *const *in, size_t B, float *const *out, size_t K, float *S,
    size_t dp)
{
	size_t j, k, v;

	for (k = 0; k + 4 <= K; k += 4) {
		const float *o0 = out[k], *o1 = out[k + 1];
		const float *o2 = out[k + 2], *o3 = out[k + 3];

		for (j = 0; j < B; j++) {
			const float *x = in[j];
			VT a0 = VZERO(), a1 = VZERO(), a2 = VZERO();
			VT a3 = VZERO();

			for (v = 0; v < dp; v += W) {
				VT xv = VLOAD(x + v);

				a0 = VFMA(xv, VLOAD(o0 + v), a0);
				a1 = VFMA(xv, VLOAD(o1 + v), a1);
				a2 = VFMA(xv, VLOAD(o2 + v), a2);
				a3 = VFMA(xv, VLOAD(o3 + v), a3);
			}
			VHSUM4(S + j * K + k, a0, a1, a2, a3);
		}
	}
	for (; k < K; k++)
		for (j = 0; j < B; j++) {
			const float *x = in[j], *o0 = out[k];
			VT a0 = VZERO(), a1 = VZERO();

			for (v = 0; v + W < dp; v += 2 * W) {
				a0 = VFMA(VLOAD(x + v), VLOAD(o0 + v), a0);
				a1 = VFMA(VLOAD(x + v + W), VLOAD(o0 + v + W),
				    a1);
			}
			if (v < dp)
				a0 = VFMA(VLOAD(x + v), VLOAD(o0 + v), a0);
			S[j * K + k] = VHSUM(VADD(a0, a1));
		}
}

/*
 * nb[j] = sum_k G[j][k] out[k], then out[k] += sum_j G[j][k] in[j].
 * Columns go 4 vectors at a time with the sums held in registers, so
 * each row of nb and out is stored once.
 */
ATTR static void
SFX(update)(float *const *in, size_t B, float *const *out, size_t K,
    const float *G, float *nb, size_t dp)
{
	size_t j, k, v;

	for (j = 0; j < B; j++) {
		float *y = nb + j * dp;
		const float *g = G + j * K;

		for (v = 0; v + 4 * W <= dp; v += 4 * W) {
			VT a0 = VZERO(), a1 = VZERO(), a2 = VZERO();
			VT a3 = VZERO();

			for (k = 0; k < K; k++) {
				const float *o = out[k] + v;
				VT gk = VSET1(g[k]);

				a0 = VFMA(gk, VLOAD(o), a0);
				a1 = VFMA(gk, VLOAD(o + W), a1);
				a2 = VFMA(gk, VLOAD(o + 2 * W), a2);
				a3 = VFMA(gk, VLOAD(o + 3 * W), a3);
			}
			VSTORE(y + v, a0);
			VSTORE(y + v + W, a1);
			VSTORE(y + v + 2 * W, a2);
			VSTORE(y + v + 3 * W, a3);
		}
		for (; v < dp; v += W) {
			VT a0 = VZERO();

			for (k = 0; k < K; k++)
				a0 = VFMA(VSET1(g[k]), VLOAD(out[k] + v), a0);
			VSTORE(y + v, a0);
		}
	}
	for (k = 0; k < K; k++) {
		float *o = out[k];

		for (v = 0; v + 4 * W <= dp; v += 4 * W) {
			VT a0 = VLOAD(o + v), a1 = VLOAD(o + v + W);
			VT a2 = VLOAD(o + v + 2 * W), a3 = VLOAD(o + v + 3 * W);

			for (j = 0; j < B; j++) {
				const float *x = in[j] + v;
				VT gj = VSET1(G[j * K + k]);

				a0 = VFMA(gj, VLOAD(x), a0);
				a1 = VFMA(gj, VLOAD(x + W), a1);
				a2 = VFMA(gj, VLOAD(x + 2 * W), a2);
				a3 = VFMA(gj, VLOAD(x + 3 * W), a3);
			}
			VSTORE(o + v, a0);
			VSTORE(o + v + W, a1);
			VSTORE(o + v + 2 * W, a2);
			VSTORE(o + v + 3 * W, a3);
		}
		for (; v < dp; v += W) {
			VT a0 = VLOAD(o + v);

			for (j = 0; j < B; j++)
				a0 = VFMA(VSET1(G[j * K + k]), VLOAD(in[j] + v),
				    a0);
			VSTORE(o + v, a0);
		}
	}
}

ATTR static void
SFX(addto)(float *const *dst, size_t n, const float *src, size_t dp)
{
	size_t j, v;

	for (j = 0; j < n; j++) {
		float *y = dst[j];

		for (v = 0; v < dp; v += W)
			VSTORE(y + v, VADD(VLOAD(y + v), VLOAD(src + v)));
	}
}

ATTR static void
SFX(mean)(float *dst, float *const *src, size_t n, float scale, size_t dp)
{
	size_t j, v;
	VT s = VSET1(scale);

	/* 4 vectors at a time: four sums in flight, not one */
	for (v = 0; v + 4 * W <= dp; v += 4 * W) {
		VT a0 = VLOAD(src[0] + v), a1 = VLOAD(src[0] + v + W);
		VT a2 = VLOAD(src[0] + v + 2 * W), a3 = VLOAD(src[0] + v + 3 * W);

		for (j = 1; j < n; j++) {
			const float *x = src[j] + v;

			a0 = VADD(a0, VLOAD(x));
			a1 = VADD(a1, VLOAD(x + W));
			a2 = VADD(a2, VLOAD(x + 2 * W));
			a3 = VADD(a3, VLOAD(x + 3 * W));
		}
		VSTORE(dst + v, VMUL(a0, s));
		VSTORE(dst + v + W, VMUL(a1, s));
		VSTORE(dst + v + 2 * W, VMUL(a2, s));
		VSTORE(dst + v + 3 * W, VMUL(a3, s));
	}
	for (; v < dp; v += W) {
		VT a = VLOAD(src[0] + v);

		for (j = 1; j < n; j++)
			a = VADD(a, VLOAD(src[j] + v));
		VSTORE(dst + v, VMUL(a, s));
	}
}

/*
 * CBOW's backward step on columns [v, v + N W): nb = sum_k G[k] out[k],
 * out[k] += G[k] h, then in[j] += nb for each j < B.  N is a constant,
 * so the N vectors of nb and h stay in registers.
 */
#define CBOW_BACK(N) do {						\
	VT hv[N], a[N];							\
	size_t i_;							\
	_Pragma("GCC unroll 8")						\
	for (i_ = 0; i_ < (N); i_++) {					\
		hv[i_] = VLOAD(h + v + i_ * W);				\
		a[i_] = VZERO();					\
	}								\
	for (k = 0; k < K; k++) {					\
		float *o = out[k] + v;					\
		VT g = VSET1(G[k]);					\
		_Pragma("GCC unroll 8")					\
		for (i_ = 0; i_ < (N); i_++) {				\
			VT ov = VLOAD(o + i_ * W);			\
			a[i_] = VFMA(g, ov, a[i_]);			\
			VSTORE(o + i_ * W, VFMA(g, hv[i_], ov));	\
		}							\
	}								\
	for (j = 0; j < B; j++) {					\
		float *x = in[j] + v;					\
		_Pragma("GCC unroll 8")					\
		for (i_ = 0; i_ < (N); i_++)				\
			VSTORE(x + i_ * W, VADD(VLOAD(x + i_ * W), a[i_]));\
	}								\
	v += (N) * W;							\
} while (0)

ATTR static void
SFX(cbow_back)(float *const *in, size_t B, float *const *out, size_t K,
    const float *G, const float *h, size_t dp)
{
	size_t j, k, v = 0;

#if KERN_LEVEL == 2
	/* the last up to 8 vectors in one pass: d 100 is 7 */
	while (dp - v > 8 * W)
		CBOW_BACK(4);
	switch ((dp - v) / W) {
	case 8: CBOW_BACK(8); break;
	case 7: CBOW_BACK(7); break;
	case 6: CBOW_BACK(6); break;
	case 5: CBOW_BACK(5); break;
	case 4: CBOW_BACK(4); break;
	case 3: CBOW_BACK(3); break;
	case 2: CBOW_BACK(2); break;
	case 1: CBOW_BACK(1); break;
	}
#else
	/* 16 registers: 4 vectors of h and of nb at most */
	while (v + 4 * W <= dp)
		CBOW_BACK(4);
	if (v + 2 * W <= dp)
		CBOW_BACK(2);
	if (v < dp)
		CBOW_BACK(1);
#endif
}

ATTR static void
SFX(merge)(float *shared, float *rows, float *base, size_t n)
{
	size_t v;

	for (v = 0; v < n; v += W) {
		VT r = VLOAD(shared + v);

		r = VADD(r, VSUB(VLOAD(rows + v), VLOAD(base + v)));
		VSTORE(shared + v, r);
		VSTORE(rows + v, r);
		VSTORE(base + v, r);
	}
}

#undef CBOW_BACK
#undef SFX
#undef ATTR
#undef W
#undef VT
#undef VLOAD
#undef VSTORE
#undef VFMA
#undef VMUL
#undef VADD
#undef VSUB
#undef VSET1
#undef VZERO
#undef VHSUM
#undef VHSUM4

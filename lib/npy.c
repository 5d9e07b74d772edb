/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"
#include "le.h"
#include "npy.h"
#include "util.h"

#define NPY_MAXHEADER ((size_t)1 << 20)
#define NPY_MAXDIM ((size_t)1 << 20)	/* columns, as for word2vec files */
#define NPY_CHUNK ((size_t)1 << 20)	/* first read of Fortran data */

/* the value after 'key': in the header dict, or NULL */
static const char *
dict_value(const char *h, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "'%s'", key);
	if ((p = strstr(h, pat)) == NULL) {
		snprintf(pat, sizeof(pat), "\"%s\"", key);
		if ((p = strstr(h, pat)) == NULL)
			return NULL;
	}
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p != ':')
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	return p;
}

/* shape "(a, b)": the number of dimensions, at most 2 kept */
static int
parse_shape(const char *p, uint64_t *dim, int *ndim)
{
	*ndim = 0;
	if (*p++ != '(')
		return -1;
	for (;;) {
		uint64_t v = 0;
		int nd = 0;

		while (*p == ' ')
			p++;
		if (*p == ')')
			break;
		while (*p >= '0' && *p <= '9') {
			if (v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*p++ - '0');
			nd++;
		}
		while (*p == 'L' || *p == ' ')
			p++;
		if (nd == 0)
			return -1;
		if (*ndim < 2)
			dim[*ndim] = v;
		(*ndim)++;
		if (*p == ',')
			p++;
		else if (*p != ')')
			return -1;
	}
	return 0;
}

/* room for at least one more row, up to max rows in all */
static void
grow_rows(struct table *t, size_t *cap, size_t max)
{
	size_t c = *cap ? 2 * *cap : 1 + ((size_t)1 << 18) / t->d;
	float *nv;

	if (c > max)
		c = max;
	nv = xaligned(c * t->d * sizeof(float));
	if (*cap > 0)
		memcpy(nv, t->vec, *cap * t->d * sizeof(float));
	free(t->vec);
	t->vec = nv;
	*cap = c;
}

static void
swap_bytes(unsigned char *p, size_t n, size_t size)
{
	size_t i, j;

	for (i = 0; i < n; i++, p += size)
		for (j = 0; j < size / 2; j++) {
			unsigned char c = p[j];

			p[j] = p[size - 1 - j];
			p[size - 1 - j] = c;
		}
}

/* n values of the file's type at src (native byte order now) to float */
static void
to_f32(const unsigned char *src, size_t size, float *dst, size_t n)
{
	size_t i;

	if (size == 4)
		memcpy(dst, src, n * 4);
	else if (size == 2)
		dtype_to_f32(DT_F16, src, dst, n);
	else
		for (i = 0; i < n; i++) {
			double x;

			memcpy(&x, src + 8 * i, 8);
			dst[i] = (float)x;
		}
}

/* what the header says: element size, byte order, layout, shape */
struct npyhdr {
	size_t size;	/* bytes per value: 2, 4 or 8 */
	int swap;	/* big-endian values */
	int fortran;	/* column-major */
	size_t V, d;
	size_t n;	/* V * d values */
};

/* the header dict's values (the magic and lengths already read) */
static int
parse_dict(const char *h, struct npyhdr *hd, const char *name,
    struct emb_err *e)
{
	const char *v;
	uint64_t dim[2];
	int ndim;
	size_t bytes;

	if ((v = dict_value(h, "descr")) == NULL || (*v != '\'' && *v != '"'))
		goto bad;
	v++;
	if ((v[0] != '<' && v[0] != '>' && v[0] != '=' && v[0] != '|') ||
	    v[1] != 'f' || (v[2] != '2' && v[2] != '4' && v[2] != '8') ||
	    (v[3] != '\'' && v[3] != '"')) {
		err_set(e, name, 0, "unsupported .npy dtype \"%.*s\" "
		    "(float16, float32 or float64 only)", (int)strcspn(v, "'\"},"),
		    v);
		return -1;
	}
	hd->size = (size_t)(v[2] - '0');
	hd->swap = v[0] == '>';
	if ((v = dict_value(h, "fortran_order")) == NULL)
		goto bad;
	if (strncmp(v, "True", 4) == 0)
		hd->fortran = 1;
	else if (strncmp(v, "False", 5) == 0)
		hd->fortran = 0;
	else
		goto bad;
	if ((v = dict_value(h, "shape")) == NULL ||
	    parse_shape(v, dim, &ndim) < 0)
		goto bad;
	if (ndim != 2) {
		err_set(e, name, 0, "a %d-dimensional array; need a 2-D "
		    "matrix", ndim);
		return -1;
	}
	if (dim[0] > SIZE_MAX / 8 || dim[1] > SIZE_MAX / 8 || dim[1] == 0) {
		err_set(e, name, 0, "unsupported shape (%llu, %llu)",
		    (unsigned long long)dim[0], (unsigned long long)dim[1]);
		return -1;
	}
	hd->V = (size_t)dim[0];
	hd->d = (size_t)dim[1];
	if (hd->d > NPY_MAXDIM) {
		err_set(e, name, 0, "a shape of %zu columns (at most %zu)",
		    hd->d, NPY_MAXDIM);
		return -1;
	}
	/* the shape is a claim: storage grows with the data that arrives */
	if (size_mul(hd->V, hd->d, &hd->n) < 0 ||
	    size_mul(hd->n, sizeof(float), &bytes) < 0 ||
	    size_mul(hd->n, hd->size, &bytes) < 0) {
		err_set(e, name, 0, "array too large");
		return -1;
	}
	return 0;
bad:
	err_set(e, name, 0, "malformed .npy header");
	return -1;
}

/* magic, version, header length and header dict */
static int
read_header(struct src *s, struct npyhdr *hd, struct emb_err *e)
{
	unsigned char pre[12];
	size_t hlen;
	char *h;
	int r;

	if (src_read(s, pre, 10, e) != 0 || memcmp(pre, "\x93NUMPY", 6) != 0) {
		if (!s->err)
			err_set(e, s->name, 0, "not a .npy file");
		return -1;
	}
	if (pre[6] == 1)
		hlen = le_get16(pre + 8);
	else if (pre[6] == 2 || pre[6] == 3) {
		if (src_read(s, pre + 10, 2, e) != 0)
			goto trunc;
		hlen = le_get32(pre + 8);
	} else {
		err_set(e, s->name, 0, "unsupported .npy version %d.%d", pre[6],
		    pre[7]);
		return -1;
	}
	if (hlen > NPY_MAXHEADER) {
		err_set(e, s->name, 0, ".npy header of %zu bytes is too long",
		    hlen);
		return -1;
	}
	h = xmalloc(hlen + 1);
	if (src_read(s, h, hlen, e) != 0) {
		free(h);
		goto trunc;
	}
	h[hlen] = '\0';
	r = parse_dict(h, hd, s->name, e);
	free(h);
	return r;
trunc:
	if (!s->err)
		err_set(e, s->name, 0, "truncated .npy header");
	return -1;
}

/* column-major data: read it all, then transpose into t */
static int
read_fortran(struct table *t, struct src *s, const struct npyhdr *hd,
    struct emb_err *e)
{
	size_t total = hd->n * hd->size, got, chunk, bcap = 0, i, j;
	unsigned char *buf = NULL;

	if (total == 0)		/* no values: an empty table */
		return table_alloc(t, hd->V, hd->d, e);
	for (got = 0; got < total; got += chunk) {
		if (got == bcap) {
			bcap = bcap ? 2 * bcap : NPY_CHUNK;
			if (bcap > total)
				bcap = total;
			buf = xreallocarray(buf, bcap, 1);
		}
		chunk = bcap - got;
		if (src_read(s, buf + got, chunk, e) != 0) {
			if (!s->err)
				err_set(e, s->name, 0, "unexpected end of file "
				    "in the data (%zu values expected)", hd->n);
			goto fail;
		}
	}
	if (table_alloc(t, hd->V, hd->d, e) < 0)
		goto fail;
	if (hd->swap)
		swap_bytes(buf, hd->n, hd->size);
	for (j = 0; j < hd->d; j++)
		for (i = 0; i < hd->V; i++) {
			float x;

			to_f32(buf + (j * hd->V + i) * hd->size, hd->size, &x,
			    1);
			t->vec[i * hd->d + j] = x;
		}
	free(buf);
	return 0;
fail:
	free(buf);
	return -1;
}

/* the first want rows of row-major data into t, growing as they come */
static int
read_rows(struct table *t, struct src *s, const struct npyhdr *hd,
    size_t want, struct emb_err *e)
{
	size_t rowbytes = hd->d * hd->size, i, cap = 0;
	unsigned char *buf = xmalloc(rowbytes);

	free(t->vec);
	t->vec = NULL;
	t->V = 0;
	t->d = hd->d;
	for (i = 0; i < want; i++) {
		if (i == cap)
			grow_rows(t, &cap, want);
		if (src_read(s, buf, rowbytes, e) != 0) {
			if (!s->err)
				err_set(e, s->name, 0, "unexpected end of file "
				    "after row %zu (the shape says %zu)", i,
				    hd->V);
			free(buf);
			return -1;
		}
		if (hd->swap)
			swap_bytes(buf, hd->d, hd->size);
		to_f32(buf, hd->size, table_row(t, i), hd->d);
	}
	free(buf);
	if (t->vec == NULL)
		t->vec = xaligned(64);
	t->V = want;
	return 0;
}

int
npy_read(struct table *t, struct src *s, size_t limit, struct emb_err *e)
{
	struct npyhdr hd;
	long nonfinite;
	unsigned char c;

	if (read_header(s, &hd, e) < 0)
		return -1;
	if (hd.fortran) {
		if (read_fortran(t, s, &hd, e) < 0)
			return -1;
	} else if (read_rows(t, s, &hd, limit > 0 && limit < hd.V ? limit :
	    hd.V, e) < 0)
		return -1;
	if ((nonfinite = table_first_nonfinite(t)) >= 0) {
		err_set(e, s->name, 0, "row %ld: NaN or infinite value",
		    nonfinite + 1);
		return -1;
	}
	if (!hd.fortran && t->V == hd.V) {
		if (src_read(s, &c, 1, e) == 0) {
			err_set(e, s->name, 0, "data after the %zu rows the "
			    "shape announces", hd.V);
			return -1;
		}
		if (s->err)
			return -1;
	}
	if (hd.fortran && limit > 0 && limit < hd.V)
		t->V = limit;
	return 0;
}

int
npy_write(const struct table *t, FILE *f, const char *path, struct emb_err *e)
{
	char h[256];
	int n, pad;
	size_t total;

	n = snprintf(h, sizeof(h), "{'descr': '<f4', 'fortran_order': False, "
	    "'shape': (%zu, %zu), }", t->V, t->d);
	/* magic (6) + version (2) + length (2) + header + '\n' */
	total = 10 + (size_t)n + 1;
	pad = (int)((64 - total % 64) % 64);
	memset(h + n, ' ', (size_t)pad);
	n += pad;
	h[n++] = '\n';
	if (fwrite("\x93NUMPY\x01\x00", 1, 8, f) != 8 ||
	    putc(n & 0xff, f) == EOF || putc(n >> 8, f) == EOF ||
	    fwrite(h, 1, (size_t)n, f) != (size_t)n ||
	    fwrite(t->vec, sizeof(float), t->V * t->d, f) != t->V * t->d) {
		err_sys(e, path);
		return -1;
	}
	return 0;
}

/* See LICENSE file for copyright and license details. */
#ifndef EMB_DTYPE_H
#define EMB_DTYPE_H

#include <stddef.h>
#include <stdint.h>

enum dtype { DT_F32, DT_F16, DT_BF16 };

const char *dtype_name(enum dtype t);	/* "F32", "F16", "BF16" */
int dtype_byname(const char *s, enum dtype *t);
size_t dtype_size(enum dtype t);

float f16_to_f32(uint16_t h);
uint16_t f32_to_f16(float f);		/* round to nearest even */
float bf16_to_f32(uint16_t h);
uint16_t f32_to_bf16(float f);		/* round to nearest even */

/* convert n values of type t at src (any alignment) to float */
void dtype_to_f32(enum dtype t, const void *src, float *dst, size_t n);
void dtype_from_f32(enum dtype t, const float *src, void *dst, size_t n);

/* 1 if none of the n floats is NaN or infinite, else 0 */
int f32_finite(const float *v, size_t n);

#endif

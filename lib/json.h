/* See LICENSE file for copyright and license details. */
#ifndef EMB_JSON_H
#define EMB_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * JSON documents (RFC 8259): parse, walk, build, print.  The only module
 * that includes cJSON; everything else sees an opaque struct json, a node
 * of a parsed or built tree.  A tree is owned by its root: json_free(root)
 * frees every node, and no node outlives it.  Object members and array
 * elements keep document order.  Strings are NUL-terminated UTF-8 as
 * cJSON decodes them (a "\u0000" escape ends the string early).
 * Numbers are doubles: whole numbers are exact up to 2^53.
 */
struct json;

enum json_type {
	JSON_INVALID,		/* NULL node */
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/* parsing: NULL on error, e filled; the caller frees the root */

/*
 * Parse len bytes of buf (no NUL needed) as one JSON value followed only
 * by JSON whitespace.  name is the source for messages: a syntax error
 * reads "name:LINE: JSON syntax error at column COL" (LINE and COL count
 * from 1, COL in bytes), where cJSON stopped.  O(len).
 */
struct json *json_parse(const char *buf, size_t len, const char *name,
    struct emb_err *e);
/*
 * The same, but the value may be followed by anything: *used is where it
 * ends, for formats with their own rule for what follows (safetensors).
 */
struct json *json_parse_value(const char *buf, size_t len, const char *name,
    size_t *used, struct emb_err *e);
/*
 * Read the whole file at path and parse it into *root.  0 on success;
 * -1 when the file cannot be read, -2 when it is not JSON (e filled as by
 * json_parse); *root is NULL on failure.
 */
int json_load(struct json **root, const char *path, struct emb_err *e);
void json_free(struct json *root);

/* walking: each accepts NULL and answers "absent" */

enum json_type json_type(const struct json *j);
/* "object", "array", "string", "number", "true", "false", "null" */
const char *json_type_name(enum json_type t);
/* first member/element of an object or array, NULL if none or a scalar */
const struct json *json_first(const struct json *j);
/* the next sibling, NULL after the last */
const struct json *json_next(const struct json *j);
#define JSON_EACH(c, j) \
	for ((c) = json_first(j); (c) != NULL; (c) = json_next(c))
/* the member name of an object member, NULL for an array element */
const char *json_key(const struct json *j);
/* number of members/elements (O(n)); 0 for a scalar */
size_t json_size(const struct json *j);
/* member key of an object (exact match, O(members)), else NULL */
const struct json *json_get(const struct json *obj, const char *key);
/* element i of an array (O(i)), else NULL */
const struct json *json_at(const struct json *arr, size_t i);

/* scalars: the value, or NULL / -1 when j is not of that type */

const char *json_string(const struct json *j);
int json_number(const struct json *j, double *v);
/* a whole number in [0, 2^53] (sizes, offsets, IDs) */
int json_count(const struct json *j, uint64_t *v);
/* true or false: *v = 1 or 0 */
int json_bool(const struct json *j, int *v);

/* building: NULL / -1 only when memory runs out */

struct json *json_new_object(void);
/* add an empty object/array member named key to obj; returns it */
struct json *json_add_object(struct json *obj, const char *key);
struct json *json_add_array(struct json *obj, const char *key);
int json_add_string(struct json *obj, const char *key, const char *s);
/* append a number element to an array */
int json_push_number(struct json *arr, double v);
/* compact text with no spaces (cJSON_PrintUnformatted), malloc'd */
char *json_print(const struct json *j);

#endif

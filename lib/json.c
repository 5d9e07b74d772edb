/* See LICENSE file for copyright and license details. */
/* JSON through cJSON: the only file that includes it. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

/* struct json is never defined: a node is a cJSON in disguise */
#define CJ(j) ((const cJSON *)(const void *)(j))
#define MJ(j) ((cJSON *)(void *)(j))
#define J(c) ((struct json *)(void *)(c))

static int
json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "name:LINE: ... at column COL" for the byte at off */
static void
syntax_error(const char *buf, size_t len, size_t off, const char *what,
    const char *name, struct emb_err *e)
{
	size_t line = 1, col = 1, i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	err_set(e, name, line, "%s at column %zu", what, col);
}

struct json *
json_parse_value(const char *buf, size_t len, const char *name, size_t *used,
    struct emb_err *e)
{
	const char *end = NULL;
	cJSON *root;
	size_t off;

	if (len == 0) {
		err_set(e, name, 0, "empty, not JSON");
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	off = end != NULL && end >= buf ? (size_t)(end - buf) : 0;
	if (root == NULL) {
		syntax_error(buf, len, off, "JSON syntax error", name, e);
		return NULL;
	}
	*used = off;
	return J(root);
}

struct json *
json_parse(const char *buf, size_t len, const char *name, struct emb_err *e)
{
	struct json *root;
	size_t off;

	if ((root = json_parse_value(buf, len, name, &off, e)) == NULL)
		return NULL;
	while (off < len && json_space(buf[off]))
		off++;
	if (off < len) {
		syntax_error(buf, len, off, "JSON text after the value",
		    name, e);
		json_free(root);
		return NULL;
	}
	return root;
}

int
json_load(struct json **root, const char *path, struct emb_err *e)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	*root = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		err_sys(e, path);
		return -1;
	}
	for (;;) {
		size_t r;

		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			buf = xreallocarray(buf, cap, 1);
		}
		r = fread(buf + len, 1, cap - len, fp);
		len += r;
		if (r == 0)
			break;
	}
	if (ferror(fp)) {
		err_sys(e, path);
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	*root = json_parse(buf, len, path, e);
	free(buf);
	return *root != NULL ? 0 : -2;
}

void
json_free(struct json *root)
{
	cJSON_Delete(MJ(root));
}

enum json_type
json_type(const struct json *j)
{
	const cJSON *c = CJ(j);

	if (c == NULL)
		return JSON_INVALID;
	switch (c->type & 0xff) {
	case cJSON_NULL:
		return JSON_NULL;
	case cJSON_False:
		return JSON_FALSE;
	case cJSON_True:
		return JSON_TRUE;
	case cJSON_Number:
		return JSON_NUMBER;
	case cJSON_String:
		return JSON_STRING;
	case cJSON_Array:
		return JSON_ARRAY;
	case cJSON_Object:
		return JSON_OBJECT;
	default:
		return JSON_INVALID;
	}
}

const char *
json_type_name(enum json_type t)
{
	static const char *names[] = { "nothing", "null", "false", "true",
	    "number", "string", "array", "object" };

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ?
	    names[t] : "nothing";
}

const struct json *
json_first(const struct json *j)
{
	const cJSON *c = CJ(j);

	if (!cJSON_IsArray(c) && !cJSON_IsObject(c))
		return NULL;
	return J(c->child);
}

const struct json *
json_next(const struct json *j)
{
	return j != NULL ? J(CJ(j)->next) : NULL;
}

const char *
json_key(const struct json *j)
{
	return j != NULL ? CJ(j)->string : NULL;
}

size_t
json_size(const struct json *j)
{
	const struct json *c;
	size_t n = 0;

	JSON_EACH(c, j)
		n++;
	return n;
}

const struct json *
json_get(const struct json *obj, const char *key)
{
	if (!cJSON_IsObject(CJ(obj)))
		return NULL;
	return J(cJSON_GetObjectItemCaseSensitive(CJ(obj), key));
}

const struct json *
json_at(const struct json *arr, size_t i)
{
	const struct json *c;

	if (!cJSON_IsArray(CJ(arr)))
		return NULL;
	JSON_EACH(c, arr)
		if (i-- == 0)
			return c;
	return NULL;
}

const char *
json_string(const struct json *j)
{
	return cJSON_IsString(CJ(j)) ? CJ(j)->valuestring : NULL;
}

int
json_number(const struct json *j, double *v)
{
	if (!cJSON_IsNumber(CJ(j)))
		return -1;
	*v = CJ(j)->valuedouble;
	return 0;
}

int
json_count(const struct json *j, uint64_t *v)
{
	double d;

	if (json_number(j, &d) < 0)
		return -1;
	if (!(d >= 0) || d > 9007199254740992.0 || d != floor(d))
		return -1;
	*v = (uint64_t)d;
	return 0;
}

int
json_bool(const struct json *j, int *v)
{
	if (!cJSON_IsBool(CJ(j)))
		return -1;
	*v = cJSON_IsTrue(CJ(j)) ? 1 : 0;
	return 0;
}

struct json *
json_new_object(void)
{
	return J(cJSON_CreateObject());
}

struct json *
json_add_object(struct json *obj, const char *key)
{
	return J(cJSON_AddObjectToObject(MJ(obj), key));
}

struct json *
json_add_array(struct json *obj, const char *key)
{
	return J(cJSON_AddArrayToObject(MJ(obj), key));
}

int
json_add_string(struct json *obj, const char *key, const char *s)
{
	return cJSON_AddStringToObject(MJ(obj), key, s) != NULL ? 0 : -1;
}

int
json_push_number(struct json *arr, double v)
{
	cJSON *n = cJSON_CreateNumber(v);

	if (n == NULL)
		return -1;
	if (!cJSON_AddItemToArray(MJ(arr), n)) {
		cJSON_Delete(n);
		return -1;
	}
	return 0;
}

char *
json_print(const struct json *j)
{
	return cJSON_PrintUnformatted(CJ(j));
}

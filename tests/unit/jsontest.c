/* See LICENSE file for copyright and license details. */
/*
 * lib/json: walking a parsed document, whole-number checks, the messages
 * of syntax errors (line and column), text after the value, and a built
 * tree printed back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static int bad;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "jsontest: %s\n", what);
		bad++;
	}
}

static void
syntax(const char *text, const char *want)
{
	struct emb_err e;
	struct json *j;

	e.msg[0] = '\0';
	j = json_parse(text, strlen(text), "t.json", &e);
	check(j == NULL, text);
	if (strcmp(e.msg, want) != 0) {
		fprintf(stderr, "jsontest: %s: got \"%s\", want \"%s\"\n",
		    text, e.msg, want);
		bad++;
	}
	json_free(j);
}

static void
walk(void)
{
	static const char text[] = "{\"model\": {\"type\": \"BPE\", "
	    "\"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2},\n"
	    "\"merges\": [\"a b\", [\"a\", \"b\"]], \"dropout\": null,\n"
	    "\"fuse_unk\": false, \"scale\": 0.5, \"big\": 9007199254740994}} ";
	struct emb_err e;
	struct json *root = json_parse(text, strlen(text), "t.json", &e);
	const struct json *m, *c;
	uint64_t id, sum = 0;
	double x;
	int b = -1;
	char keys[16] = "";

	check(root != NULL, "valid document refused");
	m = json_get(root, "model");
	check(json_type(m) == JSON_OBJECT, "model is an object");
	check(strcmp(json_string(json_get(m, "type")), "BPE") == 0, "type");
	check(json_size(json_get(m, "vocab")) == 3, "vocab size");
	JSON_EACH(c, json_get(m, "vocab")) {
		check(json_count(c, &id) == 0, "id is a count");
		sum += id;
		strcat(keys, json_key(c));
	}
	check(sum == 3 && strcmp(keys, "abab") == 0, "vocab in order");
	c = json_get(m, "merges");
	check(json_type(c) == JSON_ARRAY && json_size(c) == 2, "merges");
	check(strcmp(json_string(json_at(c, 0)), "a b") == 0, "merge 0");
	check(json_key(json_at(c, 0)) == NULL, "array elements have no key");
	check(strcmp(json_string(json_at(json_at(c, 1), 1)), "b") == 0,
	    "merge 1 as a pair");
	check(json_at(c, 2) == NULL, "past the end");
	check(json_type(json_get(m, "dropout")) == JSON_NULL, "null");
	check(json_bool(json_get(m, "fuse_unk"), &b) == 0 && b == 0, "bool");
	check(json_number(json_get(m, "scale"), &x) == 0 && x == 0.5, "num");
	check(json_count(json_get(m, "scale"), &id) < 0, "0.5 no count");
	check(json_count(json_get(m, "big"), &id) < 0, "2^53 + 2 no count");
	check(json_string(json_get(m, "scale")) == NULL, "number no string");
	check(json_get(m, "absent") == NULL, "absent key");
	check(json_get(json_get(m, "merges"), "a") == NULL, "get on array");
	check(json_first(json_get(m, "type")) == NULL, "scalar no children");
	check(json_type(NULL) == JSON_INVALID, "NULL node");
	check(strcmp(json_type_name(JSON_OBJECT), "object") == 0, "name");
	json_free(root);
}

static void
build(void)
{
	struct json *root = json_new_object(), *o, *a;
	char *text;

	o = json_add_object(root, "t");
	check(o != NULL && json_add_string(o, "dtype", "F32") == 0, "add");
	a = json_add_array(o, "shape");
	check(json_push_number(a, 3) == 0 && json_push_number(a, 5) == 0,
	    "push");
	text = json_print(root);
	check(text != NULL &&
	    strcmp(text, "{\"t\":{\"dtype\":\"F32\",\"shape\":[3,5]}}") == 0,
	    "printed text");
	free(text);
	json_free(root);
}

int
main(void)
{
	struct emb_err e;
	struct json *j;

	walk();
	build();
	syntax("{\"a\": 1,\n \"b\": ]}", "t.json:2: JSON syntax error at "
	    "column 7");
	syntax("[1, 2]\n\n  x", "t.json:3: JSON text after the value at "
	    "column 3");
	syntax("", "t.json: empty, not JSON");
	/* cJSON stops inside the string it could not end */
	syntax("{\"a\": \"unterminated", "t.json:1: JSON syntax error at "
	    "column 8");
	/* a length, not a NUL, ends the text */
	j = json_parse("{}xyz", 2, "t.json", &e);
	check(json_type(j) == JSON_OBJECT && json_size(j) == 0, "length");
	json_free(j);
	check(json_load(&j, "/nonexistent/t.json", &e) == -1 && j == NULL,
	    "missing file is -1");
	if (bad == 0)
		printf("jsontest: ok\n");
	return bad != 0;
}

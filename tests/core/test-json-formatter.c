/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

#include "sonde-json-formatter.h"

#define SINK_CHUNK_MAX (64 * 1024)

static void
append_output_cb (const char *text,
                  gsize       length,
                  gpointer    user_data)
{
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpuint (length, <=, SINK_CHUNK_MAX);
  g_string_append_len (user_data, text, length);
}

/* Feeds INPUT in chunks of CHUNK bytes (0: random sizes from 1 to 300); returns the output,
 * or NULL with ERROR set. */
static char *
format_in_chunks (const char  *input,
                  gsize        length,
                  guint        indent,
                  gsize        chunk,
                  GError     **error)
{
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(SondeJsonFormatter) formatter = sonde_json_formatter_new (indent, append_output_cb, output);
  gsize done = 0;

  while (done < length)
    {
      gsize count = chunk > 0 ? chunk : (gsize) g_test_rand_int_range (1, 300);

      count = MIN (count, length - done);
      if (!sonde_json_formatter_feed (formatter, input + done, count, error))
        return NULL;
      done += count;
    }
  if (!sonde_json_formatter_finish (formatter, error))
    return NULL;
  g_assert_cmpuint (sonde_json_formatter_get_offset (formatter), ==, length);

  return g_string_free (g_steal_pointer (&output), FALSE);
}

static void
assert_formats_len (const char *input,
                    gsize       length,
                    guint       indent,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *whole = format_in_chunks (input, length, indent, length + 1, &error);
  g_autofree char *bytewise = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (whole, ==, expected);
  bytewise = format_in_chunks (input, length, indent, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bytewise, ==, expected);
}

static void
assert_formats (const char *input,
                guint       indent,
                const char *expected)
{
  assert_formats_len (input, strlen (input), indent, expected);
}

static void
test_objects_and_arrays (void)
{
  assert_formats ("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}", 2,
                  "{\n"
                  "  \"a\": 1,\n"
                  "  \"b\": [\n"
                  "    true,\n"
                  "    false,\n"
                  "    null\n"
                  "  ],\n"
                  "  \"c\": {\n"
                  "    \"d\": \"e\"\n"
                  "  }\n"
                  "}");
  /* Existing layout is thrown away. */
  assert_formats (" \t\r\n{ \"a\" :\n[ 1 ,2\t] , \"b\"\r\n: { } }\n\n ", 4,
                  "{\n"
                  "    \"a\": [\n"
                  "        1,\n"
                  "        2\n"
                  "    ],\n"
                  "    \"b\": {}\n"
                  "}");
  assert_formats ("[[1,[2,[3]]],{\"k\":[{\"l\":null}]}]", 1,
                  "[\n"
                  " [\n"
                  "  1,\n"
                  "  [\n"
                  "   2,\n"
                  "   [\n"
                  "    3\n"
                  "   ]\n"
                  "  ]\n"
                  " ],\n"
                  " {\n"
                  "  \"k\": [\n"
                  "   {\n"
                  "    \"l\": null\n"
                  "   }\n"
                  "  ]\n"
                  " }\n"
                  "]");
  /* Duplicate keys are not the formatter's business. */
  assert_formats ("{\"a\":1,\"a\":2}", 2, "{\n  \"a\": 1,\n  \"a\": 2\n}");
}

static void
test_empty_containers (void)
{
  assert_formats ("{}", 2, "{}");
  assert_formats ("[ ]", 2, "[]");
  assert_formats ("{ \n\t }", 2, "{}");
  assert_formats ("[{},[],{\"a\":[]},[[{}]],{\"b\":{}}]", 2,
                  "[\n"
                  "  {},\n"
                  "  [],\n"
                  "  {\n"
                  "    \"a\": []\n"
                  "  },\n"
                  "  [\n"
                  "    [\n"
                  "      {}\n"
                  "    ]\n"
                  "  ],\n"
                  "  {\n"
                  "    \"b\": {}\n"
                  "  }\n"
                  "]");
}

static void
test_scalars (void)
{
  assert_formats ("\"text\"", 2, "\"text\"");
  assert_formats ("  42 \n", 2, "42");
  assert_formats ("true", 2, "true");
  assert_formats ("false", 2, "false");
  assert_formats ("null", 2, "null");
  assert_formats ("\"\"", 2, "\"\"");
}

static void
test_numbers (void)
{
  /* Copied verbatim: no reformatting, no precision loss. */
  assert_formats ("[0,-0,1.5,-0.25,1e5,1E-5,-12.34e+56,0.0e0,123456789012345678901234567890.5]", 0,
                  "[0,-0,1.5,-0.25,1e5,1E-5,-12.34e+56,0.0e0,123456789012345678901234567890.5]");
  assert_formats ("-7", 2, "-7");
  assert_formats ("0", 2, "0");
  assert_formats ("1.25E+3", 2, "1.25E+3");
  assert_formats ("{\"n\":10}", 2, "{\n  \"n\": 10\n}");
}

static void
test_strings (void)
{
  /* Escapes are kept as written. */
  assert_formats ("[\"\\u00e9\\uD83D\\uDE00\\u00E9\",\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", 2,
                  "[\n"
                  "  \"\\u00e9\\uD83D\\uDE00\\u00E9\",\n"
                  "  \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"\n"
                  "]");
  /* Structural characters inside strings are just text. */
  assert_formats ("{\"{[:,]}\":\"}],:{[\"}", 2, "{\n  \"{[:,]}\": \"}],:{[\"\n}");
  /* UTF-8 passes through, and so do bytes that are not UTF-8 (not validated), and DEL. */
  assert_formats ("{\"clé\":\"héllo 😀 日本\"}", 2, "{\n  \"clé\": \"héllo 😀 日本\"\n}");
  assert_formats ("\"\xff\xfe\xc3\x7f\"", 2, "\"\xff\xfe\xc3\x7f\"");
}

static void
test_compact_and_bom (void)
{
  assert_formats ("{ \"a\" : [ 1 , { } , [ ] , \"x\" ] ,\n \"b\" : null }", 0,
                  "{\"a\":[1,{},[],\"x\"],\"b\":null}");
  /* A UTF-8 byte order mark is dropped, and column 1 follows it. */
  assert_formats ("\xef\xbb\xbf[1]", 0, "[1]");
  assert_formats ("\xef\xbb\xbf \"a\"", 2, "\"a\"");
}

typedef struct
{
  const char *input;
  int         code;
  const char *message;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  /* Structure */
  { "{\"a\" 1}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “:” after an object key at line 1, column 6 (byte 5)" },
  { "{\n  \"a\": 1,\n  \"b\" 2\n}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “:” after an object key at line 3, column 7 (byte 18)" },
  { "{\r\n\"é😀\"  x}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “:” after an object key at line 2, column 7 (byte 13)" },
  { "[1,]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value after “,” at line 1, column 4 (byte 3)" },
  { "{\"a\":1,}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a string key after “,” at line 1, column 8 (byte 7)" },
  { "{,}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a string key or “}” at line 1, column 2 (byte 1)" },
  { "{1:2}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a string key or “}” at line 1, column 2 (byte 1)" },
  { "[}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value or “]” at line 1, column 2 (byte 1)" },
  { "{\"a\":}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value after “:” at line 1, column 6 (byte 5)" },
  { "[1 2]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “,” or “]” after an array element at line 1, column 4 (byte 3)" },
  { "{\"a\":1]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “,” or “}” after an object member at line 1, column 7 (byte 6)" },
  { "{\"a\":1 \"b\":2}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “,” or “}” after an object member at line 1, column 8 (byte 7)" },
  { "]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value at line 1, column 1 (byte 0)" },
  { "\xef\xbb{}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value at line 1, column 1 (byte 2)" },
  /* A second top-level value (JSON Lines is not JSON) */
  { "{} {}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected the end of the document after the top-level value at line 1, column 4 (byte 3)" },
  { "1\n2", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected the end of the document after the top-level value at line 2, column 1 (byte 2)" },
  { "\"a\"\"b\"", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected the end of the document after the top-level value at line 1, column 4 (byte 3)" },
  { "truex", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected the end of the document after the top-level value at line 1, column 5 (byte 4)" },
  /* Literals */
  { "[tru]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “true” at line 1, column 5 (byte 4)" },
  { "[nulL]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “null” at line 1, column 5 (byte 4)" },
  { "{\"a\": False}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value after “:” at line 1, column 7 (byte 6)" },
  { "fals", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected “false”, but the document ends at line 1, column 5 (byte 4)" },
  /* Numbers */
  { "01", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Leading zeros are not allowed in numbers at line 1, column 2 (byte 1)" },
  { "[-00]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Leading zeros are not allowed in numbers at line 1, column 4 (byte 3)" },
  { "[1.]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a digit after the decimal point at line 1, column 4 (byte 3)" },
  { "1.", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected a digit after the decimal point, but the document ends at line 1, column 3 (byte 2)" },
  { "[.5]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value or “]” at line 1, column 2 (byte 1)" },
  { "+1", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a value at line 1, column 1 (byte 0)" },
  { "[-a]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a digit after “-” at line 1, column 3 (byte 2)" },
  { "[1e]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a digit in the exponent at line 1, column 4 (byte 3)" },
  { "[1E+]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a digit in the exponent at line 1, column 5 (byte 4)" },
  { "[1.5.3]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “,” or “]” after an array element at line 1, column 5 (byte 4)" },
  { "[0x1F]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected “,” or “]” after an array element at line 1, column 3 (byte 2)" },
  /* Strings */
  { "[\"abc", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected the closing “\"” of a string, but the document ends at line 1, column 6 (byte 5)" },
  { "\"abc\ndef\"", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Unescaped control character in a string at line 1, column 5 (byte 4)" },
  { "\"é\x01\"", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Unescaped control character in a string at line 1, column 3 (byte 3)" },
  { "[\"a\tb\"]", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Unescaped control character in a string at line 1, column 4 (byte 3)" },
  { "\"\\x\"", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected one of “\"\\/bfnrtu” after “\\” in a string at line 1, column 3 (byte 2)" },
  { "\"\\u12G4\"", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected four hexadecimal digits after “\\u” in a string at line 1, column 6 (byte 5)" },
  { "\"\\u12\"", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected four hexadecimal digits after “\\u” in a string at line 1, column 6 (byte 5)" },
  { "{'a':1}", SONDE_JSON_FORMATTER_ERROR_INVALID,
    "Expected a string key or “}” at line 1, column 2 (byte 1)" },
  /* Truncated documents */
  { "", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected a value, but the document ends at line 1, column 1 (byte 0)" },
  { "  \n ", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected a value, but the document ends at line 2, column 2 (byte 4)" },
  { "{\"a\":1", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected “,” or “}” after an object member, but the document ends at line 1, column 7 (byte 6)" },
  { "[1,", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected a value after “,”, but the document ends at line 1, column 4 (byte 3)" },
  { "{\"a\"", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected “:” after an object key, but the document ends at line 1, column 5 (byte 4)" },
  { "[[]", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected “,” or “]” after an array element, but the document ends at line 1, column 4 (byte 3)" },
  { "{", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected a string key or “}”, but the document ends at line 1, column 2 (byte 1)" },
  { "\"\\", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected one of “\"\\/bfnrtu” after “\\” in a string, but the document ends at line 1, column 3 (byte 2)" },
  { "-", SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
    "Expected a digit after “-”, but the document ends at line 1, column 2 (byte 1)" },
};

static void
test_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      const InvalidCase *test = &invalid_cases[i];
      gsize length = strlen (test->input);
      g_autoptr(GError) whole_error = NULL;
      g_autoptr(GError) bytewise_error = NULL;
      g_autofree char *whole = NULL;
      g_autofree char *bytewise = NULL;
      g_autofree char *escaped = g_strescape (test->input, NULL);

      g_test_message ("input: %s", escaped);
      whole = format_in_chunks (test->input, length, 2, length + 1, &whole_error);
      g_assert_null (whole);
      g_assert_error (whole_error, SONDE_JSON_FORMATTER_ERROR, test->code);
      g_assert_cmpstr (whole_error->message, ==, test->message);

      bytewise = format_in_chunks (test->input, length, 2, 1, &bytewise_error);
      g_assert_null (bytewise);
      g_assert_error (bytewise_error, SONDE_JSON_FORMATTER_ERROR, test->code);
      g_assert_cmpstr (bytewise_error->message, ==, test->message);
    }
}

/* Everything before the error is emitted; the formatter then keeps failing the same way. */
static void
test_error_keeps_output (void)
{
  const char *input = "{\"a\":[1,2],\"b\" 3}";
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(SondeJsonFormatter) formatter = sonde_json_formatter_new (2, append_output_cb, output);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  g_autoptr(GError) at_finish = NULL;

  g_assert_true (sonde_json_formatter_feed (formatter, NULL, 0, &error));
  g_assert_false (sonde_json_formatter_feed (formatter, input, strlen (input), &error));
  g_assert_error (error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_INVALID);
  g_assert_cmpuint (sonde_json_formatter_get_offset (formatter), ==, 15);
  g_assert_cmpstr (output->str, ==, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\"");

  g_assert_false (sonde_json_formatter_feed (formatter, "}", 1, &again));
  g_assert_error (again, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_INVALID);
  g_assert_cmpstr (again->message, ==, error->message);
  g_assert_false (sonde_json_formatter_finish (formatter, &at_finish));
  g_assert_cmpstr (at_finish->message, ==, error->message);
}

static void
test_format_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = sonde_json_format_string ("[1,{\"a\":\"b\"}]", -1, 2, &error);
  g_autofree char *prefix = NULL;
  g_autofree char *invalid = NULL;
  g_autofree char *empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (formatted, ==, "[\n  1,\n  {\n    \"a\": \"b\"\n  }\n]");

  /* An explicit length: the rest of the buffer is not read. */
  prefix = sonde_json_format_string ("[1] garbage", 3, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefix, ==, "[\n  1\n]");

  /* A NUL inside the given length is an error, not an end. */
  invalid = sonde_json_format_string ("[1]\0", 4, 2, &error);
  g_assert_null (invalid);
  g_assert_error (error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing at all is an incomplete document. */
  empty = sonde_json_format_string (NULL, 0, 2, &error);
  g_assert_null (empty);
  g_assert_error (error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_TRUNCATED);
}

static void
test_deep_nesting (void)
{
  const gsize max_depth = 10000;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *too_deep = NULL;
  g_autofree char *very_deep = NULL;
  char *open;

  /* 10000 levels are fine, alternating objects and arrays. */
  for (gsize i = 0; i < max_depth; i++)
    g_string_append (deep, i % 2 == 0 ? "{\"k\":" : "[");
  g_string_append (deep, "0");
  for (gsize i = max_depth; i > 0; i--)
    g_string_append_c (deep, (i - 1) % 2 == 0 ? '}' : ']');
  formatted = sonde_json_format_string (deep->str, deep->len, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (formatted, ==, deep->str);

  /* One more is too deep, reported at the bracket that opens it. */
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  too_deep = sonde_json_format_string (deep->str, deep->len, 2, &error);
  g_assert_null (too_deep);
  g_assert_error (error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "Nesting deeper than 10000 levels at line 1, column 30001 (byte 30000)");
  g_clear_error (&error);

  /* 100000 never gets near the stack limit: the formatter does not recurse. */
  open = g_strnfill (100000, '[');
  very_deep = sonde_json_format_string (open, -1, 2, &error);
  g_free (open);
  g_assert_null (very_deep);
  g_assert_error (error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_TOO_DEEP);
  g_assert_true (g_str_has_suffix (error->message, "(byte 10000)"));
}

/* Indentation at depth, with the pretty layout, against a layout built independently. */
static void
test_indentation_depth (void)
{
  const guint depth = 300;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;

  for (guint i = 0; i < depth; i++)
    {
      g_string_append (input, "{\"k\":[");
      g_string_append_printf (expected, "{\n%*s\"k\": [\n%*s", (int) (3 * (2 * i + 1)), "", (int) (3 * (2 * i + 2)), "");
    }
  g_string_append (input, "1");
  g_string_append (expected, "1");
  for (guint i = depth; i > 0; i--)
    {
      g_string_append (input, "]}");
      g_string_append_printf (expected, "\n%*s]\n%*s}", (int) (3 * (2 * i - 1)), "", (int) (3 * (2 * i - 2)), "");
    }

  formatted = format_in_chunks (input->str, input->len, 3, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (formatted, ==, expected->str);
}

typedef struct
{
  gsize   received;       /* bytes of output so far */
  gsize   calls;
  gsize   string_length;
  gboolean matches;
} HugeOutput;

/* The expected output is {\n  "big": "<pattern>"\n}; compared as it arrives, never stored. */
static char
huge_expected_byte (HugeOutput *state,
                    gsize       at)
{
  static const char head[] = "{\n  \"big\": \"";
  static const char tail[] = "\"\n}";
  gsize head_length = sizeof head - 1;

  if (at < head_length)
    return head[at];
  at -= head_length;
  if (at < state->string_length)
    return "abcdefghij\\\"klmno é"[at % 20];
  return tail[at - state->string_length];
}

static void
huge_output_cb (const char *text,
                gsize       length,
                gpointer    user_data)
{
  HugeOutput *state = user_data;

  g_assert_cmpuint (length, <=, SINK_CHUNK_MAX);
  for (gsize i = 0; i < length && state->matches; i++)
    if (text[i] != huge_expected_byte (state, state->received + i))
      state->matches = FALSE;
  state->received += length;
  state->calls++;
}

static void
test_huge_string (void)
{
  const gsize string_length = 20 * 1024 * 1024;
  const gsize chunk = 4096;
  HugeOutput state = { 0, 0, string_length, TRUE };
  g_autoptr(SondeJsonFormatter) formatter = sonde_json_formatter_new (2, huge_output_cb, &state);
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gsize fed = 0;

  g_assert_true (sonde_json_formatter_feed (formatter, "{\"big\":\"", 8, &error));
  while (fed < string_length)
    {
      gsize count = MIN (chunk, string_length - fed);

      for (gsize i = 0; i < count; i++)
        buffer[i] = "abcdefghij\\\"klmno é"[(fed + i) % 20];
      g_assert_true (sonde_json_formatter_feed (formatter, buffer, count, &error));
      fed += count;

      /* The string is streamed: output never lags the input by more than the buffer. */
      g_assert_cmpuint (state.received + SINK_CHUNK_MAX, >=, 8 + fed);
    }
  g_assert_true (sonde_json_formatter_feed (formatter, "\"}", 2, &error));
  g_assert_true (sonde_json_formatter_finish (formatter, &error));
  g_assert_no_error (error);

  g_assert_true (state.matches);
  g_assert_cmpuint (state.received, ==, 12 + string_length + 3);
  /* Large chunks, not one call per character. */
  g_assert_cmpuint (state.calls, <=, state.received / SINK_CHUNK_MAX + 1);
}

/* A document with every kind of token, more than one output buffer long. */
static GString *
mixed_document_new (void)
{
  GString *document = g_string_new ("\xef\xbb\xbf {\"users\": [");

  for (guint i = 0; i < 1500; i++)
    g_string_append_printf (document,
                            "%s{ \"id\":%u,\"name\" : \"User \\\"%u\\\" é\\u00e9\\uD83D\\uDE00\","
                            "\"score\":-%u.%ue+%u, \"ratio\":0.%u,\"active\":%s,\"manager\":null,"
                            "\"tags\":[\"a\\/b\",\"\\\\\",[],{}],\r\n\t\"address\":{\"city\":\"Zürich\","
                            "\"zip\":\"800%u\",\"geo\":[47.37E-0,8.54e1]}}",
                            i == 0 ? "" : ",\n  ", i, i, i, i % 7, i % 3, i, i % 2 ? "true" : "false",
                            i % 10);
  g_string_append (document, "], \"total\": 1500, \"next\": null, \"empty\": {}}\n");
  return document;
}

static void
test_chunk_boundaries (void)
{
  g_autoptr(GString) document = mixed_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *whole = NULL;

  g_assert_cmpuint (document->len, >, 2 * SINK_CHUNK_MAX);
  whole = format_in_chunks (document->str, document->len, 2, document->len, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (whole, "{\n  \"users\": [\n    {\n      \"id\": 0,\n"
                                          "      \"name\": \"User \\\"0\\\" é\\u00e9\\uD83D\\uDE00\",\n"));
  g_assert_true (g_str_has_suffix (whole, "  ],\n  \"total\": 1500,\n  \"next\": null,\n  \"empty\": {}\n}"));

  for (gsize chunk = 1; chunk <= 8; chunk++)
    {
      g_autofree char *chunked = format_in_chunks (document->str, document->len, 2, chunk, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (chunked, ==, whole);
    }
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *chunked = format_in_chunks (document->str, document->len, 2, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (chunked, ==, whole);
    }
}

/* The same error, at the same place, however the input is cut. */
static void
test_chunk_boundaries_error (void)
{
  g_autoptr(GString) document = mixed_document_new ();
  g_autoptr(GError) whole_error = NULL;
  const char *tag = strstr (document->str + 100000, "\"active\":");
  g_autofree char *whole = NULL;

  g_assert_nonnull (tag);
  document->str[tag - document->str + strlen ("\"active\":")] = 'T';
  whole = format_in_chunks (document->str, document->len, 2, document->len, &whole_error);
  g_assert_null (whole);
  g_assert_error (whole_error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (whole_error->message, "Expected a value after “:” at line "));

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *chunked = format_in_chunks (document->str, document->len, 2,
                                                   round == 0 ? 1 : 0, &error);

      g_assert_null (chunked);
      g_assert_cmpstr (error->message, ==, whole_error->message);
    }
}

typedef struct
{
  gboolean  done;
  gboolean  result;
  GError   *error;
} AsyncResult;

static void
format_stream_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncResult *async = user_data;

  g_assert_null (object);
  async->result = sonde_json_format_stream_finish (result, &async->error);
  async->done = TRUE;
}

static GBytes *
format_memory_stream (GBytes        *input_bytes,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (input_bytes);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  AsyncResult async = { 0, };

  sonde_json_format_stream_async (input, output, 2, cancellable, format_stream_cb, &async);
  while (!async.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_output_stream_close (output, NULL, NULL));
  if (!async.result)
    {
      g_propagate_error (error, async.error);
      return NULL;
    }
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

static void
test_stream (void)
{
  g_autoptr(GString) document = mixed_document_new ();
  gsize length = document->len;
  g_autoptr(GBytes) input = g_bytes_new_take (g_string_free (g_steal_pointer (&document), FALSE), length);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = sonde_json_format_string (g_bytes_get_data (input, NULL), length, 2, &error);
  g_autoptr(GBytes) output = NULL;

  g_assert_no_error (error);
  output = format_memory_stream (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (output, NULL), g_bytes_get_size (output), expected, strlen (expected));
}

static void
test_stream_invalid (void)
{
  g_autoptr(GBytes) input = g_bytes_new_static ("[1, 2,, 3]", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) output = format_memory_stream (input, NULL, &error);

  g_assert_null (output);
  g_assert_error (error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Expected a value after “,” at line 1, column 7 (byte 6)");
}

static void
test_stream_cancelled_before (void)
{
  g_autoptr(GBytes) input = g_bytes_new_static ("[1]", 3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) output = NULL;

  g_cancellable_cancel (cancellable);
  output = format_memory_stream (input, cancellable, &error);
  g_assert_null (output);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* The input stalls halfway (a slow server): cancelling wakes the blocked worker. */
static void
test_stream_cancelled_while_reading (void)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult async = { 0, };
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "[1, 2, ", 7), ==, 7);
  input = g_unix_input_stream_new (fds[0], TRUE);

  sonde_json_format_stream_async (input, output, 2, cancellable, format_stream_cb, &async);
  g_timeout_add (50, cancel_cb, cancellable);
  while (!async.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (async.result);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&async.error);
  close (fds[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json-formatter/format/objects-and-arrays", test_objects_and_arrays);
  g_test_add_func ("/json-formatter/format/empty-containers", test_empty_containers);
  g_test_add_func ("/json-formatter/format/scalars", test_scalars);
  g_test_add_func ("/json-formatter/format/numbers", test_numbers);
  g_test_add_func ("/json-formatter/format/strings", test_strings);
  g_test_add_func ("/json-formatter/format/compact-and-bom", test_compact_and_bom);
  g_test_add_func ("/json-formatter/format/indentation-depth", test_indentation_depth);
  g_test_add_func ("/json-formatter/format/string", test_format_string);
  g_test_add_func ("/json-formatter/errors/invalid", test_invalid);
  g_test_add_func ("/json-formatter/errors/keeps-output", test_error_keeps_output);
  g_test_add_func ("/json-formatter/limits/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-formatter/limits/huge-string", test_huge_string);
  g_test_add_func ("/json-formatter/chunks/boundaries", test_chunk_boundaries);
  g_test_add_func ("/json-formatter/chunks/boundaries-error", test_chunk_boundaries_error);
  g_test_add_func ("/json-formatter/stream/memory", test_stream);
  g_test_add_func ("/json-formatter/stream/invalid", test_stream_invalid);
  g_test_add_func ("/json-formatter/stream/cancelled-before", test_stream_cancelled_before);
  g_test_add_func ("/json-formatter/stream/cancelled-while-reading", test_stream_cancelled_while_reading);

  return g_test_run ();
}

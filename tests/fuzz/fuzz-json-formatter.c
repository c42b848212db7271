/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The streaming JSON formatter on arbitrary bytes. Properties:
 *  - the same output, result, error and offset whether the input comes whole, in two
 *    chunks split at a point derived from the input, or (small inputs) one byte at a time;
 *  - formatting is idempotent: formatting the output again gives it back, and the
 *    output is accepted at any indentation;
 *  - what the formatter accepts, json-glib accepts too, and the output parses to the same
 *    tree as the input.
 *
 * The json-glib cross-check is one-way (json-glib accepts non-RFC input, such as
 * comments, single quotes and bare words, which the formatter rightly rejects), and skips
 * input where the formatter knowingly goes further than json-glib 1.6:
 *  - invalid UTF-8 inside strings (documented: the formatter does not validate it);
 *  - a leading byte order mark (dropped by the formatter);
 *  - \u escapes of UTF-16 surrogates: RFC 8259 allows lone ones, json-glib does not
 *    ("\udc00" is an "unterminated string constant");
 *  - deep nesting, where json-glib's recursive parser would use up the stack. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sonde-core.h"
#include "fuzz-common.h"

#define MAX_BYTEWISE_SIZE   1024
#define MAX_CROSSCHECK_DEPTH 200

typedef struct
{
  gboolean  ok;
  GString  *output;
  GError   *error;
  guint64   offset;
} Result;

static void
result_clear (Result *result)
{
  g_string_free (result->output, TRUE);
  g_clear_error (&result->error);
}

static void
append_output (const char *text,
               gsize       length,
               gpointer    user_data)
{
  fuzz_check (length > 0);
  g_string_append_len (user_data, text, length);
}

/* Feeds DATA in pieces of STEP bytes (0: whole), then finishes. */
static Result
format (const guint8 *data,
        gsize         size,
        gsize         split,
        gsize         step,
        guint         indent)
{
  Result result = { FALSE, g_string_new (NULL), NULL, 0 };
  g_autoptr(SondeJsonFormatter) formatter = sonde_json_formatter_new (indent, append_output,
                                                                      result.output);
  gboolean ok = TRUE;

  if (step > 0)
    {
      for (gsize i = 0; ok && i < size; i += step)
        ok = sonde_json_formatter_feed (formatter, (const char *) data + i, MIN (step, size - i),
                                        &result.error);
    }
  else
    {
      ok = sonde_json_formatter_feed (formatter, (const char *) data, split, &result.error);
      if (ok)
        ok = sonde_json_formatter_feed (formatter, (const char *) data + split, size - split,
                                        &result.error);
    }
  if (ok)
    ok = sonde_json_formatter_finish (formatter, &result.error);

  fuzz_check (ok == (result.error == NULL));
  if (!ok)
    fuzz_check (result.error->domain == SONDE_JSON_FORMATTER_ERROR);
  result.ok = ok;
  result.offset = sonde_json_formatter_get_offset (formatter);
  return result;
}

static void
check_same (const Result *expected,
            const Result *actual,
            const char   *how)
{
  if (expected->ok != actual->ok ||
      expected->offset != actual->offset ||
      !g_string_equal (expected->output, actual->output) ||
      (!expected->ok && (expected->error->code != actual->error->code ||
                         strcmp (expected->error->message, actual->error->message) != 0)))
    g_error ("Fed %s, the formatter differs: %s/%s, offset %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
             ", error “%s”/“%s”, output of %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT " bytes",
             how, expected->ok ? "ok" : "failed", actual->ok ? "ok" : "failed",
             expected->offset, actual->offset,
             expected->error ? expected->error->message : "", actual->error ? actual->error->message : "",
             expected->output->len, actual->output->len);
}

static gboolean
json_glib_can_compare (const guint8 *data,
                       gsize         size)
{
  guint depth = 0;
  guint max_depth = 0;
  gboolean in_string = FALSE;

  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return FALSE;
  if (!g_utf8_validate ((const char *) data, size, NULL))
    return FALSE;

  for (gsize i = 0; i < size; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\' && i + 1 < size)
            {
              /* Surrogate escapes, paired or not: see above. */
              if (data[i + 1] == 'u' && i + 2 < size && g_ascii_tolower (data[i + 2]) == 'd')
                return FALSE;
              i++;
            }
          else if (data[i] == '"')
            in_string = FALSE;
        }
      else if (data[i] == '"')
        in_string = TRUE;
      else if (data[i] == '[' || data[i] == '{')
        max_depth = MAX (max_depth, ++depth);
      else if (data[i] == ']' || data[i] == '}')
        depth--;
    }

  return max_depth <= MAX_CROSSCHECK_DEPTH;
}

static JsonNode *
parse_with_json_glib (const char *data,
                      gsize       size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, data, size, &error))
    g_error ("json-glib rejects what the formatter accepts: %s", error->message);
  fuzz_check (json_parser_get_root (parser) != NULL);
  return json_node_ref (json_parser_get_root (parser));
}

static void
check_with_json_glib (const guint8 *data,
                      gsize         size,
                      const Result *formatted)
{
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) output = NULL;

  if (!json_glib_can_compare (data, size))
    return;

  input = parse_with_json_glib ((const char *) data, size);
  output = parse_with_json_glib (formatted->output->str, formatted->output->len);
  if (!json_node_equal (input, output))
    g_error ("The formatted document is not the same JSON as the input");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The split point and the indentation come from the input, so a replay is exact. */
  guint hash = 5381;
  gsize split;
  guint indent;
  Result whole;
  Result chunked;

  fuzz_init_once ();

  for (gsize i = 0; i < size; i++)
    hash = hash * 33 + data[i];
  split = size > 0 ? hash % (size + 1) : 0;
  indent = (hash >> 16) % 5;

  whole = format (data, size, size, 0, indent);

  chunked = format (data, size, split, 0, indent);
  check_same (&whole, &chunked, "in two chunks");
  result_clear (&chunked);

  if (size <= MAX_BYTEWISE_SIZE)
    {
      Result bytewise = format (data, size, 0, 1, indent);

      check_same (&whole, &bytewise, "byte by byte");
      result_clear (&bytewise);
    }

  if (whole.ok)
    {
      GString *output = whole.output;
      Result again = format ((const guint8 *) output->str, output->len, output->len, 0, indent);
      Result other = format ((const guint8 *) output->str, output->len, output->len, 0, (indent + 2) % 5);

      if (!again.ok || !g_string_equal (output, again.output))
        g_error ("Formatting is not idempotent: %s", again.ok ? "the output differs" : again.error->message);
      fuzz_check (other.ok);
      result_clear (&again);
      result_clear (&other);

      check_with_json_glib (data, size, &whole);
    }

  result_clear (&whole);
  return 0;
}

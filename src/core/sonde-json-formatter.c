/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-json-formatter"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sonde-json-formatter.h"

#define OUTPUT_BUFFER_SIZE (64 * 1024)
#define READ_CHUNK_SIZE    (64 * 1024)
#define MAX_DEPTH          10000

G_DEFINE_QUARK (sonde-json-formatter-error-quark, sonde_json_formatter_error)

typedef enum
{
  STATE_START,                /* nothing seen yet: an optional byte order mark, then a value */
  STATE_BOM,
  STATE_VALUE,                /* at the top level, after “:”, after “,” in an array */
  STATE_FIRST_ELEMENT,        /* after “[”: a value or “]” */
  STATE_FIRST_MEMBER,         /* after “{”: a key or “}” */
  STATE_KEY,                  /* after “,” in an object */
  STATE_COLON,
  STATE_AFTER_VALUE,          /* in a container: “,” or its closing bracket */
  STATE_END,                  /* after the top-level value: whitespace only */
  STATE_STRING,
  STATE_STRING_ESCAPE,
  STATE_STRING_UNICODE,
  STATE_NUMBER_MINUS,
  STATE_NUMBER_ZERO,
  STATE_NUMBER_INTEGER,
  STATE_NUMBER_POINT,
  STATE_NUMBER_FRACTION,
  STATE_NUMBER_EXPONENT_MARK,
  STATE_NUMBER_EXPONENT_SIGN,
  STATE_NUMBER_EXPONENT,
  STATE_LITERAL,
  STATE_FAILED,
  STATE_FINISHED,
} State;

struct _SondeJsonFormatter
{
  SondeJsonSink  sink;
  gpointer       user_data;
  guint          indent;

  /* Parser state: one partial token and one bit per open container */
  State          state;
  gboolean       in_key;               /* the string being scanned is an object key */
  guint          matched;              /* \uXXXX digits, literal or BOM bytes seen so far */
  const char    *literal;              /* "true", "false" or "null" while matching one */
  guint          depth;
  guint8         containers[MAX_DEPTH / 8 + 1];   /* bit set: object, clear: array */

  /* Where the next byte is, for get_offset () and error messages */
  guint64        offset;
  guint64        line;
  guint64        line_start;
  guint64        line_continuation_bytes; /* so that columns count characters, not bytes */

  GError        *error;                /* the first error, returned again by later calls */

  gsize          out_length;
  char           out[OUTPUT_BUFFER_SIZE];
};

/* Bytes copied as they are inside strings: printable ASCII but “"” and “\”, and everything
 * from 0x80 (2 for UTF-8 continuation bytes, which do not start a character). UTF-8 is not
 * validated. */
static const guint8 string_byte_class[256] = {
  /* 0x00 - 0x1f: control characters must be escaped */
  [0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x80 - 0xbf */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  /* 0xc0 - 0xff */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline gboolean
is_digit (guchar c)
{
  return c >= '0' && c <= '9';
}

static void
flush_output (SondeJsonFormatter *self)
{
  if (self->out_length > 0 && self->sink != NULL)
    self->sink (self->out, self->out_length, self->user_data);
  self->out_length = 0;
}

static inline void
emit_byte (SondeJsonFormatter *self,
           char                c)
{
  if (G_UNLIKELY (self->out_length == OUTPUT_BUFFER_SIZE))
    flush_output (self);
  self->out[self->out_length++] = c;
}

static inline void
emit_bytes (SondeJsonFormatter *self,
            const void         *data,
            gsize               length)
{
  const char *bytes = data;

  while (length > 0)
    {
      gsize room = OUTPUT_BUFFER_SIZE - self->out_length;
      gsize count;

      if (room == 0)
        {
          flush_output (self);
          room = OUTPUT_BUFFER_SIZE;
        }
      count = MIN (length, room);
      memcpy (self->out + self->out_length, bytes, count);
      self->out_length += count;
      bytes += count;
      length -= count;
    }
}

/* A line break and the indentation of the current depth; nothing in compact mode. */
static void
emit_line_break (SondeJsonFormatter *self)
{
  gsize spaces = (gsize) self->depth * self->indent;

  if (self->indent == 0)
    return;

  emit_byte (self, '\n');
  while (spaces > 0)
    {
      gsize room = OUTPUT_BUFFER_SIZE - self->out_length;
      gsize count;

      if (room == 0)
        {
          flush_output (self);
          room = OUTPUT_BUFFER_SIZE;
        }
      count = MIN (spaces, room);
      memset (self->out + self->out_length, ' ', count);
      self->out_length += count;
      spaces -= count;
    }
}

static inline gboolean
in_object (SondeJsonFormatter *self)
{
  guint level = self->depth - 1;

  return self->depth > 0 && (self->containers[level / 8] & (1u << (level % 8))) != 0;
}

static void
end_value (SondeJsonFormatter *self)
{
  self->state = self->depth == 0 ? STATE_END : STATE_AFTER_VALUE;
}

/* What the parser wants next, as the start of an error message. */
static char *
describe_expected (SondeJsonFormatter *self)
{
  switch (self->state)
    {
    case STATE_START:
    case STATE_BOM:
      return g_strdup (_("Expected a value"));
    case STATE_VALUE:
      if (self->depth == 0)
        return g_strdup (_("Expected a value"));
      else if (in_object (self))
        return g_strdup (_("Expected a value after “:”"));
      else
        return g_strdup (_("Expected a value after “,”"));
    case STATE_FIRST_ELEMENT:
      return g_strdup (_("Expected a value or “]”"));
    case STATE_FIRST_MEMBER:
      return g_strdup (_("Expected a string key or “}”"));
    case STATE_KEY:
      return g_strdup (_("Expected a string key after “,”"));
    case STATE_COLON:
      return g_strdup (_("Expected “:” after an object key"));
    case STATE_AFTER_VALUE:
      if (in_object (self))
        return g_strdup (_("Expected “,” or “}” after an object member"));
      else
        return g_strdup (_("Expected “,” or “]” after an array element"));
    case STATE_END:
      return g_strdup (_("Expected the end of the document after the top-level value"));
    case STATE_STRING:
      return g_strdup (_("Expected the closing “\"” of a string"));
    case STATE_STRING_ESCAPE:
      return g_strdup (_("Expected one of “\"\\/bfnrtu” after “\\” in a string"));
    case STATE_STRING_UNICODE:
      return g_strdup (_("Expected four hexadecimal digits after “\\u” in a string"));
    case STATE_NUMBER_MINUS:
      return g_strdup (_("Expected a digit after “-”"));
    case STATE_NUMBER_POINT:
      return g_strdup (_("Expected a digit after the decimal point"));
    case STATE_NUMBER_EXPONENT_MARK:
    case STATE_NUMBER_EXPONENT_SIGN:
      return g_strdup (_("Expected a digit in the exponent"));
    case STATE_LITERAL:
      return g_strdup_printf (_("Expected “%s”"), self->literal);
    case STATE_NUMBER_ZERO:
    case STATE_NUMBER_INTEGER:
    case STATE_NUMBER_FRACTION:
    case STATE_NUMBER_EXPONENT:
    case STATE_FAILED:
    case STATE_FINISHED:
    default:
      g_assert_not_reached ();
    }
}

/* Records the error at byte POSITION (on the current line), flushes what was formatted
 * before it and stops the formatter. MESSAGE NULL means “what was expected”. */
static gboolean
fail_at (SondeJsonFormatter  *self,
         int                  code,
         guint64              position,
         const char          *message,
         GError             **error)
{
  g_autofree char *expected = message == NULL ? describe_expected (self) : NULL;
  const char *what = message != NULL ? message : expected;
  unsigned long long line = self->line;
  unsigned long long column = position - self->line_start - self->line_continuation_bytes + 1;

  if (code == SONDE_JSON_FORMATTER_ERROR_TRUNCATED)
    self->error = g_error_new (SONDE_JSON_FORMATTER_ERROR, code,
                               /* Translators: %s is a sentence such as “Expected “:” after an object key” */
                               _("%s, but the document ends at line %llu, column %llu (byte %llu)"),
                               what, line, column, (unsigned long long) position);
  else
    self->error = g_error_new (SONDE_JSON_FORMATTER_ERROR, code,
                               /* Translators: %s is a sentence such as “Expected “:” after an object key” */
                               _("%s at line %llu, column %llu (byte %llu)"),
                               what, line, column, (unsigned long long) position);

  self->offset = position;
  self->state = STATE_FAILED;
  flush_output (self);
  if (error != NULL)
    *error = g_error_copy (self->error);
  return FALSE;
}

static gboolean
push_container (SondeJsonFormatter  *self,
                gboolean             object,
                guint64              position,
                GError             **error)
{
  g_autofree char *message = NULL;
  guint level = self->depth;

  if (self->depth == MAX_DEPTH)
    {
      message = g_strdup_printf (_("Nesting deeper than %d levels"), MAX_DEPTH);
      return fail_at (self, SONDE_JSON_FORMATTER_ERROR_TOO_DEEP, position, message, error);
    }

  if (object)
    self->containers[level / 8] |= 1u << (level % 8);
  else
    self->containers[level / 8] &= ~(1u << (level % 8));
  self->depth++;
  emit_byte (self, object ? '{' : '[');
  self->state = object ? STATE_FIRST_MEMBER : STATE_FIRST_ELEMENT;
  return TRUE;
}

static void
pop_container (SondeJsonFormatter *self)
{
  gboolean empty = self->state == STATE_FIRST_MEMBER || self->state == STATE_FIRST_ELEMENT;
  char bracket = in_object (self) ? '}' : ']';

  self->depth--;
  if (!empty)
    emit_line_break (self);
  emit_byte (self, bracket);
  end_value (self);
}

/* C is the first byte of a value. */
static gboolean
begin_value (SondeJsonFormatter  *self,
             guchar               c,
             guint64              position,
             GError             **error)
{
  switch (c)
    {
    case '{':
    case '[':
      return push_container (self, c == '{', position, error);
    case '"':
      self->in_key = FALSE;
      self->state = STATE_STRING;
      break;
    case '-':
      self->state = STATE_NUMBER_MINUS;
      break;
    case '0':
      self->state = STATE_NUMBER_ZERO;
      break;
    case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
      self->state = STATE_NUMBER_INTEGER;
      break;
    case 't':
    case 'f':
    case 'n':
      /* Literals are emitted whole once matched. */
      self->literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
      self->matched = 1;
      self->state = STATE_LITERAL;
      return TRUE;
    default:
      return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, position, NULL, error);
    }

  emit_byte (self, c);
  return TRUE;
}

SondeJsonFormatter *
sonde_json_formatter_new (guint         indent,
                          SondeJsonSink sink,
                          gpointer      user_data)
{
  SondeJsonFormatter *self = g_new0 (SondeJsonFormatter, 1);

  self->indent = indent;
  self->sink = sink;
  self->user_data = user_data;
  self->state = STATE_START;
  self->line = 1;
  return self;
}

void
sonde_json_formatter_free (SondeJsonFormatter *self)
{
  if (self == NULL)
    return;

  g_clear_error (&self->error);
  g_free (self);
}

guint64
sonde_json_formatter_get_offset (SondeJsonFormatter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->offset;
}

void
sonde_json_formatter_flush (SondeJsonFormatter *self)
{
  g_return_if_fail (self != NULL);

  flush_output (self);
}

#define POSITION() (self->offset + (guint64) (p - start))

/* Skips JSON whitespace, counting lines; returns the first other byte or END. */
static inline const guchar *
skip_whitespace (SondeJsonFormatter *self,
                 const guchar       *start,
                 const guchar       *p,
                 const guchar       *end)
{
  for (; p < end; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r')
        continue;
      if (*p != '\n')
        break;
      self->line++;
      self->line_start = POSITION () + 1;
      self->line_continuation_bytes = 0;
    }
  return p;
}

/* Copies string content up to the next quote, backslash or control character. */
static inline const guchar *
scan_string (SondeJsonFormatter *self,
             const guchar       *p,
             const guchar       *end)
{
  const guchar *run = p;
  guint64 continuation_bytes = 0;
  guint byte_class;

  while (p < end && (byte_class = string_byte_class[*p]) != 0)
    {
      continuation_bytes += byte_class >> 1;
      p++;
    }
  self->line_continuation_bytes += continuation_bytes;
  emit_bytes (self, run, p - run);
  return p;
}

/* Copies the digits at P. */
static inline const guchar *
scan_digits (SondeJsonFormatter *self,
             const guchar       *p,
             const guchar       *end)
{
  const guchar *run = p;

  while (p < end && is_digit (*p))
    p++;
  emit_bytes (self, run, p - run);
  return p;
}

gboolean
sonde_json_formatter_feed (SondeJsonFormatter  *self,
                           const char          *data,
                           gsize                length,
                           GError             **error)
{
  const guchar *start = (const guchar *) data;
  const guchar *p = start;
  const guchar *end;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (self->state != STATE_FINISHED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == STATE_FAILED)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  if (length == 0)
    return TRUE;

  end = start + length;

  while (p < end)
    {
      guchar c;

      switch (self->state)
        {
        case STATE_START:
          if (*p == 0xef)
            {
              self->state = STATE_BOM;
              self->matched = 0;
            }
          else
            self->state = STATE_VALUE;
          break;

        case STATE_BOM:
          /* The byte order mark is one character, invisible in editors: column 1 follows it. */
          if (*p != (guchar) "\xef\xbb\xbf"[self->matched])
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          p++;
          self->line_continuation_bytes++;
          if (++self->matched == 3)
            self->state = STATE_VALUE;
          break;

        case STATE_VALUE:
        case STATE_FIRST_ELEMENT:
          p = skip_whitespace (self, start, p, end);
          if (p == end)
            break;
          c = *p;
          if (self->state == STATE_FIRST_ELEMENT)
            {
              if (c == ']')
                {
                  pop_container (self);
                  p++;
                  break;
                }
              emit_line_break (self);
            }
          if (!begin_value (self, c, POSITION (), error))
            return FALSE;
          p++;
          break;

        case STATE_FIRST_MEMBER:
        case STATE_KEY:
          p = skip_whitespace (self, start, p, end);
          if (p == end)
            break;
          c = *p;
          if (c == '}' && self->state == STATE_FIRST_MEMBER)
            pop_container (self);
          else if (c == '"')
            {
              if (self->state == STATE_FIRST_MEMBER)
                emit_line_break (self);
              emit_byte (self, '"');
              self->in_key = TRUE;
              self->state = STATE_STRING;
            }
          else
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          p++;
          break;

        case STATE_COLON:
          p = skip_whitespace (self, start, p, end);
          if (p == end)
            break;
          if (*p != ':')
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          if (self->indent > 0)
            emit_bytes (self, ": ", 2);
          else
            emit_byte (self, ':');
          self->state = STATE_VALUE;
          p++;
          break;

        case STATE_AFTER_VALUE:
          p = skip_whitespace (self, start, p, end);
          if (p == end)
            break;
          c = *p;
          if (c == ',')
            {
              emit_byte (self, ',');
              emit_line_break (self);
              self->state = in_object (self) ? STATE_KEY : STATE_VALUE;
            }
          else if (c == (in_object (self) ? '}' : ']'))
            pop_container (self);
          else
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          p++;
          break;

        case STATE_END:
          p = skip_whitespace (self, start, p, end);
          if (p < end)
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          break;

        case STATE_STRING:
          p = scan_string (self, p, end);
          if (p == end)
            break;
          c = *p;
          if (c == '"')
            {
              emit_byte (self, '"');
              if (self->in_key)
                self->state = STATE_COLON;
              else
                end_value (self);
            }
          else if (c == '\\')
            {
              emit_byte (self, '\\');
              self->state = STATE_STRING_ESCAPE;
            }
          else
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (),
                            _("Unescaped control character in a string"), error);
          p++;
          break;

        case STATE_STRING_ESCAPE:
          c = *p;
          if (c == 'u')
            {
              self->matched = 0;
              self->state = STATE_STRING_UNICODE;
            }
          else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n'
                   || c == 'r' || c == 't')
            self->state = STATE_STRING;
          else
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          emit_byte (self, c);
          p++;
          break;

        case STATE_STRING_UNICODE:
          c = *p;
          if (!g_ascii_isxdigit (c))
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          emit_byte (self, c);
          if (++self->matched == 4)
            self->state = STATE_STRING;
          p++;
          break;

        case STATE_NUMBER_MINUS:
          c = *p;
          if (!is_digit (c))
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          emit_byte (self, c);
          self->state = c == '0' ? STATE_NUMBER_ZERO : STATE_NUMBER_INTEGER;
          p++;
          break;

        case STATE_NUMBER_ZERO:
        case STATE_NUMBER_INTEGER:
          if (self->state == STATE_NUMBER_INTEGER)
            p = scan_digits (self, p, end);
          if (p == end)
            break;
          c = *p;
          if (is_digit (c))
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (),
                            _("Leading zeros are not allowed in numbers"), error);
          if (c == '.')
            self->state = STATE_NUMBER_POINT;
          else if (c == 'e' || c == 'E')
            self->state = STATE_NUMBER_EXPONENT_MARK;
          else
            {
              /* The number ended: C belongs to what follows. */
              end_value (self);
              break;
            }
          emit_byte (self, c);
          p++;
          break;

        case STATE_NUMBER_POINT:
          if (!is_digit (*p))
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          self->state = STATE_NUMBER_FRACTION;
          break;

        case STATE_NUMBER_FRACTION:
          p = scan_digits (self, p, end);
          if (p == end)
            break;
          c = *p;
          if (c == 'e' || c == 'E')
            {
              emit_byte (self, c);
              self->state = STATE_NUMBER_EXPONENT_MARK;
              p++;
            }
          else
            end_value (self);
          break;

        case STATE_NUMBER_EXPONENT_MARK:
          c = *p;
          if (c == '+' || c == '-')
            {
              emit_byte (self, c);
              self->state = STATE_NUMBER_EXPONENT_SIGN;
              p++;
            }
          else if (is_digit (c))
            self->state = STATE_NUMBER_EXPONENT;
          else
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          break;

        case STATE_NUMBER_EXPONENT_SIGN:
          if (!is_digit (*p))
            return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          self->state = STATE_NUMBER_EXPONENT;
          break;

        case STATE_NUMBER_EXPONENT:
          p = scan_digits (self, p, end);
          if (p < end)
            end_value (self);
          break;

        case STATE_LITERAL:
          for (; p < end && self->literal[self->matched] != '\0'; p++, self->matched++)
            if (*p != (guchar) self->literal[self->matched])
              return fail_at (self, SONDE_JSON_FORMATTER_ERROR_INVALID, POSITION (), NULL, error);
          if (self->literal[self->matched] == '\0')
            {
              emit_bytes (self, self->literal, self->matched);
              end_value (self);
            }
          break;

        case STATE_FAILED:
        case STATE_FINISHED:
        default:
          g_assert_not_reached ();
        }
    }

  self->offset += length;
  return TRUE;
}

gboolean
sonde_json_formatter_finish (SondeJsonFormatter  *self,
                             GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->state != STATE_FINISHED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == STATE_FAILED)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  /* A number ends where the input does. */
  if (self->state == STATE_NUMBER_ZERO || self->state == STATE_NUMBER_INTEGER
      || self->state == STATE_NUMBER_FRACTION || self->state == STATE_NUMBER_EXPONENT)
    end_value (self);

  if (self->state != STATE_END)
    return fail_at (self, SONDE_JSON_FORMATTER_ERROR_TRUNCATED, self->offset, NULL, error);

  flush_output (self);
  self->state = STATE_FINISHED;
  return TRUE;
}

static void
append_to_string (const char *text,
                  gsize       length,
                  gpointer    user_data)
{
  g_string_append_len (user_data, text, length);
}

char *
sonde_json_format_string (const char  *json,
                          gssize       length,
                          guint        indent,
                          GError     **error)
{
  g_autoptr(SondeJsonFormatter) formatter = NULL;
  g_autoptr(GString) output = NULL;

  g_return_val_if_fail (json != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (json);

  output = g_string_sized_new (length + length / 2 + 1);
  formatter = sonde_json_formatter_new (indent, append_to_string, output);
  if (!sonde_json_formatter_feed (formatter, json, length, error)
      || !sonde_json_formatter_finish (formatter, error))
    return NULL;

  return g_string_free (g_steal_pointer (&output), FALSE);
}

typedef struct
{
  GInputStream  *input;
  GOutputStream *output;
  guint          indent;
  GCancellable  *cancellable;   /* borrowed from the task */
  GError        *write_error;   /* the first write error; later output is dropped */
} FormatStreamData;

static void
format_stream_data_free (FormatStreamData *data)
{
  g_clear_object (&data->input);
  g_clear_object (&data->output);
  g_clear_error (&data->write_error);
  g_free (data);
}

static void
write_to_output_stream (const char *text,
                        gsize       length,
                        gpointer    user_data)
{
  FormatStreamData *data = user_data;

  if (data->write_error == NULL)
    g_output_stream_write_all (data->output, text, length, NULL, data->cancellable,
                               &data->write_error);
}

static gboolean
format_stream (FormatStreamData  *data,
               GError           **error)
{
  g_autoptr(SondeJsonFormatter) formatter = NULL;
  g_autofree char *buffer = g_malloc (READ_CHUNK_SIZE);
  gboolean formatted;

  formatter = sonde_json_formatter_new (data->indent, write_to_output_stream, data);
  for (;;)
    {
      gssize count = g_input_stream_read (data->input, buffer, READ_CHUNK_SIZE,
                                          data->cancellable, error);

      if (count < 0)
        return FALSE;
      if (count == 0)
        break;

      formatted = sonde_json_formatter_feed (formatter, buffer, count, error);
      /* A failed write (a cancellation, say) explains more than the JSON error after it. */
      if (data->write_error != NULL)
        {
          g_clear_error (error);
          g_propagate_error (error, g_steal_pointer (&data->write_error));
          return FALSE;
        }
      if (!formatted)
        return FALSE;
    }

  formatted = sonde_json_formatter_finish (formatter, error);
  if (data->write_error != NULL)
    {
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&data->write_error));
      return FALSE;
    }

  return formatted && g_output_stream_flush (data->output, data->cancellable, error);
}

static void
format_stream_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  FormatStreamData *data = task_data;
  GError *error = NULL;

  data->cancellable = cancellable;
  if (format_stream (data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sonde_json_format_stream_async:
 *
 * Reads INPUT in 64 KiB chunks in a worker thread and writes the formatted document to
 * OUTPUT. Neither stream is closed. On an error, OUTPUT holds everything formatted before
 * it. Cancelling stops at the next read or write with %G_IO_ERROR_CANCELLED.
 */
void
sonde_json_format_stream_async (GInputStream        *input,
                                GOutputStream       *output,
                                guint                indent,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FormatStreamData *data;

  g_return_if_fail (G_IS_INPUT_STREAM (input));
  g_return_if_fail (G_IS_OUTPUT_STREAM (output));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (FormatStreamData, 1);
  data->input = g_object_ref (input);
  data->output = g_object_ref (output);
  data->indent = indent;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_json_format_stream_async);
  g_task_set_task_data (task, data, (GDestroyNotify) format_stream_data_free);
  g_task_run_in_thread (task, format_stream_thread);
}

gboolean
sonde_json_format_stream_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sonde_json_format_stream_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-event-stream"

/* Server-Sent Events and NDJSON, split as they arrive (docs/architecture.md, "Streaming
 * responses"). Lines end in CRLF, LF or CR; a CR at the end of a chunk may be half of a
 * CRLF, so it waits for the next byte. A line longer than 1 MiB is cut there: a stream that
 * never ends a line must not fill memory. */

#include "config.h"

#include <string.h>

#include "sonde-event-stream.h"

#define MAX_LINE (1024 * 1024)

struct _SondeEventStream
{
  gboolean ndjson;
  GString *line;
  gboolean after_cr;     /* the last byte was a CR: a LF now is the same line end */
  gboolean line_full;    /* over MAX_LINE: the rest of the line is dropped */
  GString *data;         /* the event being built */
  char    *event;
  char    *id;           /* the last event ID, kept across events as the standard says */
  gboolean has_data;
  gboolean first_line;   /* a BOM may start the stream */
};

SondeEventStream *
sonde_event_stream_new (gboolean ndjson)
{
  SondeEventStream *self = g_new0 (SondeEventStream, 1);

  self->ndjson = ndjson;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->first_line = TRUE;
  return self;
}

void
sonde_event_stream_free (SondeEventStream *self)
{
  if (self == NULL)
    return;
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_free (self->event);
  g_free (self->id);
  g_free (self);
}

static void
dispatch (SondeEventStream     *self,
          SondeServerEventFunc  func,
          gpointer              user_data)
{
  SondeServerEvent event = { self->event, self->id, NULL };

  if (self->has_data)
    {
      /* The last data line's newline is not part of the data */
      if (self->data->len > 0 && self->data->str[self->data->len - 1] == '\n')
        g_string_truncate (self->data, self->data->len - 1);
      event.data = self->data->str;
      func (&event, user_data);
    }
  g_string_truncate (self->data, 0);
  g_clear_pointer (&self->event, g_free);
  self->has_data = FALSE;
}

static void
process_line (SondeEventStream     *self,
              SondeServerEventFunc  func,
              gpointer              user_data)
{
  const char *line = self->line->str;
  const char *colon;
  g_autofree char *field = NULL;
  const char *value;

  if (self->first_line && g_str_has_prefix (line, "\xEF\xBB\xBF"))
    line += 3;
  self->first_line = FALSE;

  if (self->ndjson)
    {
      SondeServerEvent event = { NULL, NULL, (char *) line };

      if (line[0] != '\0')
        func (&event, user_data);
      return;
    }

  if (line[0] == '\0')
    {
      dispatch (self, func, user_data);
      return;
    }
  if (line[0] == ':')
    return;  /* a comment, often a keep-alive */

  colon = strchr (line, ':');
  if (colon != NULL)
    {
      field = g_strndup (line, colon - line);
      value = colon + 1;
      if (*value == ' ')
        value++;
    }
  else
    {
      field = g_strdup (line);
      value = "";
    }

  if (g_str_equal (field, "data"))
    {
      g_string_append (self->data, value);
      g_string_append_c (self->data, '\n');
      self->has_data = TRUE;
    }
  else if (g_str_equal (field, "event"))
    {
      g_free (self->event);
      self->event = g_strdup (value);
    }
  else if (g_str_equal (field, "id"))
    {
      g_free (self->id);
      self->id = g_strdup (value);
    }
  /* "retry" and unknown fields change nothing shown */
}

void
sonde_event_stream_feed (SondeEventStream     *self,
                         const char           *data,
                         gsize                 length,
                         SondeServerEventFunc  func,
                         gpointer              user_data)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (c == '\n')
            continue;
        }
      if (c == '\r' || c == '\n')
        {
          self->after_cr = c == '\r';
          process_line (self, func, user_data);
          g_string_truncate (self->line, 0);
          self->line_full = FALSE;
          continue;
        }
      if (self->line->len < MAX_LINE)
        g_string_append_c (self->line, c);
      else
        self->line_full = TRUE;
    }
}

void
sonde_event_stream_finish (SondeEventStream     *self,
                           SondeServerEventFunc  func,
                           gpointer              user_data)
{
  if (self->ndjson && self->line->len > 0)
    process_line (self, func, user_data);
  g_string_truncate (self->line, 0);
}

gboolean
sonde_event_stream_type (const char *content_type,
                         gboolean   *ndjson)
{
  gboolean lines = g_strcmp0 (content_type, "application/x-ndjson") == 0 ||
                   g_strcmp0 (content_type, "application/ndjson") == 0 ||
                   g_strcmp0 (content_type, "application/jsonl") == 0 ||
                   g_strcmp0 (content_type, "application/x-jsonlines") == 0;

  if (ndjson != NULL)
    *ndjson = lines;
  return lines || g_strcmp0 (content_type, "text/event-stream") == 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-multipart-stream"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-multipart-stream.h"

#define SNIFF_SIZE 4096

/* libsoup pulls 8 KiB at a time (GLib's splice buffer); files are read in bigger blocks
 * so a gigabyte costs thousands of read () calls rather than a hundred thousand. */
#define FILE_BLOCK_SIZE (256 * 1024)

/* The body is a list of segments: bytes built up front (boundaries, part headers, text
 * values) and files read as libsoup pulls. */
typedef struct
{
  GBytes  *bytes;  /* or: */
  GFile   *file;
  guint64  length;
} Segment;

struct _SondeMultipartStream
{
  GInputStream      parent_instance;

  char             *boundary;   /* NULL: a bare file, no multipart framing */
  GPtrArray        *segments;   /* Segment* */
  gboolean          finished;   /* the closing boundary is in "segments" */
  guint64           length;

  /* Reading state */
  guint             segment_index;
  guint64           segment_offset;
  GFileInputStream *file_stream;
  guint8           *block;      /* FILE_BLOCK_SIZE bytes read ahead from file_stream */
  gsize             block_start;
  gsize             block_end;
};

static void sonde_multipart_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

/* Pollable, and always readable: local files are read in place, so GIO's async reads
 * (and libsoup's splice of the request body) need no worker thread per chunk. */
G_DEFINE_FINAL_TYPE_WITH_CODE (SondeMultipartStream, sonde_multipart_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      sonde_multipart_stream_pollable_iface_init))

static void
segment_free (Segment *segment)
{
  g_clear_pointer (&segment->bytes, g_bytes_unref);
  g_clear_object (&segment->file);
  g_free (segment);
}

static void
append_segment (SondeMultipartStream *self,
                GBytes               *bytes,
                GFile                *file,
                guint64               length)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->bytes = bytes;
  segment->file = file;
  segment->length = length;
  g_ptr_array_add (self->segments, segment);
  self->length += length;
}

static void
append_string (SondeMultipartStream *self,
               GString              *string)
{
  gsize length = string->len;

  append_segment (self, g_string_free_to_bytes (string), NULL, length);
}

/* RFC 7578 §4.2 leaves escaping to the HTML5 rules: quote, CR and LF are percent-encoded. */
static void
append_quoted (GString    *string,
               const char *value)
{
  g_string_append_c (string, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append (string, "%22");
      else if (*p == '\r')
        g_string_append (string, "%0D");
      else if (*p == '\n')
        g_string_append (string, "%0A");
      else
        g_string_append_c (string, *p);
    }
  g_string_append_c (string, '"');
}

static GString *
part_header_new (SondeMultipartStream *self,
                 const char           *name,
                 const char           *filename,
                 const char           *content_type)
{
  GString *header = g_string_new (NULL);

  /* Each part but the first starts after the CRLF that ends the previous one. */
  if (self->segments->len > 0)
    g_string_append (header, "\r\n");
  g_string_append_printf (header, "--%s\r\nContent-Disposition: form-data; name=", self->boundary);
  append_quoted (header, name);
  if (filename != NULL)
    {
      g_string_append (header, "; filename=");
      append_quoted (header, filename);
    }
  g_string_append (header, "\r\n");
  if (content_type != NULL)
    g_string_append_printf (header, "Content-Type: %s\r\n", content_type);
  g_string_append (header, "\r\n");

  return header;
}

/* The closing boundary is added lazily, so parts can be added until the length is asked
 * for or the first byte is read. */
static void
finish (SondeMultipartStream *self)
{
  GString *closing;

  if (self->finished)
    return;

  self->finished = TRUE;
  if (self->boundary == NULL)
    return;

  closing = g_string_new (NULL);
  if (self->segments->len > 0)
    g_string_append (closing, "\r\n");
  g_string_append_printf (closing, "--%s--\r\n", self->boundary);
  append_string (self, closing);
}

static gssize
read_file_segment (SondeMultipartStream  *self,
                   Segment               *segment,
                   guint8                *buffer,
                   gsize                  count,
                   GCancellable          *cancellable,
                   GError               **error)
{
  guint64 left = segment->length - self->segment_offset;
  gssize n;

  if (self->block_start < self->block_end)
    {
      n = MIN (count, self->block_end - self->block_start);
      memcpy (buffer, self->block + self->block_start, n);
      self->block_start += n;
      return n;
    }

  if (self->file_stream == NULL)
    {
      self->file_stream = g_file_read (segment->file, cancellable, error);
      if (self->file_stream == NULL)
        {
          g_autofree char *name = g_file_get_parse_name (segment->file);

          if (error != NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_autofree char *reason = g_strdup ((*error)->message);

              g_clear_error (error);
              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                           _("Could not read the file “%s”: %s"), name, reason);
            }
          return -1;
        }
    }

  /* Never read past the segment's length: the file may have grown since it was measured. */
  if (count < FILE_BLOCK_SIZE && left > count)
    {
      if (self->block == NULL)
        self->block = g_malloc (FILE_BLOCK_SIZE);
      n = g_input_stream_read (G_INPUT_STREAM (self->file_stream), self->block,
                               MIN (left, FILE_BLOCK_SIZE), cancellable, error);
      if (n > 0)
        {
          self->block_start = 0;
          self->block_end = n;
          return read_file_segment (self, segment, buffer, count, cancellable, error);
        }
    }
  else
    n = g_input_stream_read (G_INPUT_STREAM (self->file_stream), buffer, count, cancellable, error);

  if (n == 0)
    {
      g_autofree char *name = g_file_get_parse_name (segment->file);

      /* The Content-Length is already sent: a shorter file cannot be papered over. */
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("The file “%s” became shorter while it was being sent"), name);
      return -1;
    }

  return n;
}

static gssize
sonde_multipart_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  SondeMultipartStream *self = SONDE_MULTIPART_STREAM (stream);

  if (count == 0)
    return 0;

  finish (self);

  while (self->segment_index < self->segments->len)
    {
      Segment *segment = g_ptr_array_index (self->segments, self->segment_index);
      guint64 left = segment->length - self->segment_offset;
      gsize wanted = MIN (count, left);
      gssize n;

      if (left == 0)
        {
          g_clear_object (&self->file_stream);
          self->segment_index++;
          self->segment_offset = 0;
          continue;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      if (segment->bytes != NULL)
        {
          const guint8 *data = g_bytes_get_data (segment->bytes, NULL);

          memcpy (buffer, data + self->segment_offset, wanted);
          n = wanted;
        }
      else
        {
          n = read_file_segment (self, segment, buffer, wanted, cancellable, error);
          if (n < 0)
            return -1;
        }

      self->segment_offset += n;
      return n;
    }

  return 0;
}

static gboolean
sonde_multipart_stream_close (GInputStream  *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  SondeMultipartStream *self = SONDE_MULTIPART_STREAM (stream);

  if (self->file_stream != NULL)
    g_input_stream_close (G_INPUT_STREAM (self->file_stream), NULL, NULL);
  g_clear_object (&self->file_stream);
  g_clear_pointer (&self->block, g_free);
  self->block_start = self->block_end = 0;

  return TRUE;
}

/* Closing a local file is quick: done in place rather than in GIO's default thread. */
static void
sonde_multipart_stream_close_async (GInputStream        *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, sonde_multipart_stream_close_async);
  g_task_set_check_cancellable (task, FALSE);
  sonde_multipart_stream_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
sonde_multipart_stream_close_finish (GInputStream  *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
sonde_multipart_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
sonde_multipart_stream_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static gssize
sonde_multipart_stream_read_nonblocking (GPollableInputStream  *stream,
                                         void                  *buffer,
                                         gsize                  count,
                                         GError               **error)
{
  return sonde_multipart_stream_read (G_INPUT_STREAM (stream), buffer, count, NULL, error);
}

static GSource *
sonde_multipart_stream_create_source (GPollableInputStream *stream,
                                      GCancellable         *cancellable)
{
  g_autoptr(GSource) ready = g_idle_source_new ();

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static void
sonde_multipart_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = sonde_multipart_stream_can_poll;
  iface->is_readable = sonde_multipart_stream_is_readable;
  iface->read_nonblocking = sonde_multipart_stream_read_nonblocking;
  iface->create_source = sonde_multipart_stream_create_source;
}

static void
sonde_multipart_stream_finalize (GObject *object)
{
  SondeMultipartStream *self = SONDE_MULTIPART_STREAM (object);

  g_clear_object (&self->file_stream);
  g_clear_pointer (&self->block, g_free);
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  g_free (self->boundary);

  G_OBJECT_CLASS (sonde_multipart_stream_parent_class)->finalize (object);
}

static void
sonde_multipart_stream_class_init (SondeMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = sonde_multipart_stream_finalize;
  stream_class->read_fn = sonde_multipart_stream_read;
  stream_class->close_fn = sonde_multipart_stream_close;
  stream_class->close_async = sonde_multipart_stream_close_async;
  stream_class->close_finish = sonde_multipart_stream_close_finish;
}

static void
sonde_multipart_stream_init (SondeMultipartStream *self)
{
  self->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
}

/**
 * sonde_multipart_stream_new:
 * @boundary: (nullable): the boundary, or %NULL for a random one
 */
SondeMultipartStream *
sonde_multipart_stream_new (const char *boundary)
{
  SondeMultipartStream *self = g_object_new (SONDE_TYPE_MULTIPART_STREAM, NULL);

  if (boundary != NULL)
    self->boundary = g_strdup (boundary);
  else
    self->boundary = g_strdup_printf ("sonde-%08x%08x%08x",
                                      g_random_int (), g_random_int (), g_random_int ());

  return self;
}

/**
 * sonde_multipart_stream_new_for_file:
 * @file: a local file
 * @length: its size, measured by the caller
 *
 * A stream of the first @length bytes of @file alone, without multipart framing: a binary
 * request body with the same pollable reading as a form. A file found shorter while it is
 * read is an error; bytes beyond @length are never read.
 */
SondeMultipartStream *
sonde_multipart_stream_new_for_file (GFile   *file,
                                     guint64  length)
{
  SondeMultipartStream *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (SONDE_TYPE_MULTIPART_STREAM, NULL);
  append_segment (self, NULL, g_object_ref (file), length);
  self->finished = TRUE;

  return self;
}

void
sonde_multipart_stream_add_text (SondeMultipartStream *self,
                                 const char           *name,
                                 const char           *value)
{
  GString *part;

  g_return_if_fail (SONDE_IS_MULTIPART_STREAM (self));
  g_return_if_fail (self->boundary != NULL);
  g_return_if_fail (!self->finished);
  g_return_if_fail (name != NULL);

  part = part_header_new (self, name, NULL, NULL);
  g_string_append (part, value != NULL ? value : "");
  append_string (self, part);
}

gboolean
sonde_multipart_stream_add_file (SondeMultipartStream  *self,
                                 const char            *name,
                                 GFile                 *file,
                                 const char            *filename,
                                 const char            *content_type,
                                 GError               **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *guessed_type = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *parse_name = NULL;

  g_return_val_if_fail (SONDE_IS_MULTIPART_STREAM (self), FALSE);
  g_return_val_if_fail (self->boundary != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  parse_name = g_file_get_parse_name (file);
  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("Could not read the file “%s”: %s"), parse_name, local_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("Could not read the file “%s”: it is not a regular file"), parse_name);
      return FALSE;
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("Could not read the file “%s”: permission denied"), parse_name);
      return FALSE;
    }

  if (filename == NULL)
    filename = basename = g_file_get_basename (file);
  if (content_type == NULL)
    content_type = guessed_type = sonde_guess_content_type (file);

  append_string (self, part_header_new (self, name, filename, content_type));
  append_segment (self, NULL, g_object_ref (file), g_file_info_get_size (info));

  return TRUE;
}

/* The exact number of bytes the stream produces. */
guint64
sonde_multipart_stream_get_length (SondeMultipartStream *self)
{
  g_return_val_if_fail (SONDE_IS_MULTIPART_STREAM (self), 0);

  finish (self);
  return self->length;
}

const char *
sonde_multipart_stream_get_boundary (SondeMultipartStream *self)
{
  g_return_val_if_fail (SONDE_IS_MULTIPART_STREAM (self), NULL);

  return self->boundary;
}

char *
sonde_multipart_stream_dup_content_type (SondeMultipartStream *self)
{
  g_return_val_if_fail (SONDE_IS_MULTIPART_STREAM (self), NULL);
  g_return_val_if_fail (self->boundary != NULL, NULL);

  return g_strdup_printf ("multipart/form-data; boundary=%s", self->boundary);
}

/**
 * sonde_multipart_stream_clone:
 *
 * Returns: (transfer full): a stream with the same parts and boundary, at its start
 */
SondeMultipartStream *
sonde_multipart_stream_clone (SondeMultipartStream *self)
{
  SondeMultipartStream *clone;

  g_return_val_if_fail (SONDE_IS_MULTIPART_STREAM (self), NULL);

  finish (self);

  clone = g_object_new (SONDE_TYPE_MULTIPART_STREAM, NULL);
  clone->boundary = g_strdup (self->boundary);
  for (guint i = 0; i < self->segments->len; i++)
    {
      Segment *segment = g_ptr_array_index (self->segments, i);

      append_segment (clone,
                      segment->bytes != NULL ? g_bytes_ref (segment->bytes) : NULL,
                      segment->file != NULL ? g_object_ref (segment->file) : NULL,
                      segment->length);
    }
  clone->finished = TRUE;

  return clone;
}

/**
 * sonde_guess_content_type:
 *
 * Returns: (transfer full): a MIME type from the file's name and first bytes;
 *   application/octet-stream when unsure
 */
char *
sonde_guess_content_type (GFile *file)
{
  g_autofree char *basename = NULL;
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  guint8 data[SNIFF_SIZE];
  gsize data_length = 0;
  gboolean uncertain = FALSE;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  basename = g_file_get_basename (file);
  stream = g_file_read (file, NULL, NULL);
  if (stream != NULL)
    g_input_stream_read_all (G_INPUT_STREAM (stream), data, sizeof data, &data_length, NULL, NULL);

  type = g_content_type_guess (basename, data_length > 0 ? data : NULL, data_length, &uncertain);
  mime = g_content_type_get_mime_type (type);

  /* An empty or unknown file comes back as an uncertain text/plain or octet-stream guess. */
  if (mime == NULL || (uncertain && g_strcmp0 (mime, "text/plain") != 0))
    return g_strdup ("application/octet-stream");

  return g_steal_pointer (&mime);
}

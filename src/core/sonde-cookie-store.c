/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cookie-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-cookie-store.h"
#include "sonde-request-io.h"

/* Saves wait this long after the last change, so a burst of Set-Cookie headers is one write. */
#define SAVE_DELAY_MS 300

struct _SondeCookieStore
{
  GObject       parent_instance;

  /* Owned */
  GFile        *file;
  GFile        *owner;
  SoupCookieJar *jar;
  GMainContext *context;
  GError       *load_error;
  GError       *save_error;
  GFile        *set_aside_file;

  gboolean      loaded;
  gboolean      loading;
  gboolean      dirty;
  /* A bad file could not be moved away: writing would destroy it. */
  gboolean      save_blocked;

  /* The jar emits "changed" with its own lock held, maybe from another thread: the
   * handler only schedules a save. The mutex guards the pending source. */
  GMutex        schedule_mutex;
  GSource      *save_source;

  /* Writes run in worker threads; a write never replaces a newer one. */
  GMutex        write_mutex;
  guint64       generation;
  guint64       written_generation;
};

G_DEFINE_FINAL_TYPE (SondeCookieStore, sonde_cookie_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (sonde-cookie-store-error-quark, sonde_cookie_store_error)

enum {
  PROP_0,
  PROP_FILE,
  PROP_OWNER,
  PROP_JAR,
  PROP_LOADED,
  PROP_LOAD_ERROR,
  PROP_SAVE_ERROR,
  PROP_SET_ASIDE_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GPtrArray *cookies;        /* SoupCookie*, or NULL on error */
  GError    *error;
  GFile     *set_aside_file;
  gboolean   save_blocked;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->cookies, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_clear_object (&result->set_aside_file);
  g_free (result);
}

typedef struct
{
  GFile   *file;
  char    *contents;
  guint64  generation;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_clear_object (&job->file);
  g_free (job->contents);
  g_free (job);
}

static char *
describe_file (GFile *file)
{
  char *path = g_file_get_path (file);

  return path != NULL ? path : g_file_get_uri (file);
}

/* Cookie file parsing */

static gboolean
parse_boolean_field (const char  *field,
                     gboolean    *value,
                     GError     **error)
{
  if (g_ascii_strcasecmp (field, "TRUE") == 0)
    *value = TRUE;
  else if (g_ascii_strcasecmp (field, "FALSE") == 0)
    *value = FALSE;
  else
    {
      g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                   _("“%s” is not TRUE or FALSE"), field);
      return FALSE;
    }
  return TRUE;
}

/* One line: *COOKIE is NULL for comments, blank lines and expired cookies. */
static gboolean
parse_cookie_line (const char  *line,
                   gint64       now,
                   SoupCookie **cookie,
                   GError     **error)
{
  g_auto(GStrv) fields = NULL;
  g_autofree char *domain = NULL;
  gboolean http_only = FALSE;
  gboolean subdomains, secure;
  guint64 expiry;
  guint n_fields;

  *cookie = NULL;
  if (g_str_has_prefix (line, "#HttpOnly_"))
    {
      http_only = TRUE;
      line += strlen ("#HttpOnly_");
    }
  else if (line[0] == '#' || line[strspn (line, " \t")] == '\0')
    return TRUE;

  fields = g_strsplit (line, "\t", 8);
  n_fields = g_strv_length (fields);
  /* curl writes an empty value without its tab. */
  if (n_fields != 7 && n_fields != 6)
    {
      g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                   _("expected 7 fields separated by tabs, found %u"), n_fields);
      return FALSE;
    }
  /* A host name or address: anything else (a "#" that would read back as a comment, …)
   * is not a cookie's domain. */
  if (fields[0][strspn (fields[0], ".")] == '\0' ||
      fields[0][strspn (fields[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]")] != '\0')
    {
      g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                   _("“%s” is not a domain"), fields[0]);
      return FALSE;
    }
  if (!parse_boolean_field (fields[1], &subdomains, error) ||
      !parse_boolean_field (fields[3], &secure, error))
    return FALSE;
  if (fields[2][0] != '/')
    {
      g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                   _("“%s” is not a path"), fields[2]);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (fields[4], 10, 0, G_MAXINT64, &expiry, NULL))
    {
      g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                   _("“%s” is not an expiry time"), fields[4]);
      return FALSE;
    }

  if (expiry != 0 && (gint64) expiry <= now)
    return TRUE;

  /* The flag is what counts: a domain cookie has a leading dot in libsoup, a host-only
   * cookie (and an IP address) has none. */
  if (subdomains && fields[0][0] != '.' && !g_hostname_is_ip_address (fields[0]))
    domain = g_strconcat (".", fields[0], NULL);
  else if (!subdomains && fields[0][0] == '.')
    domain = g_strdup (fields[0] + 1);
  else
    domain = g_strdup (fields[0]);

  *cookie = soup_cookie_new (fields[5], n_fields == 7 ? fields[6] : "", domain, fields[2], -1);
  if (expiry != 0)
    {
      g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc ((gint64) expiry);

      soup_cookie_set_expires (*cookie, expires);
    }
  soup_cookie_set_secure (*cookie, secure);
  soup_cookie_set_http_only (*cookie, http_only);
  return TRUE;
}

GPtrArray *
sonde_cookies_from_text (const char  *text,
                         gsize        length,
                         gint64       now,
                         GError     **error)
{
  g_autoptr(GPtrArray) cookies = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
  const char *end = text + length;
  const char *line = text;
  guint line_number = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error_literal (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                           _("the file holds binary data"));
      return NULL;
    }

  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline != NULL ? newline : end;
      g_autofree char *copy = NULL;
      g_autoptr(GError) line_error = NULL;
      SoupCookie *cookie = NULL;

      line_number++;
      if (line_end > line && line_end[-1] == '\r')
        copy = g_strndup (line, line_end - line - 1);
      else
        copy = g_strndup (line, line_end - line);

      if (!parse_cookie_line (copy, now, &cookie, &line_error))
        {
          g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT,
                       _("line %u: %s"), line_number, line_error->message);
          return NULL;
        }
      if (cookie != NULL)
        g_ptr_array_add (cookies, cookie);

      line = line_end + 1;
    }

  return g_steal_pointer (&cookies);
}

/* Cookie file writing */

static int
compare_cookies (gconstpointer a,
                 gconstpointer b)
{
  SoupCookie *cookie_a = *(SoupCookie **) a;
  SoupCookie *cookie_b = *(SoupCookie **) b;
  int cmp;

  if ((cmp = g_strcmp0 (soup_cookie_get_domain (cookie_a), soup_cookie_get_domain (cookie_b))) != 0)
    return cmp;
  if ((cmp = g_strcmp0 (soup_cookie_get_path (cookie_a), soup_cookie_get_path (cookie_b))) != 0)
    return cmp;
  return g_strcmp0 (soup_cookie_get_name (cookie_a), soup_cookie_get_name (cookie_b));
}

static gboolean
is_storable (const char *field)
{
  return field != NULL && strpbrk (field, "\t\r\n") == NULL;
}

char *
sonde_cookies_to_text (GPtrArray  *cookies,
                       const char *owner_description)
{
  GString *text = g_string_new ("# Netscape HTTP Cookie File\n");

  if (owner_description != NULL)
    g_string_append_printf (text, "# Sonde cookie jar for %s\n", owner_description);
  g_string_append (text, "# Local state written by Sonde: do not share or commit.\n\n");

  for (guint i = 0; i < cookies->len; i++)
    {
      SoupCookie *cookie = g_ptr_array_index (cookies, i);
      const char *domain = soup_cookie_get_domain (cookie);
      const char *path = soup_cookie_get_path (cookie);
      GDateTime *expires = soup_cookie_get_expires (cookie);

      /* libsoup never parses these characters into a cookie; skip rather than corrupt. */
      if (!is_storable (domain) || !is_storable (path) || domain[0] == '\0' ||
          !is_storable (soup_cookie_get_name (cookie)) || !is_storable (soup_cookie_get_value (cookie)))
        {
          g_debug ("Not storing cookie “%s”: it has a tab or a line break", soup_cookie_get_name (cookie));
          continue;
        }

      g_string_append_printf (text, "%s%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\n",
                              soup_cookie_get_http_only (cookie) ? "#HttpOnly_" : "",
                              domain,
                              domain[0] == '.' ? "TRUE" : "FALSE",
                              path[0] != '\0' ? path : "/",
                              soup_cookie_get_secure (cookie) ? "TRUE" : "FALSE",
                              expires != NULL ? MAX (g_date_time_to_unix (expires), 1) : 0,
                              soup_cookie_get_name (cookie),
                              soup_cookie_get_value (cookie));
    }

  return g_string_free (text, FALSE);
}

/* File I/O, safe in worker threads */

static gboolean
write_file_atomically (GFile       *file,
                       const char  *contents,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *dir = parent != NULL ? g_file_get_path (parent) : NULL;

  /* Local state: the folder is the user's alone. */
  if (dir != NULL && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Its errors name the file already. */
  return sonde_file_write_atomic (file, contents, length, 0600, error);
}

static GFile *
set_aside (GFile   *file,
           GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GFile) target = NULL;
      g_autoptr(GError) local_error = NULL;

      if (attempt == 0)
        name = g_strdup_printf ("%s.corrupt-%s", basename, stamp);
      else
        name = g_strdup_printf ("%s.corrupt-%s-%u", basename, stamp, attempt);
      target = g_file_get_child (parent, name);

      if (g_file_move (file, target, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, &local_error))
        return g_steal_pointer (&target);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("Too many set-aside copies"));
  return NULL;
}

static LoadResult *
read_jar_file (GFile        *file,
               GCancellable *cancellable)
{
  LoadResult *result = g_new0 (LoadResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) move_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = describe_file (file);
  g_autofree char *set_aside_path = NULL;
  gsize length = 0;
  SondeCookieStoreError code;

  if (sonde_file_load_bounded (file, SONDE_MAX_FILE_SIZE, &contents, &length, cancellable, &error))
    {
      result->cookies = sonde_cookies_from_text (contents, length, g_get_real_time () / G_USEC_PER_SEC, &error);
      if (result->cookies != NULL)
        return result;
      code = SONDE_COOKIE_STORE_ERROR_CORRUPT;
    }
  /* Not there yet (NOT_DIRECTORY: a folder on the way is a file, so no jar can be there). */
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    {
      result->cookies = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
      return result;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      result->error = g_steal_pointer (&error);
      return result;
    }
  else
    code = SONDE_COOKIE_STORE_ERROR_UNREADABLE;

  result->set_aside_file = set_aside (file, &move_error);
  if (result->set_aside_file != NULL)
    {
      set_aside_path = describe_file (result->set_aside_file);
      g_set_error (&result->error, SONDE_COOKIE_STORE_ERROR, code,
                   code == SONDE_COOKIE_STORE_ERROR_CORRUPT
                   ? _("The cookie jar “%s” is damaged (%s). It was set aside as “%s” and an empty jar was started.")
                   : _("The cookie jar “%s” could not be read (%s). It was set aside as “%s” and an empty jar was started."),
                   path, error->message, set_aside_path);
    }
  else
    {
      result->save_blocked = TRUE;
      g_set_error (&result->error, SONDE_COOKIE_STORE_ERROR, code,
                   code == SONDE_COOKIE_STORE_ERROR_CORRUPT
                   ? _("The cookie jar “%s” is damaged (%s). It could not be set aside (%s), so cookies will not be saved until it is fixed or removed.")
                   : _("The cookie jar “%s” could not be read (%s). It could not be set aside (%s), so cookies will not be saved until it is fixed or removed."),
                   path, error->message, move_error->message);
    }

  return result;
}

static gboolean
run_write_job (SondeCookieStore  *self,
               WriteJob          *job,
               GError           **error)
{
  gboolean ret = TRUE;

  g_mutex_lock (&self->write_mutex);
  if (job->generation > self->written_generation)
    {
      ret = write_file_atomically (job->file, job->contents, strlen (job->contents), error);
      if (ret)
        self->written_generation = job->generation;
    }
  g_mutex_unlock (&self->write_mutex);

  return ret;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_write_job (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Saving */

static gboolean
can_save (SondeCookieStore  *self,
          GError           **error)
{
  if (!self->loaded)
    {
      g_set_error_literal (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_NOT_SAVED,
                           _("The cookie jar was not loaded yet, so it is not saved"));
      return FALSE;
    }
  if (self->save_blocked)
    {
      g_autofree char *path = describe_file (self->file);

      g_set_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_NOT_SAVED,
                   _("Cookies are not saved: the damaged cookie jar “%s” is still in the way"), path);
      return FALSE;
    }
  return TRUE;
}

static WriteJob *
write_job_new (SondeCookieStore *self)
{
  g_autoptr(GPtrArray) cookies = sonde_cookie_store_list_cookies (self);
  g_autofree char *owner = self->owner != NULL ? describe_file (self->owner) : NULL;
  WriteJob *job = g_new0 (WriteJob, 1);

  job->file = g_object_ref (self->file);
  job->contents = sonde_cookies_to_text (cookies, owner);
  job->generation = ++self->generation;
  self->dirty = FALSE;
  return job;
}

static void
set_save_error (SondeCookieStore *self,
                GError           *error)
{
  if (error == NULL && self->save_error == NULL)
    return;
  g_clear_error (&self->save_error);
  self->save_error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
}

static void
cancel_scheduled_save (SondeCookieStore *self)
{
  g_mutex_lock (&self->schedule_mutex);
  if (self->save_source != NULL)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }
  g_mutex_unlock (&self->schedule_mutex);
}

static void
save_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    set_save_error (self, NULL);
  else
    {
      g_debug ("%s", error->message);
      set_save_error (self, error);
    }
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  SondeCookieStore *self = user_data;
  g_autoptr(GTask) task = NULL;

  g_mutex_lock (&self->schedule_mutex);
  g_clear_pointer (&self->save_source, g_source_unref);
  g_mutex_unlock (&self->schedule_mutex);

  if (!self->dirty || !can_save (self, NULL))
    return G_SOURCE_REMOVE;

  task = g_task_new (self, NULL, save_written_cb, NULL);
  g_task_set_source_tag (task, save_timeout_cb);
  g_task_set_task_data (task, write_job_new (self), (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_thread);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (SondeCookieStore *self)
{
  g_mutex_lock (&self->schedule_mutex);
  if (self->save_source != NULL)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }
  self->save_source = g_timeout_source_new (SAVE_DELAY_MS);
  g_source_set_static_name (self->save_source, "[sonde] save cookie jar");
  /* The source holds no reference: dispose destroys it. */
  g_source_set_callback (self->save_source, save_timeout_cb, self, NULL);
  g_source_attach (self->save_source, self->context);
  g_mutex_unlock (&self->schedule_mutex);
}

static void
jar_changed_cb (SoupCookieJar    *jar,
                SoupCookie       *old_cookie,
                SoupCookie       *new_cookie,
                SondeCookieStore *self)
{
  if (self->loading || self->file == NULL)
    return;
  self->dirty = TRUE;
  schedule_save (self);
}

/* Limits and checks */

/* "0.1", "10.0.0": digits and dots only, what a Domain attribute on an IP address looks like. */
static gboolean
looks_numeric (const char *domain)
{
  if (domain == NULL || domain[0] == '\0')
    return FALSE;
  for (const char *p = domain; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
sonde_cookie_is_acceptable (SoupCookie *cookie,
                            GUri       *origin)
{
  const char *domain = soup_cookie_get_domain (cookie);
  const char *host = origin != NULL ? g_uri_get_host (origin) : NULL;
  gboolean has_domain_attribute = domain != NULL && domain[0] == '.';
  const char *bare = has_domain_attribute ? domain + 1 : domain;

  if (domain == NULL || domain[0] == '\0')
    return FALSE;
  if (strlen (soup_cookie_get_name (cookie)) + strlen (soup_cookie_get_value (cookie)) > SONDE_COOKIE_MAX_SIZE)
    return FALSE;

  /* RFC 6265 §5.3: a cookie from an IP address is host-only, for that address alone. */
  if (host != NULL && g_hostname_is_ip_address (host))
    return !has_domain_attribute && g_ascii_strcasecmp (domain, host) == 0;
  if (has_domain_attribute && (looks_numeric (bare) || g_hostname_is_ip_address (bare)))
    return FALSE;

  /* A cookie for every site under "co.uk" is one a server may not set. */
  if (has_domain_attribute && soup_tld_domain_is_public_suffix (bare))
    return FALSE;

  return TRUE;
}

/* Session cookies first, then the soonest to expire. */
static int
compare_expiry (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ea = soup_cookie_get_expires (*(SoupCookie **) a);
  GDateTime *eb = soup_cookie_get_expires (*(SoupCookie **) b);

  if (ea == NULL || eb == NULL)
    return (ea == NULL ? 0 : 1) - (eb == NULL ? 0 : 1);
  return g_date_time_compare (ea, eb);
}

static void
drop_soonest (SoupCookieJar *jar,
              GPtrArray     *cookies,
              guint          keep)
{
  if (cookies->len <= keep)
    return;
  g_ptr_array_sort (cookies, compare_expiry);
  for (guint i = 0; i < cookies->len - keep; i++)
    soup_cookie_jar_delete_cookie (jar, g_ptr_array_index (cookies, i));
}

void
sonde_cookie_jar_add_checked (SoupCookieJar *jar,
                              SoupCookie    *cookie,
                              GUri          *origin)
{
  g_autofree char *domain = NULL;
  g_autoptr(GPtrArray) same_domain = NULL;
  g_autoptr(GPtrArray) all = NULL;
  GSList *cookies;

  if (!sonde_cookie_is_acceptable (cookie, origin))
    {
      soup_cookie_free (cookie);
      return;
    }

  domain = g_strdup (soup_cookie_get_domain (cookie));
  if (origin != NULL)
    soup_cookie_jar_add_cookie_full (jar, cookie, origin, NULL);
  else
    soup_cookie_jar_add_cookie (jar, cookie);

  same_domain = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
  all = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
  cookies = soup_cookie_jar_all_cookies (jar);
  for (GSList *l = cookies; l != NULL; l = l->next)
    {
      if (g_ascii_strcasecmp (soup_cookie_get_domain (l->data), domain) == 0)
        g_ptr_array_add (same_domain, soup_cookie_copy (l->data));
      g_ptr_array_add (all, l->data);
    }
  g_slist_free (cookies);

  drop_soonest (jar, same_domain, SONDE_COOKIES_PER_HOST);
  if (all->len > SONDE_COOKIES_MAX)
    {
      g_ptr_array_set_size (all, 0);
      cookies = soup_cookie_jar_all_cookies (jar);
      for (GSList *l = cookies; l != NULL; l = l->next)
        g_ptr_array_add (all, l->data);
      g_slist_free (cookies);
      drop_soonest (jar, all, SONDE_COOKIES_MAX);
    }
}

/* Loading */

/* The jar's identity of a cookie (soup_cookie_equal () compares values, not domains). */
static gboolean
same_cookie (SoupCookie *a,
             SoupCookie *b)
{
  return g_strcmp0 (soup_cookie_get_name (a), soup_cookie_get_name (b)) == 0 &&
         g_ascii_strcasecmp (soup_cookie_get_domain (a), soup_cookie_get_domain (b)) == 0 &&
         g_strcmp0 (soup_cookie_get_path (a), soup_cookie_get_path (b)) == 0;
}

static void
apply_load_result (SondeCookieStore *self,
                   LoadResult       *result)
{
  g_autoptr(GPtrArray) existing = sonde_cookie_store_list_cookies (self);
  gboolean changed_meanwhile = self->dirty;

  self->loading = TRUE;
  for (guint i = 0; result->cookies != NULL && i < result->cookies->len; i++)
    {
      SoupCookie *cookie = g_ptr_array_index (result->cookies, i);
      gboolean known = FALSE;

      /* A cookie that arrived while loading is newer than the file's. */
      for (guint j = 0; j < existing->len && !known; j++)
        known = same_cookie (cookie, g_ptr_array_index (existing, j));
      /* A jar file may have been edited by hand: the same checks as for a response. */
      if (!known)
        sonde_cookie_jar_add_checked (self->jar, soup_cookie_copy (cookie), NULL);
    }
  self->loading = FALSE;

  g_clear_error (&self->load_error);
  if (result->error != NULL)
    self->load_error = g_error_copy (result->error);
  g_set_object (&self->set_aside_file, result->set_aside_file);
  self->save_blocked = result->save_blocked;
  self->loaded = TRUE;

  /* Cookies received before the load, or a set-aside file: write the jar out now-ish. */
  if (changed_meanwhile || (result->set_aside_file != NULL && existing->len > 0))
    {
      self->dirty = TRUE;
      schedule_save (self);
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SET_ASIDE_FILE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;

  g_task_return_pointer (task, read_jar_file (file, cancellable), (GDestroyNotify) load_result_free);
}

static void
load_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);
  g_autoptr(GTask) task = user_data;
  LoadResult *load_result = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_error_matches (load_result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&load_result->error));
      load_result_free (load_result);
      return;
    }

  apply_load_result (self, load_result);
  if (load_result->error != NULL)
    g_task_return_error (task, g_steal_pointer (&load_result->error));
  else
    g_task_return_boolean (task, TRUE);
  load_result_free (load_result);
}

/* GObject */

static void
sonde_cookie_store_dispose (GObject *object)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);
  g_autoptr(GError) error = NULL;

  cancel_scheduled_save (self);
  if (self->jar != NULL)
    {
      /* A save that already failed was reported through "save-error"; say it once. */
      if (self->dirty && self->file != NULL && self->save_error == NULL && can_save (self, NULL) &&
          !sonde_cookie_store_save (self, &error))
        g_message ("%s", error->message);
      g_signal_handlers_disconnect_by_func (self->jar, jar_changed_cb, self);
    }
  g_clear_object (&self->jar);

  G_OBJECT_CLASS (sonde_cookie_store_parent_class)->dispose (object);
}

static void
sonde_cookie_store_finalize (GObject *object)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->owner);
  g_clear_object (&self->set_aside_file);
  g_clear_error (&self->load_error);
  g_clear_error (&self->save_error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->schedule_mutex);
  g_mutex_clear (&self->write_mutex);

  G_OBJECT_CLASS (sonde_cookie_store_parent_class)->finalize (object);
}

static void
sonde_cookie_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_OWNER:
      g_value_set_object (value, self->owner);
      break;
    case PROP_JAR:
      g_value_set_object (value, self->jar);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_LOAD_ERROR:
      g_value_set_boxed (value, self->load_error);
      break;
    case PROP_SAVE_ERROR:
      g_value_set_boxed (value, self->save_error);
      break;
    case PROP_SET_ASIDE_FILE:
      g_value_set_object (value, self->set_aside_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_cookie_store_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_OWNER:
      self->owner = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_cookie_store_constructed (GObject *object)
{
  SondeCookieStore *self = SONDE_COOKIE_STORE (object);

  G_OBJECT_CLASS (sonde_cookie_store_parent_class)->constructed (object);

  /* A memory-only store has nothing to read. */
  if (self->file == NULL)
    self->loaded = TRUE;
}

static void
sonde_cookie_store_class_init (SondeCookieStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_cookie_store_dispose;
  object_class->finalize = sonde_cookie_store_finalize;
  object_class->get_property = sonde_cookie_store_get_property;
  object_class->set_property = sonde_cookie_store_set_property;
  object_class->constructed = sonde_cookie_store_constructed;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWNER] =
    g_param_spec_object ("owner", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JAR] =
    g_param_spec_object ("jar", NULL, NULL, SOUP_TYPE_COOKIE_JAR,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_boxed ("load-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAVE_ERROR] =
    g_param_spec_boxed ("save-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SET_ASIDE_FILE] =
    g_param_spec_object ("set-aside-file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_cookie_store_init (SondeCookieStore *self)
{
  g_mutex_init (&self->schedule_mutex);
  g_mutex_init (&self->write_mutex);
  self->context = g_main_context_ref_thread_default ();
  self->jar = soup_cookie_jar_new ();
  soup_cookie_jar_set_accept_policy (self->jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);
  g_signal_connect (self->jar, "changed", G_CALLBACK (jar_changed_cb), self);
}

/* Public API */

SondeCookieStore *
sonde_cookie_store_new_for_file (GFile *file)
{
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  return g_object_new (SONDE_TYPE_COOKIE_STORE, "file", file, NULL);
}

SondeCookieStore *
sonde_cookie_store_new_for_owner (GFile *owner)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (G_IS_FILE (owner), NULL);

  file = sonde_cookie_store_get_default_file (owner);
  return g_object_new (SONDE_TYPE_COOKIE_STORE, "file", file, "owner", owner, NULL);
}

/**
 * sonde_cookie_store_get_default_file:
 * @owner: a collection folder or a lone request file
 *
 * Returns: (transfer full): where the cookies of @owner are kept
 */
GFile *
sonde_cookie_store_get_default_file (GFile *owner)
{
  g_autofree char *identity = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (owner), NULL);

  identity = describe_file (owner);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, identity, -1);
  digest[16] = '\0';
  name = g_strconcat (digest, ".txt", NULL);

  return g_file_new_build_filename (g_get_user_data_dir (), "sonde", "cookies", name, NULL);
}

GFile *
sonde_cookie_store_get_file (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), NULL);

  return self->file;
}

GFile *
sonde_cookie_store_get_owner (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), NULL);

  return self->owner;
}

SoupCookieJar *
sonde_cookie_store_get_jar (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), NULL);

  return self->jar;
}

gboolean
sonde_cookie_store_load (SondeCookieStore  *self,
                         GCancellable      *cancellable,
                         GError           **error)
{
  LoadResult *result;
  gboolean ret;

  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), FALSE);

  if (self->file == NULL)
    return TRUE;

  result = read_jar_file (self->file, cancellable);
  if (g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&result->error));
      load_result_free (result);
      return FALSE;
    }

  apply_load_result (self, result);
  ret = result->error == NULL;
  if (!ret)
    g_propagate_error (error, g_steal_pointer (&result->error));
  load_result_free (result);

  return ret;
}

void
sonde_cookie_store_load_async (SondeCookieStore    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read_task = NULL;

  g_return_if_fail (SONDE_IS_COOKIE_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_cookie_store_load_async);

  if (self->file == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The worker reads and parses; the jar is filled back on this thread. */
  read_task = g_task_new (self, cancellable, load_read_cb, g_steal_pointer (&task));
  g_task_set_source_tag (read_task, load_thread);
  g_task_set_task_data (read_task, g_object_ref (self->file), g_object_unref);
  g_task_set_return_on_cancel (read_task, FALSE);
  g_task_set_check_cancellable (read_task, FALSE);
  g_task_run_in_thread (read_task, load_thread);
}

gboolean
sonde_cookie_store_load_finish (SondeCookieStore  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sonde_cookie_store_get_loaded (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), FALSE);

  return self->loaded;
}

const GError *
sonde_cookie_store_get_load_error (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), NULL);

  return self->load_error;
}

GFile *
sonde_cookie_store_get_set_aside_file (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), NULL);

  return self->set_aside_file;
}

const GError *
sonde_cookie_store_get_save_error (SondeCookieStore *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), NULL);

  return self->save_error;
}

gboolean
sonde_cookie_store_save (SondeCookieStore  *self,
                         GError           **error)
{
  WriteJob *job;
  GError *local_error = NULL;
  gboolean ret;

  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), FALSE);

  if (self->file == NULL)
    return TRUE;
  if (!can_save (self, error))
    return FALSE;

  cancel_scheduled_save (self);
  job = write_job_new (self);
  ret = run_write_job (self, job, &local_error);
  write_job_free (job);

  if (ret)
    set_save_error (self, NULL);
  else
    {
      self->dirty = TRUE;
      set_save_error (self, g_error_copy (local_error));
      g_propagate_error (error, local_error);
    }

  return ret;
}

gboolean
sonde_cookie_store_flush (SondeCookieStore  *self,
                          GError           **error)
{
  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), FALSE);

  if (!self->dirty)
    return TRUE;
  return sonde_cookie_store_save (self, error);
}

/**
 * sonde_cookie_store_list_cookies:
 *
 * Returns: (transfer container) (element-type SoupCookie): copies of the jar's cookies
 */
GPtrArray *
sonde_cookie_store_list_cookies (SondeCookieStore *self)
{
  GPtrArray *cookies = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
  GSList *all;

  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), cookies);

  all = soup_cookie_jar_all_cookies (self->jar);
  for (GSList *l = all; l != NULL; l = l->next)
    g_ptr_array_add (cookies, l->data);
  g_slist_free (all);
  g_ptr_array_sort (cookies, compare_cookies);

  return cookies;
}

void
sonde_cookie_store_clear (SondeCookieStore *self)
{
  g_autoptr(GPtrArray) cookies = NULL;

  g_return_if_fail (SONDE_IS_COOKIE_STORE (self));

  cookies = sonde_cookie_store_list_cookies (self);
  for (guint i = 0; i < cookies->len; i++)
    soup_cookie_jar_delete_cookie (self->jar, g_ptr_array_index (cookies, i));
}

/* A copy of the jar's cookie of NAME, DOMAIN (any case) and PATH, or NULL */
static SoupCookie *
find_cookie (SondeCookieStore *self,
             const char       *name,
             const char       *domain,
             const char       *path)
{
  g_autoptr(GPtrArray) cookies = sonde_cookie_store_list_cookies (self);

  for (guint i = 0; i < cookies->len; i++)
    {
      SoupCookie *cookie = g_ptr_array_index (cookies, i);

      if (g_strcmp0 (soup_cookie_get_name (cookie), name) == 0 &&
          g_ascii_strcasecmp (soup_cookie_get_domain (cookie), domain) == 0 &&
          g_strcmp0 (soup_cookie_get_path (cookie), path) == 0)
        return g_ptr_array_steal_index (cookies, i);
    }
  return NULL;
}

gboolean
sonde_cookie_store_remove_cookie (SondeCookieStore *self,
                                  const char       *name,
                                  const char       *domain,
                                  const char       *path)
{
  SoupCookie *cookie;

  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((cookie = find_cookie (self, name, domain, path)) == NULL)
    return FALSE;
  soup_cookie_jar_delete_cookie (self->jar, cookie);
  soup_cookie_free (cookie);
  return TRUE;
}

gboolean
sonde_cookie_store_set_value (SondeCookieStore *self,
                              const char       *name,
                              const char       *domain,
                              const char       *path,
                              const char       *value)
{
  SoupCookie *cookie;

  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && domain != NULL && path != NULL && value != NULL, FALSE);

  if ((cookie = find_cookie (self, name, domain, path)) == NULL)
    return FALSE;
  /* The same name, domain and path: the jar replaces the old one (and takes this copy) */
  soup_cookie_set_value (cookie, value);
  soup_cookie_jar_add_cookie (self->jar, cookie);
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define SONDE_COOKIE_STORE_ERROR (sonde_cookie_store_error_quark ())
typedef enum
{
  SONDE_COOKIE_STORE_ERROR_CORRUPT,    /* not a cookies.txt file: it was set aside */
  SONDE_COOKIE_STORE_ERROR_UNREADABLE, /* the file could not be read: it was set aside */
  SONDE_COOKIE_STORE_ERROR_NOT_SAVED,  /* saving is off: not loaded yet, or a bad file could not be set aside */
} SondeCookieStoreError;

GQuark sonde_cookie_store_error_quark (void);

/* A persistent cookie jar (one per collection, or per lone request file), docs/architecture.md, docs/collection-format.md.
 *
 * The file is a Mozilla/curl cookies.txt: one cookie a line, seven tab-separated fields
 * (domain, include-subdomains TRUE/FALSE, path, secure TRUE/FALSE, expiry in seconds since
 * the epoch, name, value), HttpOnly cookies with a "#HttpOnly_" prefix on the domain.
 * Session cookies (no expiry) are kept with expiry 0, as curl does, so a login survives
 * between two sonde-cli runs. SameSite is not in that format and is not stored: Sonde sends
 * requests without a cross-site context, so it never changes what is sent.
 *
 * The file is written with mode 0600, atomically (temp file + fsync + rename), a moment
 * after the jar changes (and on flush/save/dispose). Expired cookies are dropped on load.
 * A file that cannot be read or parsed is renamed "<name>.corrupt-<YYYYMMDDTHHMMSS>" and
 * reported ("load-error"); it is never emptied or overwritten.
 *
 * Nothing is written before a load finished (the file may hold cookies not yet read). */
#define SONDE_TYPE_COOKIE_STORE (sonde_cookie_store_get_type ())
G_DECLARE_FINAL_TYPE (SondeCookieStore, sonde_cookie_store, SONDE, COOKIE_STORE, GObject)

/* FILE NULL: in memory only (load and save succeed and do nothing). */
SondeCookieStore *sonde_cookie_store_new_for_file     (GFile             *file);
/* The store for a collection folder or a lone request file, at the default location. */
SondeCookieStore *sonde_cookie_store_new_for_owner    (GFile             *owner);
/* $XDG_DATA_HOME/sonde/cookies/<first 16 hex digits of sha256 (absolute path)>.txt:
 * local state, never in the collection folder. The file's header names the path. */
GFile            *sonde_cookie_store_get_default_file (GFile             *owner);

GFile            *sonde_cookie_store_get_file         (SondeCookieStore  *self);
GFile            *sonde_cookie_store_get_owner        (SondeCookieStore  *self);
/* Borrowed. The jar accepts every cookie (an API client has no "first party"). */
SoupCookieJar    *sonde_cookie_store_get_jar          (SondeCookieStore  *self);

/* Adds the file's cookies to the jar (a cookie already in the jar wins). A missing file is
 * an empty jar. On a corrupt or unreadable file: FALSE, the error is also kept in
 * "load-error", the file is set aside ("set-aside-file") and the jar stays usable. */
gboolean          sonde_cookie_store_load             (SondeCookieStore  *self,
                                                       GCancellable      *cancellable,
                                                       GError           **error);
void              sonde_cookie_store_load_async       (SondeCookieStore    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          sonde_cookie_store_load_finish      (SondeCookieStore    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
gboolean          sonde_cookie_store_get_loaded       (SondeCookieStore  *self);
const GError     *sonde_cookie_store_get_load_error   (SondeCookieStore  *self);
GFile            *sonde_cookie_store_get_set_aside_file (SondeCookieStore *self);

/* Writes the file now (synchronously; the file is small). */
gboolean          sonde_cookie_store_save             (SondeCookieStore  *self,
                                                       GError           **error);
/* Writes the file now only when a save is pending. */
gboolean          sonde_cookie_store_flush            (SondeCookieStore  *self,
                                                       GError           **error);
/* The last failed automatic save, or NULL. */
const GError     *sonde_cookie_store_get_save_error   (SondeCookieStore  *self);

/* SoupCookie*, copies, sorted by domain, path and name. */
GPtrArray        *sonde_cookie_store_list_cookies     (SondeCookieStore  *self);
void              sonde_cookie_store_clear            (SondeCookieStore  *self);
/* FALSE when no such cookie. DOMAIN as the cookie has it (".example.com" for a domain cookie). */
gboolean          sonde_cookie_store_remove_cookie    (SondeCookieStore  *self,
                                                       const char        *name,
                                                       const char        *domain,
                                                       const char        *path);

/* Gives the cookie of NAME, DOMAIN and PATH the value VALUE (its other attributes kept);
 * FALSE when no such cookie. */
gboolean          sonde_cookie_store_set_value        (SondeCookieStore  *self,
                                                       const char        *name,
                                                       const char        *domain,
                                                       const char        *path,
                                                       const char        *value);

/* The cookies.txt text for COOKIES (SoupCookie*), and its parser (expired cookies are
 * dropped; NOW in seconds since the epoch). */
/* What a browser would keep (see docs/security.md): limits, and the checks libsoup 3.2 leaves
 * out. */
#define SONDE_COOKIES_PER_HOST     180
#define SONDE_COOKIES_MAX          3000
#define SONDE_COOKIE_MAX_SIZE      4096   /* name + value, bytes */
#define SONDE_COOKIE_HEADER_MAX    (16 * 1024)

/* Whether COOKIE, set by a response from ORIGIN (NULL for a cookie read from a jar file),
 * may be kept: a Domain attribute is refused on an IP-address host and when it is a public
 * suffix ("co.uk"), a domain that is a fragment of an IP address (".0.1") is refused, and so
 * is a name and value over SONDE_COOKIE_MAX_SIZE bytes. */
gboolean          sonde_cookie_is_acceptable          (SoupCookie        *cookie,
                                                       GUri              *origin);
/* Adds COOKIE (taken) to JAR when acceptable, then keeps at most SONDE_COOKIES_PER_HOST
 * cookies for its domain and SONDE_COOKIES_MAX in all, dropping those that expire soonest
 * (session cookies first). */
void              sonde_cookie_jar_add_checked        (SoupCookieJar     *jar,
                                                       SoupCookie        *cookie,
                                                       GUri              *origin);

char             *sonde_cookies_to_text               (GPtrArray         *cookies,
                                                       const char        *owner_description);
GPtrArray        *sonde_cookies_from_text             (const char        *text,
                                                       gsize              length,
                                                       gint64             now,
                                                       GError           **error);

G_END_DECLS

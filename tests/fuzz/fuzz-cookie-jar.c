/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Cookie jar files (Mozilla cookies.txt) from arbitrary bytes. Properties:
 *  - reading never crashes, and fails only with a SONDE_COOKIE_STORE_ERROR;
 *  - what reads writes, and the written text reads to the same text again;
 *  - the jar's checks (sonde_cookie_jar_add_checked ()) take any cookie read. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cookies = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(SoupCookieJar) jar = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  /* A fixed "now", so that the same input always expires the same cookies. */
  const gint64 now = 1700000000;

  fuzz_init_once ();

  cookies = sonde_cookies_from_text ((const char *) data, size, now, &error);
  if (cookies == NULL)
    {
      fuzz_check (error != NULL && error->domain == SONDE_COOKIE_STORE_ERROR);
      return 0;
    }

  text = sonde_cookies_to_text (cookies, "fuzz");
  again = sonde_cookies_from_text (text, strlen (text), now, &error);
  fuzz_check (again != NULL);
  text_again = sonde_cookies_to_text (again, "fuzz");
  fuzz_check (g_str_equal (text, text_again));

  jar = soup_cookie_jar_new ();
  for (guint i = 0; i < cookies->len; i++)
    sonde_cookie_jar_add_checked (jar, soup_cookie_copy (cookies->pdata[i]), NULL);
  return 0;
}

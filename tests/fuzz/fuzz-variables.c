/* SPDX-License-Identifier: GPL-3.0-or-later */

/* {{name}} expansion of an arbitrary template with a fixed table. Properties:
 *  - no crash; failure is SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE naming a variable that
 *    sonde_variables_find () reports and the table lacks;
 *  - success exactly when every name found is defined;
 *  - after success no "{{name}}" with a defined name is left. The values hold only
 *    characters that appear in no name and are neither space nor brace, so a value can
 *    never complete a reference; a value "" or " " could ("{{{{x}}a}}" with x = "" gives
 *    "{{a}}"), which is the documented "values are not expanded again", not a bug;
 *  - without variables, a template without references comes back unchanged;
 *  - "name=value" parsing gives back the text it parsed. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "fuzz-common.h"

static GHashTable *
variables_table (void)
{
  static GHashTable *variables = NULL;

  if (variables == NULL)
    {
      variables = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (variables, "a", "#1#");
      g_hash_table_insert (variables, "name", "#2#");
      g_hash_table_insert (variables, "base_url", "http://127.0.0.1:8080/");
      g_hash_table_insert (variables, "my var", "#3#");
      g_hash_table_insert (variables, "caf\xc3\xa9", "#4#");
      g_hash_table_insert (variables, "x.y-z", "%5%");
    }
  return variables;
}

static void
check_expand (const char *template)
{
  GHashTable *variables = variables_table ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sonde_variables_find (template);
  g_autofree char *expanded = sonde_variables_expand (template, variables, &error);
  const char *first_undefined = NULL;

  for (guint i = 0; names[i] != NULL && first_undefined == NULL; i++)
    {
      fuzz_check (names[i][0] != '\0');
      fuzz_check (strstr (names[i], "{") == NULL && strstr (names[i], "}") == NULL);
      if (!g_hash_table_contains (variables, names[i]))
        first_undefined = names[i];
    }

  if (expanded == NULL)
    {
      g_autofree char *quoted = NULL;

      fuzz_check (g_error_matches (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE));
      fuzz_check (first_undefined != NULL);
      quoted = g_strdup_printf ("“%s”", first_undefined);
      fuzz_check (strstr (error->message, quoted) != NULL);
    }
  else
    {
      g_auto(GStrv) left = sonde_variables_find (expanded);

      fuzz_check (error == NULL);
      fuzz_check (first_undefined == NULL);
      for (guint i = 0; left[i] != NULL; i++)
        if (g_hash_table_contains (variables, left[i]))
          g_error ("“{{%s}}” is left in “%s” from “%s”", left[i], expanded, template);
    }
}

static void
check_without_variables (const char *template)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sonde_variables_find (template);
  g_autofree char *expanded = sonde_variables_expand (template, NULL, &error);

  fuzz_check ((expanded != NULL) == (names[0] == NULL));
  if (expanded != NULL)
    fuzz_check (strcmp (expanded, template) == 0);
}

static void
check_assignment (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (sonde_variables_parse_assignment (text, &name, &value, &error))
    {
      g_autofree char *joined = g_strconcat (name, "=", value, NULL);

      fuzz_check (name[0] != '\0');
      fuzz_check (strcmp (joined, text) == 0);
    }
  else
    fuzz_check (error != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Templates are C strings: an embedded NUL ends one. */
  g_autofree char *template = g_strndup ((const char *) data, size);

  fuzz_init_once ();

  check_expand (template);
  check_without_variables (template);
  check_assignment (template);

  return 0;
}

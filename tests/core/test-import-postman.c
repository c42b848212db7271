/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Postman collections and environments (sonde-import-postman.c) on fixtures written from the
 * Postman Collection v2.0/v2.1 schema: every mapped item, the report, and the imported
 * requests sent to the in-process server. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

#include "import-test-utils.h"

static SondeTestServer *server;
static SondeClient *client;
static char *temp_dir;

static GFile *
fixture_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "postman", name, NULL);

  return g_file_new_for_path (path);
}

static SondeSecretStore *
secret_store (void)
{
  g_autofree char *path = g_build_filename (temp_dir, "secrets.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return sonde_secret_store_new_file (file);
}

/* Imports NAME into TARGET (under the temp folder) and loads the collection. */
static SondeCollection *
import_fixture (const char   *name,
                const char   *target,
                SondeImport **import_out)
{
  g_autoptr(GFile) input = fixture_file (name);
  g_autofree char *target_path = g_build_filename (temp_dir, target, NULL);
  g_autoptr(SondeSecretStore) secrets = secret_store ();

  return import_file_into (input, target_path, secrets, import_out);
}

static char *
file_text (SondeCollection *collection,
           SondeCollectionNode *node)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_load_contents (sonde_collection_node_get_file (node), NULL, &text, NULL, NULL, NULL));
  return g_steal_pointer (&text);
}

static void
test_collection (void)
{
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_fixture ("shop.postman_collection.json", "shop", &import);
  g_autoptr(SondeSecretStore) secrets = secret_store ();
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  GListModel *children = sonde_collection_node_get_children (root);
  g_autoptr(SondeCollectionNode) products = g_list_model_get_item (children, 0);
  g_autoptr(GPtrArray) all = sonde_collection_list_requests (collection, root);
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;
  SondeRequest *request;
  SondeAuth *auth;
  GListStore *variables;
  GListModel *parts;

  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 10);
  g_assert_cmpuint (sonde_import_get_n_folders (import), ==, 3);
  g_assert_cmpuint (all->len, ==, 10);

  /* The collection: name, variables (secret ones in the keyring), auth, description, scripts */
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "Shop API");
  variables = sonde_collection_node_get_variables (root);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (variables, 0)), ==, "baseUrl");
  g_assert_false (sonde_key_value_get_enabled (row_at (variables, 1)));
  g_assert_cmpstr (sonde_key_value_get_name (row_at (variables, 2)), ==, "signingKey");
  g_assert_true (sonde_variable_get_secret (row_at (variables, 2)));
  g_assert_cmpstr (sonde_key_value_get_value (row_at (variables, 2)), ==, "");
  secret = sonde_secret_store_lookup_sync (secrets, sonde_collection_get_path (collection), NULL, "signingKey", NULL, NULL);
  g_assert_cmpstr (secret, ==, "k3y-v4lue");
  auth = sonde_collection_node_get_auth (root);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BEARER);
  g_assert_cmpstr (sonde_auth_get_token (auth), ==, "{{token}}");
  g_assert_cmpstr (json_object_get_string_member (sonde_collection_node_get_extra (root), "description"), ==,
                   "The shop's public API.");
  g_assert_true (json_object_has_member (sonde_collection_node_get_extra (root), "scripts"));

  /* Folders in order, at any depth, with their description and auth */
  g_assert_cmpstr (sonde_collection_node_get_name (products), ==, "Products");
  g_assert_cmpstr (json_object_get_string_member (sonde_collection_node_get_extra (products), "description"), ==,
                   "Everything about products");
  {
    g_autoptr(SondeCollectionNode) reviews = g_list_model_get_item (sonde_collection_node_get_children (products), 1);

    g_assert_cmpstr (sonde_collection_node_get_name (reviews), ==, "Reviews");
    g_assert_cmpint (sonde_auth_get_kind (sonde_collection_node_get_auth (reviews)), ==, SONDE_AUTH_NONE);
  }

  /* URL object: query rows (a disabled one), headers (a disabled one), description */
  request = request_named (collection, "List products");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/echo/products");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_params (request))), ==, 3);
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_request_get_params (request), 2)));
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_request_get_headers (request), 1)));
  text = file_text (collection, find_request (collection, "List products"));
  g_assert_nonnull (strstr (text, "\"description\": \"Lists products, a page at a time.\""));
  /* Script patterns: checks and captures; the script itself kept */
  g_assert_nonnull (strstr (text, "{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\"}"));
  g_assert_nonnull (strstr (text, "{\"source\": \"jsonpath\", \"path\": \"$.page\", \"op\": \"==\", \"value\": \"1\"}"));
  g_assert_nonnull (strstr (text, "{\"source\": \"duration\", \"op\": \"<\", \"value\": \"500\"}"));
  g_assert_nonnull (strstr (text, "{\"variable\": \"firstId\", \"source\": \"jsonpath\", \"path\": \"$.items[0].id\"}"));
  g_assert_nonnull (strstr (text, "{\"variable\": \"etag\", \"source\": \"header\", \"name\": \"ETag\"}"));
  g_assert_nonnull (strstr (text, "console.log(jsonData.items.length);"));
  g_assert_true (report_has (import, "“pm.response.to.have.status(200);” became a check"));
  g_assert_true (report_has (import, "1 saved example response was not imported"));

  /* Path variables */
  request = request_named (collection, "Get review");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/echo/products/{{productId}}/reviews/{{reviewId}}");
  g_clear_pointer (&text, g_free);
  text = file_text (collection, find_request (collection, "Get review"));
  g_assert_nonnull (strstr (text, "{\"name\": \"productId\", \"value\": \"42\"}"));

  /* Raw JSON; a literal password became a secret variable */
  request = request_named (collection, "Create product");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_JSON);
  g_assert_true (report_has (import, "{{$randomAlphaNumeric}} is one of Postman’s generated values"));
  request = request_named (collection, "Login");
  auth = sonde_request_get_auth (request);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BASIC);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "ann");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "{{password}}");
  g_clear_pointer (&secret, g_free);
  secret = sonde_secret_store_lookup_sync (secrets, sonde_collection_get_path (collection), NULL, "password", NULL, NULL);
  g_assert_cmpstr (secret, ==, "s3cret!");
  g_clear_pointer (&text, g_free);
  text = file_text (collection, find_request (collection, "Login"));
  g_assert_null (strstr (text, "s3cret!"));
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_FORM);
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_body_get_fields (sonde_request_get_body (request)), 2)));

  /* Form data with a file part (resolved beside the imported file) and a disabled part */
  request = request_named (collection, "Upload picture");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_API_KEY);
  parts = G_LIST_MODEL (sonde_body_get_parts (sonde_request_get_body (request)));
  g_assert_cmpuint (g_list_model_get_n_items (parts), ==, 3);
  {
    g_autoptr(SondeBodyPart) file = g_list_model_get_item (parts, 1);
    g_autoptr(SondeBodyPart) old = g_list_model_get_item (parts, 2);

    g_assert_true (g_path_is_absolute (sonde_body_part_get_file (file)));
    g_assert_true (g_str_has_suffix (sonde_body_part_get_file (file), "postman/picture.txt"));
    g_assert_cmpstr (sonde_body_part_get_content_type (file), ==, "text/plain");
    g_assert_false (sonde_body_part_get_enabled (old));
  }

  /* GraphQL: the query and its variables */
  request = request_named (collection, "Search (GraphQL)");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_GRAPHQL);
  g_assert_nonnull (strstr (sonde_body_get_variables (sonde_request_get_body (request)), "\"first\" : 2"));

  /* OAuth 2.0: the settings, the client secret a secret variable, the token Postman saved left out */
  g_clear_pointer (&text, g_free);
  text = file_text (collection, find_request (collection, "Partner orders"));
  g_assert_nonnull (strstr (text, "\"type\": \"oauth2\""));
  g_assert_nonnull (strstr (text, "\"clientSecret\": \"{{oauth_client_secret}}\""));
  g_assert_null (strstr (text, "cl13nt-s3cret"));
  g_assert_null (strstr (text, "eyJhbGciOiJIUzI1NiJ9"));
  g_assert_true (report_has (import, "its OAuth 2.0 access token was left out"));
  request = request_named (collection, "Partner orders");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_URL), ==, "{{baseUrl}}/oauth/token");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_CLIENT_AUTH), ==, "body");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_QUERY), ==, "access_token");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_EXTRA_PARAMS), ==,
                   "resource={{baseUrl}}/orders");
  g_assert_true (report_has (import, "its OAuth 2.0 parameter “X-Tenant”, sent as a header, was left out"));

  /* AWS Signature, its secret key made a secret variable; options from protocolProfileBehavior */
  g_clear_pointer (&text, g_free);
  text = file_text (collection, find_request (collection, "Signed call"));
  g_assert_nonnull (strstr (text, "\"type\": \"awsSigV4\""));
  g_assert_nonnull (strstr (text, "\"accessKey\": \"AKIDEXAMPLE\""));
  g_assert_nonnull (strstr (text, "\"secretKey\": \"{{aws_secret_access_key}}\""));
  g_assert_null (strstr (text, "wJalrXUtnFEMI"));
  request = request_named (collection, "Signed call");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_AWS_SIGV4);
  g_assert_cmpstr (sonde_auth_get_region (sonde_request_get_auth (request)), ==, "us-east-1");
  g_assert_cmpstr (sonde_auth_get_service (sonde_request_get_auth (request)), ==, "s3");
  g_assert_false (sonde_request_options_get_follow_redirects (sonde_request_get_options (request)));
  g_assert_false (sonde_request_options_get_verify_tls (sonde_request_get_options (request)));
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_FILE);

  request = request_named (collection, "Plain XML");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_XML);
  request = request_named (collection, "Just a URL");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
}

static char *
send_node (SondeCollection     *collection,
           SondeCollectionNode *node,
           SondeEnvironment    *environment)
{
  g_autoptr(SondeSecretStore) secrets = secret_store ();
  g_autoptr(GHashTable) overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(SondeRequest) prepared = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (overrides, g_strdup ("baseUrl"), g_strdup (sonde_test_server_get_base_url (server)));
  g_hash_table_insert (overrides, g_strdup ("token"), g_strdup ("abc"));
  g_hash_table_insert (overrides, g_strdup ("apiKey"), g_strdup ("k1"));
  g_hash_table_insert (overrides, g_strdup ("pw"), g_strdup ("pw"));
  /* What the report says to do about a generated value Sonde lacks */
  g_hash_table_insert (overrides, g_strdup ("$randomAlphaNumeric"), g_strdup ("x1"));
  prepared = sonde_collection_prepare_request (collection, node, NULL, environment, secrets, overrides, &error);
  g_assert_no_error (error);
  response = sonde_test_client_send (client, prepared, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  body = sonde_body_store_get_bytes (sonde_response_get_body (response));
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static JsonObject *
echo_of (const char *text,
         JsonNode  **node)
{
  *node = json_from_string (text, NULL);
  g_assert_nonnull (*node);
  return json_node_get_object (*node);
}

/* The imported requests, sent: what the server received */
static void
test_send (void)
{
  g_autoptr(SondeCollection) collection = import_fixture ("shop.postman_collection.json", "shop-send", NULL);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) upload = NULL;
  g_autoptr(JsonNode) review = NULL;
  g_autoptr(JsonNode) create = NULL;
  g_autofree char *list_text = send_node (collection, find_request (collection, "List products"), NULL);
  g_autofree char *login_text = send_node (collection, find_request (collection, "Login"), NULL);
  g_autofree char *upload_text = NULL;
  g_autofree char *review_text = send_node (collection, find_request (collection, "Get review"), NULL);
  g_autofree char *create_text = NULL;
  g_autofree char *value = NULL;
  JsonObject *echo;
  JsonArray *parts;
  g_autoptr(GFile) picture = fixture_file ("picture.txt");

  /* The request reads this file, outside its collection: allowed as the person importing
   * their own collection would in the window (each test has its own state folder). */
  sonde_file_access_allow_for_process (sonde_file_access_get_default (), picture);
  upload_text = send_node (collection, find_request (collection, "Upload picture"), NULL);

  echo = echo_of (list_text, &list);
  g_assert_cmpstr (json_object_get_string_member (echo, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (echo, "path"), ==, "/echo/products");
  g_assert_cmpstr (json_object_get_string_member (echo, "query"), ==, "page=1&sort=name");
  value = sonde_test_echo_header (list, "Authorization");
  g_assert_cmpstr (value, ==, "Bearer abc");
  g_clear_pointer (&value, g_free);
  value = sonde_test_echo_header (list, "X-Debug");
  g_assert_null (value);

  echo = echo_of (login_text, &login);
  g_assert_cmpstr (json_object_get_string_member (echo, "body"), ==, "grant_type=password&scope=read+write");

  echo = echo_of (upload_text, &upload);
  parts = json_object_get_array_member (echo, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0), "value"), ==, "Front");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 1), "filename"), ==, "picture.txt");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 1), "contentType"), ==, "text/plain");
  value = sonde_test_echo_header (upload, "X-Api-Key");
  g_assert_cmpstr (value, ==, "k1");
  g_clear_pointer (&value, g_free);

  echo = echo_of (review_text, &review);
  g_assert_cmpstr (json_object_get_string_member (echo, "path"), ==, "/echo/products/42/reviews/7");
  value = sonde_test_echo_header (review, "Authorization");
  g_assert_null (value);

  /* {{$guid}}: a new UUID */
  create_text = send_node (collection, find_request (collection, "Create product"), NULL);
  g_test_message ("%s", create_text);
  echo = echo_of (create_text, &create);
  {
    g_autoptr(JsonNode) sent = json_from_string (json_object_get_string_member (echo, "body"), NULL);

    g_assert_nonnull (sent);
    g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (json_node_get_object (sent), "id")));
  }
}

static char *
export_to_file (SondeCollection *collection,
                const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sonde_export_postman (collection, &error);
  char *path = g_build_filename (temp_dir, name, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_v20_and_secrets (void)
{
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_fixture ("legacy.postman_collection.json", "legacy", &import);
  g_autoptr(SondeSecretStore) secrets = secret_store ();
  g_autoptr(JsonNode) digest = NULL;
  g_autoptr(JsonNode) query = NULL;
  g_autofree char *digest_text = NULL;
  g_autofree char *query_text = NULL;
  g_autofree char *secret = NULL;
  SondeRequest *request;
  JsonObject *echo;

  request = request_named (collection, "Digest call");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_headers (request), 1)), ==, "two");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_DIGEST);
  g_assert_cmpstr (sonde_auth_get_password (sonde_request_get_auth (request)), ==, "{{pw}}");

  request = request_named (collection, "Key in query");
  g_assert_cmpint (sonde_auth_get_key_location (sonde_request_get_auth (request)), ==, SONDE_API_KEY_IN_QUERY);
  g_assert_cmpstr (sonde_auth_get_key_value (sonde_request_get_auth (request)), ==, "{{api_key}}");
  secret = sonde_secret_store_lookup_sync (secrets, sonde_collection_get_path (collection), NULL, "api_key", NULL, NULL);
  g_assert_cmpstr (secret, ==, "literal-key-123");

  request = request_named (collection, "Bearer literal");
  g_assert_cmpstr (sonde_auth_get_token (sonde_request_get_auth (request)), ==, "{{token}}");
  g_assert_true (report_has (import, "the token is kept in the keyring as the secret variable {{token}}"));

  /* NTLM: the domain joins the user name; the password goes to the keyring; the workstation
   * name, which libsoup does not send, is reported. Exported, the domain is apart again. */
  request = request_named (collection, "NTLM call");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NTLM);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "CORP\\ann");
  g_assert_true (g_str_has_prefix (sonde_auth_get_password (sonde_request_get_auth (request)), "{{password"));
  g_assert_true (report_has (import, "its NTLM workstation name was left out: libsoup sends none"));
  {
    g_autofree char *exported = export_to_file (collection, "legacy-out.postman_collection.json");
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (exported, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"type\" : \"ntlm\""));
    g_assert_nonnull (strstr (text, "\"key\" : \"domain\",\n"));
    g_assert_nonnull (strstr (text, "\"value\" : \"CORP\""));
    g_assert_null (strstr (text, "ntlm-s3cret"));
  }

  /* Sent: the digest challenge answered, the key from the keyring in the query */
  digest_text = send_node (collection, find_request (collection, "Digest call"), NULL);
  echo = json_node_get_object (digest = json_from_string (digest_text, NULL));
  g_assert_cmpstr (json_object_get_string_member (echo, "path"), ==, "/digest-auth/ann/pw");
  query_text = send_node (collection, find_request (collection, "Key in query"), NULL);
  echo = json_node_get_object (query = json_from_string (query_text, NULL));
  g_assert_cmpstr (json_object_get_string_member (echo, "query"), ==, "api_key=literal-key-123");
}

static void
test_environment (void)
{
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_fixture ("staging.postman_environment.json", "staging", &import);
  g_autoptr(SondeSecretStore) secrets = secret_store ();
  GListModel *environments = sonde_collection_get_environments (collection);
  g_autoptr(SondeEnvironment) environment = NULL;
  g_autofree char *secret = NULL;
  GListStore *variables;

  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_POSTMAN_ENVIRONMENT);
  g_assert_cmpuint (g_list_model_get_n_items (environments), ==, 1);
  environment = g_list_model_get_item (environments, 0);
  g_assert_cmpstr (sonde_environment_get_name (environment), ==, "Staging");
  variables = sonde_environment_get_variables (environment);
  g_assert_cmpstr (sonde_key_value_get_value (row_at (variables, 0)), ==, "https://staging.example.com");
  g_assert_true (sonde_variable_get_secret (row_at (variables, 1)));
  g_assert_false (sonde_key_value_get_enabled (row_at (variables, 2)));
  secret = sonde_secret_store_lookup_sync (secrets, sonde_collection_get_path (collection), "Staging", "token", NULL, NULL);
  g_assert_cmpstr (secret, ==, "stg-t0ken");
}

/* Every file below DIR, by relative path → contents */
static void
read_tree (GHashTable *files,
           const char *root,
           const char *relative)
{
  g_autofree char *path = relative[0] != '\0' ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = relative[0] != '\0' ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, child, NULL);
      char *contents = NULL;

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        read_tree (files, root, child);
      else
        {
          g_assert_true (g_file_get_contents (full, &contents, NULL, NULL));
          g_hash_table_insert (files, g_steal_pointer (&child), contents);
        }
    }
}

static void
assert_same_tree (const char *a,
                  const char *b)
{
  g_autoptr(GHashTable) first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) second = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  read_tree (first, a, "");
  read_tree (second, b, "");
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_test_message ("%s", (char *) key);
      g_assert_cmpstr (g_hash_table_lookup (second, key), ==, value);
    }
  g_assert_cmpuint (g_hash_table_size (first), ==, g_hash_table_size (second));
}

/* Postman → Sonde → Postman → Sonde: the same collection files, byte for byte */
static void
test_round_trip (void)
{
  g_autoptr(SondeCollection) first = import_fixture ("shop.postman_collection.json", "trip-a", NULL);
  g_autofree char *exported = export_to_file (first, "trip.postman_collection.json");
  g_autoptr(GFile) exported_file = g_file_new_for_path (exported);
  g_autofree char *a = g_build_filename (temp_dir, "trip-a", NULL);
  g_autofree char *b = g_build_filename (temp_dir, "trip-b", NULL);
  g_autoptr(GFile) b_dir = g_file_new_for_path (b);
  g_autoptr(SondeImport) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (exported, &text, NULL, NULL));
  /* Postman's schema and members; secrets never written */
  g_assert_nonnull (strstr (text, "\"schema\" : \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\""));
  g_assert_null (strstr (text, "s3cret!"));
  g_assert_null (strstr (text, "k3y-v4lue"));

  again = sonde_import_file (exported_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_import_write (again, b_dir, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_tree (a, b);
}

/* A collection made in Sonde, with what Postman has no place for (options, cookies, folder
 * headers, checks, unknown keys…): exported, imported and exported again, the same file */
static void
test_sonde_round_trip (void)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "collections", "api", NULL);
  g_autofree char *copy = g_build_filename (temp_dir, "api", NULL);
  g_autofree char *broken = g_build_filename (copy, "users", "broken.request.json", NULL);
  g_autofree char *cp = g_strdup_printf ("cp -r '%s' '%s'", source, copy);
  g_autoptr(GFile) dir = g_file_new_for_path (copy);
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(SondeCollection) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autoptr(GFile) first_file = NULL;
  g_autofree char *imported_path = g_build_filename (temp_dir, "api-imported", NULL);
  g_autoptr(GFile) imported_dir = g_file_new_for_path (imported_path);
  g_autoptr(SondeImport) import = NULL;

  g_assert_cmpint (system (cp), ==, 0);
  collection = sonde_collection_load (dir, NULL, &error);
  g_assert_no_error (error);

  /* A file that does not parse stops the export, named */
  g_assert_null (sonde_export_postman (collection, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "users/broken.request.json"));
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (broken), ==, 0);
  g_assert_true (sonde_collection_reload (collection, &error));

  first = export_to_file (collection, "api-1.postman_collection.json");
  first_file = g_file_new_for_path (first);
  import = sonde_import_file (first_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_import_write (import, imported_dir, NULL, NULL, &error));
  imported = sonde_collection_load (imported_dir, NULL, &error);
  g_assert_no_error (error);
  second = export_to_file (imported, "api-2.postman_collection.json");

  g_assert_true (g_file_get_contents (first, &first_text, NULL, NULL));
  g_assert_true (g_file_get_contents (second, &second_text, NULL, NULL));
  g_assert_cmpstr (first_text, ==, second_text);
  /* What Postman has no place for rode in "sonde" */
  g_assert_nonnull (strstr (first_text, "\"futureKey\""));
  g_assert_nonnull (strstr (first_text, "\"X-Collection\""));
}

static void
test_export_environment (void)
{
  g_autoptr(SondeEnvironment) environment = sonde_environment_new ("Prod");
  g_autofree char *text = NULL;
  SondeKeyValue *row;

  sonde_key_value_list_append (sonde_environment_get_variables (environment), "baseUrl", "https://api");
  row = sonde_key_value_list_append (sonde_environment_get_variables (environment), "token", "should-not-appear");
  sonde_variable_set_secret (row, TRUE);
  text = sonde_export_postman_environment (environment);
  g_assert_nonnull (strstr (text, "\"name\" : \"Prod\""));
  g_assert_nonnull (strstr (text, "\"type\" : \"secret\""));
  g_assert_null (strstr (text, "should-not-appear"));
  g_assert_nonnull (strstr (text, "\"_postman_variable_scope\" : \"environment\""));
}

#define run_cli(...) sonde_test_run_cli (temp_dir, (const char * const []) { __VA_ARGS__, NULL })

/* sonde-cli import postman and export postman */
static void
test_cli (void)
{
  g_autoptr(GFile) fixture = fixture_file ("shop.postman_collection.json");
  g_autofree char *input = g_file_get_path (fixture);
  g_autoptr(SondeTestCliResult) imported = run_cli ("import", "postman", input, "--into", "cli-shop");
  g_autoptr(SondeTestCliResult) exported = NULL;
  g_autoptr(SondeTestCliResult) missing = NULL;
  g_autofree char *env_dir = g_build_filename (temp_dir, "cli-shop", "environments", NULL);
  g_autofree char *env_file = g_build_filename (env_dir, "prod.json", NULL);
  g_autofree char *env_export = g_build_filename (temp_dir, "Prod.postman_environment.json", NULL);
  g_autofree char *text = NULL;

  g_assert_cmpint (imported->exit_status, ==, 0);
  g_assert_nonnull (strstr (imported->out, "10 requests in 3 folders"));
  g_assert_cmpint (g_mkdir_with_parents (env_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (env_file, "{\"name\": \"Prod\", \"variables\": [{\"name\": \"k\", \"value\": \"v\"}]}\n", -1, NULL));

  exported = run_cli ("export", "postman", "cli-shop", "--output", "shop-export.json");
  g_assert_cmpint (exported->exit_status, ==, 0);
  g_assert_true (g_file_get_contents (env_export, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"key\" : \"k\""));
  missing = run_cli ("export", "postman", "no-such-folder", "--output", "x.json");
  g_assert_cmpint (missing->exit_status, ==, 2);
}

static char *
import_error (const char *name,
              const char *data,
              gssize      length)
{
  return import_error_of (temp_dir, name, data, length, SONDE_IMPORT_FORMAT_POSTMAN);
}

static void
test_bad_input (void)
{
  g_autofree char *truncated = import_error ("truncated.json",
                                             "{\"info\": {\"name\": \"x\",\n \"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/c", -1);
  g_autofree char *v1 = import_error ("v1.json", "{\"id\": \"1\", \"name\": \"Old\", \"requests\": []}", -1);
  g_autofree char *unknown = import_error ("v9.json",
                                           "{\"info\": {\"name\": \"x\", \"schema\": \"https://schema.getpostman.com/json/collection/v9.0.0/\"}, \"item\": []}", -1);
  g_autofree char *array = import_error ("array.json", "[1, 2]", -1);
  g_autoptr(GString) deep = g_string_new ("{\"info\": {\"name\": \"x\"}, \"item\": ");
  g_autofree char *deep_error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_error = import_error ("deep.json", deep->str, deep->len);

  g_assert_nonnull (strstr (truncated, "truncated.json: line 2"));
  g_assert_nonnull (strstr (v1, "Postman Collection v1"));
  g_assert_nonnull (strstr (unknown, "v9.0.0"));
  g_assert_nonnull (strstr (array, "not a Postman collection"));
  g_assert_nonnull (strstr (deep_error, "deep.json: line 1"));
  g_assert_nonnull (strstr (deep_error, "512"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Secrets in a file of the test's own folders: never the session's keyring, which may ask
   * to be unlocked (sonde-cli runs with the same environment). */
  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = sonde_test_server_new ();
  client = sonde_client_new ();
  temp_dir = g_dir_make_tmp ("sonde-import-postman-XXXXXX", NULL);

  g_test_add_func ("/import-postman/collection", test_collection);
  g_test_add_func ("/import-postman/send", test_send);
  g_test_add_func ("/import-postman/v2.0-and-secrets", test_v20_and_secrets);
  g_test_add_func ("/import-postman/environment", test_environment);
  g_test_add_func ("/import-postman/bad-input", test_bad_input);
  g_test_add_func ("/import-postman/round-trip", test_round_trip);
  g_test_add_func ("/import-postman/sonde-round-trip", test_sonde_round_trip);
  g_test_add_func ("/import-postman/export-environment", test_export_environment);
  g_test_add_func ("/import-postman/cli", test_cli);

  status = g_test_run ();
  sonde_test_remove_tree (temp_dir);
  g_free (temp_dir);
  g_clear_object (&client);
  sonde_test_server_free (server);
  return status;
}

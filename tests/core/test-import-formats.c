/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HAR, Insomnia, Bruno and OpenAPI imports (sonde-import-*.c) on fixtures written from each
 * format's public specification: what every item becomes, the report, bad input, and the
 * imported requests sent to the in-process server. */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"
#include "sonde-yaml.h"

#include "import-test-utils.h"

static SondeTestServer *server;
static SondeClient *client;
static char *temp_dir;

/* The fixture NAME (under tests/data/import/) copied into the temp folder, "BASE" replaced
 * by the test server's URL. */
static GFile *
fixture_copy (const char *name)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
  g_autofree char *target = g_build_filename (temp_dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (target);
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GString) replaced = NULL;

  g_assert_true (g_file_get_contents (source, &text, &length, NULL));
  replaced = g_string_new_len (text, length);
  {
    g_autofree char *host_port = g_strdup_printf ("127.0.0.1:%u", sonde_test_server_get_port (server));

    g_string_replace (replaced, "BASE_HOSTPORT", host_port, 0);
  }
  g_string_replace (replaced, "BASE", sonde_test_server_get_base_url (server), 0);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, replaced->str, replaced->len, NULL));
  return g_file_new_for_path (target);
}

static SondeCollection *
import_at (GFile        *input,
           const char   *target,
           SondeImport **import_out)
{
  g_autofree char *path = g_build_filename (temp_dir, target, NULL);

  return import_file_into (input, path, NULL, import_out);
}

/* Sends the request NAME of COLLECTION; /echo's answer, parsed */
static JsonNode *
send_named (SondeCollection *collection,
            const char      *name,
            GHashTable      *overrides)
{
  g_autoptr(SondeRequest) prepared = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  prepared = sonde_collection_prepare_request (collection, find_request (collection, name), NULL, NULL, NULL,
                                               overrides, &error);
  g_assert_no_error (error);
  response = sonde_test_client_send (client, prepared, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  body = sonde_body_store_get_bytes (sonde_response_get_body (response));
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return json_from_string (text, NULL);
}

static const char *
echo_string (JsonNode   *echo,
             const char *member)
{
  return json_object_get_string_member_with_default (json_node_get_object (echo), member, NULL);
}

/* HAR */

static void
test_har (void)
{
  g_autoptr(GFile) input = fixture_copy ("har/browse.har");
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_at (input, "har-collection", &import);
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  g_autoptr(SondeCollectionNode) home = g_list_model_get_item (sonde_collection_node_get_children (root), 0);
  g_autoptr(SondeCollectionNode) checkout = g_list_model_get_item (sonde_collection_node_get_children (root), 1);
  g_autoptr(JsonNode) products = NULL;
  g_autoptr(JsonNode) cart = NULL;
  g_autoptr(JsonNode) address = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *host = NULL;
  SondeRequest *request;
  GListModel *parts;

  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_HAR);
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "browse");
  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 5);
  /* Grouped by page, in order; an entry without a page at the root */
  g_assert_cmpstr (sonde_collection_node_get_name (home), ==, "Shop home");
  g_assert_cmpstr (sonde_collection_node_get_name (checkout), ==, "Checkout");

  request = request_named (collection, "GET /echo/products");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (request))), ==, 1);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_request_get_headers (request), 0)), ==, "Accept");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_cookies (request), 1)), ==, "dark");
  g_assert_true (report_has (import, "headers the connection sets (:authority, :method, connection, content-length, host, "
                             "sec-websocket-key, sec-websocket-version, upgrade) were left out"));
  g_assert_true (report_has (import, "the recorded responses were not imported"));

  /* A WebSocket connection Chrome recorded: the messages it sent, saved */
  request = request_named (collection, "GET /socket");
  g_assert_true (sonde_request_is_websocket (request));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (request))), ==, 1);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_request_get_headers (request), 0)), ==, "Origin");
  {
    g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
    g_auto(GStrv) subprotocols = NULL;

    g_assert_true (sonde_websocket_read_settings (sonde_request_get_extra (request), &subprotocols, NULL, messages, NULL));
    g_assert_cmpstrv (subprotocols, ((const char * const[]) { "chat", "superchat", NULL }));
    g_assert_cmpuint (messages->len, ==, 2);
    g_assert_cmpint (((SondeWebsocketMessage *) messages->pdata[0])->kind, ==, SONDE_WEBSOCKET_MESSAGE_JSON);
    g_assert_cmpstr (((SondeWebsocketMessage *) messages->pdata[1])->text, ==, "hello");
  }
  g_assert_true (report_has (import, "its 1 binary message sent was left out"));

  /* The Cookie header when there is no cookies list */
  request = request_named (collection, "POST /echo/cart");
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_request_get_cookies (request), 0)), ==, "sid");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_JSON);

  request = request_named (collection, "POST /echo/address");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_FORM);
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_body_get_fields (sonde_request_get_body (request)), 0)), ==, "Main St");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_body_get_fields (sonde_request_get_body (request)), 2)), ==, "a&b");

  request = request_named (collection, "PUT /echo/avatar");
  parts = G_LIST_MODEL (sonde_body_get_parts (sonde_request_get_body (request)));
  g_assert_cmpuint (g_list_model_get_n_items (parts), ==, 2);
  {
    g_autoptr(SondeBodyPart) avatar = g_list_model_get_item (parts, 1);

    g_assert_cmpstr (sonde_body_part_get_filename (avatar), ==, "me.png");
    g_assert_cmpstr (sonde_body_part_get_content_type (avatar), ==, "image/png");
  }
  g_assert_true (report_has (import, "the content of the file “me.png” is not in the HAR"));

  /* Sent */
  products = send_named (collection, "GET /echo/products", NULL);
  g_assert_cmpstr (echo_string (products, "query"), ==, "page=2");
  cookie = sonde_test_echo_header (products, "Cookie");
  g_assert_cmpstr (cookie, ==, "sid=abc; theme=dark");
  host = sonde_test_echo_header (products, "Host");
  g_assert_null (strstr (host, "shop.example.com"));
  cart = send_named (collection, "POST /echo/cart", NULL);
  g_assert_cmpstr (echo_string (cart, "body"), ==, "{\"item\": 7}");
  address = send_named (collection, "POST /echo/address", NULL);
  g_assert_cmpstr (echo_string (address, "body"), ==, "street=Main+St&city=Paris&note=a%26b");
}

static void
test_har_bad_input (void)
{
  g_autofree char *no_log = import_error_of (temp_dir, "nolog.har", "{\"entries\": []}", -1, SONDE_IMPORT_FORMAT_HAR);
  g_autofree char *version = import_error_of (temp_dir, "v3.har", "{\"log\": {\"version\": \"3.0\", \"entries\": []}}", -1,
                                           SONDE_IMPORT_FORMAT_HAR);
  g_autofree char *truncated = import_error_of (temp_dir, "cut.har", "{\"log\": {\"version\": \"1.2\",\n\"entries\": [{\"request\"", -1,
                                             SONDE_IMPORT_FORMAT_HAR);

  g_assert_nonnull (strstr (no_log, "not a HAR file"));
  g_assert_nonnull (strstr (version, "HAR version 3.0"));
  g_assert_nonnull (strstr (truncated, "cut.har: line 2"));
}

/* Insomnia */

static void
test_insomnia (void)
{
  g_autoptr(GFile) input = fixture_copy ("insomnia/export.json");
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_at (input, "insomnia-collection", &import);
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  g_autoptr(SondeCollectionNode) invoices = g_list_model_get_item (sonde_collection_node_get_children (root), 0);
  g_autoptr(SondeCollectionNode) payments = g_list_model_get_item (sonde_collection_node_get_children (root), 1);
  GListModel *environments = sonde_collection_get_environments (collection);
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) create = NULL;
  g_autoptr(JsonNode) pay = NULL;
  g_autofree char *auth = NULL;
  SondeRequest *request;
  GListStore *variables;

  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_INSOMNIA);
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "Billing");
  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 8);

  /* Base environment: the collection's variables, nested ones with dots */
  variables = sonde_collection_node_get_variables (root);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (variables, 2)), ==, "paging.size");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (variables, 2)), ==, "20");
  g_assert_true (report_has (import, "nested values became variables named with dots"));
  /* Sub-environments; a private one's values are secrets */
  g_assert_cmpuint (g_list_model_get_n_items (environments), ==, 2);
  {
    g_autoptr(SondeEnvironment) mine = g_list_model_get_item (environments, 0);

    g_assert_cmpstr (sonde_environment_get_name (mine), ==, "Mine");
    g_assert_true (sonde_variable_get_secret (row_at (sonde_environment_get_variables (mine), 0)));
  }

  /* Folders by metaSortKey, with their environment as variables */
  g_assert_cmpstr (sonde_collection_node_get_name (invoices), ==, "Invoices");
  g_assert_cmpstr (sonde_collection_node_get_name (payments), ==, "Payments");
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_collection_node_get_variables (payments), 0)), ==, "currency");

  request = request_named (collection, "List invoices");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/echo/invoices");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_params (request), 0)), ==, "{{paging.size}}");
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_request_get_params (request), 1)));
  g_assert_cmpstr (sonde_auth_get_token (sonde_request_get_auth (request)), ==, "{{token}}");
  g_assert_true (report_has (import, "template tags"));

  request = request_named (collection, "Create invoice");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "POST");
  g_assert_false (sonde_request_options_get_follow_redirects (sonde_request_get_options (request)));
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_BASIC);

  request = request_named (collection, "Ledger");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NTLM);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "CORP\\ann");
  g_assert_cmpstr (sonde_auth_get_password (sonde_request_get_auth (request)), ==, "{{password}}");

  request = request_named (collection, "Archive");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_AWS_SIGV4);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "AKID");
  g_assert_cmpstr (sonde_auth_get_password (sonde_request_get_auth (request)), ==, "{{aws_secret}}");
  g_assert_cmpstr (sonde_auth_get_region (sonde_request_get_auth (request)), ==, "eu-west-3");
  g_assert_cmpstr (sonde_auth_get_service (sonde_request_get_auth (request)), ==, "s3");

  request = request_named (collection, "Receipt upload");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_MULTIPART);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_OAUTH2);
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_GRANT), ==, "client_credentials");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_CLIENT_ID), ==, "abc");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_CLIENT_AUTH), ==, "basic");
  request = request_named (collection, "Query");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NONE);
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_GRAPHQL);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (request)), ==, "{ invoices { id } }");
  g_assert_true (report_has (import, "a grpc_request is not a kind of request Sonde has yet"));
  /* A WebSocket request, its payloads its saved messages */
  request = request_named (collection, "Live");
  g_assert_true (sonde_request_is_websocket (request));
  g_assert_cmpstr (sonde_request_get_url (request), ==, "wss://live.example.com/{{currency}}");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_BEARER);
  {
    g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);

    g_assert_true (sonde_websocket_read_settings (sonde_request_get_extra (request), NULL, NULL, messages, NULL));
    g_assert_cmpuint (messages->len, ==, 2);
    g_assert_cmpint (((SondeWebsocketMessage *) messages->pdata[0])->kind, ==, SONDE_WEBSOCKET_MESSAGE_JSON);
    g_assert_cmpstr (((SondeWebsocketMessage *) messages->pdata[0])->text, ==, "{\"op\": \"subscribe\", \"currency\": \"{{currency}}\"}");
    g_assert_cmpint (((SondeWebsocketMessage *) messages->pdata[1])->kind, ==, SONDE_WEBSOCKET_MESSAGE_TEXT);
    g_assert_cmpstr (((SondeWebsocketMessage *) messages->pdata[1])->text, ==, "hello");
  }
  g_assert_true (report_has (import, "cookie jars were not imported"));

  /* Sent */
  g_hash_table_insert (overrides, "password", "pw");
  g_hash_table_insert (overrides, "currency", "USD");
  list = send_named (collection, "List invoices", overrides);
  g_assert_cmpstr (echo_string (list, "query"), ==, "size=20");
  auth = sonde_test_echo_header (list, "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer dev-token");
  create = send_named (collection, "Create invoice", overrides);
  g_assert_cmpstr (echo_string (create, "body"), ==, "{\"amount\": 10, \"currency\": \"USD\"}");
  pay = send_named (collection, "Pay", overrides);
  g_assert_cmpstr (echo_string (pay, "body"), ==, "amount=10");
}

/* Insomnia v5: YAML, the tree nested */
static void
test_insomnia_v5 (void)
{
  g_autoptr(GFile) input = fixture_copy ("insomnia/export-v5.yaml");
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_at (input, "insomnia-v5-collection", &import);
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  g_autoptr(SondeCollectionNode) invoices = g_list_model_get_item (sonde_collection_node_get_children (root), 0);
  g_autoptr(SondeCollectionNode) first = g_list_model_get_item (sonde_collection_node_get_children (invoices), 0);
  GListModel *environments = sonde_collection_get_environments (collection);
  g_autoptr(JsonNode) create = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *header = NULL;
  g_autofree char *text = NULL;
  SondeRequest *request;

  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_INSOMNIA);
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "Billing v5");
  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 3);
  g_assert_cmpstr (sonde_collection_node_get_name (invoices), ==, "Invoices");
  /* by meta.sortKey */
  g_assert_cmpstr (sonde_collection_node_get_name (first), ==, "List invoices");
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_collection_node_get_variables (invoices), 0)), ==, "currency");
  g_assert_cmpuint (g_list_model_get_n_items (environments), ==, 2);
  {
    g_autoptr(SondeEnvironment) mine = g_list_model_get_item (environments, 0);

    g_assert_true (sonde_variable_get_secret (row_at (sonde_environment_get_variables (mine), 0)));
  }

  request = request_named (collection, "Create invoice");
  g_assert_false (sonde_request_options_get_follow_redirects (sonde_request_get_options (request)));
  g_assert_true (g_file_load_contents (sonde_collection_node_get_file (find_request (collection, "Create invoice")),
                                       NULL, &text, NULL, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"description\": \"Makes one\""));
  g_assert_nonnull (strstr (text, "\"from\": \"insomnia\""));
  g_assert_true (report_has (import, "cookie jars were not imported"));

  create = send_named (collection, "Create invoice", NULL);
  g_assert_cmpstr (echo_string (create, "body"), ==, "{\"amount\": 10, \"currency\": \"EUR\"}");
  header = sonde_test_echo_header (create, "Authorization");
  g_assert_cmpstr (header, ==, "Bearer dev-token");
  list = send_named (collection, "List invoices", NULL);
  g_assert_cmpstr (echo_string (list, "query"), ==, "page=1");
}

static void
test_insomnia_bad_input (void)
{
  g_autofree char *not_export = import_error_of (temp_dir, "i1.json", "{\"resources\": []}", -1, SONDE_IMPORT_FORMAT_INSOMNIA);
  g_autofree char *v3 = import_error_of (temp_dir, "i3.json", "{\"_type\": \"export\", \"__export_format\": 3, \"resources\": []}", -1,
                                      SONDE_IMPORT_FORMAT_INSOMNIA);
  g_autofree char *empty = import_error_of (temp_dir, "i4.json", "{\"_type\": \"export\", \"__export_format\": 4, \"resources\": []}", -1,
                                         SONDE_IMPORT_FORMAT_INSOMNIA);

  g_assert_nonnull (strstr (not_export, "not an Insomnia export"));
  g_assert_nonnull (strstr (v3, "format 3"));
  g_assert_nonnull (strstr (empty, "no workspace"));
}

/* Bruno */

/* The fixture folder NAME copied into the temp folder, "BASE" replaced in every file */
static GFile *
fixture_dir_copy (const char *name)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
  g_autofree char *target = g_build_filename (temp_dir, name, NULL);
  g_autofree char *command = g_strdup_printf ("mkdir -p '%s' && cp -r '%s/.' '%s' && "
                                              "find '%s' -type f -exec sed -i 's|BASE|%s|g' {} +",
                                              target, source, target, target,
                                              sonde_test_server_get_base_url (server));

  g_assert_cmpint (system (command), ==, 0);
  return g_file_new_for_path (target);
}

static void
test_bruno (void)
{
  g_autoptr(GFile) input = fixture_dir_copy ("bruno/shop");
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_at (input, "bruno-collection", &import);
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  GListModel *children = sonde_collection_node_get_children (root);
  g_autoptr(SondeCollectionNode) users = g_list_model_get_item (children, 0);
  g_autoptr(SondeCollectionNode) login = g_list_model_get_item (children, 1);
  g_autoptr(SondeCollectionNode) first_user = g_list_model_get_item (sonde_collection_node_get_children (users), 0);
  GListModel *environments = sonde_collection_get_environments (collection);
  g_autoptr(SondeEnvironment) local = g_list_model_get_item (environments, 0);
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) get = NULL;
  g_autoptr(JsonNode) form = NULL;
  g_autoptr(JsonNode) upload = NULL;
  g_autofree char *text = NULL;
  g_autofree char *header = NULL;
  SondeRequest *request;

  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_BRUNO);
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "Shop (Bruno)");
  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 7);

  /* auth:oauth2 (client credentials, the token in the URL) and auth:ntlm */
  request = request_named (collection, "Partner orders");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_OAUTH2);
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_GRANT), ==, "client_credentials");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_URL), ==, "{{baseUrl}}/oauth/token");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_CLIENT_SECRET), ==, "{{partnerSecret}}");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_CLIENT_AUTH), ==, "basic");
  g_assert_cmpstr (sonde_auth_get_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_QUERY), ==, "token");
  request = request_named (collection, "Ledger");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NTLM);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "CORP\\ann");
  g_assert_cmpstr (sonde_auth_get_password (sonde_request_get_auth (request)), ==, "{{password}}");

  /* collection.bru: headers, auth, variables, docs */
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_collection_node_get_headers (root), 0)), ==, "X-Client");
  g_assert_cmpint (sonde_auth_get_kind (sonde_collection_node_get_auth (root)), ==, SONDE_AUTH_BEARER);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_collection_node_get_variables (root), 0)), ==, "apiVersion");
  g_assert_cmpstr (json_object_get_string_member (sonde_collection_node_get_extra (root), "description"), ==,
                   "The shop, as Bruno saw it.");

  /* Folders first, then requests by seq; inside a folder by seq, not file name */
  g_assert_cmpstr (sonde_collection_node_get_name (users), ==, "Users");
  g_assert_cmpstr (sonde_collection_node_get_name (login), ==, "Login");
  g_assert_cmpstr (sonde_collection_node_get_name (first_user), ==, "Get user");
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_collection_node_get_headers (users), 0)), ==, "X-Folder");

  /* Environments: secret names without values */
  g_assert_cmpstr (sonde_environment_get_name (local), ==, "local");
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_environment_get_variables (local), 2)));
  g_assert_true (sonde_variable_get_secret (row_at (sonde_environment_get_variables (local), 3)));
  g_assert_true (report_has (import, "its secret variables have no value in the files"));

  /* Path and query params, docs */
  request = request_named (collection, "Get user");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/echo/users/{{id}}");
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_request_get_params (request), 1)));
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NONE);

  /* Assertions as checks, post-response vars as captures, scripts kept */
  g_assert_true (g_file_load_contents (sonde_collection_node_get_file (find_request (collection, "Create user")), NULL, &text, NULL, NULL, NULL));
  g_assert_nonnull (strstr (text, "{\"source\": \"status\", \"op\": \"==\", \"value\": \"201\"}"));
  g_assert_nonnull (strstr (text, "{\"source\": \"jsonpath\", \"path\": \"$.id\", \"op\": \"isNumber\"}"));
  g_assert_nonnull (strstr (text, "{\"source\": \"jsonpath\", \"path\": \"$.name\", \"op\": \"==\", \"value\": \"Ann\"}"));
  g_assert_nonnull (strstr (text, "{\"source\": \"jsonpath\", \"path\": \"$.debug\", \"op\": \"exists\", \"enabled\": false}"));
  g_assert_nonnull (strstr (text, "{\"variable\": \"userId\", \"source\": \"jsonpath\", \"path\": \"$.id\"}"));
  g_assert_nonnull (strstr (text, "{\"variable\": \"location\", \"source\": \"header\", \"name\": \"location\"}"));
  g_assert_nonnull (strstr (text, "\"from\": \"bruno\""));
  g_assert_nonnull (strstr (text, "\"tests\": "));
  g_assert_true (report_has (import, "the assertion “res.body.tags: notContains x” has no Sonde check"));
  request = request_named (collection, "Create user");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_JSON);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (request)), ==,
                   "{\n  \"name\": \"Ann\",\n  \"roles\": [\"admin\"]\n}");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_INHERIT);

  request = request_named (collection, "Search");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_GRAPHQL);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (request)), ==, "query {\n  users { id }\n}");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_AWS_SIGV4);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "AKID");
  g_assert_cmpstr (sonde_auth_get_region (sonde_request_get_auth (request)), ==, "eu-west-1");

  /* Sent */
  g_hash_table_insert (overrides, "password", "pw");
  g_hash_table_insert (overrides, "apiKey", "k1");
  g_hash_table_insert (overrides, "baseUrl", (gpointer) sonde_test_server_get_base_url (server));
  {
    g_autofree char *report = g_test_build_filename (G_TEST_DIST, "data", "import", "bruno", "shop", "files", "report.txt", NULL);
    g_autofree char *copied = g_build_filename (temp_dir, "bruno", "shop", "files", "report.txt", NULL);
    g_autoptr(GFile) report_file = g_file_new_for_path (copied);

    sonde_file_access_allow_for_process (sonde_file_access_get_default (), report_file);
  }
  get = send_named (collection, "Get user", overrides);
  g_assert_cmpstr (echo_string (get, "path"), ==, "/echo/users/42");
  g_assert_cmpstr (echo_string (get, "query"), ==, "verbose=1");
  header = sonde_test_echo_header (get, "X-Folder");
  g_assert_cmpstr (header, ==, "users");
  form = send_named (collection, "Login", overrides);
  g_assert_cmpstr (echo_string (form, "body"), ==, "grant_type=password");
  upload = send_named (collection, "Upload", overrides);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (upload), "parts")), ==, 2);
}

static void
test_bruno_bad_input (void)
{
  g_autofree char *dir = g_build_filename (temp_dir, "bad-bruno", NULL);
  g_autofree char *manifest = g_build_filename (dir, "bruno.json", NULL);
  g_autofree char *request = g_build_filename (dir, "broken.bru", NULL);
  g_autofree char *big = g_build_filename (dir, "big.bru", NULL);
  g_autofree char *target = g_build_filename (temp_dir, "bad-bruno-collection", NULL);
  g_autoptr(GFile) input = g_file_new_for_path (dir);
  g_autoptr(GFile) manifest_file = g_file_new_for_path (manifest);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeImport) import = NULL;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (manifest, "{\"name\": \"Bad\"}", -1, NULL));
  g_assert_true (g_file_set_contents (request, "meta {\n  name: x\n}\n\nget {\n  url: http://h/\n\nbody:json {\n  {}\n", -1, NULL));
  import = sonde_import_file (input, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_null (import);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "broken.bru: line 5: the block “get” is not closed"));
  g_clear_error (&error);

  /* A text block never closed */
  g_assert_true (g_file_set_contents (request, "get {\n  url: http://h/\n  body: json\n}\n\nbody:json {\n  {\"a\": 1}\n", -1, NULL));
  import = sonde_import_file (input, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_null (import);
  g_assert_nonnull (strstr (error->message, "broken.bru: line 6: the block “body:json” is not closed"));
  g_clear_error (&error);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_unlink (request);

  /* 100 MB refused before it is read */
  fd = g_open (big, O_CREAT | O_WRONLY, 0644);
  g_assert_cmpint (ftruncate (fd, 100 * 1024 * 1024), ==, 0);
  close (fd);
  import = sonde_import_file (manifest_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_null (import);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_TOO_LARGE);
  g_clear_error (&error);
  g_unlink (big);

  /* A folder that is no Bruno collection */
  g_unlink (manifest);
  import = sonde_import_file (input, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_null (import);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
}

/* YAML */

static char *
yaml_json (const char *yaml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sonde_yaml_to_json (yaml, strlen (yaml), &error);

  g_assert_no_error (error);
  return json_to_string (node, FALSE);
}

static char *
yaml_error (const char *yaml,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sonde_yaml_to_json (yaml, length, &error);

  g_assert_null (node);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  return g_strdup (error->message);
}

static void
test_yaml (void)
{
  g_autofree char *scalars = yaml_json ("a: 1\nb: -2.5\nc: true\nd: ~\ne: 'true'\nf: \"7\"\ng: 0x1f\nh: hello world\n"
                                        "i: |\n  two\n  lines\nj: [1, x, null]\nk: {}\nl: 1e3\nm: .inf\n");
  g_autofree char *aliases = yaml_json ("base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\nlist: &l [1, 2]\nagain: *l\n");
  g_autoptr(GString) bomb = g_string_new ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *bomb_error = NULL;
  g_autofree char *deep_error = NULL;
  g_autofree char *syntax = yaml_error ("a: [1, 2\nb: 3\n", 14);
  g_autofree char *alias = yaml_error ("a: *nowhere\n", 12);
  gint64 start;

  g_assert_cmpstr (scalars, ==, "{\"a\":1,\"b\":-2.5,\"c\":true,\"d\":null,\"e\":\"true\",\"f\":\"7\",\"g\":31,"
                                "\"h\":\"hello world\",\"i\":\"two\\nlines\\n\",\"j\":[1,\"x\",null],\"k\":{},\"l\":1000.0,"
                                "\"m\":\".inf\"}");
  g_assert_cmpstr (aliases, ==, "{\"base\":{\"x\":1,\"y\":2},\"use\":{\"x\":1,\"y\":2},\"merged\":{\"x\":1,\"y\":3},"
                                "\"list\":[1,2],\"again\":[1,2]}");

  /* A billion laughs: refused once it passes a million values, quickly */
  for (char c = 'b'; c <= 'j'; c++)
    g_string_append_printf (bomb, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c,
                            c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
  start = g_get_monotonic_time ();
  bomb_error = yaml_error (bomb->str, bomb->len);
  g_assert_nonnull (strstr (bomb_error, "more than a million values"));
  g_test_message ("billion laughs refused in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  /* 100,000 levels deep */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_error = yaml_error (deep->str, deep->len);
  g_assert_nonnull (strstr (deep_error, "nested too deeply"));

  g_assert_true (g_str_has_prefix (syntax, "line 2, column "));
  g_assert_nonnull (strstr (alias, "line 1, column 4"));
}

/* OpenAPI */

static void
test_openapi_yaml (void)
{
  g_autoptr(GFile) input = fixture_copy ("openapi/pets.yaml");
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = import_at (input, "pets-collection", &import);
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  GListModel *children = sonde_collection_node_get_children (root);
  g_autoptr(SondeCollectionNode) pets = g_list_model_get_item (children, 0);
  g_autoptr(SondeCollectionNode) store = g_list_model_get_item (children, 1);
  GListModel *environments = sonde_collection_get_environments (collection);
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) create = NULL;
  g_autoptr(JsonNode) pet = NULL;
  g_autoptr(JsonNode) order = NULL;
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  SondeRequest *request;
  GListStore *variables;

  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_OPENAPI);
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "Pet Store");
  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 7);

  /* {{baseUrl}} from the first server and its variables; each server an environment */
  variables = sonde_collection_node_get_variables (root);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (variables, 0)), ==, "baseUrl");
  g_assert_true (g_str_has_prefix (sonde_key_value_get_value (row_at (variables, 0)), "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (sonde_key_value_get_value (row_at (variables, 0)), "/echo"));
  g_assert_cmpuint (g_list_model_get_n_items (environments), ==, 2);
  /* Global security: the collection's auth, and its variable */
  g_assert_cmpint (sonde_auth_get_kind (sonde_collection_node_get_auth (root)), ==, SONDE_AUTH_BEARER);
  g_assert_cmpstr (sonde_key_value_get_name (row_at (variables, 1)), ==, "token");
  g_assert_true (sonde_variable_get_secret (row_at (variables, 1)));

  /* Folders by tag, in the order of "tags", untagged at the root */
  g_assert_cmpstr (sonde_collection_node_get_name (pets), ==, "pets");
  g_assert_cmpstr (json_object_get_string_member (sonde_collection_node_get_extra (pets), "description"), ==,
                   "Everything about pets");
  g_assert_cmpstr (sonde_collection_node_get_name (store), ==, "store");

  /* Parameters: required enabled, optional disabled, values from defaults and enums; path
   * parameters from the path item and $ref */
  request = request_named (collection, "List pets");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/pets");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_params (request), 0)), ==, "20");
  g_assert_true (sonde_key_value_get_enabled (row_at (sonde_request_get_params (request), 0)));
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_params (request), 1)), ==, "name");
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_request_get_params (request), 1)));
  g_assert_cmpstr (sonde_key_value_get_name (row_at (sonde_request_get_headers (request), 0)), ==, "X-Trace-Id");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_INHERIT);
  g_assert_true (g_file_load_contents (sonde_collection_node_get_file (find_request (collection, "List pets")), NULL, &text, NULL, NULL, NULL));
  g_assert_nonnull (strstr (text, "{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\"}"));

  /* A body made from the schema, through $refs, a cycle cut */
  request = request_named (collection, "Create a pet");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_JSON);
  g_assert_nonnull (strstr (sonde_body_get_text (sonde_request_get_body (request)), "\"name\" : \"Rex\""));
  g_assert_nonnull (strstr (sonde_body_get_text (sonde_request_get_body (request)), "\"owner\" : {"));

  /* security: [] is no auth; path templates as variables */
  request = request_named (collection, "showPetById");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/pets/{{petId}}");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NONE);

  request = request_named (collection, "Upload a photo");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_MULTIPART);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_API_KEY);
  request = request_named (collection, "Place an order");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_FORM);
  g_assert_true (report_has (import, "the reference other.yaml#/components/parameters/Page points outside the file"));
  g_assert_true (report_has (import, "the part “file” is a file"));
  g_assert_true (report_has (import, "the documented responses were not imported"));

  /* Sent */
  g_hash_table_insert (overrides, "token", "t0k");
  g_hash_table_insert (overrides, "apiKey", "k1");
  list = send_named (collection, "List pets", overrides);
  g_assert_cmpstr (echo_string (list, "path"), ==, "/echo/pets");
  g_assert_cmpstr (echo_string (list, "query"), ==, "limit=20");
  value = sonde_test_echo_header (list, "Authorization");
  g_assert_cmpstr (value, ==, "Bearer t0k");
  create = send_named (collection, "Create a pet", overrides);
  g_assert_nonnull (strstr (echo_string (create, "body"), "\"Rex\""));
  pet = send_named (collection, "showPetById", overrides);
  g_assert_cmpstr (echo_string (pet, "path"), ==, "/echo/pets/7");
  order = send_named (collection, "Place an order", overrides);
  g_assert_cmpstr (echo_string (order, "body"), ==, "petId=7&quantity=1");
}

static void
test_openapi_31_and_swagger (void)
{
  g_autoptr(GFile) library = fixture_copy ("openapi/library.json");
  g_autoptr(GFile) legacy = fixture_copy ("openapi/legacy-swagger.json");
  g_autoptr(SondeImport) library_import = NULL;
  g_autoptr(SondeImport) legacy_import = NULL;
  g_autoptr(SondeCollection) books = import_at (library, "library-collection", &library_import);
  g_autoptr(SondeCollection) items = import_at (legacy, "legacy-collection", &legacy_import);
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) search = NULL;
  g_autoptr(JsonNode) add = NULL;
  g_autofree char *cookie = NULL;
  SondeRequest *request;

  /* 3.1: examples, types as lists, a cookie parameter, oauth2 kept */
  request = request_named (books, "addBook");
  g_assert_nonnull (strstr (sonde_body_get_text (sonde_request_get_body (request)), "\"title\" : \"Dune\""));
  g_assert_true (report_has (library_import, "its security scheme “oauth” (oauth2) is kept in the file"));
  request = request_named (books, "GET /echo/books/search");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_params (request), 0)), ==, "dune");
  g_assert_cmpstr (sonde_key_value_get_value (row_at (sonde_request_get_cookies (request), 0)), ==, "s1");
  search = send_named (books, "GET /echo/books/search", NULL);
  g_assert_cmpstr (echo_string (search, "query"), ==, "q=dune");

  /* Swagger 2.0: host and basePath, a body parameter, form data with a file, basic auth */
  g_assert_cmpint (sonde_auth_get_kind (sonde_collection_node_get_auth (sonde_collection_get_root (items))), ==,
                   SONDE_AUTH_BASIC);
  request = request_named (items, "Add item");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{baseUrl}}/items");
  g_assert_nonnull (strstr (sonde_body_get_text (sonde_request_get_body (request)), "\"name\" : \"Cup\""));
  g_assert_false (sonde_key_value_get_enabled (row_at (sonde_request_get_params (request), 0)));
  request = request_named (items, "POST /items/{id}/file");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_MULTIPART);
  g_hash_table_insert (overrides, "username", "ann");
  g_hash_table_insert (overrides, "password", "pw");
  add = send_named (items, "Add item", overrides);
  g_assert_cmpstr (echo_string (add, "path"), ==, "/echo/items");
  cookie = sonde_test_echo_header (add, "Content-Type");
  g_assert_cmpstr (cookie, ==, "application/json");
}

static void
test_openapi_bad_input (void)
{
  g_autofree char *v4 = import_error_of (temp_dir, "v4.yaml", "openapi: 4.0.0\ninfo: {title: x}\n", -1, SONDE_IMPORT_FORMAT_OPENAPI);
  g_autofree char *v12 = import_error_of (temp_dir, "v12.json", "{\"swagger\": \"1.2\"}", -1, SONDE_IMPORT_FORMAT_OPENAPI);
  g_autofree char *none = import_error_of (temp_dir, "none.yaml", "title: nothing\n", -1, SONDE_IMPORT_FORMAT_OPENAPI);
  g_autofree char *broken = import_error_of (temp_dir, "broken.yaml", "openapi: 3.0.0\npaths:\n  /a: [\n", -1, SONDE_IMPORT_FORMAT_OPENAPI);

  g_assert_nonnull (strstr (v4, "OpenAPI 4.0.0 is not a version"));
  g_assert_nonnull (strstr (v12, "Swagger 1.2"));
  g_assert_nonnull (strstr (none, "no “openapi” or “swagger” version"));
  g_assert_nonnull (strstr (broken, "broken.yaml: line 4"));

  /* A schema that fans out: ten properties of ten properties… twelve levels deep. Its example
   * body is cut at a budget, quickly. */
  {
    g_autoptr(GString) spec = g_string_new ("{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"Fan\"}, "
                                            "\"paths\": {\"/a\": {\"post\": {\"requestBody\": {\"content\": "
                                            "{\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/S0\"}}}}}}}, "
                                            "\"components\": {\"schemas\": {");
    g_autofree char *path = g_build_filename (temp_dir, "fan.json", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(SondeImport) import = NULL;
    g_autoptr(GError) error = NULL;
    gint64 start;

    for (guint level = 0; level < 14; level++)
      {
        g_string_append_printf (spec, "%s\"S%u\": {\"type\": \"object\", \"properties\": {", level > 0 ? ", " : "", level);
        for (guint p = 0; p < 10; p++)
          g_string_append_printf (spec, "%s\"p%u\": {\"$ref\": \"#/components/schemas/S%u\"}", p > 0 ? ", " : "", p, level + 1);
        g_string_append (spec, "}}");
      }
    g_string_append (spec, "}}}");
    g_assert_true (g_file_set_contents (path, spec->str, spec->len, NULL));
    start = g_get_monotonic_time ();
    import = sonde_import_file (file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 1);
    g_test_message ("a fanning schema took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  }
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
  temp_dir = g_dir_make_tmp ("sonde-import-formats-XXXXXX", NULL);

  g_test_add_func ("/import-har/entries", test_har);
  g_test_add_func ("/import-har/bad-input", test_har_bad_input);
  g_test_add_func ("/import-insomnia/export", test_insomnia);
  g_test_add_func ("/import-insomnia/v5", test_insomnia_v5);
  g_test_add_func ("/import-insomnia/bad-input", test_insomnia_bad_input);
  g_test_add_func ("/import-bruno/collection", test_bruno);
  g_test_add_func ("/import-bruno/bad-input", test_bruno_bad_input);
  g_test_add_func ("/import-openapi/yaml", test_yaml);
  g_test_add_func ("/import-openapi/openapi-3.0-yaml", test_openapi_yaml);
  g_test_add_func ("/import-openapi/3.1-and-swagger", test_openapi_31_and_swagger);
  g_test_add_func ("/import-openapi/bad-input", test_openapi_bad_input);

  status = g_test_run ();
  sonde_test_remove_tree (temp_dir);
  g_free (temp_dir);
  g_clear_object (&client);
  sonde_test_server_free (server);
  return status;
}

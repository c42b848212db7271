/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GraphQL bodies: sent as JSON (or in the URL with GET) to a small in-process GraphQL
 * endpoint, its 200-with-errors answers read, its schema's names read from introspection. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "sonde-test-utils.h"

static SoupServer *server;
static char *base_url;
static guint requests_seen;

/* What the endpoint answers to an introspection query: a schema of one type. */
static const char introspection_answer[] =
  "{\"data\": {\"__schema\": {\"queryType\": {\"name\": \"Query\"}, \"mutationType\": null,"
  " \"subscriptionType\": null, \"types\": ["
  "  {\"kind\": \"OBJECT\", \"name\": \"Query\", \"fields\": [{\"name\": \"user\", \"args\": [{\"name\": \"id\"}]}],"
  "   \"inputFields\": null, \"enumValues\": null},"
  "  {\"kind\": \"OBJECT\", \"name\": \"User\", \"fields\": [{\"name\": \"name\", \"args\": []},"
  "   {\"name\": \"role\", \"args\": []}], \"inputFields\": null, \"enumValues\": null},"
  "  {\"kind\": \"ENUM\", \"name\": \"Role\", \"fields\": null, \"inputFields\": null,"
  "   \"enumValues\": [{\"name\": \"ADMIN\"}, {\"name\": \"READER\"}]},"
  "  {\"kind\": \"OBJECT\", \"name\": \"__Type\", \"fields\": [{\"name\": \"kind\", \"args\": []}]}],"
  " \"directives\": [{\"name\": \"skip\"}, {\"name\": \"include\"}]}}}";

static void
answer (SoupServerMessage *msg,
        const char        *json)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

/* The endpoint: "__schema" gets the schema, "broken" a field error, anything else is
 * echoed back under "data" (with how it came: the method and the content type). */
static void
graphql_cb (SoupServer        *soup_server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) echo = NULL;
  g_autoptr(JsonNode) received = NULL;
  g_autofree char *text = NULL;
  const char *graphql_query = NULL;

  requests_seen++;
  if (g_str_equal (method, "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *body_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      received = json_from_string (body_text, NULL);
      g_assert_nonnull (received);
      graphql_query = json_object_get_string_member (json_node_get_object (received), "query");
    }
  else
    {
      g_assert_nonnull (query);
      graphql_query = g_hash_table_lookup (query, "query");
    }
  g_assert_nonnull (graphql_query);

  if (strstr (graphql_query, "__schema") != NULL)
    {
      answer (msg, introspection_answer);
      return;
    }
  if (strstr (graphql_query, "broken") != NULL)
    {
      answer (msg, "{\"errors\": [{\"message\": \"Cannot query field \\\"broken\\\" on type \\\"Query\\\".\","
                   " \"locations\": [{\"line\": 1, \"column\": 3}]},"
                   " {\"message\": \"Not allowed\", \"path\": [\"user\", 0, \"name\"]}], \"data\": null}");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "contentType");
  json_builder_add_string_value (builder, soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL));
  json_builder_set_member_name (builder, "received");
  if (received != NULL)
    json_builder_add_value (builder, json_node_copy (received));
  else
    {
      json_builder_begin_object (builder);
      for (const char * const *key = (const char * const[]) { "query", "variables", "operationName", NULL }; *key != NULL; key++)
        if (g_hash_table_lookup (query, *key) != NULL)
          {
            json_builder_set_member_name (builder, *key);
            json_builder_add_string_value (builder, g_hash_table_lookup (query, *key));
          }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  echo = json_builder_get_root (builder);
  text = json_to_string (echo, FALSE);
  answer (msg, text);
}

static SondeRequest *
graphql_request (const char *method,
                 const char *query,
                 const char *variables,
                 const char *operation_name)
{
  SondeRequest *request = sonde_request_new ();
  SondeBody *body = sonde_request_get_body (request);
  g_autofree char *url = g_strconcat (base_url, "/graphql", NULL);

  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);
  sonde_body_set_kind (body, SONDE_BODY_GRAPHQL);
  sonde_body_set_text (body, query);
  sonde_body_set_variables (body, variables);
  sonde_body_set_operation_name (body, operation_name);
  return request;
}

/* The response's body as JSON, its "data" object */
static JsonObject *
response_data (SondeResponse *response,
               JsonNode     **keep)
{
  g_autoptr(GBytes) bytes = sonde_body_store_get_bytes (sonde_response_get_body (response));
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  *keep = json_from_string (text, NULL);
  g_assert_nonnull (*keep);
  return json_object_get_object_member (json_node_get_object (*keep), "data");
}

static SondeResponse *
send (SondeRequest  *request,
      GError       **error)
{
  g_autoptr(SondeClient) client = sonde_client_new ();

  return sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, error);
}

static void
test_post (void)
{
  g_autoptr(SondeRequest) request = graphql_request ("POST", "query User($id: ID!) { user(id: $id) { name } }",
                                                     "{\"id\": \"{{userId}}\", \"deep\": {\"n\": [1, 2]}}", "User");
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data;
  JsonObject *received;

  g_hash_table_insert (variables, "userId", "u-7");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  response = send (expanded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  data = response_data (response, &keep);
  g_assert_cmpstr (json_object_get_string_member (data, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (data, "contentType"), ==, "application/json");
  received = json_object_get_object_member (data, "received");
  g_assert_cmpstr (json_object_get_string_member (received, "query"), ==, "query User($id: ID!) { user(id: $id) { name } }");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (received, "variables"), "id"), ==, "u-7");
  g_assert_cmpstr (json_object_get_string_member (received, "operationName"), ==, "User");
  g_assert_null (sonde_graphql_response_errors (response));

  /* No variables, no operation name: only "query" */
  {
    g_autoptr(SondeRequest) plain = graphql_request ("POST", "{ user { name } }", "  ", "");
    g_autoptr(SondeResponse) plain_response = send (plain, &error);
    g_autoptr(JsonNode) plain_keep = NULL;

    g_assert_no_error (error);
    received = json_object_get_object_member (response_data (plain_response, &plain_keep), "received");
    g_assert_cmpuint (json_object_get_size (received), ==, 1);
  }
}

/* GET puts the three in the query string (GraphQL over HTTP), no body */
static void
test_get (void)
{
  g_autoptr(SondeRequest) request = graphql_request ("GET", "{ user(id: \"a&b\") { name } }", "{\"x\": 1}", "");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  JsonObject *data;
  JsonObject *received;

  url = sonde_request_build_url (request, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (url, "/graphql?query=%7B%20user%28id%3A%20%22a%26b%22%29%20%7B%20name%20%7D%20%7D&variables=%7B%22x%22%3A1%7D"));
  response = send (request, &error);
  g_assert_no_error (error);
  data = response_data (response, &keep);
  g_assert_cmpstr (json_object_get_string_member (data, "method"), ==, "GET");
  received = json_object_get_object_member (data, "received");
  g_assert_cmpstr (json_object_get_string_member (received, "query"), ==, "{ user(id: \"a&b\") { name } }");
  g_assert_cmpstr (json_object_get_string_member (received, "variables"), ==, "{\"x\":1}");
  g_assert_false (json_object_has_member (received, "operationName"));
}

/* Variables that are not a JSON object: a clear error, nothing sent */
static void
test_bad_variables (void)
{
  const char *bad[] = { "[1, 2]", "{\"a\": ", "42" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SondeRequest) request = graphql_request (i == 2 ? "GET" : "POST", "{ a }", bad[i], "");
      g_autoptr(SondeResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      guint before = requests_seen;

      response = send (request, &error);
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, "GraphQL variables"));
      g_assert_null (response);
      g_assert_cmpuint (requests_seen, ==, before);
    }
}

/* A 200 with "errors": each message, where it points */
static void
test_errors (void)
{
  g_autoptr(SondeRequest) request = graphql_request ("POST", "{ broken }", "", "");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) errors = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  errors = sonde_graphql_response_errors (response);
  g_assert_nonnull (errors);
  g_assert_cmpuint (g_strv_length (errors), ==, 2);
  g_assert_cmpstr (errors[0], ==, "Cannot query field \"broken\" on type \"Query\". (line 1, column 3)");
  g_assert_cmpstr (errors[1], ==, "Not allowed (user[0].name)");
}

/* Introspection: the names completion offers, without the "__" ones */
static void
test_schema (void)
{
  g_autoptr(SondeRequest) request = graphql_request ("POST", sonde_graphql_introspection_query, "", "");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) names = NULL;
  const char * const expected[] = {
    "ADMIN", "Query", "READER", "Role", "User", "id", "include", "kind", "name", "role", "skip", "user", NULL
  };

  response = send (request, &error);
  g_assert_no_error (error);
  bytes = sonde_body_store_get_bytes (sonde_response_get_body (response));
  names = sonde_graphql_schema_names (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, expected);

  /* An answer with errors says the server's words; another body, that it holds no schema */
  {
    const char *refused_text = "{\"errors\": [{\"message\": \"introspection is disabled\"}]}";
    const char *other_text = "{\"data\": {}}";
    g_autoptr(GBytes) refused = g_bytes_new_static (refused_text, strlen (refused_text));
    g_autoptr(GBytes) other = g_bytes_new_static (other_text, strlen (other_text));
    g_auto(GStrv) none = NULL;

    none = sonde_graphql_schema_names (refused, &error);
    g_assert_null (none);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
    g_assert_nonnull (strstr (error->message, "introspection is disabled"));
    g_clear_error (&error);
    none = sonde_graphql_schema_names (other, &error);
    g_assert_null (none);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  }
}

/* In a request file: the query inline when it is one short line, else in a .graphql sidecar;
 * the variables as the JSON object they are */
static void
test_request_file (void)
{
  g_autoptr(SondeRequest) request = graphql_request ("POST", "query Q {\n  user { name }\n}\n",
                                                     "{\"id\": 1}", "Q");
  g_autofree char *sidecar = NULL;
  g_autofree char *data = sonde_request_to_data (request, "find-user.request.json", &sidecar);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (data, &error);
  JsonObject *body;

  g_assert_no_error (error);
  body = json_object_get_object_member (json_node_get_object (node), "body");
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "graphql");
  g_assert_cmpstr (json_object_get_string_member (body, "file"), ==, "find-user.body.graphql");
  g_assert_false (json_object_has_member (body, "query"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "variables"), "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "operationName"), ==, "Q");
  g_assert_cmpstr (sidecar, ==, "query Q {\n  user { name }\n}\n");

  /* Variables that are not (yet) an object are kept as the text typed */
  {
    g_autoptr(SondeRequest) typing = graphql_request ("POST", "{ a }", "{\"id\": ", "");
    g_autofree char *typed = sonde_request_to_data (typing, "t.request.json", NULL);
    g_autoptr(SondeRequest) again = sonde_request_load_from_data (typed, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (typed, "\"query\": \"{ a }\""));
    g_assert_cmpstr (sonde_body_get_variables (sonde_request_get_body (again)), ==, "{\"id\": ");
  }

  /* "variables" of another type is a clear error */
  {
    g_autoptr(SondeRequest) wrong = sonde_request_load_from_data (
      "{\"method\": \"POST\", \"url\": \"http://h/\", \"body\": {\"type\": \"graphql\", \"query\": \"{a}\", \"variables\": [1]}}",
      -1, NULL, &error);

    g_assert_null (wrong);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  }
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/graphql", graphql_cb, NULL, NULL);
  base_url = sonde_test_listen_local (server);

  g_test_add_func ("/graphql/post", test_post);
  g_test_add_func ("/graphql/get", test_get);
  g_test_add_func ("/graphql/bad-variables", test_bad_variables);
  g_test_add_func ("/graphql/errors", test_errors);
  g_test_add_func ("/graphql/schema", test_schema);
  g_test_add_func ("/graphql/request-file", test_request_file);

  status = g_test_run ();
  g_clear_object (&server);
  g_free (base_url);
  return status;
}

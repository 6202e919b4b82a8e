/* test-rules.c
 * The routing table: each path of the vocabulary from the signals its hops carry, the
 * evidence text, and conflicts (competing strong signals, ties).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <wsutil/wmem/wmem.h>

#include "ewsflow-rules.h"
#include "ewsflow-auth.h"

#include "check.h"

static ewsflow_verdict_t
verdict(wmem_allocator_t *a, const ewsflow_signals_t *s)
{
    ewsflow_verdict_t v;
    ewsflow_classify(a, s, &v);
    return v;
}

static ewsflow_signals_t
hop(const char *ua, const char *auth, const char *uri)
{
    ewsflow_signals_t s;
    memset(&s, 0, sizeof(s));
    s.method = "POST";
    s.uri = uri;
    s.user_agent = ua;
    s.authorization = auth;
    s.server_port = 443;
    s.have_soap = TRUE;
    return s;
}

int
main(void)
{
    wmem_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_STRICT);
    const char *ews = "/EWS/Exchange.asmx", *wss = "/EWS/Exchange.asmx/WSSecurity";
    const char *https_ua = "ASProxy/CrossForest/Directory/https/15.02.1118.040";

    /* personal relationship: SharingSecurity decides, and no conflict with the org relationship */
    ewsflow_signals_t s = hop(https_ua, NULL, wss);
    s.request_type = "CrossForest";
    s.wsse = TRUE;
    s.sharing_security = TRUE;
    s.rsv = "Exchange2012";
    ewsflow_verdict_t v = verdict(a, &s);
    CHECK(v.path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP);
    CHECK(strstr(v.evidence, "SharingSecurity") && strstr(v.evidence, "[strong]"));
    CHECK(v.conflict == NULL);

    /* the same hop without SharingSecurity is the organization relationship */
    s.sharing_security = FALSE;
    v = verdict(a, &s);
    CHECK(v.path == EWSFLOW_PATH_ORG_RELATIONSHIP);
    CHECK(v.conflict == NULL);

    /* headers only (body never sent): a tie, reported */
    ewsflow_signals_t hs = hop(https_ua, NULL, wss);
    hs.have_soap = FALSE;
    v = verdict(a, &hs);
    CHECK(v.path == EWSFLOW_PATH_ORG_RELATIONSHIP || v.path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP);
    CHECK(v.conflict && strstr(v.conflict, "equally likely"));

    /* address spaces */
    s = hop("ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040", "Negotiate abc", ews);
    s.request_type = "CrossForest";
    s.ssc = TRUE;
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_AS_PERUSER);
    s.ssc = FALSE;
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_AS_ORGWIDE);
    s.authorization = "Basic dXNlcjpwYXNz";
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_AS_ORGWIDE_BASIC);

    /* cross-site */
    s = hop("ASProxy/CrossSite/Directory/EXCH/15.02.1118.040", "Negotiate abc", ews);
    s.request_type = "CrossSite";
    s.ssc = TRUE;
    s.server_port = 444;
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_CROSS_SITE);

    /* a federated request relayed inside the target org: personal, with the CrossSite conflict shown */
    s = hop("ASProxy/CrossSite/Directory/EXCH/15.02.1118.040", NULL, wss);
    s.request_type = "CrossSite";
    s.wsse = TRUE;
    s.sharing_security = TRUE;
    v = verdict(a, &s);
    CHECK(v.path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP);
    CHECK(v.conflict && strstr(v.conflict, "cross-site"));

    /* OAuth */
    s = hop("ASProxy/CrossForest/EmailDomain//15.02.1118.040", "Bearer eyJ", ews);
    s.rsv = "Exchange2012";
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_OAUTH_INTRAORG);

    /* front end -> back end beats the client's own signals it carries */
    s = hop("Microsoft Office/16.0 (Outlook)", "Negotiate abc", ews);
    s.cafe_headers = TRUE;
    s.server_port = 444;
    s.rsv = "Exchange2013";
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_FRONTEND_BACKEND);
    s.cafe_headers = FALSE;
    s.server_port = 443;
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_CLIENT_EWS);

    /* OWA, Autodiscover, unknown */
    ewsflow_signals_t o;
    memset(&o, 0, sizeof(o));
    o.uri = "/owa/service.svc?action=GetUserAvailabilityInternal";
    o.action = "GetUserAvailabilityInternal";
    CHECK(verdict(a, &o).path == EWSFLOW_PATH_CLIENT_OWA);
    memset(&o, 0, sizeof(o));
    o.uri = "/autodiscover/autodiscover.svc/WSSecurity";
    o.user_agent = "ASAutoDiscover/CrossForest/EmailDomain//15.02";
    v = verdict(a, &o);
    CHECK(v.path == EWSFLOW_PATH_AUTODISCOVER);
    CHECK(ewsflow_is_exchange_request(&o));
    memset(&o, 0, sizeof(o));
    o.uri = "/ews/services.wsdl";
    CHECK(ewsflow_is_exchange_request(&o));
    CHECK(verdict(a, &o).path == EWSFLOW_PATH_UNKNOWN);
    memset(&o, 0, sizeof(o));
    o.uri = "/index.html";
    CHECK(!ewsflow_is_exchange_request(&o));

    /* vocabulary */
    CHECK(strcmp(ewsflow_path_name(EWSFLOW_PATH_AS_ORGWIDE_BASIC), "address-space-orgwide-basic") == 0);
    for (int p = 0; p < EWSFLOW_PATH__COUNT; p++) {
        CHECK(ewsflow_path_name((ewsflow_path_t)p) != NULL);
        CHECK(ewsflow_path_reset_hint((ewsflow_path_t)p) != NULL);
    }
    CHECK(strstr(ewsflow_path_reset_hint(EWSFLOW_PATH_PERSONAL_RELATIONSHIP), "sharing subscription") != NULL);

    /* JWT: header and claims decoded, bad input refused without a crash */
    ewsflow_jwt_t j;
    /* {"alg":"RS256","typ":"JWT"} . {"aud":"00000002-0000-0ff1-ce00-000000000000/x@y","appid":"a","exp":1795003600,"actortoken":"z"} */
    CHECK(ewsflow_jwt_decode(a, "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
                             "eyJhdWQiOiIwMDAwMDAwMi0wMDAwLTBmZjEtY2UwMC0wMDAwMDAwMDAwMDAveEB5IiwiYXBwaWQiOiJhIiwiZXhwIjoxNzk1MDAzNjAwLCJhY3RvcnRva2VuIjoieiJ9.sig", &j));
    CHECK(j.error == NULL && j.alg && strcmp(j.alg, "RS256") == 0);
    CHECK(j.exp == 1795003600 && j.actor && ewsflow_jwt_is_s2s(&j));
    CHECK(ewsflow_jwt_decode(a, "Bearer", &j) && j.empty);
    CHECK(ewsflow_jwt_decode(a, "Bearer a.b", &j) && j.error != NULL);
    CHECK(ewsflow_jwt_decode(a, "Bearer e%%%.x.y", &j) && j.error != NULL);
    CHECK(ewsflow_jwt_decode(a, "Bearer bm90IGpzb24.bm90IGpzb24.x", &j) && j.error != NULL);   /* "not json" */
    /* exactly three parts: a fourth dot, or thousands, make it malformed; a JWE's five are named */
    const char *good = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJ4In0.sig";
    char *extra = g_strdup_printf("Bearer %s.", good);
    CHECK(ewsflow_jwt_decode(a, extra, &j) && j.error && strstr(j.error, "4 parts") && j.n_claims == 0);
    g_free(extra);
    GString *dots = g_string_new("Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJ4In0");
    for (int i = 0; i < 10000; i++)
        g_string_append_c(dots, '.');
    CHECK(ewsflow_jwt_decode(a, dots->str, &j) && j.error && strstr(j.error, "10002 parts") && j.aud == NULL);
    g_string_free(dots, TRUE);
    CHECK(ewsflow_jwt_decode(a, "Bearer a.b.c.d.e", &j) && j.error && strstr(j.error, "JWE"));
    /* a well-formed token over the size bound says which bound */
    GString *big = g_string_new("Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.");
    for (int i = 0; i < 20000; i++)
        g_string_append_c(big, 'A');
    g_string_append(big, ".sig");
    CHECK(ewsflow_jwt_decode(a, big->str, &j) && j.error && strstr(j.error, "over the 16384-byte decoding limit"));
    g_string_free(big, TRUE);
    CHECK(!ewsflow_jwt_decode(a, "Negotiate abc", &j));

    /* the account an Authorization header names, never its secret */
    CHECK_STR(ewsflow_auth_account(a, "Basic Q09OVE9TT1xhbGljZTpwQHNzOncwcmQ="), "CONTOSO\\alice");                 /* CONTOSO\\alice:p@ss:w0rd */
    CHECK_STR(ewsflow_auth_account(a, "NTLM TlRMTVNTUAADAAAAAAAAAGAAAAAAAAAAYAAAAA4ADgBAAAAACgAKAE4AAAAIAAgAWAAAAAAAAABgAAAAAQAAAEMATwBOAFQATwBTAE8AYQBsAGkAYwBlAFcAUwAwADEA"), "CONTOSO\\alice");                  /* AUTHENTICATE, UTF-16 */
    CHECK_STR(ewsflow_auth_account(a, "Negotiate oYGQMIGNooGKBIGHTlRMTVNTUAADAAAAAAAAAGAAAAAAAAAAYAAAAA4ADgBAAAAACgAKAE4AAAAIAAgAWAAAAAAAAABgAAAAAQAAAEMATwBOAFQATwBTAE8AYQBsAGkAYwBlAFcAUwAwADEA"), "CONTOSO\\alice");             /* the same inside SPNEGO */
    CHECK(ewsflow_auth_account(a, "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAA=") == NULL);                                 /* NEGOTIATE names nobody */
    CHECK(ewsflow_auth_account(a, "Negotiate YIIHPgYGKwYBBQUCoIIHMjCCBy6gMDAuBgkqhkiC9xIBAgIG") == NULL);   /* Kerberos */
    CHECK(ewsflow_auth_account(a, "Basic !!!") == NULL && ewsflow_auth_account(a, "Basic") == NULL);
    CHECK(ewsflow_auth_account(a, "NTLM TlRMTVNTUAADAAAA") == NULL);                   /* truncated: no crash */
    CHECK(ewsflow_auth_account(a, NULL) == NULL);
    CHECK(!ewsflow_jwt_decode(a, "Bearerish x", &j));
    ewsflow_pair_t p[8];
    const char *lead;
    guint np = ewsflow_auth_params(a, "Bearer client_id=\"00000002\", trusted_issuers=\"x@*\", error=invalid_token", ',', &lead, p, 8);
    CHECK(np == 3 && strcmp(lead, "Bearer") == 0 && strcmp(p[0].name, "client_id") == 0 && strcmp(p[0].value, "00000002") == 0);
    CHECK(strcmp(p[2].value, "invalid_token") == 0);
    np = ewsflow_auth_params(a, "2000003;reason=\"bad; audience\";error_category=\"invalid_resource\"", ';', &lead, p, 8);
    CHECK(np == 2 && strcmp(lead, "2000003") == 0 && strcmp(p[0].value, "bad; audience") == 0);
    CHECK(ewsflow_auth_params(a, "Bearer =\"unterminated", ',', &lead, p, 8) <= 1);

    wmem_destroy_allocator(a);
    wmem_cleanup();
    return check_report();
}

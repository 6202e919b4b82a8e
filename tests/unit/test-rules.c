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

/* Stage 2 of the classifier as a property: for every set of at most two strong signals and
 * every set of weak (or absence-based) signals, the chosen path carries the most strong weight
 * among the paths stage 1 allows. Every pair of paths (A, B) where strong evidence favours A
 * and weak evidence favours B is a case where weak would overrule strong without the rule: the
 * test counts the pairs it reached that way and B must never be chosen. */
static void
weak_never_overrules_strong(void)
{
    current = "weak never overrules strong";
    int n = ewsflow_signal_count();
    int strong_sigs[32], weak_sigs[32], ns = 0, nw = 0;
    for (int k = 0; k < n; k++) {
        if (ewsflow_signal_is_strong(k))
            strong_sigs[ns++] = k;
        else
            weak_sigs[nw++] = k;
    }
    CHECK(ns >= 10 && nw >= 10 && nw <= 20);
    int weight[32][EWSFLOW_PATH__COUNT];
    for (int k = 0; k < n; k++) {
        for (int p = 0; p < EWSFLOW_PATH__COUNT; p++)
            weight[k][p] = ewsflow_signal_weight(k, (ewsflow_path_t)p);
    }
    gboolean pair_seen[EWSFLOW_PATH__COUNT][EWSFLOW_PATH__COUNT];
    memset(pair_seen, 0, sizeof(pair_seen));
    long cases = 0, wrong = 0;
    for (int i = -1; i < ns; i++) {
        for (int j = i; j < ns; j++) {
            guint32 strong_mask = (i >= 0 ? 1u << strong_sigs[i] : 0) | (j >= 0 ? 1u << strong_sigs[j] : 0);
            guint32 step = (i >= 0 && j != i) ? 7 : 1;   /* pairs of strong signals: every 7th weak set */
            for (guint32 w = 0; w < (1u << nw); w += step) {
                guint32 mask = strong_mask;
                for (int b = 0; b < nw; b++) {
                    if (w & (1u << b))
                        mask |= 1u << weak_sigs[b];
                }
                int strong[EWSFLOW_PATH__COUNT] = { 0 }, weak[EWSFLOW_PATH__COUNT] = { 0 };
                for (int p = 1; p < EWSFLOW_PATH__COUNT; p++) {
                    for (int k = 0; k < n; k++) {
                        if (mask & (1u << k))
                            (ewsflow_signal_is_strong(k) ? strong : weak)[p] += weight[k][p];
                    }
                }
                ewsflow_path_t got = ewsflow_rank_signals(mask);
                cases++;
                for (int q = 1; q < EWSFLOW_PATH__COUNT; q++) {
                    if (!ewsflow_path_allowed(mask, (ewsflow_path_t)q) || q == (int)got)
                        continue;
                    if (strong[q] > strong[got]) {
                        if (wrong++ < 5)
                            fprintf(stderr, "signals 0x%08x: chose %s (strong %d) over %s (strong %d)\n", mask,
                                    ewsflow_path_name(got), strong[got], ewsflow_path_name((ewsflow_path_t)q), strong[q]);
                    }
                    /* q won on weak weight, got on strong: the case this stage exists for */
                    if (strong[q] < strong[got] && strong[q] + weak[q] > strong[got] + weak[got])
                        pair_seen[got][q] = TRUE;
                }
            }
        }
    }
    int pairs = 0;
    for (int a = 0; a < EWSFLOW_PATH__COUNT; a++) {
        for (int b = 0; b < EWSFLOW_PATH__COUNT; b++)
            pairs += pair_seen[a][b];
    }
    printf("weak never overrules strong: %ld signal sets, %d pairs of paths where weak weight favoured the loser\n",
           cases, pairs);
    CHECK(wrong == 0);
    CHECK(cases > 500000);
    /* the case: the PerUserFB hop's SerializedSecurityContext over OAuth's weak signals */
    CHECK(pair_seen[EWSFLOW_PATH_AS_PERUSER][EWSFLOW_PATH_OAUTH_INTRAORG]);
    CHECK(pairs >= 20);
}

/* What real servers vary on a hop, against what the body says: every ASProxy User-Agent form
 * (Directory/EmailDomain; EXCH, EXPR, https, empty), in any case, with and without
 * RequestTypeHeader. The path follows the body's strong evidence whatever the User-Agent. */
static void
hop_variations(wmem_allocator_t *a)
{
    current = "hop variations";
    static const char *const sources[] = { "Directory", "EmailDomain" };
    static const char *const kinds[] = { "EXCH", "EXPR", "https", "" };
    static const struct {
        ewsflow_path_t path;
        gboolean ssc, wsse, sharing, wss_url, needs_as_evidence;
        const char *auth;
    } bodies[] = {
        { EWSFLOW_PATH_AS_PERUSER, TRUE, FALSE, FALSE, FALSE, FALSE, "NTLM TlRMTVNTUAADAAAA" },
        { EWSFLOW_PATH_AS_ORGWIDE_BASIC, FALSE, FALSE, FALSE, FALSE, FALSE, "Basic c3ZjOnB3" },
        { EWSFLOW_PATH_ORG_RELATIONSHIP, FALSE, TRUE, FALSE, TRUE, FALSE, NULL },
        { EWSFLOW_PATH_PERSONAL_RELATIONSHIP, FALSE, TRUE, TRUE, TRUE, FALSE, NULL },
        { EWSFLOW_PATH_OAUTH_INTRAORG, FALSE, FALSE, FALSE, FALSE, FALSE, "Bearer eyJ" },
        /* organization-wide: only RequestType CrossForest or a POX User-Agent (EXCH/EXPR) tell it */
        { EWSFLOW_PATH_AS_ORGWIDE, FALSE, FALSE, FALSE, FALSE, TRUE, "Negotiate TlRMTVNTUAADAAAA" },
    };
    int cases = 0, wrong = 0;
    for (gsize b = 0; b < G_N_ELEMENTS(bodies); b++) {
        for (gsize src = 0; src < G_N_ELEMENTS(sources); src++) {
            for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
                for (int reqtype = 0; reqtype < 2; reqtype++) {
                    for (int lower = 0; lower < 2; lower++) {
                        gboolean pox_ua = k < 2;
                        if (bodies[b].needs_as_evidence && !reqtype && !pox_ua)
                            continue;
                        char *ua = g_strdup_printf("ASProxy/CrossForest/%s/%s/15.02.1544.004", sources[src], kinds[k]);
                        if (lower) {
                            char *l = g_ascii_strdown(ua, -1);
                            g_free(ua);
                            ua = l;
                        }
                        ewsflow_signals_t s = hop(ua, bodies[b].auth,
                                                  bodies[b].wss_url ? "/EWS/Exchange.asmx/WSSecurity" : "/EWS/Exchange.asmx");
                        s.ssc = bodies[b].ssc;
                        s.wsse = bodies[b].wsse;
                        s.sharing_security = bodies[b].sharing;
                        s.request_type = reqtype ? "CrossForest" : NULL;
                        s.rsv = "Exchange2012";
                        ewsflow_verdict_t v = verdict(a, &s);
                        cases++;
                        if (v.path != bodies[b].path && wrong++ < 5)
                            fprintf(stderr, "%s, %s, RequestTypeHeader %s: %s, expected %s\n", ua, bodies[b].auth ? bodies[b].auth : "no auth",
                                    reqtype ? "yes" : "no", ewsflow_path_name(v.path), ewsflow_path_name(bodies[b].path));
                        g_free(ua);
                    }
                }
            }
        }
    }
    printf("hop variations: %d combinations\n", cases);
    CHECK(wrong == 0);
    CHECK(cases > 150);
    current = "";
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

    /* #10 case 1: a client library with Basic and an unknown User-Agent is a client, not a hop */
    current = "client with Basic";
    s = hop("axios/1.7.2", "Basic Q09OVE9TT1xhbGljZTpwdw==", ews);
    s.rsv = "Exchange2013";
    v = verdict(a, &s);
    CHECK(v.path == EWSFLOW_PATH_CLIENT_EWS);
    CHECK(strstr(v.evidence, "never makes a hop") != NULL);
    /* #10 case 2: a PerUserFB hop over NTLM without RequestTypeHeader: the strong
     * SerializedSecurityContext decides over OAuth's two weak signals */
    current = "PerUserFB over NTLM, no RequestTypeHeader";
    s = hop("ASProxy/CrossForest/EmailDomain//15.02.1118.040", "NTLM TlRMTVNTUAADAAAA", ews);
    s.ssc = TRUE;
    v = verdict(a, &s);
    CHECK(v.path == EWSFLOW_PATH_AS_PERUSER);
    CHECK(v.conflict && strstr(v.conflict, "oauth-intraorg has more weight") && strstr(v.conflict, "never overrule"));
    /* the same hop with its RequestTypeHeader and either ASProxy form */
    s.request_type = "CrossForest";
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_AS_PERUSER);
    s.user_agent = "ASProxy/CrossForest/Directory/EXCH/15.02.1118.040";
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_AS_PERUSER);
    s.user_agent = "asproxy/crossforest/emaildomain/expr/15.02.1118.040";   /* case differs */
    CHECK(verdict(a, &s).path == EWSFLOW_PATH_AS_PERUSER);
    current = "";

    weak_never_overrules_strong();
    hop_variations(a);

    wmem_destroy_allocator(a);
    wmem_cleanup();
    return check_report();
}

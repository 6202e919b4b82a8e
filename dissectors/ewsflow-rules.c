/* ewsflow-rules.c
 * Routing-path inference (protocol-notes.md §6, §7, §11.6, §12). Read the two tables below as
 * a support engineer would: what was seen, how much it weighs, toward which path.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-rules.h"

#include <string.h>

static const char *const path_names[EWSFLOW_PATH__COUNT] = {
    [EWSFLOW_PATH_UNKNOWN]               = "unknown",
    [EWSFLOW_PATH_CLIENT_EWS]            = "client-ews",
    [EWSFLOW_PATH_CLIENT_OWA]            = "client-owa",
    [EWSFLOW_PATH_FRONTEND_BACKEND]      = "frontend-backend",
    [EWSFLOW_PATH_CROSS_SITE]            = "cross-site",
    [EWSFLOW_PATH_AS_PERUSER]            = "address-space-peruser",
    [EWSFLOW_PATH_AS_ORGWIDE]            = "address-space-orgwide",
    [EWSFLOW_PATH_AS_ORGWIDE_BASIC]      = "address-space-orgwide-basic",
    [EWSFLOW_PATH_ORG_RELATIONSHIP]      = "org-relationship",
    [EWSFLOW_PATH_PERSONAL_RELATIONSHIP] = "personal-relationship",
    [EWSFLOW_PATH_OAUTH_INTRAORG]        = "oauth-intraorg",
    [EWSFLOW_PATH_AUTODISCOVER]          = "autodiscover",
};

const char *
ewsflow_path_name(ewsflow_path_t p)
{
    return p < EWSFLOW_PATH__COUNT ? path_names[p] : "unknown";
}

gboolean
ewsflow_path_is_server_hop(ewsflow_path_t p)
{
    switch (p) {
    case EWSFLOW_PATH_CROSS_SITE:
    case EWSFLOW_PATH_AS_PERUSER:
    case EWSFLOW_PATH_AS_ORGWIDE:
    case EWSFLOW_PATH_AS_ORGWIDE_BASIC:
    case EWSFLOW_PATH_ORG_RELATIONSHIP:
    case EWSFLOW_PATH_PERSONAL_RELATIONSHIP:
    case EWSFLOW_PATH_OAUTH_INTRAORG:
        return TRUE;
    default:
        return FALSE;
    }
}

static const char *const reset_hints[EWSFLOW_PATH__COUNT] = {
    [EWSFLOW_PATH_UNKNOWN] =
        "Look at what sits between the two ends (load balancer, firewall, proxy) and at the server's logs.",
    [EWSFLOW_PATH_CLIENT_EWS] =
        "The client's own connection to Exchange was reset: check load balancers, proxies and the server's IIS logs.",
    [EWSFLOW_PATH_CLIENT_OWA] =
        "The browser's connection to Outlook on the web was reset: check load balancers, proxies and the server's IIS logs.",
    [EWSFLOW_PATH_FRONTEND_BACKEND] =
        "The mailbox server reset the front end's proxied request: check the back end's EWS application pool and IIS logs (port 444).",
    [EWSFLOW_PATH_CROSS_SITE] =
        "Same-forest hop to another mailbox server: check that server's back-end EWS (port 444), its certificate, and any device between the servers.",
    [EWSFLOW_PATH_AS_PERUSER] =
        "Availability address space (PerUserFB): check Get-AvailabilityAddressSpace for the target forest, the forest trust or service account, and the EWS URL the remote Autodiscover returned.",
    [EWSFLOW_PATH_AS_ORGWIDE] =
        "Availability address space (OrgWideFB): check Get-AvailabilityAddressSpace, the stored cross-forest credentials, and the EWS URL the remote Autodiscover returned.",
    [EWSFLOW_PATH_AS_ORGWIDE_BASIC] =
        "Availability address space (OrgWideFBBasic): check the stored credentials and that the remote EWS accepts Basic authentication.",
    [EWSFLOW_PATH_ORG_RELATIONSHIP] =
        "Organization relationship: check Get-OrganizationRelationship (TargetSharingEpr, TargetAutodiscoverEpr, FreeBusyAccessEnabled) and the remote federated endpoint (/WSSecurity) and whatever fronts it.",
    [EWSFLOW_PATH_PERSONAL_RELATIONSHIP] =
        "Personal relationship: Exchange found a sharing subscription (IPM.ExternalSharingSubscription) for the target in the requester's mailbox and used it instead of the organization relationship. Check the requester's sharing subscription for the target and the target's explicit calendar permission for the requester; remove the stale subscription or restore the permission.",
    [EWSFLOW_PATH_OAUTH_INTRAORG] =
        "OAuth (IntraOrganizationConnector): check the connector's TargetAddressDomains and DiscoveryEndpoint, and the OAuth configuration (auth server, partner application) of both sides.",
    [EWSFLOW_PATH_AUTODISCOVER] =
        "Autodiscover for the target failed: the availability service cannot learn where to send the lookup. Check the target domain's Autodiscover endpoint.",
};

const char *
ewsflow_path_reset_hint(ewsflow_path_t p)
{
    return p < EWSFLOW_PATH__COUNT ? reset_hints[p] : reset_hints[EWSFLOW_PATH_UNKNOWN];
}

/* ---- signals ----------------------------------------------------------------------- */

typedef enum {
    SIG_SHARING_SECURITY,
    SIG_WSSE,
    SIG_WSSE_NO_SHARING,
    SIG_URL_WSSECURITY,
    SIG_REQTYPE_CROSSSITE,
    SIG_REQTYPE_CROSSFOREST,
    SIG_SSC,
    SIG_CROSSFOREST_NO_SSC,
    SIG_AUTH_BASIC,
    SIG_AUTH_NEGOTIATE,
    SIG_AUTH_BEARER,
    SIG_NO_HTTP_AUTH,
    SIG_UA_ASPROXY_CROSSSITE,
    SIG_UA_ASPROXY_ADDRESS_SPACE,
    SIG_UA_ASPROXY_HTTPS,
    SIG_UA_ASPROXY_SOAP_AUTODISCOVER,
    SIG_ASPROXY_NO_REQTYPE,
    SIG_RSV_SERVER_ONLY,
    SIG_PORT_444,
    SIG_CAFE_HEADERS,
    SIG_URL_OWA,
    SIG_OWA_HEADERS,
    SIG_URL_AUTODISCOVER,
    SIG_UA_ASAUTODISCOVER,
    SIG_URL_EWS,
    SIG_CLIENT_UA,
    SIG_PUBLIC_RSV,
    SIG_IMPERSONATION,
    SIG_URL_FROM_POX,
    SIG_URL_FROM_SOAP_AD,
    SIG_S2S_TOKEN,
    SIG_OWA_JSON,
    SIG__COUNT
} ewsflow_sig_t;

G_STATIC_ASSERT(SIG__COUNT <= 32);   /* signals are bits of a guint32 */

/* Each signal: strong or weak, whether only a server-to-server hop carries it (stage 1: a
 * request with none of those is a client's, whatever else it carries; an authentication
 * scheme alone never makes a hop), and its words in the evidence. */
static const struct {
    ewsflow_sig_t       sig;
    gboolean    strong;
    gboolean    hop_only;
    const char *text;
} signal_table[SIG__COUNT] = {
    { SIG_SHARING_SECURITY,  TRUE, TRUE ,  "SharingSecurity SOAP header (the encrypted key of a sharing subscription)" },
    { SIG_WSSE,              TRUE, TRUE ,  "WS-Security header (federation delegation token)" },
    { SIG_WSSE_NO_SHARING,   FALSE, FALSE, "WS-Security without SharingSecurity (no sharing subscription involved)" },
    { SIG_URL_WSSECURITY,    TRUE, TRUE ,  "POST to .../WSSecurity (federated endpoint)" },
    { SIG_REQTYPE_CROSSSITE, TRUE, TRUE ,  "RequestType CrossSite" },
    { SIG_REQTYPE_CROSSFOREST, TRUE, TRUE , "RequestType CrossForest" },
    { SIG_SSC,               TRUE, TRUE ,  "SerializedSecurityContext (the requester's SIDs)" },
    { SIG_CROSSFOREST_NO_SSC, FALSE, FALSE, "cross-forest hop without SerializedSecurityContext (organization-wide access)" },
    { SIG_AUTH_BASIC,        TRUE, FALSE,  "HTTP Basic authorization" },
    { SIG_AUTH_NEGOTIATE,    FALSE, FALSE, "Negotiate/NTLM authorization" },
    { SIG_AUTH_BEARER,       TRUE, FALSE,  "Bearer (OAuth) authorization" },
    { SIG_NO_HTTP_AUTH,      FALSE, FALSE, "no HTTP authorization (federated requests authenticate inside SOAP)" },
    { SIG_UA_ASPROXY_CROSSSITE, TRUE, TRUE , "User-Agent ASProxy/CrossSite (availability proxy within the forest)" },
    { SIG_UA_ASPROXY_ADDRESS_SPACE, TRUE, TRUE , "User-Agent ASProxy/CrossForest/.../EXCH|EXPR (URL from POX Autodiscover: an availability address space)" },
    { SIG_UA_ASPROXY_HTTPS,  FALSE, TRUE , "User-Agent ASProxy/CrossForest/.../https (URL from an organization relationship or a sharing subscription)" },
    { SIG_UA_ASPROXY_SOAP_AUTODISCOVER, FALSE, TRUE , "User-Agent ASProxy/CrossForest/EmailDomain// (URL from SOAP Autodiscover)" },
    { SIG_ASPROXY_NO_REQTYPE, FALSE, TRUE , "availability proxy request without RequestTypeHeader (OAuth hops omit it)" },
    { SIG_RSV_SERVER_ONLY,   FALSE, TRUE , "RequestServerVersion Exchange2009/Exchange2012 (sent only by proxying Exchange servers)" },
    { SIG_PORT_444,          FALSE, TRUE , "to port 444 (Exchange back-end site)" },
    { SIG_CAFE_HEADERS,      TRUE, TRUE ,  "X-IsFromCafe/X-CommonAccessToken/X-SourceCafeServer/msExchProxyUri (front end to back end)" },
    { SIG_URL_OWA,           TRUE, FALSE,  "/owa/service.svc (Outlook on the web)" },
    { SIG_OWA_HEADERS,       FALSE, FALSE, "Action or X-OWA-* headers" },
    { SIG_URL_AUTODISCOVER,  TRUE, FALSE,  "/autodiscover/ endpoint" },
    { SIG_UA_ASAUTODISCOVER, TRUE, TRUE ,  "User-Agent ASAutoDiscover (the availability service discovering a remote forest)" },
    { SIG_URL_EWS,           FALSE, FALSE, "/EWS/Exchange.asmx" },
    { SIG_CLIENT_UA,         FALSE, FALSE, "client User-Agent (Outlook, EWS Managed API, browser...)" },
    { SIG_PUBLIC_RSV,        FALSE, FALSE, "RequestServerVersion from the public schema list" },
    { SIG_IMPERSONATION,     FALSE, FALSE, "ExchangeImpersonation header (an application acting for a user)" },
    { SIG_URL_FROM_POX,      TRUE, FALSE,  "URL handed out by a POX Autodiscover answer in this capture (address-space lookup)" },
    { SIG_URL_FROM_SOAP_AD,  FALSE, FALSE, "URL handed out by a SOAP Autodiscover answer in this capture (federated or OAuth lookup)" },
    { SIG_S2S_TOKEN,         TRUE, TRUE ,  "OAuth token for Exchange issued to an application (server-to-server)" },
    { SIG_OWA_JSON,          TRUE, FALSE,  "Outlook on the web JSON body" },
};

/* Signal -> path -> weight. A signal may speak for several paths. */
static const struct {
    ewsflow_sig_t          sig;
    ewsflow_path_t path;
    int            weight;
} routing_table[] = {
    { SIG_SHARING_SECURITY,     EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 12 },
    { SIG_WSSE,                 EWSFLOW_PATH_ORG_RELATIONSHIP,      6 },
    { SIG_WSSE,                 EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 6 },
    { SIG_WSSE_NO_SHARING,      EWSFLOW_PATH_ORG_RELATIONSHIP,      2 },
    { SIG_URL_WSSECURITY,       EWSFLOW_PATH_ORG_RELATIONSHIP,      5 },
    { SIG_URL_WSSECURITY,       EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 5 },
    { SIG_REQTYPE_CROSSSITE,    EWSFLOW_PATH_CROSS_SITE,            8 },
    { SIG_REQTYPE_CROSSFOREST,  EWSFLOW_PATH_AS_PERUSER,            4 },
    { SIG_REQTYPE_CROSSFOREST,  EWSFLOW_PATH_AS_ORGWIDE,            4 },
    { SIG_REQTYPE_CROSSFOREST,  EWSFLOW_PATH_AS_ORGWIDE_BASIC,      4 },
    { SIG_REQTYPE_CROSSFOREST,  EWSFLOW_PATH_ORG_RELATIONSHIP,      2 },
    { SIG_REQTYPE_CROSSFOREST,  EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 2 },
    { SIG_SSC,                  EWSFLOW_PATH_AS_PERUSER,            5 },
    { SIG_SSC,                  EWSFLOW_PATH_CROSS_SITE,            3 },
    { SIG_CROSSFOREST_NO_SSC,   EWSFLOW_PATH_AS_ORGWIDE,            3 },
    { SIG_CROSSFOREST_NO_SSC,   EWSFLOW_PATH_AS_ORGWIDE_BASIC,      3 },
    { SIG_AUTH_BASIC,           EWSFLOW_PATH_AS_ORGWIDE_BASIC,      6 },
    { SIG_AUTH_NEGOTIATE,       EWSFLOW_PATH_CLIENT_EWS,            1 },
    { SIG_AUTH_NEGOTIATE,       EWSFLOW_PATH_CROSS_SITE,            1 },
    { SIG_AUTH_NEGOTIATE,       EWSFLOW_PATH_AS_PERUSER,            1 },
    { SIG_AUTH_NEGOTIATE,       EWSFLOW_PATH_AS_ORGWIDE,            1 },
    { SIG_AUTH_NEGOTIATE,       EWSFLOW_PATH_FRONTEND_BACKEND,      1 },
    { SIG_AUTH_BEARER,          EWSFLOW_PATH_OAUTH_INTRAORG,        9 },   /* only OAuth hops carry a Bearer token */
    { SIG_AUTH_BEARER,          EWSFLOW_PATH_CLIENT_EWS,            2 },
    { SIG_AUTH_BEARER,          EWSFLOW_PATH_CLIENT_OWA,            1 },
    { SIG_NO_HTTP_AUTH,         EWSFLOW_PATH_ORG_RELATIONSHIP,      1 },
    { SIG_NO_HTTP_AUTH,         EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 1 },
    { SIG_UA_ASPROXY_CROSSSITE, EWSFLOW_PATH_CROSS_SITE,            6 },
    { SIG_UA_ASPROXY_ADDRESS_SPACE, EWSFLOW_PATH_AS_PERUSER,        4 },
    { SIG_UA_ASPROXY_ADDRESS_SPACE, EWSFLOW_PATH_AS_ORGWIDE,        4 },
    { SIG_UA_ASPROXY_ADDRESS_SPACE, EWSFLOW_PATH_AS_ORGWIDE_BASIC,  4 },
    { SIG_UA_ASPROXY_HTTPS,     EWSFLOW_PATH_ORG_RELATIONSHIP,      3 },
    { SIG_UA_ASPROXY_HTTPS,     EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 3 },
    { SIG_UA_ASPROXY_SOAP_AUTODISCOVER, EWSFLOW_PATH_ORG_RELATIONSHIP, 2 },
    { SIG_UA_ASPROXY_SOAP_AUTODISCOVER, EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 2 },
    { SIG_UA_ASPROXY_SOAP_AUTODISCOVER, EWSFLOW_PATH_OAUTH_INTRAORG, 3 },
    { SIG_ASPROXY_NO_REQTYPE,   EWSFLOW_PATH_OAUTH_INTRAORG,        4 },
    { SIG_RSV_SERVER_ONLY,      EWSFLOW_PATH_CROSS_SITE,            1 },
    { SIG_RSV_SERVER_ONLY,      EWSFLOW_PATH_ORG_RELATIONSHIP,      1 },
    { SIG_RSV_SERVER_ONLY,      EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 1 },
    { SIG_RSV_SERVER_ONLY,      EWSFLOW_PATH_OAUTH_INTRAORG,        1 },
    { SIG_PORT_444,             EWSFLOW_PATH_FRONTEND_BACKEND,      1 },
    { SIG_PORT_444,             EWSFLOW_PATH_CROSS_SITE,            1 },
    { SIG_CAFE_HEADERS,         EWSFLOW_PATH_FRONTEND_BACKEND,      20 },
    { SIG_URL_OWA,              EWSFLOW_PATH_CLIENT_OWA,            10 },
    { SIG_OWA_HEADERS,          EWSFLOW_PATH_CLIENT_OWA,            3 },
    { SIG_URL_AUTODISCOVER,     EWSFLOW_PATH_AUTODISCOVER,          20 },
    { SIG_UA_ASAUTODISCOVER,    EWSFLOW_PATH_AUTODISCOVER,          5 },
    { SIG_URL_EWS,              EWSFLOW_PATH_CLIENT_EWS,            1 },
    { SIG_CLIENT_UA,            EWSFLOW_PATH_CLIENT_EWS,            3 },
    { SIG_CLIENT_UA,            EWSFLOW_PATH_CLIENT_OWA,            1 },
    { SIG_PUBLIC_RSV,           EWSFLOW_PATH_CLIENT_EWS,            1 },
    { SIG_IMPERSONATION,        EWSFLOW_PATH_CLIENT_EWS,            2 },
    { SIG_URL_FROM_POX,         EWSFLOW_PATH_AS_PERUSER,            3 },
    { SIG_URL_FROM_POX,         EWSFLOW_PATH_AS_ORGWIDE,            3 },
    { SIG_URL_FROM_POX,         EWSFLOW_PATH_AS_ORGWIDE_BASIC,      3 },
    { SIG_URL_FROM_SOAP_AD,     EWSFLOW_PATH_ORG_RELATIONSHIP,      2 },
    { SIG_URL_FROM_SOAP_AD,     EWSFLOW_PATH_PERSONAL_RELATIONSHIP, 2 },
    { SIG_URL_FROM_SOAP_AD,     EWSFLOW_PATH_OAUTH_INTRAORG,        2 },
    { SIG_S2S_TOKEN,            EWSFLOW_PATH_OAUTH_INTRAORG,        5 },
    { SIG_OWA_JSON,             EWSFLOW_PATH_CLIENT_OWA,            10 },
};

static gboolean
icontains(const char *hay, const char *needle)
{
    if (!hay)
        return FALSE;
    gsize n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        if (g_ascii_strncasecmp(p, needle, n) == 0)
            return TRUE;
    }
    return FALSE;
}

static gboolean
has_prefix_ci(const char *s, const char *prefix)
{
    return s && g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The path part of the URI, lower-cased, without query. */
static gboolean
uri_path_ends_with(const char *uri, const char *suffix)
{
    if (!uri)
        return FALSE;
    gsize len = strcspn(uri, "?#");
    gsize n = strlen(suffix);
    while (len > 0 && uri[len - 1] == '/')
        len--;
    return len >= n && g_ascii_strncasecmp(uri + len - n, suffix, n) == 0;
}

guint32
ewsflow_detect(const ewsflow_signals_t *s)
{
    guint32 m = 0;
#define SET(x) (m |= 1u << (x))
    const char *ua = s->user_agent;
    gboolean asproxy = has_prefix_ci(ua, "ASProxy/");
    gboolean crossforest = s->request_type && g_ascii_strcasecmp(s->request_type, "CrossForest") == 0;

    if (s->sharing_security)
        SET(SIG_SHARING_SECURITY);
    gboolean autodiscover_url = icontains(s->uri, "/autodiscover/");
    /* WS-Security on SOAP Autodiscover is federated discovery, not a federated lookup */
    if (s->wsse && !autodiscover_url)
        SET(SIG_WSSE);
    if (s->wsse && !s->sharing_security && !autodiscover_url)
        SET(SIG_WSSE_NO_SHARING);
    if (uri_path_ends_with(s->uri, "/wssecurity") && !icontains(s->uri, "/autodiscover"))
        SET(SIG_URL_WSSECURITY);
    if (s->request_type && g_ascii_strcasecmp(s->request_type, "CrossSite") == 0)
        SET(SIG_REQTYPE_CROSSSITE);
    if (crossforest)
        SET(SIG_REQTYPE_CROSSFOREST);
    if (s->ssc)
        SET(SIG_SSC);
    /* absence-based: only where the body was seen, on a cross-forest or address-space hop */
    gboolean pox_ua = has_prefix_ci(ua, "ASProxy/CrossForest") && (icontains(ua, "/EXCH/") || icontains(ua, "/EXPR/"));
    if (s->have_soap && (crossforest || pox_ua) && !s->ssc && !s->wsse)
        SET(SIG_CROSSFOREST_NO_SSC);
    if (has_prefix_ci(s->authorization, "Basic"))
        SET(SIG_AUTH_BASIC);
    if (has_prefix_ci(s->authorization, "Negotiate") || has_prefix_ci(s->authorization, "NTLM") ||
        has_prefix_ci(s->authorization, "Kerberos"))
        SET(SIG_AUTH_NEGOTIATE);
    if (has_prefix_ci(s->authorization, "Bearer"))
        SET(SIG_AUTH_BEARER);
    if (!s->authorization && (s->wsse || uri_path_ends_with(s->uri, "/wssecurity")))
        SET(SIG_NO_HTTP_AUTH);
    if (has_prefix_ci(ua, "ASProxy/CrossSite"))
        SET(SIG_UA_ASPROXY_CROSSSITE);
    if (has_prefix_ci(ua, "ASProxy/CrossForest") && (icontains(ua, "/EXCH/") || icontains(ua, "/EXPR/")))
        SET(SIG_UA_ASPROXY_ADDRESS_SPACE);
    if (has_prefix_ci(ua, "ASProxy/CrossForest") && icontains(ua, "/https/"))
        SET(SIG_UA_ASPROXY_HTTPS);
    if (has_prefix_ci(ua, "ASProxy/CrossForest/EmailDomain//"))
        SET(SIG_UA_ASPROXY_SOAP_AUTODISCOVER);
    if (asproxy && s->have_soap && !s->request_type)
        SET(SIG_ASPROXY_NO_REQTYPE);
    if (s->rsv && (strcmp(s->rsv, "Exchange2009") == 0 || strcmp(s->rsv, "Exchange2012") == 0))
        SET(SIG_RSV_SERVER_ONLY);
    if (s->server_port == 444)
        SET(SIG_PORT_444);
    if (s->cafe_headers)
        SET(SIG_CAFE_HEADERS);
    if (icontains(s->uri, "/owa/service.svc"))
        SET(SIG_URL_OWA);
    if (s->owa_headers || (s->action && icontains(s->action, "Availability")))
        SET(SIG_OWA_HEADERS);
    if (icontains(s->uri, "/autodiscover/"))
        SET(SIG_URL_AUTODISCOVER);
    if (has_prefix_ci(ua, "ASAutoDiscover/"))
        SET(SIG_UA_ASAUTODISCOVER);
    if (icontains(s->uri, "/ews/exchange.asmx"))
        SET(SIG_URL_EWS);
    if (ua && !asproxy && !has_prefix_ci(ua, "ASAutoDiscover/"))
        SET(SIG_CLIENT_UA);
    if (s->rsv && !(m & (1u << SIG_RSV_SERVER_ONLY)))
        SET(SIG_PUBLIC_RSV);
    if (s->impersonation)
        SET(SIG_IMPERSONATION);
    if (s->url_from_autodiscover == 1)
        SET(SIG_URL_FROM_POX);
    if (s->url_from_autodiscover == 2)
        SET(SIG_URL_FROM_SOAP_AD);
    if (s->s2s_token)
        SET(SIG_S2S_TOKEN);
    if (s->owa_json)
        SET(SIG_OWA_JSON);
#undef SET
    return m;
}

gboolean
ewsflow_is_exchange_request(const ewsflow_signals_t *s)
{
    return s->have_soap || icontains(s->uri, "/ews/") || icontains(s->uri, "/owa/") ||
           icontains(s->uri, "/autodiscover/") || has_prefix_ci(s->user_agent, "ASProxy/") ||
           has_prefix_ci(s->user_agent, "ASAutoDiscover/");
}

/* Stage 1: with hop-only evidence, only the paths a server-to-server hop can take (and
 * Autodiscover); without it, only the client paths (and Autodiscover). */
static gboolean
path_allowed(ewsflow_path_t p, gboolean hop)
{
    if (p == EWSFLOW_PATH_UNKNOWN || p == EWSFLOW_PATH_AUTODISCOVER)
        return TRUE;
    gboolean hop_path = ewsflow_path_is_server_hop(p) || p == EWSFLOW_PATH_FRONTEND_BACKEND;
    return hop_path == hop;
}

static gboolean
has_hop_evidence(guint32 sigs)
{
    for (int k = 0; k < SIG__COUNT; k++) {
        if ((sigs & (1u << k)) && signal_table[k].hop_only)
            return TRUE;
    }
    return FALSE;
}

/* Each path's weight from strong signals and from weak (or absence-based) ones. */
static void
weigh(guint32 sigs, int strong[EWSFLOW_PATH__COUNT], int weak[EWSFLOW_PATH__COUNT],
      guint32 strong_for[EWSFLOW_PATH__COUNT])
{
    for (gsize i = 0; i < G_N_ELEMENTS(routing_table); i++) {
        ewsflow_sig_t k = routing_table[i].sig;
        if (!(sigs & (1u << k)))
            continue;
        if (signal_table[k].strong) {
            strong[routing_table[i].path] += routing_table[i].weight;
            strong_for[routing_table[i].path] |= 1u << k;
        } else {
            weak[routing_table[i].path] += routing_table[i].weight;
        }
    }
}

/* Stage 2: strong evidence decides; weak evidence only breaks ties between paths with the
 * same strong weight; a tie that remains goes to the earlier path of the vocabulary (the
 * organization relationship before the personal one, so an undecided hop is never blamed on
 * a sharing subscription). */
static ewsflow_path_t
rank(guint32 sigs, const int strong[EWSFLOW_PATH__COUNT], const int weak[EWSFLOW_PATH__COUNT])
{
    gboolean hop = has_hop_evidence(sigs);
    ewsflow_path_t best = EWSFLOW_PATH_UNKNOWN;
    for (int p = 1; p < EWSFLOW_PATH__COUNT; p++) {
        if (!path_allowed((ewsflow_path_t)p, hop) || strong[p] + weak[p] == 0)
            continue;
        if (best == EWSFLOW_PATH_UNKNOWN || strong[p] > strong[best] ||
            (strong[p] == strong[best] && weak[p] > weak[best]))
            best = (ewsflow_path_t)p;
    }
    return best;
}

int
ewsflow_signal_count(void)
{
    return SIG__COUNT;
}

gboolean
ewsflow_signal_is_strong(int sig)
{
    return sig >= 0 && sig < SIG__COUNT && signal_table[sig].strong;
}

gboolean
ewsflow_signal_is_hop_only(int sig)
{
    return sig >= 0 && sig < SIG__COUNT && signal_table[sig].hop_only;
}

int
ewsflow_signal_weight(int sig, ewsflow_path_t p)
{
    int w = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(routing_table); i++) {
        if ((int)routing_table[i].sig == sig && routing_table[i].path == p)
            w += routing_table[i].weight;
    }
    return w;
}

gboolean
ewsflow_path_allowed(guint32 sigs, ewsflow_path_t p)
{
    return path_allowed(p, has_hop_evidence(sigs));
}

ewsflow_path_t
ewsflow_rank_signals(guint32 sigs)
{
    int strong[EWSFLOW_PATH__COUNT] = { 0 }, weak[EWSFLOW_PATH__COUNT] = { 0 };
    guint32 strong_for[EWSFLOW_PATH__COUNT] = { 0 };
    weigh(sigs, strong, weak, strong_for);
    return rank(sigs, strong, weak);
}

void
ewsflow_classify(wmem_allocator_t *scope, const ewsflow_signals_t *s, ewsflow_verdict_t *out)
{
    ewsflow_classify_signals(scope, ewsflow_detect(s), out);
}

void
ewsflow_classify_signals(wmem_allocator_t *scope, guint32 sigs, ewsflow_verdict_t *out)
{
    int strong[EWSFLOW_PATH__COUNT] = { 0 }, weak[EWSFLOW_PATH__COUNT] = { 0 };
    guint32 strong_for[EWSFLOW_PATH__COUNT] = { 0 };   /* strong signals that spoke for each path */
    weigh(sigs, strong, weak, strong_for);
    gboolean hop = has_hop_evidence(sigs);
    ewsflow_path_t best = rank(sigs, strong, weak);
    int best_ruled_out = 0;   /* the most weight a hop path had without hop evidence */
    for (int p = 1; p < EWSFLOW_PATH__COUNT; p++) {
        if (!hop && !path_allowed((ewsflow_path_t)p, FALSE))
            best_ruled_out = MAX(best_ruled_out, strong[p] + weak[p]);
    }
    int best_total = strong[best] + weak[best];
    gboolean hop_ruled_out = best_ruled_out > 0 && best_ruled_out >= best_total;
    out->path = best;
    out->score = best_total;
    out->signals = sigs;

    wmem_strbuf_t *ev = wmem_strbuf_new(scope, "");
    for (gsize i = 0; i < G_N_ELEMENTS(routing_table); i++) {
        if (routing_table[i].path != best || !(sigs & (1u << routing_table[i].sig)))
            continue;
        wmem_strbuf_append_printf(ev, "%s%s [%s]", wmem_strbuf_get_len(ev) ? "; " : "",
                                  signal_table[routing_table[i].sig].text,
                                  signal_table[routing_table[i].sig].strong ? "strong" : "weak");
    }
    if (best == EWSFLOW_PATH_UNKNOWN)
        wmem_strbuf_append(ev, "no routing signal recognised");
    if (hop_ruled_out)
        wmem_strbuf_append_printf(ev, "%sno server-to-server evidence (an authentication scheme alone never makes a hop)",
                                  wmem_strbuf_get_len(ev) ? "; " : "");
    out->evidence = wmem_strbuf_finalize(ev);

    /* Conflicting evidence: another path backed by a strong signal the chosen path lacks. */
    wmem_strbuf_t *cf = wmem_strbuf_new(scope, "");
    for (int p = 1; p < EWSFLOW_PATH__COUNT; p++) {
        guint32 own = strong_for[p] & ~strong_for[best];
        if (p == (int)best || !own)
            continue;
        wmem_strbuf_append_printf(cf, "%salso %s (score %d):", wmem_strbuf_get_len(cf) ? "; " : "", path_names[p],
                                  strong[p] + weak[p]);
        for (int k = 0; k < SIG__COUNT; k++) {
            if (own & (1u << k))
                wmem_strbuf_append_printf(cf, " %s [strong]", signal_table[k].text);
        }
    }
    /* More weight from weak signals alone does not win: say so, so nobody wonders. */
    for (int p = 1; p < EWSFLOW_PATH__COUNT; p++) {
        if (p != (int)best && best != EWSFLOW_PATH_UNKNOWN && path_allowed((ewsflow_path_t)p, hop) &&
            strong[p] < strong[best] && strong[p] + weak[p] > best_total)
            wmem_strbuf_append_printf(cf, "%s%s has more weight (%d) but from weak signals only, which never overrule strong ones",
                                      wmem_strbuf_get_len(cf) ? "; " : "", path_names[p], strong[p] + weak[p]);
    }
    /* A tie is conflicting evidence too: the signals that would tell the paths apart are missing. */
    for (int p = 1; p < EWSFLOW_PATH__COUNT; p++) {
        if (p != (int)best && best != EWSFLOW_PATH_UNKNOWN && path_allowed((ewsflow_path_t)p, hop) &&
            strong[p] == strong[best] && weak[p] == weak[best])
            wmem_strbuf_append_printf(cf, "%sequally likely: %s (the signals that would tell them apart are not in the capture)",
                                      wmem_strbuf_get_len(cf) ? "; " : "", path_names[p]);
    }
    out->conflict = wmem_strbuf_get_len(cf) ? wmem_strbuf_finalize(cf) : NULL;
}

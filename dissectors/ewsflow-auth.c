/* ewsflow-auth.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-auth.h"

#include <string.h>
#include <wsutil/wsjson.h>
#include "ews-owa-json.h"

#define MAX_CLAIMS 64
#define MAX_TOKEN  16384

/* base64url -> bytes; NULL on any character outside the alphabet. */
static guint8 *
b64url_decode(wmem_allocator_t *scope, const char *s, gsize len, gsize *out_len)
{
    if (len == 0 || len > MAX_TOKEN)
        return NULL;
    char *t = wmem_alloc(scope, len + 4);
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (!(g_ascii_isalnum(c) || c == '+' || c == '/' || c == '='))
            return NULL;
        t[i] = c;
    }
    gsize n = len;
    while (n % 4)
        t[n++] = '=';
    t[n] = '\0';
    guchar *raw = g_base64_decode(t, out_len);
    guint8 *copy = wmem_memdup(scope, raw, *out_len + 1);
    copy[*out_len] = '\0';
    g_free(raw);
    return copy;
}

/* The top-level members of a JSON object, as strings. */
static guint
json_members(wmem_allocator_t *scope, const char *json, ewsflow_pair_t *out, guint max, gboolean *ok)
{
    *ok = FALSE;
    char *buf = wmem_strdup(scope, json);
    int n = json_parse(buf, NULL, 0);
    if (n <= 0 || n > 4096)
        return 0;
    jsmntok_t *t = wmem_alloc_array(scope, jsmntok_t, n);
    if (json_parse(buf, t, (unsigned)n) != n || t[0].type != JSMN_OBJECT)
        return 0;
    guint k = 0;
    int i = 1;
    for (int m = 0; m < t[0].size && i + 1 < n; m++) {
        if (k < max && t[i].type == JSMN_STRING) {
            out[k].name = wmem_strndup(scope, buf + t[i].start, (gsize)(t[i].end - t[i].start));
            jsmntok_t *v = &t[i + 1];
            char *val = wmem_strndup(scope, buf + v->start, (gsize)(v->end - v->start));
            if (v->type == JSMN_STRING)
                json_decode_string_inplace(val);
            out[k].value = val;
            k++;
        }
        i = ews_json_skip(t, n, i + 1);
    }
    *ok = TRUE;
    return k;
}

static const char *
claim(const ewsflow_jwt_t *j, const char *name)
{
    for (guint i = 0; i < j->n_claims; i++) {
        if (strcmp(j->claims[i].name, name) == 0)
            return j->claims[i].value;
    }
    return NULL;
}

static gint64
claim_time(const ewsflow_jwt_t *j, const char *name)
{
    const char *v = claim(j, name);
    gint64 t;
    return (v && g_ascii_string_to_signed(v, 10, 0, G_MAXINT64, &t, NULL)) ? t : -1;
}

gboolean
ewsflow_jwt_decode(wmem_allocator_t *scope, const char *authorization, ewsflow_jwt_t *out)
{
    memset(out, 0, sizeof(*out));
    out->nbf = out->exp = -1;
    if (!authorization || g_ascii_strncasecmp(authorization, "Bearer", 6) != 0 ||
        (authorization[6] && authorization[6] != ' '))
        return FALSE;
    const char *tok = authorization + 6;
    while (*tok == ' ')
        tok++;
    gsize len = strcspn(tok, " \r\n");
    if (len == 0) {
        out->empty = TRUE;
        return TRUE;
    }
    if (len > MAX_TOKEN) {
        out->error = wmem_strdup_printf(scope, "token of %" G_GSIZE_FORMAT " bytes is over the %d-byte decoding limit",
                                        len, MAX_TOKEN);
        return TRUE;
    }
    /* a JWS is header.payload.signature; a JWE has five parts and nothing readable */
    guint dots = 0;
    for (const char *p = memchr(tok, '.', len); p; p = memchr(p + 1, '.', len - (gsize)(p + 1 - tok)))
        dots++;
    if (dots == 4) {
        out->error = "encrypted JWT (JWE, five parts): the claims cannot be read";
        return TRUE;
    }
    if (dots != 2) {
        out->error = wmem_strdup_printf(scope, "not a JWT: %u part%s where a signed token has 3 (header.payload.signature)",
                                        dots + 1, dots ? "s" : "");
        return TRUE;
    }
    const char *dot1 = memchr(tok, '.', len);
    const char *dot2 = memchr(dot1 + 1, '.', len - (gsize)(dot1 + 1 - tok));
    gsize hl, pl;
    guint8 *header = b64url_decode(scope, tok, (gsize)(dot1 - tok), &hl);
    guint8 *payload = b64url_decode(scope, dot1 + 1, (gsize)(dot2 - dot1 - 1), &pl);
    if (!header || !payload) {
        out->error = "invalid base64url in the JWT";
        return TRUE;
    }
    if (memchr(header, 0, hl) || memchr(payload, 0, pl)) {
        out->error = "JWT part is not text";
        return TRUE;
    }
    ewsflow_pair_t hdr[16];
    gboolean ok;
    guint nh = json_members(scope, (const char *)header, hdr, G_N_ELEMENTS(hdr), &ok);
    if (!ok) {
        out->error = "JWT header is not a JSON object";
        return TRUE;
    }
    for (guint i = 0; i < nh; i++) {
        if (strcmp(hdr[i].name, "alg") == 0)
            out->alg = hdr[i].value;
        else if (strcmp(hdr[i].name, "typ") == 0)
            out->typ = hdr[i].value;
        else if (strcmp(hdr[i].name, "x5t") == 0)
            out->x5t = hdr[i].value;
    }
    ewsflow_pair_t *all = g_new0(ewsflow_pair_t, MAX_CLAIMS);
    out->n_claims = json_members(scope, (const char *)payload, all, MAX_CLAIMS, &ok);
    out->claims = wmem_memdup(scope, all, sizeof(ewsflow_pair_t) * MAX(out->n_claims, 1));   /* only what is there */
    g_free(all);
    if (!ok) {
        out->error = "JWT payload is not a JSON object";
        return TRUE;
    }
    out->aud = claim(out, "aud");
    out->iss = claim(out, "iss");
    out->nii = claim(out, "nii");
    out->appid = claim(out, "appid");
    out->smtp = claim(out, "smtp");
    out->upn = claim(out, "upn");
    out->nameid = claim(out, "nameid");
    out->nbf = claim_time(out, "nbf");
    out->exp = claim_time(out, "exp");
    out->actor = claim(out, "actortoken") != NULL;
    return TRUE;
}

/* NTLMSSP message 3 (AUTHENTICATE): security buffers (length, max length, offset) for the
 * domain at 28 and the user at 36, UTF-16LE when NEGOTIATE_UNICODE (flag 0x1) is set. */
static char *
ntlm_field(wmem_allocator_t *scope, const guint8 *m, gsize len, gsize at, gboolean unicode)
{
    if (at + 8 > len)
        return NULL;
    guint16 flen = (guint16)(m[at] | m[at + 1] << 8);
    guint32 off = (guint32)m[at + 4] | (guint32)m[at + 5] << 8 | (guint32)m[at + 6] << 16 | (guint32)m[at + 7] << 24;
    if (flen == 0 || flen > 512 || off > len || flen > len - off)
        return NULL;
    if (unicode) {
        glong n = 0;
        gunichar2 *u = g_new(gunichar2, flen / 2 + 1);
        for (guint i = 0; i < flen / 2u; i++)
            u[i] = (gunichar2)(m[off + 2 * i] | m[off + 2 * i + 1] << 8);
        gchar *utf8 = g_utf16_to_utf8(u, flen / 2, NULL, &n, NULL);
        g_free(u);
        char *out = utf8 ? wmem_strdup(scope, utf8) : NULL;
        g_free(utf8);
        return out;
    }
    char *out = wmem_strndup(scope, (const char *)m + off, flen);
    return g_utf8_validate(out, -1, NULL) ? out : NULL;
}

const char *
ewsflow_auth_account(wmem_allocator_t *scope, const char *authorization)
{
    if (!authorization)
        return NULL;
    gsize sl = strcspn(authorization, " ");
    const char *cred = authorization + sl + strspn(authorization + sl, " ");
    gsize clen = strcspn(cred, " \r\n");
    if (clen == 0 || clen > MAX_TOKEN)
        return NULL;
    char *b64 = wmem_strndup(scope, cred, clen);
    gsize n = 0;
    guchar *raw = g_base64_decode(b64, &n);
    const char *account = NULL;
    if (sl == 5 && g_ascii_strncasecmp(authorization, "Basic", 5) == 0) {
        const guchar *colon = raw ? memchr(raw, ':', n) : NULL;
        if (colon && colon > raw) {
            char *user = wmem_strndup(scope, (const char *)raw, (gsize)(colon - raw));
            account = g_utf8_validate(user, -1, NULL) ? user : NULL;
        }
    } else if ((sl == 4 && g_ascii_strncasecmp(authorization, "NTLM", 4) == 0) ||
               (sl == 9 && g_ascii_strncasecmp(authorization, "Negotiate", 9) == 0)) {
        /* the NTLMSSP message, bare or inside SPNEGO */
        for (gsize i = 0; raw && n >= 12 && i + 12 <= n; i++) {
            if (memcmp(raw + i, "NTLMSSP", 8) != 0)
                continue;
            const guint8 *m = raw + i;
            gsize mlen = n - i;
            if (m[8] != 3 || mlen < 64)
                break;   /* NEGOTIATE (1) and CHALLENGE (2) name no user */
            gboolean unicode = (m[60] & 1) != 0;
            char *domain = ntlm_field(scope, m, mlen, 28, unicode);
            char *user = ntlm_field(scope, m, mlen, 36, unicode);
            if (user)
                account = domain && *domain ? wmem_strdup_printf(scope, "%s\\%s", domain, user) : user;
            break;
        }
    }
    g_free(raw);
    return account;
}

gboolean
ewsflow_jwt_is_s2s(const ewsflow_jwt_t *jwt)
{
    return jwt && !jwt->error && !jwt->empty && jwt->aud &&
           g_str_has_prefix(jwt->aud, "00000002-0000-0ff1-ce00-000000000000") && (jwt->actor || jwt->appid || jwt->nii);
}

guint
ewsflow_auth_params(wmem_allocator_t *scope, const char *value, char sep, const char **lead, ewsflow_pair_t *out, guint max)
{
    *lead = NULL;
    if (!value)
        return 0;
    const char *p = value;
    while (*p == ' ')
        p++;
    /* the scheme ("Bearer") or leading code ("2000001"), up to a space or the separator */
    gsize n = strcspn(p, sep == ',' ? " " : ";");
    *lead = wmem_strndup(scope, p, n);
    p += n;
    guint k = 0;
    while (*p && k < max) {
        while (*p == ' ' || *p == sep)
            p++;
        const char *eq = strchr(p, '=');
        if (!eq)
            break;
        const char *name = p;
        gsize name_len = (gsize)(eq - p);
        const char *v = eq + 1;
        gsize vlen;
        if (*v == '"') {
            v++;
            const char *q = strchr(v, '"');
            vlen = q ? (gsize)(q - v) : strlen(v);
            p = q ? q + 1 : v + vlen;
        } else {
            vlen = strcspn(v, sep == ',' ? "," : ";");
            p = v + vlen;
        }
        out[k].name = g_strstrip(wmem_strndup(scope, name, name_len));
        out[k].value = wmem_strndup(scope, v, vlen);
        k++;
    }
    return k;
}

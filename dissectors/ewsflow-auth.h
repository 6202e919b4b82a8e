/* ewsflow-auth.h
 * OAuth on the wire: the JWT in "Authorization: Bearer" (header and claims decoded, the
 * signature never verified nor shown), the "WWW-Authenticate: Bearer" challenge, and
 * Exchange's x-ms-diagnostics. No epan dependency.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_AUTH_H
#define EWSFLOW_AUTH_H

#include <glib.h>
#include <wsutil/wmem/wmem.h>

typedef struct {
    const char *name;
    const char *value;
} ewsflow_pair_t;

typedef struct {
    gboolean        empty;        /* "Bearer" with no token: asks for a challenge */
    const char     *error;        /* why the token could not be decoded, or NULL */
    const char     *alg, *typ, *x5t;
    const char     *aud, *iss, *nii, *appid, *smtp, *upn, *nameid;
    gint64          nbf, exp;     /* seconds since the epoch, -1 when absent */
    gboolean        actor;        /* carries an actortoken: an application acting as a user */
    ewsflow_pair_t *claims;       /* every top-level claim, in order */
    guint           n_claims;
} ewsflow_jwt_t;

/* Decode the value of an Authorization header; FALSE when it is not a Bearer credential. */
gboolean ewsflow_jwt_decode(wmem_allocator_t *scope, const char *authorization, ewsflow_jwt_t *out);
/* TRUE for a token Exchange's S2S OAuth uses: audience Exchange, issued to an application. */
gboolean ewsflow_jwt_is_s2s(const ewsflow_jwt_t *jwt);

/* The account an Authorization header names, never its secret: "Basic" gives the user part of
 * user:password (DOMAIN\user or user@domain), "NTLM"/"Negotiate" an NTLM AUTHENTICATE message's
 * DOMAIN\user (also inside SPNEGO). NULL when the header names none (an NTLM NEGOTIATE, Kerberos). */
const char *ewsflow_auth_account(wmem_allocator_t *scope, const char *authorization);

/* "Bearer k1="v1", k2=v2" (WWW-Authenticate) or "2000001;reason="...";error_category="...""
 * (x-ms-diagnostics): the parameters, in order. The scheme or leading code is returned in *lead. */
guint ewsflow_auth_params(wmem_allocator_t *scope, const char *value, char sep, const char **lead,
                          ewsflow_pair_t *out, guint max);

#endif

/* ews-owa-header.h
 * OWA's body-less requests: X-OWA-UrlPostData decoded as EWS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_OWA_HEADER_H
#define EWS_OWA_HEADER_H

/* In proto_register_ews / its handoff. */
void ews_owa_header_register(int proto);
void ews_owa_header_handoff(void);

#endif

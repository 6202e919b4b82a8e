/* ews-post.h
 * The "ews" protocol's post-dissector: HTTP/2 bodies that never ended, OWA's body-less requests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_POST_H
#define EWS_POST_H

/* In proto_register_ews, before the routing post-dissector registers its own. */
void ews_post_register(int proto);

#endif

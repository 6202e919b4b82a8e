/* ews-intern.h
 * One file-scoped copy of each string the plugin keeps across frames: response codes,
 * server names, mailboxes, user agents and evidence texts repeat across thousands of lookups.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_INTERN_H
#define EWS_INTERN_H

/* Call once at registration. */
void ews_intern_init(void);
/* The capture's shared copy of `v` (NULL for NULL); valid while the file is open. */
const char *ews_intern(const char *v);

#endif

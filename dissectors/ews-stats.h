/* ews-stats.h
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_STATS_H
#define EWS_STATS_H

/* In proto_register_ews: the "ews" tap (returned) and Service Response Time. */
int ews_stats_register(int proto);

#endif

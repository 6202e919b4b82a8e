/* ewsflow-stats.h
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_STATS_H
#define EWSFLOW_STATS_H

/* In proto_register_ewsflow, after the "ewsflow" tap: stats tree, lookup table, flow graph. */
void ewsflow_stats_register(int proto);

#endif

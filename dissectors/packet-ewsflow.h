/* packet-ewsflow.h
 * The "ewsflow" post-dissector: routing path of every EWS/OWA/Autodiscover request, requests
 * killed by a TCP reset, and the story linking a client's lookup to the proxy hop it caused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_EWSFLOW_H
#define PACKET_EWSFLOW_H

#include <epan/packet.h>
#include "ewsflow-tracker.h"
#include "ewsflow-tap.h"

extern int proto_ewsflow;

/* The preferences are the tracker's bounds (Preferences > Protocols > EWSFLOW). */
extern ewsflow_limits_t ewsflow_prefs;

void proto_register_ewsflow(void);
void proto_reg_handoff_ewsflow(void);

#endif

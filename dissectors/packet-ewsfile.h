/* packet-ewsfile.h
 * Sessions from Fiddler archives and HAR files (the frames the file reader plugin makes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_EWSFILE_H
#define PACKET_EWSFILE_H

#include <epan/packet.h>

void proto_register_ewsfile(void);
void proto_reg_handoff_ewsfile(void);

#endif

/* ews-register.h
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_REGISTER_H
#define EWS_REGISTER_H

void proto_register_ews(void);
void proto_reg_handoff_ews(void);

#endif

/* wtap-shim.h
 * What a file reader needs from wiretap's private header wtap-int.h, which Debian's
 * libwiretap-dev does not install (and file_wrappers.h, which is installed, includes a header
 * that is not). struct wtap is copied field for field from Wireshark 4.0's
 * wiretap/wtap-int.h, in our own layout-identical declaration: valid for the 4.0 ABI only,
 * which CMakeLists.txt enforces, and checked at open time (ewsfile_wtap_sane).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFILE_WTAP_SHIM_H
#define EWSFILE_WTAP_SHIM_H

#include <wiretap/wtap.h>
#include <wsutil/buffer.h>

typedef gboolean (*subtype_read_func)(struct wtap *, wtap_rec *, Buffer *, int *, char **, gint64 *);
typedef gboolean (*subtype_seek_read_func)(struct wtap *, gint64, wtap_rec *, Buffer *, int *, char **);

struct wtap {
    FILE_T                      fh;
    FILE_T                      random_fh;
    gboolean                    ispipe;
    int                         file_type_subtype;
    guint                       snapshot_length;
    GArray                      *shb_hdrs;
    GArray                      *interface_data;
    guint                       next_interface_data;
    GArray                      *nrb_hdrs;
    GArray                      *dsbs;
    char                        *pathname;
    void                        *priv;
    void                        *wslua_data;
    subtype_read_func           subtype_read;
    subtype_seek_read_func      subtype_seek_read;
    void                        (*subtype_sequential_close)(struct wtap *);
    void                        (*subtype_close)(struct wtap *);
    int                         file_encap;
    int                         file_tsprec;
    wtap_new_ipv4_callback_t    add_new_ipv4;
    wtap_new_ipv6_callback_t    add_new_ipv6;
    wtap_new_secrets_callback_t add_new_secrets;
    GPtrArray                   *fast_seek;
};

/* exported by libwiretap, declared in headers that are not installed */
WS_DLL_PUBLIC int file_read(void *buf, unsigned int count, FILE_T file);
WS_DLL_PUBLIC gint64 file_seek(FILE_T stream, gint64 offset, int whence, int *err);
WS_DLL_PUBLIC void wtap_add_generated_idb(wtap *wth);

#endif

/* macchk_allow.h - the allow-list: MAC or IPv4 addresses whose conflicts and
 * duplicates are expected (proxy ARP router, VRRP/CARP pair, load balancer).
 *
 * Pure C: no Wireshark types. */
#ifndef MACCHK_ALLOW_H
#define MACCHK_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macchk_class.h"
#include "macchk_track.h"

typedef struct {
    bool is_mac;
    uint8_t mac[MACCHK_ADDR_LEN];
    uint32_t ip; /* host byte order */
} macchk_allow_entry;

/* Parse "52:54:00:12:34:56" (':' or '-' separated, any case) or a dotted
 * IPv4 address "10.0.0.1"; leading/trailing blanks are ignored.  Returns
 * false, leaving *out undefined, for anything else. */
bool macchk_allow_parse(const char *text, macchk_allow_entry *out);

/* The 1-based line of record `index` (0-based) in the text of a UAT file:
 * Wireshark's UAT loader makes one record of each line that is neither
 * blank nor a comment (# ...), in order.  0 when the text has fewer. */
size_t macchk_allow_record_line(const char *text, size_t len, size_t index);

/* True when mac is one of the n entries. */
bool macchk_allow_has_mac(const macchk_allow_entry *entries, size_t n, const uint8_t mac[MACCHK_ADDR_LEN]);

/* True when ip is one of the n entries. */
bool macchk_allow_has_ip(const macchk_allow_entry *entries, size_t n, uint32_t ip);

/* True when the sender (sha, spa) of an ARP frame, or a MAC or IP its
 * verdict names as conflicting with it, is one of the n entries. */
bool macchk_allow_involves(const macchk_allow_entry *entries, size_t n, const uint8_t sha[MACCHK_ADDR_LEN],
                           uint32_t spa, const macchk_arp_verdict *v);

#endif

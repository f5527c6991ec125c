/* macchk_allow.c - allow-list parsing and lookup (see macchk_allow.h). */
#include "macchk_allow.h"

#include <ctype.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

static bool parse_mac(const char *s, size_t len, uint8_t mac[MACCHK_ADDR_LEN])
{
    if (len != 17)
        return false;
    for (int i = 0; i < MACCHK_ADDR_LEN; i++) {
        const char *p = s + 3 * i;
        int hi = hex_value(p[0]), lo = hex_value(p[1]);
        if (hi < 0 || lo < 0)
            return false;
        if (i < MACCHK_ADDR_LEN - 1 && p[2] != ':' && p[2] != '-')
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static bool parse_ipv4(const char *s, size_t len, uint32_t *ip)
{
    uint32_t value = 0;
    int octets = 0;
    size_t i = 0;

    while (octets < 4) {
        unsigned octet = 0;
        size_t digits = 0;
        while (i < len && isdigit((unsigned char)s[i]) && digits < 3) {
            octet = octet * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        if (digits == 0 || octet > 255)
            return false;
        value = value << 8 | octet;
        if (++octets < 4 && (i >= len || s[i++] != '.'))
            return false;
    }
    *ip = value;
    return i == len;
}

bool macchk_allow_parse(const char *text, macchk_allow_entry *out)
{
    size_t len;

    if (!text)
        return false;
    while (isspace((unsigned char)*text))
        text++;
    len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    memset(out, 0, sizeof *out);
    if (parse_mac(text, len, out->mac)) {
        out->is_mac = true;
        return true;
    }
    return parse_ipv4(text, len, &out->ip);
}

size_t macchk_allow_record_line(const char *text, size_t len, size_t index)
{
    size_t line = 1, records = 0, i = 0;

    while (i < len) {
        while (i < len && (text[i] == ' ' || text[i] == '\t'))
            i++;
        bool record = i < len && text[i] != '\n' && text[i] != '\r' && text[i] != '#';
        if (record && records++ == index)
            return line;
        while (i < len && text[i] != '\n')
            i++;
        i++; /* past the newline */
        line++;
    }
    return 0;
}

bool macchk_allow_has_mac(const macchk_allow_entry *entries, size_t n, const uint8_t mac[MACCHK_ADDR_LEN])
{
    for (size_t i = 0; i < n; i++) {
        if (entries[i].is_mac && memcmp(entries[i].mac, mac, MACCHK_ADDR_LEN) == 0)
            return true;
    }
    return false;
}

bool macchk_allow_involves(const macchk_allow_entry *entries, size_t n, const uint8_t sha[MACCHK_ADDR_LEN],
                           uint32_t spa, const macchk_arp_verdict *v)
{
    if (n == 0)
        return false;
    if (macchk_allow_has_mac(entries, n, sha) || macchk_allow_has_ip(entries, n, spa))
        return true;
    for (uint32_t i = 0; i < v->n_other_macs && i < MACCHK_MAX_OTHERS; i++) {
        if (macchk_allow_has_mac(entries, n, v->other_macs[i].mac))
            return true;
    }
    for (uint32_t i = 0; i < v->n_other_ips && i < MACCHK_MAX_OTHERS; i++) {
        if (macchk_allow_has_ip(entries, n, v->other_ips[i].ip))
            return true;
    }
    return false;
}

bool macchk_allow_has_ip(const macchk_allow_entry *entries, size_t n, uint32_t ip)
{
    for (size_t i = 0; i < n; i++) {
        if (!entries[i].is_mac && entries[i].ip == ip)
            return true;
    }
    return false;
}

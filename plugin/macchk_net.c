/* macchk_net.c - the network a frame belongs to (see macchk_net.h). */
#include "macchk_net.h"

#include "macchk_store.h"
#include "macchk_util.h"

void macchk_net_push(macchk_net *n, macchk_tag_kind kind, uint32_t id)
{
    if (kind == MACCHK_TAG_VLAN && id == 0)
        return; /* an 802.1Q priority tag: the frame stays in its network */
    if (n->n_tags < MACCHK_NET_MAX_TAGS)
        n->tags[n->n_tags] = (macchk_net_tag){.kind = (uint8_t)kind, .id = id};
    if (n->n_tags < UINT32_MAX)
        n->n_tags++;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return macchk_finalise64(h ^ (v + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2)));
}

void macchk_net_key(const macchk_net *n, uint64_t *hi, uint64_t *lo)
{
    uint32_t kept = n->n_tags < MACCHK_NET_MAX_TAGS ? n->n_tags : MACCHK_NET_MAX_TAGS;
    uint64_t a = mix(1, (uint64_t)n->iface << 32 | n->n_tags);
    uint64_t b = mix(0x5bd1e995u, (uint64_t)n->n_tags << 32 | n->iface);
    for (uint32_t i = 0; i < kept; i++) {
        uint64_t tag = (uint64_t)n->tags[i].kind << 32 | n->tags[i].id;
        a = mix(a, tag);
        b = mix(b ^ 0xa5a5a5a5u, tag + i);
    }
    *hi = a;
    *lo = b;
}

void macchk_net_format(const macchk_net *n, char *buf, size_t size)
{
    char num[MACCHK_U32_STR_LEN];

    if (!size)
        return;
    /* written for every frame shown: no printf */
    uint32_t kept = n->n_tags < MACCHK_NET_MAX_TAGS ? n->n_tags : MACCHK_NET_MAX_TAGS;
    size_t len = macchk_concat(buf, size, "if ", macchk_u32_str(n->iface, num), NULL);
    for (uint32_t i = 0; i < kept; i++)
        len += macchk_concat(buf + len, size - len, " / ", n->tags[i].kind == MACCHK_TAG_VNI ? "vni " : "vlan ",
                             macchk_u32_str(n->tags[i].id, num), NULL);
    if (n->n_tags > kept)
        macchk_concat(buf + len, size - len, " / +", macchk_u32_str(n->n_tags - kept, num), " more", NULL);
}

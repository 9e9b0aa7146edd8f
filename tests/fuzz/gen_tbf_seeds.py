#!/usr/bin/env python3
"""Write the TBF fuzz seeds into corpus/tbf/ (run from anywhere; output is deterministic)."""
import hashlib
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus', 'tbf')


def tlv(kind, data):
    pad = (4 - len(data) % 4) % 4
    return struct.pack('<HH', kind, len(data)) + data + b'\0' * pad


def checksum(header):
    s = 0
    for i in range(0, len(header) - len(header) % 4, 4):
        if i != 12:
            s ^= struct.unpack_from('<I', header, i)[0]
    return s


def image(tlvs, binary, program=True, sha=True, flags=1, min_ram=0x6000):
    body = b''.join(tlvs)
    header_size = 16 + (24 if program else 0) + len(body)
    binary_end = header_size + len(binary)
    prog = tlv(9, struct.pack('<IIIII', 0, 0, min_ram, binary_end, 0)) if program else b''
    footer = b''
    if sha:
        footer = struct.pack('<HHI', 128, 36, 3) + b'\0' * 32
    total = binary_end + len(footer)
    header = bytearray(struct.pack('<HHII', 2, header_size, total, flags) + b'\0\0\0\0' + prog + body)
    struct.pack_into('<I', header, 12, checksum(header))
    img = bytearray(bytes(header) + binary + footer)
    if sha:
        img[binary_end + 8:binary_end + 40] = hashlib.sha256(bytes(img[:binary_end])).digest()
    return bytes(img)


def main():
    os.makedirs(OUT, exist_ok=True)
    perms = struct.pack('<H', 2) + struct.pack('<IIQ', 1, 0, 0xf) + struct.pack('<IIQ', 0x40001, 1, 8)
    storage = struct.pack('<IH', 7, 2) + struct.pack('<II', 0xa, 0xb) + struct.pack('<HI', 1, 0xc)
    full = image([tlv(3, b'hello'), tlv(8, struct.pack('<HH', 2, 3)), tlv(10, struct.pack('<I', 0xc0ffee)),
                  tlv(6, perms), tlv(2, struct.pack('<II', 0, 16)), tlv(7, storage),
                  tlv(5, struct.pack('<II', 0x20000000, 0xffffffff)), tlv(0x8001, b'xyz')],
                 bytes(range(64)))
    seeds = {
        'good_full.tbf': full,
        'good_main_only.tbf': image([tlv(1, struct.pack('<III', 0, 0, 4096)), tlv(3, 'h\u00e9'.encode())],
                                    bytes(range(32)), program=False, sha=False),
        'good_padding_object.tbf': image([], b'\0' * 48, program=False, sha=False, flags=0),
        'good_no_sha.tbf': image([tlv(3, b'nosha')], bytes(range(20)), sha=False),
        'trunc_header.tbf': full[:10],
        'trunc_tlvs.tbf': full[:60],
        'trunc_binary.tbf': full[:len(full) - 50],
        'trunc_footer.tbf': full[:len(full) - 5],
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()

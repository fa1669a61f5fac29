#!/usr/bin/env python3
"""Generate the GetDetailedOrderStatus response bodies used by gdos_bench.

The checked-in bench/data/*.txt are produced by this script and nothing else;
regenerate them with

    python3 bench/data/gen_bodies.py            # writes next to this script
    python3 bench/data/gen_bodies.py --check    # fails if the files differ

Output is deterministic (fixed seed, stdlib only, no dependence on dict order
or locale), so regenerating gives byte-identical files.

Each body is what the API sends for queryType=2 with responseFormat=1: an
application/x-www-form-urlencoded body (WHATWG serializer: alnum and "*-._"
literal, space as "+", every other byte %XX uppercase), no trailing newline
(a trailing newline would sit inside the last value, and some peers in the
benchmark reject it, so it would stop being a like-for-like comparison).

X_suggestedOrgDetails carries a url-encoded list as its value, so it is
encoded twice: "&" of the inner list shows up as %26, an "&" inside an
organization name as %2526, a "+" of a telephone number as %252B.
"""

import argparse
import pathlib
import random
import sys

SEED = 20250611

# queryType=2 bodies; certificates per order and order count per file. "small" and "large" are
# the usual mix; "org_details" has a suggestedOrgDetails list with matches on every order (the
# most escape-dense text the API sends); "no_escapes" has no '%' or '+' anywhere (dates written
# with 'T', one-word texts, no suggestedOrgDetails), the other extreme.
BODIES = {
    "small.txt": {"orders": 2, "certs": 3},
    "large.txt": {"orders": 20, "certs": 10},
    "org_details.txt": {"orders": 8, "certs": 2, "kind": "org_details"},
    "no_escapes.txt": {"orders": 10, "certs": 5, "kind": "no_escapes"},
}

_LITERAL = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._"
)


def encode(text):
    """WHATWG application/x-www-form-urlencoded byte serializer (UTF-8)."""
    out = []
    for byte in text.encode("utf-8"):
        if byte in _LITERAL:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def serialize(pairs):
    return "&".join(encode(name) + "=" + encode(value) for name, value in pairs)


ORG_NAMES = [
    "Acme Widgets & Sons, Ltd.",
    "Müller Präzisionstechnik GmbH",
    "Société Générale de Logiciels S.A.",
    "Northwind Traders Inc.",
    "Contoso Pharmaceuticals, LLC",
    "Fabrikam = Industries Pty Ltd",
    "Tailspin Toys (Europe) B.V.",
    "Wide World Importers",
]
STREETS = [
    "1 Infinite Loop, Suite 200",
    "Hauptstraße 17",
    "12 rue de la Paix",
    "500 Oracle Parkway #3",
    "Level 9, 123 Pitt Street",
    "Keizersgracht 62-64",
]
LOCALITIES = ["Cupertino", "München", "Paris", "Redwood City", "Sydney", "Amsterdam"]
STATES = ["California", "Bayern", "Île-de-France", "California", "New South Wales", "Noord-Holland"]
POSTCODES = ["95014", "80331", "75002", "94065", "NSW 2000", "1015 CS"]
COUNTRIES = ["US", "DE", "FR", "US", "AU", "NL"]

# Order status, its reason, and the (status, reason) choices of its
# certificates: only issued certificates carry a serial number and a validity
# period, as in real replies.
ORDER_STATUS = [
    ("Pending", "Awaiting Domain Control Validation", [("Pending", "Awaiting Validation (DCV)")]),
    ("Pending", "Awaiting Organization Validation (OV Callback)", [("Pending", "Awaiting OV/EV callback")]),
    ("Issued", "", [("Valid", ""), ("Valid", ""), ("Expired", "Expired on 2024-12-31")]),
    ("Rejected", "Request rejected: domain is on the high-risk list", [("Rejected", "High-risk domain")]),
    ("Revoked", "Key compromise reported by customer", [("Revoked", "Superseded: replaced by order #2")]),
]
ISSUED = frozenset(["Valid", "Expired", "Revoked"])
ORG_STATUS = ["NotFound", "NotYetCompleted", "NotApplicable"]
OBJECT_TYPES = ["SSL Certificate", "Multi-Domain SSL (UCC)", "Wildcard SSL", "EV SSL Certificate"]
HOSTS = ["www", "shop", "mail", "api", "*", "portal", "vpn", "xn--bcher-kva"]
DOMAINS = [
    "example-shop.com",
    "acme-widgets.co.uk",
    "mueller-praezision.de",
    "societe-logiciels.fr",
    "northwind.example",
]
PROGRESS = [
    "csrStatus",
    "dcvStatus",
    "ovCallBackStatus",
    "organizationValidationStatus",
    "freeDVUPStatus",
    "evClickThroughStatus",
]


def org_details(rng):
    """Value of X_suggestedOrgDetails before the outer encoding."""
    if rng.random() < 0.5:
        return serialize([("Status", rng.choice(ORG_STATUS))])
    pairs = [("Status", "Found")]
    for match in (1, 2):
        k = rng.randrange(len(STREETS))
        pairs += [
            ("%d_organizationName" % match, rng.choice(ORG_NAMES)),
            ("%d_streetAddress" % match, STREETS[k]),
            ("%d_localityName" % match, LOCALITIES[k]),
            ("%d_stateOrProvinceName" % match, STATES[k]),
            ("%d_postalCode" % match, POSTCODES[k]),
            ("%d_countryName" % match, COUNTRIES[k]),
            ("%d_dunsNumber" % match, "%09d" % rng.randrange(10**9)),
            ("%d_telephoneNumber" % match, "+1 %03d-555-%04d" % (rng.randrange(200, 999), rng.randrange(10**4))),
        ]
    return serialize(pairs)


def order_fields(rng, x, order_number, certs, force_found):
    status, reason, cert_status = rng.choice(ORDER_STATUS)
    org = org_details(rng)
    if force_found and not org.startswith("Status=Found"):
        while not org.startswith("Status=Found"):
            org = org_details(rng)
    pairs = [
        ("%d_orderNumber" % x, str(order_number)),
        ("%d_orderDateTime" % x, "2025-%02d-%02d %02d:%02d" % (
            rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60))),
        ("%d_orderStatus" % x, status),
        ("%d_orderStatusReason" % x, reason),
        ("%d_suggestedOrgDetails" % x, org),
    ]
    domain = rng.choice(DOMAINS)
    for y in range(1, certs + 1):
        p = "%d_%d_" % (x, y)
        cstatus, creason = rng.choice(cert_status)
        issued = cstatus in ISSUED
        if issued:
            pairs.append((p + "serialNumber", "%032X" % rng.getrandbits(128)))
        pairs += [
            (p + "objectType", rng.choice(OBJECT_TYPES)),
            (p + "FQDN", rng.choice(HOSTS) + "." + domain),
            (p + "certificateStatus", cstatus),
            (p + "certificateStatusReason", creason),
        ]
        pairs += [(p + name, str(rng.choice([-1, 0, 1, 2]))) for name in PROGRESS]
        # Fields of later API versions that a parser must keep as unknown.
        if issued:
            pairs += [
                (p + "validityPeriodStart", "2025-06-%02d 00:00:00" % rng.randrange(1, 29)),
                (p + "validityPeriodEnd", "2026-07-%02d 23:59:59" % rng.randrange(1, 29)),
            ]
        pairs.append((p + "slId", str(rng.randrange(10**6, 10**7))))
        if issued and rng.random() < 0.3:
            pairs.append((p + "upsTrackingID", "1Z%03dAA1%010d" % (rng.randrange(1000), rng.randrange(10**10))))
    return pairs


def make_body(orders, certs, kind="mix"):
    rng = random.Random(SEED)
    pairs = [("errorCode", "0")]
    base = 1_000_000 + rng.randrange(9_000_000)
    for x in range(1, orders + 1):
        if kind == "no_escapes":
            pairs += plain_order_fields(rng, x, base + 7 * x, certs)
            continue
        # The queried order always carries two matches, so even the small
        # body exercises the double-encoded list.
        pairs += order_fields(rng, x, base + 7 * x, certs,
                              force_found=x == 1 or kind == "org_details")
    body = serialize(pairs)
    if kind == "no_escapes":
        assert "%" not in body and "+" not in body
    return body


# Texts of the no_escapes body: every byte one the serializer writes as it is.
PLAIN_STATUS = [
    ("Pending", "Awaiting-DCV", [("Pending", "Awaiting-Validation")]),
    ("Issued", "", [("Valid", ""), ("Valid", ""), ("Expired", "Expired-2024-12-31")]),
    ("Revoked", "Key-compromise", [("Revoked", "Superseded")]),
]
PLAIN_OBJECT_TYPES = ["SSL", "Multi-Domain-SSL", "Wildcard-SSL", "EV-SSL"]


def plain_order_fields(rng, x, order_number, certs):
    """An order whose every name and value needs no escape."""
    status, reason, cert_status = rng.choice(PLAIN_STATUS)
    pairs = [
        ("%d_orderNumber" % x, str(order_number)),
        ("%d_orderDateTime" % x, "2025-%02d-%02dT%02d.%02d" % (
            rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60))),
        ("%d_orderStatus" % x, status),
        ("%d_orderStatusReason" % x, reason),
    ]
    domain = rng.choice(DOMAINS)
    for y in range(1, certs + 1):
        p = "%d_%d_" % (x, y)
        cstatus, creason = rng.choice(cert_status)
        issued = cstatus in ISSUED
        if issued:
            pairs.append((p + "serialNumber", "%032X" % rng.getrandbits(128)))
        pairs += [
            (p + "objectType", rng.choice(PLAIN_OBJECT_TYPES)),
            (p + "FQDN", rng.choice(HOSTS) + "." + domain),
            (p + "certificateStatus", cstatus),
            (p + "certificateStatusReason", creason),
        ]
        pairs += [(p + name, str(rng.choice([-1, 0, 1, 2]))) for name in PROGRESS]
        if issued:
            pairs += [
                (p + "validityPeriodStart", "2025-06-%02dT00.00.00" % rng.randrange(1, 29)),
                (p + "validityPeriodEnd", "2026-07-%02dT23.59.59" % rng.randrange(1, 29)),
            ]
        pairs.append((p + "slId", str(rng.randrange(10**6, 10**7))))
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent)
    ap.add_argument("--check", action="store_true", help="compare with the files instead of writing")
    args = ap.parse_args()
    status = 0
    for name, shape in BODIES.items():
        body = make_body(shape["orders"], shape["certs"], shape.get("kind", "mix")).encode("ascii")
        path = args.out / name
        fields = [piece for piece in body.split(b"&") if piece]
        escaped = sum(1 for piece in fields if b"%" in piece or b"+" in piece)
        print("%-16s %6d bytes  %4d fields (%d need decoding)  %d orders x %d certificates"
              % (name, len(body), len(fields), escaped, shape["orders"], shape["certs"]))
        if args.check:
            if not path.exists() or path.read_bytes() != body:
                print("  %s is stale: rerun without --check" % path, file=sys.stderr)
                status = 1
        else:
            path.write_bytes(body)
    return status


if __name__ == "__main__":
    sys.exit(main())

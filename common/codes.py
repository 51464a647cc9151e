"""Codes printed on a document so that anyone can check it: random, unguessable, readable.

The training certificates and the payroll income certificates both carry a number and a
verification code from `random_code`, and a QR code of their public verification address
from `qr_data_uri` (embedded as an SVG data URI, so rendering the PDF needs no network).
"""

import secrets

import segno

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_CODE_LENGTH = 20  # 100 random bits


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(length))


def new_verification_code() -> str:
    return random_code(VERIFICATION_CODE_LENGTH)


def normalise_code(typed: str) -> str:
    """A code as a person types it from paper: spaces and dashes dropped, upper case."""
    return typed.strip().upper().replace(" ", "").replace("-", "")


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#0b2e23")

"""Codes of an authenticator, as the phone would show them when the server
asks for one."""

from __future__ import annotations

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_at(key: bytes, step_number: int, device: TOTPDevice) -> str:
    return f"{hotp(key, step_number, device.digits):0{device.digits}d}"


def next_code(device: TOTPDevice, key: bytes | None = None) -> str:
    """The code the device accepts next: its current step as it counts time
    (with the clock drift it learnt from the last code), or the step after
    the last code used if that one is still current.

    A code of the clock's own step is not always accepted: a code typed just
    after a 30-second boundary teaches the device a drift of one step, and a
    code already used is refused."""
    device.refresh_from_db()
    key = device.bin_key if key is None else key
    now = TOTP(key, device.step, device.t0, device.digits, device.drift).t()
    return code_at(key, max(now, device.last_t + 1), device)

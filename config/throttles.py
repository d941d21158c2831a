"""DRF's throttles, keyed by the client address from config.client_address (never by a
client-sent X-Forwarded-For, which DRF's own get_ident would believe)."""

from rest_framework import throttling

from config.client_address import client_address


class _ClientAddress:
    def get_ident(self, request):
        return client_address(request)


class UserRateThrottle(_ClientAddress, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_ClientAddress, throttling.AnonRateThrottle):
    pass


class ScopedRateThrottle(_ClientAddress, throttling.ScopedRateThrottle):
    pass

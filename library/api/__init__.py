"""The library's part of the partner API.

`plumbing` holds what every app's router shares (the API object, tokens, rate limits, errors,
conditional requests, addresses); `catalogue` holds the catalogue and subjects routers.
"""

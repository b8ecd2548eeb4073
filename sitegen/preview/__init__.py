"""The editors' preview behind `sitegen serve`: a small HTTP server of its own, a source watcher,
and the reload script with its error overlay (served only by the preview, never part of a site).

No dependency: a stdlib server with one Server-Sent Events endpoint replaces livereload, whose
WebSocket accepted any Origin and whose inline script the site's Content-Security-Policy blocks.
"""

"""The vocabulary of build reports, importable at start-up without the reader."""

from __future__ import annotations

SECTIONS = ("mediawiki", "webserver")
SECTION_LABEL = {"mediawiki": "MediaWiki", "webserver": "web"}
WEB_KIND = "image"  # scap always looks up the web image as this kind
BY_FLAVOUR = "by-flavour"
# flat shape: which key holds which kind
FLAT_MEDIAWIKI = {"image": "multiversion-image", "debug-image": "multiversion-debug-image"}
FLAT_WEBSERVER = {"image": "image"}

# shapes
CURRENT, LEGACY_BY_FLAVOUR, LEGACY_FLAT = "current", "by-flavour", "flat"

"""Real-browser tests of the app."""

#: Set to 1 (``make screenshots``) to let the browser tests rewrite the README's screenshots in docs/screenshots/.
REFRESH_ENV = "ADVISOR_REFRESH_SCREENSHOTS"

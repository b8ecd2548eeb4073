"""sitegen: German content and gettext catalogues in, a multilingual static site out."""

__version__ = "0.1.0"

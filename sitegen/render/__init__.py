"""Stage 4: render — planned pages and every other file of the site, from the theme's templates."""

from .stage import PARALLEL_FROM, render_site

__all__ = ["PARALLEL_FROM", "render_site"]

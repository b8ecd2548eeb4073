"""Stage 4: render — planned pages and every other file of the site, from the theme's templates."""

from .stage import PARALLEL_FROM, Progress, Rendered, render_site

__all__ = ["PARALLEL_FROM", "Progress", "Rendered", "render_site"]

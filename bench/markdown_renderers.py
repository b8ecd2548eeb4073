"""Why markdown-it-py and not Python-Markdown: speed on 400-word pages, and GitHub's list rules.

Usage: python bench/markdown_renderers.py
"""

from __future__ import annotations

import timeit

import markdown

from sitegen.body import make_markdown

PAGE = (
    "## Deutschkurs für Mütter\n\n"
    + ("Wir lernen gemeinsam Deutsch für den Alltag, mit Kinderbetreuung im Nebenraum und viel Zeit für Fragen. " * 8 + "\n\n") * 4
    + "- Einkaufen\n  - auf dem Markt\n  - im Supermarkt\n- Arztbesuch\n\n"
    + "| Tag | Zeit |\n|---|---|\n| Montag | 9 Uhr |\n\n"
    + "Mehr unter https://www.drk-borken.de und [Anmeldung](anmeldung.md).\n"
)
NESTED = "- a\n  - b\n"


def main() -> None:
    words = len(PAGE.split())
    md_it = make_markdown()
    py_md = markdown.Markdown(extensions=["tables"])
    runs = 300
    t_it = timeit.timeit(lambda: md_it.render(PAGE), number=runs) / runs * 1000
    t_py = timeit.timeit(lambda: (py_md.reset(), py_md.convert(PAGE)), number=runs) / runs * 1000
    print(f"{words}-word page: markdown-it-py {t_it:.2f} ms, Python-Markdown {t_py:.2f} ms ({t_py / t_it:.1f}x)")
    print("nested list indented by 2 spaces (GitHub: a list inside the item):")
    print("  markdown-it-py:  ", md_it.render(NESTED).replace("\n", ""))
    print("  Python-Markdown: ", markdown.markdown(NESTED).replace("\n", ""))


if __name__ == "__main__":
    main()

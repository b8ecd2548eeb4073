"""Build the repository's own example site into _site/ (same as `sitegen build .`)."""

import sys
from pathlib import Path

from sitegen.cli import main

if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    raise SystemExit(main(["build", str(root), *sys.argv[1:]]))

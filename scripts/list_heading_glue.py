"""List every token presslens.heading_glue splits in folders of .txt articles, to read each one.

For each split it prints the article, the character offset, the two parts and the line around
them, and at the end how many articles and splits there were. The texts are tokenized only (the
component's conditions read the tokens and the text, not the parse), as the runner hands them
to the parser: page furniture blanked (`components.article_input`). Default folders: the war
articles of SemEval-2025 Task 10 and PolNeAR's texts, where present.

    .venv/bin/python scripts/list_heading_glue.py [DIR ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from presslens import components, config, heading_glue, nlp

DEFAULT_DIRS = (config.DATASETS_DIR / "semeval2025t10_en_war" / "articles",
                config.DATASETS_DIR / "polnear" / "train" / "text")
CONTEXT = 60  # characters of the line shown on each side of a split


def splits_in(path: Path, tokenizer) -> list[tuple[int, heading_glue.Joint, str]]:
    text = path.read_text(encoding="utf-8")
    title = text.split("\n", 1)[0]
    prepared = components.article_input(path.stem, text, title).parse_text
    doc = tokenizer(prepared)
    out = []
    for glued in heading_glue.find_glued(doc):
        i, parts = glued.index, glued.parts
        at = doc[i].idx
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        shown = text[max(line_start, at - CONTEXT):min(line_end, at + len(doc[i].text) + CONTEXT)]
        out.append((at, parts, shown))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=list(DEFAULT_DIRS))
    args = parser.parse_args(argv)
    tokenizer = nlp.load_pipeline().tokenizer
    for folder in args.dirs:
        if not folder.is_dir():
            print(f"{folder}: not found, skipped")
            continue
        files = sorted(folder.glob("*.txt"))
        total = 0
        for path in files:
            for at, parts, shown in splits_in(path, tokenizer):
                total += 1
                print(f"{path.stem}\t{at}\t{parts.left} | {parts.joint}{parts.right}\t{shown!r}")
        print(f"{folder}: {len(files)} articles, {total} splits\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

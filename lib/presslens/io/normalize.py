"""From one raw record (a dict of whatever fields a file had) to the canonical article fields.

Field names are resolved through `resources/column_aliases.json` (and the caller's
`columns=` mapping, which wins); values are cleaned: text repaired with ftfy and NFC-normalised
without touching quotes, dashes or whitespace (so offsets stay meaningful), dates parsed to UTC,
authors to a list of names, outlet from the URL's host when the record has none (or from the
file's folder, see `RecordNormaliser.normalise`), language from the record or detected with
langdetect (seeded, so the same text always gets the same code). Values that cannot be what
their field claims (a number as text, a 1900 publication date, a 20,000-character id) are
rejected or left empty, and reported.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import ftfy
import numpy as np
import pandas as pd

from presslens.config import resource
from presslens.io.dates import Window, parse_published, plausible_window

CANONICAL_FIELDS = ("article_id", "text", "title", "published", "outlet", "url", "authors", "language")

# ftfy settings that repair mojibake, C1 controls, surrogates and terminal escapes but never
# change quotes, dashes, ligatures, character width or line breaks.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",
    fix_encoding=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_terminal_escapes=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)
# ftfy costs about 1 ms per 3,000 characters, most of it in its mojibake search, so it only runs
# on text that could need it. Mojibake is UTF-8 read as a single-byte encoding: each multibyte
# character becomes two or more non-ASCII characters in a row (or, when a 0xA0 byte was turned
# into a space, one of a few Latin-1 lead characters followed by a space). Without such a run, ftfy could
# only remove control characters, unescape an HTML entity or NFC-normalise, each checked below.
# Several single-class patterns are much faster with `re` than one alternation.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2}")
# The lead characters ftfy's ALTERED_UTF8_RE accepts before a space (its 0xA0 repair): Â Ã Å Î Ð Ù
# alone, â ã when another non-ASCII character follows; "café " or "– " never need ftfy.
_LATIN1_BEFORE_SPACE = re.compile(r"[\u00c2\u00c3\u00c5\u00ce\u00d0\u00d9] |[\u00e2\u00e3] [^\x00-\x7f]")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]"
)
_ENTITY = re.compile(r"&[#A-Za-z]")
# Printable ASCII, tab/newlines/form feed, curly quotes, en/em dash, ellipsis and no-break space.
# Text made only of these cannot be mojibake: in every single-byte encoding ftfy tries, a UTF-8
# lead byte reads as a letter or symbol outside this set, or the following byte reads as one.
# Most English news is made of them, and `set(text)` is far cheaper than a regex scan.
_PLAIN_CHARS = frozenset(
    [chr(code) for code in range(0x20, 0x7F)]
    + ["\t", "\n", "\r", "\x0c", "\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014",
       "\u2026", "\u00a0"]
)

# A record whose text is longer than this is rejected: no news article is (a long read is
# 50,000-200,000 characters), and repairing, hashing and splitting a scraped book or a whole site
# in one field would hold the load for minutes. Texts above LARGE_TEXT_CHARS load with a warning.
MAX_RECORD_CHARS = 5_000_000
LARGE_TEXT_CHARS = 250_000
# Ids, titles, outlets, URLs, languages and author names longer than this are not what they
# claim to be (a text pasted into the wrong column): left empty, with a warning.
MAX_FIELD_CHARS = 10_000
# C0/C1 controls (tab, newline and carriage return aside) and lone surrogates, which pyarrow
# cannot store in a string column (a file decoded with surrogateescape, a JSON "\udc80").
_BAD_FIELD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

MIN_LETTERS_FOR_DETECTION = 20
DETECTION_PREFIX_CHARS = 1000  # langdetect's cost grows with length; 1,000 chars is plenty
_LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||\n|\band\b|&)\s*")
_BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.I)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[\s.\-/]+")


def normalise_key(key: Any) -> str:
    """'publishedAt', 'Date Published', 'date-published' -> 'published_at', 'date_published'."""
    text = _CAMEL.sub("_", str(key).strip().lstrip("\ufeff"))
    return _NON_WORD.sub("_", text).lower()


@lru_cache(maxsize=1)
def load_aliases() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(canonical field -> alias keys in priority order, language name -> ISO code)."""
    with open(resource("column_aliases.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    columns = {
        field: tuple(normalise_key(alias) for alias in aliases)
        for field, aliases in data["columns"].items()
    }
    return columns, {k.lower(): v for k, v in data.get("language_names", {}).items()}


def fix_text(text: str) -> str:
    """Repair mojibake and control characters, NFC-normalise; quotes/dashes/whitespace kept."""
    if _PLAIN_CHARS.issuperset(text):
        if not ("&" in text and _ENTITY.search(text)):
            return text
    elif not (
        _NON_ASCII_RUN.search(text)
        or _LATIN1_BEFORE_SPACE.search(text)
        or _CONTROL.search(text)
        or ("&" in text and _ENTITY.search(text))
        or not unicodedata.is_normalized("NFC", text)
    ):
        return text
    return ftfy.fix_text(text, FTFY_CONFIG)


def text_id(text: str) -> str:
    """The stable id of a record without one: the first 16 hex digits of sha1(text)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    if isinstance(value, (list, tuple, dict)) and len(value) == 0:
        return True
    return False


def as_text(value: Any) -> str | None:
    """A field value as a string: paragraphs in a list are joined by blank lines, a dict
    with a name/text is unwrapped, numbers are written out."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple)):
        parts = [as_text(v) for v in value]
        joined = "\n\n".join(p for p in parts if p)
        return joined or None
    if isinstance(value, dict):
        for key in ("name", "text", "value", "title", "id"):
            if key in value and not is_missing(value[key]):
                return as_text(value[key])
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if number.is_integer() and abs(number) < 2**63:
            return str(int(number))
        return str(value)
    return str(value)


def text_of(value: Any) -> tuple[str | None, str | None]:
    """(text, None) for a string, bytes (UTF-8) or a list of strings (paragraphs, joined by a
    blank line); (None, why) for anything else: a number, a boolean or a dict is a
    mis-mapped column, not an article."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace"), None
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [item for item in value if not is_missing(item)]
        if items and all(isinstance(item, str) for item in items):
            return "\n\n".join(items), None
        kinds = ", ".join(sorted({type(item).__name__ for item in items} - {"str"}))
        return None, f"text is a list holding {kinds or 'nothing'}, not a string"
    shown = repr(value)[:40]
    return None, f"text is a {type(value).__name__} ({shown}), not a string"


def clean_field(value: str | None, name: str, problems: list[tuple[str, str]]) -> str | None:
    """A short field (id, title, outlet, url, language, author) without control characters or
    lone surrogates; None (reported) when it is implausibly long."""
    if value is None:
        return None
    if len(value) > MAX_FIELD_CHARS:
        problems.append(("field_too_long",
                         f"{name} of {len(value):,} characters is not a {name}; left empty"))
        return None
    if value.isascii() and value.isprintable():
        return value
    if _BAD_FIELD_CHARS.search(value):
        value = _BAD_FIELD_CHARS.sub(_replace_bad_char, value)
        problems.append(("bad_characters",
                         f"control characters or invalid (surrogate) characters in {name} "
                         "removed or replaced by U+FFFD"))
    return value or None


def _replace_bad_char(match: re.Match) -> str:
    char = match.group()
    return "\ufffd" if "\ud800" <= char <= "\udfff" else ""


def parse_authors(value: Any) -> list[str]:
    """A list of author names from a list, a dict, or a byline string ("By A and B; C")."""
    if is_missing(value):
        return []
    items = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
    names: list[str] = []
    for item in items:
        text = as_text(item)
        if not text:
            continue
        for part in _AUTHOR_SPLIT.split(_BYLINE_PREFIX.sub("", text)):
            name = " ".join(part.split())
            name = _BYLINE_PREFIX.sub("", name).strip(" ,")
            if name and name not in names:
                names.append(name)
    return names


def host_of(url: str | None) -> str | None:
    """'https://www.bbc.co.uk/news/x' -> 'bbc.co.uk' (the outlet when a record names none)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def normalise_outlet(value: Any) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    text = " ".join(text.split())
    if "://" in text or text.startswith("www."):
        return host_of(text) or text
    return text or None


def normalise_language(value: Any) -> str | None:
    """'en', 'EN-us', 'en_GB' -> 'en'; 'English' -> 'en'; anything else unchanged (lower)."""
    text = as_text(value)
    if text is None:
        return None
    text = text.strip().lower()
    match = _LANGUAGE_CODE.match(text)
    if match:
        return match.group(1)
    return load_aliases()[1].get(text, text or None)


def detect_language(text: str) -> str:
    """ISO 639-1 code by langdetect with a fixed seed; "und" when the text is too short or
    has no letters to go on."""
    sample = text[:DETECTION_PREFIX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS_FOR_DETECTION:
        return "und"
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # set on every call: another library may have changed it
    try:
        code = detect(sample)
    except LangDetectException:
        return "und"
    return normalise_language(code) or "und"


@dataclass
class Article:
    """One normalised record, ready for the column builder."""

    record_id: str | None  # the record's own id; the builder falls back to text_id(text)
    text: str
    title: str | None
    published: int  # UTC ns, NAT_NS when absent
    outlet: str | None
    url: str | None
    authors: list[str]
    language: str
    n_words: int
    extras: dict[str, Any]
    outlet_source: str | None = None  # argument, record, url or folder; None without an outlet


class RecordNormaliser:
    """Resolves field names once per distinct set of keys and cleans one record at a time."""

    def __init__(
        self,
        columns: dict[str, str] | None = None,
        detect_languages: bool = True,
        outlet: str | None = None,
        window: Window | None = None,
    ) -> None:
        """outlet: sets every record's outlet (overriding the record's own); window: the
        plausible publication dates (default: `plausible_window()` as of now)."""
        aliases, _ = load_aliases()
        columns = dict(columns or {})
        self.user_map: dict[str, str] = {}  # source key (exact or normalised) -> target
        self.extra_targets: list[str] = []
        for source, target in columns.items():
            if not isinstance(source, str) or not isinstance(target, str):
                raise TypeError("columns= maps field names (str) to column names (str)")
            self.user_map[source] = target
            self.user_map.setdefault(normalise_key(source), target)
            if target not in CANONICAL_FIELDS and target not in self.extra_targets:
                self.extra_targets.append(target)
        self.aliases = aliases
        self.detect_languages = detect_languages
        self.outlet = (" ".join(str(outlet).split()) or None) if outlet is not None else None
        self.window = window if window is not None else plausible_window()
        self._plans: dict[tuple, dict[str, list[str]]] = {}

    def plan(self, keys: tuple) -> dict[str, list[str]]:
        """For a record's keys: target column -> the record's keys to try, in priority order."""
        cached = self._plans.get(keys)
        if cached is not None:
            return cached
        by_normal: dict[str, str] = {}
        for key in keys:
            by_normal.setdefault(normalise_key(key), key)
        plan: dict[str, list[str]] = {}
        mapped: set[str] = set()
        for key in keys:  # the caller's mapping wins over the alias table
            target = self.user_map.get(key) if isinstance(key, str) else None
            if target is None:
                target = self.user_map.get(normalise_key(key))
            if target is not None:
                plan.setdefault(target, []).append(key)
                mapped.add(key)
        for target, aliases in self.aliases.items():
            candidates = plan.setdefault(target, [])
            for alias in aliases:
                key = by_normal.get(alias)
                if key is not None and key not in mapped and key not in candidates:
                    candidates.append(key)
        if len(self._plans) < 10_000:
            self._plans[keys] = plan
        return plan

    @staticmethod
    def first(record: dict, keys: list[str]) -> Any:
        for key in keys:
            value = record.get(key)
            if not is_missing(value):
                return value
        return None

    def normalise(
        self, record: dict, folder_outlet: str | None = None
    ) -> tuple[Article | None, str | None, list[tuple[str, str]]]:
        """(article or None, record id if any, problems as (code, reason)).

        A record without usable text gives no article and a problem with code "no_text" (or
        "text_not_string", "record_too_large"). The outlet is, in this order: the `outlet`
        given to the normaliser, the record's own, its URL's host, `folder_outlet`."""
        problems: list[tuple[str, str]] = []
        plan = self.plan(tuple(record.keys()))
        raw_id = as_text(self.first(record, plan.get("article_id", [])))
        raw_id = clean_field(raw_id, "article_id", problems)
        record_id = (" ".join(raw_id.split()) or None) if raw_id else None
        text_keys = plan.get("text", [])
        raw_text = self.first(record, text_keys)
        if raw_text is None:
            if any(key in record for key in text_keys):
                return None, record_id, [("no_text", "empty text")]
            keys = ", ".join(sorted(map(str, record.keys()))[:12])
            return None, record_id, [("no_text", f"no text field (keys: {keys})")]
        text, why = text_of(raw_text)
        if text is None:
            return None, record_id, [("text_not_string", why)]
        if len(text) > MAX_RECORD_CHARS:
            return None, record_id, [(
                "record_too_large",
                f"text of {len(text):,} characters is over the {MAX_RECORD_CHARS:,} limit for "
                "one article; not loaded")]
        if not text.strip():
            return None, record_id, [("no_text", "empty text")]
        text = fix_text(text)
        if not text.strip():
            return None, record_id, [("no_text", "text is empty after repair")]
        if len(text) > LARGE_TEXT_CHARS:
            problems.append(("large_text", f"text of {len(text):,} characters: unusually long "
                                           "for a news article (several joined?)"))
        title = as_text(self.first(record, plan.get("title", [])))
        if title is not None:
            title = clean_field(" ".join(fix_text(title).split()), "title", problems)
        published = parse_published(self.first(record, plan.get("published", [])), self.window)
        if published.code is not None:
            problems.append((published.code, published.reason))
        url = as_text(self.first(record, plan.get("url", [])))
        url = clean_field(url.strip(), "url", problems) if url else None
        outlet, outlet_source = self._outlet(record, plan, url, folder_outlet, problems)
        authors = [
            name for name in (
                clean_field(name, "author", problems)
                for name in parse_authors(self.first(record, plan.get("authors", [])))
            ) if name
        ]
        language = normalise_language(self.first(record, plan.get("language", [])))
        language = clean_field(language, "language", problems)
        if language is None:
            language = detect_language(text) if self.detect_languages else "und"
        extras = {
            target: self.first(record, plan.get(target, [])) for target in self.extra_targets
        }
        article = Article(
            record_id=record_id,
            text=text,
            title=title,
            published=published.nanos,
            outlet=outlet,
            url=url or None,
            authors=authors,
            language=language,
            n_words=len(text.split()),
            extras=extras,
            outlet_source=outlet_source,
        )
        return article, record_id, problems

    def _outlet(
        self, record: dict, plan: dict[str, list[str]], url: str | None,
        folder_outlet: str | None, problems: list[tuple[str, str]],
    ) -> tuple[str | None, str | None]:
        if self.outlet is not None:
            return self.outlet, "argument"
        own = clean_field(normalise_outlet(self.first(record, plan.get("outlet", []))),
                          "outlet", problems)
        if own:
            return own, "record"
        host = host_of(url)
        if host:
            return host, "url"
        if folder_outlet:
            return folder_outlet, "folder"
        return None, None

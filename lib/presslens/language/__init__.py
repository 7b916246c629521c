"""Language of the news: persuasion techniques, contested war terms, place-name spellings,
hedges and boosters, and tone.

Everything here is rules-as-data (lexicons in `presslens/resources/`) applied to the spaCy Docs
of `presslens.nlp`, and every finding keeps character offsets into the article `text`:

- `detect_persuasion`: loaded_language, name_calling, doubt, appeal_to_fear (SemEval-2023 Task 3
  technique definitions): the paragraphs a trained model flags (`persuasion_model`, trained by
  `train` on the SemEval-2023 T3 English spans), each shown by the cues of the rule
  layer (`lexicon_persuasion`: `persuasion_lexicon.tsv` and parse patterns, less the neutral
  uses of `persuasion_neutral.tsv`) or, where it has none, by the model's strongest words;
- `extract_terms`: the Analysis `terms` table: contested terms (`contested_terms.tsv`), Russian-
  vs Ukrainian-style place spellings (`place_spellings.tsv`), hedges and boosters (Hyland 2005,
  `stance_*.txt`) and persuasion cues. `category` says how the writer uses a term:
  contested terms `distance` (scare quotes), `source_quote` (inside someone's quoted words),
  `attributed` (unquoted inside the content of a reported source, given sourcing's attributions)
  or `adopted` (the writer's own voice); places `russian_style` / `ukrainian_style`; hedges,
  boosters and persuasion cues `writer` / `source_quote` / `distance`;
- `spelling_profile` / `spelling_hits`: place spellings per article (text only, no parse);
- `stance`, `tone`, `language_profile`: per-sentence hedging and VADER tone, per-article summary.

The package's modules: `tables` (columns, technique names), `lexicons` (the rule files),
`quotes` (quotation marks and scare quotes), `text` (text-only finders), `stance` (hedges and
boosters), `persuasion` (the rule layer's technique spans), `persuasion_model` and
`train` (the fitting of the trained detector), `extract` (the registered `language` component and
the DataFrame-level functions), `profile` (per-article summary).
"""

from .extract import (
    detect_persuasion,
    extract_terms,
    from_doc,
    lexicon_persuasion,
    spelling_hits,
    spelling_profile,
    stance,
    summarize_spellings,
    tone,
)
from .lexicons import contested_patterns, persuasion_lexicon, place_forms, stance_lexicon
from .persuasion import persuasion_spans
from .profile import language_profile
from .quotes import QuoteRegion, quote_regions, quote_status
from .tables import (
    LEXICON_PERSUASION,
    PERSUASION,
    SEMEVAL_TECHNIQUES,
    SPELLING_HITS,
    STANCE,
    TECHNIQUES,
    TERM_KINDS,
    TERMS,
    TONE,
    TONE_CAVEAT,
    WORD_LEVEL_TECHNIQUES,
)
from .text import contested_hits_in_text, spelling_hits_in_text

__all__ = [
    "LEXICON_PERSUASION", "PERSUASION", "SEMEVAL_TECHNIQUES", "SPELLING_HITS", "STANCE", "TECHNIQUES", "TERMS",
    "TERM_KINDS", "TONE", "TONE_CAVEAT", "WORD_LEVEL_TECHNIQUES", "QuoteRegion",
    "contested_hits_in_text", "contested_patterns", "detect_persuasion", "extract_terms",
    "from_doc", "language_profile", "lexicon_persuasion", "persuasion_lexicon", "persuasion_spans", "place_forms",
    "quote_regions", "quote_status", "spelling_hits", "spelling_hits_in_text", "spelling_profile",
    "stance", "stance_lexicon", "summarize_spellings", "tone",
]

"""Named-entity recognition for Arabic and English news text (CRF models in ``etl/models``).

``recognise(text, lang)`` tokenises raw text itself, tags it with a linear-chain CRF
(python-crfsuite) and returns ``EntitySpan``s whose offsets index the stored text exactly.
Features are per-word and cached, so tagging costs little more than one dict lookup per token.
After the CRF, two passes over the whole text: a name tagged once is tagged where it recurs
untagged (``Recogniser.tag_document``), and multi-word names of the alias table
(``etl/data/entity_aliases.tsv``) are tagged wherever they occur (``add_alias_phrases``).
English only: a possessive ends a span (Hungary's Orban → Hungary, Orban), a word of a longer
PER name of the text is PER (Hansen after James Hansen), nationality words are MISC (Israeli).

Arabic clitics: ANERcorp tags whole whitespace tokens, so the training data and the model's
token-level output keep proclitics attached (وروسيا B-LOC). Only when turning tokens into
character spans does ``recognise`` trim a leading و/ف/ب/ل/ك (or و/ف + ب/ل/ك) when what remains
is a known entity word (training-data entity words, CLDR and alias-table names): وموسكو →
موسكو, بحلب → حلب, لروسيا → روسيا; and و before ال: والأسد → الأسد. لل+stem (للأسد = ل + الأسد
with the alef elided) is left whole because its stem is no substring; ``etl.entities`` keys it
the same anyway. See docs/MODEL_CARD_NER.md.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from etl.aliases import cldr_aliases, read_alias_table
from etl.arabic import (
    PROCLITIC_PREFIXES,
    analysis_language,
    arabic_match_key,
    normalise_arabic,
    normalise_key,
    strip_clitics,
)
from etl.models import EntitySpan
from etl.ner_aliases import Span4, add_alias_phrases, curated_labels
from etl.titles import ROLE_TITLES_EN
from etl.tokens import split_sentences, tokenise, without_direction_marks

MODEL_DIR = Path(__file__).parent / "ner_models"  # not "models": etl/models.py holds the records
MODEL_VERSION = "crf-ar-2026.12.01a+crf-en-2026.12.01b"
LABELS = ("PER", "ORG", "LOC", "MISC")

_WORD = re.compile(r"\w")

# Words that announce a name of a given type (normalised Arabic / lower-case English).
_TRIGGERS_AR = {
    "PER": "رءيس الرءيس السيد الساده الشيخ الامير الملك وزير الوزير نايب الناطق المتحدث "
    "الدكتور د العقيد اللواء العميد الجنرال المستشار السفير النايب الزعيم القايد قال "
    "اكد اعلن اضاف اوضح اشار اعتبر اللاعب المدرب الفنان الكاتب الروايي الشاعر مدير "
    "عن الرءاسه زعيم",
    "LOC": "مدينه محافظه بلده قريه ريف ارياف منطقه عاصمه العاصمه ولايه اقليم جزيره نهر "
    "جبل بحر مخيم حي شمال جنوب شرق غرب شمالي جنوبي شرقي غربي في الي من دوله",
    "ORG": "وكاله شركه جيش الجيش حزب حركه هيءه جبهه منظمه جامعه مجلس وزاره الوزاره "
    "صحيفه قناه مصرف بنك اتحاد لجنه نادي جمعيه مؤسسه فصايل فصيل تنظيم جماعه قوات",
}
_TRIGGERS_EN = {
    "PER": "mr mrs ms dr president minister spokesman spokeswoman sir king queen prince "
    "general gen col colonel lt sgt senator sen rep gov governor pope sheikh said says told "
    "chancellor premier secretary leader commander",
    "LOC": "in at near from city province town village region capital district river "
    "mount lake north south east west northern southern eastern western",
    "ORG": "agency company army party ministry university council committee bank "
    "group corp inc ltd co association federation union club forces front movement",
}
# Nationality and religion words: MISC in the CoNLL/wikigold convention ("Israeli troops",
# "Palestinians"), so a span made only of them is MISC whatever type the CRF gave it.
_DEMONYMS_EN = (
    "afghan algerian american arab argentine armenian asian australian austrian azerbaijani "
    "bahraini belarusian belgian bosnian brazilian british bulgarian burmese canadian chechen "
    "chilean chinese christian colombian croatian cuban cypriot czech danish druze dutch "
    "egyptian emirati english eritrean ethiopian european filipino finnish french georgian "
    "german greek hungarian indian indonesian iranian iraqi irish israeli italian japanese "
    "jewish jordanian kazakh kenyan korean kurdish kuwaiti lebanese libyan malaysian mexican "
    "moroccan muslim nigerian norwegian omani pakistani palestinian persian polish portuguese "
    "qatari romanian russian saudi scottish serbian shiite slovak somali spanish sudanese "
    "sunni swedish swiss syrian taiwanese tunisian turkish ukrainian uzbek venezuelan "
    "vietnamese welsh yemeni alawite catholic protestant african latino hindu sikh buddhist"
)
DEMONYMS_EN = frozenset([*_DEMONYMS_EN.split(),
                         *(w + "s" for w in _DEMONYMS_EN.split() if w[-1] in "ni"),
                         "turks", "kurds", "arabs", "jews", "serbs", "croats", "poles", "shia",
                         "swedes", "danes", "finns", "scots", "sunnis", "shiites", "afghans"])
_POSSESSIVES = frozenset({"'s", "’s", "'S", "’S"})
TRIGGERS = {
    "ar": {w: lab for lab, ws in _TRIGGERS_AR.items() for w in ws.split()},
    "en": {w: lab for lab, ws in _TRIGGERS_EN.items() for w in ws.split()},
}


def _shape(word: str) -> str:
    """Return a compressed word shape: Xx, XX, d, x., ar, punct…"""
    out = []
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif "\u0600" <= ch <= "\u06ff":
            c = "a"
        elif ch.isalpha():
            c = "o"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


PLACE_NAMES = frozenset({"en"})
"""Languages whose one-word GeoNames city names (``etl/data/place_names.tsv``) are LOC gazetteer
words. English: blocked CV 0.593 → 0.598 (LOC 0.685 → 0.700). Not Arabic: CV +0.2 only, the
last 10 % of ANERcorp −1.2, and GeoNames' Arabic alternates hold common words (ريف, the
countryside of every Syrian province, became a place)."""
WORD_CLUSTERS = frozenset({"en"})
"""Languages whose word-vector clusters (``etl/data/word_clusters_{lang}.tsv.gz``) are features:
a word unseen in training still tells the model which seen words it is used like."""
CLUSTER_NEIGHBOURS = True
"""Whether the ±1 neighbours' middle cluster ids are features too."""
PERSON_NAMES = True
"""Whether known given and family names (``etl/data/person_names.tsv``) are features."""
ALIAS_GAZETTEER = True
"""Whether one-word alias-table names are gazetteer features (CLDR names always are). Neutral
in blocked CV on ANERcorp (0.698 with, 0.699 without), whose places its own training text
names; on regional news it is what finds the towns and provinces ANERcorp never saw (حلب,
إدلب, حماة of the bundled sample are all missed without it)."""
HEADLINE_RULE = True
"""Whether English title-case lines keep only the multi-word spans the body also names."""
ADJECTIVE_RULE = True
"""Whether one-word Arabic nisba adjectives tagged PER/LOC are untagged (``drop_adjectives``)."""
# Words after which a place name is a place, not an adjective (في سورية, من سورية).
_FUNCTION_WORDS_AR = frozenset(["في", "من", "الي", "علي", "عن", "مع", "بين", "حول", "داخل", "خارج", "نحو", "ضد", "عبر", "لدي", "منذ", "و", "او"])
"""Whether one-word alias-table names are gazetteer features (CLDR names always are). Off:
neutral in blocked CV (ar 0.699 without vs 0.698 with, en 0.578 vs 0.579), and a hand-made
table is the likeliest place for names of the evaluation text to leak in."""


@lru_cache(maxsize=2)
def external_gazetteer(lang: str) -> dict[str, str]:
    """Return word → label from outside the training data: one-word CLDR country and city
    names, words of multi-word country names (LOC), one-word aliases of the alias table and,
    in English, nationality words (MISC)."""
    words: dict[str, str] = {}
    for row in [*cldr_aliases(), *(read_alias_table() if ALIAS_GAZETTEER else ())]:
        if row.lang != lang:
            continue
        parts = row.alias.split()
        if len(parts) == 1 or row.label == "LOC" and len(parts) <= 3:
            for w in parts:
                key = normalise_arabic(w) if lang == "ar" else w.lower()
                if len(key) > 2:
                    words.setdefault(key, row.label)
    if lang in PLACE_NAMES:
        for name, name_lang in _name_list("place_names.tsv"):
            if name_lang == lang:
                words.setdefault(name, "LOC")
    if lang == "en":
        words.update(dict.fromkeys(DEMONYMS_EN, "MISC"))
    return words


@lru_cache(maxsize=2)
def person_names(lang: str) -> dict[str, str]:
    """Return name word → "given" / "family" for ``lang`` (keys as ``phrase_key`` makes them)."""
    if not PERSON_NAMES:
        return {}
    return {name: role for name, role, name_lang in _name_list("person_names.tsv") if name_lang == lang}


@lru_cache(maxsize=2)
def word_clusters(lang: str) -> dict[str, tuple[str, ...]]:
    """Return lower-cased word → cluster ids, coarse to fine (empty where none is shipped)."""
    path = Path(__file__).parent / "data" / f"word_clusters_{lang}.tsv.gz"
    if lang not in WORD_CLUSTERS or not path.exists():
        return {}
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    rows = [line.split("\t", 1) for line in lines if line and not line.startswith("#")]
    shared: dict[str, tuple[str, ...]] = {}  # one tuple per id combination: 40 MB, not 200
    return {row[0]: shared.setdefault(row[1], tuple(sys.intern(c) for c in row[1].split("\t")))
            for row in rows[1:]}


def _name_list(filename: str) -> list[list[str]]:
    """Return the rows of a built name list in ``etl/data`` (# comments and the header skipped)."""
    lines = (Path(__file__).parent / "data" / filename).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return rows[1:]


_Features = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]
_Cached = tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class Recogniser:
    """A CRF tagger with its lexicon (gazetteer, entity words) and a per-word feature cache."""

    def __init__(self, lang: str, gazetteer: dict[str, str], entity_words: Iterable[str] = (),
                 tagger=None, common_words: Iterable[str] = (), known_attributes: frozenset[str] | None = None):
        self.lang = lang
        self._known = known_attributes
        """The attributes the model has weights for (None: all). Others change no tag, but crfsuite
        looks each one up in its attribute tree: dropping them first halves the Arabic tagging time."""
        self.common_words = frozenset(common_words)
        self.gazetteer = {**external_gazetteer(lang), **gazetteer}
        self.entity_words = frozenset(entity_words) | frozenset(self.gazetteer)
        self.tagger = tagger
        self._triggers = TRIGGERS[lang]
        self._names = person_names(lang)
        self._clusters = word_clusters(lang)
        self._cache: dict[str, _Cached] = {}
        self._word = self._features_ar if lang == "ar" else self._features_en

    def _features_ar(self, word: str) -> _Features:
        """Return (own, for ±1 neighbours, for ±2 neighbours, bigram key) of an Arabic token."""
        n = normalise_arabic(word) or word
        stem = strip_clitics(n)
        pre = n[: len(n) - len(stem)] if n.endswith(stem) else ""
        trig = self._triggers.get(n) or self._triggers.get(stem)
        g = self.gazetteer.get(n) or self.gazetteer.get(stem)
        own = [
            "w=" + n, "s=" + stem, "pre=" + pre, "sh=" + _shape(word),
            "p2=" + n[:2], "p3=" + n[:3], "x2=" + n[-2:], "x3=" + n[-3:],
            "p1=" + n[:1], "p4=" + n[:4], "x1=" + n[-1:], "x4=" + n[-4:],
            "sp1=" + stem[:1], "sp2=" + stem[:2], "sp3=" + stem[:3], "sp4=" + stem[:4],
            "sx1=" + stem[-1:], "sx2=" + stem[-2:], "sx3=" + stem[-3:], "sx4=" + stem[-4:],
            f"len={min(len(stem), 8)}",
        ]
        if n[:1] in "وفبلك" and len(n) > 3:
            own.append("l=" + n[1:])
        if len(stem) > 3:  # letter trigrams: transliterated foreign names look unlike Arabic
            own.extend(["c3=" + stem[i:i + 3] for i in range(len(stem) - 2)])
        if g:
            own.append("gaz=" + g)
        if trig:
            own.append("trig=" + trig)
        pn = self._names.get(n) or self._names.get(stem) or "-"
        own.append("pn=" + pn)
        gt = ("g=" + (g or "-"), "t=" + (trig or "-"), "n=" + pn)
        near = ("w=" + n, "s=" + stem, *gt, "pre=" + pre, "sx2=" + stem[-2:], "sx3=" + stem[-3:],
                "sp2=" + stem[:2], "sh=" + own[3][3:])
        return tuple(own), near, ("s=" + stem, *gt), stem

    def _features_en(self, word: str) -> _Features:
        """Return (own, for ±1 neighbours, for ±2 neighbours, bigram key) of an English token."""
        word = word.replace("’", "'")  # curly apostrophes read as the training data's
        lo = word.lower()
        shape = _shape(word)
        g = self.gazetteer.get(lo)
        trig = self._triggers.get(lo.rstrip("."))
        own = [
            "w=" + lo, "sh=" + shape, "p1=" + word[:1], "p2=" + lo[:2], "p3=" + lo[:3],
            "x1=" + lo[-1:], "x2=" + lo[-2:], "x3=" + lo[-3:], "x4=" + lo[-4:],
            f"len={min(len(word), 8)}",
        ]
        if word[:1].isupper():
            own.append("title")
        if word.isupper() and len(word) > 1:
            own.append("upper")
        if "-" in word:
            own.append("hyph")
        if g:
            own.append("gaz=" + g)
        if trig:
            own.append("trig=" + trig)
        pn = self._names.get(lo, "-") if word[:1].isupper() else "-"
        own.append("pn=" + pn)
        clusters = self._clusters.get(lo)
        if clusters:
            own.extend(f"k{i}={c}" for i, c in enumerate(clusters))
        far = ("w=" + lo, "sh=" + shape, "g=" + (g or "-"), "t=" + (trig or "-"), "n=" + pn)
        near = (*far, "x3=" + lo[-3:])
        if clusters and CLUSTER_NEIGHBOURS:
            near = (*near, "k1=" + clusters[1])
        return tuple(own), near, far, lo

    def word_features(self, word: str) -> _Cached:
        """Return the cached features of one token, neighbour features already prefixed."""
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) > 300_000:  # bound memory on long-running workers
                self._cache.clear()
            own, near, far, key = self._word(word)
            hit = self._cache[word] = (
                self._kept(own), key,
                self._kept(["-1" + f for f in near]), self._kept(["+1" + f for f in near]),
                self._kept(["-2" + f for f in far]), self._kept(["+2" + f for f in far]),
            )
        return hit

    def _kept(self, features: Sequence[str]) -> tuple[str, ...]:
        """Return the features the model knows (all of them without ``known_attributes``)."""
        known = self._known
        return tuple(features) if known is None else tuple(f for f in features if f in known)

    def sentence_features(self, tokens: Sequence[str]) -> list[list[str]]:
        """Return one CRF feature list per token: own features plus a ±2 token window."""
        cached = [self.word_features(t) for t in tokens]
        n = len(tokens)
        wide = self.lang == "ar"  # +1.1 F1 on the Arabic dev set, -1.0 on the English one
        out = []
        known = self._known
        for i, (own, key, *_) in enumerate(cached):
            feats = ["b", *own]
            pairs = []  # features of the position and of token pairs: not cached, so filtered here
            if wide:  # position, stem bigrams left and right, the stems around the token
                pairs.append(f"pos={min(i, 4)}")
                if i > 1:
                    pairs.append("b2=" + cached[i - 2][1] + "|" + cached[i - 1][1])
                if i + 2 < n:
                    pairs.append("n2=" + cached[i + 1][1] + "|" + cached[i + 2][1])
                if 0 < i < n - 1:
                    pairs.append("tri=" + cached[i - 1][1] + "|" + cached[i + 1][1])
                feats += pairs if known is None else [f for f in pairs if f in known]
            if i > 0:
                prev = cached[i - 1]
                feats += prev[2]
                pair = "bi=" + prev[1] + "|" + key
                if known is None or pair in known:
                    feats.append(pair)
            else:
                feats.append("BOS")
                if self.lang == "en" and tokens[0][:1].isupper():
                    feats.append("first-title")  # capitalised by position, not as a name
            if i + 1 < n:
                nxt = cached[i + 1]
                feats += nxt[3]
                pair = "bn=" + key + "|" + nxt[1]
                if known is None or pair in known:
                    feats.append(pair)
            else:
                feats.append("EOS")
            if i > 1:
                feats += cached[i - 2][4]
            if i + 2 < n:
                feats += cached[i + 2][5]
            out.append(feats)
        return out

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """Return IOB2 tags (B-PER, I-LOC, O…) for one tokenised sentence."""
        if not tokens:
            return []
        tags = list(self.tagger.tag(self.sentence_features(tokens)))
        if self.lang == "ar" and ADJECTIVE_RULE:
            self.drop_adjectives(tokens, tags)
        if self.lang == "en":
            self.split_possessives(tokens, tags)
            self.cut_titles(tokens, tags)
        return tags

    def drop_adjectives(self, tokens: Sequence[str], tags: list[str]) -> None:
        """Untag, in place, one-word Arabic PER/LOC spans that are nationality adjectives (دعم
        روسي, قوات تركية, جهات سورية معارضة): adjectives are not names, and ANERcorp tags them O.

        A nationality adjective is a nisba (…ي, …ية) of a known place: روسي, روسية ← روسيا,
        ايراني ← ايران. Family names of the same shape (الحريري, المالكي) name no place and
        stay. A nisba that is itself a place (سورية is also the country) stays a place after a
        preposition, a definite word or at the start of the sentence.
        """
        for a, b, label in iob_spans(tags):
            if b - a != 1 or label not in ("PER", "LOC"):
                continue
            n = strip_clitics(normalise_arabic(tokens[a]))
            base = n[:-2] if n.endswith("يه") else n[:-1] if n.endswith("ي") else ""
            if len(base) < 3 or not any(self.gazetteer.get(c) == "LOC" for c in (base, base + "ا", base + "يا")):
                continue
            if self.gazetteer.get(n) == "LOC":
                prev = normalise_arabic(tokens[a - 1]) if a else ""
                if not prev[:1].isalpha() or prev.startswith("ال") or prev in _FUNCTION_WORDS_AR:
                    continue
            tags[a] = "O"

    def cut_titles(self, tokens: Sequence[str], tags: list[str]) -> None:
        """Cut leading offices and nationalities off PER spans, in place, as CoNLL does:
        "Syrian President Bashar al-Assad" → Syrian (MISC), President (O), Bashar al-Assad."""
        for start, end, label in iob_spans(tags):
            j = start
            while label == "PER" and j < end - 1 and tokens[j + 1][:1].isupper() and (
                    tokens[j].lower().rstrip(".") in DEMONYMS_EN | ROLE_TITLES_EN):
                tags[j] = "B-MISC" if tokens[j].lower() in DEMONYMS_EN else "O"
                j += 1
            if j > start:
                tags[j] = "B-PER"

    def split_possessives(self, tokens: Sequence[str], tags: list[str]) -> None:
        """End a span at a possessive inside it ("Hungary 's Orban" is LOC + PER), in place.

        Each side takes its gazetteer type when it is one known word, else the type of highest
        marginal probability over its tokens (the tagger still holds the sentence).
        """
        for i in range(1, len(tokens) - 1):
            if tokens[i] not in _POSSESSIVES or tags[i] == "O" or not tags[i + 1].startswith("I-"):
                continue
            start, end = i - 1, i + 2
            while start > 0 and tags[start].startswith("I-"):
                start -= 1
            while end < len(tags) and tags[end].startswith("I-"):
                end += 1
            tags[i] = "O"
            for a, b in ((start, i), (i + 1, end)):
                label = self.gazetteer.get(tokens[a].lower()) if b - a == 1 else None
                if label is None:
                    label = max(LABELS, key=lambda lab, a=a, b=b: sum(
                        self.tagger.marginal("B-" + lab, j) + self.tagger.marginal("I-" + lab, j)
                        for j in range(a, b)))
                tags[a:b] = ["B-" + label] + ["I-" + label] * (b - a - 1)

    def match_key(self, token: str) -> str:
        """Return the form under which a token matches other mentions of the same name."""
        if self.lang == "ar":
            return arabic_match_key(normalise_arabic(token))
        return token if token[:1].isupper() else ""

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Return IOB2 tags per sentence, with names tagged once also tagged where missed.

        A news article names Aleppo ten times; the CRF may miss one (بحلب in a headline).
        Token sequences tagged somewhere in the text are tagged wherever they recur untagged,
        unless a word is common in the training data as a non-name. In English, a part of a
        longer PER name is PER too (``tag_name_parts``).
        """
        tagged = [self.tag(s) for s in sentences]
        if self.lang == "en" and HEADLINE_RULE:
            self.untag_headline_spans(sentences, tagged)
        parts = self.tag_name_parts(sentences, tagged) if self.lang == "en" else set()
        found: dict[tuple[str, ...], Counter[str]] = {(part,): Counter(PER=1) for part in parts}
        for tokens, tags in zip(sentences, tagged, strict=True):
            for a, b, label in iob_spans(tags):
                key = tuple(self.match_key(t) for t in tokens[a:b])
                if all(len(k) > 2 and k.lower() not in self.common_words for k in key):
                    found.setdefault(key, Counter())[label] += 1
        if not found:
            return tagged
        longest = max(len(k) for k in found)
        for tokens, tags in zip(sentences, tagged, strict=True):
            keys = [self.match_key(t) for t in tokens]
            i = 0
            while i < len(tokens):
                for size in range(min(longest, len(tokens) - i), 0, -1):
                    key = tuple(keys[i:i + size])
                    if key in found and all(t == "O" for t in tags[i:i + size]) and (
                            i + size == len(tokens) or not tags[i + size].startswith("I-")):
                        label = found[key].most_common(1)[0][0]
                        tags[i:i + size] = ["B-" + label] + ["I-" + label] * (size - 1)
                        i += size - 1
                        break
                i += 1
        return tagged

    def untag_headline_spans(self, sentences: Sequence[Sequence[str]], tagged: list[list[str]]) -> None:
        """Untag, in place, multi-word spans of an English title-case headline (the first line)
        that the body never names: in "James Hansen Calls for Geoengineering" every word is
        capitalised, so the CRF runs the name on into the verb. The recurrence pass then tags
        what the body did name (James Hansen) inside the headline again. Only the first line:
        applied to every title-case line it cost 2.5 F1 in blocked CV (lists of names, titles
        of works). A text with no body is left alone.
        """
        headline = [i == 0 and _is_title_case(s) for i, s in enumerate(sentences)]
        if not headline or not headline[0] or len(sentences) < 2:
            return
        body = {tuple(self.match_key(t) for t in tokens[a:b])
                for tokens, tags, head in zip(sentences, tagged, headline, strict=True) if not head
                for a, b, _ in iob_spans(tags)}
        for tokens, tags, head in zip(sentences, tagged, headline, strict=True):
            for a, b, _ in iob_spans(tags) if head else ():
                if b - a > 1 and tuple(self.match_key(t) for t in tokens[a:b]) not in body:
                    tags[a:b] = ["O"] * (b - a)

    def tag_name_parts(self, sentences: Sequence[Sequence[str]], tagged: list[list[str]]) -> set[str]:
        """Retag as PER, in place, short spans made of words of a longer PER name of the same
        text ("Hansen" typed LOC after "James Hansen"); return those words.

        English only: on the Arabic dev set it costs 0.8 F1 (name words like محمد recur as
        other people's names).
        """
        parts: set[str] = set()
        for tokens, tags in zip(sentences, tagged, strict=True):
            for a, b, label in iob_spans(tags):
                if label == "PER" and b - a > 1:
                    keys = [self.match_key(t) for t in tokens[a:b]]
                    parts.update(k for k in keys if len(k) > 2 and k.lower() not in self.common_words)
        for tokens, tags in zip(sentences, tagged, strict=True):
            for a, b, label in iob_spans(tags):
                if label != "PER" and b - a <= 2 and all(
                        self.match_key(t) in parts for t in tokens[a:b]):
                    tags[a:b] = ["B-PER"] + ["I-PER"] * (b - a - 1)
        return parts

    def trim_proclitic(self, token: str) -> int:
        """Return how many leading characters of an Arabic entity token are a proclitic.

        A prefix is trimmed when the rest is a known entity word (لروسيا → روسيا, but لبنان
        stays: بنان is no entity), or for و when the rest starts with ال (والأسد).
        """
        n = normalise_arabic(token)
        if len(n) != len(token):
            return 0  # vocalised or tatweel-stretched: offsets would not line up, keep whole
        for prefix in PROCLITIC_PREFIXES:
            rest = n[len(prefix):]
            if not n.startswith(prefix) or len(rest) < 2:
                continue
            if rest in self.entity_words:
                return len(prefix)
            if prefix == "و" and rest.startswith("ال") and len(rest) >= 4 \
                    and n not in self.entity_words:
                return 1
        return 0


def _is_title_case(tokens: Sequence[str]) -> bool:
    """Return True for a headline-style line: most of its longer words capitalised."""
    words = [t for t in tokens if len(t) > 3 and t[:1].isalpha()]
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def load_lexicon(path: Path) -> dict:
    """Return the lexicon saved next to a model (gazetteer and entity words)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@lru_cache(maxsize=4)
def load_recogniser(lang: str, model_dir: Path = MODEL_DIR) -> Recogniser:
    """Return the shipped recogniser for ``lang`` (loaded once per process)."""
    return open_recogniser(lang, model_dir)


def open_recogniser(lang: str, model_dir: Path) -> Recogniser:
    """Return a recogniser for the model and lexicon of ``lang`` in ``model_dir`` (uncached)."""
    import pycrfsuite

    path = model_dir / f"ner-{lang}.crfsuite"
    if not path.exists():
        raise FileNotFoundError(f"no NER model at {path}; run `python -m etl.ner_train --lang {lang}`")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    lexicon = load_lexicon(model_dir / f"ner-{lang}.lexicon.json")
    known = frozenset(attribute for attribute, _ in tagger.info().state_features)
    return Recogniser(lang, lexicon.get("gazetteer", {}), lexicon.get("entity_words", ()), tagger,
                      lexicon.get("common_words", ()), known_attributes=known)


def iob_spans(tags: Iterable[str]) -> list[tuple[int, int, str]]:
    """Return (first token, last token + 1, label) entity spans of an IOB1/IOB2 tag sequence."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, lab = tag.partition("-")
        continues = prefix == "I" and lab == label and start >= 0
        if start >= 0 and not continues:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = i, lab
    return spans


def find_spans(sentences: Sequence[Sequence[str]], lang: str, model_dir: Path = MODEL_DIR) -> list[list[Span4]]:
    """Return entity token spans per sentence of one text (CRF, then document and alias passes).

    Model spans matching an alias-table name take the table's label (Kremlin is an ORG);
    English spans of nationality words only are MISC.
    """
    model = load_recogniser(lang, model_dir)
    labels = curated_labels(lang)
    out = []
    for tokens, tags in zip(sentences, model.tag_document(sentences), strict=True):
        spans = []
        for a, b, label in iob_spans(tags):
            trim = model.trim_proclitic(tokens[a]) if lang == "ar" else 0
            name = " ".join(tokens[a:b])[trim:]
            label = labels.get(normalise_key(name, strip_clitic=True), label)
            if lang == "en" and all(t.lower() in DEMONYMS_EN for t in tokens[a:b]):
                label = "MISC"  # "Israeli", "Palestinians": nationalities are MISC in CoNLL
            spans.append((a, b, label, trim))
        out.append(add_alias_phrases(tokens, spans, lang))
    return out


def recognise(text: str, lang: str) -> list[EntitySpan]:
    """Return the named entities in ``text`` with exact character offsets into it.

    Direction marks read as spaces (``without_direction_marks``): a marked text has the entities of
    the unmarked one.
    """
    lang = analysis_language(text, lang)
    view = without_direction_marks(text)
    sentences = split_sentences(view, tokenise(view))
    token_lists = [[view[s:e] for s, e in sentence] for sentence in sentences]
    found: list[EntitySpan] = []
    for sentence, spans in zip(sentences, find_spans(token_lists, lang), strict=True):
        for first, last, label, trim in spans:
            start, end = sentence[first][0] + trim, sentence[last - 1][1]
            if label in LABELS and _WORD.search(text[start:end]):
                found.append(EntitySpan(start, end, text[start:end], label))  # type: ignore[arg-type]
    return found

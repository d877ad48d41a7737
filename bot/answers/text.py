"""Turn what people type in Slack into the tokens the matcher compares.

Order matters: Slack markup goes first (a user mention is not a word), then
typos are fixed against the knowledge base's own vocabulary, words are reduced
to a light stem, synonym phrases are rewritten to one canonical token, and
stop words are dropped last (so "in charge of" can still become `owns`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_CHARS = 1_000  # a question is a sentence or two; bounding it bounds the work
MAX_INPUT_CHARS = 4_000  # of a message, only this much is read at all (markup included)
MAX_TOKENS = 48
MAX_TYPO_LOOKUPS = 12
ROLE_PREFIX = "@"
PRODUCT, PROJECT, AMBIGUOUS_PM = "@product", "@project", "@pm"
_ROLE_MARKERS = {"product": frozenset("du"), "project": frozenset("je")}
_OTHER_ROLE_WORD = {
    "product": "project",
    "project": "product",
    "products": "projects",
    "projects": "products",
}

# Markup never contains `<`, so every run stops at the next one: an unclosed `<@A|`
# or `<http:` repeated 100,000 times costs linear time, not a rescan to the end
# of the text from each `<` (which took 33 s).
_SLACK_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|[^<>]*)?>")
_SLACK_SPECIAL = re.compile(r"<![^<>]*>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto|tel):[^|<>]*)(?:\|([^<>]*))?>")
_EMOJI_CODE = re.compile(r":[a-z0-9_+'\-]+:", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(\w)'s\b")
_WORD = re.compile(r"[a-z0-9]+")
# Numbers ("300-person", "8 years") and list numbering ("Q1.", "q12", "2)") are context.
_NUMBERING = re.compile(r"q?\d+")
# Where one part of a message ends and the next begins: sentences, clauses,
# dashes and brackets. Single characters or one fixed run: linear time.
_CLAUSE_BREAK = re.compile(
    r"[.?!;:\n()\[\]\u2600-\u27bf\U0001f300-\U0001faff]+|\s[-\u2013\u2014]+\s"
)

# Function words, fillers and contractions: they say nothing about the topic,
# and a word missing from this list that the knowledge base never uses counts
# against a match (see index.py), so common filler belongs here.
STOPWORDS = frozenset(
    """
    wht wat wut u ur r abt pls thx tho
    a an the is are was were be been being am do does did doing done to of in on at for from
    by with about as into like through over under and or but if so than then that this these
    those it its i me my mine we us our you your yours they them their he she his her him
    what whats which where there here just really actually basically exactly truly lol haha
    hmm pls please plz hey hi hello yo thanks thank thx ty can could would should will shall
    may might must any some anyone someone somebody anybody one know tell explain question
    quick ok okay um uh bot pmbot also very much more most all get got have has had want
    wanna need im ive id youre theyre isnt arent wasnt dont doesnt didnt cant wont shouldnt
    couldnt wouldnt whats thats theres heres lets ever even still again now today usually
    typically generally normally kind sort thing stuff guess think wonder wondering curious
    confused clarify again anyway btw fyi imo tbh honestly literally seriously sure mean
    exactly way other another both either each every same good best better bad well often
    lot lots many few me please kindly quickly simple simply five like too worth when
    """.split()
)


def strip_slack_markup(text: str) -> str:
    """Drop mentions, specials and emoji codes; keep a link's label, not its URL."""
    text = text[:MAX_INPUT_CHARS]
    text = _SLACK_USER.sub(" ", text)
    text = _SLACK_CHANNEL.sub(" ", text)
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return _EMOJI_CODE.sub(" ", text)


def clauses(text: str, limit: int) -> list[str]:
    """The parts of a message ("we're three weeks late. who fixes the plan?"),
    Slack markup removed first (a link has dots). At most `limit`, the last ones:
    context comes first and the question last, far more often than not."""
    # An emoji, typed or as Slack's `:code:`, often ends a sentence ("career switch 👩‍🏫
    # what does a PdM do").
    text = strip_slack_markup(_EMOJI_CODE.sub("\n", text[:MAX_CHARS]))
    parts = [" ".join(p.split()) for p in _CLAUSE_BREAK.split(text)]
    parts = [p for p in parts if len(_WORD.findall(p.casefold())) >= 2]
    return parts[-limit:]


def words(text: str) -> list[str]:
    """Lower-case ASCII words; accents folded, apostrophes and punctuation removed."""
    text = unicodedata.normalize("NFKD", text[:MAX_CHARS])
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("\u2019", "'").replace("`", "'")
    text = _POSSESSIVE.sub(r"\1", text).replace("'", "")
    return _WORD.findall(text)[:MAX_TOKENS]


def _dedouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A deliberately light stemmer: plurals, -ing, -ed, final -e and -y.

    Both the knowledge base and the question go through it, so it only has to
    be consistent, not linguistically right: manage/managed/managing -> manag.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = _dedouble(word[:-3])
    elif len(word) > 4 and word.endswith("ed"):
        word = _dedouble(word[:-2])
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("y"):
        word = word[:-1] + "i"
    return word


@dataclass(frozen=True)
class Normalised:
    """A question as the matcher sees it."""

    tokens: tuple[str, ...]  # what is scored: content words and role tokens
    roles: frozenset[str]  # "product" / "project" named in the question
    ambiguous_pm: bool  # a bare "PM" and no role named
    # Neighbouring roles named through an @-marker ("scrum-master"): never ours.
    neighbours: frozenset[str] = frozenset()
    # The role the ask's own cue names ("how does a PdM become a PjM": project), the
    # subject of the question whatever else it names (asks.py `cued_role`).
    subject: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.tokens and not self.roles and not self.ambiguous_pm

    @property
    def named(self) -> tuple[str, ...]:
        """The roles it names, ours and neighbours, in the order it names them
        ("@scrum-master", "@product" or a bare "product" among the tokens)."""
        every = self.roles | self.neighbours
        ids = (t.removeprefix(ROLE_PREFIX) for t in self.tokens)
        return tuple(dict.fromkeys(r for r in ids if r in every))


# Inside a synonym phrase one article stands for another: "where the product is
# headed" is said "where a product is headed" too. Not as a phrase's first word
# ("the how" must not catch "a how to"), and not possessives: "who is my PM" asks
# for a person, "who is the boss" about the roles.
ARTICLES = frozenset({"a", "an", "the"})
JOINS = frozenset({"and", "or", "vs", "versus", "v"})  # "program vs project manager"
BARE_ROLES = frozenset({"product", "project"})  # a role on its own already (normalise)


def canonical_token(phrase: str) -> str:
    """`go to market` -> `go_to_market`; a role (`@product`) stays as it is."""
    if phrase.startswith(ROLE_PREFIX):
        return phrase
    return "_".join(stem(w) for w in words(phrase))


def _articles_alike(stems: Iterable[str]) -> tuple[str, ...]:
    """Stems as phrases are matched: every article reads as "the"."""
    return tuple("the" if s in ARTICLES else s for s in stems)


def phrase_form(words: Sequence[str]) -> tuple[str, ...]:
    """A synonym phrase as the matcher compares it: its first word as written, then
    any article as "the". Two variants with one form are one variant."""
    return (*words[:1], *_articles_alike(words[1:]))


class Normaliser:
    """Normalises text with one knowledge base's synonyms and vocabulary."""

    def __init__(
        self,
        synonyms: Mapping[str, Iterable[str]],
        vocabulary: Iterable[str],
    ) -> None:
        # first stem -> (the phrase's other stems, articles alike; canonical token),
        # longest first
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        vocab: set[str] = set(STOPWORDS)
        for canonical, variants in synonyms.items():
            target = canonical_token(canonical)
            forms = list(variants)
            if not canonical.startswith(ROLE_PREFIX):
                forms.append(canonical)
            for form in forms:
                raw = words(form)
                vocab.update(raw)
                if raw:
                    phrase = phrase_form([stem(w) for w in raw])
                    self._phrases.setdefault(phrase[0], []).append((phrase[1:], target))
        for entries in self._phrases.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        self._frequency: Counter[str] = Counter()
        for text in vocabulary:
            self._frequency.update(words(text))
        vocab.update(self._frequency)
        self._stopwords = frozenset(stem(w) for w in STOPWORDS)
        self.vocabulary = frozenset(vocab)
        # A word whose stem the vocabulary holds is a form of a known word
        # ("finding" of "find"), not a typo of another one ("funding").
        self._known_stems = frozenset(stem(w) for w in vocab)
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self.vocabulary):
            if word.isalpha():
                self._by_length.setdefault(len(word), []).append(word)
        self._corrections: dict[str, str] = {}

    def correct(self, word: str) -> str:
        """The vocabulary word a typo most likely meant, or the word itself.

        Only clear cases are corrected: a swap of two letters for short words, one
        edit for most words, two for long ones; and never into a role word when the
        typo could as well be the other role (see _could_be_other_role), because
        guessing the role is the one mistake we must not make.
        """
        if word in self.vocabulary or not word.isalpha() or len(word) < 3:
            return word
        if stem(word) in self._known_stems:
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        # Short words have too many one-edit neighbours (data/date, pilot/pivot):
        # below six letters only swapped letters are fixed.
        max_edits = 2 if len(word) >= 9 else 1
        swaps_only = len(word) < 6
        candidates: list[tuple[str, float]] = []
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            pool = self._by_length.get(length)
            if pool:
                found = process.extract(
                    word, pool, scorer=OSA.distance, score_cutoff=max_edits, limit=4
                )
                candidates.extend((choice, score) for choice, score, _ in found)
        result = word
        if candidates:
            best = min(score for _, score in candidates)
            nearest = sorted({choice for choice, score in candidates if score == best})
            if swaps_only:
                nearest = [c for c in nearest if sorted(c) == sorted(word)]
            same_start = [c for c in nearest if c[0] == word[0]]
            # Prefer keeping the first letter; three letters must ("hwo" is "how",
            # but "won" is not "own").
            nearest = same_start if same_start or len(word) == 3 else nearest
            if len(nearest) > 1:
                # A tie goes to a word the knowledge base uses far more often
                # ("managr": manager, not manage); otherwise it stays unclear.
                counts = sorted((self._frequency[c], c) for c in nearest)
                if counts[-1][0] >= 2 * max(counts[-2][0], 1):
                    nearest = [counts[-1][1]]
            if len(nearest) == 1 and not self._could_be_other_role(word, nearest[0], best):
                result = nearest[0]
        if len(self._corrections) < 50_000:
            self._corrections[word] = result
        return result

    @staticmethod
    def _could_be_other_role(word: str, choice: str, edits: float) -> bool:
        """True when a typo might as well be the other role word: it is as close to
        it, or has a letter only the other word has ("prodject" has d and j)."""
        other = _OTHER_ROLE_WORD.get(choice)
        if other is None:
            return False
        marked = bool(set(word) & _ROLE_MARKERS[other.rstrip("s")])
        return marked or OSA.distance(word, other) <= edits

    def drop(self, filler: Iterable[str]) -> None:
        """Also drop these stems, like stop words. Called while the index is built,
        before any question is answered."""
        self._stopwords |= frozenset(filler)

    def tokens(self, text: str) -> tuple[str, ...]:
        return self.normalise(text).tokens

    def _shared_heads(self, stems: list[str]) -> list[str]:
        """Two roles sharing their last word: "program and project manager" is "program
        manager and project manager". A word that starts a two-word phrase, then
        and/or/vs, then a phrase ending in that phrase's second word, takes the word
        too ("product" and "project" are read as their roles on their own)."""
        out: list[str] = []
        for i, word in enumerate(stems):
            out.append(word)
            if i + 2 >= len(stems) or stems[i + 1] not in JOINS or word in BARE_ROLES:
                continue
            heads = {rest[0] for rest, _ in self._phrases.get(word, ()) if len(rest) == 1}
            after = stems[i + 2 :]
            ends = {
                rest[-1]
                for rest, _ in self._phrases.get(after[0], ())
                if rest and tuple(after[1 : 1 + len(rest)]) == rest
            }
            shared = heads & ends
            if shared:
                out.append(min(shared))
        return out

    def normalise(self, text: str) -> Normalised:
        raw = words(strip_slack_markup(text[:MAX_CHARS]))  # bounded before any regex
        corrected: list[str] = []
        lookups = 0
        for word in raw:
            if word not in self.vocabulary and lookups < MAX_TYPO_LOOKUPS:
                lookups += 1
                word = self.correct(word)
            corrected.append(word)
        stems = self._shared_heads([stem(w) for w in corrected])
        alike = _articles_alike(stems)
        tokens: list[str] = []
        i = 0
        while i < len(stems):
            for rest, target in self._phrases.get(stems[i], ()):
                if alike[i + 1 : i + 1 + len(rest)] == rest:
                    tokens.append(target)
                    i += 1 + len(rest)
                    break
            else:
                tokens.append(stems[i])
                i += 1
        roles: set[str] = set()
        neighbours: set[str] = set()
        content: list[str] = []
        ambiguous = False
        for token in tokens:
            if token in (PRODUCT, "product"):
                roles.add("product")
            elif token in (PROJECT, "project"):
                roles.add("project")
            elif token == AMBIGUOUS_PM:
                ambiguous = True
            elif token.startswith(ROLE_PREFIX):
                neighbours.add(token[1:])
            if token not in self._stopwords and not _NUMBERING.fullmatch(token):
                content.append(token)
        ambiguous = ambiguous and not roles
        if ambiguous:
            # A bare "PM" may mean either role, so it should match what is said
            # of either; engine.py then refuses to pick one role silently.
            content += [PRODUCT, PROJECT]
        return Normalised(
            tokens=tuple(dict.fromkeys(content)),
            roles=frozenset(roles),
            ambiguous_pm=ambiguous,
            neighbours=frozenset(neighbours),
        )

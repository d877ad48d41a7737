"""The index: the knowledge base turned into weighted token sets, and raw scores.

Scoring, and why:
- Each topic (and each decline) is a set of phrasings (its questions, its title,
  and "who owns <task>" for every task of the role-duty corpus) plus a bag of
  every word it knows (phrasings and keywords). Words are weighted by rarity
  across topics (IDF), and a word the knowledge base has never seen weighs the
  most: an out-of-scope question ("how much does a dentist earn") is mostly
  such words.
- score = PHRASE_WEIGHT * best weighted-Dice overlap with one phrasing
        + BAG_WEIGHT * share of the question's weight the topic's bag covers.
  Dice rewards a close paraphrase; coverage rewards a new phrasing built from
  the topic's vocabulary. Both penalise words the topic cannot explain, which
  is what makes declining work. (bench/scorers.py shows why plain WRatio or
  token_set_ratio were not used: on short questions both score unrelated
  phrasings near 100.)
- Unknown words count with diminishing weight (UNKNOWN_EXPONENT): a long
  message's context must not veto its question.
The rules that sit on top of these scores are in rules.py; the decision
(answer, clarify, decline) in engine.py.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from bot.answers.knowledge import KnowledgeBase, Topic
from bot.answers.schema import phrase_key
from bot.answers.text import AMBIGUOUS_PM, PRODUCT, PROJECT, Normalised, Normaliser, stem

PHRASE_WEIGHT = 0.45
BAG_WEIGHT = 0.55
UNKNOWN_WEIGHT_FACTOR = 1.2
UNKNOWN_EXPONENT = 0.5
GENERIC_SHARE = 0.3
COMMON_WORD_CANDIDATES = 256
GENERIC_WORD_CANDIDATES = 64
ROLE_TOKENS = frozenset({PRODUCT, PROJECT, AMBIGUOUS_PM, "product", "project"})


@dataclass(frozen=True)
class Phrasing:
    topic: int
    tokens: frozenset[str]
    weight: float


class TopicIndex:
    """Built once from a knowledge base and never changed afterwards (only the
    normaliser's caches grow), so answering from it is thread-safe."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.topics: list[Topic] = list(kb.topics.values())
        self.normaliser = self._normaliser(kb)
        self._build()

    def _normaliser(self, kb: KnowledgeBase) -> Normaliser:
        vocabulary = [
            text
            for topic in self.topics
            for text in (topic.title, topic.answer, *topic.questions, *topic.keywords)
        ]
        vocabulary += [task for role in kb.roles.values() for d in role.duties for task in d.tasks]
        vocabulary += sorted(kb.filler)  # known words: never "corrected" into a topic's word
        # Filler ("at a mid-size company, these days") is context, dropped like
        # a stop word, unless a topic or a decline names it among its keywords:
        # there it is evidence ("boss" for seniority, "app" for tools). Keywords
        # are read as the matcher reads them ("work with" is `together`).
        normaliser = Normaliser({**kb.synonyms, **self._decline_phrases(kb)}, vocabulary)
        evidence = {
            token for t in self.topics for k in t.keywords for token in normaliser.tokens(k)
        }
        normaliser.drop({stem(word) for word in kb.filler} - evidence)
        return normaliser

    def _decline_phrases(self, kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
        """A decline's multi-word keyword is one piece of evidence, matched as a
        phrase: "data science" declines, but "data" alone says nothing, and an
        "analytics engineer" keyword must not make every engineer a decline."""
        taken = {phrase_key(v) for variants in kb.synonyms.values() for v in variants}
        taken |= {phrase_key(c) for c in kb.synonyms}
        # A phrase that a topic uses ("sprint planning", a task) stays words:
        # as one token it would no longer match that topic's word by word.
        used = " | ".join(
            phrase_key(text)
            for topic in self.topics
            if not topic.declines
            for text in (*topic.keywords, *self.phrasings_of(topic))
        )
        phrases = {
            phrase_key(keyword)
            for topic in self.topics
            if topic.declines
            for keyword in topic.keywords
            if " " in phrase_key(keyword)
        }
        return {
            phrase: () for phrase in sorted(phrases - taken) if f" {phrase} " not in f" {used} "
        }

    def phrasings_of(self, topic: Topic) -> list[str]:
        tasks = [f"who owns {task}" for duty in self.kb.duties_for(topic.id) for task in duty.tasks]
        return [*topic.questions, topic.title, *tasks]

    def _build(self) -> None:
        phrase_tokens: list[tuple[int, frozenset[str]]] = []
        bags: list[set[str]] = []
        subjects: list[frozenset[str]] = []
        anchored: list[bool] = []
        for index, topic in enumerate(self.topics):
            # A topic most of whose questions name a role is about the roles
            # ("which PM earns more"); the same words without a role ("how much
            # does a dentist earn") are most likely not for us.
            naming_role = sum(
                bool(ROLE_TOKENS.intersection(self.normaliser.tokens(q))) for q in topic.questions
            )
            anchored.append(
                topic.about is not None or naming_role * 2 >= max(len(topic.questions), 1)
            )
            bag: set[str] = set()
            for phrasing in self.phrasings_of(topic):
                tokens = frozenset(self.normaliser.tokens(phrasing))
                if tokens:
                    phrase_tokens.append((index, tokens))
                    bag |= tokens
            subject = {
                token for keyword in topic.keywords for token in self.normaliser.tokens(keyword)
            }
            bag |= subject
            subjects.append(frozenset(subject))
            if topic.kind == "duty":
                # "Who owns the budget, product or project?" names both roles to
                # ask which one: role words are part of every duty question.
                bag |= ROLE_TOKENS
            bags.append(bag)
        self.anchored = anchored
        self.subjects = subjects
        self.bags = [frozenset(bag) for bag in bags]
        self.position = {topic.id: i for i, topic in enumerate(self.topics)}
        self._weigh(phrase_tokens)
        self._find_generic_and_owned()

    def _weigh(self, phrase_tokens: list[tuple[int, frozenset[str]]]) -> None:
        document_frequency = Counter(token for bag in self.bags for token in bag)
        count = max(len(self.topics), 1)
        self.weights = {t: math.log(1 + count / df) for t, df in document_frequency.items()}
        self.unknown_weight = UNKNOWN_WEIGHT_FACTOR * math.log(1 + count)
        self.phrasings = [
            Phrasing(topic, tokens, sum(self.weights[t] for t in tokens))
            for topic, tokens in phrase_tokens
        ]
        phrase_postings: dict[str, list[int]] = defaultdict(list)
        by_weight = sorted(range(len(self.phrasings)), key=lambda p: self.phrasings[p].weight)
        for position in by_weight:
            for token in self.phrasings[position].tokens:
                phrase_postings[token].append(position)
        self._rare_limit = max(64, count // 100)
        bag_postings: dict[str, list[int]] = defaultdict(list)
        for index, bag in enumerate(self.bags):
            for token in bag:
                bag_postings[token].append(index)
        # Plain dicts: reading a missing key of a defaultdict would write to it.
        self._phrase_postings = dict(phrase_postings)
        self.bag_postings = dict(bag_postings)

    def _find_generic_and_owned(self) -> None:
        # Words most topics share ("who", "owns", the role words) say what kind
        # of question it is, not what it is about: a match made of them alone
        # ("who is the CEO", "who owns the company") is no match. A bare "PM"
        # is informative: it asks which PM.
        answerable = [b for b, t in zip(self.bags, self.topics, strict=True) if not t.declines]
        frequency = Counter(token for bag in answerable for token in bag)
        limit = GENERIC_SHARE * max(len(answerable), 1)
        # A word only one topic knows is never generic, however small the knowledge base.
        common = {token for token, count in frequency.items() if count > max(limit, 1)}
        self.generic = frozenset(common | ROLE_TOKENS) - {AMBIGUOUS_PM}
        # A word that only one topic knows ("PMP", "impediment").
        self.owner_of = {
            token: holders[0]
            for token, holders in self.bag_postings.items()
            if len(holders) == 1 and not self.topics[holders[0]].declines
        }

    def query_weight(self, question: Normalised, known: list[str]) -> float:
        """The question's total weight. Words the knowledge base has never seen
        count against every topic, but with diminishing weight: the first one
        may be the real subject ("how much does a *dentist* earn"), while a
        long question's many unknown words are mostly context around its core."""
        unknown = len(question.tokens) - len(known)
        return sum(self.weights[t] for t in known) + self.unknown_weight * (
            unknown**UNKNOWN_EXPONENT
        )

    def score(self, question: Normalised) -> dict[int, float]:
        """Raw score per topic index, before any rule. A bare "PM" means one of
        the two roles, so each reading is scored and a topic keeps its best:
        otherwise a topic that names both roles would win on "PM" alone."""
        if not question.ambiguous_pm:
            return self._score(question)
        best: dict[int, float] = {}
        for other in (PRODUCT, PROJECT):
            tokens = tuple(t for t in question.tokens if t != other)
            for index, value in self._score(replace(question, tokens=tokens)).items():
                best[index] = max(value, best.get(index, 0.0))
        return best

    def _score(self, question: Normalised) -> dict[int, float]:
        """Scores for one reading of the question.

        Candidates come from the question's rare words only (when it has any):
        a word found in most topics ("who", "owns") cannot single out a topic,
        and walking its postings is what would make a large knowledge base slow.
        Every word still counts in the score of each candidate.
        """
        known = [t for t in question.tokens if t in self.weights]
        if not known:
            return {}
        query_weight = self.query_weight(question, known)
        rare = [t for t in known if len(self.bag_postings.get(t, ())) <= self._rare_limit]
        if rare:
            # Phrasings through the distinctive words; through a word most topics
            # share ("who", "owns", a role), only its shortest ones, which are
            # the ones it can make score high ("what does a product manager do").
            positions = {
                p
                for t in rare
                for p in self._phrase_postings.get(t, ())[
                    : GENERIC_WORD_CANDIDATES if t in self.generic else None
                ]
            }
            topics = {i for t in rare for i in self.bag_postings.get(t, ())}
        else:
            # Only common words: the shortest phrasings holding them can score
            # highest, and postings are kept shortest first, so a bounded prefix
            # of each holds the best candidates.
            positions = {
                p for t in known for p in self._phrase_postings.get(t, [])[:COMMON_WORD_CANDIDATES]
            }
            topics = {self.phrasings[p].topic for p in positions}
        best_dice: dict[int, float] = {}
        for position in positions:
            phrasing = self.phrasings[position]
            overlap = sum(self.weights[t] for t in known if t in phrasing.tokens)
            dice = 2 * overlap / (query_weight + phrasing.weight)
            if dice > best_dice.get(phrasing.topic, 0.0):
                best_dice[phrasing.topic] = dice
        scores: dict[int, float] = {}
        for topic in topics:
            covered = sum(self.weights[t] for t in known if t in self.bags[topic])
            scores[topic] = (
                PHRASE_WEIGHT * best_dice.get(topic, 0.0) + BAG_WEIGHT * covered / query_weight
            )
        return scores

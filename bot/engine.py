"""The answer engine: an index built once from the knowledge base, and answer().

Scoring, and why:
- Each topic is a set of phrasings (its questions, its title, and "who owns
  <task>" for every task of the role-duty corpus) plus a bag of every word it
  knows (phrasings and keywords). Words are weighted by rarity across topics
  (IDF), and a word the knowledge base has never seen weighs the most: an
  out-of-scope question ("how much does a dentist earn") is mostly such words.
- score = PHRASE_WEIGHT * best weighted-Dice overlap with one phrasing
        + BAG_WEIGHT * share of the question's weight the topic's bag covers.
  Dice rewards a close paraphrase; coverage rewards a new phrasing built from
  the topic's vocabulary. Both penalise words the topic cannot explain, which
  is what makes abstention work. (bench/scorers.py shows why plain WRatio or
  token_set_ratio were not used: on short questions both score unrelated
  phrasings near 100.)
- Role safety is a rule, not a score: a topic about one role is never returned
  for a question naming only the other role, and a bare "PM" never silently
  picks one role (it answers `pm-acronym` and offers both as alternatives).
  Topics about the roles (most of their questions name one) weigh less for a
  question naming none: "how much does a dentist earn" is not about PMs.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

from bot.knowledge import KnowledgeBase, Topic
from bot.text import Normalised, Normaliser

PHRASE_WEIGHT = 0.45
BAG_WEIGHT = 0.55
THRESHOLD = 0.45
UNKNOWN_WEIGHT_FACTOR = 1.2
ALTERNATIVE_MARGIN = 0.15
MAX_ALTERNATIVES = 2
UNNAMED_ROLE_PENALTY = 0.75
ROLE_TOKENS = frozenset({"@product", "@project", "@pm", "product", "project"})
BOTH_ROLES_PENALTY = 0.9
COMMON_WORD_CANDIDATES = 256
AMBIGUOUS_TOPIC = "pm-acronym"
SUGGESTED_TOPICS = ("difference", "owns-roadmap", "salary", "pm-acronym", "owns-risk")

HELP_TEXT = (
    "Ask me who does what: product manager or project manager.\n"
    "For example:\n"
    "• what's the difference between a product manager and a project manager?\n"
    "• who owns the roadmap?\n"
    "• which PM earns more?"
)


@dataclass(frozen=True)
class Result:
    """What the engine says about one question; nothing Slack-specific."""

    question: str
    status: str  # "answer", "abstain" or "help"
    topic: str | None
    confidence: float
    text: str
    title: str | None = None
    alternatives: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "confidence": round(self.confidence, 3),
            "text": self.text,
            "alternatives": list(self.alternatives),
        }


def example_questions(kb: KnowledgeBase, count: int = 4) -> list[str]:
    """Questions to offer: the suggested topics' first question, else any topic's."""
    chosen = [kb.topics[t].questions[0] for t in SUGGESTED_TOPICS if t in kb.topics]
    return (chosen or [t.questions[0] for t in kb.topics.values()])[:count]


@dataclass(frozen=True)
class _Phrasing:
    topic: int
    tokens: frozenset[str]
    weight: float


class Engine:
    """Matches questions to topics. Build once; answer() is pure and thread-safe."""

    def __init__(self, kb: KnowledgeBase, threshold: float = THRESHOLD) -> None:
        self.kb = kb
        self.threshold = threshold
        self.topics: list[Topic] = list(kb.topics.values())
        vocabulary = [
            text
            for topic in self.topics
            for text in (topic.title, topic.answer, *topic.questions, *topic.keywords)
        ]
        vocabulary += [task for role in kb.roles.values() for d in role.duties for task in d.tasks]
        self.normaliser = Normaliser(kb.synonyms, vocabulary)
        self._build_index()

    def _topic_phrasings(self, topic: Topic) -> list[str]:
        tasks = [f"who owns {task}" for duty in self.kb.duties_for(topic.id) for task in duty.tasks]
        return [*topic.questions, topic.title, *tasks]

    def _build_index(self) -> None:
        phrase_tokens: list[tuple[int, frozenset[str]]] = []
        bags: list[set[str]] = []
        self._anchored: list[bool] = []
        for index, topic in enumerate(self.topics):
            # A topic most of whose questions name a role is about the roles
            # ("which PM earns more"); the same words without a role ("how much
            # does a dentist earn") are most likely not for us.
            naming_role = sum(
                bool(ROLE_TOKENS.intersection(self.normaliser.normalise(q).tokens))
                for q in topic.questions
            )
            self._anchored.append(
                topic.about is not None or naming_role * 2 >= max(len(topic.questions), 1)
            )
            bag: set[str] = set()
            for phrasing in self._topic_phrasings(topic):
                tokens = frozenset(self.normaliser.normalise(phrasing).tokens)
                if tokens:
                    phrase_tokens.append((index, tokens))
                    bag |= tokens
            for keyword in topic.keywords:
                bag.update(self.normaliser.normalise(keyword).tokens)
            bags.append(bag)
        document_frequency: dict[str, int] = defaultdict(int)
        for bag in bags:
            for token in bag:
                document_frequency[token] += 1
        count = max(len(self.topics), 1)
        self.weights = {t: math.log(1 + count / df) for t, df in document_frequency.items()}
        self.unknown_weight = UNKNOWN_WEIGHT_FACTOR * math.log(1 + count)
        self.phrasings = [
            _Phrasing(topic, tokens, sum(self.weights[t] for t in tokens))
            for topic, tokens in phrase_tokens
        ]
        self._phrase_postings: dict[str, list[int]] = defaultdict(list)
        by_weight = sorted(range(len(self.phrasings)), key=lambda p: self.phrasings[p].weight)
        for position in by_weight:
            for token in self.phrasings[position].tokens:
                self._phrase_postings[token].append(position)
        self._bags = [frozenset(bag) for bag in bags]
        self._rare_limit = max(64, count // 100)
        self._bag_postings: dict[str, list[int]] = defaultdict(list)
        for index, bag in enumerate(bags):
            for token in bag:
                self._bag_postings[token].append(index)
        self.index_of = {topic.id: i for i, topic in enumerate(self.topics)}

    def weight(self, token: str) -> float:
        return self.weights.get(token, self.unknown_weight)

    def score(self, question: Normalised) -> dict[int, float]:
        """Raw score per topic index, before role rules.

        Candidates come from the question's rare words only (when it has any):
        a word found in most topics ("who", "owns") cannot single out a topic,
        and walking its postings is what would make a large knowledge base slow.
        Every word still counts in the score of each candidate.
        """
        known = [t for t in question.tokens if t in self.weights]
        if not known:
            return {}
        query_weight = sum(self.weight(t) for t in question.tokens)
        rare = [t for t in known if len(self._bag_postings[t]) <= self._rare_limit]
        if rare:
            positions = {p for t in rare for p in self._phrase_postings[t]}
            topics = {i for t in rare for i in self._bag_postings[t]}
        else:
            # Only common words: the shortest phrasings holding them can score
            # highest, and postings are kept shortest first, so a bounded prefix
            # of each holds the best candidates.
            positions = {
                p for t in known for p in self._phrase_postings[t][:COMMON_WORD_CANDIDATES]
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
            bag = self._bags[topic]
            covered = sum(self.weights[t] for t in known if t in bag)
            scores[topic] = (
                PHRASE_WEIGHT * best_dice.get(topic, 0.0) + BAG_WEIGHT * covered / query_weight
            )
        return scores

    def _apply_roles(self, question: Normalised, scores: dict[int, float]) -> dict[int, float]:
        adjusted: dict[int, float] = {}
        names_a_role = bool(question.roles) or question.ambiguous_pm
        for index, value in scores.items():
            about = self.topics[index].about
            if about is not None and question.roles and about not in question.roles:
                continue  # names only the other role: never answer about this one
            if about is not None and len(question.roles) == 2:
                value *= BOTH_ROLES_PENALTY
            if self._anchored[index] and not names_a_role:
                value *= UNNAMED_ROLE_PENALTY
            adjusted[index] = value
        return adjusted

    def rank(self, question: Normalised, limit: int | None = None) -> list[tuple[Topic, float]]:
        scores = self._apply_roles(question, self.score(question)).items()
        order = lambda item: (-item[1], item[0])  # noqa: E731 - best first, then file order
        ordered = (
            sorted(scores, key=order)
            if limit is None
            else heapq.nsmallest(limit, scores, key=order)
        )
        return [(self.topics[index], min(value, 1.0)) for index, value in ordered]

    def answer(self, text: str) -> Result:
        if not text or not text.strip():
            return Result(question="", status="help", topic=None, confidence=0.0, text=HELP_TEXT)
        question = self.normaliser.normalise(text)
        ranked = self.rank(question, limit=MAX_ALTERNATIVES + 1)
        if not ranked or ranked[0][1] < self.threshold:
            return self._abstain(text, ranked)
        best, confidence = ranked[0]
        alternatives = [
            topic.id
            for topic, value in ranked[1 : MAX_ALTERNATIVES + 1]
            if value >= max(self.threshold, confidence - ALTERNATIVE_MARGIN)
        ]
        if question.ambiguous_pm and best.about is not None and AMBIGUOUS_TOPIC in self.kb.topics:
            # "What does a PM do?" could mean either role: explain the acronym
            # and let the asker pick, rather than silently choosing one role.
            alternatives = [best.id, *([best.counterpart] if best.counterpart else [])]
            best = self.kb.topics[AMBIGUOUS_TOPIC]
        return Result(
            question=text,
            status="answer",
            topic=best.id,
            confidence=confidence,
            text=best.answer,
            title=best.title,
            alternatives=tuple(alternatives),
        )

    def result_for(self, topic_id: str, question: str = "") -> Result | None:
        """A topic's answer when the asker picked it ("did you mean", "learn more")."""
        topic = self.kb.topics.get(topic_id)
        if topic is None:
            return None
        return Result(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=1.0,
            text=topic.answer,
            title=topic.title,
        )

    def _abstain(self, text: str, ranked: list[tuple[Topic, float]]) -> Result:
        suggestions = example_questions(self.kb)
        lines = "\n".join(f"• {s}" for s in suggestions)
        return Result(
            question=text,
            status="abstain",
            topic=None,
            confidence=ranked[0][1] if ranked else 0.0,
            text=(
                "I don't know that one. I answer questions about product managers "
                f"and project managers: who does what. Try:\n{lines}"
            ),
            suggestions=tuple(suggestions),
        )

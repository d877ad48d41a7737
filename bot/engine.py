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
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.knowledge import KnowledgeBase, Topic
from bot.text import Normalised, Normaliser, clauses, stem

PHRASE_WEIGHT = 0.45
BAG_WEIGHT = 0.55
THRESHOLD = 0.5
UNKNOWN_WEIGHT_FACTOR = 1.2
UNKNOWN_EXPONENT = 0.5
GENERIC_SHARE = 0.3
ONE_ROLE_BONUS = 1.1
MAX_CLAUSES = 6
CLAUSE_FACTOR = 0.95
ALTERNATIVE_MARGIN = 0.15
MAX_ALTERNATIVES = 2
UNNAMED_ROLE_PENALTY = 0.75
ROLE_TOKENS = frozenset({"@product", "@project", "@pm", "product", "project"})
OUR_ROLES = frozenset({"product", "project"})
BOTH_ROLES_PENALTY = 0.9
COMMON_WORD_CANDIDATES = 256
AMBIGUOUS_TOPIC = "pm-acronym"
AMBIGUOUS_MARKER = "@pm"
PRODUCT_MARKER, PROJECT_MARKER = (
    "@product",
    "@project",
)  # a bare "PM" is informative: it asks which PM
MIN_CLAUSE_MATCH = 2
CLARIFY_MARGIN = 0.02  # two topics closer than this: ask, don't guess
# Below the threshold, a long question whose context dilutes every score is
# still answered when one topic clearly leads and explains two of its words.
LOW_THRESHOLD = 0.25
DECLINE_MARGIN = 0.1
CLEAR_LEAD = 0.15
# Confidence is the score discounted by how close the runner-up is: on our
# evaluation sets a near-tie is right far less often than a clear winner
# (`pmbot eval` prints the table that these numbers were read from).
CLEAR_MARGIN = 0.2
TIE_DISCOUNT = 0.3
SUGGESTED_TOPICS = ("difference", "owns-roadmap", "salary", "pm-acronym", "owns-risk")

HELP_TEXT = (
    "Ask me who does what: product manager or project manager.\n"
    "For example:\n"
    "• what's the difference between a product manager and a project manager?\n"
    "• who owns the roadmap?\n"
    "• which PM earns more?"
)


Status = Literal["answer", "clarify", "decline", "help"]


@dataclass(frozen=True)
class Result:
    """What the engine says about one question; nothing Slack-specific."""

    question: str
    status: Status
    topic: str | None  # set only when status is "answer"
    confidence: float
    text: str
    title: str | None = None
    alternatives: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "topic": self.topic,
            "confidence": round(self.confidence, 3),
            "text": self.text,
            "alternatives": list(self.alternatives),
        }


def calibrated(score: float, margin: float) -> float:
    """Score → confidence: full when the runner-up is far behind, less near a tie."""
    return min(score, 1.0) * (1 - TIE_DISCOUNT * (1 - min(margin / CLEAR_MARGIN, 1.0)))


def example_questions(kb: KnowledgeBase, count: int = 4) -> list[str]:
    """Questions to offer: the suggested topics' first question, else any topic's."""
    chosen = [kb.topics[t].questions[0] for t in SUGGESTED_TOPICS if t in kb.topics]
    return (chosen or [t.questions[0] for t in kb.answerable])[:count]


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
        vocabulary += sorted(kb.filler)  # known words: never "corrected" into a topic's word
        # Filler ("at a mid-size company, these days") is context, dropped like
        # a stop word, unless a topic or a decline names it among its keywords:
        # there it is evidence ("boss" for seniority, "app" for tools). Keywords
        # are read as the matcher reads them ("work with" is `together`).
        plain = Normaliser(kb.synonyms, vocabulary)
        evidence = {token for t in self.topics for k in t.keywords for token in plain.tokens(k)}
        filler = {stem(word) for word in kb.filler} - evidence
        self.normaliser = Normaliser(kb.synonyms, vocabulary, filler)
        self._build_index()

    def _topic_phrasings(self, topic: Topic) -> list[str]:
        tasks = [f"who owns {task}" for duty in self.kb.duties_for(topic.id) for task in duty.tasks]
        return [*topic.questions, topic.title, *tasks]

    def _build_index(self) -> None:
        phrase_tokens: list[tuple[int, frozenset[str]]] = []
        bags: list[set[str]] = []
        self._subject: list[frozenset[str]] = []
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
            subject: set[str] = set()
            for keyword in topic.keywords:
                subject.update(self.normaliser.normalise(keyword).tokens)
            bag |= subject
            self._subject.append(frozenset(subject))
            if topic.kind == "duty":
                # "Who owns the budget, product or project?" names both roles to
                # ask which one: role words are part of every duty question.
                bag |= ROLE_TOKENS
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
        self._position = {topic.id: i for i, topic in enumerate(self.topics)}
        # Words most topics share ("who", "owns", the role words) say what kind
        # of question it is, not what it is about: a match made of them alone
        # ("who is the CEO", "who owns the company") is no match.
        answerable = [bag for bag, t in zip(bags, self.topics, strict=True) if t.kind != "decline"]
        answerable_frequency = Counter(token for bag in answerable for token in bag)
        limit = GENERIC_SHARE * max(len(answerable), 1)
        self._generic = frozenset(
            token for token, count in answerable_frequency.items() if count > limit
        ) - {AMBIGUOUS_MARKER}
        self._generic |= ROLE_TOKENS - {AMBIGUOUS_MARKER}
        self._rare_limit = max(64, count // 100)
        self._bag_postings: dict[str, list[int]] = defaultdict(list)
        for index, bag in enumerate(bags):
            for token in bag:
                self._bag_postings[token].append(index)
        self._owner_of = {
            token: holders[0]
            for token, holders in self._bag_postings.items()
            if len(holders) == 1 and self.topics[holders[0]].kind != "decline"
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

    def weight(self, token: str) -> float:
        return self.weights.get(token, self.unknown_weight)

    def score(self, question: Normalised) -> dict[int, float]:
        """Raw score per topic index, before role rules. A bare "PM" means one
        of the two roles, so each reading is scored and a topic keeps its best:
        otherwise a topic that names both roles would win on "PM" alone."""
        if not question.ambiguous_pm:
            return self._score(question)
        best: dict[int, float] = {}
        for other in (PRODUCT_MARKER, PROJECT_MARKER):
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
        names_a_role = bool(question.roles or question.neighbours) or question.ambiguous_pm
        for index, value in scores.items():
            topic = self.topics[index]
            about = topic.about
            if (
                about
                and about not in OUR_ROLES
                and about not in question.neighbours
                and not any(self._owner_of.get(t) == index for t in question.tokens)
            ):
                continue  # a neighbouring role: only when named, or a word only it knows
            if question.neighbours and topic.kind != "decline":
                # "Is a scrum master just an agile project manager?" is about the
                # scrum master, whichever of our roles it is compared with.
                if about not in question.neighbours:
                    continue
            elif about in OUR_ROLES and question.roles and about not in question.roles:
                continue  # names only the other role: never answer about this one
            if not self._has_core(question, index):
                continue
            if about in OUR_ROLES and len(question.roles) == 2:
                value *= BOTH_ROLES_PENALTY
            elif about in question.roles and len(question.roles) == 1:
                value *= ONE_ROLE_BONUS  # "what's the role of a PdM": about that role
            if self._anchored[index] and not names_a_role and not self._own_word(question, index):
                value *= UNNAMED_ROLE_PENALTY
            adjusted[index] = value
        return adjusted

    def _own_word(self, question: Normalised, index: int) -> bool:
        """Does the question use a word only this role's topic knows ("PMP")?
        Then it names the role as surely as saying "project manager" would."""
        if self.topics[index].about is None:
            return False
        return any(self._owner_of.get(token) == index for token in question.tokens)

    def _matched(self, question: Normalised, topic: Topic, distinctive: bool = False) -> int:
        """How many of the question's words the topic explains (only words
        that are not generic, with `distinctive`; a topic's own role counts)."""
        bag = self._bags[self._position[topic.id]]
        return sum(
            token in bag
            and not (distinctive and token in self._generic and token != f"@{topic.about}")
            for token in question.tokens
        )

    def _has_core(self, question: Normalised, index: int) -> bool:
        """Does the topic explain a word of the question that is not generic?
        A role named with its marker ("product manager") counts for a topic
        about that role: "what does a product manager do" is all core. A duty
        or a decline needs its subject, one of its keywords: "who decides
        which features get built" is not about releases, though a release
        question says "feature" too; "which PM earns more" is no question about
        salaries abroad until it names a country."""
        bag = self._bags[index]
        topic = self.topics[index]
        about = topic.about
        if topic.kind in ("duty", "decline") and not any(
            t in self._subject[index] and t not in self._generic for t in question.tokens
        ):
            return False
        return any(
            token in bag and (token not in self._generic or token == f"@{about}")
            for token in question.tokens
        ) or bool(about and about in question.neighbours)

    def rank(self, question: Normalised, limit: int | None = None) -> list[tuple[Topic, float]]:
        scores = self._apply_roles(question, self.score(question)).items()
        order = lambda item: (-item[1], item[0])  # noqa: E731 - best first, then file order
        ordered = (
            sorted(scores, key=order)
            if limit is None
            else heapq.nsmallest(limit, scores, key=order)
        )
        return [(self.topics[index], min(value, 1.0)) for index, value in ordered]

    def parts(self, text: str) -> list[Normalised]:
        """The whole question, then each of its clauses. A clause keeps the roles
        named anywhere in the question, so the role rules see the whole of it."""
        whole = self.normaliser.normalise(text)
        found = clauses(text, MAX_CLAUSES)
        if len(found) < 2:
            return [whole]
        named = {"roles": whole.roles, "neighbours": whole.neighbours}
        return [whole] + [
            replace(self.normaliser.normalise(part), **named)  # type: ignore[arg-type]
            for part in found
        ]

    def best_ranking(self, text: str) -> tuple[Normalised, list[tuple[Topic, float]]]:
        """The ranking of the part that matches best. Context around a clear
        question ("we're 3 weeks behind on the rewrite. who fixes the plan?")
        then cannot veto it; a clause's score is discounted a little, so a whole
        question that matches well is preferred."""
        best: tuple[Normalised, list[tuple[Topic, float]]] | None = None
        for position, question in enumerate(self.parts(text)):
            if position and best and best[1] and best[1][0][0].kind == "decline":
                if best[1][0][1] >= self.threshold:
                    break  # the whole question is about a subject we decline
            factor = 1.0 if position == 0 else CLAUSE_FACTOR
            ranked = [(t, v * factor) for t, v in self.rank(question, MAX_ALTERNATIVES + 2)]
            if position and ranked and self._matched(question, ranked[0][0]) < MIN_CLAUSE_MATCH:
                continue  # one word of a clause ("which would you pick?") is no evidence
            if best is None or (ranked and (not best[1] or ranked[0][1] > best[1][0][1])):
                best = (question, ranked)
        assert best is not None
        return best

    def answer(self, text: str) -> Result:
        if not text or not text.strip():
            return Result(question="", status="help", topic=None, confidence=0.0, text=HELP_TEXT)
        question, ranked = self.best_ranking(text)
        if not ranked or not self._confident(question, ranked):
            return self._decline(text, ranked)
        best, score = ranked[0]
        if best.kind == "decline":
            return self._decline(text, ranked, best)
        against = next(
            (t for t, v in ranked if t.kind == "decline" and v >= score - DECLINE_MARGIN), None
        )
        if against is not None:
            # A subject we decline explains the question almost as well: the
            # words it shares with a topic are borrowed ("the budget for new
            # laptops"), so decline rather than answer the borrowed part.
            return self._decline(text, ranked, against)
        answerable = [(t, v) for t, v in ranked if t.kind != "decline"]
        runner_up = answerable[1][1] if len(answerable) > 1 else 0.0
        margin = score - max(runner_up, ranked[1][1] if len(ranked) > 1 else 0.0)
        confidence = calibrated(score, margin)
        alternatives = [
            topic.id
            for topic, value in answerable[1 : MAX_ALTERNATIVES + 1]
            if value >= max(self.threshold, score - ALTERNATIVE_MARGIN)
        ]
        # The role topic a bare "PM" reached: the best one, or the nearest
        # behind the acronym's own topic.
        role_topic = next(
            (t for t, v in answerable if t.about in OUR_ROLES and v >= score - ALTERNATIVE_MARGIN),
            None,
        )
        if best.about not in OUR_ROLES and best.id != AMBIGUOUS_TOPIC:
            role_topic = None
        if question.ambiguous_pm and AMBIGUOUS_TOPIC in self.kb.topics and role_topic:
            # "What does a PM do?" could mean either role: explain the acronym
            # and let the asker pick, rather than silently choosing one role.
            best = self.kb.topics[AMBIGUOUS_TOPIC]
            counterpart = [role_topic.counterpart] if role_topic.counterpart else []
            alternatives = [role_topic.id, *counterpart]
        elif (
            runner_up >= self.threshold
            and score - runner_up < CLARIFY_MARGIN
            and not (question.ambiguous_pm and best.id == AMBIGUOUS_TOPIC)
        ):
            return self._clarify(text, answerable, score)
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
        if topic is None or topic.kind == "decline":
            return None
        return Result(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=1.0,
            text=topic.answer,
            title=topic.title,
        )

    def _confident(self, question: Normalised, ranked: list[tuple[Topic, float]]) -> bool:
        best, score = ranked[0]
        if score >= self.threshold:
            return True
        lead = score - (ranked[1][1] if len(ranked) > 1 else 0.0)
        return (
            score >= LOW_THRESHOLD
            and lead >= CLEAR_LEAD
            and self._matched(question, best, distinctive=True) >= MIN_CLAUSE_MATCH
        )

    def _clarify(self, text: str, answerable: list[tuple[Topic, float]], score: float) -> Result:
        close = [t for t, v in answerable[: MAX_ALTERNATIVES + 1] if score - v < CLARIFY_MARGIN]
        titles = " or ".join(f"*{t.title}*" for t in close)
        return Result(
            question=text,
            status="clarify",
            topic=None,
            confidence=calibrated(score, 0.0),
            text=f"I'm not sure which you mean: {titles}? Pick one below.",
            alternatives=tuple(t.id for t in close),
        )

    def _decline(
        self, text: str, ranked: list[tuple[Topic, float]], subject: Topic | None = None
    ) -> Result:
        suggestions = example_questions(self.kb)
        lines = "\n".join(f"• {s}" for s in suggestions)
        reply = (
            subject.answer.strip()
            if subject is not None
            else (
                "I don't know that one. I answer questions about product managers "
                f"and project managers: who does what. Try:\n{lines}"
            )
        )
        return Result(
            question=text,
            status="decline",
            topic=None,
            confidence=ranked[0][1] if ranked else 0.0,
            text=reply,
            title=subject.title if subject is not None else None,
            alternatives=subject.related if subject is not None else (),
            suggestions=tuple(suggestions),
        )

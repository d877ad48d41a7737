"""The answer engine: answer(text) -> Result, the one door every surface uses.

It scores the whole message and each of its clauses against the index (index.py),
keeps what the rules allow (rules.py), and decides:
- answer: one topic is clearly best, at a confidence of at least ANSWER_FLOOR;
- clarify: two topics fit about equally (or neither well enough), so it asks;
- decline: nothing fits well enough (the closest topic offered, if one comes
  close), or a subject we decline on purpose (declines.yaml) fits as well as a
  real topic: the question borrowed its words;
Then the ask of the question (asks.py) is checked against the grid (grid.py):
"how do I become X" is answered by X's way in, or declined by name.
- help: an empty question;
- smalltalk: a greeting or thanks (smalltalk.py), answered kindly.
Confidence is the score discounted near a tie (calibrated()): on our evaluation
sets a near-tie is right far less often than a clear winner (`pmbot eval` and
`python -m bench.calibration` print the table these numbers were read from).
"""

from __future__ import annotations

import heapq

from bot.answers.asks import AskReader
from bot.answers.clauses import read_clauses
from bot.answers.freshness import answer_text
from bot.answers.grid import OUR_TWO, Grid, in_cell
from bot.answers.index import TopicIndex
from bot.answers.knowledge import KnowledgeBase, Topic
from bot.answers.messages import HELP_TEXT, example_questions
from bot.answers.replies import clarify_result, decline_result, smalltalk_result
from bot.answers.result import Result, calibrated
from bot.answers.rules import ASKS_WHO, OUR_ROLES, apply_rules, matched
from bot.answers.smalltalk import smalltalk_kind
from bot.answers.subjects import read_subject
from bot.answers.text import Normalised

THRESHOLD = 0.5
# Below the threshold, a long question whose context dilutes every score still
# has its topic offered (never answered: see ANSWER_FLOOR) when one topic clearly
# leads and explains two of its words.
LOW_THRESHOLD = 0.25
CLEAR_LEAD = 0.15
SOLE_SCORE, SOLE_LEAD = 0.4, 0.3
MIN_CLAUSE_MATCH = 2
CLAUSE_FACTOR = 0.95  # a whole question that matches well beats one clause of it
CLARIFY_MARGIN = 0.02  # two topics closer than this: ask, don't guess
DECLINE_MARGIN = 0.1  # a decline this close to the best topic is evidence against it
ALTERNATIVE_MARGIN = 0.15
MAX_ALTERNATIVES = 2
# Nothing less sure than this is sent as an answer (`python -m bench.calibration`).
ANSWER_FLOOR = THRESHOLD


class Engine:
    """Matches questions to topics. Build once; answer() is pure and thread-safe."""

    def __init__(self, kb: KnowledgeBase, threshold: float = THRESHOLD) -> None:
        self.kb = kb
        self.threshold = threshold
        self.index = TopicIndex(kb)
        self._suggestions = example_questions(kb)  # offered with every decline
        self.normaliser = self.index.normaliser
        self.phrasings = self.index.phrasings
        self.grid = Grid(kb, self.index)
        role_phrases = [
            v for marker, vs in kb.synonyms.items() if marker.startswith("@") for v in vs
        ]
        self.asks = AskReader(kb.asks, role_phrases)

    def rank(self, question: Normalised, limit: int | None = None) -> list[tuple[Topic, float]]:
        """Topics that may answer, best first (then in file order), scores ≤ 1."""
        scores = apply_rules(self.index, question, self.index.score(question)).items()
        order = lambda item: (-item[1], item[0])  # noqa: E731
        ordered = (
            sorted(scores, key=order)
            if limit is None
            else heapq.nsmallest(limit, scores, key=order)
        )
        return [(self.index.topics[i], min(value, 1.0)) for i, value in ordered]

    def best_ranking(
        self, text: str, whole: Normalised, whole_ranked: list[tuple[Topic, float]]
    ) -> tuple[Normalised, list[tuple[Topic, float]]]:
        """The ranking of the part that matches best: the whole message, or one
        of its clauses. Context around a clear question ("we're 3 weeks behind
        on the rewrite. who fixes the plan?") then cannot veto it; a clause's
        score is discounted a little, so a whole question that matches well is
        preferred. A whole message about a subject we decline stays declined.
        `whole` is the normalised `text`, `whole_ranked` its ranking."""
        best = (whole, whole_ranked)
        if best[1] and best[1][0][0].declines and best[1][0][1] >= self.threshold:
            return best
        whole_answered = bool(best[1]) and best[1][0][1] >= self.threshold
        for clause in read_clauses(self.normaliser, text, whole):
            ranked = [(t, v * CLAUSE_FACTOR) for t, v in self.rank(clause, MAX_ALTERNATIVES + 2)]
            if not ranked:
                continue
            top = ranked[0][0]
            if top.declines:
                # A declined subject in one clause ("data analyst here.") is
                # context when the whole message is clearly answerable.
                if whole_answered:
                    continue
            elif matched(self.index, clause, top) < MIN_CLAUSE_MATCH and not (
                # A clause naming a neighbouring role is about it ("is a PO more of
                # a product role?"); naming one of ours is often just context,
                # unless the role is all it asks about ("What is a PdM? Skills, pay").
                f"@{top.about}" in clause.tokens
                and (top.about not in OUR_ROLES or len(clause.tokens) == 1)
            ):
                continue  # one word of a clause ("which would you pick?") is no answer
            if not best[1] or ranked[0][1] > best[1][0][1]:
                best = (clause, ranked)
        return best

    def answer(self, text: str) -> Result:
        talk = smalltalk_kind(self.kb.smalltalk, text or "")
        if talk is not None:  # before normalising: it drops "hey" and "thanks" as noise
            return smalltalk_result(self.kb.smalltalk, text, talk)
        whole = self.normaliser.normalise(text or "")
        if whole.is_empty:
            # Nothing to go on ("", "?", an emoji, a bare @-mention): say what I do.
            return Result(question="", status="help", topic=None, confidence=0.0, text=HELP_TEXT)
        ask = self.asks.read(text)
        whole = read_subject(self.asks, self.normaliser, text, whole, ask)
        result = self._answer_words(text, whole)
        if ask is None:
            return result
        return in_cell(self.grid, ask, text, whole, result, self._suggestions)

    def _answer_words(self, text: str, whole: Normalised) -> Result:
        """The answer the question's words point to, whatever it asks."""
        whole_ranked = self.rank(whole, MAX_ALTERNATIVES + 2)
        question, ranked = self.best_ranking(text, whole, whole_ranked)
        if not ranked or not self._confident(question, ranked):
            return self._unsure(text, question is whole, ranked)
        best, score = ranked[0]
        # A subject we decline that explains the question about as well as the
        # best topic: the words it shares with that topic are borrowed ("the
        # budget for new laptops"), so decline rather than answer them.
        against = next((t for t, v in ranked if t.declines and v >= score - DECLINE_MARGIN), None)
        if against is None and question is not whole:
            # One clause fits a topic, but the message as a whole is about a
            # subject we decline about as well ("one- or two-week sprints for a
            # team of five? what did you pick?"): the clause borrowed its words.
            top = whole_ranked[:1]
            if top and top[0][0].declines and top[0][1] >= score - DECLINE_MARGIN:
                against = top[0][0]
        if against is not None:
            return self._decline(text, ranked, against)
        answerable = [(t, v) for t, v in ranked if not t.declines]
        runner_up = answerable[1][1] if len(answerable) > 1 else 0.0
        alternatives = [
            topic.id
            for topic, value in answerable[1 : MAX_ALTERNATIVES + 1]
            if value >= max(self.threshold, score - ALTERNATIVE_MARGIN)
        ]
        acronym = self._acronym_answer(question, answerable, score)
        if acronym is not None:
            best, alternatives = acronym[0], acronym[1] or alternatives
        elif runner_up >= self.threshold and score - runner_up < CLARIFY_MARGIN:
            close = [t for t, v in answerable[: MAX_ALTERNATIVES + 1] if score - v < CLARIFY_MARGIN]
            return clarify_result(text, close, score)
        margin = score - max(runner_up, ranked[1][1] if len(ranked) > 1 else 0.0)
        confidence = calibrated(score, margin)
        if confidence < ANSWER_FLOOR:
            # A lead over a weak field is no evidence: on real questions, wrong 2 in 3.
            if alternatives:  # two topics fit, neither well enough: ask which
                close = [best, *(self.kb.topics[a] for a in alternatives)]
                return clarify_result(text, close, confidence)
            return self._decline(text, ranked, offer=(best.id,))
        return Result(
            question=text,
            status="answer",
            topic=best.id,
            confidence=confidence,
            text=answer_text(best),
            title=best.title,
            alternatives=tuple(alternatives),
        )

    def _acronym_answer(
        self, question: Normalised, answerable: list[tuple[Topic, float]], score: float
    ) -> tuple[Topic, list[str]] | None:
        """ "What does a PM do?" could mean either role: explain the acronym and
        offer the role topic it reached with its twin, rather than silently
        choosing one role (nor asking, when the acronym's own topic is best)."""
        acronym = self.kb.topics.get(self.kb.settings.ambiguous_topic or "")
        if not question.ambiguous_pm or acronym is None:
            return None
        best = answerable[0][0]
        if best.about not in OUR_ROLES and best.id != acronym.id:
            return None
        role_topic = next(
            (t for t, v in answerable if t.about in OUR_ROLES and v >= score - ALTERNATIVE_MARGIN),
            None,
        )
        if role_topic is None:
            # "What does a PM do?": the acronym's answer, and the two roles to pick from.
            both = [t.id for r in OUR_TWO if (t := self.grid.role_topics.get(r)) is not None]
            return (acronym, both) if best.id == acronym.id else None
        return acronym, [
            role_topic.id,
            *([role_topic.counterpart] if role_topic.counterpart else []),
        ]

    def result_for(self, topic_id: str, question: str = "") -> Result | None:
        """A topic's answer when the asker picked it ("did you mean", "learn more")."""
        topic = self.kb.topics.get(topic_id)
        if topic is None or topic.declines:
            return None
        return Result(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=1.0,
            text=answer_text(topic),
            title=topic.title,
        )

    def _confident(self, question: Normalised, ranked: list[tuple[Topic, float]]) -> bool:
        best, score = ranked[0]
        if score >= self.threshold:
            return True
        lead = score - (ranked[1][1] if len(ranked) > 1 else 0.0)
        # Alone by far, one distinctive word may do ("whose call is it whether
        # we ship v2 this quarter?"); otherwise a low score needs two.
        needed = 1 if score >= SOLE_SCORE and lead >= SOLE_LEAD else MIN_CLAUSE_MATCH
        if (
            best.kind == "duty"
            and ASKS_WHO.intersection(question.tokens)
            and (question.roles or question.ambiguous_pm)
        ):
            # "Who decides where the product is headed long term, PdM or PjM?" is a
            # duty's own form: asking which role owns it is one piece of evidence,
            # the subject the other (synonyms fold "headed", "long term" and "north
            # star" into `vision`). Without a role named, "who decides the budget for
            # the school trip?" is not about our roles.
            needed = 1
        if (
            best.about is not None
            and best.about in question.neighbours
            and not any(t.declines for t, _ in ranked)
        ):
            # The neighbouring role it is about is named, and nothing we decline
            # is in sight: naming the role is the second piece of evidence.
            needed = 1
        return (
            score >= LOW_THRESHOLD
            and lead >= CLEAR_LEAD
            and matched(self.index, question, best, distinctive=True) >= needed
        )

    def _unsure(self, text: str, whole: bool, ranked: list[tuple[Topic, float]]) -> Result:
        """Not sure enough to answer. Best explained, as a whole, by a subject we
        decline: decline it by name; else offer the closest topics, if any come close."""
        if not ranked:
            return self._decline(text, ranked)
        best = ranked[0][0]
        if best.declines:
            return self._decline(text, ranked, best if whole else None)
        close = [t.id for t, v in ranked if not t.declines and v >= self.threshold]
        return self._decline(text, ranked, offer=tuple(close[:MAX_ALTERNATIVES]))

    def _decline(
        self,
        text: str,
        ranked: list[tuple[Topic, float]],
        subject: Topic | None = None,
        offer: tuple[str, ...] = (),
    ) -> Result:
        confidence = ranked[0][1] if ranked else 0.0
        return decline_result(text, confidence, self._suggestions, subject, offer)

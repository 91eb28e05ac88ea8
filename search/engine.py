"""A faster word match for Wagtail's PostgreSQL search backend.

Wagtail's PostgreSQL backend matches `title || body` against the query. No
index can serve that concatenation, so every index entry of the type is read
(and the planner, unable to estimate it, may choose a nested loop over the
whole table). For plain word queries the same rows are "each word (AND) or
any word (OR) in the title or in the body", which the GIN indexes on the
title and body vectors answer, with real statistics for the planner.

Ranking, ordering and scores are Wagtail's own (the same rank expression
over the same index entry), so results and order do not change; only the
filter does. Other query types fall back to Wagtail's code.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from modelsearch.backends.database.postgres.postgres import (
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import PlainText

# word -> does the text search configuration keep it (stop words do not)?
_KEPT = {}
_KEPT_MAX = 50_000


def _kept(words, config):
    """The words the text search configuration turns into lexemes.

    A stop word ("the") becomes an empty query, which matches nothing on
    its own; Wagtail's combined query simply ignores it, so we must too.
    """
    missing = [w for w in words if (config, w) not in _KEPT]
    if missing:
        with connection.cursor() as cursor:
            if config:
                cursor.execute(
                    "SELECT w, numnode(to_tsquery(%s::regconfig, quote_literal(w))) "
                    "FROM unnest(%s::text[]) AS w",
                    [config, missing],
                )
            else:
                cursor.execute(
                    "SELECT w, numnode(to_tsquery(quote_literal(w))) "
                    "FROM unnest(%s::text[]) AS w",
                    [missing],
                )
            rows = cursor.fetchall()
        if len(_KEPT) > _KEPT_MAX:
            _KEPT.clear()
        for word, nodes in rows:
            _KEPT[(config, word)] = bool(nodes)
    return [w for w in words if _KEPT.get((config, w))]


class IndexedWordsCompiler(PostgresSearchQueryCompiler):
    # Set by the caller: rank only the newest this-many matches.
    rank_window = None
    _window_ids = None

    def search(self, config, start, stop, score_field=None, backend=None):
        if not isinstance(self.query, PlainText) or self.fields is not None:
            return super().search(config, start, stop, score_field, backend)
        words = [w for w in re.split(r"[\s\-]+", self.query.query_string) if w]
        words = _kept(words, config)
        if not words:
            return self.queryset.none()[start:stop]
        condition = None
        for word in words:
            match = SearchQuery(Lexeme(word), search_type="raw", config=config)
            either = Q(index_entries__title=match) | Q(index_entries__body=match)
            if condition is None:
                condition = either
            elif self.query.operator == "or":
                condition |= either
            else:
                condition &= either
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_search_vectors(search_query)
        rank_expression = self._build_rank_expression(vectors, config)
        # One filter() call: the conditions share one join to the entry,
        # which the rank expression then reuses.
        queryset = self.queryset.filter(condition)
        if self.rank_window:
            # Find the newest matches by id alone (no ranking, no display
            # joins), then rank only those: ts_rank and the joins over every
            # match of a common word were most of a search's time. The ids
            # are fetched once per search (the count and the page share
            # them) and passed as a list: as a subquery the planner still
            # joined every match before narrowing.
            if self._window_ids is None:
                self._window_ids = list(
                    queryset.order_by("-pk").values_list("pk", flat=True)[
                        : self.rank_window
                    ]
                )
            queryset = self.queryset.filter(pk__in=self._window_ids).filter(condition)
        return self._apply_ordering_and_scoring(
            queryset, rank_expression, start, stop, score_field
        )

"""Keyword search over title, description, prompt, model and tags.

Every word must match; the last word matches as a prefix, so results follow typing.
This portable version matches substrings on any database.
"""

from django.db.models import Exists, OuterRef, Q

from assets.models import TaggedAsset

MAX_WORDS = 12


def search_words(value: str) -> list[str]:
    return [word for word in value.lower().split() if word][:MAX_WORDS]


def keyword_search(queryset, value: str):
    words = search_words(value)
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(prompt__icontains=word)
            | Q(model__icontains=word)
            | Exists(TaggedAsset.objects.filter(content_object=OuterRef("pk"), tag__name__icontains=word))
        )
    return queryset

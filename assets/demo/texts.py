"""The demo's text assets: short stories, blog intros, LinkedIn and Facebook posts,
assembled from the corpus's parts with a seeded random generator.
"""

import random

from assets.demo.corpus import (
    BLOG_CLOSINGS,
    BLOG_HOOKS,
    CHARACTERS,
    COMPANIONS,
    FACEBOOK_POSTS,
    FLAVOURS,
    LINKEDIN_CLOSERS,
    LINKEDIN_TOPICS,
    OBJECTS,
    PLACES,
    STORY_ENDINGS,
    STORY_MIDDLES,
    STORY_OPENINGS,
    STORY_TONES,
    STORY_TURNS,
    WEATHERS,
    BlogTopic,
)


def _fill(template: str, slots: dict) -> str:
    return template.format(**slots)


def story_text(rng: random.Random) -> tuple[str, str, str, str]:
    """(title, text, prompt, tone) of a four-paragraph short story."""
    name, pron, poss = rng.choice(CHARACTERS)
    place, here, place_title = rng.choice(PLACES)
    obj, obj_title = rng.choice(OBJECTS)
    companion = rng.choice(COMPANIONS).format(poss=poss)
    slots = {
        "name": name, "pron": pron, "pron_cap": pron.capitalize(), "poss": poss, "place": place,
        "here": here, "here_cap": here.capitalize(), "object": obj, "companion": companion,
        "weather": rng.choice(WEATHERS), "years": rng.choice(["three", "seven", "eleven", "twenty"]),
    }
    paragraphs = [_fill(rng.choice(pool), slots) for pool in (STORY_OPENINGS, STORY_MIDDLES, STORY_TURNS,
                                                              STORY_ENDINGS)]
    title = obj_title if rng.random() < 0.6 else place_title
    tone = rng.choice(STORY_TONES)
    prompt = f"Write a {tone} short story (about 300 words) about {obj}, set in {place}. Main character: {name}."
    return title, "\n\n".join(paragraphs), prompt, tone


def blog_text(rng: random.Random, topic: BlogTopic) -> tuple[str, str]:
    """(text, prompt) of a blog post intro with the list of what the post covers."""
    hook = _fill(rng.choice(BLOG_HOOKS), {"stat": topic.stat, "audience": topic.audience})
    bullets = "\n".join(f"- {point[0].upper()}{point[1:]}" for point in topic.points)
    text = (
        f"# {topic.title}\n\n{hook} {topic.context}\n\n"
        f"In this post we walk through what changed and why, written for {topic.audience}:\n\n{bullets}\n\n"
        f"{rng.choice(BLOG_CLOSINGS)}"
    )
    prompt = (
        f"Write the introduction of a blog post titled '{topic.title}' for {topic.audience}. "
        f"Friendly, practical, under 250 words, end with a list of what the post covers."
    )
    return text, prompt


def linkedin_text(rng: random.Random, *, repurpose: BlogTopic | None = None) -> tuple[str, str, str, tuple]:
    """(title, text, prompt, tags) of a LinkedIn post, optionally promoting a blog post."""
    if repurpose is not None:
        bullets = "\n".join(f"→ {p[0].upper()}{p[1:]}" for p in repurpose.points)
        text = (
            f"{repurpose.stat}.\n\nWe wrote up how we got there for {repurpose.audience}:\n\n{bullets}\n\n"
            f"Full post: \"{repurpose.title}\" (link in the comments).\n\n{rng.choice(LINKEDIN_CLOSERS)}"
        )
        prompt = f"Turn the blog post '{repurpose.title}' into a LinkedIn post with three arrows and a question."
        return f"LinkedIn: {repurpose.title}", text, prompt, repurpose.tags[:2] + ("social",)
    hook, body, lesson, hashtags, tags = rng.choice(LINKEDIN_TOPICS)
    text = f"{hook}\n\n{body}\n\nThe lesson: {lesson}\n\n{rng.choice(LINKEDIN_CLOSERS)}\n\n{' '.join(hashtags)}"
    prompt = f"Write a LinkedIn post that opens with '{hook}' and ends with a question. Lesson: {lesson}"
    return hook.rstrip("."), text, prompt, tags


def facebook_text(rng: random.Random, *, repurpose: BlogTopic | None = None) -> tuple[str, str, str, tuple]:
    """(title, text, prompt, tags) of a Facebook page post."""
    if repurpose is not None:
        text = (
            f"New on the blog: {repurpose.title}\n\n{repurpose.context}\n\n"
            f"Have a read and tell us what you would add. Link below!"
        )
        return f"Facebook: {repurpose.title}", text, f"Facebook post promoting '{repurpose.title}'", (
            *repurpose.tags[:2], "social")
    title, template, tags = rng.choice(FACEBOOK_POSTS)
    name = rng.choice(CHARACTERS)[0]
    slots = {"flavour": rng.choice(FLAVOURS), "name": name}
    text = _fill(template, slots)
    return _fill(title, slots), text, f"Friendly Facebook page post: {_fill(title, slots).lower()}", tags

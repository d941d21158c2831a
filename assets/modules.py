"""Source modules: any slug is valid; the known ones have display labels."""

import re

SLUG_RE = re.compile(r"^[a-z0-9_]{1,50}$")

KNOWN_MODULES = {
    "image_studio": "Image Studio",
    "story_writer": "Story Writer",
    "blog_writer": "Blog Writer",
    "linkedin_writer": "LinkedIn Writer",
    "facebook_writer": "Facebook Writer",
    "video_studio": "Video Studio",
    "podcast_maker": "Podcast Maker",
    "upload": "Upload",
}


def module_label(slug: str) -> str:
    """The display label of a module; unknown slugs read as title case words."""
    return KNOWN_MODULES.get(slug) or slug.replace("_", " ").title()

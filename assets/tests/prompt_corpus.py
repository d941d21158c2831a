"""A corpus of real-looking generation prompts, built from templates with a fixed seed.

Written the way people ask generation modules for things: image prompts with styles and
lighting, and text, video and audio requests full of filler ("Write a short LinkedIn post
about our new...", "...who came home", "Open with a question"). The same `seed` and `count`
always give the same prompts.
"""

import random

SUBJECTS = (
    "a red fox", "an old lighthouse", "a golden retriever puppy", "a snowy owl", "a vintage bicycle",
    "a ceramic coffee mug", "a sleeping dragon", "a medieval castle", "a tiny robot", "a koi pond",
    "a lone astronaut", "a street food vendor", "a cup of matcha", "a sailboat", "a wolf pack",
    "a bonsai tree", "a jazz trumpeter", "a cyberpunk samurai", "a hot air balloon", "a bowl of ramen",
    "a mountain cabin", "a hummingbird", "a steam locomotive", "a glass greenhouse", "autumn leaves",
    "a knight in armor", "a cat on a windowsill", "a vegetable market", "a desert caravan", "a jellyfish",
)
SETTINGS = (
    "in a misty forest", "on a rocky cliff", "in a neon-lit Tokyo alley", "under a starry sky",
    "on a sandy beach", "in a snowy village", "at a rainy bus stop", "in a sunflower field",
    "on the surface of Mars", "in a cozy library", "beside a frozen lake", "in a bamboo grove",
    "inside a Victorian greenhouse", "over a foggy harbour", "in the Sahara desert", "in a Paris café",
)
STYLES = (
    "watercolor", "oil painting", "studio photography", "cinematic still", "pixel art", "isometric 3D",
    "anime style", "charcoal sketch", "ukiyo-e woodblock print", "low-poly illustration", "film photo",
    "art nouveau poster", "claymation", "vaporwave", "minimalist flat vector", "impressionist painting",
)
LIGHTS = (
    "golden hour", "soft morning light", "dramatic rim lighting", "moody blue hour", "neon glow",
    "overcast daylight", "candlelight", "volumetric fog",
)
EXTRAS = ("highly detailed", "8k", "sharp focus", "shallow depth of field", "wide angle", "ultra realistic", "")

TOPICS = (
    "remote team onboarding", "our new lighthouse coffee brand", "cybersecurity for small businesses",
    "sustainable packaging", "hiring junior developers", "the spring product launch", "customer retention",
    "a farmers market fundraiser", "electric vehicle charging", "mindful leadership", "budget travel in Portugal",
    "home composting", "our bakery's sourdough class", "cloud cost savings", "the quarterly sales results",
    "a charity marathon", "urban beekeeping", "password managers", "a yoga retreat in Bali", "podcast growth",
)
AUDIENCES = ("marketing teams", "founders", "parents", "students", "nurses", "small retailers", "engineers")
TONES = ("friendly", "professional", "witty", "upbeat", "warm", "inspiring", "casual")
CHARACTERS = ("a retired sailor", "a shy librarian", "a young witch", "a stray dog", "an android gardener",
              "two sisters", "a clockmaker", "a lost penguin")
PLACES = ("a fishing village", "a floating city", "an abandoned subway station", "a desert oasis",
          "a mountain monastery", "a haunted lighthouse", "a space station")
EVENTS = ("came home after twenty years", "found a map in the attic", "opened a bakery", "lost a bet",
          "got a strange letter", "went back to the old house", "made a wish on a comet")
MOODS = ("uplifting", "melancholic", "epic orchestral", "lo-fi", "upbeat acoustic", "ambient", "jazzy")

IMAGE = (
    "{subject} {setting}, {style}, {light}, {extra}",
    "A {style} of {subject} {setting}, {light}",
    "Create an image of {subject} {setting} in {style} style, {light}",
    "Generate a picture showing {subject} {setting}. {style}, {extra}",
    "{style} portrait of {subject}, {light}, {extra}",
    "Make a poster of {subject} {setting}, {style}, bold colors",
)
TEXT = (
    "Write a LinkedIn post about {topic} for {audience}. Keep it {tone} and end with a question.",
    "Write a short, engaging LinkedIn post announcing {topic}. Use three emojis and two hashtags.",
    "Write a blog post introduction about {topic} for {audience}, {tone} tone, under 300 words.",
    "Draft a blog article titled 'What we learned from {topic}' for {audience}.",
    "Write a Facebook post for our page about {topic}. Make it {tone} and include a call to action.",
    "Write a {tone} short story about {character} who {event}, set in {place}.",
    "Tell a bedtime story about {character} in {place}. Open with a question and keep it short.",
    "Write a tweet thread explaining {topic} to {audience}.",
    "Summarize our newsletter on {topic} in five bullet points for {audience}.",
    "Compose an email to {audience} about {topic}. Keep the tone {tone}.",
)
VIDEO = (
    "A drone shot flying over {subject} {setting}, {light}, cinematic, 4k",
    "Slow motion video of {subject} {setting}, {style}",
    "Generate a 10 second clip of {subject} {setting}, camera slowly pans left",
    "Make a short video ad for {topic}, {tone}, with upbeat music",
)
AUDIO = (
    "{mood} background music for a video about {topic}, 30 seconds",
    "Generate a {tone} voiceover for our ad about {topic}",
    "A {mood} jingle for a podcast about {topic}, ending on a bright chime",
    "Narrate the opening of a story about {character} in {place}, {tone} voice",
    "Sound effect of {subject} {setting}, rain and distant thunder",
)
KINDS = ((IMAGE, 45), (TEXT, 30), (VIDEO, 12), (AUDIO, 13))


def prompts(count: int = 1000, *, seed: int = 8) -> list[str]:
    """`count` prompts: about 45% image, 30% text, 12% video and 13% audio requests."""
    rng = random.Random(seed)
    kinds, weights = zip(*KINDS, strict=True)
    result = []
    for _ in range(count):
        template = rng.choice(rng.choices(kinds, weights)[0])
        slots = {
            "subject": rng.choice(SUBJECTS), "setting": rng.choice(SETTINGS), "style": rng.choice(STYLES),
            "light": rng.choice(LIGHTS), "extra": rng.choice(EXTRAS), "topic": rng.choice(TOPICS),
            "audience": rng.choice(AUDIENCES), "tone": rng.choice(TONES), "character": rng.choice(CHARACTERS),
            "place": rng.choice(PLACES), "event": rng.choice(EVENTS), "mood": rng.choice(MOODS),
        }
        text = template.format(**slots).strip().rstrip(",").strip()
        result.append(text[0].upper() + text[1:])
    return result

"""Fill the database with a large, realistic library for benchmarks.

    manage.py seed_bulk --assets 1000000 --owners 10

One owner (`bulk_owner_0`) holds half of the assets, the rest share the other half.
On PostgreSQL rows go in through COPY, with the secondary indexes dropped during the
load and rebuilt after it; elsewhere through batched inserts. Rows have no files.
"""

import datetime as dt
import random
import time
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assets.models import Asset, AssetUsage, Tag, TaggedAsset

TYPES = [("image", 55), ("text", 20), ("audio", 13), ("video", 12)]
STATUSES = [("completed", 88), ("failed", 5), ("processing", 4), ("pending", 3)]
# The share of assets some module reported using, and the modules that did.
USED_SHARE = 0.3
USAGE_MODULES = ["blog_writer", "linkedin_writer", "newsletter", "website"]
MODULES = [
    "image_studio", "story_writer", "blog_writer", "linkedin_writer", "facebook_writer", "video_studio",
    "podcast_maker", "upload", "instagram_writer", "youtube_studio", "email_writer", "ad_copy",
    "seo_writer", "product_shots", "logo_maker", "voice_over", "music_maker", "thumbnail_maker",
    "twitter_writer", "newsletter_writer",
]
MODELS = [
    ("ideogram-v3-turbo", "ideogram", "0.04"), ("ideogram-v2", "ideogram", "0.08"),
    ("stability-ultra", "stability", "0.08"), ("stability-core", "stability", "0.03"),
    ("sd3.5-large", "stability", "0.065"), ("flux-1.1-pro", "bfl", "0.04"), ("flux-dev", "bfl", "0.025"),
    ("flux-schnell", "bfl", "0.003"), ("dall-e-3", "openai", "0.04"), ("gpt-image-1", "openai", "0.17"),
    ("imagen-4", "google", "0.04"), ("midjourney-v7", "midjourney", "0.10"), ("recraft-v3", "recraft", "0.04"),
    ("gpt-4o", "openai", "0.012"), ("gpt-4o-mini", "openai", "0.0008"), ("gpt-4.1", "openai", "0.01"),
    ("claude-sonnet-4", "anthropic", "0.015"), ("claude-haiku-4", "anthropic", "0.002"),
    ("gemini-2.5-pro", "google", "0.01"), ("gemini-2.5-flash", "google", "0.001"),
    ("llama-3.3-70b", "meta", "0.0009"), ("mistral-large", "mistral", "0.006"),
    ("elevenlabs-v3", "elevenlabs", "0.18"), ("elevenlabs-turbo", "elevenlabs", "0.09"),
    ("openai-tts-hd", "openai", "0.03"), ("suno-v4", "suno", "0.12"), ("runway-gen4", "runway", "0.50"),
    ("veo-3", "google", "0.75"), ("kling-2.1", "kuaishou", "0.35"), ("luma-ray2", "luma", "0.40"),
]
MODELS_BY_TYPE = {
    "image": MODELS[:13], "text": MODELS[13:22], "audio": MODELS[22:26], "video": MODELS[26:],
}
MIME = {"image": "image/png", "text": "text/plain", "audio": "audio/mpeg", "video": "video/mp4"}
WORDS = (
    "a an the of in on with at by from into over under near beside beyond through across serene vibrant "
    "moody golden misty neon rustic futuristic vintage minimalist cinematic dreamy bold soft dramatic "
    "sunset sunrise lighthouse mountain forest ocean river city skyline street market cafe kitchen garden "
    "portrait landscape product bottle sneaker watch camera laptop phone chair lamp plant flower rose "
    "tulip cat dog horse bird fox owl dragon robot astronaut knight wizard castle village bridge tower "
    "beach desert island volcano glacier waterfall canyon meadow field harvest autumn winter spring summer "
    "rain snow fog storm lightning rainbow stars galaxy nebula moon sun clouds sky reflection shadow light "
    "watercolor oil painting sketch illustration photograph render 3d isometric pixel art anime comic "
    "poster logo icon banner thumbnail cover hero background pattern texture gradient abstract geometric "
    "story chapter blog post article newsletter caption thread script podcast episode intro outro jingle "
    "voiceover narration ad campaign launch sale promo holiday wedding birthday travel food coffee tea "
    "wine pizza burger salad fitness yoga running cycling hiking camping fishing sailing surfing skiing "
    "team office meeting startup founder product-launch roadmap quarterly report growth marketing brand "
    "mascot character hero villain friendship adventure mystery romance comedy drama horror fantasy "
    "science fiction history future past ancient modern urban rural cozy elegant luxury budget playful "
    "calm energetic warm cool pastel monochrome colorful high detail sharp focus wide angle close up "
    "aerial view top down symmetric centered rule thirds bokeh depth field golden hour blue hour"
).split()


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), list(weights)


def tag_vocabulary(size=2000) -> list[str]:
    rng = random.Random(7)
    base = sorted({w for w in WORDS if len(w) > 3})
    names = list(base)
    suffixes = ["q1", "q2", "q3", "q4", "2025", "2026", "draft", "final", "v2", "client", "social", "print"]
    while len(names) < size:
        names.append(f"{rng.choice(base)}-{rng.choice(base + suffixes)}")
        names = list(dict.fromkeys(names))
    return names[:size]


class Command(BaseCommand):
    help = "Create N realistic assets (no files) across K owners, fast, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--assets", type=int, default=100_000)
        parser.add_argument("--owners", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=50_000)

    def handle(self, *args, assets, owners, seed, batch, **options):
        if assets < 1 or owners < 1:
            raise CommandError("--assets and --owners must be at least 1.")
        started = time.monotonic()
        # Runs add to what is there; the seed moves on so that ids never repeat.
        rng = random.Random(f"{seed}-{Asset.objects.count()}")
        users = self._owners(owners)
        tags = self._tags(users)
        postgres = connection.vendor == "postgresql"
        saved_indexes = self._drop_indexes() if postgres else []
        made = 0
        try:
            while made < assets:
                n = min(batch, assets - made)
                rows, links, usages = self._generate(rng, users, tags, n, made, assets)
                if postgres:
                    self._copy(rows, links, usages)
                else:
                    self._insert(rows, links, usages)
                made += n
                self.stdout.write(f"  {made:,} / {assets:,} rows ({time.monotonic() - started:.0f} s)")
        finally:
            if saved_indexes:
                self._restore_indexes(saved_indexes)
        if postgres:
            with connection.cursor() as cursor:
                for table in ("assets_asset", "assets_assetsearch", "assets_taggedasset", "assets_tag",
                              "assets_assetusage"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(self.style.SUCCESS(
            f"Created {assets:,} assets for {owners} owners in {time.monotonic() - started:.0f} s."
        ))

    def _owners(self, count):
        User = get_user_model()
        users = []
        for index in range(count):
            user, _ = User.objects.get_or_create(username=f"bulk_owner_{index}")
            users.append(user)
        return users

    def _tags(self, users):
        """Each owner's own tags of the vocabulary: {owner id: {tag id: name}}."""
        names = tag_vocabulary()
        tags = {}
        for user in users:
            mine = Tag.objects.filter(owner_id=user.pk, name__in=names)
            existing = set(mine.values_list("name", flat=True))
            Tag.objects.bulk_create(
                [Tag(owner_id=user.pk, name=n, slug=n) for n in names if n not in existing], batch_size=1000
            )
            tags[user.pk] = dict(mine.values_list("pk", "name"))
        return tags

    def _generate(self, rng, users, tags, n, offset, total):
        tag_ids = {owner_id: list(owned) for owner_id, owned in tags.items()}
        type_values, type_weights = _weighted(TYPES)
        status_values, status_weights = _weighted(STATUSES)
        now = timezone.now()
        two_years = 2 * 365 * 24 * 3600
        rows, links, usages = [], [], []
        big = users[0]
        others = users[1:] or users
        for i in range(n):
            owner = big if (offset + i) % 2 == 0 else others[(offset + i) // 2 % len(others)]
            kind = rng.choices(type_values, type_weights)[0]
            status = rng.choices(status_values, status_weights)[0]
            model, provider, price = rng.choice(MODELS_BY_TYPE[kind])
            words = rng.choices(WORDS, k=rng.randint(10, 60))
            title = " ".join(words[: rng.randint(2, 6)]).capitalize()
            # Skewed towards the recent past, as libraries grow; rows go in oldest first, so
            # the table's physical order follows creation time as in a library that grew.
            age = int(two_years * ((1 - (offset + i + rng.random()) / total) ** 1.6))
            created = now - dt.timedelta(seconds=age)
            cost = (Decimal(price) * Decimal(rng.choice([1, 1, 1, 2, 4]))).quantize(Decimal("0.0001"))
            asset_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            width = height = None
            if kind == "image":
                width, height = rng.choice([(1024, 1024), (1536, 1024), (1024, 1536), (768, 768), (1920, 1080)])
            has_file = status == "completed" and kind != "text"
            deleted = created + dt.timedelta(days=1) if rng.random() < 0.02 else None
            rows.append((
                asset_id, owner.pk, kind, status, rng.choice(MODULES), title, "", " ".join(words), model, provider,
                rng.random() < 0.05, cost, f"assets/{owner.pk}/bulk/{asset_id}.bin" if has_file else "", "",
                MIME[kind], rng.randint(2_000, 8_000_000) if has_file else None, "", width, height,
                round(rng.uniform(2, 90), 1) if kind in ("audio", "video") else None,
                " ".join(words) if kind == "text" else None, "{}", rng.randint(0, 5) if rng.random() < 0.3 else 0,
                rng.randint(0, 3) if rng.random() < 0.1 else 0,
                "Generation failed: provider timeout" if status == "failed" else "",
                created, created, deleted, used := (rng.choice((1, 1, 1, 2, 3)) if rng.random() < USED_SHARE else 0),
            ))
            for number in range(used):  # where 30 % of the assets were used (a blog post, a newsletter)
                usages.append((
                    uuid.UUID(int=rng.getrandbits(128), version=4), asset_id, owner.pk, rng.choice(USAGE_MODULES),
                    "published", f"https://blog.example.com/{asset_id.hex[:12]}-{number}", f"{title}: the post",
                    f"bulk-{asset_id.hex[:12]}-{number}", created + dt.timedelta(days=1),
                ))
            chosen = rng.sample(tag_ids[owner.pk], k=rng.choices([0, 1, 2, 3, 4, 5], [10, 20, 25, 20, 15, 10])[0])
            links.extend((asset_id, tag_id) for tag_id in chosen)
        return rows, links, usages

    COLUMNS = (
        "id", "owner_id", "type", "status", "source_module", "title", "description", "prompt", "model", "provider",
        "is_favorite", "cost", "file", "thumbnail", "mime_type", "file_size", "checksum_sha256", "width", "height",
        "duration_seconds", "text_content", "metadata", "download_count", "share_count", "error_message",
        "created_at", "updated_at", "deleted_at", "usage_count",
    )
    USAGE_COLUMNS = ("id", "asset_id", "owner_id", "source_module", "kind", "target_url", "target_title",
                     "external_ref", "created_at")

    def _copy(self, rows, links, usages):
        """COPY into a staging table, then one INSERT (whose trigger writes the search rows,
        tags included: the links are copied first, checked at commit)."""
        columns = ", ".join(self.COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE seed_stage (LIKE assets_asset INCLUDING DEFAULTS) ON COMMIT DROP")
            raw = cursor.cursor
            with raw.copy(f"COPY seed_stage ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with raw.copy("COPY assets_taggedasset (content_object_id, tag_id, auto) FROM STDIN") as copy:
                for asset_id, tag_id in links:
                    copy.write_row((asset_id, tag_id, False))
            # Fresh statistics first: the insert's triggers join these tables (the tag links,
            # the search rows), and a plan made for the empty tables of the first batch (a
            # nested loop over an unindexed table) would scan them once per new row.
            for table in ("seed_stage", "assets_taggedasset", "assets_tag", "assets_assetsearch", "assets_asset"):
                cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"INSERT INTO assets_asset ({columns}) SELECT {columns} FROM seed_stage")  # noqa: S608
            with raw.copy(f"COPY assets_assetusage ({', '.join(self.USAGE_COLUMNS)}) FROM STDIN") as copy:
                for usage in usages:
                    copy.write_row(usage)

    def _insert(self, rows, links, usages):
        with transaction.atomic():
            Asset.objects.bulk_create(
                [Asset(**dict(zip(self.COLUMNS, row, strict=True)) | {"metadata": {}}) for row in rows],
                batch_size=500,
            )
            AssetUsage.objects.bulk_create(
                [AssetUsage(**dict(zip(self.USAGE_COLUMNS, usage, strict=True))) for usage in usages], batch_size=1000
            )
            TaggedAsset.objects.bulk_create(
                [TaggedAsset(content_object_id=a, tag_id=t) for a, t in links], batch_size=1000
            )

    def _drop_indexes(self):
        """Secondary indexes slow a bulk load down; drop them and rebuild afterwards."""
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.tablename IN ('assets_asset', 'assets_taggedasset', 'assets_assetsearch')
                   AND i.indexname NOT IN (
                     SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'f'))"""
            )
            saved = cursor.fetchall()
            for name, _definition in saved:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        return saved

    def _restore_indexes(self, saved):
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in saved:
                cursor.execute(definition)
        self.stdout.write(f"  rebuilt {len(saved)} indexes ({time.monotonic() - started:.0f} s)")

"""Thumbnails: made by a Celery task after the asset is committed, for every image, video
and audio format; WebP within THUMBNAIL_SIZE and about THUMBNAIL_TARGET_BYTES; served as
image/webp; idempotent; never stale after the file is replaced."""

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assets import services, tasks, thumbnails
from assets.models import Asset
from assets.tests.factories import AssetFactory
from assets.tests.media_samples import (
    animated_gif_bytes,
    image_bytes,
    jpeg_with_orientation,
    photo_like,
    sample_info,
    wav_bytes,
)
from assets.tests.samples import stored_files

URL = "/api/v1/assets/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(api, django_capture_on_commit_callbacks):
    """POST a file and run what was scheduled on commit (the thumbnail task, eagerly)."""

    def post(content, name="upload.bin", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                URL, {"source_module": "upload", **fields, "file": SimpleUploadedFile(name, content)},
                format="multipart",
            )
        assert response.status_code == 201, response.json()
        return api.get(f"{URL}{response.json()['id']}/").json()

    return post


def fetch_thumbnail(client, body) -> tuple[Image.Image, bytes, str]:
    assert body["thumbnail_url"], body
    response = client.get(body["thumbnail_url"])
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data, response["Content-Type"]


def assert_within_bounds(image: Image.Image, data: bytes, content_type: str, *, max_bytes=60_000):
    assert content_type == "image/webp"
    assert image.format == "WEBP"
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert max(image.size) <= 400
    assert len(data) < max_bytes


# --- every format ---------------------------------------------------------------------------

IMAGES = {
    "png": (lambda: image_bytes("PNG", image=photo_like((800, 600))), (400, 300)),
    "jpeg": (lambda: image_bytes("JPEG", image=photo_like((1600, 1200)), quality=92), (400, 300)),
    "webp": (lambda: image_bytes("WEBP", image=photo_like((600, 900))), (267, 400)),
    "gif": (lambda: animated_gif_bytes((500, 250)), (400, 200)),
}


@pytest.mark.parametrize("kind", sorted(IMAGES))
def test_an_image_gets_a_small_webp_thumbnail_after_commit(api, upload, settings, kind):
    make, size = IMAGES[kind]

    body = upload(make(), name=f"picture.{kind}")

    image, data, content_type = fetch_thumbnail(api, body)
    assert_within_bounds(image, data, content_type)
    assert image.size == size
    assert len(data) <= settings.THUMBNAIL_TARGET_BYTES


@pytest.mark.parametrize("name", ["mp4", "mov", "webm", "hd.mp4", "rotated.mov"])
def test_a_video_gets_a_poster_frame(api, upload, ffmpeg_media, name):
    expected = sample_info(name)

    body = upload(ffmpeg_media(name), name=f"clip.{expected.ext}")

    image, data, content_type = fetch_thumbnail(api, body)
    assert_within_bounds(image, data, content_type)
    scale = min(1.0, 400 / max(expected.width, expected.height))
    assert image.size == pytest.approx((expected.width * scale, expected.height * scale), abs=1)


@pytest.mark.parametrize("name", ["mp3", "ogg", "m4a", "audio.mp4", "audio.webm"])
def test_audio_gets_a_waveform(api, upload, ffmpeg_media, name):
    body = upload(ffmpeg_media(name), name=f"sound.{sample_info(name).ext}")

    assert body["type"] == "audio"
    image, data, content_type = fetch_thumbnail(api, body)
    assert_within_bounds(image, data, content_type, max_bytes=20_000)
    assert image.size == (400, 200)
    assert _has_bars(image)


def test_a_wav_gets_a_waveform(api, upload):
    body = upload(wav_bytes(1.0), name="tone.wav")

    image, data, content_type = fetch_thumbnail(api, body)
    assert_within_bounds(image, data, content_type, max_bytes=20_000)
    assert image.size == (400, 200)
    assert _has_bars(image)


@pytest.mark.parametrize(("name", "content"), [("a.txt", b"Some words.\n"), ("a.md", b"# Title\n\nText.\n")])
def test_text_gets_no_thumbnail(upload, name, content):
    body = upload(content, name=name)

    assert body["type"] == "text"
    assert body["thumbnail_url"] is None


def _has_bars(image: Image.Image) -> bool:
    """Bars in the bar colour, of different heights (the tone in the samples swells)."""
    rgb = image.convert("RGB")
    heights = set()
    for x in range(0, rgb.width, 4):
        column = [rgb.getpixel((x + 1, y)) for y in range(rgb.height)]
        heights.add(sum(1 for pixel in column if pixel[2] > 150))
    return max(heights) > rgb.height // 4


# --- image details --------------------------------------------------------------------------


def test_a_photo_sized_thumbnail_lands_near_the_target_size(settings):
    noisy = Image.effect_noise((1600, 1200), 80).convert("RGB")  # the hardest case for a codec

    data = thumbnails.image_thumbnail(io.BytesIO(image_bytes("JPEG", image=noisy, quality=95)))

    assert len(data) <= settings.THUMBNAIL_TARGET_BYTES
    assert max(Image.open(io.BytesIO(data)).size) <= 400


def test_the_exif_orientation_is_applied(api, upload):
    body = upload(jpeg_with_orientation((200, 100), orientation=6), name="phone.jpg")

    image, _data, _type = fetch_thumbnail(api, body)
    assert image.size == (100, 200)


def test_a_small_image_is_not_enlarged(api, upload):
    body = upload(image_bytes("PNG", (40, 30)), name="tiny.png")

    image, _data, _type = fetch_thumbnail(api, body)
    assert image.size == (40, 30)


def test_transparency_survives(api, upload):
    content = image_bytes("PNG", image=Image.new("RGBA", (120, 80), (255, 0, 0, 0)))

    body = upload(content, name="clear.png")

    image, _data, _type = fetch_thumbnail(api, body)
    assert image.mode == "RGBA"
    assert image.getpixel((10, 10))[3] == 0


def test_the_first_frame_of_an_animation_is_used(api, upload):
    body = upload(animated_gif_bytes((60, 40)), name="anim.gif")

    image, _data, _type = fetch_thumbnail(api, body)
    red, green, blue = image.convert("RGB").getpixel((30, 20))
    assert red > 200 and green < 60 and blue < 60


def test_the_thumbnail_size_is_configurable(api, upload, settings):
    settings.THUMBNAIL_SIZE = 128

    body = upload(image_bytes("PNG", image=photo_like((800, 600))), name="p.png")

    image, _data, _type = fetch_thumbnail(api, body)
    assert image.size == (128, 96)


# --- the task and the service ----------------------------------------------------------------


def test_an_asset_is_usable_before_its_thumbnail_exists(api):
    response = api.post(
        URL, {"source_module": "upload", "file": SimpleUploadedFile("p.png", image_bytes("PNG"))}, format="multipart"
    )  # the commit callbacks (the task) have not run

    assert response.status_code == 201
    body = response.json()
    assert body["thumbnail_url"] is None
    assert api.get(body["file_url"]).status_code == 200
    assert api.get(f"{URL}{body['id']}/thumbnail/").status_code == 404

    assert tasks.make_thumbnails.delay([body["id"]]).get() == 1

    assert api.get(f"{URL}{body['id']}/").json()["thumbnail_url"] is not None


def test_the_task_is_idempotent(upload, settings):
    body = upload(image_bytes("PNG", image=photo_like((500, 500))), name="p.png")
    asset = Asset.objects.get(pk=body["id"])
    files = stored_files(settings.MEDIA_ROOT)

    assert tasks.make_thumbnails([body["id"]]) == 0

    assert Asset.objects.get(pk=body["id"]).thumbnail.name == asset.thumbnail.name
    assert stored_files(settings.MEDIA_ROOT) == files
    assert asset.thumbnail.name.startswith(f"thumbnails/{asset.owner_id}/") and asset.thumbnail.name.endswith(".webp")


def test_the_task_skips_missing_text_and_fileless_assets(user):
    text = AssetFactory(owner=user, type="text")
    pending = AssetFactory(owner=user, pending=True)

    assert tasks.make_thumbnails([str(text.pk), str(pending.pk), "00000000-0000-0000-0000-000000000000"]) == 0


def test_a_file_that_cannot_be_decoded_gets_no_thumbnail_and_a_warning(user, caplog):
    broken = AssetFactory(owner=user, file=ContentFile(b"\x89PNG not really", name="x.png"))

    with caplog.at_level(logging.WARNING, logger="assets.thumbnails"):
        assert tasks.make_thumbnails([str(broken.pk)]) == 0

    broken.refresh_from_db()
    assert not broken.thumbnail
    assert any("No thumbnail" in record.getMessage() for record in caplog.records)


def test_a_thumbnail_made_from_a_replaced_file_is_dropped(user, settings):
    asset = AssetFactory(owner=user, file=ContentFile(image_bytes("PNG"), name="a.png"), checksum_sha256="a" * 64)
    files = stored_files(settings.MEDIA_ROOT)

    stored = services.asset_set_thumbnail(asset=asset, data=b"RIFF....WEBP", checksum="b" * 64)

    assert stored is False
    asset.refresh_from_db()
    assert not asset.thumbnail
    assert stored_files(settings.MEDIA_ROOT) == files


def test_replacing_the_file_replaces_the_thumbnail_and_deletes_the_old_one(api, upload, settings,
                                                                          django_capture_on_commit_callbacks):
    body = upload(image_bytes("PNG", image=Image.new("RGB", (300, 200), (255, 0, 0))), name="red.png")
    old_thumbnail = Asset.objects.get(pk=body["id"]).thumbnail.name
    old_file = Asset.objects.get(pk=body["id"]).file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"{URL}{body['id']}/",
            {"file": SimpleUploadedFile("blue.png", image_bytes("PNG", image=Image.new("RGB", (200, 300), "blue")))},
            format="multipart",
        )

    assert response.status_code == 200, response.json()
    asset = Asset.objects.get(pk=body["id"])
    image, _data, _type = fetch_thumbnail(api, api.get(f"{URL}{body['id']}/").json())
    assert image.size == (200, 300)
    assert image.convert("RGB").getpixel((100, 150))[2] > 200
    assert stored_files(settings.MEDIA_ROOT) == {asset.file.name, asset.thumbnail.name}
    assert old_file not in stored_files(settings.MEDIA_ROOT)
    assert old_thumbnail == asset.thumbnail.name or old_thumbnail not in stored_files(settings.MEDIA_ROOT)


def test_a_module_file_sent_later_by_patch_gets_a_thumbnail(api, ffmpeg_media, django_capture_on_commit_callbacks):
    created = api.post(URL, {"type": "video", "status": "processing", "source_module": "video_studio"}, format="json")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"{URL}{created.json()['id']}/",
            {"status": "completed", "file": SimpleUploadedFile("out.mp4", ffmpeg_media("mp4"))}, format="multipart",
        )

    assert response.status_code == 200, response.json()
    image, data, content_type = fetch_thumbnail(api, api.get(f"{URL}{created.json()['id']}/").json())
    assert_within_bounds(image, data, content_type)


def test_a_permanent_delete_removes_the_thumbnail_too(api, upload, settings, django_capture_on_commit_callbacks):
    body = upload(image_bytes("PNG", (300, 200)), name="p.png")
    assert len(stored_files(settings.MEDIA_ROOT)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{URL}{body['id']}/?permanent=true").status_code == 204

    assert stored_files(settings.MEDIA_ROOT) == set()


def test_an_asset_deleted_before_the_task_runs_gets_nothing(api, settings, django_capture_on_commit_callbacks):
    response = api.post(
        URL, {"source_module": "upload", "file": SimpleUploadedFile("p.png", image_bytes("PNG"))}, format="multipart"
    )
    asset_id = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        api.delete(f"{URL}{asset_id}/?permanent=true")

    assert tasks.make_thumbnails([asset_id]) == 0
    assert stored_files(settings.MEDIA_ROOT) == set()


# --- without ffmpeg --------------------------------------------------------------------------


@pytest.fixture
def no_ffmpeg(settings, monkeypatch):
    settings.FFMPEG_PATH = "/nonexistent/ffmpeg"
    settings.FFPROBE_PATH = "/nonexistent/ffprobe"
    monkeypatch.setattr("assets.media_probe.shutil.which", lambda name: None)


def test_without_ffmpeg_a_wav_still_gets_a_waveform(api, upload, no_ffmpeg):
    body = upload(wav_bytes(1.0, rate=22050, channels=2), name="stereo.wav")

    image, data, content_type = fetch_thumbnail(api, body)
    assert_within_bounds(image, data, content_type, max_bytes=20_000)
    assert _has_bars(image)


@pytest.fixture
def mp3_and_mp4(ffmpeg_media):
    """Made while ffmpeg is still there: a test that hides it asks for this first (fixtures are
    set up in the order a test lists them). Made inside the test, they were only there when an
    earlier test of the same worker had made them already."""
    return ffmpeg_media("mp3"), ffmpeg_media("mp4")


def test_without_ffmpeg_other_media_has_no_thumbnail_but_is_kept(upload, mp3_and_mp4, no_ffmpeg, caplog):
    mp3, mp4 = mp3_and_mp4

    with caplog.at_level(logging.WARNING, logger="assets.thumbnails"):
        bodies = [upload(mp3, name="a.mp3"), upload(mp4, name="v.mp4")]

    assert [body["thumbnail_url"] for body in bodies] == [None, None]
    assert [body["type"] for body in bodies] == ["audio", "video"]
    assert any("ffmpeg is not installed" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_the_stdlib_wav_reader_handles_every_pcm_width(tmp_path, width):
    path = tmp_path / "t.wav"
    path.write_bytes(wav_bytes(0.5, rate=8000, channels=2, width=width))

    peaks = thumbnails._peaks_from_wav(path)

    assert len(peaks) == 50  # one per 10 ms
    assert max(peaks) > 25_000  # the swell reaches near full scale
    assert min(peaks) < max(peaks) / 2


# --- the waveform's memory bound ---------------------------------------------------------------


def test_peaks_stay_bounded_for_any_length_and_keep_the_loudest_moment():
    from array import array

    collector = thumbnails.PeakCollector(block=80)
    quiet, loud = array("h", [100, -100] * 4000), array("h", [30_000, -30_000] * 4000)  # a second at 8 kHz
    seconds, loud_second = 900, 321
    for second in range(seconds):  # a quarter of an hour (90,000 blocks), fed a second at a time
        collector.add(loud if second == loud_second else quiet)
    peaks = collector.finish()

    assert thumbnails.PeakCollector.MAX_PEAKS // 2 <= len(peaks) <= thumbnails.PeakCollector.MAX_PEAKS
    loudest_at = max(range(len(peaks)), key=peaks.__getitem__)
    assert loudest_at / len(peaks) == pytest.approx(loud_second / seconds, abs=0.002)
    assert max(peaks) == 30_000 and min(peaks) == 100


def test_peaks_do_not_depend_on_how_the_samples_are_chunked():
    from array import array

    samples = array("h", [(i * 37) % 20_000 - 10_000 for i in range(50_000)])
    whole = thumbnails.PeakCollector(block=80)
    whole.add(samples)
    pieces = thumbnails.PeakCollector(block=80)
    for start in range(0, len(samples), 333):
        pieces.add(samples[start : start + 333])

    assert whole.finish() == pieces.finish()


def test_a_media_asset_queues_one_thumbnail_task_on_commit_and_text_none(api, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.make_thumbnails, "delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        image = api.post(URL, {"source_module": "upload", "file": SimpleUploadedFile("p.png", image_bytes("PNG"))},
                         format="multipart")
        text = api.post(URL, {"source_module": "upload", "file": SimpleUploadedFile("a.txt", b"words")},
                        format="multipart")

    assert (image.status_code, text.status_code) == (201, 201)
    assert queued == [[image.json()["id"]]]


def test_a_stale_deletion_record_for_the_reused_name_cannot_delete_the_new_thumbnail(user, settings):
    """A crash after a thumbnail's file was deleted but before its record was: the name is free again."""
    from assets.file_deletions import file_deletions_process
    from assets.models import FileDeletion, asset_thumbnail_path

    asset = AssetFactory(owner=user, file=ContentFile(image_bytes("PNG", (90, 60)), name="a.png"))
    name = asset_thumbnail_path(asset, "thumbnail.webp")
    FileDeletion.objects.create(name=name)

    assert tasks.make_thumbnails([str(asset.pk)]) == 1
    file_deletions_process()

    asset.refresh_from_db()
    assert asset.thumbnail.name == name
    assert name in stored_files(settings.MEDIA_ROOT)

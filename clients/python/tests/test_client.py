"""asset_library_client against a live server of this project."""

import io
import logging
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asset_library_client import (
    AssetLibrary,
    AuthenticationFailed,
    ConnectionFailed,
    NotFound,
    ServerError,
    Throttled,
    ValidationFailed,
    save_asset_to_library,
)

from assets.models import Asset


def make_image_bytes(size=(64, 48), color=(200, 40, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class Pipe(io.RawIOBase):
    """A stream that cannot seek (a pipe, a socket)."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def seekable(self):
        return False

    def readinto(self, buffer):
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_register_a_text_and_a_repeat_finds_the_same_asset(library, module_user):
    first = library.register(source_module="story_writer", type="text", text_content="Once upon a time.",
                             title="A story", tags=["fairy", "draft"], metadata={"words": 4}, cost="0.0200",
                             external_id="story-1")
    assert first.created and first["type"] == "text" and first["status"] == "completed"
    assert sorted(first["tags"]) == ["draft", "fairy"] and first["metadata"] == {"words": 4}
    again = library.register(source_module="story_writer", type="text", text_content="Once upon a time.",
                             external_id="story-1")
    assert not again.created and again.id == first.id
    assert Asset.objects.filter(owner=module_user).count() == 1


def test_register_files_from_a_path_bytes_and_a_stream_that_cannot_seek(library, tmp_path, module_user):
    path = tmp_path / "out.png"
    path.write_bytes(make_image_bytes(size=(30, 20)))
    from_path = library.register(source_module="image_studio", file=path, prompt="a red square",
                                 tags=["red"], metadata={"seed": 7}, cost=0.04)
    assert from_path.created and from_path["type"] == "image" and (from_path["width"], from_path["height"]) == (30, 20)
    assert from_path["tags"] == ["red"] and from_path["metadata"]["seed"] == 7 and from_path["cost"] == "0.0400"
    from_bytes = library.register(source_module="image_studio", file=make_image_bytes(color=(0, 0, 255)),
                                  filename="blue.png")
    assert from_bytes["mime_type"] == "image/png"
    from_pipe = library.register(source_module="image_studio", file=Pipe(make_image_bytes(color=(0, 255, 0))),
                                 filename="green.png")
    assert from_pipe.created and from_pipe["file_size"] == len(make_image_bytes(color=(0, 255, 0)))
    assert Asset.objects.filter(owner=module_user).count() == 3
    assert from_path["external_id"].startswith("image_studio-")  # made up by the client, for safe retries


def test_a_pending_asset_is_completed_later_or_marked_failed(library, tmp_path):
    pending = library.register(source_module="video_studio", type="video", status="pending", title="Clip")
    assert pending["status"] == "pending" and pending["file_url"] is None
    image = library.register(source_module="image_studio", type="image", status="processing")
    done = library.complete(image.id, file=make_image_bytes(), filename="done.png")
    assert done["status"] == "completed" and done["file_url"]
    failed = library.mark_failed(pending.id, "The provider timed out")
    assert (failed["status"], failed["error_message"]) == ("failed", "The provider timed out")
    renamed = library.update(done.id, title="Renamed", tags=["x"])
    assert renamed["title"] == "Renamed" and library.get(done.id)["tags"] == ["x"]


def test_register_many_answers_per_item_in_order(library):
    results = library.register_many([
        {"source_module": "blog_writer", "type": "text", "text_content": "One"},
        {"source_module": "blog_writer", "type": "nonsense"},
        {"source_module": "blog_writer", "type": "text", "text_content": "Three", "external_id": "three"},
    ])
    assert [result["status"] for result in results] == [201, 400, 201]
    assert "type" in results[1]["errors"] and results[1]["id"] is None


def test_errors_are_typed_and_carry_the_field_errors(library, live_server, token):
    with pytest.raises(ValidationFailed) as error:
        library.register(source_module="image_studio", type="sculpture")
    assert error.value.status == 400 and "type" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        library.register(source_module="image_studio", file=b"<html><script>alert(1)</script>", filename="x.png")
    assert error.value.errors or error.value.detail
    with pytest.raises(NotFound):
        library.get("00000000-0000-0000-0000-000000000000")
    with pytest.raises(AuthenticationFailed):
        AssetLibrary(live_server.url, "not-a-token", retries=0).get("00000000-0000-0000-0000-000000000000")


def test_another_owners_asset_is_not_found(library, live_server, transactional_db):
    from assets.tests.factories import AssetFactory, UserFactory

    theirs = AssetFactory(owner=UserFactory(username="someone-else"))
    with pytest.raises(NotFound):
        library.get(str(theirs.pk))
    with pytest.raises(NotFound):
        library.mark_failed(str(theirs.pk), "mine now")


def test_throttling_and_unavailability_are_retried(library, proxy, module_user, caplog):
    caplog.set_level(logging.WARNING, logger="asset_library_client")
    proxy.inject("429", "503", "429")
    asset = library.register(source_module="image_studio", file=make_image_bytes(), filename="a.png")
    assert asset.created
    assert proxy.requests == 4
    assert [record.message.split(":")[-1].split(";")[0].strip() for record in caplog.records] == [
        "HTTP 429", "HTTP 503", "HTTP 429"]
    assert Asset.objects.filter(owner=module_user).count() == 1


def test_a_lost_answer_is_retried_without_registering_twice(library, proxy, module_user):
    proxy.inject("lose", "lose")
    text = library.register(source_module="blog_writer", type="text", text_content="Posted once")
    assert not text.created  # the server registered it the first time; the retry found it
    proxy.inject("lose")
    image = library.register(source_module="image_studio", file=make_image_bytes(color=(3, 3, 3)),
                             filename="once.png")
    assert not image.created
    assert Asset.objects.filter(owner=module_user).count() == 2
    proxy.inject("lose")
    assert library.update(str(text.id), title="Posted")["title"] == "Posted"  # a PATCH is idempotent anyway


def test_retries_give_up_with_a_typed_error(proxy, token, live_server):
    library = AssetLibrary(proxy.url, token, retries=2, backoff=0.01, max_backoff=0.02)
    proxy.inject("429", "429", "429")
    with pytest.raises(Throttled) as throttled:
        library.register(source_module="blog_writer", type="text", text_content="x")
    assert throttled.value.status == 429 and throttled.value.retry_after == 0
    proxy.inject("503", "503", "503")
    with pytest.raises(ServerError) as unavailable:
        library.register(source_module="blog_writer", type="text", text_content="x")
    assert unavailable.value.status == 503
    assert proxy.requests == 6


def test_no_server_is_a_connection_error_after_the_retries(token, caplog):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    library = AssetLibrary(f"http://127.0.0.1:{port}", token, retries=2, backoff=0.01, max_backoff=0.02,
                           timeout=(0.5, 1))
    caplog.set_level(logging.WARNING, logger="asset_library_client")
    with pytest.raises(ConnectionFailed) as error:
        library.register(source_module="blog_writer", type="text", text_content="x")
    assert error.value.status is None and "3 tries" in str(error.value)
    assert len(caplog.records) == 2


def test_url_and_token_come_from_the_environment(monkeypatch, live_server, token):
    monkeypatch.setenv("ASSET_LIBRARY_URL", live_server.url + "/api/v1/")
    monkeypatch.setenv("ASSET_LIBRARY_TOKEN", token)
    asset = AssetLibrary().register(source_module="blog_writer", type="text", text_content="From the env")
    assert asset.created
    monkeypatch.delenv("ASSET_LIBRARY_TOKEN")
    with pytest.raises(ValueError, match="ASSET_LIBRARY_TOKEN"):
        AssetLibrary()


# The drop-in for ALwrity's save_asset_to_library


def alwrity_call(library, **overrides):
    arguments = dict(db=library, user_id="user_2alice", asset_type="image", source_module="image_studio",
                     filename="sunset.png", file_url="/api/images/sunset.png")
    arguments.update(overrides)
    return save_asset_to_library(**arguments)


def test_save_asset_to_library_uploads_the_file_and_returns_the_id(library, tmp_path, module_user):
    path = tmp_path / "sunset.png"
    path.write_bytes(make_image_bytes())
    asset_id = alwrity_call(library, file_path=str(path), prompt="a sunset", tags=["sunset"],
                            asset_metadata={"seed": 1}, provider="stability", model="sd3", cost=0.04,
                            generation_time=2.5, file_size=123, mime_type="image/png")
    assert isinstance(asset_id, str)
    asset = Asset.objects.get(pk=asset_id, owner=module_user)
    assert asset.title == "Sunset" and asset.prompt == "a sunset" and asset.type == "image"
    assert asset.metadata["seed"] == 1 and asset.metadata["alwrity"]["generation_time"] == 2.5
    assert asset.metadata["alwrity"]["user_id"] == "user_2alice"


def test_save_asset_to_library_keeps_a_post_held_in_its_description(library, module_user):
    asset_id = alwrity_call(library, asset_type="text", source_module="LINKEDIN_WRITER", filename="post.txt",
                            file_url="linkedin://post/1", description="Big news today!")
    asset = Asset.objects.get(pk=asset_id)
    assert asset.text_content == "Big news today!" and asset.source_module == "linkedin_writer"


def test_save_asset_to_library_fetches_a_file_from_an_http_url(library, tmp_path, module_user):
    (tmp_path / "remote.png").write_bytes(make_image_bytes(color=(9, 90, 9)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/remote.png"
        asset_id = alwrity_call(library, filename="remote.png", file_url=url)
    finally:
        server.shutdown()
        server.server_close()
    assert Asset.objects.get(pk=asset_id).file_size == len(make_image_bytes(color=(9, 90, 9)))


def test_save_asset_to_library_logs_and_returns_none_like_alwrity(library, caplog, tmp_path):
    caplog.set_level(logging.ERROR, logger="asset_library_client")
    assert alwrity_call(library, user_id="") is None
    assert alwrity_call(library, filename="") is None
    assert alwrity_call(library, file_path=str(tmp_path / "missing.png")) is None
    bad = tmp_path / "evil.png"
    bad.write_bytes(b"<html><script>alert(1)</script></html>")
    assert alwrity_call(library, file_path=str(bad)) is None
    messages = " | ".join(record.getMessage() for record in caplog.records)
    assert "Invalid user_id" in messages and "Invalid filename" in messages and "No file for" in messages
    assert "Error saving asset to library" in messages
    assert not Asset.objects.exists()


def test_save_asset_to_library_records_a_failed_generation(library):
    asset_id = alwrity_call(library, asset_type="video", source_module="video_studio", filename="clip.mp4",
                            asset_metadata={"status": "failed", "error": "Out of credits"})
    asset = Asset.objects.get(pk=asset_id)
    assert (asset.status, asset.error_message, asset.type) == ("failed", "Out of credits", "video")


def test_report_usage_is_idempotent_and_safe_to_retry(library, proxy, module_user):
    asset = library.register(source_module="image_studio", file=make_image_bytes(color=(5, 6, 7)), filename="u.png")
    usage = library.report_usage(asset.id, source_module="blog_writer", target_title="Ten tips",
                                 target_url="https://blog.example.com/ten-tips", external_ref="post-1")
    assert usage.created and usage["kind"] == "published"
    again = library.report_usage(asset.id, source_module="blog_writer", target_title="Ten tips",
                                 external_ref="post-1")
    assert not again.created and again.id == usage.id
    proxy.inject("lose", "503")  # answered by the server but lost, then refused once: still one usage
    scheduled = library.report_usage(asset.id, source_module="social_scheduler", kind="scheduled",
                                     target_title="Monday's post")
    assert not scheduled.created
    assert [u["target_title"] for u in library.usages(asset.id)] == ["Monday's post", "Ten tips"]
    assert library.get(asset.id)["usage_count"] == 2
    library.remove_usage(asset.id, usage.id)
    assert library.get(asset.id)["usage_count"] == 1
    with pytest.raises(NotFound):
        library.remove_usage(asset.id, usage.id)
    with pytest.raises(ValidationFailed) as error:
        library.report_usage(asset.id, source_module="blog_writer", target_title="x", target_url="javascript:x")
    assert "target_url" in error.value.errors

import pytest

from assets.tests.samples import FFMPEG_SAMPLES, ffmpeg_bytes
from conftest import require_service


@pytest.fixture(scope="session")
def _ffmpeg_files(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ffmpeg-samples")
    return {ext: ffmpeg_bytes(ext, workdir) for ext in FFMPEG_SAMPLES}


@pytest.fixture
def ffmpeg_sample(_ffmpeg_files):
    """`ffmpeg_sample("mp4")` -> bytes; skips (fails under CI=true) when ffmpeg cannot make it."""

    def get(ext: str) -> bytes:
        data = _ffmpeg_files[ext]
        if data is None:
            require_service("ffmpeg", f"could not generate a .{ext} sample")
        return data

    return get

"""A believable demo library, for `manage.py seed_demo`.

- `corpus` (+ `corpus/*.json`): the words and concepts: tags, models, image/audio/video
  concepts, story parts, blog topics and posts. Data only.
- `painter`: images drawn with Pillow from an `ImageRecipe`.
- `sound`: WAV audio synthesised from an `AudioRecipe`.
- `texts`: stories and posts assembled from the corpus.
- `planner`: `build_plan`, every asset decided from the seed before anything is written.
- `library`: `library_create`, the plan made real through `assets.services`.

The video clips are small committed files in `assets/demo_media/` (see `make_clips.sh`
there) because ffmpeg may be missing.
"""
